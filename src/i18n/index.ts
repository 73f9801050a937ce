/** Languages and texts: the one `Lang`, the Translator, the per-language facts (locales) and the one date formatter. */
export { DEFAULT_LANG, LANGS, ZLang, clockTime, intlLocale, toLang, type Lang } from "./lang.js";
export { Translator, fill, placeholdersOf, splitWords, type TextParams, type TextTable, type Texts } from "./translator.js";
export { OFFICE_TIME_ZONE, formatFullDate, formatFullDateTime, formatTime, timeZoneAbbreviation } from "./dates.js";
