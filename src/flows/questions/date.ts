/**
 * Calendar dates as clients type them, day first: "17-08-1990", "17/8/90", "17.08.1990",
 * "17 Agustus 1990", "17 agt 90", "17 August 1990", "August 17, 1990", "1990-08-17", "17081990",
 * "hari ini", "kemarin", "besok", "lusa", "minggu depan", "2 minggu lagi", "senin depan", "akhir juni"; and for a
 * date ahead, also without month or year: "tgl 5" (the next 5th), "5 juli" (the next 5 July).
 * Returns "YYYY-MM-DD".
 */
import { type Lang } from "../../i18n/index.js";
import { dateTimeFormat, formatIsoDate } from "./format.js";
import { fold } from "../../shared/fold.js";
import { matchTerms } from "./fuzzy.js";
import {
  AHEAD_WORDS,
  BACK_WORDS,
  DATE_FILLER_WORDS,
  DATE_UNIT_WORDS,
  DIGIT_WORDS,
  MONTH_WORDS,
  RELATIVE_DAY_WORDS,
  RELATIVE_FILLER_WORDS,
  SE_UNIT_WORDS,
  WEEKDAY_NUMBERS,
  WEEKDAY_WORDS,
} from "./lexicon.js";
import { type ParseResult, err, ok } from "./types.js";

export const DATE_ERRORS = [
  "q.date.empty",
  "q.date.invalid",
  "q.date.incomplete",
  // A date ahead (an appointment, a target): the same errors with examples of dates ahead.
  "q.date.ahead_empty",
  "q.date.ahead_invalid",
  "q.date.ahead_incomplete",
  "q.date.impossible",
  "q.date.in_future",
  "q.date.in_past",
  "q.date.too_early",
  "q.date.too_late",
] as const;

export interface DateOptions {
  /** The clock, passed in: parsers never read it themselves. */
  now: Date;
  /** The date must not be after today (a birth date). Two-digit years then resolve into the past. */
  past?: boolean;
  /** The date must not be before today (an appointment). Two-digit years then resolve ahead. */
  future?: boolean;
  minYear?: number;
  maxYear?: number;
  /** Whose "today" (default Asia/Makassar, WITA, Bali's zone). */
  timeZone?: string;
}

export interface YMD {
  y: number;
  m: number;
  d: number;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** True for a real calendar date (month 1-12, day within the month). */
export function isRealDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Today's date where the office is (or in the zone given). */
export function todayIn(now: Date, timeZone = "Asia/Makassar"): YMD {
  const parts = dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get("year"), m: get("month"), d: get("day") };
}

const key = (v: YMD): number => v.y * 10000 + v.m * 100 + v.d;
const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
export const toIso = (v: YMD): string => `${pad(v.y, 4)}-${pad(v.m)}-${pad(v.d)}`;

