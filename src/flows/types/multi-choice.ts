/**
 * Several options. With buttons each tap toggles an option and "Selesai" finishes; a typed list
 * ("1, 3", "wa dan ig", "semua") answers at once.
 */
import { z } from "zod";
import { type Option, questionFields, type QuestionNodeBase, ZOptionId, ZOptions } from "../node-base.js";
import { parseChoice, parseMultiChoice } from "../questions/choice.js";
import type { ChoiceOption } from "../questions/types.js";
import { registerType, type QuestionContext, type TypeParse } from "../registry.js";
import { foldCommand } from "../../shared/fold.js";
import { checkOptionIds, optionKeys, resolveOptions } from "./options.js";

export interface MultiChoiceNode extends QuestionNodeBase {
  type: "multi_choice";
  options: Option[];
  min?: number;
  max?: number;
  exclusive?: string[];
}

export const DONE_CHOICE = "ctl:done";

function selectedOf(scratch: unknown): string[] {
  return Array.isArray(scratch) ? scratch.filter((x): x is string => typeof x === "string") : [];
}

function labels(ids: readonly string[], options: readonly ChoiceOption[]): string {
  return options
    .filter((o) => ids.includes(o.id))
    .map((o) => o.label)
    .join(", ");
}

/** Keeps an exclusive option ("belum ada") alone: picking it drops the others, picking another drops it. */
function toggle(selected: readonly string[], id: string, exclusive: readonly string[]): string[] {
  if (selected.includes(id)) return selected.filter((x) => x !== id);
  if (exclusive.includes(id)) return [id];
  return [...selected.filter((x) => !exclusive.includes(x)), id];
}

function finish(node: MultiChoiceNode, ids: string[], options: readonly ChoiceOption[]): TypeParse {
  const min = node.min ?? 1;
  const max = node.max ?? options.length;
  if (ids.length < min) return { ok: false, error: "q.choice.too_few", params: { min, count: ids.length } };
  if (ids.length > max) return { ok: false, error: "q.choice.too_many", params: { max, count: ids.length } };
  const ex = node.exclusive ?? [];
  if (ids.length > 1 && ids.some((id) => ex.includes(id))) {
    return { ok: false, error: "engine.multi.exclusive", params: { option: labels(ids.filter((id) => ex.includes(id)), options) } };
  }
  const ordered = options.filter((o) => ids.includes(o.id)).map((o) => o.id);
  return { ok: true, value: ordered, display: labels(ordered, options) };
}

function selectionLines(selected: readonly string[], options: readonly ChoiceOption[], ctx: QuestionContext): string[] {
  return selected.length
    ? [ctx.tr.t("engine.multi.selected", { list: labels(selected, options) })]
    : [ctx.tr.t("engine.multi.how")];
}

export const multiChoiceType = registerType<MultiChoiceNode>({
  type: "multi_choice",
  description: "Several options: taps toggle, 'Selesai' finishes; typed lists such as '1, 3' work too.",
  kind: "strings",
  schema: z
    .strictObject({
      type: z.literal("multi_choice"),
      ...questionFields,
      options: ZOptions,
      min: z.number().int().min(0).optional().meta({ description: "Fewest options (default 1)." }),
      max: z.number().int().min(1).optional().meta({ description: "Most options (default all)." }),
      exclusive: z
        .array(ZOptionId)
        .optional()
        .meta({ description: "Option ids that cannot be picked with others (e.g. 'belum_ada')." }),
    })
    .meta({ title: "multi_choice" }),
  textKeys: (node) => optionKeys(node.options),
  check(node) {
    const out = checkOptionIds(node.options);
    (node.exclusive ?? []).forEach((id, i) => {
      if (!node.options.some((o) => o.id === id)) out.push([`exclusive.${i}`, `unknown_option: "${id}" is not an option id`]);
    });
    if (node.min !== undefined && node.max !== undefined && node.min > node.max) out.push(["min", "bad_range: min is larger than max"]);
    return out;
  },
  prompt(node, ctx) {
    const options = resolveOptions(node.options, ctx.tr);
    const selected = selectedOf(ctx.scratch);
    return {
      extra: selectionLines(selected, options, ctx),
      choices: [
        ...options.map((o) => ({ id: o.id, label: selected.includes(o.id) ? `✓ ${o.label}` : o.label })),
        { id: DONE_CHOICE, label: ctx.tr.t("engine.multi.done") },
      ],
    };
  },
  parse(node, input, ctx) {
    const options = resolveOptions(node.options, ctx.tr);
    const selected = selectedOf(ctx.scratch);
    if (input.type === "choice") {
      if (input.choiceId === DONE_CHOICE) return finish(node, selected, options);
      if (!options.some((o) => o.id === input.choiceId)) return { ok: false, error: "engine.stale_button" };
      const next = toggle(selected, input.choiceId, node.exclusive ?? []);
      return { ok: "partial", scratch: next, extra: selectionLines(next, options, ctx) };
    }
    if (input.type !== "text") return { ok: false, error: "engine.expect_choice" };
    if (ctx.tr.words("cmd.done").includes(foldCommand(input.text))) return finish(node, selected, options);
    // "belum ada" names the exclusive option itself, not an empty list.
    const exclusive = node.exclusive ?? [];
    if (exclusive.length) {
      const one = parseChoice(input.text, options);
      if (one.ok && exclusive.includes(one.value)) return finish(node, [one.value], options);
    }
    const r = parseMultiChoice(input.text, options, { min: node.min ?? 1, max: node.max });
    return r.ok ? finish(node, r.value, options) : r;
  },
  display(node, value, ctx) {
    const ids = Array.isArray(value) ? value.map(String) : [];
    return labels(ids, resolveOptions(node.options, ctx.tr));
  },
});
