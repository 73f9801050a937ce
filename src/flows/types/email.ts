/** An e-mail address (typos in common domains are caught: "gmial.com"). */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { parseEmail } from "../questions/email.js";
import { registerType, textOf } from "../registry.js";

export interface EmailNode extends QuestionNodeBase {
  type: "email";
}

export const emailType = registerType<EmailNode>({
  type: "email",
  description: "An e-mail address.",
  kind: "string",
  personal: true,
  schema: z.strictObject({ type: z.literal("email"), ...questionFields }).meta({ title: "email" }),
  prompt: () => ({}),
  parse(_node, input) {
    const s = textOf(input);
    return s === undefined ? { ok: false, error: "engine.expect_text" } : parseEmail(s);
  },
  display: (_node, value) => String(value),
});
