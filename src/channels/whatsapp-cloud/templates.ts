/**
 * conversations/whatsapp-templates.yaml: which approved WhatsApp template stands in for each kind
 * of message (src/messaging/kinds.ts) when the person's 24-hour window is closed, in which language,
 * with which of the message's values as body parameters.
 *
 * A template either delivers the message itself (`delivers: message`: its text and quick-reply
 * buttons say everything, a tap answers like a tap on the original buttons), or is a notice
 * (`delivers: notice`): it tells the person that a message waits, and the message follows as soon
 * as they reply (their reply opens the window again; the outbox holds the message till then).
 *
 * checkTemplatesFile() is what `npm run flows:check` and the start-up run: one rule per problem,
 * each with a broken fixture in tests/channels/fixtures/whatsapp-templates/.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { readYaml } from "../../shared/yaml-source.js";
import { LANGS, type Lang } from "../../i18n/index.js";
import { MESSAGE_KINDS, TEMPLATE_KINDS, isMessageKind, type MessageKind } from "../../messaging/kinds.js";
import type { Outbound } from "../../messaging/model.js";

export const TEMPLATES_FILE = "whatsapp-templates.yaml";

/** Meta's limits: template body 1,024 characters, quick-reply button text 25. */
const MAX_BODY = 1024;
const MAX_QUICK_REPLY = 25;

const ZLanguage = z.strictObject({
  /** Meta's language code of the approved translation: "id", "en", "en_US" ... */
  code: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as "id" or "en_US"'),
  /** The exact body text submitted to Meta, with {{1}} ... placeholders. */
  text: z.string().min(1),
  /** Quick-reply button labels, in order. */
  buttons: z.array(z.string().min(1)).optional(),
});

const ZTemplate = z.strictObject({
  name: z.string(),
  /** Meta's template category; these are all UTILITY (about an ongoing case), never MARKETING. */
  category: z.enum(["UTILITY"]),
  delivers: z.enum(["message", "notice"]),
  /** The message's values (params) that fill {{1}}, {{2}} ... in order. */
  body: z.array(z.string()).default([]),
  languages: z.record(z.string(), ZLanguage),
});

export const ZTemplatesFile = z.strictObject({
  templates: z.record(z.string(), ZTemplate),
});

export type TemplateDef = z.infer<typeof ZTemplate> & { kind: MessageKind };

export const TEMPLATE_RULES = {
  yaml: "the file is YAML",
  schema: "the file has the documented shape",
  unknown_kind: "each key is a kind of message the office sends (src/messaging/kinds.ts) that a template may stand in for",
  template_name: "a template name is lowercase letters, digits and underscores, and one name has one text per language",
  unknown_param: "body parameters are values the kind's messages carry",
  placeholders: "the text uses {{1}} ... {{n}} once each, n = the number of body parameters",
  placeholder_edge: "the text neither starts nor ends with a placeholder (Meta rejects such templates)",
  text_length: "the text fits WhatsApp's 1,024 characters with room for the values",
  buttons: "a notice has one button (its reply brings the message); a template that delivers a message with choices has one button per choice; labels at most 25 characters",
  languages: "every office language (id, en) has a translation",
} as const;
export type TemplateRule = keyof typeof TEMPLATE_RULES;

export interface TemplateIssue {
  rule: TemplateRule;
  file: string;
  line?: number;
  path: string;
  message: string;
}

export function formatTemplateIssue(i: TemplateIssue): string {
  return `${i.line ? `${i.file}:${i.line}` : i.file}${i.path ? ` ${i.path}` : ""}: [${i.rule}] ${i.message}`;
}

export class TemplatesFileError extends Error {
  constructor(readonly issues: TemplateIssue[]) {
    super(`${issues.length} problem(s) in the WhatsApp templates:\n${issues.map(formatTemplateIssue).join("\n")}`);
    this.name = "TemplatesFileError";
  }
}

/** The checked templates, by kind. */
export class TemplateBook {
  constructor(readonly byKind: ReadonlyMap<MessageKind, TemplateDef>) {}

  get(kind: MessageKind): TemplateDef | undefined {
    return this.byKind.get(kind);
  }

  /** Kinds a template could stand in for that have none (said at start-up). */
  missingKinds(): MessageKind[] {
    return TEMPLATE_KINDS.filter((k) => !this.byKind.has(k));
  }
}

