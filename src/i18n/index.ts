/** Languages and texts: the one `Lang`, the Translator, and the per-language facts (locales). */
export { DEFAULT_LANG, LANGS, ZLang, clockTime, intlLocale, toLang, type Lang } from "./lang.js";
export { Translator, fill, placeholdersOf, splitWords, type TextParams, type TextTable, type Texts } from "./translator.js";
