import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { readPdfText } from "../support/pdf-text.js";
import { FileStore } from "../../src/storage/file-store.js";
import type { OfficeReport } from "../../src/documents/index.js";
import {
  CHAT_LIMIT,
  computeOfficeReport,
  consultantLoad,
  fitMessage,
  formatMinutes,
  lastWeek,
  lateNow,
  listCases,
  parsePeriod,
  renderCaseList,
  renderConsultantLoad,
  renderLateList,
  renderPeriodError,
  renderReportMessage,
  renderSearch,
  reportAttachments,
  searchClients,
  weeklySummary,
  weeklySummaryText,
} from "../../src/domain/reports/index.js";
import { KEY, NOW, TZ, seedKnownOffice, translator } from "./fixture.js";

let database: TestDatabase;
let report: OfficeReport;
const t = translator("id");

beforeAll(async () => {
  database = await createTestDatabase();
  await seedKnownOffice(database.db);
  const p = parsePeriod("bulan ini", NOW, TZ);
  if (!p.ok) throw new Error("period");
  report = await computeOfficeReport(database.db, p.period, TZ, { t });
});
afterAll(async () => database.destroy());

describe("chat answers", () => {
  it("/laporan: a short summary with the figures", () => {
    const text = renderReportMessage(report, t);
    expect(text.length).toBeLessThanOrEqual(CHAT_LIMIT);
    expect(text).toContain("periode November 2026");
    expect(text).toContain("Pengguna jasa dilayani: 5 (baru 3, lama 2)");
    expect(text).toContain("Layanan dibuka 5, selesai 1, masih berjalan 5");
    expect(text).toContain("Rujukan: 1. Pengaduan: 1");
    expect(text).toContain("Bidang terbanyak: Pemasaran 3, Pembiayaan 1, Produksi 1");
    expect(text).toContain("1. Pendaftaran: 3 / 3,6 / 3 mnt, 80%");
    expect(text).toContain("IKM 84,72 (mutu B, Baik) dari 2 responden");
    expect(text).not.toContain("11. Laporan ke Kepala UPT"); // no step 11 timed
    expect(text).not.toMatch(/\{[a-z_]+\}/);
  });

  it("/laporan in English", () => {
    const text = renderReportMessage(report, translator("en"));
    expect(text).toContain("Clients served: 5 (new 3, returning 2)");
    expect(text).toContain("Satisfaction index 84.72 (grade B, Good) from 2 respondents");
  });

  it("weekly summary to the head", async () => {
    const week = lastWeek(NOW, TZ); // 16-22 Nov
    const r = await computeOfficeReport(database.db, week, TZ, { t });
    const text = weeklySummaryText(r, t);
    expect(text).toContain("Ringkasan mingguan layanan konsultasi, 16\u201322 November 2026");
    // Steps completed 16-22 Nov: case 3 steps 6, 8, 9, 10 (8 over), case 8 steps 1-3 (2 over).
    expect(text).toContain("Tahapan selesai sesuai standar waktu: 71% dari 7");
    expect(text).toContain("Paling sering melewati standar: tahap 2 (Pemeriksaan berkas), sesuai standar 0%");
    expect(text.length).toBeLessThanOrEqual(CHAT_LIMIT);
    const ready = await weeklySummary(database.db, NOW, TZ, t);
    expect(ready.text).toBe(text);
    expect(ready.report.totals).toEqual(r.totals);
  });

  it("/kasus, /cari, /konsultan, /sla", async () => {
    const list = renderCaseList(await listCases(database.db, { pageSize: 3 }), t);
    expect(list.split("\n")[0]).toBe("Kasus: 8 (halaman 1 dari 3)");
    expect(list).toContain("PLUT-GIA-2026-000006 | Komang Dewi | tahap 3 menunggu asesmen | Belum ditentukan | Belum ditentukan | Rabu, 25 November 2026");
    expect(list).toContain("Halaman berikutnya: /kasus hal:2");

    const found = renderSearch(await searchClients(database.db, KEY, "sari"), t, { query: "sari" });
    expect(found).toContain("Ni Luh Sari | NIK ************0001 | Ubud | usaha: Warung Sari");
    expect(found).toContain("  PLUT-GIA-2026-000002 | tahap 6 monitoring | Selasa, 3 November 2026");
    expect(renderSearch(await searchClients(database.db, KEY, "zzz"), t, { query: "zzz" })).toBe("Tidak ada pengguna jasa bernama zzz.");

    const load = renderConsultantLoad(await consultantLoad(database.db, NOW), t);
    expect(load).toContain("Made Pemasaran (Pemasaran): 3 kasus berjalan, 2 terlambat, 1 rencana tindakan lewat target, 1 monitoring lewat jadwal");
    expect(load).toContain("Kasus berjalan yang belum punya konsultan: 1");

    const late = renderLateList(await lateNow(database.db, NOW), t);
    expect(late.split("\n")[0]).toBe("Terlambat sekarang: 4 kasus");
    expect(late).toContain("PLUT-GIA-2026-000006 | Komang Dewi | tahap 3 Asesmen awal dan rujukan: 3 hr (standar 15 mnt, lewat 3 hr) | Administrasi Layanan");
    expect(renderLateList([], t)).toBe("Tidak ada kasus yang terlambat saat ini.");
  });

  it("period errors come with examples", () => {
    expect(renderPeriodError("report.period.invalid", t)).toMatch(/^Maaf, periodenya tidak terbaca\.\nContoh: \/laporan hari ini/);
  });

  it("fits any answer into one message", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `baris ${i} ${"x".repeat(40)}`);
    const text = fitMessage(t, "Judul", lines, "kaki");
    expect(text.length).toBeLessThanOrEqual(CHAT_LIMIT);
    expect(text).toMatch(/\.\.\. dan \d+ lagi\n\nkaki$/);
  });

  it("durations", () => {
    expect(formatMinutes(45, t)).toBe("45 mnt");
    expect(formatMinutes(125, t)).toBe("2 j 5 mnt");
    expect(formatMinutes(120, t)).toBe("2 j");
    expect(formatMinutes(4370, t)).toBe("3 hr");
    expect(formatMinutes(1500, t)).toBe("1 hr 1 j");
  });
});

