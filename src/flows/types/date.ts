/** A calendar date ("17-08-1990", "17 agt 90", "besok"), stored as YYYY-MM-DD. */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { parseDate } from "../questions/date.js";
import { formatIsoDate } from "../questions/format.js";
import { registerType, textOf } from "../registry.js";

export interface DateNode extends QuestionNodeBase {
  type: "date";
  past?: boolean;
  future?: boolean;
  minYear?: number;
  maxYear?: number;
}

export const dateType = registerType<DateNode>({
  type: "date",
  description: "A date; past: true for a birth date, future: true for a target date.",
  kind: "date",
  schema: z
    .strictObject({
      type: z.literal("date"),
      ...questionFields,
      past: z.boolean().optional().meta({ description: "Not after today." }),
      future: z.boolean().optional().meta({ description: "Not before today." }),
      minYear: z.number().int().optional(),
      maxYear: z.number().int().optional(),
    })
    .meta({ title: "date" }),
  check: (node) => (node.past && node.future ? [["future", "bad_range: a date cannot be both past and future"]] : []),
  prompt: () => ({}),
  parse(node, input, ctx) {
    const s = textOf(input);
    if (s === undefined) return { ok: false, error: "engine.expect_text" };
    return parseDate(
      s,
      { now: ctx.now, past: node.past, future: node.future, minYear: node.minYear, maxYear: node.maxYear },
      ctx.lang,
    );
  },
  display: (_node, value, ctx) => formatIsoDate(String(value), ctx.lang),
});
