/**
 * The period of a report, as staff type it after /laporan: "hari ini", "minggu ini", "bulan ini",
 * "2026-11", "november 2026", "1-15 november", "2026-11-01..2026-11-15", and the English words.
 * Days are calendar days in the office's zone (WITA); a period runs from the first instant of its
 * first day to the last millisecond of its last day, both inclusive.
 */
import { intlLocale, type Lang } from "../../i18n/index.js";
import { addDays, localDateString, localParts, zonedTime } from "../../shared/time.js";

export interface Period {
  /** First instant of the first day (inclusive). */
  from: Date;
  /** Last millisecond of the last day (inclusive). */
  to: Date;
  /** "November 2026", "1–15 November 2026", "23–29 November 2026". */
  label: string;
  /** Local calendar days "YYYY-MM-DD". */
  fromDate: string;
  toDate: string;
}

export const PERIOD_ERRORS = [
  "report.period.empty",
  "report.period.invalid",
  "report.period.reversed",
  "report.period.future",
  "report.period.too_long",
] as const;
export type PeriodError = (typeof PERIOD_ERRORS)[number];

export type PeriodResult = { ok: true; period: Period } | { ok: false; error: PeriodError };

/** The longest period a report may cover (a leap year). */
export const MAX_PERIOD_DAYS = 366;

const MONTHS: Record<string, number> = {};
const MONTH_WORDS: Array<[number, string[]]> = [
  [1, ["januari", "january", "jan"]],
  [2, ["februari", "pebruari", "february", "feb", "peb"]],
  [3, ["maret", "march", "mar"]],
  [4, ["april", "apr"]],
  [5, ["mei", "may"]],
  [6, ["juni", "june", "jun"]],
  [7, ["juli", "july", "jul"]],
  [8, ["agustus", "august", "agu", "agt", "aug", "agus"]],
  [9, ["september", "sept", "sep"]],
  [10, ["oktober", "october", "okt", "oct"]],
  [11, ["november", "nopember", "nov", "nop"]],
  [12, ["desember", "december", "des", "dec"]],
];
for (const [n, words] of MONTH_WORDS) for (const w of words) MONTHS[w] = n;

const WORDS: Record<string, "today" | "yesterday" | "this_week" | "last_week" | "this_month" | "last_month" | "this_year" | "last_year"> = {
  "hari ini": "today",
  hariini: "today",
  today: "today",
  kemarin: "yesterday",
  yesterday: "yesterday",
  "minggu ini": "this_week",
  "pekan ini": "this_week",
  "this week": "this_week",
  "minggu lalu": "last_week",
  "minggu kemarin": "last_week",
  "pekan lalu": "last_week",
  "last week": "last_week",
  "bulan ini": "this_month",
  "this month": "this_month",
  "bulan lalu": "last_month",
  "bulan kemarin": "last_month",
  "last month": "last_month",
  "tahun ini": "this_year",
  "this year": "this_year",
  "tahun lalu": "last_year",
  "last year": "last_year",
};

interface Side {
  y?: number;
  m?: number;
  d?: number;
}

const pad = (n: number) => String(n).padStart(2, "0");
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function dayCount(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Lower case, one space between words, no trailing punctuation, "sampai dengan" spelled one way. */
function normalise(input: string): string {
  return input
    .toLowerCase()
    .replace(/[\u2013\u2014]/g, " - ")
    .replace(/\bs\s*\/\s*d\b\.?|\bs\.\s*d\.?|\bsampai dengan\b|\bsampai\b|\bhingga\b|\buntil\b|\bthrough\b|\bthru\b|\bto\b|\bsd\b/g, " .. ")
    .replace(/\s*\.\.\s*/g, " .. ")
    .replace(/[,;!?]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** One side of a range, possibly partial ("1", "1 nov", "november", "2026-11"). */
function parseSide(s: string): Side | null {
  const t = s.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) return { y: +m[1]!, m: +m[2]!, d: +m[3]! };
  if ((m = /^(\d{4})-(\d{1,2})$/.exec(t))) return { y: +m[1]!, m: +m[2]! };
  if ((m = /^(\d{4})$/.exec(t))) return { y: +m[1]! };
  // Day/month/year the Indonesian way: 5/11/2026, 05-11-2026, 5.11.2026
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t))) return { y: +m[3]!, m: +m[2]!, d: +m[1]! };
  if ((m = /^(\d{1,2})[/](\d{4})$/.exec(t))) return { y: +m[2]!, m: +m[1]! };
  if ((m = /^(\d{1,2})[/.](\d{1,2})$/.exec(t))) return { m: +m[2]!, d: +m[1]! };
  if ((m = /^(\d{1,2})$/.exec(t))) return { d: +m[1]! };
  const words = t.split(" ");
  // [day] month-name [year], or month-name day [year] (English "november 5")
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  for (const w of words) {
    const word = w.replace(/\.$/, "");
    if (/^\d{4}$/.test(word) && year === undefined) year = +word;
    else if (/^\d{1,2}(st|nd|rd|th)?$/.test(word) && day === undefined) day = parseInt(word, 10);
    else if (MONTHS[word] !== undefined && month === undefined) month = MONTHS[word];
    else return null;
  }
  if (month === undefined) return null;
  return { ...(year !== undefined ? { y: year } : {}), m: month, ...(day !== undefined ? { d: day } : {}) };
}

