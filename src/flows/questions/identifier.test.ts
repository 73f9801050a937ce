import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIdentifier } from "./identifier.js";

const NIB = { digits: 13, example: "9120001234567" };
const MEMBER = { example: "PLUT-GIA-0123" };

describe("parseIdentifier: the NIB (13 digits)", () => {
  it.each([
    ["9120001234567", "9120001234567"],
    ["9120 0012 34567", "9120001234567"],
    ["9120.001.234.567", "9120001234567"],
    ["NIB: 9120001234567", "9120001234567"],
    ["nomor 9120-0012-34567", "9120001234567"],
  ])("%j -> %s", (input, number) => {
    expect(parseIdentifier(input, NIB)).toEqual({ ok: true, value: { number }, display: number });
  });

  it.each([
    ["lupa nomornya", "forgot"],
    ["Lupa", "forgot"],
    ["ga inget pak", "forgot"],
    ["nggak hafal", "forgot"],
    ["belum punya", "none"],
    ["blm punya", "none"],
    ["belum ada", "none"],
    ["tidak ada", "none"],
    ["belum", "none"],
  ])("%j is an answer of its own (%s), never a number", (input, why) => {
    expect(parseIdentifier(input, NIB)).toMatchObject({ ok: true, value: { none: why } });
  });

  it("says how many digits it needs, with the question's own example", () => {
    expect(parseIdentifier("912000123", NIB)).toEqual({ ok: false, error: "q.identifier.digits", params: { digits: 13, length: 9, example: "9120001234567" } });
    expect(parseIdentifier("NIB saya abc123", NIB)).toMatchObject({ ok: false, error: "q.identifier.not_digits" });
    expect(parseIdentifier("", NIB)).toMatchObject({ ok: false, error: "q.identifier.empty", params: { example: "9120001234567" } });
  });

  it("takes any 13 digits however they are grouped, and refuses any other count", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 20 }), fc.constantFrom("", " ", ".", "-"), (digits, sep) => {
        const plain = digits.join("");
        const written = digits.map((d, i) => (i > 0 && i % 4 === 0 ? `${sep}${d}` : String(d))).join("");
        const r = parseIdentifier(written, NIB);
        if (digits.length === 13) expect(r).toEqual({ ok: true, value: { number: plain }, display: plain });
        else expect(r).toMatchObject({ ok: false, error: "q.identifier.digits", params: { length: digits.length } });
      }),
    );
  });

  it("never takes words without digits for the number", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = parseIdentifier(s.replace(/\d/g, ""), NIB);
        if (r.ok) expect("none" in r.value).toBe(true);
      }),
    );
  });
});

describe("parseIdentifier: a PLUT member number (letters and digits)", () => {
  it("takes a code with digits, in capitals, and 'blm punya' as no number", () => {
    expect(parseIdentifier("plut-gia-0123", MEMBER)).toEqual({ ok: true, value: { number: "PLUT-GIA-0123" }, display: "PLUT-GIA-0123" });
    expect(parseIdentifier("A 123", MEMBER)).toMatchObject({ ok: true, value: { number: "A 123" } });
    expect(parseIdentifier("blm punya", MEMBER)).toMatchObject({ ok: true, value: { none: "none" } });
    expect(parseIdentifier("lupa", MEMBER)).toMatchObject({ ok: true, value: { none: "forgot" } });
    expect(parseIdentifier("anggota", MEMBER)).toEqual({ ok: false, error: "q.identifier.invalid", params: { example: "PLUT-GIA-0123" } });
  });
});