describe("reportAttachments", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-report-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("stores the XLSX and the PDF, encrypted, and both hold the figures", async () => {
    const files = new FileStore(dir, KEY);
    const out = await reportAttachments(report, files, { lang: "id", tz: TZ });
    expect(out.map((f) => [f.fileName, f.mimeType])).toEqual([
      ["Laporan-PLUT-2026-11-01_2026-11-30.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      ["Laporan-PLUT-2026-11-01_2026-11-30.pdf", "application/pdf"],
    ]);
    for (const f of out) expect(f.storageKey).toMatch(/^reports\//);
    // Encrypted at rest: the file on disk is not a zip or a PDF.
    const onDisk = fs.readFileSync(path.join(dir, out[1]!.storageKey));
    expect(onDisk.subarray(0, 4).toString("latin1")).not.toBe("%PDF");

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await files.get(out[0]!.storageKey)) as unknown as ArrayBuffer);
    const summary = wb.worksheets[0]!;
    const values = new Map<string, unknown>();
    summary.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get("Pengguna jasa yang dilayani")).toBe(5);
    expect(values.get("Pengguna jasa baru")).toBe(3);
    expect(values.get("Indeks Kepuasan Masyarakat (IKM)")).toBe(84.72);

    const pdf = await readPdfText(await files.get(out[1]!.storageKey));
    expect(pdf.flat).toContain("LAPORAN LAYANAN KONSULTASI");
    expect(pdf.flat).toContain("Pemasaran");
    expect(pdf.flat).toContain("84,72");
  });
});
