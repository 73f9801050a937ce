/** Free text: a name, an address, the problem in the client's own words. */
import { z } from "zod";
import { questionFields, type QuestionNodeBase, ZTextKey } from "../node-base.js";
import { parseText, TEXT_LABEL_KEYS } from "../questions/text.js";
import { registerType, textOf } from "../registry.js";

export interface TextNode extends QuestionNodeBase {
  type: "text";
  minLength?: number;
  maxLength?: number;
  suggestCases?: boolean;
  nameCase?: boolean;
  example?: string;
}

/** The example shown when a text question has none of its own. */
export const DEFAULT_TEXT_EXAMPLE = TEXT_LABEL_KEYS.example;

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
      nameCase: z
        .boolean()
        .optional()
        .meta({ description: "A name for documents: stored capitalised as on a form ('ni made sari' -> 'Ni Made Sari')." }),
      example: ZTextKey.optional().meta({ description: "Text key of an example answer, shown when an answer is refused (fits this question)." }),
    })
    .meta({ title: "text" }),
  prompt(node, ctx) {
    if (!node.suggestCases) return {};
    const cases = ctx.person.cases ?? [];
    return cases.length ? { choices: cases.slice(0, 8).map((c) => ({ id: c.regNumber.slice(0, 64), label: c.regNumber })) } : {};
  },
  textKeys: (node) => (node.example ? [node.example] : []),
  parse(node, input, ctx) {
    if (input.type === "choice" && node.suggestCases) return { ok: true, value: input.choiceId, display: input.choiceId };
    const s = textOf(input);
    if (s === undefined) return { ok: false, error: "engine.expect_text" };
    return parseText(s, { minLength: node.minLength, maxLength: node.maxLength, nameCase: node.nameCase, example: ctx.tr.t(node.example ?? DEFAULT_TEXT_EXAMPLE) });
  },
  display: (_node, value) => String(value),
});
