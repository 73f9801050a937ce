/**
 * Flow definitions: the one zod schema of conversations/flows/*.yaml (from which the JSON Schema
 * for editors is generated) and the checks across files that a schema cannot express (ids, `next`,
 * references, store paths, text keys). Every problem is reported with its file, line and path.
 */
import { z } from "zod";
import "./types/index.js";
import { ENGINE_TEXT_KEYS, typeHelpKey } from "./engine-texts.js";
import { type Condition, type QuestionNodeBase, ZCondition, ZNodeId, ZTextKey } from "./node-base.js";
import { allTypes, getType } from "./registry.js";
import { SEALED_STORE_PATHS, STORE_PATHS, storeKind, type StorePath, type ValueKind } from "./store.js";
import { LANGS, type Lang, placeholdersOf } from "../i18n/index.js";
import type { YamlSource } from "../shared/yaml-source.js";

// ---------------------------------------------------------------------------------------------
// Node schemas

export interface MessageNode {
  id: string;
  type: "message";
  text: string;
  when?: Condition;
  next?: string;
}
export interface SummaryNode {
  id: string;
  type: "summary";
  title: string;
  when?: Condition;
}
export interface EndNode {
  id: string;
  type: "end";
  text?: string;
  when?: Condition;
}
export interface GroupNode {
  id: string;
  type: "group";
  label: string;
  store?: string;
  when?: Condition;
  next?: string;
  repeat?: { min: number; max: number; more: string };
  forEach?: string;
  nodes: FlowNode[];
}
export interface IncludeNode {
  type: "include";
  id?: string;
  flow: string;
  version: number;
}
export type QuestionNode = QuestionNodeBase & Record<string, unknown>;
export type FlowNode = MessageNode | SummaryNode | EndNode | GroupNode | IncludeNode | QuestionNode;

export const STRUCTURAL_TYPES = ["message", "summary", "end", "group", "include"] as const;

const ZMessageNode = z
  .strictObject({
    id: ZNodeId,
    type: z.literal("message"),
    text: ZTextKey.meta({ description: "Text key of what is said; the flow goes on without waiting." }),
    when: ZCondition.optional(),
    next: ZNodeId.optional(),
  })
  .meta({ title: "message", description: "Says something and goes on (an introduction, a section title)." });

const ZSummaryNode = z
  .strictObject({
    id: ZNodeId,
    type: z.literal("summary"),
    title: ZTextKey.meta({ description: "Text key of the line above the answers." }),
    when: ZCondition.optional(),
  })
  .meta({ title: "summary", description: "Shows every answer; the person sends ('kirim'), changes ('ubah') or cancels." });

const ZEndNode = z
  .strictObject({
    id: ZNodeId,
    type: z.literal("end"),
    text: ZTextKey.optional().meta({ description: "Text key said before the flow stops." }),
    when: ZCondition.optional(),
  })
  .meta({ title: "end", description: "Stops the flow here without sending anything (e.g. consent refused)." });

const ZIncludeNode = z
  .strictObject({
    type: z.literal("include"),
    id: ZNodeId.optional(),
    flow: ZNodeId.meta({ description: "Id of a fragment (conversations/flows/fragments/<id>.yaml)." }),
    version: z.number().int().min(1).meta({ description: "The fragment's version: raise this flow's version when it changes." }),
  })
  .meta({ title: "include", description: "Puts the nodes of a fragment here (the assessment questions, shared by two flows)." });

export const ZNode: z.ZodType<FlowNode> = z.lazy(() =>
  z.discriminatedUnion("type", [
    ZMessageNode,
    ZSummaryNode,
    ZEndNode,
    ZGroupNode,
    ZIncludeNode,
    ...(allTypes().map((t) => t.schema) as unknown as z.ZodObject<{ type: z.ZodLiteral<string> }>[]),
  ]),
).meta({ id: "Node", description: "A node: a question (text, choice, date ...) or a message, summary, end, group or include." }) as unknown as z.ZodType<FlowNode>;

const ZGroupNode = z
  .strictObject({
    id: ZNodeId,
    type: z.literal("group"),
    label: ZTextKey.meta({ description: "Text key of an item's heading in the summary, with {n} (e.g. 'Rencana {n}')." }),
    store: z.string().optional().meta({ description: "Store path of the items (e.g. actionPlan.items); fields are the questions' store." }),
    when: ZCondition.optional(),
    next: ZNodeId.optional(),
    repeat: z
      .strictObject({
        min: z.number().int().min(0).meta({ description: "Fewest items." }),
        max: z.number().int().min(1).meta({ description: "Most items." }),
        more: ZTextKey.meta({ description: "Text key of the 'add another?' question (yes/no)." }),
      })
      .optional()
      .meta({ description: "The person adds items, one after another." }),
    forEach: z.string().optional().meta({ description: "Name of a list var: the questions are asked once per element ({item.<field>} in texts)." }),
    get nodes() {
      return z.array(ZNode).min(1).meta({ description: "The questions of one item (questions and messages only)." });
    },
  })
  .meta({ title: "group", description: "Questions asked once per item: a repeated list (repeat) or one round per element of a var (forEach)." });

