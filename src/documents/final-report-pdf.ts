/**
 * Laporan Akhir dan Berita Acara Pemeriksaan (BAP) of one consultation case (SOP step 8).
 *
 * A pure function from plain data to PDF bytes. The caller gathers the case from the database,
 * turns codes it owns into labels (consultant area, kecamatan, services) and passes the office.
 */
import { z } from "zod";
import { ZOfficeInfo } from "./office.js";
import { labelsFor, type DocumentLabels } from "./labels.js";
import { ZRenderOptions, type RenderOptions } from "./options.js";
import {
  OFFICE_TIME_ZONE,
  formatDateTime,
  formatLongDate,
  formatShortDate,
  formatWeekday,
  numberLocale,
} from "../i18n/dates.js";
import type { Lang } from "../i18n/index.js";
import { FONT, PdfLayout, type CellInput } from "./pdf/layout.js";
import { sanitizePdfText } from "./text.js";

const ZDate = z.coerce.date();
const ZOptText = z.string().nullish();

export const ZNoteKind = z.enum(["diagnosis", "note", "prescription", "service"]);
export const ZPlanProgress = z.enum(["open", "done", "not_yet", "help"]);

export const ZFinalReportData = z.object({
  office: ZOfficeInfo,
  case: z.object({
    regNumber: z.string().min(1),
    createdAt: ZDate,
    closedAt: ZDate.nullish(),
    /** The consultant area as the office names it ("Pemasaran"). */
    areaLabel: z.string(),
    consultantName: z.string(),
    referrals: z
      .array(
        z.object({
          at: ZDate,
          fromName: z.string(),
          toAreaLabel: z.string(),
          toName: ZOptText,
          reason: z.string(),
        }),
      )
      .default([]),
  }),
  client: z.object({
    name: z.string(),
    /** Already masked by the caller, e.g. "5104**********0001". Never the full NIK. */
    nikMasked: z.string(),
    phone: ZOptText,
    address: ZOptText,
    kecamatanLabel: ZOptText,
  }),
  business: z.object({
    name: z.string(),
    sector: z.string(),
    products: z.string(),
    /** A code of the data model (perorangan, cv, pt, koperasi, ud, firma, lainnya) or any label. */
    legalForm: z.string(),
    nib: ZOptText,
    yearStarted: z.number().int().nullish(),
    workers: z.number().int().nonnegative().nullish(),
    turnoverBand: ZOptText,
  }),
  /** The problem in the client's own words. */
  problem: z.string(),
  /** Formulir Assessment, as the client would read it. */
  assessment: z.array(z.object({ question: z.string(), answer: z.string() })).default([]),
  diagnosis: z.string(),
  /** Prescription and consultation notes, oldest first. */
  notes: z.array(z.object({ at: ZDate, kind: ZNoteKind, text: z.string() })).default([]),
  /** Services given (labels: "Konsultasi bisnis", "Akses pembiayaan" ...). */
  services: z.array(z.string()).default([]),
  /** Lembar Rencana Tindakan dan Evaluasi. */
  actionPlan: z
    .array(
      z.object({
        action: z.string(),
        who: z.string(),
        targetDate: ZDate,
        indicator: z.string(),
        progress: ZPlanProgress,
        evaluation: ZOptText,
      }),
    )
    .default([]),
  monitoring: z
    .array(z.object({ scheduledFor: ZDate, clientReport: ZOptText, evaluation: ZOptText }))
    .default([]),
  results: z.string(),
  recommendations: z.string(),
  /** Time per SOP step: the standard of the Standar Pelayanan and what the case took (null: not recorded). */
  stepTimes: z
    .array(
      z.object({
        step: z.number().int().min(1),
        name: z.string(),
        standardMinutes: z.number().nonnegative(),
        actualMinutes: z.number().nonnegative().nullable(),
      }),
    )
    .default([]),
  signatures: z.object({
    client: z.object({ name: z.string() }),
    consultant: z.object({ name: z.string(), nip: ZOptText }),
    /** Kepala UPT PLUT-KUMKM; leave the name out to print a blank line for a handwritten name. */
    head: z.object({ name: ZOptText, nip: ZOptText }).default({}),
    /** The admin who archived the case (SOP step 10); absent until it is archived. */
    archivedBy: z.object({ name: ZOptText }).optional(),
  }),
  /** The client's agreement in chat: the channel's name and when ("Disetujui pengguna jasa melalui ..."). */
  clientAgreement: z.object({ channel: z.string().min(1), at: ZDate }).nullable().optional(),
  /** Where and when the report is signed: "Gianyar", 28 November 2026. The BAP sentence uses this date. */
  place: z.string().min(1),
  date: ZDate,
});
export type FinalReportData = z.infer<typeof ZFinalReportData>;
/** What a caller may pass: defaults filled and ISO strings accepted for dates. */
export type FinalReportInput = z.input<typeof ZFinalReportData>;