function validSide(s: Side): boolean {
  if (s.y !== undefined && (s.y < 2000 || s.y > 2100)) return false;
  if (s.m !== undefined && (s.m < 1 || s.m > 12)) return false;
  if (s.d !== undefined) {
    if (s.d < 1 || s.d > 31) return false;
    if (s.m !== undefined && s.y !== undefined && s.d > daysInMonth(s.y, s.m)) return false;
    if (s.m === undefined) return s.d >= 1;
  }
  return s.y !== undefined || s.m !== undefined || s.d !== undefined;
}

/** First and last day a complete side covers. */
function sideRange(s: Required<Pick<Side, "y">> & Side): { first: string; last: string } {
  if (s.m === undefined) return { first: ymd(s.y, 1, 1), last: ymd(s.y, 12, 31) };
  if (s.d === undefined) return { first: ymd(s.y, s.m, 1), last: ymd(s.y, s.m, daysInMonth(s.y, s.m)) };
  return { first: ymd(s.y, s.m, s.d), last: ymd(s.y, s.m, s.d) };
}

function build(fromDate: string, toDate: string, tz: string, lang: Lang): Period {
  return {
    from: zonedTime(fromDate, "00:00", tz),
    to: new Date(zonedTime(addDays(toDate, 1), "00:00", tz).getTime() - 1),
    label: periodLabel(fromDate, toDate, lang),
    fromDate,
    toDate,
  };
}

/** Monday of the week that holds `date` (local "YYYY-MM-DD"). */
function mondayOf(date: string): string {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((wd + 6) % 7));
}

/** The whole week (Monday to Sunday) before the week of `now`: what the weekly summary covers. */
export function lastWeek(now: Date, tz: string, lang: Lang = "id"): Period {
  const monday = addDays(mondayOf(localDateString(now, tz)), -7);
  return build(monday, addDays(monday, 6), tz, lang);
}

export function parsePeriod(input: string, now: Date, tz: string, lang: Lang = "id"): PeriodResult {
  const full = normalise(input);
  // "periode bulan ini", "bulan november 2026", "dari 1 sampai 15 november"
  const s = WORDS[full] ? full : full.replace(/^((periode|period|tanggal|tgl|dari|from)\s+)+/, "").replace(/^(bulan|month)\s+(?!ini$|lalu$|kemarin$)/, "");
  if (s === "") return { ok: false, error: "report.period.empty" };
  const today = localDateString(now, tz);
  const p = localParts(now, tz);
  const ok = (fromDate: string, toDate: string): PeriodResult => {
    if (fromDate > toDate) return { ok: false, error: "report.period.reversed" };
    if (fromDate > today) return { ok: false, error: "report.period.future" };
    if (dayCount(fromDate, toDate) > MAX_PERIOD_DAYS) return { ok: false, error: "report.period.too_long" };
    return { ok: true, period: build(fromDate, toDate, tz, lang) };
  };

  const word = WORDS[s];
  if (word) {
    switch (word) {
      case "today":
        return ok(today, today);
      case "yesterday":
        return ok(addDays(today, -1), addDays(today, -1));
      case "this_week": {
        const mon = mondayOf(today);
        return ok(mon, addDays(mon, 6));
      }
      case "last_week": {
        const mon = addDays(mondayOf(today), -7);
        return ok(mon, addDays(mon, 6));
      }
      case "this_month":
        return ok(ymd(p.year, p.month, 1), ymd(p.year, p.month, daysInMonth(p.year, p.month)));
      case "last_month": {
        const y = p.month === 1 ? p.year - 1 : p.year;
        const m = p.month === 1 ? 12 : p.month - 1;
        return ok(ymd(y, m, 1), ymd(y, m, daysInMonth(y, m)));
      }
      case "this_year":
        return ok(ymd(p.year, 1, 1), ymd(p.year, 12, 31));
      case "last_year":
        return ok(ymd(p.year - 1, 1, 1), ymd(p.year - 1, 12, 31));
    }
  }
  // "7 hari terakhir", "30 hari", "last 7 days"
  const lastN = /^(\d{1,3}) hari( terakhir)?$/.exec(s) ?? /^(?:last|past) (\d{1,3}) days$/.exec(s);
  if (lastN) {
    const n = Number(lastN[1]);
    if (n < 1) return { ok: false, error: "report.period.invalid" };
    if (n > MAX_PERIOD_DAYS) return { ok: false, error: "report.period.too_long" };
    return ok(addDays(today, -(n - 1)), today);
  }

  const resolved = resolve(s, today);
  if (!resolved) return { ok: false, error: "report.period.invalid" };
  return ok(resolved.first, resolved.last);
}

