/**
 * The NIK (16 digits on the KTP), checked against the birth date and sex answers the node names:
 * ask those before the NIK. Shown masked everywhere.
 */
import { z } from "zod";
import { questionFields, type QuestionNodeBase, ZNodeId } from "../node-base.js";
import { maskNik, parseNik } from "../questions/nik.js";
import { registerType, type QuestionContext, textOf } from "../registry.js";

export interface NikNode extends QuestionNodeBase {
  type: "nik";
  birthDate?: string;
  sex?: string;
}

function crossCheck(node: NikNode, ctx: QuestionContext): { birthDate?: string; sex?: "L" | "P" } {
  const birthDate = node.birthDate ? ctx.answerOf(node.birthDate) : undefined;
  const sex = node.sex ? ctx.answerOf(node.sex) : undefined;
  return {
    ...(typeof birthDate === "string" ? { birthDate } : {}),
    ...(sex === "L" || sex === "P" ? { sex } : {}),
  };
}

export const nikType = registerType<NikNode>({
  type: "nik",
  description: "NIK (16 digits); birthDate/sex name earlier questions it is checked against.",
  kind: "string",
  personal: true,
  schema: z
    .strictObject({
      type: z.literal("nik"),
      ...questionFields,
      birthDate: ZNodeId.optional().meta({ description: "Id of the date question with the birth date (asked before)." }),
      sex: ZNodeId.optional().meta({ description: "Id of the choice question with the sex, options L and P (asked before)." }),
    })
    .meta({ title: "nik" }),
  references: (node) => [
    ...(node.birthDate ? [{ field: "birthDate", questionId: node.birthDate, types: ["date"] }] : []),
    ...(node.sex ? [{ field: "sex", questionId: node.sex, types: ["choice"] }] : []),
  ],
  prompt: () => ({}),
  parse(node, input, ctx) {
    const s = textOf(input);
    if (s === undefined) return { ok: false, error: "engine.expect_text" };
    return parseNik(s, { now: ctx.now, ...crossCheck(node, ctx) });
  },
  display: (_node, value) => maskNik(String(value)),
  recheck: (node, value, ctx) => parseNik(String(value), { now: ctx.now, ...crossCheck(node, ctx) }).ok,
});
