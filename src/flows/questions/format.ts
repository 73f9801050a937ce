/**
 * How parsed values are shown back to a person. Only Intl formats here, no words: month names,
 * separators and the currency sign come from the locale.
 */

import { intlLocale, type Lang } from "../../i18n/index.js";

/**
 * Intl formatters are slow to build (~20–50 µs) and the summary shows dozens of values each turn:
 * one per locale and options, kept.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

/** Intl puts a no-break space after "Rp"; summaries use a plain one ("Rp 1.500.000"). */
function plainSpaces(s: string): string {
  return s.replace(/[\u00a0\u202f]/g, " ");
}

/** "Rp 1.500.000"; cents only when there are any ("Rp 1.000.000,50"). Always id-ID separators. */
export function formatRupiah(value: number): string {
  const fraction = !Number.isInteger(value);
  return plainSpaces(
    numberFormat("id-ID", {
      style: "currency",
      currency: "IDR",
      minimumFractionDigits: fraction ? 2 : 0,
      maximumFractionDigits: fraction ? 2 : 0,
    }).format(value),
  );
}

/** "1.234.567,5" (id) or "1,234,567.5" (en), up to four decimals. */
export function formatNumber(value: number, lang: Lang = "id"): string {
  return plainSpaces(numberFormat(intlLocale(lang), { maximumFractionDigits: 4 }).format(value));
}

/** "17 Agustus 1990" (id) or "17 August 1990" (en) for an ISO date "1990-08-17". */
export function formatIsoDate(iso: string, lang: Lang = "id"): string {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  date.setUTCFullYear(y ?? 1970);
  return dateTimeFormat(intlLocale(lang), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

const MB = 1024 * 1024;

/** "1,2 MB" / "350 KB" (id) or "1.2 MB" (en); binary units as phones show them. */
export function formatBytes(bytes: number, lang: Lang = "id"): string {
  const nf = (v: number, digits: number) =>
    numberFormat(intlLocale(lang), { maximumFractionDigits: digits }).format(v);
  if (bytes >= MB) return `${nf(bytes / MB, 1)} MB`;
  if (bytes >= 1024) return `${nf(Math.round(bytes / 1024), 0)} KB`;
  return `${nf(bytes, 0)} B`;
}

/** Bytes as megabytes, one decimal at most (5242880 -> 5, 1572864 -> 1.5). */
export function bytesToMb(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10;
}
