import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysInMonth } from "./date.js";
import { PROVINCE_CODES, describeNik, formatNik, maskNik, parseNik } from "./nik.js";

const now = new Date("2025-06-15T10:00:00+08:00");

describe("parseNik", () => {
  it.each([
    ["5104011708900001", "5104011708900001"],
    ["5104 0117 0890 0001", "5104011708900001"],
    ["51.04.01.170890.0001", "5104011708900001"],
    ["51-04-01-170890-0001", "5104011708900001"],
    ["510401 170890 0001", "5104011708900001"],
    ["NIK: 5104011708900001", "5104011708900001"],
    ["nik saya 5104011708900001 ya", "5104011708900001"],
    ["  5104011708900001\n", "5104011708900001"],
    ["５１０４０１１７０８９００００１", "5104011708900001"],
    ["5104015708900002", "5104015708900002"],
    ["3174094107050003", "3174094107050003"],
    ["1101010101000001", "1101010101000001"],
    ["9601011708900001", "9601011708900001"],
    ["9701011708900001", "9701011708900001"],
    ["5104012902000001", "5104012902000001"],
    ["5104016902000001", "5104016902000001"],
  ])("%j -> %s", (input, nik) => {
    expect(parseNik(input, { now })).toEqual({ ok: true, value: nik, display: formatNik(nik) });
  });

  it("groups the display in fours", () => {
    expect(parseNik("5104011708900001", { now })).toMatchObject({ display: "5104 0117 0890 0001" });
  });

  it.each([
    ["", "q.nik.empty", undefined],
    ["   ", "q.nik.empty", undefined],
    ["abc", "q.nik.not_digits", undefined],
    ["👍", "q.nik.not_digits", undefined],
    ["51040117089000O1", "q.nik.not_digits", undefined],
    ["5104011708900001a", "q.nik.not_digits", undefined],
    ["5104/0117/0890/0001", "q.nik.not_digits", undefined],
    ["510401170890000", "q.nik.length", { length: 15 }],
    ["51040117089000011", "q.nik.length", { length: 17 }],
    ["5104", "q.nik.length", { length: 4 }],
    ["9904011708900001", "q.nik.province", { code: "99" }],
    ["0004011708900001", "q.nik.province", { code: "00" }],
    ["2004011708900001", "q.nik.province", { code: "20" }],
    ["5404011708900001", "q.nik.province", { code: "54" }],
    ["9804011708900001", "q.nik.province", { code: "98" }],
    ["5100011708900001", "q.nik.regency", undefined],
    ["5104001708900001", "q.nik.district", undefined],
    ["5104010008900001", "q.nik.birthdate", undefined],
    ["5104013208900001", "q.nik.birthdate", undefined],
    ["5104014008900001", "q.nik.birthdate", undefined],
    ["5104017208900001", "q.nik.birthdate", undefined],
    ["5104011700900001", "q.nik.birthdate", undefined],
    ["5104011713900001", "q.nik.birthdate", undefined],
    ["5104013102900001", "q.nik.birthdate", undefined],
    ["5104013104900001", "q.nik.birthdate", undefined],
    ["5104012902010001", "q.nik.birthdate", undefined],
    ["5104016902010001", "q.nik.birthdate", undefined],
    ["5104011708900000", "q.nik.serial", undefined],
  ])("%j -> %s", (input, error, params) => {
    const r = parseNik(input, { now });
    expect(r).toMatchObject({ ok: false, error });
    if (params) expect(r).toMatchObject({ params });
  });

  it("refuses 10 000 characters", () => {
    expect(parseNik("1".repeat(10_000), { now })).toEqual({ ok: false, error: "q.nik.length", params: { length: 10_000 } });
    expect(parseNik("x".repeat(10_000), { now })).toEqual({ ok: false, error: "q.nik.not_digits" });
  });

  it("checks agreement with the birth date and sex given earlier, naming the part that differs", () => {
    const nik = "5104015708900002"; // a woman born 17-08-90
    expect(parseNik(nik, { now, birthDate: "1990-08-17", sex: "P" })).toMatchObject({ ok: true });
    expect(parseNik(nik, { now, sex: "L" })).toEqual({ ok: false, error: "q.nik.sex_mismatch" });
    expect(parseNik(nik, { now, birthDate: "1990-08-18" })).toEqual({
      ok: false,
      error: "q.nik.birthdate_mismatch",
      params: { nikDate: "17-08-90" },
    });
    expect(parseNik(nik, { now, birthDate: "1991-08-17" })).toMatchObject({ error: "q.nik.birthdate_mismatch" });
    expect(parseNik(nik, { now, birthDate: "1990-07-17" })).toMatchObject({ error: "q.nik.birthdate_mismatch" });
    // Only DDMMYY is in the NIK: a birth date a century apart agrees with it.
    expect(parseNik("5104011708250001", { now, birthDate: "1925-08-17", sex: "L" })).toMatchObject({ ok: true });
    // A birth-date disagreement is reported before a sex disagreement.
    expect(parseNik(nik, { now, birthDate: "1990-08-18", sex: "L" })).toMatchObject({ error: "q.nik.birthdate_mismatch" });
  });
});

