import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatRupiah } from "./format.js";
import { parseDigitString, parseNumber } from "./number.js";

describe("parseNumber: amounts as clients type them", () => {
  it.each([
    ["1,5 juta", 1_500_000],
    ["1.5jt", 1_500_000],
    ["1,5jt", 1_500_000],
    ["Rp 2.000.000", 2_000_000],
    ["Rp. 2.000.000,-", 2_000_000],
    ["rp2.000.000", 2_000_000],
    ["2jt", 2_000_000],
    ["2 JT", 2_000_000],
    ["2 juta 500 ribu", 2_500_000],
    ["2jt 500rb", 2_500_000],
    ["250rb", 250_000],
    ["250 rebu", 250_000],
    ["250 ribu", 250_000],
    ["250k", 250_000],
    ["2.500", 2_500],
    ["2,5", 2.5],
    ["1.000.000,50", 1_000_000.5],
    ["15", 15],
    ["Rp2jt", 2_000_000],
    ["± 3 juta", 3_000_000],
    ["+- 3jt", 3_000_000],
    ["+/- 3 juta", 3_000_000],
    ["~3jt", 3_000_000],
    ["sekitar 10 juta", 10_000_000],
    ["kira-kira 10 juta per bulan", 10_000_000],
    ["omzet sebulan kurang lebih 7,5jt", 7_500_000],
    ["1 miliar", 1_000_000_000],
    ["1,2 M", 1_200_000_000],
    ["1,2 milyar", 1_200_000_000],
    ["2 m", 2_000_000_000],
    ["sejuta", 1_000_000],
    ["seribu", 1_000],
    ["setengah juta", 500_000],
    ["satu setengah juta", 1_500_000],
    ["2 juta setengah", 2_500_000],
    ["dua ratus ribu", 200_000],
    ["lima puluh ribu", 50_000],
    ["dua belas juta", 12_000_000],
    ["seratus ribu", 100_000],
    ["2jt500", 2_500_000],
    ["2 juta 500", 2_500_000],
    ["5 ribu 500", 5_500],
    ["1 juta 2 ratus ribu", 1_200_000],
    ["12jt an", 12_000_000],
    ["2 000 000", 2_000_000],
    ["1,000,000.50", 1_000_000.5],
    ["1,000,000", 1_000_000],
    ["0", 0],
    ["nol", 0],
    ["3 orang", 3],
    ["ada 3 karyawan", 3],
    ["-5", -5],
    ["minus 5", -5],
    ["１５", 15],
    ["  10   JUTA  ", 10_000_000],
    ["10 juta 😊", 10_000_000],
    ["Rp 1.500.000 /bln", 1_500_000],
    ["1.234.567", 1_234_567],
    ["0,75", 0.75],
    ["1.1jt", 1_100_000],
  ])("%j -> %d", (input, expected) => {
    const r = parseNumber(input);
    expect(r).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    ["", "q.number.empty"],
    ["   ", "q.number.empty"],
    ["\n\t", "q.number.empty"],
    ["abc", "q.number.invalid"],
    ["tidak tahu", "q.number.invalid"],
    ["juta", "q.number.invalid"],
    ["👍", "q.number.invalid"],
    ["1.2.3", "q.number.invalid"],
    ["1.50.000", "q.number.invalid"],
    ["500 ribu 2 juta", "q.number.invalid"],
    ["2 anak 3 cucu", "q.number.invalid"],
    ["5-10 juta", "q.number.range"],
    ["5 sampai 10 juta", "q.number.range"],
    ["5 s/d 10 jt", "q.number.range"],
    ["antara 5 dan 10 juta", "q.number.range"],
  ])("%j -> %s", (input, error) => {
    expect(parseNumber(input)).toMatchObject({ ok: false, error });
  });

  it("displays Rupiah for currency and id-ID numbers otherwise", () => {
    expect(parseNumber("1,5 juta", { currency: true })).toEqual({ ok: true, value: 1_500_000, display: "Rp 1.500.000" });
    expect(parseNumber("1.000.000,50", { currency: true })).toEqual({ ok: true, value: 1_000_000.5, display: "Rp 1.000.000,50" });
    expect(parseNumber("1234567,5")).toEqual({ ok: true, value: 1_234_567.5, display: "1.234.567,5" });
    expect(parseNumber("1234567,5", { lang: "en" })).toMatchObject({ display: "1,234,567.5" });
    expect(parseNumber("2jt", { currency: true, lang: "en" })).toMatchObject({ display: "Rp 2.000.000" });
  });

  it("reads a lone comma with three digits as thousands for money, as a decimal otherwise", () => {
    expect(parseNumber("2,500", { currency: true })).toMatchObject({ value: 2_500 });
    expect(parseNumber("2,500", { integer: true })).toMatchObject({ value: 2_500 });
    expect(parseNumber("2,500")).toMatchObject({ value: 2.5 });
    expect(parseNumber("1,500 juta", { currency: true })).toMatchObject({ value: 1_500_000 });
  });

  it("checks min, max and integer with the limits formatted for the text", () => {
    expect(parseNumber("500rb", { currency: true, min: 1_000_000 })).toEqual({
      ok: false,
      error: "q.money.too_small",
      params: { min: "Rp 1.000.000" },
    });
    expect(parseNumber("15 M", { currency: true, max: 50_000_000_000 })).toMatchObject({ ok: true });
    expect(parseNumber("100 M", { currency: true, max: 50_000_000_000 })).toEqual({
      ok: false,
      error: "q.money.too_large",
      params: { max: "Rp 50.000.000.000" },
    });
    expect(parseNumber("2,5", { integer: true })).toMatchObject({ ok: false, error: "q.count.not_integer" });
    expect(parseNumber("-1", { min: 0 })).toMatchObject({ ok: false, error: "q.number.too_small", params: { min: "0" } });
    expect(parseNumber("3", { integer: true, min: 0, max: 1000 })).toEqual({ ok: true, value: 3, display: "3" });
    expect(parseNumber("1.5jt", { integer: true })).toMatchObject({ ok: true, value: 1_500_000 });
  });

  it("keeps at most two decimals of Rupiah", () => {
    expect(parseNumber("1,239", { currency: true })).toMatchObject({ value: 1239 });
    expect(parseNumber("0,555", { currency: true })).toMatchObject({ value: 0.56 });
  });
});

