/** A score on a labelled scale (SKM: 1 = worst .. 4 = best), stored as the number. */
import { z } from "zod";
import { questionFields, type QuestionNodeBase, ZTextKey } from "../node-base.js";
import { parseChoice } from "../questions/choice.js";
import type { ChoiceOption } from "../questions/types.js";
import { registerType, type QuestionContext } from "../registry.js";

export interface RatingNode extends QuestionNodeBase {
  type: "rating";
  scale: string[];
}

function optionsOf(node: RatingNode, ctx: QuestionContext): ChoiceOption[] {
  return node.scale.map((key, i) => ({ id: String(i + 1), label: ctx.tr.t(key) }));
}

export const ratingType = registerType<RatingNode>({
  type: "rating",
  description: "A score 1..n; `scale` lists the label keys from the lowest (1) to the highest.",
  kind: "number",
  schema: z
    .strictObject({
      type: z.literal("rating"),
      ...questionFields,
      scale: z
        .array(ZTextKey)
        .min(2, { error: "a rating needs at least two scale labels" })
        .max(10)
        .meta({ description: "Text keys of the labels, lowest score first." }),
    })
    .meta({ title: "rating" }),
  textKeys: (node) => node.scale,
  // The label alone: channels that number choices (WhatsApp, web chat) number them already, and a
  // prefix here read "1. 1. Tidak sesuai" there.
  prompt: (node, ctx) => ({ choices: optionsOf(node, ctx) }),
  parse(node, input, ctx) {
    const options = optionsOf(node, ctx);
    let r;
    if (input.type === "choice") {
      const o = options.find((x) => x.id === input.choiceId);
      if (!o) return { ok: false, error: "engine.stale_button" };
      r = { ok: true as const, value: o.id, display: o.label };
    } else if (input.type === "text") {
      r = parseChoice(input.text, options);
    } else {
      return { ok: false, error: "engine.expect_choice" };
    }
    return r.ok ? { ok: true, value: Number(r.value), display: r.display } : r;
  },
  display: (node, value, ctx) => ctx.tr.t(node.scale[Number(value) - 1] ?? "") || String(value),
});
