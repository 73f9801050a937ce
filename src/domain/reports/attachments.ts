/**
 * The full report as files to attach to the /laporan answer: XLSX and PDF, rendered by the
 * documents helper and stored encrypted (FileStore, prefix "reports").
 */
import { renderOfficeReportPdf, renderOfficeReportXlsx, type OfficeReport } from "../../documents/index.js";
import { localIsoDate } from "../../i18n/dates.js";
import type { Lang } from "../../i18n/index.js";
import type { FileStore } from "../../storage/file-store.js";

export interface ReportAttachment {
  storageKey: string;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const PDF_MIME = "application/pdf";

/** "Laporan-PLUT-2026-11-01_2026-11-30" (one day: "Laporan-PLUT-2026-11-05"). */
export function reportFileBase(report: OfficeReport, tz = "Asia/Makassar"): string {
  const from = localIsoDate(report.period.from, tz);
  const to = localIsoDate(report.period.to, tz);
  return from === to ? `Laporan-PLUT-${from}` : `Laporan-PLUT-${from}_${to}`;
}

export async function renderReportFiles(
  report: OfficeReport,
  opts: { lang?: Lang; tz?: string } = {},
): Promise<{ xlsx: Buffer; pdf: Buffer }> {
  const lang = opts.lang ?? "id";
  const timeZone = opts.tz ?? "Asia/Makassar";
  const [xlsx, pdf] = await Promise.all([renderOfficeReportXlsx(report, { lang, timeZone }), renderOfficeReportPdf(report, { lang, timeZone })]);
  return { xlsx, pdf };
}

/** Renders and stores both files; returns them in the order XLSX, PDF. */
export async function reportAttachments(
  report: OfficeReport,
  files: FileStore,
  opts: { lang?: Lang; tz?: string } = {},
): Promise<ReportAttachment[]> {
  const { xlsx, pdf } = await renderReportFiles(report, opts);
  const base = reportFileBase(report, opts.tz);
  const out: ReportAttachment[] = [];
  for (const [bytes, ext, mimeType] of [
    [xlsx, "xlsx", XLSX_MIME],
    [pdf, "pdf", PDF_MIME],
  ] as const) {
    const stored = await files.put(bytes, "reports");
    out.push({ storageKey: stored.storageKey, fileName: `${base}.${ext}`, mimeType, size: stored.size, sha256: stored.sha256 });
  }
  return out;
}