// ---------------------------------------------------------------------------------------------
// File schemas

export const REQUEST_NAMES = ["status", "my_data", "delete_my_data"] as const;
export type RequestName = (typeof REQUEST_NAMES)[number];

const ZVarDecl = z.strictObject({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/),
  type: z.enum(["string", "number", "boolean", "list"]),
  required: z.boolean().optional(),
  description: z.string().optional(),
});

const ZMenu = z
  .strictObject({
    label: ZTextKey.meta({ description: "Text key of the menu entry." }),
    words: ZTextKey.optional().meta({ description: "Text key of words that start the flow when typed (comma separated)." }),
    who: z.enum(["guest", "client", "everyone"]).meta({ description: "guest: not yet a client; client: registered; everyone." }),
    order: z.number().int().meta({ description: "Position in the menu (small first)." }),
    onlyWithConsent: z.boolean().optional().meta({ description: "Show only to people who gave consent (e.g. deleting their data)." }),
  })
  .meta({ description: "Show this flow in the menu." });

const ZComplete = z
  .strictObject({
    submit: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional()
      .meta({ description: "Send the answers to the office as this action (registration, new_case, complaint ...)." }),
    request: z.enum(REQUEST_NAMES).optional().meta({ description: "Ask the office for this (e.g. delete_my_data)." }),
    consent: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Record consent with this text version. Raise it whenever the consent text changes." }),
    reply: ZTextKey.optional().meta({ description: "Text key said when the flow completes." }),
  })
  .meta({ description: "What happens when the person reaches the end (at most one of submit, request, consent)." });

const ZMigration = z
  .strictObject({
    from: z.number().int().min(1).meta({ description: "The older version whose sessions this rule moves." }),
    strategy: z.enum(["map", "restart"]).meta({ description: "map: keep answers (renamed by `map`); restart: start again." }),
    map: z.record(ZNodeId, ZNodeId).optional().meta({ description: "Old question id -> new question id (same ids are kept anyway)." }),
    notice: ZTextKey.optional().meta({ description: "Text key told to the person (default engine.flow_updated / engine.flow_restarted)." }),
  })
  .meta({ description: "How a session on an older version is moved to this one." });

const fileBase = {
  id: ZNodeId.meta({ description: "The flow id; the file is flows/<id>.yaml (archive: flows/archive/<id>.v<version>.yaml)." }),
  version: z.number().int().min(1).meta({ description: "Raise on every change; keep the old file in flows/archive or add a migration." }),
  description: z.string().optional().meta({ description: "A note for the office (never shown to clients)." }),
};

export const ZFlowFile = z
  .strictObject({
    ...fileBase,
    kind: z.literal("flow").optional(),
    title: ZTextKey.meta({ description: "Text key of the flow's name (menu, 'continue where you stopped')." }),
    requiresConsent: z.boolean().optional().meta({ description: "Ask for consent first when the person has not given it." }),
    menu: ZMenu.optional(),
    vars: z.array(ZVarDecl).optional().meta({ description: "Values the host passes when it starts the flow." }),
    nodes: z.array(ZNode).min(1),
    complete: ZComplete,
    migrations: z.array(ZMigration).optional(),
  })
  .meta({ title: "Flow" });
export type FlowFile = Omit<z.infer<typeof ZFlowFile>, "nodes"> & { nodes: FlowNode[] };

export const ZFragmentFile = z
  .strictObject({
    ...fileBase,
    kind: z.literal("fragment"),
    nodes: z.array(ZNode).min(1),
  })
  .meta({ title: "Fragment" });
export type FragmentFile = Omit<z.infer<typeof ZFragmentFile>, "nodes"> & { nodes: FlowNode[] };

/** The schema of a file in conversations/flows: a flow, or a fragment included by flows. */
export const ZConversationFile = z.union([ZFlowFile, ZFragmentFile]).meta({
  title: "PLUT-KUMKM Gianyar conversation flow",
  description: "A flow (or a fragment) of the chat assistant. Texts are keys into conversations/texts/<lang>/*.yaml.",
});

/** The flat key -> string map of a texts file. */
export const ZTextsFile = z.record(ZTextKey, z.string().min(1, { error: "a text may not be empty" }));

