/**
 * The impact section of the head's report (issue 18 item 2): what clients said three and six months
 * after their case closed. Kept beside the office report, with its own labels, so the report file
 * only calls it. Numbers are computed in src/domain/reports/impact.ts.
 */
import { z } from "zod";
import type ExcelJS from "exceljs";
import type { Lang } from "../i18n/index.js";
import type { CellInput, TableColumn as PdfColumn } from "./pdf/layout.js";
import { addSheet } from "./table-export.js";

const ZCount = z.number().int().nonnegative();

export const ZImpactRow = z.object({
  label: z.string(),
  /** Follow-ups due in the period. */
  due: ZCount,
  answered: ZCount,
  /** Answers whose turnover band is higher / the same / lower than before (unknown bands left out). */
  turnoverUp: ZCount,
  turnoverSame: ZCount,
  turnoverDown: ZCount,
  /** Workers now minus before, over answers that know both. */
  workersChange: z.number().int(),
  financed: ZCount,
  financingAmount: z.number().nonnegative(),
  licences: ZCount,
  newMarkets: ZCount,
});
export type ImpactRow = z.infer<typeof ZImpactRow>;

export const ZImpactSection = z.object({
  total: ZImpactRow,
  /** Answered / due; null with nothing due. */
  responseRate: z.number().min(0).max(1).nullable(),
  workersBefore: ZCount,
  workersAfter: ZCount,
  licencesByKind: z.array(z.object({ label: z.string(), count: ZCount })).default([]),
  byArea: z.array(ZImpactRow).default([]),
  byConsultant: z.array(ZImpactRow).default([]),
});
export type ImpactSection = z.infer<typeof ZImpactSection>;

interface ImpactLabels {
  title: string;
  none: string;
  due: string;
  answered: string;
  responseRate: string;
  turnoverUp: string;
  turnoverSame: string;
  turnoverDown: string;
  workersBefore: string;
  workersAfter: string;
  workersChange: string;
  financed: string;
  financingAmount: string;
  licences: string;
  newMarkets: string;
  licenceKind: string;
  area: string;
  consultant: string;
  byArea: string;
  byConsultant: string;
  sheet: string;
  note: string;
}

const LABELS: Record<Lang, ImpactLabels> = {
  id: {
    title: "Dampak setelah Konsultasi (tindak lanjut 3 dan 6 bulan)",
    none: "Belum ada tindak lanjut yang jatuh tempo pada periode ini.",
    due: "Tindak lanjut jatuh tempo",
    answered: "Dijawab",
    responseRate: "Tingkat tanggapan",
    turnoverUp: "Omzet naik",
    turnoverSame: "Omzet tetap",
    turnoverDown: "Omzet turun",
    workersBefore: "Pekerja sebelum",
    workersAfter: "Pekerja sesudah",
    workersChange: "Perubahan pekerja",
    financed: "Mendapat pembiayaan",
    financingAmount: "Jumlah pembiayaan (Rp)",
    licences: "Izin diperoleh",
    newMarkets: "Pasar baru",
    licenceKind: "Jenis izin",
    area: "Bidang",
    consultant: "Konsultan",
    byArea: "Dampak menurut bidang",
    byConsultant: "Dampak menurut konsultan",
    sheet: "Dampak",
    note: "Sebelum = data usaha saat kasus ditutup; sesudah = jawaban pengguna jasa. Omzet dibandingkan per kelompok omzet.",
  },
  en: {
    title: "Impact after the consultation (3 and 6 month follow-ups)",
    none: "No follow-up fell due in this period.",
    due: "Follow-ups due",
    answered: "Answered",
    responseRate: "Response rate",
    turnoverUp: "Turnover up",
    turnoverSame: "Turnover the same",
    turnoverDown: "Turnover down",
    workersBefore: "Workers before",
    workersAfter: "Workers after",
    workersChange: "Change in workers",
    financed: "Financing obtained",
    financingAmount: "Financing amount (Rp)",
    licences: "Licences obtained",
    newMarkets: "New markets",
    licenceKind: "Licence",
    area: "Area",
    consultant: "Consultant",
    byArea: "Impact by area",
    byConsultant: "Impact by consultant",
    sheet: "Impact",
    note: "Before = the business on file when the case closed; after = the client's answer. Turnover is compared by turnover band.",
  },
};