export { ZRenderOptions, type RenderOptions };

const dash = (v: string | null | undefined, none: string): string => {
  const t = sanitizePdfText(v ?? "");
  return t === "" ? none : t;
};

function formatMinutes(n: number, lang: Lang): string {
  return new Intl.NumberFormat(numberLocale(lang), { maximumFractionDigits: 1 }).format(n);
}

export async function renderFinalReportPdf(data: FinalReportData, opts: RenderOptions): Promise<Buffer> {
  const d = ZFinalReportData.parse(data);
  const { lang, timeZone } = ZRenderOptions.parse(opts);
  const L = labelsFor(lang);
  const F = L.finalReport;
  const none = L.common.none;
  const longDate = (x: Date) => formatLongDate(x, lang, timeZone);
  const shortDate = (x: Date) => formatShortDate(x, lang, timeZone);

  const pdf = await PdfLayout.create({
    layout: "portrait",
    margins: { top: 54, bottom: 58, left: 60, right: 56 },
    info: {
      Title: `${F.titleLines.join(" ")} - ${d.case.regNumber}`,
      Subject: F.documentShortName,
      Author: d.office.name,
      Keywords: d.case.regNumber,
      CreationDate: d.date,
    },
    runningHeader: { left: d.office.name, right: `${F.documentShortName} \u2022 ${d.case.regNumber}` },
    footerLeft: `${F.documentShortName} \u2022 ${F.regNumber} ${d.case.regNumber}`,
    pageOf: L.common.pageOf,
  });

  pdf.letterhead(d.office);
  for (const line of F.titleLines) pdf.centered(line, FONT.bold, 12.5);
  pdf.space(3);
  pdf.centered(`${F.regNumber}: ${d.case.regNumber}`, FONT.regular, 10);
  pdf.space(8);

  let sectionNo = 0;
  const section = (title: string, keepWith = 48) => {
    sectionNo += 1;
    pdf.heading(`${sectionNo}. ${title.toUpperCase()}`, { keepWith });
  };
  const body = (text: string) => pdf.paragraph(dash(text, none), { size: 9.5, indent: 14, gapAfter: 4 });
  const kv = (rows: Array<[string, string]>) => pdf.keyValues(rows, { indent: 14, labelWeight: 32 });
  type Cols = Array<{ header: string; weight: number; align?: "left" | "center" | "right" }>;
  const tableOpts = { x: pdf.left + 14, fontSize: 8.8 };
  const table = (cols: Cols, rows: CellInput[][]) => pdf.table(cols, rows, tableOpts);
  /** A section whose body is a table: the heading stays with the table (whole, when it is short). */
  const tableSection = (title: string, cols: Cols, rows: CellInput[][], emptyText: string) => {
    if (rows.length === 0) {
      section(title, 30);
      emptyLine(emptyText);
      return;
    }
    section(title, pdf.tableLeadHeight(cols, rows, tableOpts));
    table(cols, rows);
  };
  const emptyLine = (text: string) => pdf.paragraph(text, { size: 9.5, indent: 14, font: FONT.italic });

  // 1. Data layanan
  section(F.sections.service);
  kv([
    [F.regNumber, d.case.regNumber],
    [F.fields.registeredAt, longDate(d.case.createdAt)],
    [F.fields.closedAt, d.case.closedAt ? longDate(d.case.closedAt) : none],
    [F.fields.status, d.case.closedAt ? F.fields.statusClosed : F.fields.statusOpen],
    [F.fields.area, dash(d.case.areaLabel, none)],
    [F.fields.consultant, dash(d.case.consultantName, none)],
  ]);

  // 2. Identitas pengguna jasa
  section(F.sections.client);
  kv([
    [F.fields.clientName, dash(d.client.name, none)],
    [F.fields.nik, dash(d.client.nikMasked, none)],
    [F.fields.phone, dash(d.client.phone, none)],
    [F.fields.address, dash(d.client.address, none)],
    [F.fields.kecamatan, dash(d.client.kecamatanLabel, none)],
  ]);

  // 3. Profil usaha
  section(F.sections.business);
  const nf = new Intl.NumberFormat(numberLocale(lang));
  kv([
    [F.fields.businessName, dash(d.business.name, none)],
    [F.fields.sector, dash(d.business.sector, none)],
    [F.fields.products, dash(d.business.products, none)],
    [F.fields.legalForm, dash(F.legalForms[d.business.legalForm.trim().toLowerCase()] ?? d.business.legalForm, none)],
    [F.fields.nib, dash(d.business.nib, none)],
    [F.fields.yearStarted, d.business.yearStarted != null ? String(d.business.yearStarted) : none],
    [F.fields.workers, d.business.workers != null ? L.common.peopleUnit(nf.format(d.business.workers)) : none],
    [F.fields.turnoverBand, dash(d.business.turnoverBand, none)],
  ]);

  // 4. Permasalahan dan assessment
  section(F.sections.problem);
  pdf.paragraph(F.problemIntro, { size: 9.5, indent: 14, gapAfter: 2 });
  const problem = sanitizePdfText(d.problem);
  pdf.paragraph(problem === "" ? none : `\u201c${problem}\u201d`, { size: 9.5, indent: 24, font: FONT.italic, gapAfter: 6 });
  if (d.assessment.length > 0) {
    const cols: Cols = [
      { header: L.common.no, weight: 6, align: "right" },
      { header: F.question, weight: 40 },
      { header: F.answer, weight: 55 },
    ];
    const rows = d.assessment.map((a, i) => [String(i + 1), a.question, dash(a.answer, none)]);
    // The intro line stays with the table (the whole table when it is short).
    pdf.ensure(20 + pdf.tableLeadHeight(cols, rows, tableOpts));
    pdf.paragraph(F.assessmentIntro, { size: 9.5, indent: 14, gapAfter: 3 });
    table(cols, rows);
  }

  // 5. Diagnosa
  section(F.sections.diagnosis, 30);
  body(d.diagnosis);

  // 6. Preskripsi dan catatan
  tableSection(
    F.sections.prescription,
    [
      { header: F.noteDate, weight: 14 },
      { header: F.noteKind, weight: 13 },
      { header: F.noteText, weight: 73 },
    ],
    d.notes.map((n) => [shortDate(n.at), F.noteKinds[n.kind], dash(n.text, none)]),
    L.common.noData,
  );

  // 7. Layanan yang diberikan
  section(F.sections.services, 30);
  if (d.services.length === 0) emptyLine(L.common.noData);
  else d.services.forEach((s, i) => pdf.paragraph(`${i + 1}. ${sanitizePdfText(s)}`, { size: 9.5, indent: 14, gapAfter: 1 }));
  pdf.space(3);

  // 8. Rujukan
  tableSection(
    F.sections.referrals,
    [
      { header: F.referralDate, weight: 14 },
      { header: F.referralFrom, weight: 18 },
      { header: F.referralToArea, weight: 16 },
      { header: F.referralTo, weight: 18 },
      { header: F.referralReason, weight: 34 },
    ],
    d.case.referrals.map((r) => [
      shortDate(r.at),
      dash(r.fromName, none),
      dash(r.toAreaLabel, none),
      dash(r.toName, none),
      dash(r.reason, none),
    ]),
    F.noReferrals,
  );

  // 9. Rencana tindakan dan evaluasi
  tableSection(
    F.sections.actionPlan,
    [
      { header: L.common.no, weight: 6, align: "right" },
      { header: F.planAction, weight: 22 },
      { header: F.planWho, weight: 12 },
      { header: F.planTarget, weight: 11 },
      { header: F.planIndicator, weight: 18 },
      { header: F.planProgress, weight: 12 },
      { header: F.planEvaluation, weight: 19 },
    ],
    d.actionPlan.map((p, i) => [
      String(i + 1),
      dash(p.action, none),
      dash(p.who, none),
      shortDate(p.targetDate),
      dash(p.indicator, none),
      F.progress[p.progress],
      dash(p.evaluation, none),
    ]),
    L.common.noData,
  );

  // 10. Monitoring dan evaluasi
  tableSection(
    F.sections.monitoring,
    [
      { header: L.common.no, weight: 6, align: "right" },
      { header: F.monitoringScheduled, weight: 14 },
      { header: F.monitoringClientReport, weight: 40 },
      { header: F.monitoringEvaluation, weight: 40 },
    ],
    d.monitoring.map((m, i) => [
      String(i + 1),
      shortDate(m.scheduledFor),
      dash(m.clientReport, F.monitoringNoReport),
      dash(m.evaluation, F.monitoringNoEvaluation),
    ]),
    L.common.noData,
  );

  // 11. Hasil
  section(F.sections.results, 30);
  body(d.results);

  // 12. Rekomendasi
  section(F.sections.recommendations, 30);
  body(d.recommendations);

  // 13. Waktu penyelesaian per tahap SOP
  const steps = [...d.stepTimes].sort((a, b) => a.step - b.step);
  const stepRows: CellInput[][] = steps.map((s) => [
    { text: String(s.step), align: "center" },
    s.name,
    formatMinutes(s.standardMinutes, lang),
    s.actualMinutes === null ? none : formatMinutes(s.actualMinutes, lang),
    s.actualMinutes === null ? F.stepNotRecorded : s.actualMinutes <= s.standardMinutes ? F.stepWithin : F.stepOver,
  ]);
  if (steps.length > 0) {
    const recorded = steps.filter((s) => s.actualMinutes !== null);
    const bold = (text: string, align: "left" | "right" = "right"): CellInput => ({ text, font: FONT.bold, align });
    stepRows.push([
      bold(""),
      bold(F.stepTotal, "left"),
      bold(formatMinutes(steps.reduce((s, x) => s + x.standardMinutes, 0), lang)),
      bold(recorded.length === 0 ? none : formatMinutes(recorded.reduce((s, x) => s + (x.actualMinutes ?? 0), 0), lang)),
      bold(""),
    ]);
  }
  tableSection(
    F.sections.stepTimes,
    [
      { header: F.stepNo, weight: 9, align: "center" },
      { header: F.stepName, weight: 44 },
      { header: F.stepStandard, weight: 13, align: "right" },
      { header: F.stepActual, weight: 14, align: "right" },
      { header: F.stepRemark, weight: 20 },
    ],
    stepRows,
    L.common.noData,
  );

  // 14. Berita Acara Pemeriksaan
  section(F.sections.bap, 60);
  pdf.paragraph(bapSentence(d, L, lang, timeZone), { size: 9.5, indent: 14, gapAfter: 5 });
  pdf.paragraph(F.bapClosing, { size: 9.5, indent: 14, gapAfter: 5 });
  pdf.paragraph(
    d.clientAgreement ? F.agreedVia(sanitizePdfText(d.clientAgreement.channel), formatDateTime(d.clientAgreement.at, lang, timeZone)) : F.notYetAgreed,
    { size: 9.5, indent: 14, gapAfter: 5 },
  );
  const archivedBy = d.signatures.archivedBy?.name;
  if (archivedBy) pdf.paragraph(F.archivedBy(sanitizePdfText(archivedBy)), { size: 9.5, indent: 14, gapAfter: 10 });

  drawSignatures(pdf, d, L, longDate(d.date));
  return pdf.finish();
}

