/**
 * Numbers a business or a member has, checked by their format: the NIB (Nomor Induk Berusaha, 13
 * digits from OSS), the PLUT member number (letters and digits). "Belum punya" and "lupa nomornya"
 * are answers in their own right, never taken for the number: a form that printed "lupa nomornya"
 * as an NIB on the BAP is what this prevents.
 */
import { fold } from "../../shared/fold.js";
import { NO_NUMBER_FORGOT_WORDS, NO_NUMBER_NONE_WORDS } from "./lexicon.js";
import { type ParseResult, err, ok } from "./types.js";

export const IDENTIFIER_ERRORS = ["q.identifier.empty", "q.identifier.digits", "q.identifier.not_digits", "q.identifier.invalid"] as const;

/** Labels of the two explicit answers and of an answer without a number in the summary. */
export const IDENTIFIER_LABEL_KEYS = {
  none: "q.identifier.none",
  forgot: "q.identifier.forgot",
  noNumber: "q.identifier.no_number",
} as const;

export interface IdentifierOptions {
  /** Exactly this many digits (NIB: 13); spaces, dots and dashes between them are ignored. */
  digits?: number;
  /** An example of the number in the person's language, for the error texts ("9120001234567"). */
  example: string;
}

/** The number as written on the document, or why there is none. */
export type IdentifierAnswer = { number: string } | { none: "none" | "forgot" };

const hasPhrase = (folded: string, phrases: readonly string[]) => phrases.some((p) => ` ${folded} `.includes(` ${p} `));

/** Reads an identifier, or an explicit "belum punya" / "lupa". */
export function parseIdentifier(input: string, opts: IdentifierOptions): ParseResult<IdentifierAnswer> {
  const example = opts.example;
  const text = input.normalize("NFKC").trim();
  const folded = fold(text);
  if (folded === "") return err("q.identifier.empty", { example });
  if (!/\d/.test(folded)) {
    // "lupa nomornya", "ga inget", "belum punya", "blm ada": answers, not numbers.
    if (hasPhrase(folded, NO_NUMBER_FORGOT_WORDS)) return ok({ none: "forgot" }, "");
    if (hasPhrase(folded, NO_NUMBER_NONE_WORDS)) return ok({ none: "none" }, "");
  }
  if (opts.digits !== undefined) {
    const compact = text.replace(/^(nib|no|nomor|nomer)\b[.:]?/i, "").replace(/[\s.\-/]/g, "");
    if (!/^\d+$/.test(compact)) return err("q.identifier.not_digits", { digits: opts.digits, example });
    if (compact.length !== opts.digits) return err("q.identifier.digits", { digits: opts.digits, length: compact.length, example });
    return ok({ number: compact }, compact);
  }
  const code = text.replace(/\s+/g, " ").toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9 ./-]{1,38}[A-Z0-9]$/.test(code) || !/\d/.test(code)) return err("q.identifier.invalid", { example });
  return ok({ number: code }, code);
}
