/**
 * Loads conversations/ (flows, fragments, archived versions, texts, regions), checks them all and
 * returns what the engine runs on. Any problem throws a FlowDefinitionError listing every one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parse } from "yaml";
import {
  type CompiledFlow,
  FlowDefinitionError,
  validateConversations,
  type DefinitionIssue,
} from "./definition.js";
import { parseRegions, type Regions } from "./questions/region.js";
import { LANGS, type Lang, type Texts } from "../i18n/index.js";
import { readYaml } from "../shared/yaml-source.js";

/** Everything the engine needs, loaded and checked. */
export interface LoadedConversations {
  /** The current version of each flow, by id. */
  flows: ReadonlyMap<string, CompiledFlow>;
  /** Every loadable version of each flow (current and conversations/flows/archive). */
  versions: ReadonlyMap<string, ReadonlyMap<number, CompiledFlow>>;
  texts: Texts;
  regions: Regions | undefined;
  /** The flow that records consent (complete.consent). */
  consentFlowId: string;
}

export interface LoadOptions {
  /**
   * Files to add or replace (relative path -> YAML text), or to leave out (null); tests use it to
   * put fixture flows beside the real ones.
   */
  overlay?: Readonly<Record<string, string | null>>;
}

/** Reads every file under `dir` as relative path ("flows/registration.yaml") -> text. */
export function readConversationFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".yaml") || name.endsWith(".yml")) out[relative(dir, full).split(sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Loads and checks conversations from a directory (default layout: flows/, texts/<lang>/, regions/). */
export function loadConversations(dir: string, opts: LoadOptions = {}): LoadedConversations {
  const files = { ...readConversationFiles(dir) } as Record<string, string | null>;
  for (const [k, v] of Object.entries(opts.overlay ?? {})) files[k] = v;
  const present = Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== null));
  return buildConversations(present, dir);
}

/** Checks a set of files (relative path -> text); `label` prefixes file names in messages. */
export function buildConversations(files: Readonly<Record<string, string>>, label = "conversations"): LoadedConversations {
  const r = checkConversationFiles(files, label);
  if (r.issues.length) throw new FlowDefinitionError(r.issues);
  return r.loaded as LoadedConversations;
}

/** Like buildConversations, but returns the problems instead of throwing (flows:check). */
export function checkConversationFiles(
  files: Readonly<Record<string, string>>,
  label = "conversations",
): { issues: DefinitionIssue[]; loaded?: LoadedConversations; counts: Record<string, number> } {
  const name = (rel: string) => `${label}/${rel}`;
  const flowSources = Object.entries(files)
    .filter(([rel]) => rel.startsWith("flows/"))
    .map(([rel, text]) => readYaml(name(rel), text));
  const textSources = Object.entries(files)
    .map(([rel, text]) => ({ rel, text, lang: /^texts\/([a-z]{2})\//.exec(rel)?.[1] }))
    .filter((x): x is { rel: string; text: string; lang: string } => x.lang !== undefined);
  const issues: DefinitionIssue[] = [];
  const texts = textSources
    .filter((t) => {
      if ((LANGS as readonly string[]).includes(t.lang)) return true;
      issues.push({ code: "schema", file: name(t.rel), path: "", message: `"${t.lang}" is not a language (${LANGS.join(", ")})` });
      return false;
    })
    .map((t) => ({ lang: t.lang as Lang, src: readYaml(name(t.rel), t.text) }));

  const result = validateConversations({ flows: flowSources, texts });
  issues.push(...result.issues);

  let regions: Regions | undefined;
  const regionFile = Object.keys(files).find((rel) => rel.startsWith("regions/"));
  if (regionFile) {
    try {
      regions = parseRegions(parse(files[regionFile] as string));
    } catch (e) {
      issues.push({ code: "schema", file: name(regionFile), path: "", message: e instanceof Error ? e.message : String(e) });
    }
  }
  const usesRegions = [...result.versions.values()].some((vm) =>
    [...vm.values()].some((f) => [...f.index.values()].some((e) => e.node.type === "kecamatan" || e.node.type === "desa")),
  );
  if (usesRegions && !regionFile) {
    issues.push({ code: "schema", file: name("regions/"), path: "", message: "flows ask for a kecamatan/desa but there is no regions file" });
  }

  const consent = [...result.current.values()].find((f) => f.def.complete.consent !== undefined);
  const counts = {
    flows: result.current.size,
    versions: [...result.versions.values()].reduce((n, m) => n + m.size, 0),
    fragments: flowSources.filter((s) => (s.data as { kind?: unknown } | undefined)?.kind === "fragment").length,
    nodes: [...result.current.values()].reduce((n, f) => n + f.index.size, 0),
    texts: Object.keys(result.texts.id).length,
    languages: LANGS.length,
  };
  if (!consent && !issues.some((i) => i.code === "consent_flow")) {
    issues.push({ code: "consent_flow", file: name("flows/"), path: "", message: "no flow records consent (complete.consent)" });
  }
  if (issues.length || !consent) return { issues, counts };
  return {
    issues,
    counts,
    loaded: {
      flows: result.current,
      versions: result.versions,
      texts: result.texts,
      regions,
      consentFlowId: consent.def.id,
    },
  };
}
