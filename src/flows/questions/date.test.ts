import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysInMonth, monthOf, parseDate, resolveTwoDigitYear, todayIn } from "./date.js";
import { LANGS } from "../../i18n/index.js";

/** A fixed clock: 15 June 2025, 10:00 WITA. */
const now = new Date("2025-06-15T10:00:00+08:00");

describe("parseDate: dates ahead as people say them", () => {
  // 15 June 2025 is a Sunday.
  it.each([
    ["besok", "2025-06-16"],
    ["lusa", "2025-06-17"],
    ["minggu depan", "2025-06-22"],
    ["pekan depan", "2025-06-22"],
    ["minggu besok", "2025-06-22"],
    ["seminggu lagi", "2025-06-22"],
    ["2 minggu lagi", "2025-06-29"],
    ["dua minggu lagi", "2025-06-29"],
    ["3 hari lagi", "2025-06-18"],
    ["bulan depan", "2025-07-15"],
    ["tgl 5", "2025-07-05"],
    ["tanggal 20", "2025-06-20"],
    ["nanti tgl 15", "2025-06-15"],
    ["5 juli", "2025-07-05"],
    ["5/7", "2025-07-05"],
    ["3 juni", "2026-06-03"],
    ["hari jumat", "2025-06-20"],
    ["jumat depan", "2025-06-20"],
    ["senin", "2025-06-16"],
    ["31", "2025-07-31"],
    ["akhir juni 2026", "2026-06-30"],
    ["akhir bulan", "2025-06-30"],
    ["awal bulan depan", "2025-07-01"],
    ["pertengahan juli", "2025-07-15"],
    ["akhir februari", "2026-02-28"],
  ])("%j -> %s", (input, iso) => {
    expect(parseDate(input, { now, future: true })).toMatchObject({ ok: true, value: iso });
  });

  it("does not guess a month or year for a date in the past (a birth date needs them)", () => {
    expect(parseDate("tgl 5", { now, past: true })).toMatchObject({ ok: false, error: "q.date.incomplete" });
    expect(parseDate("5 juli", { now, past: true })).toMatchObject({ ok: false, error: "q.date.incomplete" });
    expect(parseDate("2 minggu lalu", { now, past: true })).toMatchObject({ ok: true, value: "2025-06-01" });
    expect(parseDate("minggu depan", { now, past: true })).toMatchObject({ ok: false, error: "q.date.in_future" });
    expect(parseDate("bulan 7", { now, future: true })).toMatchObject({ ok: false, error: "q.date.ahead_incomplete" });
  });

  it("'N hari/minggu lagi' is N days or weeks after today, for any N", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 3650 }), (n, offset) => {
        const at = new Date(Date.UTC(2020, 0, 1, 4) + offset * 86_400_000);
        const t = todayIn(at);
        const plus = (days: number) => {
          const d = new Date(Date.UTC(t.y, t.m - 1, t.d + days));
          return d.toISOString().slice(0, 10);
        };
        expect(parseDate(`${n} hari lagi`, { now: at, future: true })).toMatchObject({ ok: true, value: plus(n) });
        expect(parseDate(`${n} minggu lagi`, { now: at, future: true })).toMatchObject({ ok: true, value: plus(7 * n) });
      }),
    );
  });

  it("'tgl D' is the next day D of a month, today or later, within a month; a day name is within a week", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 3650 }), fc.constantFrom("senin", "selasa", "rabu", "kamis", "jumat", "sabtu"), (d, offset, day) => {
        const at = new Date(Date.UTC(2020, 0, 1, 4) + offset * 86_400_000);
        const t = todayIn(at);
        const today = Date.UTC(t.y, t.m - 1, t.d);
        const r = parseDate(`tgl ${d}`, { now: at, future: true });
        expect(r.ok).toBe(true);
        if (r.ok) {
          const v = Date.parse(`${r.value}T00:00:00Z`);
          expect(Number(r.value.slice(8))).toBe(d);
          expect(v).toBeGreaterThanOrEqual(today);
          expect(v - today).toBeLessThan(31 * 86_400_000);
        }
        const w = parseDate(`hari ${day}`, { now: at, future: true });
        expect(w.ok).toBe(true);
        if (w.ok) {
          const v = Date.parse(`${w.value}T00:00:00Z`);
          expect(v - today).toBeGreaterThan(0);
          expect(v - today).toBeLessThanOrEqual(7 * 86_400_000);
          expect(new Date(v).getUTCDay()).toBe(["minggu", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu"].indexOf(day));
        }
      }),
    );
  });
});

