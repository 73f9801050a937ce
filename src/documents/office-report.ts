/**
 * The period report of the consultation service to the head of UPT PLUT-KUMKM (SOP step 11):
 * totals, breakdowns, time per SOP step against the Standar Pelayanan, and the satisfaction survey
 * (SKM). The numbers are computed elsewhere; this file only lays them out, as PDF and as XLSX.
 */
import { z } from "zod";
import type ExcelJS from "exceljs";
import { ZOfficeInfo } from "./office.js";
import { labelsFor, type DocumentLabels } from "./labels.js";
import type { Lang } from "../i18n/index.js";
import { OFFICE_TIME_ZONE, formatLongDate, numberLocale } from "../i18n/dates.js";
import { FONT, PdfLayout, type CellInput, type TableColumn as PdfColumn } from "./pdf/layout.js";
import { ZRenderOptions, type RenderOptions } from "./options.js";
import { addSheet, newWorkbook, workbookToBuffer } from "./table-export.js";
import { sanitizePdfText } from "./text.js";
import { addImpactSheet, impactLabels, impactPdfParts, ZImpactSection } from "./impact-section.js";

const ZDate = z.coerce.date();
const ZCount = z.number().int().nonnegative();

export const ZBreakdownItem = z.object({ label: z.string(), count: ZCount });
export type BreakdownItem = z.infer<typeof ZBreakdownItem>;

export const ZSlaRow = z.object({
  step: z.number().int().min(1),
  name: z.string(),
  standardMinutes: z.number().nonnegative(),
  /** Cases whose step was timed in the period. */
  count: ZCount,
  /** null when count is 0. */
  medianMinutes: z.number().nonnegative().nullable(),
  p90Minutes: z.number().nonnegative().nullable(),
  /** Share (0..1) of timed cases within the standard; null when count is 0. */
  withinStandardShare: z.number().min(0).max(1).nullable(),
});
export type SlaRow = z.infer<typeof ZSlaRow>;

export const ZSkmCategory = z.enum(["A", "B", "C", "D"]);

export const ZOfficeReport = z.object({
  office: ZOfficeInfo,
  period: z.object({ from: ZDate, to: ZDate, label: z.string().min(1) }),
  totals: z.object({
    clientsServed: ZCount,
    newClients: ZCount,
    returningClients: ZCount,
    casesOpened: ZCount,
    casesClosed: ZCount,
    casesOpen: ZCount,
    referrals: ZCount,
    complaints: ZCount,
    /** Complaints received in the period and answered by their deadline (COMPLAINT_DEADLINE_DAYS working days). */
    complaintsAnsweredInTime: ZCount.default(0),
    /** Median working hours from receipt to answer, of the complaints received in the period and answered; null with none. */
    complaintMedianAnswerHours: z.number().nonnegative().nullable().default(null),
  }),
  byArea: z.array(ZBreakdownItem).default([]),
  byService: z.array(ZBreakdownItem).default([]),
  byKecamatan: z.array(ZBreakdownItem).default([]),
  bySector: z.array(ZBreakdownItem).default([]),
  byConsultant: z.array(ZBreakdownItem).default([]),
  sla: z.array(ZSlaRow).default([]),
  skm: z.object({
    respondents: ZCount,
    /** IKM on the 0-100 scale (Permenpan RB 14/2017), computed elsewhere; null with no respondents. */
    index: z.number().min(0).max(100).nullable(),
    /** Average per element on the 1-4 scale. */
    perElement: z.array(z.object({ code: z.string(), label: z.string(), average: z.number().min(0).max(4).nullable() })).default([]),
    category: ZSkmCategory.nullable(),
  }),
  /** What clients said 3 and 6 months after their case closed (src/documents/impact-section.ts). */
  impact: ZImpactSection.nullish(),
  /** When the report was made; the date above the signatures. Default: the end of the period. */
  generatedAt: ZDate.nullish(),
  place: z.string().nullish(),
  /** Optional signature block: the admin who reports and the head who acknowledges. */
  signatures: z
    .object({
      preparedBy: z.object({ name: z.string(), nip: z.string().nullish() }),
      head: z.object({ name: z.string().nullish(), nip: z.string().nullish() }).default({}),
    })
    .nullish(),
});
export type OfficeReport = z.infer<typeof ZOfficeReport>;
export type OfficeReportInput = z.input<typeof ZOfficeReport>;

