/**
 * The languages the assistant speaks, and everything that differs between them other than words:
 * the one place that knows which languages there are. Code elsewhere passes a `Lang` along and never
 * compares it with a language.
 */
import { z } from "zod";

export const LANGS = ["id", "en"] as const;
export const ZLang = z.enum(LANGS);
export type Lang = z.infer<typeof ZLang>;

/** Indonesian is what a person gets until they ask for English. */
export const DEFAULT_LANG: Lang = "id";

/** A language as stored (Identity.language, a query string): anything unknown is Indonesian. */
export function toLang(value: unknown): Lang {
  const r = ZLang.safeParse(value);
  return r.success ? r.data : DEFAULT_LANG;
}

interface LanguageFacts {
  /** The Intl locale: Indonesian, or British English (day-month-year dates). */
  locale: string;
  /** Between hours and minutes: Indonesian spelling writes clock times "14.05". */
  timeSeparator: string;
}

const FACTS: Readonly<Record<Lang, LanguageFacts>> = {
  id: { locale: "id-ID", timeSeparator: "." },
  en: { locale: "en-GB", timeSeparator: ":" },
};

export function intlLocale(lang: Lang): string {
  return FACTS[lang].locale;
}

/** "14.05" (id) / "14:05" (en). */
export function clockTime(hour: number, minute: number, lang: Lang): string {
  return `${String(hour).padStart(2, "0")}${FACTS[lang].timeSeparator}${String(minute).padStart(2, "0")}`;
}
