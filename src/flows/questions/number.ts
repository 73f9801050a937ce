/**
 * Numbers and Rupiah amounts as clients type them: "1,5 juta", "Rp 2.000.000", "250rb", "8jt",
 * "2 juta 500 ribu", "kira2 15jt", "dua ratus ribu", "1,5M"; a range of money ("15-20 juta") is
 * read as its middle. Years also as "10 tahun lalu", counts also as "sendiri". Indonesian
 * separators: "." for thousands, "," for decimals; English "1,000,000.50" is accepted when it
 * cannot be read otherwise. Errors are keyed by what is asked (q.money.*, q.year.*, q.count.*,
 * q.number.*) so that the example in the text fits the question.
 */
import { type Lang } from "../../i18n/index.js";
import { formatNumber, formatRupiah } from "./format.js";
import { fold } from "../../shared/fold.js";
import { ALONE_WORDS, DIGIT_WORDS, GROUP_WORDS, HALF_WORDS, RANGE_WORDS, SCALE_WORDS, SE_SCALE_WORDS, YEARS_AGO_WORDS } from "./lexicon.js";
import { type ParseResult, err, ok } from "./types.js";

/** What a number question asks for; its errors and their examples follow it. */
export type NumberKind = "number" | "money" | "count" | "year";

const CODES = ["empty", "invalid", "range", "too_small", "too_large", "not_integer"] as const;
type Code = (typeof CODES)[number];
/** Errors each kind can give: money takes ranges and decimals, so has no range or not_integer error. */
const KIND_CODES: Record<NumberKind, readonly Code[]> = {
  number: CODES,
  money: ["empty", "invalid", "too_small", "too_large"],
  count: CODES,
  year: CODES,
};
const errorKey = (kind: NumberKind, code: Code) => `q.${kind}.${code}`;

export const NUMBER_ERRORS = (Object.keys(KIND_CODES) as NumberKind[]).flatMap((k) => KIND_CODES[k].map((c) => errorKey(k, c)));

export interface NumberOptions {
  min?: number;
  max?: number;
  /** Only whole numbers (a count of employees). */
  integer?: boolean;
  /** A Rupiah amount: shown as "Rp 1.500.000"; at most two decimals kept. */
  currency?: boolean;
  /** What is asked (default: money with currency, count with integer, else number). */
  kind?: NumberKind;
  /** This year, for "10 tahun lalu" in a year question. */
  currentYear?: number;
  /** Language of the display of a plain number (Rupiah always shows as "Rp 1.500.000"). */
  lang?: Lang;
}

type Token =
  | { t: "num"; raw: string }
  | { t: "word"; v: number }
  | { t: "group"; w: "puluh" | "ratus" | "belas" }
  | { t: "half" }
  | { t: "scale"; v: number; se: boolean }
  | { t: "range"; dash: boolean }
  | { t: "minus" }
  | { t: "other" };

const SEP_GROUP = /^\d{1,3}$/;
const THREE = /^\d{3}$/;

/**
 * A digit string with "." and "," separators to a number. `unit` says a scale word follows
 * ("1,500 juta" is 1.5 juta); `preferThousands` reads a lone ",ddd" as thousands ("Rp 2,500").
 */
export function parseDigitString(raw: string, unit: boolean, preferThousands: boolean): number | undefined {
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^\d[\d.,]*\d$/.test(raw)) return undefined;
  const dots = raw.split(".").length - 1;
  const commas = raw.split(",").length - 1;
  const thousands = (intPart: string, sep: string): string | undefined => {
    const groups = intPart.split(sep);
    if (groups.length === 1) return intPart;
    if (!SEP_GROUP.test(groups[0] ?? "") || groups[0] === "0") return undefined;
    return groups.slice(1).every((g) => THREE.test(g)) ? groups.join("") : undefined;
  };
  if (dots > 0 && commas > 0) {
    const decSep = raw.lastIndexOf(".") > raw.lastIndexOf(",") ? "." : ",";
    const thouSep = decSep === "." ? "," : ".";
    const at = raw.lastIndexOf(decSep);
    const intPart = raw.slice(0, at);
    const frac = raw.slice(at + 1);
    if (intPart.includes(decSep) || !/^\d+$/.test(frac)) return undefined;
    const int = thousands(intPart, thouSep);
    return int === undefined ? undefined : Number(`${int}.${frac}`);
  }
  const sep = dots > 0 ? "." : ",";
  const parts = raw.split(sep);
  if (parts.length === 2) {
    const [a = "", b = ""] = parts;
    if (b.length === 3 && SEP_GROUP.test(a) && a !== "0") {
      // "2.500" is 2500 in Indonesian; a lone ",500" is a decimal comma unless it reads as money.
      if (sep === "." || (!unit && preferThousands)) return Number(a + b);
      return Number(`${a}.${b}`);
    }
    return Number(`${a}.${b}`);
  }
  const int = thousands(raw, sep);
  return int === undefined ? undefined : Number(int);
}