type BreakdownKey = "byArea" | "byService" | "byKecamatan" | "bySector" | "byConsultant";
const BREAKDOWNS: BreakdownKey[] = ["byArea", "byService", "byKecamatan", "bySector", "byConsultant"];
const TOTAL_KEYS = [
  "clientsServed",
  "newClients",
  "returningClients",
  "casesOpened",
  "casesClosed",
  "casesOpen",
  "referrals",
  "complaints",
  "complaintsAnsweredInTime",
] as const;

function numbers(lang: Lang) {
  const loc = numberLocale(lang);
  const int = new Intl.NumberFormat(loc);
  const one = new Intl.NumberFormat(loc, { maximumFractionDigits: 1 });
  const two = new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(loc, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return {
    int: (n: number) => int.format(n),
    one: (n: number | null) => (n === null ? "-" : one.format(n)),
    two: (n: number | null) => (n === null ? "-" : two.format(n)),
    pct: (n: number | null) => (n === null ? "-" : pct.format(n)),
  };
}

function skmCategoryText(L: DocumentLabels, category: OfficeReport["skm"]["category"]): string {
  return category ? `${category} (${L.officeReport.skmCategories[category]})` : L.common.none;
}

export async function renderOfficeReportPdf(report: OfficeReport, opts: RenderOptions): Promise<Buffer> {
  const r = ZOfficeReport.parse(report);
  const { lang, timeZone } = ZRenderOptions.parse(opts);
  const L = labelsFor(lang);
  const O = L.officeReport;
  const n = numbers(lang);
  const longDate = (d: Date) => formatLongDate(d, lang, timeZone);
  const range = O.periodRange(longDate(r.period.from), longDate(r.period.to));

  const pdf = await PdfLayout.create({
    layout: "portrait",
    margins: { top: 54, bottom: 58, left: 60, right: 56 },
    info: {
      Title: `${O.title} - ${r.period.label}`,
      Subject: O.documentShortName,
      Author: r.office.name,
      ...(r.generatedAt ? { CreationDate: r.generatedAt } : {}),
    },
    runningHeader: { left: r.office.name, right: `${O.documentShortName} \u2022 ${r.period.label}` },
    footerLeft: `${O.documentShortName} \u2022 ${O.period} ${r.period.label}`,
    pageOf: L.common.pageOf,
  });

  pdf.letterhead(r.office);
  pdf.centered(O.title, FONT.bold, 12.5);
  pdf.centered(`${O.period.toUpperCase()} ${r.period.label.toUpperCase()}`, FONT.bold, 11);
  pdf.centered(`(${range})`, FONT.regular, 9.5);
  pdf.space(6);
  pdf.paragraph(O.addressedTo(r.office.name), { size: 9.5, gapAfter: 4 });

  let sectionNo = 0;
  const tableOpts = { x: pdf.left + 14, fontSize: 8.8 };
  const section = (title: string, cols?: PdfColumn[], rows?: CellInput[][]) => {
    sectionNo += 1;
    const keep = cols && rows ? pdf.tableLeadHeight(cols, rows, tableOpts) : 48;
    pdf.heading(`${sectionNo}. ${title.toUpperCase()}`, { keepWith: keep });
    if (cols && rows) pdf.table(cols, rows, tableOpts);
  };
  const emptyLine = (text: string) => pdf.paragraph(text, { size: 9.5, indent: 14, font: FONT.italic });

  // 1. Summary: totals and the SKM at a glance.
  const summaryCols: PdfColumn[] = [
    { header: O.item, weight: 70 },
    { header: O.value, weight: 30, align: "right" },
  ];
  const summaryRows: CellInput[][] = TOTAL_KEYS.map((k) => [O.totals[k], n.int(r.totals[k])]);
  summaryRows.push(
    [O.complaintMedianAnswerHours, n.one(r.totals.complaintMedianAnswerHours)],
    [O.skmRespondents, n.int(r.skm.respondents)],
    [O.skmIndex, n.two(r.skm.index)],
    [O.skmCategory, skmCategoryText(L, r.skm.category)],
  );
  section(O.sections.summary, summaryCols, summaryRows);

  // 2-6. Breakdowns.
  for (const key of BREAKDOWNS) {
    const items = r[key];
    const sum = items.reduce((s, i) => s + i.count, 0);
    if (items.length === 0) {
      section(O.sections[key]);
      emptyLine(L.common.noData);
      continue;
    }
    const cols: PdfColumn[] = [
      { header: L.common.no, weight: 7, align: "right" },
      { header: O.label, weight: 59 },
      { header: O.count, weight: 16, align: "right" },
      { header: O.share, weight: 18, align: "right" },
    ];
    const rows: CellInput[][] = items.map((i, idx) => [String(idx + 1), i.label, n.int(i.count), n.pct(sum > 0 ? i.count / sum : null)]);
    rows.push([
      "",
      { text: O.total, font: FONT.bold },
      { text: n.int(sum), font: FONT.bold, align: "right" },
      { text: n.pct(sum > 0 ? 1 : null), font: FONT.bold, align: "right" },
    ]);
    section(O.sections[key], cols, rows);
  }

  // 7. Time per SOP step.
  if (r.sla.length === 0) {
    section(O.sections.sla);
    emptyLine(L.common.noData);
  } else {
    section(
      O.sections.sla,
      [
        { header: O.slaStep, weight: 8, align: "center" },
        { header: O.slaName, weight: 34 },
        { header: O.slaStandard, weight: 12, align: "right" },
        { header: O.slaCount, weight: 10, align: "right" },
        { header: O.slaMedian, weight: 12, align: "right" },
        { header: O.slaP90, weight: 11, align: "right" },
        { header: O.slaWithin, weight: 13, align: "right" },
      ],
      [...r.sla]
        .sort((a, b) => a.step - b.step)
        .map((s) => [
          String(s.step),
          s.name,
          n.one(s.standardMinutes),
          n.int(s.count),
          n.one(s.medianMinutes),
          n.one(s.p90Minutes),
          n.pct(s.withinStandardShare),
        ]),
    );
  }

  // 8. SKM per element.
  if (r.skm.respondents === 0 || r.skm.perElement.length === 0) {
    section(O.sections.skm);
    emptyLine(r.skm.respondents === 0 ? O.skmNoResponses : L.common.noData);
  } else {
    section(
      O.sections.skm,
      [
        { header: O.skmCode, weight: 12 },
        { header: O.skmElement, weight: 63 },
        { header: O.skmAverage, weight: 25, align: "right" },
      ],
      r.skm.perElement.map((e) => [e.code, e.label, n.two(e.average)]),
    );
    pdf.paragraph(
      `${O.skmIndex}: ${n.two(r.skm.index)} \u2022 ${O.skmCategory}: ${skmCategoryText(L, r.skm.category)} \u2022 ${O.skmRespondents}: ${n.int(r.skm.respondents)}`,
      { size: 9, indent: 14, font: FONT.bold },
    );
  }

  // 9. Impact: the 3- and 6-month follow-ups due in the period.
  if (r.impact) {
    const parts = impactPdfParts(r.impact, lang, n);
    if (parts.empty) {
      section(impactLabels(lang).title);
      emptyLine(parts.empty);
    } else {
      section(impactLabels(lang).title, summaryCols, parts.summary);
      if (parts.licences.length > 0) {
        pdf.space(4);
        pdf.table([{ header: impactLabels(lang).licenceKind, weight: 70 }, { header: O.count, weight: 30, align: "right" }], parts.licences, tableOpts);
      }
      for (const tbl of parts.tables) {
        if (tbl.rows.length === 0) continue;
        pdf.space(4);
        pdf.ensure(pdf.tableLeadHeight(tbl.cols, tbl.rows, tableOpts) + 16);
        pdf.paragraph(tbl.title, { size: 9.5, indent: 14, font: FONT.bold });
        pdf.table(tbl.cols, tbl.rows, tableOpts);
      }
      pdf.paragraph(parts.note, { size: 8.5, indent: 14, font: FONT.italic });
    }
  }

  if (r.signatures) drawSignatures(pdf, r, L, longDate(r.generatedAt ?? r.period.to));
  return pdf.finish();
}

function drawSignatures(pdf: PdfLayout, r: OfficeReport, L: DocumentLabels, dateText: string): void {
  const sig = r.signatures;
  if (!sig) return;
  const size = 9.5;
  const lh = PdfLayout.lineHeight(size);
  const gap = 50;
  const colW = pdf.width / 2;
  const center = (text: string, col: 0 | 1, y: number, font: (typeof FONT)[keyof typeof FONT] = FONT.regular, underline = false) => {
    const x = pdf.left + col * colW;
    const lines = pdf.wrap(sanitizePdfText(text), font, size, colW - 12);
    lines.forEach((line, i) => {
      const w = pdf.textWidth(line, font, size);
      pdf.drawLine(line, x + (colW - w) / 2, y + i * lh, { font, size, underline });
    });
    return lines.length * lh;
  };
  const headTitle = L.common.headOf(r.office.name);
  pdf.space(10);
  pdf.ensure(lh * 8 + gap + 20);
  let y = pdf.y;
  const place = sanitizePdfText(r.place ?? "");
  center(place ? L.common.placeDate(place, dateText) : dateText, 1, y);
  y += lh;
  const left0 = center(L.common.acknowledged, 0, y);
  const leftH = left0 + center(headTitle, 0, y + left0);
  const rightH = center(L.officeReport.preparedBy, 1, y) + center(L.officeReport.preparedByRole, 1, y + lh);
  y += Math.max(leftH, rightH) + gap;
  const headName = sanitizePdfText(sig.head.name ?? "");
  let hl = headName ? center(headName, 0, y, FONT.bold, true) : center(L.common.blankName, 0, y);
  if (sig.head.nip) hl += center(`${L.common.nip} ${sig.head.nip}`, 0, y + hl);
  const prepName = sanitizePdfText(sig.preparedBy.name);
  let hr = prepName ? center(prepName, 1, y, FONT.bold, true) : center(L.common.blankName, 1, y);
  if (sig.preparedBy.nip) hr += center(`${L.common.nip} ${sig.preparedBy.nip}`, 1, y + hr);
  pdf.y = y + Math.max(hl, hr) + 6;
}

/**
 * The same report as a workbook: a summary sheet, one sheet per breakdown, the time per SOP step
 * and the SKM. Headers bold and frozen, shares as percentages, dates as dates (office time).
 */
export async function renderOfficeReportXlsx(report: OfficeReport, opts: { lang?: Lang; timeZone?: string } = {}): Promise<Buffer> {
  const r = ZOfficeReport.parse(report);
  const lang = opts.lang ?? "id";
  const timeZone = opts.timeZone ?? OFFICE_TIME_ZONE;
  const L = labelsFor(lang);
  const O = L.officeReport;
  const wb = await newWorkbook({ created: r.generatedAt ?? r.period.to, creator: r.office.name });
  const taken = new Set<string>();

  // Summary: item / value, with a format per cell (dates, counts, index, percentage).
  const summary: Array<{ item: string; value: unknown; numFmt?: string }> = [
    { item: O.office, value: r.office.name },
    { item: O.period, value: r.period.label },
    { item: O.periodFrom, value: r.period.from, numFmt: "yyyy-mm-dd" },
    { item: O.periodTo, value: r.period.to, numFmt: "yyyy-mm-dd" },
    ...TOTAL_KEYS.map((k) => ({ item: O.totals[k], value: r.totals[k], numFmt: "#,##0" })),
    { item: O.complaintMedianAnswerHours, value: r.totals.complaintMedianAnswerHours, numFmt: "0.0" },
    { item: O.skmRespondents, value: r.skm.respondents, numFmt: "#,##0" },
    { item: O.skmIndex, value: r.skm.index, numFmt: "0.00" },
    { item: O.skmCategory, value: r.skm.category ? skmCategoryText(L, r.skm.category) : null },
  ];
  const ws = addSheet(
    wb,
    {
      name: O.sheetNames.summary,
      columns: [
        { key: "item", header: O.item, width: 40 },
        { key: "value", header: O.value, width: 36 },
      ],
      rows: summary.map((s) => ({ item: s.item, value: s.value })),
    },
    taken,
    timeZone,
  );
  summary.forEach((s, i) => {
    const cell = ws.getRow(i + 2).getCell(2);
    if (s.numFmt) cell.numFmt = s.numFmt;
    cell.alignment = { horizontal: "left" };
  });

  for (const key of BREAKDOWNS) {
    const items = r[key];
    const sum = items.reduce((s, i) => s + i.count, 0);
    const sheet = addSheet(
      wb,
      {
        name: O.sheetNames[key],
        columns: [
          { key: "no", header: L.common.no, width: 6 },
          { key: "label", header: O.label },
          { key: "count", header: O.count, width: 12, numFmt: "#,##0" },
          { key: "share", header: O.share, width: 13, numFmt: "0.0%" },
        ],
        rows: items.map((i, idx) => ({ no: idx + 1, label: i.label, count: i.count, share: sum > 0 ? i.count / sum : null })),
      },
      taken,
      timeZone,
    );
    // After a blank row, so sorting or filtering the table leaves the total alone.
    if (items.length > 0) addTotalRow(sheet, [null, O.total, sum, sum > 0 ? 1 : null], ["", "", "#,##0", "0.0%"]);
  }

  addSheet(
    wb,
    {
      name: O.sheetNames.sla,
      columns: [
        { key: "step", header: O.slaStep, width: 8 },
        { key: "name", header: O.slaName },
        { key: "standardMinutes", header: O.slaStandard, width: 16, numFmt: "0.0" },
        { key: "count", header: O.slaCount, width: 10, numFmt: "#,##0" },
        { key: "medianMinutes", header: O.slaMedian, width: 16, numFmt: "0.0" },
        { key: "p90Minutes", header: O.slaP90, width: 14, numFmt: "0.0" },
        { key: "withinStandardShare", header: O.slaWithin, width: 16, numFmt: "0.0%" },
      ],
      rows: [...r.sla].sort((a, b) => a.step - b.step),
    },
    taken,
    timeZone,
  );

  addSheet(
    wb,
    {
      name: O.sheetNames.skm,
      columns: [
        { key: "code", header: O.skmCode, width: 8 },
        { key: "label", header: O.skmElement },
        { key: "average", header: O.skmAverage, width: 16, numFmt: "0.00" },
      ],
      rows: r.skm.perElement,
    },
    taken,
    timeZone,
  );

  if (r.impact) addImpactSheet(wb, r.impact, lang, taken, timeZone);

  return workbookToBuffer(wb);
}

function addTotalRow(ws: ExcelJS.Worksheet, values: ExcelJS.CellValue[], formats: string[]): void {
  ws.addRow([]);
  const row = ws.addRow(values);
  row.font = { bold: true };
  row.eachCell((cell, col) => {
    const fmt = formats[col - 1];
    if (fmt) cell.numFmt = fmt;
    cell.border = { top: { style: "thin", color: { argb: "FF7A7A7A" } } };
  });
}
