import { beforeAll, describe, expect, it } from "vitest";
import { renderControlCardPdf, type ControlCardData } from "../../src/documents/control-card-pdf.js";
import { LABELS, contactKindLabel } from "../../src/documents/labels.js";
import { REG, controlCardData, wita } from "./fixtures.js";
import { flatten, readPdfText, type PdfText } from "../support/pdf-text.js";

describe("renderControlCardPdf (id, 40 lines)", () => {
  let data: ControlCardData;
  let pdf: PdfText;
  beforeAll(async () => {
    data = controlCardData(40);
    pdf = await readPdfText(await renderControlCardPdf(data, { lang: "id" }));
  });

  it("is landscape A4 over several pages", () => {
    expect(pdf.numPages).toBeGreaterThan(1);
    for (const s of pdf.sizes) {
      expect(Math.round(s.width)).toBe(842);
      expect(Math.round(s.height)).toBe(595);
    }
  });

  it("has the header: title, client, business, registration number, consultant", () => {
    const p1 = flatten(pdf.pages[0] ?? "");
    expect(p1).toContain("UPT PLUT-KUMKM KABUPATEN GIANYAR");
    expect(p1).toContain("KARTU KONTROL LAYANAN");
    expect(p1).toContain("Nama Pengguna Jasa : Ni Luh Putu Ayu Wulandari");
    expect(p1).toContain(`Nomor Registrasi : ${REG}`);
    expect(p1).toContain("Nama Usaha : Kopi Bubuk Sari Merta");
    expect(p1).toContain("Konsultan : I Made Sutama, S.E. (Pemasaran)");
  });

  it("prints every line, in order, with date and time in WITA", () => {
    const needles = data.entries.map((e) => `Kontak layanan ke-${e.no}:`);
    let from = 0;
    for (const n of needles) {
      const at = pdf.flat.indexOf(n, from);
      expect(at, n).toBeGreaterThanOrEqual(0);
      from = at + n.length;
    }
    // Line 1 is 09:15 WITA on 2 November; Indonesian clock times use a dot.
    expect(pdf.flat).toMatch(/1 2 Nov 2026, 09\.15 WITA Komang Ayu Pradnyani \(Administrasi\) Pendaftaran Kontak layanan ke-1:/);
    expect(data.entries).toHaveLength(40);
  });

  it("repeats the column header, with the paraf column, on every page", () => {
    for (const page of pdf.pages) {
      expect(flatten(page)).toMatch(/No\. Tanggal \/ Waktu Petugas Jenis Kontak Uraian Layanan Paraf/);
    }
  });

  it("numbers the pages and names the card in the footer", () => {
    pdf.pages.forEach((text, i) => {
      const flat = flatten(text);
      expect(flat).toContain(`Halaman ${i + 1} dari ${pdf.numPages}`);
      expect(flat).toContain(`Kartu Kontrol Layanan • Nomor Registrasi ${REG}`);
    });
  });

  it("drops emoji from typed text", () => {
    expect(pdf.flat).not.toMatch(/\p{Extended_Pictographic}/u);
    expect(pdf.flat).toContain("bersama pengguna jasa.");
  });
});

describe("renderControlCardPdf options", () => {
  it("uses English labels and the given time zone", async () => {
    const data = controlCardData(3);
    const pdf = await readPdfText(await renderControlCardPdf(data, { lang: "en", timeZone: "Asia/Jakarta" }));
    expect(pdf.flat).toContain("SERVICE CONTROL CARD");
    expect(pdf.flat).toMatch(/No\. Date \/ Time Staff Contact Type Service Summary Initials/);
    expect(pdf.flat).toContain("Client Name : Ni Luh Putu Ayu Wulandari");
    // 09:15 WITA is 08:15 WIB.
    expect(pdf.flat).toContain("2 Nov 2026, 08:15 WIB");
    expect(pdf.flat).toContain("Page 1 of 1");
  });

  it("sorts lines by number and shows '-' for a missing staff name", async () => {
    const data: ControlCardData = {
      ...controlCardData(0),
      entries: [
        { no: 2, at: wita("2026-11-03T10:00"), staffName: null, contactKind: contactKindLabel("monitoring", "id"), summary: "kedua" },
        { no: 1, at: wita("2026-11-02T09:00"), staffName: "Admin", contactKind: LABELS.id.controlCard.contactKinds.registration, summary: "pertama" },
      ],
      business: null,
    };
    const pdf = await readPdfText(await renderControlCardPdf(data, { lang: "id" }));
    expect(pdf.flat).toMatch(/1 2 Nov 2026, 09\.00 WITA Admin Pendaftaran pertama .*2 3 Nov 2026, 10\.00 WITA - Monitoring dan Evaluasi kedua/);
    expect(pdf.flat).toContain("Nama Usaha : -");
  });

  it("renders an empty card", async () => {
    const pdf = await readPdfText(await renderControlCardPdf(controlCardData(0), { lang: "id" }));
    expect(pdf.numPages).toBe(1);
    expect(pdf.flat).toContain("Paraf");
  });
});