/** Values placeholders may take: no line breaks or tabs, no runs of spaces (Meta refuses them), not empty. */
export function templateValue(v: string | undefined, max = 200): string {
  const flat = (v ?? "").replace(/\s+/g, " ").trim();
  if (flat === "") return "-";
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Check the file's text; returns the book when there is no problem. */
export function checkTemplatesFile(text: string, file = `conversations/${TEMPLATES_FILE}`): { issues: TemplateIssue[]; book?: TemplateBook } {
  const src = readYaml(file, text);
  const issues: TemplateIssue[] = [];
  const add = (rule: TemplateRule, path: (string | number)[], message: string) => {
    const line = src.lineOf(path);
    issues.push({ rule, file, path: path.join("."), ...(line ? { line } : {}), message });
  };
  if (src.errors.length) {
    for (const e of src.errors) issues.push({ rule: "yaml", file, line: e.line, path: "", message: e.message });
    return { issues };
  }
  const parsed = ZTemplatesFile.safeParse(src.data);
  if (!parsed.success) {
    for (const i of parsed.error.issues) add("schema", i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), i.message);
    return { issues };
  }
  const byKind = new Map<MessageKind, TemplateDef>();
  const textsByName = new Map<string, Map<string, string>>();
  for (const [kind, t] of Object.entries(parsed.data.templates)) {
    const at = (...p: (string | number)[]) => ["templates", kind, ...p];
    if (!isMessageKind(kind) || !TEMPLATE_KINDS.includes(kind)) {
      add("unknown_kind", at(), `"${kind}" is not a kind a template can stand in for (${TEMPLATE_KINDS.join(", ")})`);
      continue;
    }
    const spec = MESSAGE_KINDS[kind];
    if (!/^[a-z0-9_]{1,512}$/.test(t.name)) add("template_name", at("name"), `"${t.name}": use lowercase letters, digits and _`);
    for (const [i, p] of t.body.entries()) {
      if (!(spec.params as readonly string[]).includes(p)) {
        add("unknown_param", at("body", i), `"${p}" is not a value of ${kind} messages (${spec.params.length ? spec.params.join(", ") : "they carry none"})`);
      }
    }
    for (const lang of LANGS) if (!t.languages[lang]) add("languages", at("languages"), `no "${lang}" translation`);
    for (const [lang, l] of Object.entries(t.languages)) {
      const lp = (...p: (string | number)[]) => at("languages", lang, ...p);
      checkPlaceholders(l.text, t.body.length, (rule, message) => add(rule, lp("text"), message));
      const room = t.body.length * 40;
      if (l.text.length + room > MAX_BODY) add("text_length", lp("text"), `${l.text.length} characters leave too little of WhatsApp's ${MAX_BODY} for ${t.body.length} value(s)`);
      const wanted = t.delivers === "notice" ? 1 : spec.choices;
      const got = l.buttons ?? [];
      if (got.length !== wanted) {
        add("buttons", lp("buttons"), t.delivers === "notice" ? "a notice has exactly one button, the reply that brings the message" : `${kind} messages offer ${wanted} choice(s); the template has ${got.length} button(s)`);
      }
      for (const [i, b] of got.entries()) if (b.length > MAX_QUICK_REPLY) add("buttons", lp("buttons", i), `"${b}" is longer than ${MAX_QUICK_REPLY} characters`);
      const seen = textsByName.get(t.name) ?? new Map<string, string>();
      const before = seen.get(l.code);
      if (before !== undefined && before !== l.text) add("template_name", lp("text"), `template ${t.name} (${l.code}) has another text elsewhere in the file`);
      seen.set(l.code, l.text);
      textsByName.set(t.name, seen);
    }
    byKind.set(kind, { ...t, kind });
  }
  return issues.length ? { issues } : { issues, book: new TemplateBook(byKind) };
}

function checkPlaceholders(text: string, n: number, add: (rule: TemplateRule, message: string) => void): void {
  const used = [...text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
  const expected = Array.from({ length: n }, (_, i) => i + 1);
  const sorted = [...used].sort((a, b) => a - b);
  if (sorted.length !== expected.length || sorted.some((v, i) => v !== expected[i])) {
    add("placeholders", `uses {{${used.join("}}, {{") || ""}}}; expected {{1}} to {{${n}}} once each`.replace("{{}}", "none"));
  }
  const t = text.trim();
  if (/^\{\{\s*\d+\s*\}\}/.test(t) || /\{\{\s*\d+\s*\}\}[.!?]?$/.test(t)) add("placeholder_edge", "starts or ends with a placeholder");
}

/** Load and check; a broken file is an error listing every problem. */
export function loadTemplates(text: string, file?: string): TemplateBook {
  const r = checkTemplatesFile(text, file);
  if (!r.book) throw new TemplatesFileError(r.issues);
  return r.book;
}

/** Payload id of a notice's button: the tap brings the waiting messages and is no answer itself. */
export const RESUME_PAYLOAD = "plut:resume";

/** The `template` message that stands in for `msg`, in the person's language. */
export function templateMessage(def: TemplateDef, lang: Lang, msg: Outbound): { type: "template"; template: Record<string, unknown> } {
  const l = def.languages[lang] ?? def.languages.id ?? Object.values(def.languages)[0]!;
  const params = msg.params ?? {};
  const components: Record<string, unknown>[] = [];
  if (def.body.length > 0) {
    components.push({ type: "body", parameters: def.body.map((p) => ({ type: "text", text: templateValue(params[p]) })) });
  }
  const payloads = def.delivers === "notice" ? [RESUME_PAYLOAD] : msg.type === "text" ? (msg.choices ?? []).map((c) => c.id) : [];
  for (const [i, payload] of payloads.slice(0, (l.buttons ?? []).length).entries()) {
    components.push({ type: "button", sub_type: "quick_reply", index: String(i), parameters: [{ type: "payload", payload }] });
  }
  return { type: "template", template: { name: def.name, language: { policy: "deterministic", code: l.code }, ...(components.length ? { components } : {}) } };
}

/** The templates file of a conversations directory; undefined when there is none. Throws on a broken file. */
export function readTemplatesFile(conversationsDir: string): TemplateBook | undefined {
  const file = path.join(conversationsDir, TEMPLATES_FILE);
  if (!fs.existsSync(file)) return undefined;
  return loadTemplates(fs.readFileSync(file, "utf8"), file);
}