export function impactLabels(lang: Lang): ImpactLabels {
  return LABELS[lang];
}

interface Fmt {
  int(n: number): string;
  pct(n: number | null): string;
}

/** The section in the PDF: summary lines, licences by kind, then the tables by area and by consultant. */
export function impactPdfParts(s: ImpactSection, lang: Lang, n: Fmt): { empty: string | null; summary: CellInput[][]; licences: CellInput[][]; tables: Array<{ title: string; cols: PdfColumn[]; rows: CellInput[][] }>; note: string } {
  const L = LABELS[lang];
  const t = s.total;
  const money = (v: number) => n.int(Math.round(v));
  const signed = (v: number) => (v > 0 ? `+${n.int(v)}` : n.int(v));
  const summary: CellInput[][] = [
    [L.due, n.int(t.due)],
    [L.answered, n.int(t.answered)],
    [L.responseRate, n.pct(s.responseRate)],
    [L.turnoverUp, n.int(t.turnoverUp)],
    [L.turnoverSame, n.int(t.turnoverSame)],
    [L.turnoverDown, n.int(t.turnoverDown)],
    [L.workersBefore, n.int(s.workersBefore)],
    [L.workersAfter, n.int(s.workersAfter)],
    [L.financed, n.int(t.financed)],
    [L.financingAmount, money(t.financingAmount)],
    [L.licences, n.int(t.licences)],
    [L.newMarkets, n.int(t.newMarkets)],
  ];
  const cols = (first: string): PdfColumn[] => [
    { header: first, weight: 28 },
    { header: L.due, weight: 9, align: "right" },
    { header: L.answered, weight: 9, align: "right" },
    { header: L.turnoverUp, weight: 10, align: "right" },
    { header: L.workersChange, weight: 11, align: "right" },
    { header: L.financed, weight: 11, align: "right" },
    { header: L.financingAmount, weight: 22, align: "right" },
  ];
  const rows = (xs: ImpactRow[]) => xs.map((r) => [r.label, n.int(r.due), n.int(r.answered), n.int(r.turnoverUp), signed(r.workersChange), n.int(r.financed), money(r.financingAmount)]);
  return {
    empty: t.due === 0 ? L.none : null,
    summary,
    licences: s.licencesByKind.map((l) => [l.label, n.int(l.count)]),
    tables: [
      { title: L.byArea, cols: cols(L.area), rows: rows(s.byArea) },
      { title: L.byConsultant, cols: cols(L.consultant), rows: rows(s.byConsultant) },
    ],
    note: L.note,
  };
}

/** The section as one sheet: the summary, then the rows by area and by consultant. */
export function addImpactSheet(wb: ExcelJS.Workbook, s: ImpactSection, lang: Lang, taken: Set<string>, timeZone: string): void {
  const L = LABELS[lang];
  const row = (group: string, r: ImpactRow) => ({ group, ...r });
  addSheet(
    wb,
    {
      name: L.sheet,
      columns: [
        { key: "group", header: "" },
        { key: "label", header: `${L.area} / ${L.consultant}` },
        { key: "due", header: L.due, numFmt: "#,##0" },
        { key: "answered", header: L.answered, numFmt: "#,##0" },
        { key: "turnoverUp", header: L.turnoverUp, numFmt: "#,##0" },
        { key: "turnoverSame", header: L.turnoverSame, numFmt: "#,##0" },
        { key: "turnoverDown", header: L.turnoverDown, numFmt: "#,##0" },
        { key: "workersChange", header: L.workersChange, numFmt: "#,##0" },
        { key: "financed", header: L.financed, numFmt: "#,##0" },
        { key: "financingAmount", header: L.financingAmount, numFmt: "#,##0" },
        { key: "licences", header: L.licences, numFmt: "#,##0" },
        { key: "newMarkets", header: L.newMarkets, numFmt: "#,##0" },
      ],
      rows: [row("", s.total), ...s.byArea.map((r) => row(L.area, r)), ...s.byConsultant.map((r) => row(L.consultant, r))],
    },
    taken,
    timeZone,
  );
}
