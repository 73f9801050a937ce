/** Free text: a name, an address, the problem in the client's own words. */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { parseText } from "../questions/text.js";
import { registerType, textOf } from "../registry.js";

export interface TextNode extends QuestionNodeBase {
  type: "text";
  minLength?: number;
  maxLength?: number;
  suggestCases?: boolean;
}

export const textType = registerType<TextNode>({
  type: "text",
  description: "Free text (a name, an address, the problem in the client's words).",
  kind: "string",
  schema: z
    .strictObject({
      type: z.literal("text"),
      ...questionFields,
      minLength: z.number().int().min(0).optional().meta({ description: "Fewest characters." }),
      maxLength: z.number().int().min(1).optional().meta({ description: "Most characters." }),
      suggestCases: z
        .boolean()
        .optional()
        .meta({ description: "Offer the client's registration numbers as buttons (complaints)." }),
    })
    .meta({ title: "text" }),
  prompt(node, ctx) {
    if (!node.suggestCases) return {};
    const cases = ctx.person.cases ?? [];
    return cases.length ? { choices: cases.slice(0, 8).map((c) => ({ id: c.regNumber.slice(0, 64), label: c.regNumber })) } : {};
  },
  parse(node, input) {
    if (input.type === "choice" && node.suggestCases) return { ok: true, value: input.choiceId, display: input.choiceId };
    const s = textOf(input);
    if (s === undefined) return { ok: false, error: "engine.expect_text" };
    return parseText(s, { minLength: node.minLength, maxLength: node.maxLength });
  },
  display: (_node, value) => String(value),
});