/** "Pada hari ini, Sabtu tanggal 28 November 2026, telah dilaksanakan ..." */
export function bapSentence(d: FinalReportData, L: DocumentLabels, lang: Lang, timeZone: string = OFFICE_TIME_ZONE): string {
  const none = L.common.none;
  return L.finalReport.bapSentence({
    weekday: formatWeekday(d.date, lang, timeZone),
    date: formatLongDate(d.date, lang, timeZone),
    officeName: d.office.name,
    regNumber: d.case.regNumber,
    consultantName: dash(d.case.consultantName, none),
    areaLabel: dash(d.case.areaLabel, none),
    clientName: dash(d.client.name, none),
    businessName: dash(d.business.name, none),
    from: formatLongDate(d.case.createdAt, lang, timeZone),
    to: formatLongDate(d.case.closedAt ?? d.date, lang, timeZone),
    closed: d.case.closedAt != null,
  });
}

/**
 * The signature block, kept on one page:
 *
 *                                   Gianyar, 28 November 2026
 *   Pengguna Jasa,                  Konsultan,
 *   (name)                          (name) / NIP.
 *                  Mengetahui,
 *     Kepala UPT PLUT-KUMKM Kabupaten Gianyar
 *                    (name) / NIP.
 */
function drawSignatures(pdf: PdfLayout, d: FinalReportData, L: DocumentLabels, dateText: string): void {
  const size = 9.5;
  const lh = PdfLayout.lineHeight(size);
  const signGap = 52;
  const colW = pdf.width / 2;
  const leftX = pdf.left;
  const rightX = pdf.left + colW;
  const center = (text: string, x: number, width: number, y: number, font: (typeof FONT)[keyof typeof FONT] = FONT.regular, underline = false) => {
    const lines = pdf.wrap(sanitizePdfText(text), font, size, width - 12);
    lines.forEach((line, i) => {
      const w = pdf.textWidth(line, font, size);
      pdf.drawLine(line, x + (width - w) / 2, y + i * lh, { font, size, underline });
    });
    return lines.length * lh;
  };
  const nameOr = (name: string | null | undefined) => {
    const t = sanitizePdfText(name ?? "");
    return t === "" ? null : t;
  };
  const headTitle = L.common.headOf(d.office.name);
  const lines = (text: string | null | undefined, font: (typeof FONT)[keyof typeof FONT], width: number) =>
    text ? pdf.wrap(sanitizePdfText(text), font, size, width - 12).length : 1;
  const consultantLines =
    lines(nameOr(d.signatures.consultant.name), FONT.bold, colW) + (nameOr(d.signatures.consultant.nip) ? 1 : 0);
  const clientLines = lines(nameOr(d.signatures.client.name), FONT.bold, colW);
  const headLines =
    lines(L.common.acknowledged, FONT.regular, pdf.width) +
    lines(headTitle, FONT.regular, pdf.width) +
    lines(nameOr(d.signatures.head.name), FONT.bold, pdf.width) +
    (nameOr(d.signatures.head.nip) ? 1 : 0);
  const height = lh * 2 + signGap + Math.max(consultantLines, clientLines) * lh + 14 + signGap + headLines * lh + 6;
  pdf.ensure(height);

  let y = pdf.y;
  center(L.common.placeDate(d.place, dateText), rightX, colW, y);
  y += lh;
  center(L.finalReport.signClient, leftX, colW, y);
  center(L.finalReport.signConsultant, rightX, colW, y);
  y += lh + signGap;
  const clientName = nameOr(d.signatures.client.name);
  const consultantName = nameOr(d.signatures.consultant.name);
  const hLeft = clientName ? center(clientName, leftX, colW, y, FONT.bold, true) : center(L.common.blankName, leftX, colW, y);
  let hRight = consultantName
    ? center(consultantName, rightX, colW, y, FONT.bold, true)
    : center(L.common.blankName, rightX, colW, y);
  const consultantNip = nameOr(d.signatures.consultant.nip);
  if (consultantNip) hRight += center(`${L.common.nip} ${consultantNip}`, rightX, colW, y + hRight);
  y += Math.max(hLeft, hRight) + 14;

  y += center(L.common.acknowledged, pdf.left, pdf.width, y);
  y += center(headTitle, pdf.left, pdf.width, y);
  y += signGap;
  const headName = nameOr(d.signatures.head.name);
  y += headName ? center(headName, pdf.left, pdf.width, y, FONT.bold, true) : center(L.common.blankName, pdf.left, pdf.width, y);
  const headNip = nameOr(d.signatures.head.nip);
  if (headNip) y += center(`${L.common.nip} ${headNip}`, pdf.left, pdf.width, y);
  pdf.y = y + 6;
}
