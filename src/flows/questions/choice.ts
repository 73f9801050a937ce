/**
 * Choosing from a list: by number ("2", "no. 2", "yang kedua"), by id, by label or synonym with
 * small typos, or by a unique start of a word ("pemb" for "Pembiayaan"). Several at once for a
 * multiple choice: "1,3", "1 dan 3", "1 3", "pemasaran & pembiayaan", "semua".
 */
import { fold } from "../../shared/fold.js";
import { type MatchResult, matchTerms } from "./fuzzy.js";
import {
  ALL_WORDS,
  CHOICE_NUMBER_PREFIX,
  CHOICE_NUMBER_SUFFIX,
  CHOICE_NUMBER_WORDS,
  LIST_JOIN_WORDS,
  NONE_WORDS,
} from "./lexicon.js";
import { type ChoiceOption, type ParseErr, type ParseResult, err, ok } from "./types.js";

export const CHOICE_ERRORS = [
  "q.choice.empty",
  "q.choice.unknown",
  "q.choice.ambiguous",
  "q.choice.out_of_range",
  "q.choice.too_few",
  "q.choice.too_many",
] as const;

export interface MultiChoiceOptions {
  /** Fewest options to pick (default 1; 0 lets "tidak ada" answer with none). */
  min?: number;
  /** Most options to pick. */
  max?: number;
}

const PREFIX = new Set(CHOICE_NUMBER_PREFIX.flatMap((p) => p.split(" ")));
const SUFFIX = new Set(CHOICE_NUMBER_SUFFIX);
const ALL = new Set(ALL_WORDS.map(fold));
const NONE = new Set(NONE_WORDS.map(fold));

/**
 * The number a person typed for an option: "2", "2.", "no 2", "nomor 2", "yang ke-2", "kedua",
 * "2️⃣", "2 aja". Undefined when the answer is not only a number.
 */
export function readOptionNumber(input: string): number | undefined {
  const words = fold(input).split(" ").filter((w) => w !== "");
  let i = 0;
  while (i < words.length - 1 && PREFIX.has(words[i] as string)) i++;
  let j = words.length;
  while (j > i + 1 && SUFFIX.has(words[j - 1] as string)) j--;
  if (j !== i + 1) return undefined;
  const w = words[i] as string;
  if (/^\d{1,3}$/.test(w)) return Number(w);
  // "ke2" and "no2" typed without a space.
  const glued = /^(?:ke|no|nomor|nmr)(\d{1,3})$/.exec(w);
  if (glued) return Number(glued[1]);
  return CHOICE_NUMBER_WORDS[w];
}

function entriesOf(options: readonly ChoiceOption[]) {
  return options.map((o) => ({ id: o.id, terms: [o.id, o.label, ...(o.synonyms ?? [])] }));
}

function labelsOf(ids: readonly string[], options: readonly ChoiceOption[]): string {
  return ids.map((id) => options.find((o) => o.id === id)?.label ?? id).join(", ");
}

function fromMatch(m: MatchResult, options: readonly ChoiceOption[], answer: string): ParseResult<string> {
  if (m.kind === "one") {
    const o = options.find((x) => x.id === m.id) as ChoiceOption;
    return ok(o.id, o.label);
  }
  if (m.kind === "many") {
    return err("q.choice.ambiguous", { candidates: labelsOf(m.ids, options), answer, example: labelsOf(m.ids.slice(0, 1), options) });
  }
  return err("q.choice.unknown", { answer, count: options.length });
}

/** Reads one choice and returns the option's id. */
export function parseChoice(input: string, options: readonly ChoiceOption[]): ParseResult<string> {
  const answer = input.trim();
  if (fold(answer) === "") return err("q.choice.empty", { count: options.length });
  const n = readOptionNumber(answer);
  // A number that is also some option's id or label ("2021") is read as that option.
  const exact = matchTerms(answer, entriesOf(options), { contains: false });
  if (n !== undefined && !(exact.kind === "one" && exact.tier === "exact")) {
    const o = options[n - 1];
    if (o === undefined || n < 1) return err("q.choice.out_of_range", { answer, count: options.length });
    return ok(o.id, o.label);
  }
  return fromMatch(matchTerms(answer, entriesOf(options)), options, answer);
}

