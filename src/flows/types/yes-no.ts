/** Ya / Tidak, as buttons or typed ("iya", "gak", "blm", 👍). */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { parseYesNo } from "../questions/yesno.js";
import { registerType, type QuestionContext } from "../registry.js";

export interface YesNoNode extends QuestionNodeBase {
  type: "yes_no";
}

const labels = (ctx: QuestionContext) => ({ yes: ctx.tr.t("q.yesno.yes"), no: ctx.tr.t("q.yesno.no") });

export const yesNoType = registerType<YesNoNode>({
  type: "yes_no",
  description: "Yes or no (stored as true/false).",
  kind: "boolean",
  schema: z.strictObject({ type: z.literal("yes_no"), ...questionFields }).meta({ title: "yes_no" }),
  prompt(_node, ctx) {
    const l = labels(ctx);
    return { choices: [{ id: "yes", label: l.yes }, { id: "no", label: l.no }] };
  },
  parse(_node, input, ctx) {
    const l = labels(ctx);
    if (input.type === "choice") {
      if (input.choiceId === "yes") return { ok: true, value: true, display: l.yes };
      if (input.choiceId === "no") return { ok: true, value: false, display: l.no };
      return { ok: false, error: "engine.stale_button" };
    }
    if (input.type !== "text") return { ok: false, error: "engine.expect_choice" };
    return parseYesNo(input.text, l);
  },
  display: (_node, value, ctx) => (value === true ? labels(ctx).yes : labels(ctx).no),
});
