import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NO_WORDS, YES_WORDS } from "./lexicon.js";
import { parseYesNo, YESNO_ERRORS } from "./yesno.js";

describe("parseYesNo", () => {
  it.each([
    "ya", "Ya", "YA", "iya", "Iya", "iyaa", "Iyaaa kak", "iye", "y", "Y", "yes", "Yes!", "yup", "ok", "OK", "oke", "okee siap",
    "okay", "sip", "siap", "siap pak", "betul", "benar", "bener", "setuju", "boleh", "mau", "tentu", "nggih", "inggih",
    "sudah", "udah", "sdh", "ada", "punya", "pernah", "ya, betul", "iya pak", "ya bu 🙏", "hmm iya", "Iya saya sudah punya NIB",
    "ya.", "ya!!!", "👍", "👍🏽", "👌", "✅", "iya 👍", "ok 👌", "Ya sudah", "yes please",
  ])("%j -> yes", (input) => {
    expect(parseYesNo(input)).toEqual({ ok: true, value: true, display: "✓" });
  });

  it.each([
    "tidak", "Tidak", "TIDAK", "tdk", "tak", "gak", "ga", "gk", "g", "nggak", "ngga", "enggak", "engga", "ndak", "kagak", "no",
    "No.", "nope", "n", "N", "bukan", "salah", "belum", "blm", "belum pernah", "tidak ada", "gak ada", "ga punya", "tidak usah",
    "gak usah kak", "gausah", "tidak, terima kasih", "gak kak makasih", "nggak mau", "tidak setuju", "jangan", "👎", "❌",
    "tidak 👎", "Belum, saya belum punya NIB",
  ])("%j -> no", (input) => {
    expect(parseYesNo(input)).toEqual({ ok: true, value: false, display: "✗" });
  });

  it.each(["mungkin", "entahlah", "ya tidak", "iya tapi belum", "👍👎", "iya 👎", "tidak 👍", "saya kurang tahu", "123"])(
    "%j is unclear",
    (input) => {
      expect(parseYesNo(input)).toEqual({ ok: false, error: "q.yesno.unknown" });
    },
  );

  it.each(["", "   ", "\n"])("%j is empty", (input) => {
    expect(parseYesNo(input)).toEqual({ ok: false, error: "q.yesno.empty" });
  });

  it("shows the labels it is given", () => {
    expect(parseYesNo("iya", { yes: "Ya", no: "Tidak" })).toEqual({ ok: true, value: true, display: "Ya" });
    expect(parseYesNo("no", { yes: "Yes", no: "No" })).toEqual({ ok: true, value: false, display: "No" });
  });
});

describe("parseYesNo on very long input", () => {
  it("reads 10 000 characters quickly", () => {
    expect(parseYesNo("x".repeat(10_000))).toEqual({ ok: false, error: "q.yesno.unknown" });
    expect(parseYesNo(`iya ${"kak ".repeat(2_500)}`)).toMatchObject({ ok: true, value: true });
  });
});

describe("parseYesNo properties", () => {
  it("reads every yes and no word, in any case, with a courtesy word after it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...YES_WORDS), fc.constantFrom(...NO_WORDS), fc.constantFrom("", " pak", " kak", " bu 🙏", "!", " ya"), fc.boolean(), (yes, no, tail, upper) => {
        const c = (s: string) => (upper ? s.toUpperCase() : s);
        expect(parseYesNo(c(yes) + tail)).toMatchObject({ ok: true, value: true });
        // "ya" after a no word makes it unclear ("tidak ya"): the tail is a courtesy word here only.
        if (tail !== " ya") expect(parseYesNo(c(no) + tail)).toMatchObject({ ok: true, value: false });
      }),
    );
  });

  it("never throws and answers true, false or a declared error", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => {
        const r = parseYesNo(s);
        if (!r.ok) expect(YESNO_ERRORS).toContain(r.error);
        else expect(typeof r.value).toBe("boolean");
      }),
    );
  });
});
