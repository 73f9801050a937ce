/**
 * The files people may upload (the web chat, the dashboard's announcements): photos and PDFs. The
 * type is read from the bytes, never from the name or the browser's declared type.
 */
export const WEB_UPLOAD_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"] as const;
export type WebUploadType = (typeof WEB_UPLOAD_TYPES)[number];

/** Enough leading bytes to tell every accepted type apart. */
export const SNIFF_BYTES = 1024;

/** The accepted type these bytes start with, or undefined. */
export function sniffType(head: Buffer): WebUploadType | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (head.length >= 12 && head.toString("latin1", 0, 4) === "RIFF" && head.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  // PDF readers accept the header anywhere in the first kilobyte.
  if (head.subarray(0, SNIFF_BYTES).includes("%PDF-", 0, "latin1")) return "application/pdf";
  return undefined;
}

export function kindOf(type: WebUploadType): "photo" | "document" {
  return type === "application/pdf" ? "document" : "photo";
}

const EXTENSION: Record<WebUploadType, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "application/pdf": "pdf",
};

/** The last path segment, without control characters, at most 120 characters; a default when nothing is left. */
export function cleanFileName(name: string | undefined, type: WebUploadType): string {
  // eslint-disable-next-line no-control-regex
  const last = (name ?? "").split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, "").trim();
  const cut = last.length > 120 ? last.slice(last.length - 120) : last;
  return cut === "" || cut === "." || cut === ".." ? `file.${EXTENSION[type]}` : cut;
}
