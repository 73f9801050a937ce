/**
 * Text hygiene for the renderers.
 *
 * pdfkit's standard fonts (Helvetica, Times, Courier) are encoded in WinAnsi (Windows-1252): a
 * character outside it would print as a wrong glyph or nothing. Client-typed text may hold emoji,
 * other scripts (Aksara Bali, Arabic, CJK) or invisible control characters, so everything that
 * reaches a PDF goes through `sanitizePdfText` first. Indonesian needs only ASCII letters, and
 * Latin-1 accents (é in names) are kept.
 */

/** Code points above U+00FF that WinAnsi (and pdfkit's WIN_ANSI_MAP) can print. */
const WIN_ANSI_EXTRA = new Set<number>([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014, 0x2018,
  0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac,
  0x2122,
]);

export function isWinAnsi(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff && cp !== 0xad) || WIN_ANSI_EXTRA.has(cp);
}

/** Common characters outside WinAnsi with a readable stand-in. */
const REPLACEMENTS: Record<string, string> = {
  "\u00ad": "", // soft hyphen
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2015": "\u2014",
  "\u2212": "-",
  "\u2032": "'",
  "\u2033": '"',
  "\u201b": "'",
  "\u201f": '"',
  "\u2024": ".",
  "\u2190": "<-",
  "\u2192": "->",
  "\u2194": "<->",
  "\u21d2": "=>",
  "\u2264": "<=",
  "\u2265": ">=",
  "\u2260": "!=",
  "\u2248": "~",
  "\u2116": "No.",
  "\u2713": "v",
  "\u2714": "v",
  "\u2715": "x",
  "\u2716": "x",
  "\u2717": "x",
  "\u2718": "x",
  "\u25cf": "\u2022",
  "\u25aa": "\u2022",
  "\u25e6": "\u2022",
  "\u2023": "\u2022",
  "\u2043": "-",
  "\u20a8": "Rs",
};

/** Stands for a dropped emoji until the end of `sanitizePdfText` (input NULs are removed first). */
const EMOJI_MARK = "\u0000";
const EMOJI_PART =
  /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0e|\ufe0f|\u20e3|[\u{e0020}-\u{e007f}])$/u;
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;
const SPACE = /\p{Zs}/u;
const MARK = /\p{M}/u;

export interface SanitizeOptions {
  /** What an emoji (with its modifiers and joiners) becomes. Default: nothing. */
  emoji?: string;
  /** What any other unprintable character becomes. Default "?". */
  fallback?: string;
  /** Keep line breaks (default true); otherwise they become spaces. */
  multiline?: boolean;
}

/**
 * Make text printable with a WinAnsi font: keeps ASCII and Latin-1 letters, maps typographic
 * look-alikes, drops emoji, strips accents that WinAnsi lacks ("ā" -> "a") and replaces anything
 * else with "?". Runs of spaces collapse to one and lines are trimmed.
 */
export function sanitizePdfText(input: unknown, opts: SanitizeOptions = {}): string {
  if (input === null || input === undefined) return "";
  const emoji = opts.emoji ?? "";
  const fallback = opts.fallback ?? "?";
  const multiline = opts.multiline ?? true;
  const text = String(input).normalize("NFC").replace(/\r\n?/g, "\n");
  let out = "";
  let previousWasEmoji = false;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === "\n" || cp === 0x2028 || cp === 0x2029 || cp === 0x85) {
      out += multiline ? "\n" : " ";
      previousWasEmoji = false;
    } else if (ch === "\t") {
      out += " ";
      previousWasEmoji = false;
    } else if (isWinAnsi(cp)) {
      out += ch;
      previousWasEmoji = false;
    } else if (REPLACEMENTS[ch] !== undefined) {
      out += REPLACEMENTS[ch];
      previousWasEmoji = false;
    } else if (EMOJI_PART.test(ch)) {
      // One replacement per emoji sequence (a family emoji is seven code points).
      if (!previousWasEmoji) out += EMOJI_MARK;
      previousWasEmoji = true;
    } else if (CONTROL_OR_FORMAT.test(ch) || MARK.test(ch)) {
      // Invisible or a stray combining mark: drop it. Keeps an emoji sequence together.
    } else if (SPACE.test(ch)) {
      out += " ";
      previousWasEmoji = false;
    } else {
      const base = ch.normalize("NFKD").replace(/\p{M}/gu, "");
      const printable = base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0) ?? 0));
      out += printable ? base : fallback;
      previousWasEmoji = false;
    }
  }
  // A dropped emoji leaves no gap before punctuation ("kami 😢." -> "kami.").
  // eslint-disable-next-line no-control-regex
  if (emoji === "") out = out.replace(/ *\u0000+(?=[.,;:!?)\]\u201d\u2019"'])/g, "");
  // eslint-disable-next-line no-control-regex
  out = out.replace(/\u0000+/g, emoji);
  return out
    .split("\n")
    .map((line) => line.replace(/ {2,}/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Characters that XML 1.0 (and so an .xlsx file) cannot hold. */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Remove what would corrupt a spreadsheet's XML; everything else (emoji included) is kept. */
export function sanitizeXmlText(input: string): string {
  return input.replace(XML_INVALID, "");
}