/** Parses a single date expression or a range, filling a missing year with the latest one not in the future. */
function resolve(s: string, today: string): { first: string; last: string } | null {
  const single = parseSide(s);
  const pairs: Array<[string, string]> = [];
  if (!single) {
    if (s.includes(" .. ")) {
      const parts = s.split(" .. ");
      if (parts.length !== 2) return null;
      pairs.push([parts[0]!, parts[1]!]);
    } else {
      // "1-15 november", "2026-11-01 - 2026-11-15": try every "-" as the separator.
      for (let i = s.indexOf("-"); i !== -1; i = s.indexOf("-", i + 1)) pairs.push([s.slice(0, i), s.slice(i + 1)]);
    }
  }
  const candidates: Array<[Side, Side]> = single ? [[single, single]] : [];
  for (const [a, b] of pairs) {
    const left = parseSide(a.trim());
    const right = parseSide(b.trim());
    if (left && right) candidates.push([left, right]);
  }
  for (const [l, r] of candidates) {
    if (!validSide(l) || !validSide(r)) continue;
    // A day-only or day-month left side borrows what it lacks from the right side.
    const left: Side = { ...l };
    if (left.m === undefined && left.d !== undefined) left.m = r.m;
    if (left.y === undefined) left.y = r.y;
    const right: Side = { ...r };
    if (right.m === undefined && right.d !== undefined) right.m = left.m;
    if (right.y === undefined) right.y = left.y;
    if ((left.d !== undefined && left.m === undefined) || (right.d !== undefined && right.m === undefined)) continue;
    const hasYear = left.y !== undefined;
    const currentYear = Number(today.slice(0, 4));
    for (const year of hasYear ? [undefined] : [currentYear, currentYear - 1]) {
      const ly = { ...left, y: left.y ?? (year as number) };
      // A range that runs into the next year ("20 des - 10 jan").
      const ry = { ...right, y: right.y ?? (year as number) };
      if (!hasYear && ly.m !== undefined && ry.m !== undefined && ry.m < ly.m) ry.y = ly.y + 1;
      if (!validSide(ly) || !validSide(ry)) continue;
      const first = sideRange(ly).first;
      const last = sideRange(ry).last;
      if (!hasYear && first > today && year === currentYear) continue;
      return { first, last };
    }
  }
  return null;
}

const monthNameCache = new Map<string, string>();
function monthName(m: number, lang: Lang): string {
  const k = `${lang}${m}`;
  let v = monthNameCache.get(k);
  if (!v) {
    v = new Intl.DateTimeFormat(intlLocale(lang), { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2001, m - 1, 1)));
    monthNameCache.set(k, v);
  }
  return v;
}

/** "5 November 2026", "November 2026", "2026", "1–15 November 2026", "20 Desember 2025 – 10 Januari 2026". */
export function periodLabel(fromDate: string, toDate: string, lang: Lang = "id"): string {
  const [fy, fm, fd] = fromDate.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = toDate.split("-").map(Number) as [number, number, number];
  const day = (y: number, m: number, d: number) => `${d} ${monthName(m, lang)} ${y}`;
  if (fromDate === toDate) return day(fy, fm, fd);
  if (fy === ty && fm === 1 && fd === 1 && tm === 12 && td === 31) return String(fy);
  if (fy === ty && fm === tm && fd === 1 && td === daysInMonth(ty, tm)) return `${monthName(fm, lang)} ${fy}`;
  if (fy === ty && fm === tm) return `${fd}\u2013${td} ${monthName(fm, lang)} ${fy}`;
  if (fy === ty && fd === 1 && td === daysInMonth(ty, tm)) return `${monthName(fm, lang)} \u2013 ${monthName(tm, lang)} ${fy}`;
  if (fy === ty) return `${fd} ${monthName(fm, lang)} \u2013 ${day(ty, tm, td)}`;
  return `${day(fy, fm, fd)} \u2013 ${day(ty, tm, td)}`;
}