/** The JSON Schema editors use (conversations/flow.schema.json). */
export function flowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ZConversationFile, { io: "input", target: "draft-7" }) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Issues

/** Every rule the validator enforces; tests/flows/fixtures/broken has one broken file per rule. */
export const RULES = {
  yaml: "the file is not valid YAML (indentation, duplicate keys)",
  schema: "a field has the wrong shape (see the message)",
  unknown_field: "a field name is not known (a typo?)",
  unknown_type: "a node type that does not exist",
  option_without_label: "an option without a label",
  duplicate_option: "two options of one question share an id",
  bad_range: "min above max, or a date both past and future",
  unknown_option: "a reference to an option id that does not exist",
  schema_comment: "the yaml-language-server $schema line is missing",
  file_name: "the file name does not match the id/version/kind inside",
  duplicate_flow: "two files define the same flow id and version",
  archive_version: "an archived version is not older than the current one",
  unknown_include: "an include names a fragment id/version that does not exist",
  nested_include: "a fragment includes another fragment",
  duplicate_id: "two nodes share an id",
  dangling_next: "a `next` names a node that does not exist",
  backward_next: "a `next` jumps back (loops are not allowed)",
  group_child: "a group holds something other than questions and messages, or uses next inside",
  group_mode: "a group needs exactly one of repeat and forEach",
  unknown_reference: "a when/reference names a question that does not exist",
  forward_reference: "a when/reference names a question that is not asked before",
  reference_type: "a reference names a question of the wrong type",
  unknown_var: "a when/forEach names a var the flow does not declare",
  unknown_store: "a store path that src/flows/store.ts does not know",
  store_kind: "a store path that holds another kind of value than the question gives",
  personal_store: "a personal question (NIK, phone, e-mail) stores to a path that is not kept encrypted",
  duplicate_store: "two questions of one flow store to the same path",
  missing_text: "a text key missing in a language",
  duplicate_text: "a text key defined twice",
  placeholder_mismatch: "languages use different {placeholders} for one key",
  complete: "complete names more than one of submit, request, consent",
  consent_flow: "there must be exactly one flow that records consent",
  migration: "a migration rule is wrong (from not older, map to an unknown question)",
  option_mismatch: "two flows store the same path from choices with different option ids",
} as const;
export type RuleCode = keyof typeof RULES;

export interface DefinitionIssue {
  code: RuleCode;
  file: string;
  /** Where in the file, e.g. nodes[3](full_name).options[1].label */
  path: string;
  line?: number;
  message: string;
}

/** Thrown by loadConversations with every problem found, each with file, line and path. */
export class FlowDefinitionError extends Error {
  constructor(readonly issues: DefinitionIssue[]) {
    super(`${issues.length} problem(s) in the conversations:\n${issues.map(formatIssue).join("\n")}`);
    this.name = "FlowDefinitionError";
  }
}

export function formatIssue(i: DefinitionIssue): string {
  const where = i.line ? `${i.file}:${i.line}` : i.file;
  return `${where}${i.path ? ` ${i.path}` : ""}: [${i.code}] ${i.message}`;
}

type Path = (string | number)[];

function describePath(path: readonly (string | number | symbol)[], data: unknown): string {
  let out = "";
  let cur: unknown = data;
  for (const p of path) {
    const key = typeof p === "symbol" ? String(p) : p;
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? key : `.${key}`;
    cur = cur !== null && typeof cur === "object" ? (cur as Record<string | number, unknown>)[key] : undefined;
    if (typeof key === "number" && cur && typeof cur === "object" && typeof (cur as { id?: unknown }).id === "string") {
      out += `(${(cur as { id: string }).id})`;
    }
  }
  return out;
}

/** Collects issues against one YAML source. */
class IssueSink {
  readonly issues: DefinitionIssue[] = [];
  add(src: YamlSource | { file: string }, path: Path, code: RuleCode, message: string, data?: unknown): void {
    const line = "lineOf" in src ? src.lineOf(path) : undefined;
    const d = data ?? ("data" in src ? src.data : undefined);
    this.issues.push({ code, file: src.file, path: describePath(path, d), ...(line ? { line } : {}), message });
  }
}

