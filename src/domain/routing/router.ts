/**
 * The rule-based router: reads the client's own description of the problem (words, their stems,
 * synonyms and slang from conversations/routing-lexicon.yaml, denials such as "tidak butuh modal")
 * and the assessment answers (conversations/routing.yaml), scores each consultant area and explains
 * the result in words the admin reads. When two areas are about equally likely, or the evidence is
 * thin, it recommends nothing and says so with both explanations: the admin chooses. Pure.
 */
import { damerauLevenshtein } from "../../flows/questions/fuzzy.js";
import { type Concept, type CompiledLexicon, type Phrase, partMatches, withoutEnclitic } from "./lexicon.js";
import type { RoutingRule, RoutingSetup } from "./rules.js";

export type { RoutingSetup } from "./rules.js";
import { type Token, tokenize } from "./words.js";

export interface RankedArea {
  area: string;
  score: number;
  reasons: string[];
}

/** clear: one area stands out; tie: the first two are about equally likely; weak: too little evidence; none: nothing at all. */
export type RoutingConfidence = "clear" | "tie" | "weak" | "none";

export interface RoutingResult {
  ranked: RankedArea[];
  /** The area to confirm (or to assign automatically); null unless the result is clear. */
  recommended: string | null;
  confidence: RoutingConfidence;
  /** The areas shown to the admin: one when clear, the first two on a tie or weak evidence. */
  candidates: string[];
  score: number;
  /** One line, e.g. "disebut: modal, kredit (kur); butuh modal -> pembiayaan". */
  explanation: string;
}

/** The routing rules and the lexicon, compiled once (OfficeSetup.routing). */

function holds(rule: RoutingRule, answers: Readonly<Record<string, unknown>>): boolean {
  const c = rule.when;
  const v = answers[c.answer];
  if (v === undefined || v === null) return false;
  if (c.equals !== undefined) return v === c.equals;
  if (c.includes !== undefined) return Array.isArray(v) && v.includes(c.includes);
  if (c.includesAny !== undefined) return Array.isArray(v) ? v.some((x) => c.includesAny!.includes(String(x))) : c.includesAny.includes(String(v));
  if (c.atLeast !== undefined) return typeof v === "number" && v >= c.atLeast;
  return false;
}

/** A concept named in the text: where, as written, and whether the client denied it. */
export interface TextHit {
  concept: Concept;
  written: string;
  denied: boolean;
}