describe("parseDate: the spellings clients use", () => {
  it.each([
    ["17-08-1990", "1990-08-17"],
    ["17/8/90", "1990-08-17"],
    ["17.08.1990", "1990-08-17"],
    ["17 8 1990", "1990-08-17"],
    ["17 - 08 - 1990", "1990-08-17"],
    ["17 Agustus 1990", "1990-08-17"],
    ["17 agustus 1990", "1990-08-17"],
    ["17 AGUSTUS 1990", "1990-08-17"],
    ["17 agt 90", "1990-08-17"],
    ["17 ags 1990", "1990-08-17"],
    ["17 agu 1990", "1990-08-17"],
    ["17-agt-1990", "1990-08-17"],
    ["17agustus1990", "1990-08-17"],
    ["17 agutus 1990", "1990-08-17"],
    ["17 August 1990", "1990-08-17"],
    ["17 aug 1990", "1990-08-17"],
    ["August 17, 1990", "1990-08-17"],
    ["Aug 17th 1990", "1990-08-17"],
    ["17th of August 1990", "1990-08-17"],
    ["1990-08-17", "1990-08-17"],
    ["1990/8/17", "1990-08-17"],
    ["17081990", "1990-08-17"],
    ["19900817", "1990-08-17"],
    ["170890", "1990-08-17"],
    ["8/17/1990", "1990-08-17"],
    ["Jumat, 17 Agustus 1990", "1990-08-17"],
    ["tgl 17 bulan 8 tahun 1990", "1990-08-17"],
    ["lahir tanggal 17 agustus 1990", "1990-08-17"],
    ["17 agustus '90", "1990-08-17"],
    ["1 jan 2000", "2000-01-01"],
    ["2 feb 1985", "1985-02-02"],
    ["2 pebruari 1985", "1985-02-02"],
    ["3 mrt 1985", "1985-03-03"],
    ["4 mei 1985", "1985-05-04"],
    ["5 may 1985", "1985-05-05"],
    ["6 juni 1985", "1985-06-06"],
    ["7 juli 1985", "1985-07-07"],
    ["9 sept 1985", "1985-09-09"],
    ["10 okt 1985", "1985-10-10"],
    ["11 nop 1985", "1985-11-11"],
    ["12 des 1985", "1985-12-12"],
    ["25 dec 1985", "1985-12-25"],
    ["29/2/2000", "2000-02-29"],
    ["29-02-2024", "2024-02-29"],
    ["１７-０８-１９９０", "1990-08-17"],
    ["🎂 17-08-1990", "1990-08-17"],
  ])("%j -> %s", (input, iso) => {
    expect(parseDate(input, { now, past: true })).toMatchObject({ ok: true, value: iso });
  });

  it("shows the date written out in the person's language", () => {
    expect(parseDate("17/8/90", { now })).toEqual({ ok: true, value: "1990-08-17", display: "17 Agustus 1990" });
    expect(parseDate("17/8/90", { now }, "en")).toEqual({ ok: true, value: "1990-08-17", display: "17 August 1990" });
  });

  it("reads today, yesterday and tomorrow in Bali's time zone", () => {
    expect(parseDate("hari ini", { now })).toMatchObject({ value: "2025-06-15" });
    expect(parseDate("kemarin", { now })).toMatchObject({ value: "2025-06-14" });
    expect(parseDate("besok", { now })).toMatchObject({ value: "2025-06-16" });
    expect(parseDate("lusa", { now })).toMatchObject({ value: "2025-06-17" });
    expect(parseDate("today", { now })).toMatchObject({ value: "2025-06-15" });
    // 23:30 UTC on the 14th is already the 15th in WITA.
    expect(parseDate("hari ini", { now: new Date("2025-06-14T23:30:00Z") })).toMatchObject({ value: "2025-06-15" });
    expect(parseDate("besok", { now: new Date("2024-12-31T20:00:00Z") })).toMatchObject({ value: "2025-01-02" });
  });

  describe("two-digit years", () => {
    it.each([
      ["17/8/90", { past: true }, "1990-08-17"],
      ["17/8/05", { past: true }, "2005-08-17"],
      ["15/6/25", { past: true }, "2025-06-15"],
      ["16/6/25", { past: true }, "1925-06-16"],
      ["1/1/26", { past: true }, "1926-01-01"],
      ["1/1/26", {}, "2026-01-01"],
      ["1/1/70", {}, "2070-01-01"],
      ["1/1/80", {}, "1980-01-01"],
      ["14/6/25", { future: true }, "2125-06-14"],
      ["16/6/25", { future: true }, "2025-06-16"],
      ["1/1/26", { future: true }, "2026-01-01"],
    ] as const)("%j %j -> %s", (input, opts, iso) => {
      expect(parseDate(input, { now, ...opts })).toMatchObject({ ok: true, value: iso });
    });

    it("resolves by the rule directly", () => {
      const today = { y: 2025, m: 6, d: 15 };
      expect(resolveTwoDigitYear(99, 1, 1, today, "past")).toBe(1999);
      expect(resolveTwoDigitYear(0, 2, 29, today, "past")).toBe(2000);
      expect(resolveTwoDigitYear(74, 1, 1, today, "nearest")).toBe(2074);
      expect(resolveTwoDigitYear(76, 1, 1, today, "nearest")).toBe(1976);
    });
  });

  it.each([
    ["31-02-1990", "31-02-1990"],
    ["30/2/2000", "30-02-2000"],
    ["29-02-2023", "29-02-2023"],
    ["31 april 1990", "31-04-1990"],
    ["32-01-1990", "32-01-1990"],
    ["00-01-1990", "00-01-1990"],
    ["17-13-1990", "17-13-1990"],
    ["29/2/01", "29-02-2001"],
  ])("%j is impossible", (input, date) => {
    expect(parseDate(input, { now, past: true })).toEqual({ ok: false, error: "q.date.impossible", params: { date } });
  });

  it.each([
    ["", "q.date.empty"],
    ["   ", "q.date.empty"],
    ["xyz", "q.date.invalid"],
    ["👍", "q.date.invalid"],
    ["kapan ya", "q.date.invalid"],
    ["17/8", "q.date.incomplete"],
    ["17 agustus", "q.date.incomplete"],
    ["agustus 1990", "q.date.incomplete"],
    ["1990", "q.date.incomplete"],
    ["17", "q.date.incomplete"],
    ["17-08-199", "q.date.invalid"],
    ["17-08-1990-5", "q.date.invalid"],
    ["17 agustus maret 1990", "q.date.invalid"],
    ["081234567890", "q.date.invalid"],
  ])("%j -> %s", (input, error) => {
    expect(parseDate(input, { now, past: true })).toMatchObject({ ok: false, error });
  });

  it("refuses future dates when the date must be past, and past dates when it must be future", () => {
    expect(parseDate("17-08-2030", { now, past: true })).toEqual({
      ok: false,
      error: "q.date.in_future",
      params: { date: "17 Agustus 2030" },
    });
    expect(parseDate("besok", { now, past: true })).toMatchObject({ ok: false, error: "q.date.in_future" });
    expect(parseDate("hari ini", { now, past: true })).toMatchObject({ ok: true });
    expect(parseDate("kemarin", { now, future: true }, "en")).toEqual({
      ok: false,
      error: "q.date.in_past",
      params: { date: "14 June 2025" },
    });
    expect(parseDate("hari ini", { now, future: true })).toMatchObject({ ok: true });
  });

  it("checks minYear and maxYear", () => {
    expect(parseDate("17-08-1890", { now, past: true, minYear: 1900 })).toMatchObject({
      ok: false,
      error: "q.date.too_early",
      params: { minYear: 1900 },
    });
    expect(parseDate("01-01-2030", { now, maxYear: 2026 })).toMatchObject({ ok: false, error: "q.date.too_late", params: { maxYear: 2026 } });
    expect(parseDate("01-01-1900", { now, minYear: 1900, maxYear: 1900 })).toMatchObject({ ok: true, value: "1900-01-01" });
  });
});

