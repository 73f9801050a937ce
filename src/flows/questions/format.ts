/**
 * How parsed values are shown back to a person. Only Intl formats here, no words: month names,
 * separators and the currency sign come from the locale.
 */

/** The languages the assistant speaks. */
export type Lang = "id" | "en";

/** The Intl locale for a language: Indonesian, or British English (day-month-year dates). */
export function intlLocale(lang: Lang): string {
  return lang === "en" ? "en-GB" : "id-ID";
}

/** Intl puts a no-break space after "Rp"; summaries use a plain one ("Rp 1.500.000"). */
function plainSpaces(s: string): string {
  return s.replace(/[\u00a0\u202f]/g, " ");
}

/** "Rp 1.500.000"; cents only when there are any ("Rp 1.000.000,50"). Always id-ID separators. */
export function formatRupiah(value: number): string {
  const fraction = !Number.isInteger(value);
  return plainSpaces(
    new Intl.NumberFormat("id-ID", {
      style: "currency",
      currency: "IDR",
      minimumFractionDigits: fraction ? 2 : 0,
      maximumFractionDigits: fraction ? 2 : 0,
    }).format(value),
  );
}

/** "1.234.567,5" (id) or "1,234,567.5" (en), up to four decimals. */
export function formatNumber(value: number, lang: Lang = "id"): string {
  return plainSpaces(new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: 4 }).format(value));
}

/** "17 Agustus 1990" (id) or "17 August 1990" (en) for an ISO date "1990-08-17". */
export function formatIsoDate(iso: string, lang: Lang = "id"): string {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  date.setUTCFullYear(y ?? 1970);
  return new Intl.DateTimeFormat(intlLocale(lang), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

const MB = 1024 * 1024;

/** "1,2 MB" / "350 KB" (id) or "1.2 MB" (en); binary units as phones show them. */
export function formatBytes(bytes: number, lang: Lang = "id"): string {
  const nf = (v: number, digits: number) =>
    new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: digits }).format(v);
  if (bytes >= MB) return `${nf(bytes / MB, 1)} MB`;
  if (bytes >= 1024) return `${nf(Math.round(bytes / 1024), 0)} KB`;
  return `${nf(bytes, 0)} B`;
}

/** Bytes as megabytes, one decimal at most (5242880 -> 5, 1572864 -> 1.5). */
export function bytesToMb(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10;
}