describe("parseNumber forgives money, years and counts as owners write them", () => {
  it.each([
    ["8jt", 8_000_000],
    ["8 jt", 8_000_000],
    ["kira2 15jt", 15_000_000],
    ["kira-kira 15 jt", 15_000_000],
    ["sekitar 15 juta", 15_000_000],
    ["1,5M", 1_500_000_000],
    ["15-20 juta", 17_500_000],
    ["15 - 20jt", 17_500_000],
    ["15 sampai 20 jt", 17_500_000],
    ["kira2 15-20jt", 17_500_000],
    ["500rb-1jt", 750_000],
    ["20-15 juta", 17_500_000],
  ])("money %j -> %d (a range is read as its middle)", (input, value) => {
    expect(parseNumber(input, { currency: true })).toMatchObject({ ok: true, value });
  });

  it("reads a year as written or counted back, and a count of one as 'sendiri'", () => {
    const year = { kind: "year" as const, currentYear: 2026, min: 1945, max: 2026 };
    expect(parseNumber("2015", year)).toEqual({ ok: true, value: 2015, display: "2015" });
    expect(parseNumber("10 tahun lalu", year)).toMatchObject({ value: 2016 });
    expect(parseNumber("sejak 5 thn yg lalu", year)).toMatchObject({ value: 2021 });
    expect(parseNumber("tahun lalu", year)).toMatchObject({ value: 2025 });
    expect(parseNumber("dua tahun lalu", year)).toMatchObject({ value: 2024 });
    expect(parseNumber("sendiri", { integer: true, min: 1 })).toMatchObject({ ok: true, value: 1 });
    expect(parseNumber("saya sendiri", { integer: true, min: 1 })).toMatchObject({ ok: true, value: 1 });
  });

  it("keys every error by what is asked, so the example fits: a year, a count, money", () => {
    const year = { kind: "year" as const, currentYear: 2026, min: 1945, max: 2026 };
    expect(parseNumber("abc", year)).toMatchObject({ error: "q.year.invalid" });
    expect(parseNumber("2030", year)).toMatchObject({ error: "q.year.too_large", params: { max: "2026" } });
    expect(parseNumber("2010-2012", year)).toMatchObject({ error: "q.year.range" });
    expect(parseNumber("banyak", { integer: true })).toMatchObject({ error: "q.count.invalid" });
    expect(parseNumber("3-4 orang", { integer: true })).toMatchObject({ error: "q.count.range" });
    expect(parseNumber("banyak", { currency: true })).toMatchObject({ error: "q.money.invalid" });
    expect(parseNumber("banyak")).toMatchObject({ error: "q.number.invalid" });
  });
});