function tokenize(input: string): Token[] {
  let s = input.normalize("NFKC").toLowerCase();
  // "kira2", "kurang lebih2": a 2 right after letters repeats the word, it is not a number.
  s = s.replace(/(?<=\p{L})2(?![\p{L}\p{N}]|[.,]\d)/gu, " ");
  // "±", "+-", "+/-", "~", "≈" mean "about"; "s/d" means "until".
  s = s.replace(/\+\s*\/?\s*-|-\s*\/?\s*\+|[±~≈∓]/g, " ");
  s = s.replace(/\bs\s*\.?\s*\/\s*d\b\.?/g, " sampai ");
  // A space between thousand groups: "2 000 000".
  s = s.replace(/(?<=\b\d{1,3}) (?=\d{3}\b)/g, "");
  const re = /(\d(?:[\d.,]*\d)?)|(\p{L}+)|([-–—])/gu;
  const tokens: Token[] = [];
  for (const m of s.matchAll(re)) {
    const [, digits, word, dash] = m;
    if (digits !== undefined) {
      tokens.push({ t: "num", raw: digits });
    } else if (dash !== undefined) {
      tokens.push({ t: "range", dash: true });
    } else if (word !== undefined) {
      if (word in SCALE_WORDS) tokens.push({ t: "scale", v: SCALE_WORDS[word] as number, se: false });
      else if (word in SE_SCALE_WORDS) tokens.push({ t: "scale", v: SE_SCALE_WORDS[word] as number, se: true });
      else if (word in DIGIT_WORDS) tokens.push({ t: "word", v: DIGIT_WORDS[word] as number });
      else if (word in GROUP_WORDS) tokens.push({ t: "group", w: GROUP_WORDS[word] as "puluh" });
      else if (HALF_WORDS.includes(word)) tokens.push({ t: "half" });
      else if (RANGE_WORDS.includes(word)) tokens.push({ t: "range", dash: false });
      else if (word === "minus") tokens.push({ t: "minus" });
      else tokens.push({ t: "other" });
    }
  }
  return tokens;
}

const isNumeric = (t: Token): boolean => t.t === "num" || t.t === "word" || t.t === "group" || t.t === "half" || t.t === "scale";

/** Evaluates one run of number tokens ("2 juta 500 ribu") or undefined when it does not add up. */
function evaluate(run: Token[], preferThousands: boolean): number | undefined {
  let total = 0;
  let group = 0;
  let last = 0;
  let haveGroup = false;
  let lastScale = Infinity;
  let prev: Token | undefined;
  for (let i = 0; i < run.length; i++) {
    const tok = run[i] as Token;
    switch (tok.t) {
      case "num": {
        if (prev?.t === "num" || prev?.t === "word") return undefined;
        const next = run[i + 1];
        const v = parseDigitString(tok.raw, next?.t === "scale", preferThousands);
        if (v === undefined) return undefined;
        group += v;
        last = v;
        haveGroup = true;
        break;
      }
      case "word":
        if (prev?.t === "num") return undefined;
        group += tok.v;
        last = tok.v;
        haveGroup = true;
        break;
      case "group":
        if (!haveGroup) return undefined;
        if (tok.w === "belas") {
          group += 10;
          last += 10;
        } else {
          const f = tok.w === "puluh" ? 10 : 100;
          group = group - last + last * f;
          last *= f;
        }
        break;
      case "half":
        if (!haveGroup && prev?.t === "scale") {
          total += lastScale / 2;
        } else {
          group += 0.5;
          last = 0.5;
          haveGroup = true;
        }
        break;
      case "scale": {
        if (tok.v >= lastScale) return undefined;
        let mult: number;
        if (tok.se) {
          if (haveGroup) return undefined;
          mult = 1;
        } else {
          if (!haveGroup) return undefined;
          mult = group;
        }
        total += mult * tok.v;
        group = 0;
        last = 0;
        haveGroup = false;
        lastScale = tok.v;
        break;
      }
      default:
        return undefined;
    }
    prev = tok;
  }
  if (haveGroup) {
    // "2 juta 500" and "1jt200" are said for 2.500.000 and 1.200.000: a bare number under a
    // thousand after juta or more is in thousands.
    if (lastScale !== Infinity && lastScale >= 1e6 && group < 1000) total += group * (lastScale / 1000);
    else total += group;
  }
  return total;
}

