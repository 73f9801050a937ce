/**
 * Text normalising and forgiving matching shared by the question parsers. Clients type on phones,
 * in informal Indonesian, with typos: matching folds case and diacritics, ignores punctuation,
 * tolerates a small, length-scaled number of edits and accepts unique prefixes.
 */
import { fold } from "../../shared/fold.js";

/** `fold` without spaces: "Tegal Lalang" and "tegallalang" compare equal. */
export function compact(s: string): string {
  return fold(s).replace(/ /g, "");
}

/**
 * The text up to its last digit, when what follows it is only punctuation or words set apart by a
 * space ("0812... ya"); undefined when letters are glued to the last digit ("0812-3456-789a").
 */
export function stripAround(s: string): string | undefined {
  const m = /^(.*\d)(\D*)$/s.exec(s);
  if (!m) return undefined;
  const tail = m[2] ?? "";
  if (/^[^\s\p{L}]*\p{L}/u.test(tail)) return undefined;
  return m[1];
}

/** Runs of the same letter squeezed to one ("iyaaa" -> "iya", "okeee" -> "oke"). */
export function squeeze(s: string): string {
  return s.replace(/(\p{L})\1+/gu, "$1");
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours) over code points. With `max`, stops early and returns max + 1 once it cannot be <= max.
 */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const n = s.length;
  const m = t.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2: number[] = new Array<number>(m + 1).fill(0);
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  let cur: number[] = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] ?? 0;
}

/** How many typos a word of this length may carry and still count: none for short words. */
export function typoBudget(length: number): number {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  if (length <= 9) return 2;
  return 3;
}

/** Something a person may name: an id and the words that mean it. */
export interface MatchEntry {
  id: string;
  terms: readonly string[];
}

export type MatchTier = "exact" | "contains" | "prefix" | "fuzzy";

export type MatchResult =
  | { kind: "one"; id: string; tier: MatchTier }
  | { kind: "many"; ids: string[]; tier: MatchTier }
  | { kind: "none" };

interface PreparedTerm {
  id: string;
  folded: string;
  compact: string;
  words: string[];
}

function prepare(entries: readonly MatchEntry[]): PreparedTerm[] {
  const out: PreparedTerm[] = [];
  for (const e of entries) {
    for (const term of e.terms) {
      const folded = fold(term);
      if (folded === "") continue;
      out.push({ id: e.id, folded, compact: folded.replace(/ /g, ""), words: folded.split(" ") });
    }
  }
  return out;
}

/** The ids found, once each, in the entries' order. */
function uniqueIds(ids: string[], order: readonly MatchEntry[]): string[] {
  const found = new Set(ids);
  const out: string[] = [];
  for (const e of order) if (found.has(e.id) && !out.includes(e.id)) out.push(e.id);
  return out;
}

function decide(ids: string[], tier: MatchTier, order: readonly MatchEntry[]): MatchResult | undefined {
  const u = uniqueIds(ids, order);
  if (u.length === 0) return undefined;
  if (u.length === 1) return { kind: "one", id: u[0] as string, tier };
  return { kind: "many", ids: u, tier };
}

export interface MatchOptions {
  /** Shortest input accepted as a prefix of a term (default 3). */
  minPrefix?: number;
  /** Allow the "contains" tier: a whole term named somewhere inside a longer answer (default true). */
  contains?: boolean;
}

/**
 * Finds which entry the input names, trying tiers in order and stopping at the first that finds
 * anything: exact (folded, or with spaces/doubled letters ignored), a prefix of a term or of one of
 * its word tails, typos within `typoBudget`, then a whole term named inside a longer answer
 * ("yang pemasaran aja kak"). Typos come before "inside" so "pejeng kwan" is Pejeng Kawan, not Pejeng.
 */
export function matchTerms(input: string, entries: readonly MatchEntry[], opts: MatchOptions = {}): MatchResult {
  const minPrefix = opts.minPrefix ?? 3;
  const q = fold(input);
  if (q === "") return { kind: "none" };
  const qc = q.replace(/ /g, "");
  const qs = squeeze(qc);
  const terms = prepare(entries);

  const exact = terms.filter((t) => t.folded === q || t.compact === qc || squeeze(t.compact) === qs);
  const r1 = decide(
    exact.map((t) => t.id),
    "exact",
    entries,
  );
  if (r1) return r1;

  if (qc.length >= minPrefix) {
    // A prefix of the term or of any of its word tails: "kaja" names "Pejeng Kaja".
    const pre = terms.filter(
      (t) => t.compact.startsWith(qc) || t.words.some((_, i) => t.words.slice(i).join(" ").startsWith(q)),
    );
    const r3 = decide(
      pre.map((t) => t.id),
      "prefix",
      entries,
    );
    if (r3) return r3;
  }

  let best = Infinity;
  let bestIds: string[] = [];
  for (const t of terms) {
    const budget = typoBudget(Math.min(qc.length, t.compact.length));
    if (budget === 0) continue;
    const d = Math.min(damerauLevenshtein(qc, t.compact, budget), damerauLevenshtein(qs, squeeze(t.compact), budget));
    if (d > budget) continue;
    if (d < best) {
      best = d;
      bestIds = [t.id];
    } else if (d === best) {
      bestIds.push(t.id);
    }
  }
  const r4 = decide(bestIds, "fuzzy", entries);
  if (r4) return r4;

  if (opts.contains !== false) {
    const padded = ` ${q} `;
    const inside = terms.filter((t) => t.compact.length >= 3 && padded.includes(` ${t.folded} `));
    if (inside.length > 0) {
      // "pelatihan dan pengembangan" names both "pelatihan" and "pelatihan dan pengembangan":
      // the longest term named wins over the terms it contains.
      const longest = inside.filter(
        (t) => !inside.some((o) => o !== t && o.folded.length > t.folded.length && ` ${o.folded} `.includes(` ${t.folded} `)),
      );
      const r2 = decide(
        longest.map((t) => t.id),
        "contains",
        entries,
      );
      if (r2) return r2;
    }
  }
  return { kind: "none" };
}

/** A word's consonant outline: its first letter, then the rest without vowels ("sukawati" -> "skwt"). */
export function skeleton(s: string): string {
  return s.length === 0 ? s : s[0] + s.slice(1).replace(/[aiueo]/g, "");
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

/**
 * A guess for an answer no tier matched, to be offered back for confirmation ("ubd" -> Ubud?):
 * the same consonant outline ("skwt", "gnyr"), the letters of a name in order from its first one
 * ("tglg" for Tegallalang), or one slip in a short word. Only a guess naming one entry counts.
 */
export function guessTerm(input: string, entries: readonly MatchEntry[]): string | undefined {
  const q = squeeze(compact(input));
  if (q.length < 3) return undefined;
  const ids = new Set<string>();
  for (const t of prepare(entries)) {
    const c = squeeze(t.compact);
    if (c.length < 3) continue;
    const outline = skeleton(q) === skeleton(c);
    const letters = q[0] === c[0] && q.length >= Math.ceil(c.length * 0.35) && isSubsequence(q, c);
    const slip = damerauLevenshtein(q, c, 1) <= 1;
    if (outline || letters || slip) ids.add(t.id);
  }
  return ids.size === 1 ? [...ids][0] : undefined;
}
