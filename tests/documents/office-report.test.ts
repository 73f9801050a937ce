import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { renderOfficeReportPdf, renderOfficeReportXlsx, type OfficeReport } from "../../src/documents/office-report.js";
import { LABELS } from "../../src/documents/labels.js";
import { officeReport } from "./fixtures.js";
import { flatten, readPdfText, type PdfText } from "../support/pdf-text.js";

async function loadXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function sheetRows(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const values = row.values as unknown[];
    rows.push(values.slice(1));
  });
  return rows;
}

describe("renderOfficeReportPdf", () => {
  let pdf: PdfText;
  beforeAll(async () => {
    pdf = await readPdfText(await renderOfficeReportPdf(officeReport(), { lang: "id" }));
  });

  it("opens with the title, the period and the summary, then the tables", () => {
    const O = LABELS.id.officeReport;
    const p1 = flatten(pdf.pages[0] ?? "");
    expect(p1).toContain("LAPORAN LAYANAN KONSULTASI PERIODE NOVEMBER 2026");
    expect(p1).toContain("(1 November 2026 s.d. 30 November 2026)");
    expect(p1).toContain("Kepada Yth. Kepala UPT PLUT-KUMKM Kabupaten Gianyar");
    const headings = (["summary", "byArea", "byService", "byKecamatan", "bySector", "byConsultant", "sla", "skm"] as const).map(
      (k, i) => `${i + 1}. ${O.sections[k].toUpperCase()}`,
    );
    let from = 0;
    for (const h of headings) {
      const at = pdf.flat.indexOf(h, from);
      expect(at, h).toBeGreaterThanOrEqual(0);
      from = at + h.length;
    }
    expect(p1).toContain("1. RINGKASAN");
  });

  it("shows the totals, shares, SLA and SKM in Indonesian number style", () => {
    expect(pdf.flat).toContain("Pengguna jasa yang dilayani 57");
    expect(pdf.flat).toContain("Pengaduan 1");
    expect(pdf.flat).toContain("Indeks Kepuasan Masyarakat (IKM) 84,52");
    expect(pdf.flat).toContain("Mutu pelayanan B (Baik)");
    // Pemasaran 18 of 49 services by area.
    expect(pdf.flat).toContain("1 Pemasaran 18 36,7%");
    expect(pdf.flat).toContain("Jumlah 49 100,0%");
    // Step 4: standard 20, 45 timed, median 26.5, p90 48, 38% within.
    expect(pdf.flat).toContain("4 Diagnosa dan konsultasi 20 45 26,5 48 38,0%");
    // A step with no timed case shows dashes.
    expect(pdf.flat).toContain("11 Laporan kepada Kepala UPT 5 0 - - -");
    expect(pdf.flat).toContain("U9 Sarana dan prasarana 3,11");
  });

  it("ends with the signatures and numbers the pages", () => {
    const last = flatten(pdf.pages[pdf.numPages - 1] ?? "");
    expect(last).toContain("Gianyar, 28 November 2026");
    expect(last).toContain("Dilaporkan oleh,");
    expect(last).toContain("Komang Ayu Pradnyani");
    expect(last).toContain("Drs. I Wayan Suardana, M.Si.");
    pdf.pages.forEach((t, i) => expect(flatten(t)).toContain(`Halaman ${i + 1} dari ${pdf.numPages}`));
  });

  it("renders English and an empty period", async () => {
    const base = officeReport();
    const empty: OfficeReport = {
      ...base,
      byArea: [],
      byService: [],
      byKecamatan: [],
      bySector: [],
      byConsultant: [],
      sla: [],
      skm: { respondents: 0, index: null, perElement: [], category: null },
      signatures: null,
    };
    const en = await readPdfText(await renderOfficeReportPdf(empty, { lang: "en" }));
    expect(en.flat).toContain("CONSULTATION SERVICE REPORT PERIOD NOVEMBER 2026");
    expect(en.flat).toContain("1. SUMMARY");
    expect(en.flat).toContain("Clients served 57");
    expect(en.flat).toContain("No data.");
    expect(en.flat).toContain("No respondents in this period.");
    expect(en.flat).toContain("Page 1 of");
    expect(en.flat).not.toContain("Halaman");
  });
});

