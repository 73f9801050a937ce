/** Numbers and Rupiah amounts ("1,5 juta", "250rb"); years ("2015"). */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { formatNumber, formatRupiah } from "../questions/format.js";
import { type NumberKind, parseNumber } from "../questions/number.js";
import { todayIn } from "../questions/date.js";
import { registerType, textOf } from "../registry.js";

export interface NumberNode extends QuestionNodeBase {
  type: "number";
  min?: number;
  max?: number;
  integer?: boolean;
  currency?: boolean;
  year?: boolean;
}

/** What the question asks for, so that its errors give an example of the same kind. */
export function kindOf(node: NumberNode): NumberKind {
  return node.year ? "year" : node.currency ? "money" : node.integer ? "count" : "number";
}

export const numberType = registerType<NumberNode>({
  type: "number",
  description: "A number: a count, a Rupiah amount (currency: true) or a year (year: true).",
  kind: "number",
  schema: z
    .strictObject({
      type: z.literal("number"),
      ...questionFields,
      min: z.number().optional().meta({ description: "Smallest accepted value." }),
      max: z.number().optional().meta({ description: "Largest accepted value (for a year: default this year)." }),
      integer: z.boolean().optional().meta({ description: "Whole numbers only." }),
      currency: z.boolean().optional().meta({ description: "A Rupiah amount, shown as Rp 1.500.000." }),
      year: z.boolean().optional().meta({ description: "A calendar year: whole, not after this year, shown without separators." }),
    })
    .meta({ title: "number" }),
  check(node) {
    return node.min !== undefined && node.max !== undefined && node.min > node.max
      ? [["min", "bad_range: min is larger than max"]]
      : [];
  },
  prompt: () => ({}),
  parse(node, input, ctx) {
    const s = textOf(input);
    if (s === undefined) return { ok: false, error: "engine.expect_text" };
    const thisYear = todayIn(ctx.now).y;
    return parseNumber(s, {
      min: node.year ? (node.min ?? 1900) : node.min,
      max: node.year ? (node.max ?? thisYear) : node.max,
      integer: node.integer || node.year,
      currency: node.currency,
      kind: kindOf(node),
      currentYear: thisYear,
      lang: ctx.lang,
    });
  },
  display(node, value, ctx) {
    const n = Number(value);
    if (node.year) return String(n);
    return node.currency ? formatRupiah(n) : formatNumber(n, ctx.lang);
  },
});
