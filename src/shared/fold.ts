/**
 * Folding text for comparison: people type on phones, in informal Indonesian or English, with and
 * without diacritics and punctuation. Used by the question parsers, the translator's word lists and
 * the desks' command words.
 */

/**
 * Folded option labels and control words are asked for on every message: short strings are kept
 * (a bounded map, emptied when full) so each is folded once.
 */
const folded = new Map<string, string>();

/** Lower case, diacritics removed, every run of non letters/digits turned into one space, trimmed. */
export function fold(s: string): string {
  const known = folded.get(s);
  if (known !== undefined) return known;
  const f = s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (s.length <= 200) {
    if (folded.size >= 10_000) folded.clear();
    folded.set(s, f);
  }
  return f;
}

/** Folds a typed command for comparison: case, diacritics, a leading "/", punctuation and emoji go. */
export function foldCommand(input: string): string {
  return fold(input.trim().replace(/^\/+/, ""));
}