/** Runs of number tokens and whether a range word or dash joined them. */
function splitRuns(tokens: Token[]): { runs: Token[][]; sawRange: boolean; negative: boolean } {
  let negative = false;
  const runs: Token[][] = [];
  let current: Token[] = [];
  let sawRange = false;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    if (isNumeric(tok)) {
      current.push(tok);
      continue;
    }
    if (current.length > 0) {
      runs.push(current);
      current = [];
    }
    if (tok.t === "range") {
      // A dash before the first number, with only words before it, is a minus sign: "-5".
      if (tok.dash && runs.length === 0 && !sawRange && tokens[i + 1]?.t === "num") negative = true;
      else sawRange = true;
    } else if (tok.t === "minus" && runs.length === 0) {
      negative = true;
    }
  }
  if (current.length > 0) runs.push(current);
  return { runs, sawRange, negative };
}

const hasDigits = (run: Token[]) => run.some((t) => t.t === "num" || t.t === "word" || (t.t === "scale" && t.se) || t.t === "half");

/** "15-20 juta": the scale after the second number is the first's too. */
function rangeEnds(a: Token[], b: Token[], preferThousands: boolean): [number, number] | undefined {
  const scales = (run: Token[]) => run.filter((t) => t.t === "scale" && !t.se);
  const lowRun = scales(a).length === 0 && scales(b).length > 0 ? [...a, ...b.slice(b.findIndex((t) => t.t === "scale" && !t.se))] : a;
  const low = evaluate(lowRun, preferThousands);
  const high = evaluate(b, preferThousands);
  if (low === undefined || high === undefined) return undefined;
  return low <= high ? [low, high] : [high, low];
}

/** "10 tahun lalu" in a year question: this year less ten; "tahun lalu" alone is last year. */
function yearsAgo(input: string, currentYear: number): number | undefined {
  const f = fold(input.replace(/(?<=\p{L})2(?![\p{L}\p{N}])/gu, " "));
  const m = new RegExp(`(?:^| )(?:(\\d+|${Object.keys(DIGIT_WORDS).join("|")}) )?(?:${YEARS_AGO_WORDS.join("|")})$`).exec(f);
  if (!m) return undefined;
  const n = m[1] === undefined ? 1 : /^\d+$/.test(m[1]) ? Number(m[1]) : (DIGIT_WORDS[m[1]] as number);
  return currentYear - n;
}

/** Reads a number or an amount of Rupiah. */
export function parseNumber(input: string, opts: NumberOptions = {}): ParseResult<number> {
  const lang = opts.lang ?? "id";
  const kind: NumberKind = opts.kind ?? (opts.currency ? "money" : opts.integer ? "count" : "number");
  const fail = (code: Code, params?: Record<string, string | number>) => err(errorKey(kind, code), params);
  const show = (v: number): string => (opts.currency ? formatRupiah(v) : kind === "year" ? String(v) : formatNumber(v, lang));
  if (input.trim() === "") return fail("empty");
  const preferThousands = Boolean(opts.currency || opts.integer || kind === "money");

  let raw: number | undefined;
  let negative = false;
  const ago = kind === "year" && opts.currentYear !== undefined ? yearsAgo(input, opts.currentYear) : undefined;
  if (ago !== undefined) raw = ago;
  else if (kind === "count" && ALONE_WORDS.includes(fold(input))) raw = 1;
  else {
    const split = splitRuns(tokenize(input));
    negative = split.negative;
    const { runs, sawRange } = split;
    if (runs.length === 0) return fail("invalid");
    if (runs.length === 2 && sawRange && kind === "money" && runs.every(hasDigits)) {
      // A range of money ("15-20 juta", "kira2 15 sampai 20jt") is read as its middle.
      const ends = rangeEnds(runs[0] as Token[], runs[1] as Token[], preferThousands);
      if (!ends) return fail("invalid");
      raw = (ends[0] + ends[1]) / 2;
    } else {
      if (runs.length > 1) return fail(sawRange && kind !== "money" ? "range" : "invalid");
      const run = runs[0] as Token[];
      if (!hasDigits(run)) return fail("invalid");
      raw = evaluate(run, preferThousands);
    }
  }
  if (raw === undefined || !Number.isFinite(raw) || Math.abs(raw) >= 1e18) return fail("invalid");
  let value = Number(raw.toPrecision(15));
  if (negative) value = -value;
  if (Object.is(value, -0)) value = 0;
  if (opts.currency) value = Math.round(value * 100) / 100;

  // Money keeps its cents; a count, a year or a number asked whole does not.
  if (kind !== "money" && (opts.integer || kind !== "number") && !Number.isInteger(value)) return fail("not_integer", { value: show(value) });
  if (opts.min !== undefined && value < opts.min) return fail("too_small", { min: show(opts.min) });
  if (opts.max !== undefined && value > opts.max) return fail("too_large", { max: show(opts.max) });
  return ok(value, show(value));
}
