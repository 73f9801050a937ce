import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseChoice, parseMultiChoice, readOptionNumber } from "./choice.js";
import type { ChoiceOption } from "./types.js";

/** The consultant areas of the office, as a router question would offer them. */
const AREAS: ChoiceOption[] = [
  { id: "kelembagaan", label: "Kelembagaan", synonyms: ["koperasi"] },
  { id: "sdm", label: "SDM", synonyms: ["sumber daya manusia", "karyawan"] },
  { id: "produksi", label: "Produksi", synonyms: ["kemasan", "packaging"] },
  { id: "pemasaran", label: "Promosi dan pemasaran", synonyms: ["marketing", "jualan online"] },
  { id: "pembiayaan", label: "Pembiayaan", synonyms: ["modal", "KUR", "pinjaman"] },
  { id: "pelatihan", label: "Pelatihan dan pengembangan" },
  { id: "perizinan", label: "Perizinan", synonyms: ["NIB", "PIRT", "halal"] },
];

const SEX: ChoiceOption[] = [
  { id: "L", label: "Laki-laki", synonyms: ["pria", "cowok", "male"] },
  { id: "P", label: "Perempuan", synonyms: ["wanita", "cewek", "female"] },
];

describe("parseChoice", () => {
  it.each([
    ["2", "sdm"],
    ["2.", "sdm"],
    ["2)", "sdm"],
    [" 2 ", "sdm"],
    ["no 2", "sdm"],
    ["No. 2", "sdm"],
    ["nomor 2", "sdm"],
    ["nmr 2", "sdm"],
    ["pilih 2", "sdm"],
    ["yang ke-2", "sdm"],
    ["yg kedua", "sdm"],
    ["ke2", "sdm"],
    ["#2", "sdm"],
    ["2️⃣", "sdm"],
    ["2 aja kak", "sdm"],
    ["dua", "sdm"],
    ["sdm", "sdm"],
    ["SDM", "sdm"],
    ["Sumber Daya Manusia", "sdm"],
    ["pemasaran", "pemasaran"],
    ["Promosi dan pemasaran", "pemasaran"],
    ["PROMOSI", "pemasaran"],
    ["pemasran", "pemasaran"],
    ["pemasarann", "pemasaran"],
    ["marketng", "pemasaran"],
    ["jualan online", "pemasaran"],
    ["pemb", "pembiayaan"],
    ["pembiayan", "pembiayaan"],
    ["kur", "pembiayaan"],
    ["modal usaha", "pembiayaan"],
    ["yang pembiayaan aja kak", "pembiayaan"],
    ["pelatihan", "pelatihan"],
    ["pengembangan", "pelatihan"],
    ["koperasi ya", "kelembagaan"],
    ["nib", "perizinan"],
    ["perizinan usaha", "perizinan"],
    ["perijinan", "perizinan"],
    ["kelembagaan 🙏", "kelembagaan"],
  ])("%j -> %s", (input, id) => {
    const r = parseChoice(input, AREAS);
    expect(r).toMatchObject({ ok: true, value: id });
    if (r.ok) expect(r.display).toBe(AREAS.find((o) => o.id === id)?.label);
  });

  it.each([
    ["Perempuan", "P"],
    ["perempuan", "P"],
    ["perem", "P"],
    ["prempuan", "P"],
    ["wanita", "P"],
    ["P", "P"],
    ["p", "P"],
    ["L", "L"],
    ["laki laki", "L"],
    ["laki", "L"],
    ["Laki-Laki", "L"],
    ["lakilaki", "L"],
    ["pria", "L"],
    ["1", "L"],
  ])("sex %j -> %s", (input, id) => {
    expect(parseChoice(input, SEX)).toMatchObject({ ok: true, value: id });
  });

  it("matches ignoring diacritics", () => {
    const opts = [
      { id: "cafe", label: "Café" },
      { id: "resto", label: "Restoran" },
    ];
    expect(parseChoice("cafe", opts)).toMatchObject({ ok: true, value: "cafe" });
    expect(parseChoice("CAFÉ", opts)).toMatchObject({ ok: true, value: "cafe" });
  });

  it("reads a number that is also an option's label as that option", () => {
    const years = [
      { id: "y1", label: "2023" },
      { id: "y2", label: "2024" },
    ];
    expect(parseChoice("2024", years)).toMatchObject({ ok: true, value: "y2" });
    expect(parseChoice("2", years)).toMatchObject({ ok: true, value: "y2" });
  });

  it("says which options an ambiguous answer could be", () => {
    expect(parseChoice("pem", AREAS)).toEqual({
      ok: false,
      error: "q.choice.ambiguous",
      params: { answer: "pem", candidates: "Promosi dan pemasaran, Pembiayaan", example: "Promosi dan pemasaran" },
    });
    expect(parseChoice("pe", AREAS)).toMatchObject({ ok: false, error: "q.choice.unknown" });
  });

  it.each([
    ["xyz", "q.choice.unknown"],
    ["tidak tahu", "q.choice.unknown"],
    ["😀", "q.choice.empty"],
    ["", "q.choice.empty"],
    ["   ", "q.choice.empty"],
    ["0", "q.choice.out_of_range"],
    ["8", "q.choice.out_of_range"],
    ["nomor 99", "q.choice.out_of_range"],
  ])("%j -> %s", (input, error) => {
    expect(parseChoice(input, AREAS)).toMatchObject({ ok: false, error, params: { count: 7 } });
  });
});