const JOIN = new Set(LIST_JOIN_WORDS);

/** "1 3 5", "1-3" and "1,2" inside one part: only numbers and joining words. */
function readNumberList(part: string): number[] | undefined {
  const range = /^\s*(\d{1,3})\s*(?:-|–|sampai|sampe|sd|hingga|to)\s*(\d{1,3})\s*$/i.exec(part);
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (a > b || b - a > 50) return undefined;
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  }
  const words = fold(part).split(" ").filter((w) => w !== "" && !JOIN.has(w) && !PREFIX.has(w) && !SUFFIX.has(w));
  if (words.length === 0) return undefined;
  const nums: number[] = [];
  for (const w of words) {
    if (/^\d{1,3}$/.test(w)) nums.push(Number(w));
    else if (CHOICE_NUMBER_WORDS[w] !== undefined) nums.push(CHOICE_NUMBER_WORDS[w] as number);
    else return undefined;
  }
  return nums;
}

/** Splits on a joining word ("pemasaran dan pembiayaan") into the parts around it. */
function splitOnJoins(segment: string): string[] {
  const words = segment.split(/\s+/).filter((w) => w !== "");
  const parts: string[] = [];
  let cur: string[] = [];
  for (const w of words) {
    if (JOIN.has(fold(w)) || w === "&" || w === "+") {
      if (cur.length > 0) parts.push(cur.join(" "));
      cur = [];
    } else {
      cur.push(w);
    }
  }
  if (cur.length > 0) parts.push(cur.join(" "));
  return parts;
}

/** Reads one part of a multiple-choice answer into option indexes, or an error. */
function readPart(part: string, options: readonly ChoiceOption[]): number[] | ParseErr {
  const nums = readNumberList(part);
  if (nums !== undefined) {
    const bad = nums.find((n) => n < 1 || n > options.length);
    if (bad !== undefined) return err("q.choice.out_of_range", { answer: String(bad), count: options.length });
    return nums.map((n) => n - 1);
  }
  const entries = entriesOf(options);
  // The whole part may be one label that holds a joining word ("Promosi dan pemasaran").
  const whole = matchTerms(part, entries, { contains: false });
  if (whole.kind === "one" && whole.tier === "exact") return [options.findIndex((o) => o.id === whole.id)];
  const pieces = splitOnJoins(part);
  if (pieces.length > 1) {
    const out: number[] = [];
    let failed = false;
    for (const piece of pieces) {
      const r = readPart(piece, options);
      if (!Array.isArray(r)) {
        failed = true;
        break;
      }
      out.push(...r);
    }
    if (!failed) return out;
  }
  const single = parseChoice(part, options);
  if (!single.ok) return single;
  return [options.findIndex((o) => o.id === single.value)];
}

/** Reads a multiple choice and returns the ids picked, in the options' order, without repeats. */
export function parseMultiChoice(
  input: string,
  options: readonly ChoiceOption[],
  opts: MultiChoiceOptions = {},
): ParseResult<string[]> {
  const min = opts.min ?? 1;
  const max = opts.max ?? options.length;
  const f = fold(input);
  if (f === "") return err("q.choice.empty", { count: options.length });

  let picked: Set<number>;
  if (ALL.has(f)) {
    picked = new Set(options.map((_, i) => i));
  } else if (NONE.has(f)) {
    picked = new Set();
  } else {
    picked = new Set();
    const segments = input
      .replace(/\bs\s*\/\s*d\b/gi, " sampai ")
      .split(/[,;\n/|]+|、/).map((s) => s.trim()).filter((s) => fold(s) !== "");
    for (const seg of segments) {
      const r = readPart(seg, options);
      if (!Array.isArray(r)) return r;
      for (const i of r) picked.add(i);
    }
  }
  const idx = [...picked].sort((a, b) => a - b);
  if (idx.length < min) return err("q.choice.too_few", { min, count: idx.length });
  if (idx.length > max) return err("q.choice.too_many", { max, count: idx.length });
  const chosen = idx.map((i) => options[i] as ChoiceOption);
  return ok(
    chosen.map((o) => o.id),
    chosen.map((o) => o.label).join(", "),
  );
}
