/**
 * The page's own texts (labels, notices, upload errors): the `web.*` keys of
 * conversations/texts/<lang>/web.yaml. The conversation's texts are the flows' business.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { projectRoot } from "../../shared/project-root.js";
import { LANGS, type Lang } from "../../i18n/index.js";

export type WebTextTable = Readonly<Record<string, string>>;
/** Per language; the same shape as the loaded conversations' texts, which may be passed as they are. */
export type WebTexts = Readonly<Partial<Record<Lang, WebTextTable>>>;

/** Every key the page and the API use; tests check both languages have them. */
export const WEB_TEXT_KEYS = [
  "web.page_title",
  "web.title",
  "web.subtitle",
  "web.log_label",
  "web.you",
  "web.assistant",
  "web.empty",
  "web.start_button",
  "web.start_text",
  "web.input_label",
  "web.input_placeholder",
  "web.send",
  "web.attach",
  "web.choices_label",
  "web.contact_hint",
  "web.download",
  "web.sending",
  "web.send_failed",
  "web.retry",
  "web.typing",
  "web.offline",
  "web.session_lost",
  "web.error.rejected",
  "web.error.busy",
  "web.upload.progress",
  "web.upload.too_large",
  "web.upload.wrong_type",
  "web.upload.empty",
  "web.upload.failed",
  "web.file.missing",
] as const;
export type WebTextKey = (typeof WEB_TEXT_KEYS)[number];

/** conversations/ of this checkout. */
export const DEFAULT_CONVERSATIONS_DIR = path.join(projectRoot(), "conversations");

/** Reads `<dir>/texts/<lang>/web.yaml` for both languages; a missing file gives an empty table. */
export function loadWebTexts(conversationsDir = DEFAULT_CONVERSATIONS_DIR): WebTexts {
  const read = (lang: Lang): WebTextTable => {
    const file = path.join(conversationsDir, "texts", lang, "web.yaml");
    if (!fs.existsSync(file)) return {};
    const data: unknown = parse(fs.readFileSync(file, "utf8"));
    if (data === null || typeof data !== "object") return {};
    return Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === "string" && e[0].startsWith("web.")));
  };
  return Object.fromEntries(LANGS.map((lang) => [lang, read(lang)]));
}

/** Only the `web.*` keys of one language, Indonesian filling gaps, the key itself as a last resort. */
export function webTable(texts: WebTexts, lang: Lang): Record<WebTextKey, string> {
  const out = {} as Record<WebTextKey, string>;
  for (const key of WEB_TEXT_KEYS) out[key] = texts[lang]?.[key] ?? texts.id?.[key] ?? key;
  return out;
}

export function fillText(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}