describe("parseMultiChoice", () => {
  it.each([
    ["1,3", ["kelembagaan", "produksi"]],
    ["1, 3", ["kelembagaan", "produksi"]],
    ["1 dan 3", ["kelembagaan", "produksi"]],
    ["1 3", ["kelembagaan", "produksi"]],
    ["1;3", ["kelembagaan", "produksi"]],
    ["1, 3 & 5", ["kelembagaan", "produksi", "pembiayaan"]],
    ["3,1", ["kelembagaan", "produksi"]],
    ["1,1,3,3", ["kelembagaan", "produksi"]],
    ["1-3", ["kelembagaan", "sdm", "produksi"]],
    ["1 sampai 3", ["kelembagaan", "sdm", "produksi"]],
    ["no 2 dan no 4", ["sdm", "pemasaran"]],
    ["pemasaran, pembiayaan", ["pemasaran", "pembiayaan"]],
    ["pemasaran dan pembiayaan", ["pemasaran", "pembiayaan"]],
    ["Pembiayaan & pemasaran", ["pemasaran", "pembiayaan"]],
    ["Promosi dan pemasaran", ["pemasaran"]],
    ["Promosi dan pemasaran, Pelatihan dan pengembangan", ["pemasaran", "pelatihan"]],
    ["pelatihan dan pemasaran", ["pemasaran", "pelatihan"]],
    ["modal\nkemasan", ["produksi", "pembiayaan"]],
    ["2, pemasaran", ["sdm", "pemasaran"]],
    ["sdm serta nib", ["sdm", "perizinan"]],
    ["semua", AREAS.map((o) => o.id)],
    ["Semuanya", AREAS.map((o) => o.id)],
    ["all", AREAS.map((o) => o.id)],
  ])("%j -> %j", (input, ids) => {
    expect(parseMultiChoice(input, AREAS)).toMatchObject({ ok: true, value: ids });
  });

  it("shows the labels in option order", () => {
    expect(parseMultiChoice("5, 1", AREAS)).toEqual({ ok: true, value: ["kelembagaan", "pembiayaan"], display: "Kelembagaan, Pembiayaan" });
  });

  it("takes 'tidak ada' as none only when none is allowed", () => {
    expect(parseMultiChoice("tidak ada", AREAS, { min: 0 })).toEqual({ ok: true, value: [], display: "" });
    expect(parseMultiChoice("tidak ada", AREAS)).toEqual({ ok: false, error: "q.choice.too_few", params: { min: 1, count: 0 } });
  });

  it("checks min and max", () => {
    expect(parseMultiChoice("1", AREAS, { min: 2 })).toEqual({ ok: false, error: "q.choice.too_few", params: { min: 2, count: 1 } });
    expect(parseMultiChoice("1,2,3", AREAS, { max: 2 })).toEqual({ ok: false, error: "q.choice.too_many", params: { max: 2, count: 3 } });
    expect(parseMultiChoice("semua", AREAS, { max: 3 })).toMatchObject({ ok: false, error: "q.choice.too_many" });
  });

  it.each([
    ["1, xyz", "q.choice.unknown"],
    ["1, 9", "q.choice.out_of_range"],
    ["pem", "q.choice.ambiguous"],
    ["", "q.choice.empty"],
    [" , ; ", "q.choice.empty"],
  ])("%j -> %s", (input, error) => {
    expect(parseMultiChoice(input, AREAS)).toMatchObject({ ok: false, error });
  });
});

describe("readOptionNumber", () => {
  it.each([
    ["3", 3],
    ["nomor 3", 3],
    ["yang ketiga", 3],
    ["tiga", 3],
    ["3 ya", 3],
    ["3 dan 4", undefined],
    ["pemasaran", undefined],
    ["3 pemasaran", undefined],
  ])("%j -> %s", (input, n) => {
    expect(readOptionNumber(input)).toBe(n);
  });
});

describe("choice properties", () => {
  const labels = fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z]{3,9}$/), {
    minLength: 2,
    maxLength: 9,
    selector: (s) => s.toLowerCase(),
  });

  it("every option is found by its number, its id and its exact label", () => {
    fc.assert(
      fc.property(labels, (ls) => {
        const options = ls.map((label, i) => ({ id: `opt${i}`, label }));
        options.forEach((o, i) => {
          expect(parseChoice(String(i + 1), options)).toMatchObject({ ok: true, value: o.id });
          expect(parseChoice(o.label, options)).toMatchObject({ ok: true, value: o.id });
          expect(parseChoice(o.label.toUpperCase(), options)).toMatchObject({ ok: true, value: o.id });
          expect(parseChoice(o.id, options)).toMatchObject({ ok: true, value: o.id });
        });
      }),
    );
  });

  it("any set of numbers comes back as those options, once each, in order", () => {
    fc.assert(
      fc.property(labels, fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), fc.constantFrom(", ", " dan ", " ", ",", " & "), (ls, picks, sep) => {
        const options = ls.map((label, i) => ({ id: `opt${i}`, label }));
        const nums = picks.map((p) => (p % options.length) + 1);
        const expected = [...new Set(nums)].sort((a, b) => a - b).map((n) => `opt${n - 1}`);
        expect(parseMultiChoice(nums.join(sep), options)).toMatchObject({ ok: true, value: expected });
      }),
    );
  });
});

describe("choices on very long input", () => {
  it("refuses 10 000 characters quickly", () => {
    expect(parseChoice("a".repeat(10_000), AREAS)).toMatchObject({ ok: false, error: "q.choice.unknown" });
    expect(parseMultiChoice("1".repeat(10_000), AREAS)).toMatchObject({ ok: false, error: "q.choice.unknown" });
    expect(parseMultiChoice("1, ".repeat(3_000), AREAS)).toMatchObject({ ok: true, value: ["kelembagaan"] });
  });
});