describe("parseNumber properties of the forgiving forms", () => {
  it("reads any range of juta as its middle, in either order and with any joiner", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 900 }), fc.integer({ min: 1, max: 900 }), fc.constantFrom("-", " - ", " sampai ", " s/d ", " hingga "), fc.constantFrom("juta", "jt", " jt"), (a, b, join, unit) => {
        const r = parseNumber(`${a}${join}${b} ${unit}`, { currency: true });
        expect(r).toMatchObject({ ok: true, value: ((a + b) / 2) * 1_000_000 });
      }),
    );
  });

  it("reads 'N tahun lalu' as this year less N, never after this year", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 2000, max: 2100 }), (n, currentYear) => {
        expect(parseNumber(`${n} tahun lalu`, { kind: "year", currentYear, max: currentYear })).toMatchObject({ ok: true, value: currentYear - n });
      }),
    );
  });

  it("reads an amount the same with 'kira2', 'sekitar' or '±' before it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.constantFrom("kira2 ", "kira-kira ", "sekitar ", "± ", "+- ", "kurang lebih "), (n, about) => {
        expect(parseNumber(`${about}${n}jt`, { currency: true })).toMatchObject({ ok: true, value: n * 1_000_000 });
      }),
    );
  });
});

describe("parseDigitString", () => {
  it.each([
    ["2.500", false, false, 2500],
    ["2,5", false, false, 2.5],
    ["1.5", true, false, 1.5],
    ["1.000.000,50", false, false, 1_000_000.5],
    ["1,000,000.50", false, false, 1_000_000.5],
    ["12", false, false, 12],
    ["1.2.3", false, false, undefined],
    ["1,2,3", false, false, undefined],
    ["1,000.000,5", false, false, undefined],
    ["0.500", false, false, 0.5],
    ["0,500", false, true, 0.5],
  ] as const)("%s (unit %s, money %s) -> %s", (raw, unit, money, expected) => {
    expect(parseDigitString(raw, unit, money)).toBe(expected);
  });
});

describe("parseNumber properties", () => {
  it("reads back any integer written with id-ID separators", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
        const written = new Intl.NumberFormat("id-ID").format(n);
        expect(parseNumber(written)).toMatchObject({ ok: true, value: n });
        expect(parseNumber(written, { currency: true })).toMatchObject({ ok: true, value: n });
      }),
    );
  });

  it("reads back its own Rupiah display", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (n) => {
        const r = parseNumber(formatRupiah(n), { currency: true });
        expect(r).toMatchObject({ ok: true, value: n, display: formatRupiah(n) });
      }),
    );
  });

  it("reads N juta and N,d juta for any N", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 9 }), (n, d) => {
        expect(parseNumber(`${n} juta`)).toMatchObject({ value: n * 1_000_000 });
        expect(parseNumber(`${n},${d}jt`)).toMatchObject({ value: n * 1_000_000 + d * 100_000 });
      }),
    );
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = parseNumber(s, { currency: true });
        expect(typeof r.ok).toBe("boolean");
      }),
    );
  });
});

describe("parseNumber on very long input", () => {
  it("refuses 10 000 characters quickly", () => {
    expect(parseNumber("1".repeat(10_000))).toMatchObject({ ok: false, error: "q.number.invalid" });
    expect(parseNumber("a".repeat(10_000))).toMatchObject({ ok: false, error: "q.number.invalid" });
    expect(parseNumber("1.".repeat(5_000))).toMatchObject({ ok: false, error: "q.number.invalid" });
    expect(parseNumber(`${"kata ".repeat(2_000)}5 juta`)).toMatchObject({ ok: true, value: 5_000_000 });
  });
});
