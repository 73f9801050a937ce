import { describe, expect, it } from "vitest";
import { isWinAnsi, sanitizePdfText, sanitizeXmlText } from "../../src/documents/text.js";
import { LABELS, type DocumentLabels } from "../../src/documents/labels.js";
import { formatDateTime, formatLongDate, formatWeekday, localIsoMinute, timeZoneAbbreviation } from "../../src/i18n/dates.js";

const printable = (s: string) => [...s].every((c) => c === "\n" || isWinAnsi(c.codePointAt(0) ?? 0));

describe("sanitizePdfText", () => {
  it.each([
    ["Terima kasih 🙏", "Terima kasih"],
    ["Terima kasih 🙏🏽 banyak", "Terima kasih banyak"],
    ["keluarga 👨‍👩‍👧 kami", "keluarga kami"],
    ["produk kami 😢. Saya", "produk kami. Saya"],
    ["Bali 🇮🇩!", "Bali!"],
    ["nomor 1️⃣ dan 2", "nomor 1 dan 2"],
    ["♥️ kopi", "kopi"],
  ])("drops emoji: %s", (input, expected) => {
    expect(sanitizePdfText(input)).toBe(expected);
  });

  it("keeps Indonesian and Latin-1 text and WinAnsi punctuation", () => {
    const s = "Ni Luh Putu Ésa, Rp1.500.000 – “kopi” ‘enak’ … € © ® ½ • ±";
    expect(sanitizePdfText(s)).toBe(s);
  });

  it("strips accents WinAnsi lacks and replaces other scripts with ?", () => {
    expect(sanitizePdfText("Ājñā Dương")).toBe("Ajña Duong"); // ñ is Latin-1: kept
    expect(sanitizePdfText("ᬅᬓ᭄ᬱᬭ")).toMatch(/^\?+$/);
    expect(sanitizePdfText("咖啡")).toBe("??");
    expect(sanitizePdfText("a → b ≥ c − d")).toBe("a -> b >= c - d");
  });

  it("removes control and invisible characters and normalises spaces and line breaks", () => {
    expect(sanitizePdfText("a\u0000b\u200bc\u0007d")).toBe("abcd");
    expect(sanitizePdfText("satu\r\ndua\rtiga\u2028empat")).toBe("satu\ndua\ntiga\nempat");
    expect(sanitizePdfText("  a \t  b\u00a0 ")).toBe("a b");
    expect(sanitizePdfText("a\n\n\n\nb")).toBe("a\n\nb");
    expect(sanitizePdfText("a\nb", { multiline: false })).toBe("a b");
    expect(sanitizePdfText(null)).toBe("");
    expect(sanitizePdfText(42)).toBe("42");
  });

  it("takes other fallbacks", () => {
    expect(sanitizePdfText("ok 👍", { emoji: "[emoji]" })).toBe("ok [emoji]");
    expect(sanitizePdfText("咖啡", { fallback: "_" })).toBe("__");
  });

  it("always returns WinAnsi-printable text (random input)", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      let s = "";
      for (let i = 0; i < 40; i++) s += String.fromCodePoint(Math.floor(rnd() * 0x1faff));
      expect(printable(sanitizePdfText(s))).toBe(true);
    }
  });
});

describe("sanitizeXmlText", () => {
  it("keeps emoji, removes what XML cannot hold", () => {
    expect(sanitizeXmlText("a\u0001b\tc\n👍\ud800")).toBe("ab\tc\n👍");
  });
});

describe("dates in WITA", () => {
  const d = new Date("2026-11-28T06:05:00Z");
  it("formats Indonesian and English names", () => {
    expect(formatWeekday(d, "id")).toBe("Sabtu");
    expect(formatWeekday(d, "en")).toBe("Saturday");
    expect(formatLongDate(new Date("2026-08-17T02:00:00Z"), "id")).toBe("17 Agustus 2026");
    expect(formatDateTime(d, "id")).toBe("28 Nov 2026, 14.05 WITA");
    expect(formatDateTime(d, "en")).toBe("28 Nov 2026, 14:05 WITA");
    expect(localIsoMinute(d)).toBe("2026-11-28 14:05");
    expect(timeZoneAbbreviation("Asia/Jakarta")).toBe("WIB");
    expect(timeZoneAbbreviation("Asia/Jayapura")).toBe("WIT");
  });
});

describe("labels", () => {
  const shape = (o: unknown): unknown =>
    o && typeof o === "object" && !Array.isArray(o)
      ? Object.fromEntries(Object.keys(o).sort().map((k) => [k, shape((o as Record<string, unknown>)[k])]))
      : typeof o;

  it("has the same keys in every language", () => {
    expect(shape(LABELS.en)).toEqual(shape(LABELS.id));
  });

  it("makes a missing key a type error", () => {
    const full: DocumentLabels["common"] = { ...LABELS.id.common };
    // @ts-expect-error -- "noData" (and the rest) missing
    const partial: DocumentLabels["common"] = { pageOf: full.pageOf, none: "-" };
    expect(partial.none).toBe("-");
  });
});
