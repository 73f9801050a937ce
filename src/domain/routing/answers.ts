/**
 * What the router may read besides the problem text: the assessment answers (AssessmentAnswer rows,
 * by store path) and two facts of the business. The catalog lists these paths with the kind of
 * value and the option ids the flows give them, so a rule, an evaluation case or a typo naming an
 * answer that no flow stores is caught by name.
 */
import { readJson, ZAssessmentAnswerValue } from "../../db/json-columns.js";
import type { LoadedConversations } from "../../flows/load.js";
import { isQuestion } from "../../flows/definition.js";
import { getType } from "../../flows/registry.js";
import type { ValueKind } from "../../flows/store.js";

/** Business columns the router reads next to the assessment answers. */
export const BUSINESS_PATHS = ["business.legalForm", "business.sector"] as const;

export const isRoutedPath = (path: string): boolean => path.startsWith("assessment.") || (BUSINESS_PATHS as readonly string[]).includes(path);

export interface AnswerSpec {
  kind: ValueKind;
  /** Option ids of the questions that store this path (choice and multiple choice). */
  options?: ReadonlySet<string>;
}

/** Every path the router may read, as the current flows store it. */
export function answerCatalog(conversations: Pick<LoadedConversations, "flows">): Map<string, AnswerSpec> {
  const out = new Map<string, { kind: ValueKind; options?: Set<string> }>();
  for (const flow of conversations.flows.values()) {
    for (const { node } of flow.index.values()) {
      if (!isQuestion(node) || typeof node.store !== "string" || !isRoutedPath(node.store)) continue;
      const kind = getType(node.type)?.kind;
      if (!kind) continue;
      const spec = out.get(node.store) ?? { kind };
      const options = (node as { options?: { id: string }[] }).options;
      if (options) {
        spec.options ??= new Set();
        for (const o of options) spec.options.add(o.id);
      }
      out.set(node.store, spec);
    }
  }
  return out;
}

/** Why a value cannot be an answer at this path, or null when it can. */
export function answerProblem(catalog: ReadonlyMap<string, AnswerSpec>, path: string, value: unknown): string | null {
  const spec = catalog.get(path);
  if (!spec) return `"${path}" is not an answer the router reads (known: ${[...catalog.keys()].sort().join(", ")})`;
  const values = Array.isArray(value) ? value : [value];
  if (spec.kind === "strings" && !Array.isArray(value)) return `"${path}" holds a list, e.g. [${[...(spec.options ?? [])][0] ?? "x"}]`;
  if (spec.kind !== "strings" && Array.isArray(value)) return `"${path}" holds one value, not a list`;
  if (spec.kind === "boolean" && typeof value !== "boolean") return `"${path}" is true or false`;
  if (spec.kind === "number" && typeof value !== "number") return `"${path}" is a number`;
  if (spec.options) {
    const bad = values.filter((v) => !spec.options!.has(String(v)));
    if (bad.length > 0) return `"${path}" has no option ${bad.map((b) => `"${String(b)}"`).join(", ")} (options: ${[...spec.options].join(", ")})`;
  }
  return null;
}

/** The router's view of a case: its assessment answers by store path and the business's legal form and sector. */
export function routingAnswers(
  rows: readonly { questionId: string; valueJson: string }[],
  business: { legalForm: string | null; sector: string | null } | null,
): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const a of rows) {
    try {
      answers[a.questionId] = readJson(ZAssessmentAnswerValue, a.valueJson);
    } catch {
      // A row the router cannot read is a missing answer, never a failed routing.
    }
  }
  if (business?.legalForm) answers["business.legalForm"] = business.legalForm;
  if (business?.sector) answers["business.sector"] = business.sector;
  return answers;
}
