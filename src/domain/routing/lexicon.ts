/**
 * The router's vocabulary as data (conversations/routing-lexicon.yaml): per consultant area the
 * concepts a client may name, each with its words and slang and a weight; the spellings folded
 * to one form; and the words that deny a need ("tidak butuh modal") or say it is met ("izin sudah
 * lengkap"). Compiled once into an index from a word or stem to the phrases that start with it.
 */
import { z } from "zod";
import { fold } from "../../shared/fold.js";
import { nasalStem, stemOf, tokenize, type Token } from "./words.js";

const ZWord = z.string().trim().min(2);

export const ZLexiconFile = z.strictObject({
  version: z.literal(1),
  /** Folded word -> its usual form ("ijin" -> "izin", "gak" -> "tidak"); may be several words. */
  spellings: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Words that end a clause like a comma does: a denial does not reach past them. */
  clauseBreaks: z.array(ZWord).default([]),
  negation: z.strictObject({
    /** "tidak", "gak", "belum" ... */
    negators: z.array(z.string().min(1)).min(1),
    /** A negator followed by one of these denies what comes next: "tidak butuh modal", "gak ada masalah soal izin". */
    needWords: z.array(ZWord).min(1),
    /** Words that deny what follows by themselves: "bukan soal modal". */
    denials: z.array(ZWord).default([]),
    /** After an area word, these say it is in order: "modal sudah cukup", "pemasaran lancar". */
    satisfied: z.array(z.string().min(2)).default([]),
    /** "sudah punya NIB": these before an area word say it is in order too. */
    alreadyHave: z.array(z.string().min(2)).default([]),
  }),
  areas: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/),
    z
      .array(
        z.strictObject({
          /** How the concept reads in the admin's explanation ("modal", "izin usaha"). */
          concept: z.string().min(1),
          weight: z.number().positive().max(10),
          /** Words and phrases; "=word" matches that word only as written (with -nya, -ku ...), never by its stem. */
          words: z.array(z.string().min(2)).min(1),
        }),
      )
      .min(1),
  ),
});
export type LexiconFile = z.infer<typeof ZLexiconFile>;

export interface Concept {
  area: string;
  label: string;
  weight: number;
}

interface Part {
  word: string;
  /** Null for "=word": the written form only. */
  stem: string | null;
  /** The stem with the consonant meN-/peN- swallowed put back (see nasalStem). */
  nasal?: string;
}

interface Phrase {
  parts: Part[];
  concept: Concept;
}

export interface CompiledLexicon {
  spellings: ReadonlyMap<string, string>;
  breaks: ReadonlySet<string>;
  negators: ReadonlySet<string>;
  needWords: ReadonlySet<string>;
  denials: ReadonlySet<string>;
  satisfied: readonly string[][];
  alreadyHave: readonly string[][];
  /** First word or first stem of a phrase -> the phrases. */
  index: ReadonlyMap<string, readonly Phrase[]>;
  /** Single written words of length 7+, by first letter, for typos ("pembukuaan"). */
  typoWords: ReadonlyMap<string, readonly { word: string; phrases: readonly Phrase[] }[]>;
}

const ENCLITICS = ["nya", "ku", "mu", "lah", "pun", "kah"];

/** The written form without a trailing -nya/-ku/-mu/-lah/-pun/-kah. */
export function withoutEnclitic(word: string): string | undefined {
  for (const e of ENCLITICS) if (word.length > e.length + 2 && word.endsWith(e)) return word.slice(0, -e.length);
  return undefined;
}

export function compileLexicon(file: LexiconFile): CompiledLexicon {
  const spellings = new Map(Object.entries(file.spellings).map(([k, v]) => [fold(k), fold(v)]));
  const breaks = new Set(file.clauseBreaks.map(fold));
  const words = (s: string): string[] => tokenize(s, spellings, new Set()).map((t: Token) => t.word);
  const index = new Map<string, Phrase[]>();
  const typo = new Map<string, { word: string; phrases: Phrase[] }[]>();
  const add = (key: string, p: Phrase) => {
    const list = index.get(key) ?? [];
    if (!list.includes(p)) list.push(p);
    index.set(key, list);
  };
  for (const [area, concepts] of Object.entries(file.areas)) {
    for (const c of concepts) {
      const concept: Concept = { area, label: c.concept, weight: c.weight };
      for (const raw of c.words) {
        const exact = raw.startsWith("=");
        const ws = words(exact ? raw.slice(1) : raw);
        if (ws.length === 0) continue;
        const parts = ws.map((w): Part => {
          if (exact) return { word: w, stem: null };
          const nasal = nasalStem(w);
          return nasal === undefined ? { word: w, stem: stemOf(w) } : { word: w, stem: stemOf(w), nasal };
        });
        const phrase: Phrase = { parts, concept };
        const first = parts[0]!;
        add(first.word, phrase);
        if (first.stem !== null && first.stem !== first.word) add(first.stem, phrase);
        if (first.nasal !== undefined) add(first.nasal, phrase);
        if (parts.length === 1 && first.word.length >= 7 && /^[a-z]+$/.test(first.word)) {
          const bucket = typo.get(first.word[0]!) ?? [];
          const entry = bucket.find((b) => b.word === first.word);
          if (entry) entry.phrases.push(phrase);
          else bucket.push({ word: first.word, phrases: [phrase] });
          typo.set(first.word[0]!, bucket);
        }
      }
    }
  }
  const seq = (xs: readonly string[]) => xs.map((x) => words(x)).filter((x) => x.length > 0);
  return {
    spellings,
    breaks,
    negators: new Set(file.negation.negators.map(fold)),
    needWords: new Set(file.negation.needWords.map(fold)),
    denials: new Set(file.negation.denials.map(fold)),
    satisfied: seq(file.negation.satisfied),
    alreadyHave: seq(file.negation.alreadyHave),
    index,
    typoWords: typo,
  };
}

/** Does a text token stand for this part of a phrase: as written, with an enclitic, or by stem. */
export function partMatches(t: Token, p: Part): boolean {
  if (t.word === p.word) return true;
  if (p.stem === null) return withoutEnclitic(t.word) === p.word;
  if (t.stem === p.stem || withoutEnclitic(t.word) === p.word) return true;
  return (t.nasal !== undefined && (t.nasal === p.stem || t.nasal === p.nasal)) || (p.nasal !== undefined && p.nasal === t.stem);
}

export type { Phrase, Part };