function zodIssues(sink: IssueSink, src: YamlSource, error: z.ZodError): void {
  for (const iss of error.issues) {
    const path = iss.path.filter((p): p is string | number => typeof p !== "symbol");
    if (iss.code === "invalid_union" && "discriminator" in iss && iss.discriminator === "type") {
      const nodePath = path[path.length - 1] === "type" ? path.slice(0, -1) : path;
      const node = nodePath.reduce<unknown>((acc, k) => (acc as Record<string | number, unknown> | undefined)?.[k], src.data);
      const given = node && typeof node === "object" ? (node as { type?: unknown }).type : undefined;
      const known = [...STRUCTURAL_TYPES, ...allTypes().map((t) => t.type)].join(", ");
      sink.add(src, [...nodePath, "type"], "unknown_type", `"${String(given)}" is not a node type (known: ${known})`);
      continue;
    }
    if (iss.code === "unrecognized_keys") {
      sink.add(src, path, "unknown_field", `unknown field(s) ${iss.keys.map((k) => `"${k}"`).join(", ")}`);
      continue;
    }
    const last = path[path.length - 1];
    const parent = path[path.length - 3];
    if (last === "label" && parent === "options" && iss.code === "invalid_type") {
      sink.add(src, path, "option_without_label", "every option needs a label (a text key)");
      continue;
    }
    sink.add(src, path, "schema", iss.message);
  }
}

// ---------------------------------------------------------------------------------------------
// Compiled flows

/** Where a node came from, for messages about it. */
export interface NodeOrigin {
  src: YamlSource;
  path: Path;
}

export interface NodeEntry {
  node: FlowNode;
  /** The group the node belongs to, if any. */
  group?: GroupNode;
  /** Position in pre-order over the whole flow; "before" means a smaller order. */
  order: number;
  origin: NodeOrigin;
}

/** A flow ready to run: includes expanded, nodes indexed. */
export interface CompiledFlow {
  file: string;
  def: FlowFile;
  /** Top-level nodes after includes are expanded. */
  nodes: FlowNode[];
  index: Map<string, NodeEntry>;
}

export const isQuestion = (n: FlowNode): n is QuestionNode =>
  !(STRUCTURAL_TYPES as readonly string[]).includes(n.type);

interface ParsedFile {
  src: YamlSource;
  kind: "flow" | "fragment";
  place: "current" | "archive";
  file: FlowFile | FragmentFile;
}

const hasSchemaComment = (text: string) => /^#\s*yaml-language-server:\s*\$schema=\S*flow\.schema\.json\s*$/m.test(text);

function parseFlowFile(sink: IssueSink, src: YamlSource): ParsedFile | undefined {
  if (src.errors.length) {
    for (const e of src.errors) sink.issues.push({ code: "yaml", file: src.file, path: "", line: e.line, message: e.message });
    return undefined;
  }
  if (!hasSchemaComment(src.text)) {
    const depth = src.file.split("/").length - 2;
    sink.add(src, [], "schema_comment", `add the line "# yaml-language-server: $schema=${"../".repeat(Math.max(depth, 1))}flow.schema.json" at the top`);
  }
  const raw = src.data;
  const isFragment = raw !== null && typeof raw === "object" && (raw as { kind?: unknown }).kind === "fragment";
  const r = (isFragment ? ZFragmentFile : ZFlowFile).safeParse(raw);
  if (!r.success) {
    zodIssues(sink, src, r.error);
    return undefined;
  }
  const file = r.data as FlowFile | FragmentFile;
  const archive = /(^|\/)archive\//.test(src.file);
  const base = src.file.split("/").pop() ?? "";
  const inFragments = /(^|\/)fragments\//.test(src.file);
  const expected = archive ? `${file.id}.v${file.version}.yaml` : `${file.id}.yaml`;
  if (base !== expected) sink.add(src, ["id"], "file_name", `a file with id "${file.id}" version ${file.version} must be named ${expected}`);
  if (!archive && inFragments !== isFragment) {
    sink.add(src, ["kind"], "file_name", isFragment ? "fragments live in flows/fragments/" : "flows/fragments/ holds only kind: fragment");
  }
  return { src, kind: isFragment ? "fragment" : "flow", place: archive ? "archive" : "current", file };
}

// ---------------------------------------------------------------------------------------------
// Validation across files

export interface ValidationInput {
  flows: YamlSource[];
  texts: { lang: Lang; src: YamlSource }[];
}

export interface ValidationResult {
  issues: DefinitionIssue[];
  /** Current version of every flow (not fragments). */
  current: Map<string, CompiledFlow>;
  /** Every loadable version of every flow, current included. */
  versions: Map<string, Map<number, CompiledFlow>>;
  texts: Record<Lang, Record<string, string>>;
}