describe("renderOfficeReportXlsx", () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await loadXlsx(await renderOfficeReportXlsx(officeReport()));
  });

  it("has one sheet per section, in order", () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Ringkasan",
      "Per Bidang",
      "Per Layanan",
      "Per Kecamatan",
      "Per Sektor",
      "Per Konsultan",
      "Waktu per Tahap",
      "SKM",
    ]);
  });

  it("freezes a bold header row on every sheet", () => {
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    }
  });

  it("writes the summary with typed values", () => {
    const ws = wb.getWorksheet("Ringkasan");
    if (!ws) throw new Error("no summary sheet");
    const rows = sheetRows(ws);
    expect(rows[0]).toEqual(["Uraian", "Nilai"]);
    expect(rows).toContainEqual(["Periode", "November 2026"]);
    expect(rows).toContainEqual(["Pengguna jasa yang dilayani", 57]);
    expect(rows).toContainEqual(["Indeks Kepuasan Masyarakat (IKM)", 84.52]);
    expect(rows).toContainEqual(["Mutu pelayanan", "B (Baik)"]);
    // The period starts at 00:00 WITA on 1 November: the cell shows that wall-clock time.
    const from = rows.find((r) => r[0] === "Dari tanggal")?.[1];
    expect(from).toBeInstanceOf(Date);
    expect((from as Date).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(ws.getColumn(1).width).toBe(40);
  });

  it("writes breakdowns with percentage shares and a total row", () => {
    const ws = wb.getWorksheet("Per Bidang");
    if (!ws) throw new Error("no sheet");
    const rows = sheetRows(ws);
    expect(rows[0]).toEqual(["No.", "Uraian", "Jumlah", "Persentase"]);
    expect(rows[1]?.slice(0, 3)).toEqual([1, "Pemasaran", 18]);
    expect(rows[1]?.[3]).toBeCloseTo(18 / 49, 10);
    expect(ws.getRow(2).getCell(4).numFmt).toBe("0.0%");
    const total = rows[rows.length - 1];
    expect(total?.slice(1)).toEqual(["Jumlah", 49, 1]);
  });

  it("writes the SLA sheet with shares as percentages and empty cells for missing values", () => {
    const ws = wb.getWorksheet("Waktu per Tahap");
    if (!ws) throw new Error("no sheet");
    const rows = sheetRows(ws);
    expect(rows[0]).toEqual(["Tahap", "Uraian Kegiatan", "Standar (menit)", "Jumlah", "Median (menit)", "P90 (menit)", "Sesuai Standar"]);
    expect(rows[1]).toEqual([1, "Pengisian formulir", 3, 49, 4, 9.5, 0.42]);
    expect(ws.getRow(2).getCell(7).numFmt).toBe("0.0%");
    const last = rows[rows.length - 1] ?? [];
    expect(last.slice(0, 4)).toEqual([11, "Laporan kepada Kepala UPT", 5, 0]);
    expect(last[4] ?? null).toBeNull();
  });

  it("writes the SKM elements", () => {
    const ws = wb.getWorksheet("SKM");
    if (!ws) throw new Error("no sheet");
    const rows = sheetRows(ws);
    expect(rows[0]).toEqual(["Kode", "Unsur Pelayanan", "Nilai Rata-rata"]);
    expect(rows).toContainEqual(["U4", "Biaya/tarif", 3.9]);
    expect(rows).toHaveLength(10);
  });

  it("names the sheets in English for lang en", async () => {
    const en = await loadXlsx(await renderOfficeReportXlsx(officeReport(), { lang: "en" }));
    expect(en.worksheets.map((w) => w.name)).toEqual([
      "Summary",
      "By Area",
      "By Service",
      "By Kecamatan",
      "By Sector",
      "By Consultant",
      "Time per Step",
      "SKM",
    ]);
    expect(sheetRows(en.worksheets[0] as ExcelJS.Worksheet)).toContainEqual(["Clients served", 57]);
  });
});
