/**
 * Free text ("describe your business problem"). Tidies what phones add (runs of spaces, blank
 * lines, zero-width characters) and keeps the rest: emoji, line breaks, any script.
 */
import { type ParseResult, err, ok } from "./types.js";

export const TEXT_ERRORS = ["q.text.empty", "q.text.too_short", "q.text.too_long"] as const;

export interface TextOptions {
  /** Fewest characters (as a person counts them: an emoji is one). */
  minLength?: number;
  /** Most characters. */
  maxLength?: number;
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
  const text = tidyText(input);
  if (text === "") return err("q.text.empty");
  const length = countChars(text);
  if (opts.minLength !== undefined && length < opts.minLength) {
    return err("q.text.too_short", { min: opts.minLength, length });
  }
  if (opts.maxLength !== undefined && length > opts.maxLength) {
    return err("q.text.too_long", { max: opts.maxLength, length });
  }
  return ok(text, text);
}