/** Checks every flow and texts file together; returns the compiled flows and every problem found. */
export function validateConversations(input: ValidationInput): ValidationResult {
  const sink = new IssueSink();
  const texts = loadTexts(sink, input.texts);

  const parsed = input.flows.map((s) => parseFlowFile(sink, s)).filter((p): p is ParsedFile => p !== undefined);

  // Unique (kind, id, version); archived versions older than current.
  const byKey = new Map<string, ParsedFile>();
  for (const p of parsed) {
    const key = `${p.kind}:${p.file.id}:${p.file.version}`;
    const prev = byKey.get(key);
    if (prev) sink.add(p.src, ["id"], "duplicate_flow", `${p.kind} "${p.file.id}" version ${p.file.version} is also defined in ${prev.src.file}`);
    else byKey.set(key, p);
  }
  for (const p of parsed.filter((x) => x.place === "archive")) {
    const cur = parsed.find((x) => x.place === "current" && x.kind === p.kind && x.file.id === p.file.id);
    if (cur && cur.file.version <= p.file.version) {
      sink.add(p.src, ["version"], "archive_version", `archived version ${p.file.version} is not older than the current version ${cur.file.version}`);
    }
  }

  const fragments = new Map<string, ParsedFile>();
  for (const p of parsed) if (p.kind === "fragment") fragments.set(`${p.file.id}:${p.file.version}`, p);

  const current = new Map<string, CompiledFlow>();
  const versions = new Map<string, Map<number, CompiledFlow>>();
  for (const p of parsed) {
    if (p.kind !== "flow") {
      checkFragmentIncludes(sink, p);
      continue;
    }
    const compiled = compileFlow(sink, p, fragments);
    if (!compiled) continue;
    checkFlow(sink, compiled, texts);
    const vmap = versions.get(p.file.id) ?? new Map<number, CompiledFlow>();
    vmap.set(p.file.version, compiled);
    versions.set(p.file.id, vmap);
    if (p.place === "current") current.set(p.file.id, compiled);
  }

  for (const flow of current.values()) checkMigrations(sink, flow, versions.get(flow.def.id));
  checkOptionSets(sink, [...current.values()]);

  const consentFlows = [...current.values()].filter((f) => f.def.complete.consent !== undefined);
  if (consentFlows.length !== 1 && parsed.some((p) => p.kind === "flow")) {
    sink.issues.push({
      code: "consent_flow",
      file: consentFlows.map((f) => f.file).join(", ") || "conversations/flows",
      path: "complete.consent",
      message: `exactly one flow must record consent (complete.consent); found ${consentFlows.length}`,
    });
  }

  // Keys the engine needs, and the generic help of every question type.
  const engineKeys = [...ENGINE_TEXT_KEYS, ...allTypes().map((t) => typeHelpKey(t.type))];
  for (const key of engineKeys) requireText(sink, texts, { file: "(engine)" }, [], key, "used by the engine");

  return { issues: sink.issues, current, versions, texts };
}

function loadTexts(sink: IssueSink, files: ValidationInput["texts"]): Record<Lang, Record<string, string>> {
  const out = Object.fromEntries(LANGS.map((l) => [l, {} as Record<string, string>])) as Record<Lang, Record<string, string>>;
  const where = Object.fromEntries(LANGS.map((l) => [l, new Map<string, YamlSource>()])) as Record<Lang, Map<string, YamlSource>>;
  for (const { lang, src } of files) {
    if (src.errors.length) {
      for (const e of src.errors) sink.issues.push({ code: "yaml", file: src.file, path: "", line: e.line, message: e.message });
      continue;
    }
    const r = ZTextsFile.safeParse(src.data ?? {});
    if (!r.success) {
      zodIssues(sink, src, r.error);
      continue;
    }
    for (const [key, value] of Object.entries(r.data)) {
      const prev = where[lang].get(key);
      if (prev) {
        sink.add(src, [key], "duplicate_text", `"${key}" is also defined in ${prev.file}`);
        continue;
      }
      where[lang].set(key, src);
      out[lang][key] = value;
    }
  }
  // Every key in every language, with the same placeholders.
  const all = new Set(LANGS.flatMap((l) => Object.keys(out[l])));
  for (const key of [...all].sort()) {
    const present = LANGS.filter((l) => out[l][key] !== undefined);
    for (const l of LANGS.filter((x) => out[x][key] === undefined)) {
      const src = where[present[0] as Lang].get(key) as YamlSource;
      sink.add(src, [key], "missing_text", `"${key}" has no text in "${l}" (add it to conversations/texts/${l}/)`);
    }
    if (present.length > 1) {
      const sets = present.map((l) => placeholdersOf(out[l][key] as string).join(","));
      if (new Set(sets).size > 1) {
        const src = where[present[1] as Lang].get(key) as YamlSource;
        sink.add(src, [key], "placeholder_mismatch", `"${key}" uses ${present.map((l, i) => `${l}: {${sets[i]}}`).join(" vs ")}`);
      }
    }
  }
  return out;
}