/** Phrases that may start at this token: by its written form, its stems, or without -nya/-ku. */
function lookup(lex: CompiledLexicon, t: Token): Phrase[] {
  const out: Phrase[] = [];
  for (const key of [t.word, t.stem, t.nasal, withoutEnclitic(t.word)]) {
    if (key === undefined) continue;
    for (const p of lex.index.get(key) ?? []) if (!out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * The phrases a word may start, found once per word and kept with the lexicon: a pasted text of
 * thousands of words repeats the same few hundred, and the typo search is the costly part.
 */
const candidateCache = new WeakMap<CompiledLexicon, Map<string, { phrases: Phrase[]; typo: boolean }>>();

function candidatesFor(lex: CompiledLexicon, t: Token): { phrases: Phrase[]; typo: boolean } {
  let cache = candidateCache.get(lex);
  if (!cache) candidateCache.set(lex, (cache = new Map()));
  const known = cache.get(t.word);
  if (known) return known;
  const exact = lookup(lex, t);
  const found = exact.length > 0 ? { phrases: exact, typo: false } : { phrases: typoCandidates(lex, t), typo: true };
  if (cache.size >= 50_000) cache.clear();
  cache.set(t.word, found);
  return found;
}

/** Phrases of a long word written with one typo ("pembukuaan", "karyawam"). */
function typoCandidates(lex: CompiledLexicon, t: Token): Phrase[] {
  const out = new Set<Phrase>();
  if (t.word.length >= 7) {
    // A typo in a long word ("pembukuaan", "karyawam") still names it; short words are too close to others.
    for (const entry of lex.typoWords.get(t.word[0]!) ?? []) {
      if (Math.abs(entry.word.length - t.word.length) <= 1 && damerauLevenshtein(entry.word, t.word, 1) <= 1) {
        for (const p of entry.phrases) out.add(p);
      }
    }
  }
  return [...out];
}

function phraseLengthAt(tokens: readonly Token[], i: number, p: Phrase, typo: boolean): number {
  const clause = tokens[i]!.clause;
  for (let k = 0; k < p.parts.length; k++) {
    const t = tokens[i + k];
    if (!t || t.clause !== clause) return 0;
    if (!partMatches(t, p.parts[k]!) && !(typo && k === 0 && p.parts.length === 1)) return 0;
  }
  return p.parts.length;
}

const startsWithAt = (tokens: readonly Token[], at: number, seq: readonly string[], clause: number): boolean =>
  seq.every((w, k) => tokens[at + k]?.clause === clause && tokens[at + k]!.word === w);

/** Did the client say they do not need this, or that it is in order ("tidak butuh modal", "izin sudah lengkap")? */
function isDenied(tokens: readonly Token[], start: number, end: number, lex: CompiledLexicon): boolean {
  const clause = tokens[start]!.clause;
  const before = (k: number) => (start - k >= 0 && tokens[start - k]!.clause === clause ? tokens[start - k]! : undefined);
  for (let k = 1; k <= 4; k++) {
    const t = before(k);
    if (!t) break;
    if (k <= 3 && lex.denials.has(t.word)) return true;
    if (lex.negators.has(t.word)) {
      // "tidak butuh modal" denies; "tidak ada modal", "belum punya izin" name the problem.
      for (let j = k - 1; j >= 1; j--) if (lex.needWords.has(before(j)!.word)) return true;
      break;
    }
  }
  for (const seq of lex.alreadyHave) {
    for (let gap = 0; gap <= 1; gap++) {
      const at = start - gap - seq.length;
      if (at >= 0 && startsWithAt(tokens, at, seq, clause)) return true;
    }
  }
  for (const seq of lex.satisfied) {
    for (let gap = 0; gap <= 2; gap++) {
      const at = end + gap;
      if (!startsWithAt(tokens, at, seq, clause)) continue;
      // "penjualan tidak lancar" is the problem itself, not a sign that all is well.
      const between = tokens.slice(end, at);
      if (!between.some((t) => lex.negators.has(t.word))) return true;
    }
  }
  return false;
}

/** Every concept of the lexicon the text names, longest phrase first at each place. */
export function findConcepts(lex: CompiledLexicon, text: string): TextHit[] {
  const tokens = tokenize(text, lex.spellings, lex.breaks);
  const hits: TextHit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const { phrases: cands, typo } = candidatesFor(lex, t);
    let best = 0;
    let found: Phrase[] = [];
    for (const p of cands) {
      const n = phraseLengthAt(tokens, i, p, typo);
      if (n > best) {
        best = n;
        found = [p];
      } else if (n > 0 && n === best) {
        found.push(p);
      }
    }
    if (best === 0) {
      i++;
      continue;
    }
    const written = tokens.slice(i, i + best).map((x) => x.word).join(" ");
    const denied = isDenied(tokens, i, i + best, lex);
    for (const p of found) hits.push({ concept: p.concept, written, denied });
    i += best;
  }
  return hits;
}

const round = (n: number) => Math.round(n * 100) / 100;

interface Tally {
  area: string;
  text: number;
  answers: number;
  reasons: string[];
}

/** Ranks the areas for a case: the client's words and the assessment answers. */
export function route(setup: RoutingSetup, answers: Readonly<Record<string, unknown>>, problemText: string): RoutingResult {
  const { rules, lexicon } = setup;
  const tallies = new Map<string, Tally>();
  const tally = (area: string): Tally => {
    let t = tallies.get(area);
    if (!t) tallies.set(area, (t = { area, text: 0, answers: 0, reasons: [] }));
    return t;
  };

  // Each concept counts once however often it is repeated, a little more when the client names it
  // in other words too; a denial counts only when every mention is denied.
  const concepts = new Map<Concept, { written: Set<string>; denied: boolean }>();
  for (const h of findConcepts(lexicon, problemText)) {
    const c = concepts.get(h.concept) ?? { written: new Set<string>(), denied: true };
    c.written.add(h.written);
    c.denied &&= h.denied;
    concepts.set(h.concept, c);
  }
  const named = new Map<string, { label: string; weight: number }[]>();
  const denied = new Map<string, string[]>();
  for (const [concept, c] of concepts) {
    const written = [...c.written];
    const label = written.some((w) => w !== concept.label) ? `${concept.label} (${written.slice(0, 2).join(", ")})` : concept.label;
    if (c.denied) {
      tally(concept.area).text -= concept.weight * rules.deniedWeight;
      denied.set(concept.area, [...(denied.get(concept.area) ?? []), label]);
    } else {
      const weight = concept.weight * (1 + rules.otherWords * Math.min(written.length - 1, 2));
      named.set(concept.area, [...(named.get(concept.area) ?? []), { label, weight }]);
    }
  }
  // The strongest concept of an area counts fully and the others less: many everyday words of one
  // area ("jual", "murah", "pembeli") must not outweigh one that names the cause ("dijiplak").
  for (const [area, list] of named) {
    list.sort((a, b) => b.weight - a.weight);
    tally(area).text += list.reduce((sum, x, i) => sum + (i === 0 ? x.weight : x.weight * rules.otherConcepts), 0);
    tally(area).reasons.push(`disebut: ${list.map((x) => x.label).join(", ")}`);
  }
  for (const [area, labels] of denied) tally(area).reasons.push(`tidak dibutuhkan: ${labels.join(", ")}`);

  for (const rule of rules.rules) {
    if (!holds(rule, answers)) continue;
    const t = tally(rule.area);
    t.answers += rule.weight;
    t.reasons.push(rule.reason);
  }

  const order = (a: string) => {
    const i = setup.areaOrder.indexOf(a);
    return i < 0 ? setup.areaOrder.length : i;
  };
  const sorted = [...tallies.values()]
    .map((t) => ({ ...t, total: round(t.text + t.answers) }))
    .filter((t) => t.total > 0)
    .sort((a, b) => b.total - a.total || b.text - a.text || order(a.area) - order(b.area));
  const ranked: RankedArea[] = sorted.map((t) => ({ area: t.area, score: t.total, reasons: t.reasons }));

  const top = sorted[0];
  const second = sorted[1];
  const why = (r: RankedArea) => `${r.area} (${r.reasons.join("; ")})`;
  if (!top) {
    return { ranked, recommended: null, confidence: "none", candidates: [], score: 0, explanation: "tidak ada aturan yang cocok: admin memilih bidang" };
  }
  const firstTwo = ranked.slice(0, 2);
  if (second && top.total - second.total < rules.tieMargin) {
    return {
      ranked,
      recommended: null,
      confidence: "tie",
      candidates: firstTwo.map((r) => r.area),
      score: top.total,
      explanation: `dua bidang sama mungkin: ${firstTwo.map(why).join(" / ")} -> admin memilih`,
    };
  }
  if (top.total < rules.minimumScore) {
    return {
      ranked,
      recommended: null,
      confidence: "weak",
      candidates: firstTwo.map((r) => r.area),
      score: top.total,
      explanation: `belum yakin (skor ${top.total} di bawah ${rules.minimumScore}): ${firstTwo.map(why).join(" / ")} -> admin memilih`,
    };
  }
  return {
    ranked,
    recommended: top.area,
    confidence: "clear",
    candidates: [top.area],
    score: top.total,
    explanation: `${top.reasons.join("; ")} -> ${top.area}`,
  };
}
