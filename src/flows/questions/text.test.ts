import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countChars, nameCase, parseText, tidyText } from "./text.js";

describe("parseText", () => {
  it.each([
    ["  Penjualan turun  ", "Penjualan turun"],
    ["Penjualan   turun\t\tdrastis", "Penjualan turun drastis"],
    ["Baris satu\r\nBaris dua", "Baris satu\nBaris dua"],
    ["Paragraf satu\n\n\n\n\nParagraf dua", "Paragraf satu\n\nParagraf dua"],
    ["  baris   \n   kedua  ", "baris\nkedua"],
    ["Mau jualan online 🛒🙏", "Mau jualan online 🛒🙏"],
    ["Keluarga 👨‍👩‍👧 usaha bersama", "Keluarga 👨‍👩‍👧 usaha bersama"],
    ["Zero\u200Bwidth\uFEFF", "Zerowidth"],
    ["Non\u00A0breaking space", "Non breaking space"],
    ["Café Ubud — kopi", "Café Ubud — kopi"],
    ["bel\u0007l", "bell"],
  ])("%j -> %j", (input, expected) => {
    expect(parseText(input)).toEqual({ ok: true, value: expected, display: expected });
  });

  it.each(["", "   ", "\n\n\t ", "\u200B", "\r\n"])("%j is empty", (input) => {
    expect(parseText(input)).toEqual({ ok: false, error: "q.text.empty", params: { example: "" } });
  });

  it("checks minimum and maximum length with the lengths as params", () => {
    expect(parseText("ok", { minLength: 10, example: "Ni Made Sari" })).toEqual({ ok: false, error: "q.text.too_short", params: { min: 10, length: 2, example: "Ni Made Sari" } });
    expect(parseText("abcdef", { maxLength: 5 })).toEqual({ ok: false, error: "q.text.too_long", params: { max: 5, length: 6 } });
    expect(parseText("abcde", { minLength: 5, maxLength: 5 })).toMatchObject({ ok: true });
  });

  it("counts an emoji as one character", () => {
    expect(countChars("👍🏽")).toBe(1);
    expect(countChars("👨‍👩‍👧")).toBe(1);
    expect(parseText("🙏🙏🙏", { maxLength: 3 })).toMatchObject({ ok: true });
    expect(parseText("🙏🙏🙏🙏", { maxLength: 3 })).toMatchObject({ ok: false, error: "q.text.too_long", params: { length: 4 } });
  });

  it("takes a 10 000-character text and refuses it when over the limit", () => {
    const long = "Usaha kerajinan perak di Celuk. ".repeat(313).slice(0, 10_000);
    expect(long.length).toBe(10_000);
    const r = parseText(long);
    expect(r.ok).toBe(true);
    expect(parseText(long, { maxLength: 2000 })).toMatchObject({ ok: false, error: "q.text.too_long", params: { max: 2000 } });
    expect(parseText("x".repeat(10_000))).toMatchObject({ ok: true });
  });

  it("is idempotent: tidying a tidy text changes nothing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (s) => {
        const once = tidyText(s);
        expect(tidyText(once)).toBe(once);
        const r = parseText(s);
        if (r.ok) expect(parseText(r.value)).toEqual(r);
      }),
    );
  });
});

describe("names as written on forms", () => {
  it.each([
    ["ni made sari", "Ni Made Sari"],
    ["NI MADE SARI", "Ni Made Sari"],
    ["i gusti ayu oka", "I Gusti Ayu Oka"],
    ["a.a. gde putra", "A.A. Gde Putra"],
    ["ud sari rasa", "UD Sari Rasa"],
    ["cv maju jaya", "CV Maju Jaya"],
    ["ksp sedana yoga", "KSP Sedana Yoga"],
    ["ahmad bin yusuf", "Ahmad bin Yusuf"],
    ["toko sari dan putra", "Toko Sari dan Putra"],
    ["sri-rejeki", "Sri-Rejeki"],
    ["ma'ruf", "Ma'ruf"],
    ["Warung McDonald", "Warung McDonald"],
    ["BUMDes Taro", "BUMDes Taro"],
    ["warung 99", "Warung 99"],
  ])("%j -> %j", (input, expected) => {
    expect(nameCase(input)).toBe(expected);
    expect(parseText(input, { nameCase: true })).toEqual({ ok: true, value: expected, display: expected });
  });

  it("changes only the case, is idempotent, and starts every word with a capital unless it is bin/dan", () => {
    const word = fc.stringMatching(/^[a-zA-Z][a-zA-Z'.-]{0,9}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const input = words.join(" ");
        const out = nameCase(input);
        expect(out.toLowerCase()).toBe(input.toLowerCase());
        expect(nameCase(out)).toBe(out);
        out.split(" ").forEach((w, i) => {
          const lower = ["bin", "binti", "dan"].includes(w.toLowerCase()) && i > 0;
          if (!lower) expect(w[0]).toBe(w[0]!.toUpperCase());
        });
      }),
    );
  });
});