function requireText(
  sink: IssueSink,
  texts: Record<Lang, Record<string, string>>,
  src: YamlSource | { file: string },
  path: Path,
  key: string | undefined,
  what: string,
): void {
  if (key === undefined) return;
  const missing = LANGS.filter((l) => texts[l][key] === undefined);
  if (missing.length === 0) return;
  const langs = missing.length === LANGS.length ? "any language" : missing.map((l) => `"${l}"`).join(", ");
  sink.add(src, path, "missing_text", `text key "${key}" (${what}) is missing in ${langs}`);
}

function checkFragmentIncludes(sink: IssueSink, p: ParsedFile): void {
  p.file.nodes.forEach((n, i) => {
    if (n.type === "include") sink.add(p.src, ["nodes", i], "nested_include", "a fragment cannot include another fragment");
  });
}

function compileFlow(sink: IssueSink, p: ParsedFile, fragments: Map<string, ParsedFile>): CompiledFlow | undefined {
  const def = p.file as FlowFile;
  const nodes: FlowNode[] = [];
  const origins = new Map<FlowNode, NodeOrigin>();
  let ok = true;
  def.nodes.forEach((n, i) => {
    if (n.type !== "include") {
      nodes.push(n);
      origins.set(n, { src: p.src, path: ["nodes", i] });
      return;
    }
    const inc = n as IncludeNode;
    const frag = fragments.get(`${inc.flow}:${inc.version}`);
    if (!frag) {
      const known = [...fragments.values()].filter((f) => f.file.id === inc.flow).map((f) => f.file.version);
      sink.add(p.src, ["nodes", i], "unknown_include", known.length
        ? `fragment "${inc.flow}" has no version ${inc.version} (known: ${known.join(", ")}); raise this flow's version when the fragment changes`
        : `no fragment "${inc.flow}" in conversations/flows/fragments`);
      ok = false;
      return;
    }
    frag.file.nodes.forEach((fn, j) => {
      nodes.push(fn);
      origins.set(fn, { src: frag.src, path: ["nodes", j] });
    });
  });
  if (!ok) return undefined;

  const index = new Map<string, NodeEntry>();
  let order = 0;
  const addEntry = (node: FlowNode, origin: NodeOrigin, group?: GroupNode) => {
    const id = (node as { id?: string }).id;
    if (id === undefined) return;
    const prev = index.get(id);
    if (prev) {
      sink.add(origin.src, [...origin.path, "id"], "duplicate_id", `id "${id}" is also used at ${formatOrigin(prev.origin)}`);
      return;
    }
    index.set(id, { node, order: order++, origin, ...(group ? { group } : {}) });
  };
  for (const n of nodes) {
    const origin = origins.get(n) as NodeOrigin;
    addEntry(n, origin);
    if (n.type === "group") {
      const g = n as GroupNode;
      g.nodes.forEach((c, j) => addEntry(c, { src: origin.src, path: [...origin.path, "nodes", j] }, g));
    }
  }
  return { file: p.src.file, def, nodes, index };
}

function formatOrigin(o: NodeOrigin): string {
  const line = o.src.lineOf(o.path);
  return `${o.src.file}${line ? `:${line}` : ""}`;
}

function conditionRefs(c: Condition, path: Path, out: { kind: "answer" | "var" | "onFile"; name: string; path: Path }[]): void {
  if ("answer" in c) out.push({ kind: "answer", name: c.answer, path: [...path, "answer"] });
  else if ("var" in c) out.push({ kind: "var", name: c.var, path: [...path, "var"] });
  else if ("onFile" in c) out.push({ kind: "onFile", name: c.onFile, path: [...path, "onFile"] });
  else if ("all" in c) c.all.forEach((x, i) => conditionRefs(x, [...path, "all", i], out));
  else if ("any" in c) c.any.forEach((x, i) => conditionRefs(x, [...path, "any", i], out));
  else if ("none" in c) c.none.forEach((x, i) => conditionRefs(x, [...path, "none", i], out));
}

