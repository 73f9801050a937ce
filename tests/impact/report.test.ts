/**
 * The impact section of the head's report (issue 18 item 2) over follow-ups with known answers:
 * counts, response rate, turnover up / same / down, workers before and after, financing, licences,
 * per area and consultant; then the same numbers in the real PDF, the XLSX and the chat summary.
 * Runs on SQLite and PostgreSQL (createTestDatabase follows TEST_POSTGRES_URL).
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeImpact } from "../../src/domain/reports/impact.js";
import { computeOfficeReport } from "../../src/domain/reports/office-report.js";
import { renderReportMessage } from "../../src/domain/reports/chat.js";
import { parsePeriod, type Period } from "../../src/domain/reports/period.js";
import { renderOfficeReportPdf, renderOfficeReportXlsx } from "../../src/documents/office-report.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { flatten, readPdfText } from "../support/pdf-text.js";
import { loadConversations } from "../../src/flows/load.js";
import { Translator } from "../../src/i18n/index.js";
import { NOW, TZ, seedKnownOffice, type KnownOffice } from "../reports/fixture.js";

/** Every text of conversations/, as the service has them (the report names licences and areas). */
const texts = loadConversations("conversations").texts;
const translator = () => new Translator(texts, "id");

let database: TestDatabase;
let office: KnownOffice;
let november: Period;

beforeAll(async () => {
  database = await createTestDatabase();
  office = await seedKnownOffice(database.db);
  const p = parsePeriod("november 2026", NOW, TZ);
  if (!p.ok) throw new Error("period");
  november = p.period;
  const db = database.db;
  const row = (caseId: string, clientId: string, wave: number, due: string, before: [string, number], answer?: { band: string; workers: number; financing?: number; markets?: boolean; licences?: string[] }) =>
    db.impactFollowup.create({
      data: {
        caseId, clientId, wave, dueAt: new Date(due), turnoverBefore: before[0], workersBefore: before[1],
        status: answer ? "answered" : "asked", askedAt: new Date(due), askedCount: 1,
        ...(answer
          ? {
              answeredAt: new Date(due), channel: "telegram", turnoverBand: answer.band, workers: answer.workers,
              financingObtained: answer.financing !== undefined, financingAmount: answer.financing !== undefined ? BigInt(answer.financing) : null,
              newMarkets: answer.markets ?? false, licencesJson: JSON.stringify(answer.licences ?? []),
            }
          : {}),
      },
    });
  const { c1, c3, c7 } = office.cases;
  const { k1, k2, k6 } = office.clients;
  // Case 1: pemasaran (Made Pemasaran); cases 3 and 7: pembiayaan (Nyoman Pembiayaan).
  await row(c1, k1, 3, "2026-11-05T01:00:00Z", ["r5_25jt", 3], { band: "r25_100jt", workers: 5, financing: 25_000_000, markets: true, licences: ["nib", "halal"] });
  await row(c3, k2, 3, "2026-11-10T01:00:00Z", ["r25_100jt", 2], { band: "r25_100jt", workers: 2, financing: 10_000_000 });
  await row(c7, k6, 6, "2026-11-15T01:00:00Z", ["r100_167jt", 4], { band: "r25_100jt", workers: 6, licences: ["pirt"] });
  await row(c1, k1, 6, "2026-11-20T01:00:00Z", ["r5_25jt", 3]); // asked, not answered
  await row(c3, k2, 6, "2026-11-29T01:00:00Z", ["r25_100jt", 2]); // due after the report is made: not counted
  await row(c7, k6, 3, "2026-10-20T01:00:00Z", ["r100_167jt", 4], { band: "gt_1250jt", workers: 50 }); // October: not counted
});
afterAll(async () => database.destroy());

describe("impact section over follow-ups with known answers (November 2026)", () => {
  it("counts due, answered, turnover direction, workers, financing, licences and new markets", async () => {
    const s = await computeImpact(database.db, november, { now: NOW, t: translator() });
    expect(s.total).toEqual({
      label: "Jumlah", due: 4, answered: 3, turnoverUp: 1, turnoverSame: 1, turnoverDown: 1,
      workersChange: 4, financed: 2, financingAmount: 35_000_000, licences: 2, newMarkets: 1,
    });
    expect(s.responseRate).toBe(0.75);
    expect([s.workersBefore, s.workersAfter]).toEqual([9, 13]);
    expect(s.licencesByKind.map((l) => [l.label, l.count])).toEqual([["NIB", 1], ["PIRT", 1], ["Sertifikat halal", 1]]);
  });

  it("breaks the answers down by the case's area and consultant", async () => {
    const s = await computeImpact(database.db, november, { now: NOW, t: translator() });
    const pick = (r: (typeof s.byArea)[number]) => [r.label, r.due, r.answered, r.turnoverUp, r.workersChange, r.financed, r.financingAmount];
    expect(s.byArea.map(pick)).toEqual([
      ["Pemasaran", 2, 1, 1, 2, 1, 25_000_000],
      ["Pembiayaan", 2, 2, 0, 2, 1, 10_000_000],
    ]);
    expect(s.byConsultant.map(pick)).toEqual([
      ["Made Pemasaran", 2, 1, 1, 2, 1, 25_000_000],
      ["Nyoman Pembiayaan", 2, 2, 0, 2, 1, 10_000_000],
    ]);
    const own = await computeImpact(database.db, november, { now: NOW, t: translator(), consultantId: office.staff.c2 });
    expect([own.total.due, own.total.answered]).toEqual([2, 2]);
  });

  it("prints the section in the head's PDF and XLSX and sums it up in chat", async () => {
    const report = await computeOfficeReport(database.db, november, TZ, { t: translator(), generatedAt: NOW });
    const pdf = flatten((await readPdfText(await renderOfficeReportPdf(report, { lang: "id", timeZone: TZ }))).flat);
    expect(pdf).toContain("DAMPAK SETELAH KONSULTASI");
    expect(pdf).toMatch(/Tindak lanjut jatuh tempo 4 Dijawab 3 Tingkat tanggapan 75,0\s?%/);
    expect(pdf).toMatch(/Jumlah pembiayaan \(Rp\) 35\.000\.000/);
    expect(pdf).toMatch(/Nyoman Pembiayaan 2 2 0 \+2 1 10\.000\.000/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderOfficeReportXlsx(report, { lang: "id", timeZone: TZ })) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("Dampak")!;
    expect(sheet.getRow(2).values).toEqual([undefined, "", "Jumlah", 4, 3, 1, 1, 1, 4, 2, 35_000_000, 2, 1]);
    expect(renderReportMessage(report, translator())).toContain("Dampak (tindak lanjut 3/6 bulan): 3 dari 4 menjawab; omzet naik 1; pekerja +4; mendapat pembiayaan 2.");
  });
});
