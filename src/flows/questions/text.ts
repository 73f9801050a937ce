/**
 * Free text ("describe your business problem"). Tidies what phones add (runs of spaces, blank
 * lines, zero-width characters) and keeps the rest: emoji, line breaks, any script. A name can be
 * capitalised as people write names on forms ("ni made sari" -> "Ni Made Sari").
 */
import { NAME_LOWER_WORDS, NAME_UPPER_WORDS } from "./lexicon.js";
import { type ParseResult, err, ok } from "./types.js";

export const TEXT_ERRORS = ["q.text.empty", "q.text.too_short", "q.text.too_long"] as const;

/** The example a text question without its own uses in its errors. */
export const TEXT_LABEL_KEYS = { example: "q.text.example" } as const;

export interface TextOptions {
  /** Fewest characters (as a person counts them: an emoji is one). */
  minLength?: number;
  /** Most characters. */
  maxLength?: number;
  /** A name for documents: capitalised as on a form. */
  nameCase?: boolean;
  /** An example answer in the person's language, for the error texts (the question's own example). */
  example?: string;
}

const UPPER = new Set(NAME_UPPER_WORDS);
const LOWER = new Set(NAME_LOWER_WORDS);

function capitalise(word: string): string {
  // After a start, a dot or a dash: "a.a." -> "A.A.", "sri-rejeki" -> "Sri-Rejeki"; not after "'": "Ma'ruf".
  return word.toLowerCase().replace(/(^|[.-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/**
 * A name as written on a form: every word capitalised ("ni made sari" -> "Ni Made Sari", "I GUSTI
 * AYU" -> "I Gusti Ayu"), legal forms and abbreviations in capitals ("ud sari rasa" -> "UD Sari
 * Rasa"), "bin"/"dan" small inside a name; a word the person already wrote in mixed case
 * ("McDonald", "BUMDes") keeps its case, with a capital first letter.
 */
export function nameCase(input: string): string {
  return input
    .split(" ")
    .map((word, i) => {
      const letters = word.replace(/[^\p{L}]/gu, "");
      if (letters === "") return word;
      const key = letters.toLowerCase();
      if (UPPER.has(key)) return word.toUpperCase();
      if (i > 0 && LOWER.has(key)) return word.toLowerCase();
      const mixed = letters !== letters.toLowerCase() && letters !== letters.toUpperCase();
      // Mixed case is the person's own ("McDonald", "BUMDes"): kept, with a capital first letter.
      if (!mixed) return capitalise(word);
      const first = word.replace(/\p{L}/u, (ch) => ch.toUpperCase());
      // "aA" would turn all capitals, which the next reading lowers: read it as a plain word instead.
      return first === first.toUpperCase() ? capitalise(word) : first;
    })
    .join(" ");
}

const segmenter = new Intl.Segmenter("id", { granularity: "grapheme" });

/** Characters as a person counts them: "👨‍👩‍👧" and "é" are one each. */
export function countChars(s: string): number {
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}

/** The text tidied: trimmed, runs of spaces made one, at most one blank line in a row. */
export function tidyText(input: string): string {
  return (
    input
      .replace(/\r\n?/g, "\n")
      // Zero-width space, word joiner, BOM and other controls; the joiner U+200D stays for emoji.
      .replace(/[\u200B\u2060\uFEFF\u00AD]/g, "")
      .replace(/\p{Cc}/gu, (c) => (c === "\n" || c === "\t" ? c : ""))
      .replace(/[^\S\n]+/g, " ")
      .split("\n")
      .map((line) => line.trim())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** Reads a free-text answer. */
export function parseText(input: string, opts: TextOptions = {}): ParseResult<string> {
  const tidy = tidyText(input);
  const example = opts.example ?? "";
  if (tidy === "") return err("q.text.empty", { example });
  const text = opts.nameCase ? nameCase(tidy) : tidy;
  const length = countChars(text);
  if (opts.minLength !== undefined && length < opts.minLength) {
    return err("q.text.too_short", { min: opts.minLength, length, example });
  }
  if (opts.maxLength !== undefined && length > opts.maxLength) {
    return err("q.text.too_long", { max: opts.maxLength, length });
  }
  return ok(text, text);
}