function checkFlow(sink: IssueSink, flow: CompiledFlow, texts: Record<Lang, Record<string, string>>): void {
  const def = flow.def;
  const flowSrc = [...flow.index.values()].find((e) => e.origin.src.file === flow.file)?.origin.src;
  const src = flowSrc ?? { file: flow.file };
  const need = (s: YamlSource | { file: string }, path: Path, key: string | undefined, what: string) =>
    requireText(sink, texts, s, path, key, what);

  need(src, ["title"], def.title, "title");
  need(src, ["menu", "label"], def.menu?.label, "menu label");
  need(src, ["menu", "words"], def.menu?.words, "menu words");
  need(src, ["complete", "reply"], def.complete.reply, "reply");
  (def.migrations ?? []).forEach((m, i) => need(src, ["migrations", i, "notice"], m.notice, "notice"));

  const effects = ["submit", "request", "consent"].filter((k) => def.complete[k as keyof typeof def.complete] !== undefined);
  if (effects.length > 1) sink.add(src, ["complete"], "complete", `complete names ${effects.join(" and ")}: choose one`);

  const declaredVars = new Set((def.vars ?? []).map((v) => v.name));
  const stores = new Map<string, string>();

  for (const [id, entry] of flow.index) {
    const { node, origin, group } = entry;
    const at = (...rest: Path): [YamlSource, Path] => [origin.src, [...origin.path, ...rest]];
    const add = (rest: Path, code: RuleCode, message: string) => {
      const [s, p] = at(...rest);
      sink.add(s, p, code, message);
    };

    // next: exists, top level, forward.
    const next = (node as { next?: string }).next;
    if (next !== undefined) {
      const target = flow.index.get(next);
      if (group) add(["next"], "group_child", "inside a group the questions follow in order: remove next");
      else if (!target || target.group) add(["next"], "dangling_next", `next: "${next}" is not a node of this flow${target ? " (it is inside a group)" : ""}`);
      else if (target.order <= entry.order) add(["next"], "backward_next", `next: "${next}" comes before "${id}"; loops are not allowed`);
    }

    // when: answers earlier (same group or top level), vars declared, onFile paths known.
    const when = (node as { when?: Condition }).when;
    if (when) {
      const refs: { kind: "answer" | "var" | "onFile"; name: string; path: Path }[] = [];
      conditionRefs(when, ["when"], refs);
      for (const r of refs) {
        if (r.kind === "var" && !declaredVars.has(r.name)) add(r.path, "unknown_var", `var "${r.name}" is not declared in vars`);
        if (r.kind === "onFile" && storeKind(r.name) === undefined) add(r.path, "unknown_store", `"${r.name}" is not a store path`);
        if (r.kind === "answer") checkAnswerRef(flow, entry, r.name, add, r.path, undefined);
      }
    }

    if (node.type === "message") need(...at("text"), (node as MessageNode).text, "message text");
    if (node.type === "summary") {
      need(...at("title"), (node as SummaryNode).title, "summary title");
      if (group) add(["type"], "group_child", "a summary cannot be inside a group");
    }
    if (node.type === "end") {
      need(...at("text"), (node as EndNode).text, "end text");
      if (group) add(["type"], "group_child", "an end cannot be inside a group");
    }
    if (node.type === "group") {
      const g = node as GroupNode;
      if (group) add(["type"], "group_child", "a group cannot be inside a group");
      if ((g.repeat === undefined) === (g.forEach === undefined)) add([], "group_mode", "a group needs exactly one of repeat and forEach");
      if (g.repeat && g.repeat.min > g.repeat.max) add(["repeat", "min"], "bad_range", "repeat.min is larger than repeat.max");
      if (g.forEach !== undefined && !declaredVars.has(g.forEach)) add(["forEach"], "unknown_var", `var "${g.forEach}" is not declared in vars`);
      need(...at("label"), g.label, "group label");
      need(...at("repeat", "more"), g.repeat?.more, "repeat question");
      if (g.store !== undefined) {
        const kind = storeKind(g.store);
        if (kind === undefined) add(["store"], "unknown_store", `"${g.store}" is not a store path (see src/flows/store.ts)`);
        else if (kind !== "items") add(["store"], "store_kind", `"${g.store}" holds ${kind}, a group gives items`);
      }
    }
    if (node.type === "include") add(["type"], "group_child", "an include cannot be inside a group");

    if (isQuestion(node)) {
      const type = getType(node.type);
      if (!type) continue; // reported by the schema
      need(...at("prompt"), node.prompt, "prompt");
      need(...at("label"), node.label, "label");
      need(...at("help"), node.help, "help");
      need(...at("retry"), node.retry, "retry");
      for (const key of type.textKeys?.(node) ?? []) need(...at(), key, "option or scale label");
      for (const [p, msg] of type.check?.(node) ?? []) {
        const code = msg.split(":")[0] as RuleCode;
        add(p.split("."), code in RULES ? code : "schema", msg.slice(msg.indexOf(":") + 1).trim());
      }
      for (const ref of type.references?.(node) ?? []) checkAnswerRef(flow, entry, ref.questionId, add, [ref.field], ref.types);
      if (node.store !== undefined) checkStore(node, type.kind, group, add, stores, id);
      if (type.personal && node.store !== undefined && !SEALED_STORE_PATHS.has(node.store as StorePath)) {
        add(["store"], "personal_store", `a ${node.type} answer is personal data; store it to one of ${[...SEALED_STORE_PATHS].join(", ")} (kept encrypted)`);
      }
      if (node.skipIfOnFile && node.store === undefined) add(["skipIfOnFile"], "unknown_store", "skipIfOnFile needs a store path");
    }
  }
}

