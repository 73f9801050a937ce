import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../../shared/fold.js";
import { compact, damerauLevenshtein, matchTerms, squeeze, stripAround, typoBudget } from "./fuzzy.js";

describe("fold and friends", () => {
  it.each([
    ["  Café  ÜBUD ", "cafe ubud"],
    ["Kec. Sukawati, Gianyar!", "kec sukawati gianyar"],
    ["yang ke-2", "yang ke 2"],
    ["👍 oke 👍", "oke"],
    ["２", "2"],
    ["", ""],
  ])("fold(%j) = %j", (input, out) => {
    expect(fold(input)).toBe(out);
  });

  it("compacts and squeezes", () => {
    expect(compact("Tegal Lalang")).toBe("tegallalang");
    expect(squeeze("iyaaa")).toBe("iya");
    expect(squeeze("okeeee")).toBe("oke");
  });

  it.each([
    ["0812 ya", "0812"],
    ["0812.", "0812"],
    ["0812a", undefined],
    ["abc", undefined],
    ["0812 3456", "0812 3456"],
  ])("stripAround(%j) = %j", (input, out) => {
    expect(stripAround(input)).toBe(out);
  });
});

describe("damerauLevenshtein", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["sukawati", "sukawati", 0],
    ["sukawati", "sukawti", 1],
    ["gmial", "gmail", 1],
    ["ca", "abc", 3],
    ["pemasaran", "pemasran", 1],
    ["kitten", "sitting", 3],
    ["😀a", "a😀", 1],
  ])("%j vs %j = %d", (a, b, d) => {
    expect(damerauLevenshtein(a, b)).toBe(d);
  });

  it("stops early past its limit", () => {
    expect(damerauLevenshtein("a".repeat(10_000), "b".repeat(10_000), 2)).toBe(3);
    expect(damerauLevenshtein("a".repeat(10_000), "a", 3)).toBe(4);
  });

  it("is a distance: zero on equals, symmetric, at most the longer length, one per swap", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = damerauLevenshtein(a, b);
        expect(damerauLevenshtein(a, a)).toBe(0);
        expect(damerauLevenshtein(b, a)).toBe(d);
        expect(d).toBeLessThanOrEqual(Math.max(Array.from(a).length, Array.from(b).length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(Array.from(a).length - Array.from(b).length));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{2,12}$/), fc.nat(), (s, at) => {
        const i = at % (s.length - 1);
        if (s[i] === s[i + 1]) return;
        const swapped = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
        expect(damerauLevenshtein(s, swapped)).toBe(1);
      }),
    );
  });

  it("scales the typo allowance with length", () => {
    expect([3, 4, 5, 6, 9, 10, 20].map(typoBudget)).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });
});

describe("matchTerms", () => {
  const entries = [
    { id: "a", terms: ["Pejeng"] },
    { id: "b", terms: ["Pejeng Kaja"] },
    { id: "c", terms: ["Pejeng Kawan"] },
    { id: "d", terms: ["Mas"] },
  ];
  it.each([
    ["pejeng", { kind: "one", id: "a", tier: "exact" }],
    ["PEJENG KAJA", { kind: "one", id: "b", tier: "exact" }],
    ["pejengkaja", { kind: "one", id: "b", tier: "exact" }],
    ["pejeng kaw", { kind: "one", id: "c", tier: "prefix" }],
    ["kaja", { kind: "one", id: "b", tier: "prefix" }],
    ["pejeng ka", { kind: "many", ids: ["b", "c"], tier: "prefix" }],
    ["pejeng kwan", { kind: "one", id: "c", tier: "fuzzy" }],
    ["di mas aja", { kind: "one", id: "d", tier: "contains" }],
    ["ma", { kind: "none" }],
    ["mad", { kind: "none" }],
  ] as const)("%j -> %j", (input, result) => {
    expect(matchTerms(input, entries)).toEqual(result);
  });
});
