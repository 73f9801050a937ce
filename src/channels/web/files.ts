/**
 * Files people upload through the web chat: the type is read from the bytes (a browser's declared
 * type is only the file name's extension), and names are cleaned before anyone sees them.
 */
import { DEFAULT_LANG, intlLocale, type Lang } from "../../i18n/index.js";

// The accepted types and how they are read from the bytes are shared with the dashboard's uploads.
export { cleanFileName, kindOf, sniffType, SNIFF_BYTES, WEB_UPLOAD_TYPES, type WebUploadType } from "../../shared/upload-types.js";

/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** 10485760 -> "10"; 1572864 -> "1,5" (Indonesian) or "1.5" (English). */
export function formatMb(bytes: number, lang: Lang = DEFAULT_LANG): string {
  return new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024));
}