function checkStore(
  node: QuestionNode,
  kind: ValueKind,
  group: GroupNode | undefined,
  add: (rest: Path, code: RuleCode, message: string) => void,
  stores: Map<string, string>,
  id: string,
): void {
  const store = node.store as string;
  if (group && group.store === undefined) {
    add(["store"], "unknown_store", `group "${group.id}" has no store, so "${store}" has nowhere to go`);
    return;
  }
  const full = group ? `${group.store}[].${store}` : store;
  const expected = storeKind(full);
  if (expected === undefined) {
    const close = Object.keys(STORE_PATHS).filter((p) => p.toLowerCase().includes(store.toLowerCase().split(".").pop() ?? "")).slice(0, 3);
    add(["store"], "unknown_store", `"${full}" is not a store path (see src/flows/store.ts)${close.length ? `; did you mean ${close.join(", ")}?` : ""}`);
    return;
  }
  if (expected !== kind) add(["store"], "store_kind", `"${full}" holds ${expected}, but a ${node.type} question gives ${kind}`);
  const prev = stores.get(full);
  if (prev) add(["store"], "duplicate_store", `"${full}" is also stored by "${prev}"`);
  else stores.set(full, id);
}

function checkAnswerRef(
  flow: CompiledFlow,
  from: NodeEntry,
  target: string,
  add: (rest: Path, code: RuleCode, message: string) => void,
  path: Path,
  types: string[] | undefined,
): void {
  const t = flow.index.get(target);
  const rel = path.slice(0);
  if (!t || !isQuestion(t.node)) {
    add(rel, "unknown_reference", `"${target}" is not a question of this flow`);
    return;
  }
  if (t.order >= from.order) {
    add(rel, "forward_reference", `"${target}" is asked after "${(from.node as { id?: string }).id}"; only earlier answers can be used`);
    return;
  }
  if (t.group && t.group !== from.group) {
    add(rel, "forward_reference", `"${target}" is inside group "${t.group.id}"; only questions of the same item can use it`);
    return;
  }
  if (types && !types.includes(t.node.type)) {
    add(rel, "reference_type", `"${target}" is a ${t.node.type} question; expected ${types.join(" or ")}`);
  }
}

function checkMigrations(sink: IssueSink, flow: CompiledFlow, versions: Map<number, CompiledFlow> | undefined): void {
  const src = [...flow.index.values()].find((e) => e.origin.src.file === flow.file)?.origin.src ?? { file: flow.file };
  (flow.def.migrations ?? []).forEach((m, i) => {
    if (m.from >= flow.def.version) {
      sink.add(src, ["migrations", i, "from"], "migration", `from: ${m.from} is not older than version ${flow.def.version}`);
    }
    if (m.strategy === "restart" && m.map) sink.add(src, ["migrations", i, "map"], "migration", "a restart keeps no answers: remove map");
    const old = versions?.get(m.from);
    for (const [a, b] of Object.entries(m.map ?? {})) {
      const target = flow.index.get(b);
      if (!target || !isQuestion(target.node)) {
        sink.add(src, ["migrations", i, "map", a], "migration", `"${b}" is not a question of version ${flow.def.version}`);
      }
      if (old && !old.index.has(a)) sink.add(src, ["migrations", i, "map", a], "migration", `"${a}" is not a node of version ${m.from}`);
    }
  });
}

/** A store path fed by choices in several flows must offer the same option ids everywhere. */
function checkOptionSets(sink: IssueSink, flows: CompiledFlow[]): void {
  const seen = new Map<string, { ids: string; entry: NodeEntry }>();
  for (const flow of flows) {
    for (const entry of flow.index.values()) {
      const node = entry.node;
      if (!isQuestion(node) || node.store === undefined || entry.group) continue;
      const options = (node as { options?: { id: string }[] }).options;
      if (!options) continue;
      const ids = options.map((o) => o.id).sort().join(", ");
      const prev = seen.get(node.store);
      if (!prev) {
        seen.set(node.store, { ids, entry });
        continue;
      }
      if (prev.ids !== ids) {
        sink.add(entry.origin.src, [...entry.origin.path, "options"], "option_mismatch",
          `"${node.store}" is also asked at ${formatOrigin(prev.entry.origin)} with options [${prev.ids}]; here [${ids}]: keep them the same`);
      }
    }
  }
}