describe("describeNik", () => {
  it("splits a NIK into its parts", () => {
    expect(describeNik("5104015708900002", now)).toEqual({
      provinceCode: "51",
      regencyCode: "5104",
      districtCode: "510401",
      birthDate: "1990-08-17",
      sex: "P",
      serial: "0002",
    });
    expect(describeNik("5104011708050001", now)).toMatchObject({ birthDate: "2005-08-17", sex: "L" });
    expect(describeNik("5104011508250001", now)).toMatchObject({ birthDate: "1925-08-15" });
    expect(describeNik("5104011506250001", now)).toMatchObject({ birthDate: "2025-06-15" });
  });

  it("refuses what is not 16 digits", () => {
    expect(() => describeNik("5104", now)).toThrow();
  });
});

describe("maskNik", () => {
  it.each([
    ["5104011708900001", "5104********0001"],
    ["5104 0117 0890 0001", "5104********0001"],
    ["12345678", "********"],
    ["123456789", "1234*6789"],
    ["", ""],
  ])("%j -> %s", (input, masked) => {
    expect(maskNik(input)).toBe(masked);
  });
});

describe("NIK properties", () => {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const parts = fc
    .record({
      province: fc.constantFrom(...PROVINCE_CODES),
      regency: fc.integer({ min: 1, max: 99 }),
      district: fc.integer({ min: 1, max: 99 }),
      y: fc.integer({ min: 1926, max: 2024 }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 31 }),
      sex: fc.constantFrom("L", "P") as fc.Arbitrary<"L" | "P">,
      serial: fc.integer({ min: 1, max: 9999 }),
      spacing: fc.constantFrom("", " ", ".", "-"),
    })
    .filter((p) => p.d <= daysInMonth(p.y, p.m));

  it("any NIK built from valid parts parses, and describeNik gives the parts back", () => {
    fc.assert(
      fc.property(parts, (p) => {
        const day = p.sex === "P" ? p.d + 40 : p.d;
        const nik = `${p.province}${pad(p.regency)}${pad(p.district)}${pad(day)}${pad(p.m)}${pad(p.y % 100)}${pad(p.serial, 4)}`;
        const typed = nik.replace(/(\d{4})(?=\d)/g, `$1${p.spacing}`);
        const birthDate = `${p.y}-${pad(p.m)}-${pad(p.d)}`;
        expect(parseNik(typed, { now, birthDate, sex: p.sex })).toEqual({ ok: true, value: nik, display: formatNik(nik) });
        expect(describeNik(nik, now)).toEqual({
          provinceCode: p.province,
          regencyCode: `${p.province}${pad(p.regency)}`,
          districtCode: `${p.province}${pad(p.regency)}${pad(p.district)}`,
          birthDate,
          sex: p.sex,
          serial: pad(p.serial, 4),
        });
        expect(maskNik(nik)).toBe(`${nik.slice(0, 4)}********${nik.slice(12)}`);
      }),
    );
  });

  it("never throws on any input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        expect(typeof parseNik(s, { now }).ok).toBe("boolean");
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{16}$/), (s) => {
        expect(typeof parseNik(s, { now }).ok).toBe("boolean");
      }),
    );
  });
});
