/** The kecamatan of Kabupaten Gianyar, or "luar" (outside it), from conversations/regions. */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { kecamatanChoices, parseKecamatan, type Regions } from "../questions/region.js";
import { registerType, type QuestionContext } from "../registry.js";
import { confirmChoices, parseWithConfirmation } from "./region-confirm.js";

export interface KecamatanNode extends QuestionNodeBase {
  type: "kecamatan";
}

export function regionsOf(ctx: QuestionContext): Regions {
  if (!ctx.regions) throw new Error("no regions loaded (conversations/regions/gianyar.yaml)");
  return ctx.regions as Regions;
}

export const kecamatanType = registerType<KecamatanNode>({
  type: "kecamatan",
  description: "A kecamatan of Gianyar (by number, name, or a desa's name) or 'luar' outside Gianyar.",
  kind: "string",
  schema: z.strictObject({ type: z.literal("kecamatan"), ...questionFields }).meta({ title: "kecamatan" }),
  prompt: (_node, ctx) => ({ choices: confirmChoices(ctx) ?? kecamatanChoices(regionsOf(ctx), ctx.lang).map((c) => ({ id: c.id, label: c.label })) }),
  parse(_node, input, ctx) {
    const regions = regionsOf(ctx);
    const confirmed = parseWithConfirmation(input, ctx, (text) => parseKecamatan(text, regions, ctx.lang));
    if (confirmed) return confirmed;
    if (input.type === "choice") {
      const c = kecamatanChoices(regions, ctx.lang).find((x) => x.id === input.choiceId);
      return c ? { ok: true, value: c.id, display: c.label } : { ok: false, error: "engine.stale_button" };
    }
    return { ok: false, error: "engine.expect_text" };
  },
  display(_node, value, ctx) {
    const c = kecamatanChoices(regionsOf(ctx), ctx.lang).find((x) => x.id === value);
    return c ? c.label : String(value);
  },
});