function addDays(v: YMD, days: number): YMD {
  const t = new Date(Date.UTC(2000, v.m - 1, v.d));
  t.setUTCFullYear(v.y);
  t.setUTCDate(t.getUTCDate() + days);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/**
 * The full year for a two-digit one: with `past`, the latest such year whose date is not after
 * today; with `future`, the earliest not before today; otherwise the one nearest to today.
 */
export function resolveTwoDigitYear(yy: number, m: number, d: number, today: YMD, mode: "past" | "future" | "nearest"): number {
  const base = Math.floor(today.y / 100) * 100 + yy;
  // An impossible day still needs a year to report; compare with the day clamped into its month.
  const at = (y: number): number => key({ y, m, d: Math.min(d, daysInMonth(y, Math.min(Math.max(m, 1), 12))) });
  if (mode === "past") return at(base) > key(today) ? base - 100 : base;
  if (mode === "future") return at(base) < key(today) ? base + 100 : base;
  const candidates = [base - 100, base, base + 100];
  let best = base;
  for (const c of candidates) if (Math.abs(c - today.y) < Math.abs(best - today.y)) best = c;
  return best;
}

const MONTH_ENTRIES = Object.entries(MONTH_WORDS).map(([m, words]) => ({ id: m, terms: words }));
const MONTH_EXACT = new Map<string, number>();
for (const [m, words] of Object.entries(MONTH_WORDS)) for (const w of words) MONTH_EXACT.set(w, Number(m));
const IGNORED = new Set([...WEEKDAY_WORDS, ...DATE_FILLER_WORDS]);

/** A month named by a word, allowing abbreviations, unique prefixes and typos ("agutus"). */
export function monthOf(word: string): number | undefined {
  const f = fold(word);
  const exact = MONTH_EXACT.get(f);
  if (exact !== undefined) return exact;
  if (f.length < 3) return undefined;
  const m = matchTerms(f, MONTH_ENTRIES, { contains: false });
  return m.kind === "one" ? Number(m.id) : undefined;
}

type Item = { k: "num"; raw: string } | { k: "mon"; m: number };

type Read =
  | { kind: "date"; d: number; m: number; y: number; twoDigitYear: boolean }
  | { kind: "incomplete" }
  | { kind: "invalid" };

function readYear(raw: string): { y: number; two: boolean } | undefined {
  if (raw.length === 4 && raw >= "1000") return { y: Number(raw), two: false };
  if (raw.length === 2) return { y: Number(raw), two: true };
  return undefined;
}

function dmy(dRaw: string, m: number, yRaw: string): Read {
  if (dRaw.length > 2) return { kind: "invalid" };
  const y = readYear(yRaw);
  if (!y) return { kind: "invalid" };
  return { kind: "date", d: Number(dRaw), m, y: y.y, twoDigitYear: y.two };
}

function readItems(items: Item[]): Read {
  const months = items.filter((i) => i.k === "mon");
  const raws = items.map((i) => (i.k === "num" ? i.raw : ""));
  if (months.length > 1) return { kind: "invalid" };
  if (months.length === 1) {
    const mi = items.findIndex((i) => i.k === "mon");
    const m = (months[0] as { m: number }).m;
    if (items.length < 3) return { kind: "incomplete" };
    if (items.length > 3) return { kind: "invalid" };
    const [a = "", , c = ""] = raws;
    if (mi === 1) {
      if (a.length === 4) return dmy(c, m, a); // "1990 Agustus 17"
      return dmy(a, m, c);
    }
    if (mi === 0) return dmy(raws[1] ?? "", m, c); // "August 17, 1990"
    return { kind: "invalid" };
  }
  if (items.length === 1) {
    const r = raws[0] ?? "";
    if (r.length === 8) {
      const d = Number(r.slice(0, 2));
      const mo = Number(r.slice(2, 4));
      const y = Number(r.slice(4));
      // DDMMYYYY is how Indonesians write it; YYYYMMDD when that is the only real reading.
      if (!isRealDate(y, mo, d) && isRealDate(Number(r.slice(0, 4)), Number(r.slice(4, 6)), Number(r.slice(6)))) {
        return { kind: "date", y: Number(r.slice(0, 4)), m: Number(r.slice(4, 6)), d: Number(r.slice(6)), twoDigitYear: false };
      }
      if (y < 1000) return { kind: "invalid" };
      return { kind: "date", d, m: mo, y, twoDigitYear: false };
    }
    if (r.length === 6) return { kind: "date", d: Number(r.slice(0, 2)), m: Number(r.slice(2, 4)), y: Number(r.slice(4)), twoDigitYear: true };
    if (r.length <= 2 || r.length === 4) return { kind: "incomplete" };
    return { kind: "invalid" };
  }
  if (items.length === 2) return raws.every((r) => r.length <= 4) ? { kind: "incomplete" } : { kind: "invalid" };
  if (items.length !== 3) return { kind: "invalid" };
  const [a = "", b = "", c = ""] = raws;
  if (a.length === 4) {
    if (b.length > 2 || c.length > 2 || a < "1000") return { kind: "invalid" };
    return { kind: "date", y: Number(a), m: Number(b), d: Number(c), twoDigitYear: false };
  }
  if (b.length > 2) return { kind: "invalid" };
  let d = Number(a);
  let m = Number(b);
  // "8/17/1990" cannot be day-month: read it month-day, the only way it is a date.
  if (m > 12 && d <= 12) [d, m] = [m, d];
  return dmy(String(d), m, c);
}

function addMonths(v: YMD, months: number): YMD {
  const total = v.y * 12 + (v.m - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return { y, m, d: Math.min(v.d, daysInMonth(y, m)) };
}

const weekday = (v: YMD): number => {
  const t = new Date(Date.UTC(2000, v.m - 1, v.d));
  t.setUTCFullYear(v.y);
  return t.getUTCDay();
};

const RELATIVE_FILLER = new Set(RELATIVE_FILLER_WORDS);
const joinedWords = (words: readonly string[]) => new Set(words);
const AHEAD = joinedWords(AHEAD_WORDS);
const BACK = joinedWords(BACK_WORDS);

/**
 * A date said relative to today: "2 minggu lagi", "seminggu lagi", "minggu depan", "bulan depan",
 * "3 hari lalu", "senin depan", "hari jumat". Undefined when the words say something else.
 */
export function relativeDate(folded: string, today: YMD): YMD | undefined {
  const words = folded
    .replace(/\b(yang|yg) lalu\b/g, "lalu")
    .replace(/\b(dari sekarang|ke depan)\b/g, "lagi")
    .split(" ")
    .filter((w) => w !== "" && !RELATIVE_FILLER.has(w));
  const expanded = words.flatMap((w) => (w in SE_UNIT_WORDS ? ["1", SE_UNIT_WORDS[w] as string] : [w]));
  const count = (w: string | undefined): number | undefined =>
    w === undefined ? undefined : /^\d{1,3}$/.test(w) ? Number(w) : DIGIT_WORDS[w];
  const shift = (n: number, unit: { days?: number; months?: number }): YMD =>
    unit.months !== undefined ? addMonths(today, n * unit.months) : addDays(today, n * (unit.days ?? 1));
  const [a, b, c, d] = expanded;
  // "2 minggu lagi", "3 hari lalu"
  if (expanded.length === 3 && count(a) !== undefined && b !== undefined && b in DATE_UNIT_WORDS && c !== undefined) {
    const n = count(a) as number;
    if (AHEAD.has(c)) return shift(n, DATE_UNIT_WORDS[b]!);
    if (BACK.has(c)) return shift(-n, DATE_UNIT_WORDS[b]!);
  }
  // "minggu depan", "bulan lalu" (not "hari ..." alone: that is a day name below)
  if (expanded.length === 2 && a !== undefined && a !== "hari" && a in DATE_UNIT_WORDS && b !== undefined) {
    if (AHEAD.has(b)) return shift(1, DATE_UNIT_WORDS[a]!);
    if (BACK.has(b)) return shift(-1, DATE_UNIT_WORDS[a]!);
  }
  // "senin", "hari senin", "senin depan", "jumat ini", "rabu lalu"
  const rest = a === "hari" ? [b, c, d] : [a, b, c];
  const name = rest[0];
  const after = rest.slice(1).filter((x): x is string => x !== undefined);
  if (name !== undefined && name in WEEKDAY_NUMBERS && after.length <= 1) {
    const target = WEEKDAY_NUMBERS[name] as number;
    const diff = (target - weekday(today) + 7) % 7;
    if (after.length === 0 || AHEAD.has(after[0]!)) return addDays(today, diff === 0 ? 7 : diff);
    if (after[0] === "ini") return addDays(today, diff);
    if (BACK.has(after[0]!)) return addDays(today, diff === 0 ? -7 : diff - 7);
  }
  return undefined;
}

/** "akhir juni 2026", "awal bulan depan", "pertengahan juli": a part of a month, as a day of it. */
export function partOfMonth(folded: string, today: YMD): YMD | undefined {
  const m = /^(akhir|awal|pertengahan|tengah|medio|end of|beginning of|mid) (.+)$/.exec(folded);
  if (!m) return undefined;
  const words = (m[2] as string).split(" ").filter((w) => w !== "" && w !== "bulan" && w !== "bln");
  let base: YMD | undefined;
  if (words.length === 0 || (words.length === 1 && words[0] === "ini")) base = today;
  else if (words.length === 1 && AHEAD.has(words[0]!)) base = addMonths(today, 1);
  else {
    const month = monthOf(words[0]!);
    const year = words[1] !== undefined && /^\d{4}$/.test(words[1]) ? Number(words[1]) : undefined;
    if (month === undefined || words.length > 2 || (words.length === 2 && year === undefined)) return undefined;
    const y = year ?? (month < today.m ? today.y + 1 : today.y);
    base = { y, m: month, d: 1 };
  }
  const part = m[1] as string;
  const d = part === "akhir" || part === "end of" ? daysInMonth(base.y, base.m) : part === "awal" || part === "beginning of" ? 1 : 15;
  return { y: base.y, m: base.m, d };
}

/** "tgl 5", "5 juli", "5/7" for a date ahead: the next such day on the calendar, today included. */
function nextOccurrence(items: Item[], today: YMD): YMD | undefined {
  const nums = items.filter((i): i is { k: "num"; raw: string } => i.k === "num").map((i) => i.raw);
  const month = items.find((i): i is { k: "mon"; m: number } => i.k === "mon")?.m;
  if (nums.some((r) => r.length > 2)) return undefined;
  const [d, m2] = nums.map(Number);
  if (d === undefined || d < 1 || d > 31) return undefined;
  const m = month ?? (nums.length === 2 ? m2 : undefined);
  if ((month !== undefined && nums.length !== 1) || nums.length > 2) return undefined;
  if (m === undefined) {
    for (let k = 0; k < 12; k++) {
      const at = addMonths({ ...today, d: 1 }, k);
      if (d <= daysInMonth(at.y, at.m) && key({ ...at, d }) >= key(today)) return { ...at, d };
    }
    return undefined;
  }
  if (m < 1 || m > 12) return undefined;
  for (let y = today.y; y <= today.y + 4; y++) {
    if (isRealDate(y, m, d) && key({ y, m, d }) >= key(today)) return { y, m, d };
  }
  return undefined;
}

/** Reads a date and returns "YYYY-MM-DD"; the display is the date written out in `lang`. */
export function parseDate(input: string, opts: DateOptions, lang: Lang = "id"): ParseResult<string> {
  const today = todayIn(opts.now, opts.timeZone);
  const s = input
    .normalize("NFKC")
    .toLowerCase()
    .replace(/['’`]/g, "")
    .replace(/(\d)(?:st|nd|rd|th)\b/g, "$1")
    .trim();
  const code = (c: "empty" | "invalid" | "incomplete") => (opts.future ? `q.date.ahead_${c}` : `q.date.${c}`);
  if (s === "") return err(code("empty"));

  let value: YMD | undefined;
  const folded = fold(s);
  const words = folded.split(" ").filter((w) => !IGNORED.has(w));
  // "minggu besok" is next week (Balinese Indonesian), so units and day names are read before "besok".
  value = relativeDate(folded, today) ?? (opts.past ? undefined : partOfMonth(folded, today));
  const relative = RELATIVE_DAY_WORDS[words.join(" ")] ?? RELATIVE_DAY_WORDS[folded];
  if (!value && relative !== undefined) value = addDays(today, relative);

  if (!value) {
    const items: Item[] = [];
    for (const m of s.matchAll(/\d+|\p{L}+/gu)) {
      const t = m[0];
      if (/^\d/.test(t)) {
        items.push({ k: "num", raw: t });
        continue;
      }
      if (IGNORED.has(fold(t))) continue;
      const month = monthOf(t);
      if (month !== undefined) items.push({ k: "mon", m: month });
      // Other words ("lahir di Gianyar") are passed over.
    }
    if (items.length === 0) return err(code("invalid"));
    const r = readItems(items);
    // "bulan 7" names a month, not the 7th: only a day (and month) written as such is completed.
    const ahead = r.kind === "incomplete" && opts.future && !/\b(bulan|bln)\b/.test(folded) ? nextOccurrence(items, today) : undefined;
    if (ahead) return finish(ahead);
    if (r.kind === "incomplete") return err(code("incomplete"));
    if (r.kind === "invalid") return err(code("invalid"));
    let y = r.y;
    if (r.twoDigitYear) y = resolveTwoDigitYear(r.y, r.m, r.d, today, opts.past ? "past" : opts.future ? "future" : "nearest");
    if (!isRealDate(y, r.m, r.d)) {
      return err("q.date.impossible", { date: `${pad(r.d)}-${pad(r.m)}-${pad(y, 4)}` });
    }
    value = { y, m: r.m, d: r.d };
  }

  return finish(value);

  function finish(v: YMD): ParseResult<string> {
    const iso = toIso(v);
    const display = formatIsoDate(iso, lang);
    if (opts.past && key(v) > key(today)) return err("q.date.in_future", { date: display });
    if (opts.future && key(v) < key(today)) return err("q.date.in_past", { date: display });
    if (opts.minYear !== undefined && v.y < opts.minYear) return err("q.date.too_early", { minYear: opts.minYear, date: display });
    if (opts.maxYear !== undefined && v.y > opts.maxYear) return err("q.date.too_late", { maxYear: opts.maxYear, date: display });
    return ok(iso, display);
  }
}
