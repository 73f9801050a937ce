/**
 * flows:check for the office's routing files: areas.yaml, routing.yaml, routing-lexicon.yaml and the
 * labelled cases routing-cases.yaml. Every problem is reported at once with file, line, path and a
 * rule code, like the flow checks (src/flows/definition.ts); one broken fixture per rule lives in
 * tests/domain/fixtures/routing-broken/. The checks against the flows (which answers exist, which
 * option ids they have) use the loaded conversations; the flow checks themselves know nothing of
 * routing, so they stay in the leaf library.
 */
import type { LoadedConversations } from "../../flows/load.js";
import { readYaml, type YamlSource } from "../../shared/yaml-source.js";
import { fold } from "../../shared/fold.js";
import { answerCatalog, answerProblem } from "./answers.js";
import { ZEvalFile } from "./evaluate.js";
import { ZLexiconFile } from "./lexicon.js";
import { OFFICE_FILES, ZAreasFile, ZRoutingFile } from "./rules.js";

export const OFFICE_RULES = {
  office_yaml: "an office file is not valid YAML",
  office_schema: "a field of an office file has the wrong shape (see the message)",
  unknown_area: "a rule, a lexicon entry or a case names an area that areas.yaml does not have",
  unknown_answer: "a rule or a case reads an answer that no flow stores (or the router is not given)",
  unknown_value: "a rule or a case compares an answer with a value its question cannot give",
  duplicate_rule: "two routing rules share an id",
  duplicate_word: "one word is listed twice for the same area of the lexicon",
  area_without_words: "an area of areas.yaml has no words in the lexicon, so the client's words never point to it",
} as const;
export type OfficeRuleCode = keyof typeof OFFICE_RULES;

export interface OfficeIssue {
  code: OfficeRuleCode;
  file: string;
  path: string;
  line?: number;
  message: string;
}

export function formatOfficeIssue(i: OfficeIssue): string {
  return `${i.line ? `${i.file}:${i.line}` : i.file}${i.path ? ` ${i.path}` : ""}: [${i.code}] ${i.message}`;
}

const CASES_FILE = "routing-cases.yaml";

/** Checks the office files given as relative path -> YAML text, against the loaded flows. */
export function checkOfficeFiles(files: Readonly<Record<string, string>>, conversations: Pick<LoadedConversations, "flows">, label = "conversations"): OfficeIssue[] {
  const issues: OfficeIssue[] = [];
  const add = (src: YamlSource, path: (string | number)[], code: OfficeRuleCode, message: string) => {
    const line = src.lineOf(path);
    issues.push({ code, file: src.file, path: path.join("."), ...(line ? { line } : {}), message });
  };
  const read = <T>(rel: string, schema: { safeParse(d: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }) => {
    const text = files[rel];
    if (text === undefined) {
      if (rel !== CASES_FILE) issues.push({ code: "office_schema", file: `${label}/${rel}`, path: "", message: "the file is missing" });
      return undefined;
    }
    const src = readYaml(`${label}/${rel}`, text);
    if (src.errors.length) {
      for (const e of src.errors) issues.push({ code: "office_yaml", file: src.file, path: "", line: e.line, message: e.message });
      return undefined;
    }
    const r = schema.safeParse(src.data);
    if (!r.success) {
      for (const iss of r.error.issues) {
        add(src, iss.path.filter((p): p is string | number => typeof p !== "symbol"), "office_schema", iss.message);
      }
      return undefined;
    }
    return { src, data: r.data };
  };

  const areas = read(OFFICE_FILES.areas, ZAreasFile);
  const routing = read(OFFICE_FILES.routing, ZRoutingFile);
  const lexicon = read(OFFICE_FILES.lexicon, ZLexiconFile);
  const cases = read(CASES_FILE, ZEvalFile);
  const codes = areas ? areas.data.areas.map((a) => a.code) : undefined;
  const catalog = answerCatalog(conversations);

  if (routing) {
    const ids = new Set<string>();
    routing.data.rules.forEach((r, i) => {
      if (ids.has(r.id)) add(routing.src, ["rules", i, "id"], "duplicate_rule", `rule id "${r.id}" is used twice`);
      ids.add(r.id);
      if (codes && !codes.includes(r.area)) add(routing.src, ["rules", i, "area"], "unknown_area", `"${r.area}" is not an area of areas.yaml (${codes.join(", ")})`);
      const c = r.when;
      if (!catalog.has(c.answer)) {
        add(routing.src, ["rules", i, "when", "answer"], "unknown_answer", answerProblem(catalog, c.answer, null) ?? "");
        return;
      }
      const spec = catalog.get(c.answer)!;
      const values: unknown[] = c.equals !== undefined ? [c.equals] : c.includes !== undefined ? [c.includes] : (c.includesAny ?? []);
      const op = c.equals !== undefined ? "equals" : c.includes !== undefined ? "includes" : c.includesAny !== undefined ? "includesAny" : "atLeast";
      if (c.atLeast !== undefined && spec.kind !== "number") add(routing.src, ["rules", i, "when", op], "unknown_value", `"${c.answer}" is not a number`);
      for (const v of values) {
        const probe = spec.kind === "strings" ? [v] : v;
        const p = answerProblem(catalog, c.answer, probe);
        if (p) add(routing.src, ["rules", i, "when", op], "unknown_value", p);
      }
    });
  }

  if (lexicon) {
    const covered = new Set<string>();
    for (const [area, concepts] of Object.entries(lexicon.data.areas)) {
      covered.add(area);
      if (codes && !codes.includes(area)) add(lexicon.src, ["areas", area], "unknown_area", `"${area}" is not an area of areas.yaml (${codes.join(", ")})`);
      const seen = new Map<string, string>();
      concepts.forEach((c, ci) => {
        c.words.forEach((w, wi) => {
          const key = fold(w.replace(/^=/, ""));
          const before = seen.get(key);
          if (before !== undefined) add(lexicon.src, ["areas", area, ci, "words", wi], "duplicate_word", `"${w}" is already listed for ${area} (concept "${before}")`);
          else seen.set(key, c.concept);
        });
      });
    }
    if (areas && codes) {
      for (const code of codes) {
        if (!covered.has(code)) add(lexicon.src, ["areas"], "area_without_words", `area "${code}" has no concepts; add its words under areas.${code}`);
      }
    }
  }

  if (cases) {
    cases.data.forEach((c, i) => {
      const name = c.id ?? `#${i + 1}`;
      c.expect.forEach((e, ei) => {
        if (codes && !codes.includes(e)) add(cases.src, [i, "expect", ei], "unknown_area", `case ${name}: "${e}" is not an area of areas.yaml`);
      });
      for (const [path, value] of Object.entries(c.answers)) {
        const p = answerProblem(catalog, path, value);
        if (p) add(cases.src, [i, "answers", path], catalog.has(path) ? "unknown_value" : "unknown_answer", `case ${name}: ${p}`);
      }
    });
  }
  return issues;
}

/** The office files of a conversations folder's file map (relative path -> text). */
export function officeFilesOf(files: Readonly<Record<string, string>>): Record<string, string> {
  const names: string[] = [...Object.values(OFFICE_FILES), CASES_FILE];
  return Object.fromEntries(Object.entries(files).filter(([rel]) => names.includes(rel)));
}
