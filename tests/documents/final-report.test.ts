import { beforeAll, describe, expect, it } from "vitest";
import {
  ZFinalReportData,
  bapSentence,
  renderFinalReportPdf,
  type FinalReportData,
} from "../../src/documents/final-report-pdf.js";
import { LABELS } from "../../src/documents/labels.js";
import { DEFAULT_OFFICE } from "../../src/documents/office.js";
import { REG, finalReportData, wita } from "./fixtures.js";
import { flatten, readPdfText, type PdfText } from "../support/pdf-text.js";

const SECTION_KEYS = [
  "service",
  "client",
  "business",
  "problem",
  "diagnosis",
  "prescription",
  "services",
  "referrals",
  "actionPlan",
  "monitoring",
  "results",
  "recommendations",
  "stepTimes",
  "bap",
] as const;

function expectInOrder(haystack: string, needles: string[]): void {
  let from = 0;
  for (const needle of needles) {
    const at = haystack.indexOf(needle, from);
    expect(at, `"${needle}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + needle.length;
  }
}

describe("renderFinalReportPdf (id)", () => {
  let buf: Buffer;
  let pdf: PdfText;
  beforeAll(async () => {
    buf = await renderFinalReportPdf(finalReportData(), { lang: "id" });
    pdf = await readPdfText(buf);
  });

  it("is a multi-page A4 PDF", () => {
    expect(buf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.numPages).toBeGreaterThan(1);
    for (const s of pdf.sizes) {
      expect(Math.round(s.width)).toBe(595);
      expect(Math.round(s.height)).toBe(842);
    }
  });

  it("has the letterhead, the title and the registration number on page 1", () => {
    const p1 = flatten(pdf.pages[0] ?? "");
    expect(p1).toContain("DINAS KOPERASI DAN UKM KABUPATEN GIANYAR");
    expect(p1).toContain("UPT PLUT-KUMKM KABUPATEN GIANYAR");
    expect(p1).toContain("Jl. Sahadewa No. 1, Gianyar 80511");
    expect(p1).toContain("0361 941571");
    expect(p1).toContain("LAPORAN AKHIR DAN BERITA ACARA PEMERIKSAAN (BAP) LAYANAN KONSULTASI");
    expect(p1).toContain(`Nomor Registrasi: ${REG}`);
  });

  it("has every numbered section heading, in order", () => {
    expectInOrder(
      pdf.flat,
      SECTION_KEYS.map((k, i) => `${i + 1}. ${LABELS.id.finalReport.sections[k].toUpperCase()}`),
    );
  });

  it("writes the BAP sentence with the Indonesian day name of the report date", () => {
    expect(pdf.flat).toContain("Pada hari ini, Sabtu tanggal 28 November 2026, telah dilaksanakan pemeriksaan");
    expect(pdf.flat).toContain(`dengan Nomor Registrasi ${REG}`);
    expect(pdf.flat).toContain("sejak tanggal 2 November 2026 sampai dengan tanggal 27 November 2026");
    expect(pdf.flat).toContain(
      "Demikian Berita Acara Pemeriksaan ini dibuat dengan sebenarnya untuk dapat dipergunakan sebagaimana mestinya.",
    );
  });

  it("numbers every page as 'Halaman i dari N'", () => {
    pdf.pages.forEach((text, i) => {
      expect(flatten(text)).toContain(`Halaman ${i + 1} dari ${pdf.numPages}`);
    });
  });

  it("repeats the office and registration number at the top of continuation pages", () => {
    for (const text of pdf.pages.slice(1)) {
      expect(flatten(text)).toContain(`Laporan Akhir dan BAP • ${REG}`);
    }
  });

  it("keeps the signature block together on the last page", () => {
    const last = flatten(pdf.pages[pdf.numPages - 1] ?? "");
    expectInOrder(last, [
      "Gianyar, 28 November 2026",
      "Pengguna Jasa,",
      "Konsultan,",
      "Ni Luh Putu Ayu Wulandari",
      "I Made Sutama, S.E.",
      "Mengetahui,",
      "Kepala UPT PLUT-KUMKM Kabupaten Gianyar",
      "Drs. I Wayan Suardana, M.Si.",
      "NIP. 19700412 199503 1 004",
    ]);
  });

  it("prints the data of every section", () => {
    for (const s of [
      "5104**********0001",
      "Kopi Bubuk Sari Merta",
      "Perorangan",
      "4 orang",
      "Rp5 juta - Rp15 juta",
      "Sejak kapan usaha berjalan?",
      "Diagnosa awal atas legalitas dan pemasaran.",
      "Akses pembiayaan",
      "Ni Kadek Dewi Lestari, S.Ak.",
      "Mendaftar SPP-IRT melalui OSS",
      "Perlu bantuan",
      "Belum ada laporan",
      "Belum dievaluasi",
      "Mengikuti pelatihan pemasaran digital PLUT bulan Desember.",
      "Melebihi standar",
      "Belum tercatat",
    ]) {
      expect(pdf.flat).toContain(s);
    }
    // Total of the standard times in the Standar Pelayanan: 175 minutes.
    expect(pdf.flat).toMatch(/Jumlah 175 140/);
  });

  it("survives emoji in client text: dropped cleanly, the words kept", () => {
    expect(pdf.flat).not.toMatch(/\p{Extended_Pictographic}/u);
    expect(pdf.flat).not.toContain("\ufffd");
    // "... produk kami 😢. Saya ..." and "... banyak 👨‍👩‍👧." lose the emoji but not the sentence.
    expect(pdf.flat).toContain("menolak menitipkan produk kami. Saya juga bingung");
    expect(pdf.flat).toContain("bantuannya terima kasih banyak.");
    expect(pdf.flat).toContain("Sudah terbit pada 18 November 2026");
    expect(pdf.flat).toContain("Nama : Ni Luh Putu Ayu Wulandari NIK");
  });
});

describe("renderFinalReportPdf (en)", () => {
  it("uses the English labels", async () => {
    const pdf = await readPdfText(await renderFinalReportPdf(finalReportData(), { lang: "en" }));
    expect(pdf.flat).toContain("FINAL REPORT AND OFFICIAL MINUTES (BAP) CONSULTATION SERVICE");
    expect(pdf.flat).toContain(`Registration Number: ${REG}`);
    expectInOrder(
      pdf.flat,
      SECTION_KEYS.map((k, i) => `${i + 1}. ${LABELS.en.finalReport.sections[k].toUpperCase()}`),
    );
    expect(pdf.flat).toContain("On this day, Saturday 28 November 2026, an examination was carried out");
    expect(pdf.flat).toContain("Acknowledged by,");
    expect(pdf.flat).toContain("Head of UPT PLUT-KUMKM Kabupaten Gianyar");
    expect(pdf.flat).toContain("Sole proprietorship");
    pdf.pages.forEach((text, i) => expect(flatten(text)).toContain(`Page ${i + 1} of ${pdf.numPages}`));
    expect(pdf.flat).not.toContain("Halaman");
    expect(pdf.flat).not.toContain("Pada hari ini");
  });
});

describe("BAP sentence and dates", () => {
  const L = LABELS.id;
  const sentence = (date: Date, closedAt: Date | null = null, timeZone?: string) =>
    bapSentence(finalReportData({ date, case: { ...finalReportData().case, closedAt } }), L, "id", timeZone);

  it.each([
    ["2026-08-17T02:00:00Z", "Senin tanggal 17 Agustus 2026"],
    ["2026-01-01T02:00:00Z", "Kamis tanggal 1 Januari 2026"],
    ["2027-03-10T02:00:00Z", "Rabu tanggal 10 Maret 2027"],
    // 15:59 UTC is 23:59 WITA on Saturday; 17:30 UTC is already Sunday 01:30 WITA.
    ["2026-11-28T15:59:00Z", "Sabtu tanggal 28 November 2026"],
    ["2026-11-28T17:30:00Z", "Minggu tanggal 29 November 2026"],
  ])("%s -> %s", (iso, expected) => {
    expect(sentence(new Date(iso))).toContain(`Pada hari ini, ${expected}, telah dilaksanakan`);
  });

  it("follows the time zone option", () => {
    // 16:30 UTC is 23:30 Saturday in Jakarta (WIB) but 00:30 Sunday in Gianyar (WITA).
    expect(sentence(new Date("2026-11-28T16:30:00Z"), null, "Asia/Jakarta")).toContain("Sabtu tanggal 28 November 2026");
    expect(sentence(new Date("2026-11-28T16:30:00Z"))).toContain("Minggu tanggal 29 November 2026");
  });

  it("says the service is still running when the case is not closed", () => {
    expect(sentence(new Date("2026-11-28T06:00:00Z"))).toContain(
      "sejak tanggal 2 November 2026 dan masih berlangsung sampai dengan tanggal 28 November 2026",
    );
  });
});

describe("renderFinalReportPdf edge cases", () => {
  it("renders a sparse case: no lists, no optional fields, blank head name", async () => {
    const base = finalReportData();
    const data: FinalReportData = {
      ...base,
      case: { ...base.case, closedAt: null, referrals: [] },
      client: { name: "Wayan 😀", nikMasked: "5104**********0002" },
      business: { name: "Warung Wayan", sector: "Kuliner", products: "Nasi campur", legalForm: "Usaha keluarga" },
      problem: "🙏🙏🙏",
      assessment: [],
      notes: [],
      services: [],
      actionPlan: [],
      monitoring: [],
      stepTimes: [],
      results: "",
      recommendations: "",
      signatures: { client: { name: "Wayan" }, consultant: { name: "" }, head: {} },
    };
    const pdf = await readPdfText(await renderFinalReportPdf(data, { lang: "id" }));
    expect(pdf.flat).toContain("Status Layanan : Dalam proses");
    expect(pdf.flat).toContain("Tidak ada rujukan ke konsultan lain.");
    expect(pdf.flat).toContain("Tidak ada data.");
    expect(pdf.flat).toContain("Bentuk Usaha : Usaha keluarga");
    expect(pdf.flat).toContain("(.......................................)");
    expect(pdf.flat).toContain("Kepala UPT PLUT-KUMKM Kabupaten Gianyar");
    expect(pdf.flat).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  it("splits a cell taller than a page over several pages without losing a word", async () => {
    const words = Array.from({ length: 1800 }, (_, i) => `kata${i}`).join(" ");
    const data = finalReportData({ assessment: [{ question: "Uraian panjang", answer: words }] });
    const pdf = await readPdfText(await renderFinalReportPdf(data, { lang: "id" }));
    expect(pdf.numPages).toBeGreaterThan(5);
    expect(pdf.flat).toContain("kata0 kata1 kata2");
    expect(pdf.flat).toContain("kata1798 kata1799");
    const found = pdf.flat.match(/\bkata\d+\b/g) ?? [];
    expect(new Set(found).size).toBe(1800);
    pdf.pages.forEach((text, i) => expect(flatten(text)).toContain(`Halaman ${i + 1} dari ${pdf.numPages}`));
  });

  it("cuts a single word longer than its column", async () => {
    const long = "x".repeat(400);
    const data = finalReportData({ assessment: [{ question: "q", answer: long }] });
    const pdf = await readPdfText(await renderFinalReportPdf(data, { lang: "id" }));
    expect(pdf.flat.replace(/ /g, "")).toContain(long);
  });

  it("prints a blank office field nowhere: the office comes from the data", async () => {
    const office = { ...DEFAULT_OFFICE, name: "UPT PLUT-KUMKM Kabupaten Contoh", phone: "0000 000000", government: null };
    const pdf = await readPdfText(await renderFinalReportPdf(finalReportData({ office }), { lang: "id" }));
    expect(pdf.flat).toContain("UPT PLUT-KUMKM KABUPATEN CONTOH");
    expect(pdf.flat).toContain("Kepala UPT PLUT-KUMKM Kabupaten Contoh");
    expect(pdf.flat).toContain("0000 000000");
    expect(pdf.flat).not.toContain("PEMERINTAH KABUPATEN GIANYAR");
  });

  it("never splits the signature block, wherever the text before it ends", async () => {
    let movedWhole = 0;
    for (let extra = 0; extra <= 45; extra += 3) {
      const recommendations = Array.from({ length: extra + 1 }, (_, i) => `${i + 1}. Rekomendasi tindak lanjut nomor ${i + 1}.`).join("\n");
      const pdf = await readPdfText(await renderFinalReportPdf(finalReportData({ recommendations }), { lang: "id" }));
      const pageOf = (needle: string) => pdf.pages.findIndex((p) => flatten(p).includes(needle));
      const block = ["Gianyar, 28 November 2026", "Pengguna Jasa,", "Mengetahui,", "Drs. I Wayan Suardana, M.Si.", "NIP. 19700412 199503 1 004"].map(pageOf);
      expect(new Set(block).size, `extra=${extra}`).toBe(1);
      expect(block[0]).toBe(pdf.numPages - 1);
      if (pageOf("Demikian Berita Acara Pemeriksaan") < (block[0] ?? 0)) movedWhole++;
    }
    // At least one layout pushed the whole block to a new page.
    expect(movedWhole).toBeGreaterThan(0);
  });

  it("rejects an unknown time zone", async () => {
    await expect(renderFinalReportPdf(finalReportData(), { lang: "id", timeZone: "Mars/Olympus" })).rejects.toThrow(/time zone/);
  });

  it("accepts ISO strings for dates and rejects incomplete data", async () => {
    const json = JSON.parse(JSON.stringify(finalReportData())) as unknown;
    const parsed = ZFinalReportData.parse(json);
    expect(parsed.date).toBeInstanceOf(Date);
    expect(parsed.case.createdAt.getTime()).toBe(wita("2026-11-02T09:15").getTime());
    const broken = { ...finalReportData(), case: undefined } as unknown as FinalReportData;
    await expect(renderFinalReportPdf(broken, { lang: "id" })).rejects.toThrow();
  });
});
