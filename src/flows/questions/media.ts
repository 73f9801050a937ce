/**
 * Files a client sends (a KTP photo, a business profile PDF): checks type and size. The bytes are
 * the channel's business; this looks at the declared type and the size only.
 */
import { type Lang } from "../../i18n/index.js";
import { bytesToMb, formatBytes } from "./format.js";
import { type ParseResult, err, ok } from "./types.js";

export const MEDIA_ERRORS = ["q.media.empty", "q.media.wrong_type", "q.media.too_large"] as const;

/** Text keys of the kinds of file, for the display ("foto (1,2 MB)") and the allowed list. */
export const MEDIA_KIND_KEYS = {
  image: "q.media.kind.image",
  pdf: "q.media.kind.pdf",
  document: "q.media.kind.document",
  video: "q.media.kind.video",
  audio: "q.media.kind.audio",
} as const;
export type MediaKindName = keyof typeof MEDIA_KIND_KEYS;

export interface MediaInput {
  mimeType: string;
  size: number;
}

export interface MediaOptions {
  /** Allowed types: exact ("application/pdf") or a family ("image/*"). */
  accept: readonly string[];
  maxBytes: number;
  lang?: Lang;
  /** Looks up a text key (MEDIA_KIND_KEYS); the engine passes its text lookup. Default: the key's last part. */
  text?: (key: string) => string;
}

export interface MediaValue {
  mimeType: string;
  size: number;
  kind: MediaKindName;
}

/** Other names of the same types (a Map: a type named "__proto__" or "constructor" is no key here). */
const MIME_ALIASES = new Map([
  ["image/jpg", "image/jpeg"],
  ["image/pjpeg", "image/jpeg"],
  ["application/x-pdf", "application/pdf"],
]);

/** "image/JPG; charset=x" -> "image/jpeg". */
export function normaliseMime(mime: string): string {
  const m = mime.split(";")[0]?.trim().toLowerCase() ?? "";
  return MIME_ALIASES.get(m) ?? m;
}

/** The kind of a mime type: image, pdf, video, audio or (any other) document. */
export function mediaKind(mime: string): MediaKindName {
  const m = normaliseMime(mime);
  if (m.startsWith("image/")) return "image";
  if (m === "application/pdf") return "pdf";
  if (m.startsWith("video/")) return "video";
  if (m.startsWith("audio/")) return "audio";
  return "document";
}

function accepts(accept: readonly string[], mime: string): boolean {
  return accept.some((a) => {
    const n = normaliseMime(a);
    return n.endsWith("/*") ? mime.startsWith(n.slice(0, -1)) : n === mime;
  });
}

/** "image/*" -> the image kind's text; "image/png" -> "PNG"; "application/pdf" -> "PDF". */
function acceptLabel(a: string, text: (key: string) => string): string {
  const n = normaliseMime(a);
  if (n.endsWith("/*")) {
    const family = n.slice(0, -2);
    return family === "image" || family === "video" || family === "audio" ? text(MEDIA_KIND_KEYS[family]) : n;
  }
  const sub = n.split("/")[1] ?? n;
  const names: Record<string, string> = {
    jpeg: "JPG",
    "vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    msword: "DOC",
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "vnd.ms-excel": "XLS",
  };
  return names[sub] ?? sub.toUpperCase();
}

const defaultText = (key: string): string => key.split(".").pop() ?? key;

/** Checks a received file against the question's allowed types and size. */
export function checkMedia(media: MediaInput, opts: MediaOptions): ParseResult<MediaValue> {
  const text = opts.text ?? defaultText;
  const lang = opts.lang ?? "id";
  if (!Number.isFinite(media.size) || media.size <= 0) return err("q.media.empty");
  const mime = normaliseMime(media.mimeType);
  if (mime === "" || !accepts(opts.accept, mime)) {
    const allowed = [...new Set(opts.accept.map((a) => acceptLabel(a, text)))].join(", ");
    return err("q.media.wrong_type", { allowed });
  }
  if (media.size > opts.maxBytes) {
    return err("q.media.too_large", { limitMb: bytesToMb(opts.maxBytes), size: formatBytes(media.size, lang) });
  }
  const kind = mediaKind(mime);
  return ok({ mimeType: mime, size: media.size, kind }, `${text(MEDIA_KIND_KEYS[kind])} (${formatBytes(media.size, lang)})`);
}