describe("date helpers", () => {
  it("knows month lengths and leap years", () => {
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 4)).toBe(30);
    expect(daysInMonth(2023, 12)).toBe(31);
  });

  it.each([
    ["agt", 8],
    ["ags", 8],
    ["okt", 10],
    ["des", 12],
    ["nopember", 11],
    ["septmber", 9],
    ["Januari", 1],
    ["ju", undefined],
    ["jun", 6],
    ["jul", 7],
    ["gianyar", undefined],
  ])("monthOf(%j) = %s", (word, m) => {
    expect(monthOf(word)).toBe(m);
  });

  it("finds today in the office's zone", () => {
    expect(todayIn(new Date("2025-06-14T16:30:00Z"))).toEqual({ y: 2025, m: 6, d: 15 });
    expect(todayIn(new Date("2025-06-14T16:30:00Z"), "UTC")).toEqual({ y: 2025, m: 6, d: 14 });
  });
});

describe("parseDate properties", () => {
  const dates = fc
    .record({ y: fc.integer({ min: 1900, max: 2024 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
    .filter(({ y, m, d }) => d <= daysInMonth(y, m));
  const pad = (n: number) => String(n).padStart(2, "0");

  it("reads back any real past date written DD-MM-YYYY, D/M/YYYY, DDMMYYYY or ISO", () => {
    fc.assert(
      fc.property(dates, ({ y, m, d }) => {
        const iso = `${y}-${pad(m)}-${pad(d)}`;
        for (const s of [`${pad(d)}-${pad(m)}-${y}`, `${d}/${m}/${y}`, `${pad(d)}${pad(m)}${y}`, iso, `${d}.${m}.${y}`]) {
          expect(parseDate(s, { now, past: true })).toMatchObject({ ok: true, value: iso });
        }
      }),
    );
  });

  it("reads back its own display in both languages", () => {
    fc.assert(
      fc.property(dates, fc.constantFrom(...LANGS), ({ y, m, d }, lang) => {
        const iso = `${y}-${pad(m)}-${pad(d)}`;
        const r = parseDate(iso, { now }, lang);
        expect(r.ok).toBe(true);
        if (r.ok) expect(parseDate(r.display, { now }, lang)).toMatchObject({ ok: true, value: iso });
      }),
    );
  });

  it("with past, a two-digit year is never after today and within a century of it", () => {
    fc.assert(
      fc.property(dates, ({ y, m, d }) => {
        const r = parseDate(`${pad(d)}-${pad(m)}-${pad(y % 100)}`, { now, past: true });
        if (r.ok) {
          expect(r.value <= "2025-06-15").toBe(true);
          expect(r.value > "1925-06-15").toBe(true);
        } else {
          expect(r.error).toBe("q.date.impossible");
        }
      }),
    );
  });
});

describe("parseDate on very long input", () => {
  it("refuses 10 000 characters quickly", () => {
    expect(parseDate("1".repeat(10_000), { now })).toMatchObject({ ok: false, error: "q.date.invalid" });
    expect(parseDate("a".repeat(10_000), { now })).toMatchObject({ ok: false, error: "q.date.invalid" });
    expect(parseDate("agustus ".repeat(1_250), { now })).toMatchObject({ ok: false, error: "q.date.invalid" });
  });
});
