/**
 * Dates as the office writes them. The office is in Bali (WITA, UTC+8, "Asia/Makassar"), so every
 * date is shown in that zone unless the caller passes another one. Day and month names come from
 * Intl.DateTimeFormat ("id-ID" for Indonesian), never from a hand-made table.
 */
import { clockTime, intlLocale, type Lang } from "./lang.js";

export const OFFICE_TIME_ZONE = "Asia/Makassar";


const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(key, f);
  }
  return f;
}

function part(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((p) => p.type === type)?.value ?? "";
}

export interface WallClock {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number; // 0..23
  minute: number;
}

/** The calendar date and clock time of an instant in a time zone. */
export function wallClock(d: Date, timeZone: string = OFFICE_TIME_ZONE): WallClock {
  const parts = fmt("en-US", timeZone, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(d);
  const n = (t: Intl.DateTimeFormatPartTypes) => Number(part(parts, t));
  return { year: n("year"), month: n("month"), day: n("day"), hour: n("hour") % 24, minute: n("minute") };
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** "2026-11-28 14:05": ISO-like local time, for CSV and logs. */
export function localIsoMinute(d: Date, timeZone: string = OFFICE_TIME_ZONE): string {
  const w = wallClock(d, timeZone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}`;
}

/** "2026-11-28": ISO local date. */
export function localIsoDate(d: Date, timeZone: string = OFFICE_TIME_ZONE): string {
  const w = wallClock(d, timeZone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)}`;
}

/**
 * A Date whose UTC fields equal the wall-clock time in `timeZone`. Spreadsheet cells store dates
 * without a zone (exceljs writes the UTC fields), so this makes Excel show the office's local time.
 */
export function wallClockAsUtc(d: Date, timeZone: string = OFFICE_TIME_ZONE): Date {
  const w = wallClock(d, timeZone);
  const seconds = d.getUTCSeconds();
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, seconds));
}

/** "28 November 2026" (id) / "28 November 2026" (en). */
export function formatLongDate(d: Date, lang: Lang, timeZone: string = OFFICE_TIME_ZONE): string {
  const parts = fmt(intlLocale(lang), timeZone, { day: "numeric", month: "long", year: "numeric" }).formatToParts(d);
  return `${part(parts, "day")} ${part(parts, "month")} ${part(parts, "year")}`;
}

/** "28 Nov 2026". */
export function formatShortDate(d: Date, lang: Lang, timeZone: string = OFFICE_TIME_ZONE): string {
  const parts = fmt(intlLocale(lang), timeZone, { day: "numeric", month: "short", year: "numeric" }).formatToParts(d);
  return `${part(parts, "day")} ${part(parts, "month").replace(/\.$/, "")} ${part(parts, "year")}`;
}

/** "Sabtu" (id) / "Saturday" (en). */
export function formatWeekday(d: Date, lang: Lang, timeZone: string = OFFICE_TIME_ZONE): string {
  return fmt(intlLocale(lang), timeZone, { weekday: "long" }).format(d);
}

/** The usual Indonesian abbreviation of a zone: WIB, WITA, WIT; otherwise the short zone name. */
export function timeZoneAbbreviation(timeZone: string, at: Date = new Date(0)): string {
  switch (timeZone) {
    case "Asia/Makassar":
    case "Asia/Ujung_Pandang":
      return "WITA";
    case "Asia/Jakarta":
    case "Asia/Pontianak":
      return "WIB";
    case "Asia/Jayapura":
      return "WIT";
    default: {
      const parts = fmt("en-US", timeZone, { timeZoneName: "short" }).formatToParts(at);
      return part(parts, "timeZoneName") || timeZone;
    }
  }
}

/** "14.05" (id, as Indonesian spelling writes clock times) / "14:05" (en). */
export function formatTime(d: Date, lang: Lang, timeZone: string = OFFICE_TIME_ZONE): string {
  const w = wallClock(d, timeZone);
  return clockTime(w.hour, w.minute, lang);
}

/** "28 Nov 2026, 14.05 WITA". */
export function formatDateTime(d: Date, lang: Lang, timeZone: string = OFFICE_TIME_ZONE): string {
  return `${formatShortDate(d, lang, timeZone)}, ${formatTime(d, lang, timeZone)} ${timeZoneAbbreviation(timeZone, d)}`;
}

export function numberLocale(lang: Lang): string {
  return intlLocale(lang);
}

/**
 * The date people read in chat and on cards: "Sabtu, 12 Desember 2026" (id) / "Saturday, 12 December
 * 2026" (en). A string is a calendar date ("2026-12-12", as action-plan targets and monitoring dates
 * are kept); a Date is shown as its day in `timeZone`.
 */
export function formatFullDate(date: Date | string, lang: Lang, timeZone: string = OFFICE_TIME_ZONE): string {
  let at: Date;
  let zone = timeZone;
  if (typeof date === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
    if (!m) return date;
    at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    zone = "UTC";
  } else {
    at = date;
  }
  const parts = fmt(intlLocale(lang), zone, { weekday: "long", day: "numeric", month: "long", year: "numeric" }).formatToParts(at);
  return `${part(parts, "weekday")}, ${part(parts, "day")} ${part(parts, "month")} ${part(parts, "year")}`;
}

/** "Sabtu, 12 Desember 2026, 14.05 WITA": an instant people read, in the office's zone. */
export function formatFullDateTime(d: Date, lang: Lang, timeZone: string = OFFICE_TIME_ZONE): string {
  return `${formatFullDate(d, lang, timeZone)}, ${formatTime(d, lang, timeZone)} ${timeZoneAbbreviation(timeZone, d)}`;
}
