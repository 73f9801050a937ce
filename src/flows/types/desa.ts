/** The desa/kelurahan within the kecamatan answered before; skipped when that is outside Gianyar. */
import { z } from "zod";
import { questionFields, type QuestionNodeBase, ZNodeId } from "../node-base.js";
import { desaChoices, parseDesa } from "../questions/region.js";
import { registerType, type QuestionContext } from "../registry.js";
import { regionsOf } from "./kecamatan.js";
import { confirmChoices, parseWithConfirmation } from "./region-confirm.js";

export interface DesaNode extends QuestionNodeBase {
  type: "desa";
  kecamatan: string;
}

/** The kecamatan code answered before, when it is one of Gianyar's. */
function kecamatanCode(node: DesaNode, ctx: QuestionContext): string | undefined {
  const v = ctx.answerOf(node.kecamatan);
  const regions = regionsOf(ctx);
  return typeof v === "string" && regions.kecamatan.some((k) => k.code === v) ? v : undefined;
}

export const desaType = registerType<DesaNode>({
  type: "desa",
  description: "A desa/kelurahan of the kecamatan answered in `kecamatan` (skipped outside Gianyar).",
  kind: "string",
  schema: z
    .strictObject({
      type: z.literal("desa"),
      ...questionFields,
      kecamatan: ZNodeId.meta({ description: "Id of the kecamatan question asked before." }),
    })
    .meta({ title: "desa" }),
  references: (node) => [{ field: "kecamatan", questionId: node.kecamatan, types: ["kecamatan"] }],
  autoSkip: (node, ctx) => kecamatanCode(node, ctx) === undefined,
  prompt(node, ctx) {
    const code = kecamatanCode(node, ctx);
    return code ? { choices: confirmChoices(ctx) ?? desaChoices(regionsOf(ctx), code).map((c) => ({ id: c.id, label: c.label })) } : {};
  },
  parse(node, input, ctx) {
    const code = kecamatanCode(node, ctx);
    if (!code) return { ok: false, error: "engine.stale_button" };
    const confirmed = parseWithConfirmation(input, ctx, (text) => parseDesa(text, regionsOf(ctx), code));
    if (confirmed) return confirmed;
    if (input.type === "choice") {
      const c = desaChoices(regionsOf(ctx), code).find((x) => x.id === input.choiceId);
      return c ? { ok: true, value: c.id, display: c.label } : { ok: false, error: "engine.stale_button" };
    }
    return { ok: false, error: "engine.expect_text" };
  },
  display(_node, value, ctx) {
    for (const k of regionsOf(ctx).kecamatan) {
      const d = k.desa.find((x) => x.code === value);
      if (d) return d.name;
    }
    return String(value);
  },
  recheck: (node, value, ctx) => {
    const code = kecamatanCode(node, ctx);
    return code !== undefined && typeof value === "string" && value.startsWith(code);
  },
});
