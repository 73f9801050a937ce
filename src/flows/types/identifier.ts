/**
 * A number checked by its format (NIB: 13 digits; a PLUT member number: letters and digits), with
 * "Belum punya" and "Lupa nomornya" as buttons of their own. Either of those stores nothing (the
 * value is null, which the host does not write), so it can never be printed as the number.
 */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { ZTextKey } from "../node-base.js";
import { IDENTIFIER_LABEL_KEYS, parseIdentifier } from "../questions/identifier.js";
import { registerType, type QuestionContext } from "../registry.js";

export interface IdentifierNode extends QuestionNodeBase {
  type: "identifier";
  digits?: number;
  example: string;
}

const NONE = "id:none";
const FORGOT = "id:forgot";

const label = (ctx: QuestionContext, why: "none" | "forgot") => ctx.tr.t(why === "none" ? IDENTIFIER_LABEL_KEYS.none : IDENTIFIER_LABEL_KEYS.forgot);

export const identifierType = registerType<IdentifierNode>({
  type: "identifier",
  description: "A number checked by its format (digits: 13 for an NIB), with 'belum punya' and 'lupa nomornya' as answers that store nothing.",
  kind: "string",
  schema: z
    .strictObject({
      type: z.literal("identifier"),
      ...questionFields,
      digits: z.number().int().min(1).max(40).optional().meta({ description: "Exactly this many digits (NIB: 13); otherwise letters and digits." }),
      example: ZTextKey.meta({ description: "Text key of an example number, shown when an answer is refused." }),
    })
    .meta({ title: "identifier" }),
  textKeys: (node) => [node.example],
  prompt: (_node, ctx) => ({
    choices: [
      { id: NONE, label: label(ctx, "none") },
      { id: FORGOT, label: label(ctx, "forgot") },
    ],
  }),
  parse(node, input, ctx) {
    if (input.type === "choice") {
      if (input.choiceId === NONE) return { ok: true, value: null, display: label(ctx, "none") };
      if (input.choiceId === FORGOT) return { ok: true, value: null, display: label(ctx, "forgot") };
      return { ok: false, error: "engine.stale_button" };
    }
    if (input.type !== "text") return { ok: false, error: "engine.expect_text" };
    const r = parseIdentifier(input.text, { digits: node.digits, example: ctx.tr.t(node.example) });
    if (!r.ok) return r;
    if ("none" in r.value) return { ok: true, value: null, display: label(ctx, r.value.none) };
    return { ok: true, value: r.value.number, display: r.value.number };
  },
  // The summary cannot tell "belum punya" from "lupa" once stored as nothing: it says both.
  display: (_node, value, ctx) => (typeof value === "string" && value !== "" ? value : ctx.tr.t(IDENTIFIER_LABEL_KEYS.noNumber)),
});
