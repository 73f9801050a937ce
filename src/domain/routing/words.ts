/**
 * The client's problem text as the router reads it: clauses of normalised tokens, each with its
 * Indonesian stem. Stemming is @nlpjs/lang-id's StemmerId (the Snowball stemmer of Tala for
 * Indonesian: particles -lah/-kah/-pun, possessives -nya/-ku/-mu, prefixes meN-/peN-/di-/ter-/ke-/
 * ber-/per-, suffixes -kan/-an/-i). It has no root dictionary, so it sometimes cuts too much
 * ("kemasan" -> "masan"); the router compares stems of the text with stems of the lexicon made by
 * the same stemmer, so such cuts agree on both sides, and surface forms are matched as well.
 */
import langId from "@nlpjs/lang-id";

const stemmer = new langId.StemmerId();

/** Stems are asked for the same few hundred words again and again: kept, bounded. */
const stems = new Map<string, string>();

/** The stem of one folded word; words with digits, short words and non-Latin words stay as they are. */
export function stemOf(word: string): string {
  const known = stems.get(word);
  if (known !== undefined) return known;
  const s = word.length <= 3 || !/^[a-z]+$/.test(word) ? word : stemmer.stemWord(word) || word;
  if (stems.size >= 20_000) stems.clear();
  stems.set(word, s);
  return s;
}

/**
 * meN-/peN- swallow the first consonant of the root (tawar -> menawarkan, pasang -> memasang,
 * kirim -> pengiriman, sewa -> penyewa), which the dictionary-less stemmer cannot restore
 * ("menawarkan" -> "awar" but "tawarkan" -> "tawar"). The stem with that consonant put back,
 * when it differs; both stems are tried.
 */
export function nasalStem(word: string): string | undefined {
  const m = /^(me|pe)(ny|ng|n|m)([aiueo].{2,})$/.exec(word);
  if (!m) return undefined;
  const restored = { ny: "s", ng: "k", n: "t", m: "p" }[m[2] as "ny" | "ng" | "n" | "m"] + m[3];
  const s = stemOf(restored);
  return s !== stemOf(word) ? s : undefined;
}

/** A word's stems, worked out once: pasted texts repeat the same words many times. */
const analysed = new Map<string, { stem: string; nasal?: string }>();
function analyse(word: string): { stem: string; nasal?: string } {
  let a = analysed.get(word);
  if (!a) {
    const nasal = nasalStem(word);
    a = nasal === undefined ? { stem: stemOf(word) } : { stem: stemOf(word), nasal };
    if (analysed.size >= 20_000) analysed.clear();
    analysed.set(word, a);
  }
  return a;
}

export interface Token {
  /** The word as written, folded and with its spelling normalised ("ijin" -> "izin"). */
  word: string;
  stem: string;
  /** The stem with a consonant swallowed by meN-/peN- put back, when that differs ("menawarkan" -> "tawar"). */
  nasal?: string;
  /** Index of the clause ("." "," "tapi" ... end one) the token belongs to. */
  clause: number;
}

/** Texts longer than this are read up to here: routing stays within milliseconds whatever is pasted. */
export const MAX_ROUTED_CHARS = 12_000;

const CLAUSE_PUNCT = /[.!?;,:\n()[\]{}"“”]+/u;

/**
 * Tokens of a text. `spellings` maps a folded word to its usual form; `breaks` are words that
 * start a new clause ("tapi"). Reduplication written with a 2 ("kira2", "anak2") counts once.
 */
export function tokenize(text: string, spellings: ReadonlyMap<string, string>, breaks: ReadonlySet<string>): Token[] {
  const s = text
    .slice(0, MAX_ROUTED_CHARS)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    // "Booking.com", "2.000.000", "P-IRT": punctuation inside a word does not end a clause.
    .replace(/([\p{L}\p{N}])[.,:](?=[\p{L}\p{N}])/gu, "$1 ");
  const out: Token[] = [];
  let clause = 0;
  for (const part of s.split(CLAUSE_PUNCT)) {
    if (out.length > 0 && out[out.length - 1]!.clause === clause) clause++;
    for (const m of part.matchAll(/[\p{L}\p{N}]+/gu)) {
      let w = m[0];
      if (w.length > 2 && w.endsWith("2") && /^\p{L}+2$/u.test(w)) w = w.slice(0, -1);
      w = spellings.get(w) ?? w;
      for (const piece of w.includes(" ") ? w.split(" ") : [w]) {
        if (breaks.has(piece)) {
          if (out.length > 0 && out[out.length - 1]!.clause === clause) clause++;
          continue;
        }
        const a = analyse(piece);
        out.push(a.nasal === undefined ? { word: piece, stem: a.stem, clause } : { word: piece, stem: a.stem, nasal: a.nasal, clause });
      }
    }
  }
  return out;
}
