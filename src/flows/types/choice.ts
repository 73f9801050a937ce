/** One option from a list: buttons where the channel has them, a number or the words otherwise. */
import { z } from "zod";
import { type Option, questionFields, type QuestionNodeBase, ZOptions } from "../node-base.js";
import { parseChoice } from "../questions/choice.js";
import { registerType } from "../registry.js";
import { checkOptionIds, choicesOf, optionKeys, resolveOptions } from "./options.js";

export interface ChoiceNode extends QuestionNodeBase {
  type: "choice";
  options: Option[];
}

export const choiceType = registerType<ChoiceNode>({
  type: "choice",
  description: "One option from a list (buttons, a number, or the label typed, typos allowed).",
  kind: "string",
  schema: z.strictObject({ type: z.literal("choice"), ...questionFields, options: ZOptions }).meta({ title: "choice" }),
  textKeys: (node) => optionKeys(node.options),
  check: (node) => checkOptionIds(node.options),
  prompt: (node, ctx) => ({ choices: choicesOf(resolveOptions(node.options, ctx.tr)) }),
  parse(node, input, ctx) {
    const options = resolveOptions(node.options, ctx.tr);
    if (input.type === "choice") {
      const o = options.find((x) => x.id === input.choiceId);
      return o ? { ok: true, value: o.id, display: o.label } : { ok: false, error: "engine.stale_button" };
    }
    if (input.type !== "text") return { ok: false, error: "engine.expect_choice" };
    return parseChoice(input.text, options);
  },
  display(node, value, ctx) {
    const o = node.options.find((x) => x.id === value);
    return o ? ctx.tr.t(o.label) : String(value);
  },
});
