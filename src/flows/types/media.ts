/**
 * A photo or a document (the KTP photo, a company profile). The host stored the file before the
 * engine saw it; the answer keeps its storage key. Without consent nothing is stored (key null).
 */
import { z } from "zod";
import { questionFields, type QuestionNodeBase } from "../node-base.js";
import { checkMedia } from "../questions/media.js";
import { registerType, type QuestionContext } from "../registry.js";
import { ZStoredMedia } from "../model.js";

export interface MediaNode extends QuestionNodeBase {
  type: "media";
  accept?: string[];
  maxMb?: number;
}

const DEFAULT_ACCEPT = ["image/*", "application/pdf"];
const DEFAULT_MAX_MB = 10;

function options(node: MediaNode, ctx: QuestionContext) {
  return {
    accept: node.accept ?? DEFAULT_ACCEPT,
    maxBytes: Math.round((node.maxMb ?? DEFAULT_MAX_MB) * 1024 * 1024),
    lang: ctx.lang,
    text: (key: string) => ctx.tr.t(key),
  };
}

export const mediaType = registerType<MediaNode>({
  type: "media",
  description: "A photo or a file; accept lists mime types ('image/*', 'application/pdf'), maxMb the size limit.",
  kind: "media",
  schema: z
    .strictObject({
      type: z.literal("media"),
      ...questionFields,
      accept: z
        .array(z.string().regex(/^[a-z]+\/([a-z0-9.+-]+|\*)$/, { error: "a mime type such as image/* or application/pdf" }))
        .min(1)
        .optional()
        .meta({ description: "Accepted types (default image/* and application/pdf)." }),
      maxMb: z.number().positive().max(50).optional().meta({ description: "Largest file in MB (default 10)." }),
    })
    .meta({ title: "media" }),
  prompt: () => ({}),
  parse(node, input, ctx) {
    if (input.type !== "media") return { ok: false, error: "engine.expect_media" };
    const m = input.media;
    if (m.storageKey === null) return { ok: false, error: "engine.media.not_stored" };
    const r = checkMedia({ mimeType: m.mimeType, size: m.size }, options(node, ctx));
    if (!r.ok) return r;
    const value = ZStoredMedia.parse({ ...m, mimeType: r.value.mimeType });
    return { ok: true, value, display: r.display };
  },
  display(node, value, ctx) {
    const v = ZStoredMedia.safeParse(value);
    if (!v.success) return "";
    const r = checkMedia({ mimeType: v.data.mimeType, size: v.data.size }, { ...options(node, ctx), accept: [v.data.mimeType], maxBytes: Number.MAX_SAFE_INTEGER });
    const shown = r.ok ? r.display : v.data.mimeType;
    return v.data.fileName ? `${shown}: ${v.data.fileName}` : shown;
  },
});
