/**
 * Names, not codes (issue 16 item 6): from the demo office's data, every case card (chat), the BAP and
 * the control card (PDFs, read back), the dashboard's case pages and every export (CSV, XLSX, the
 * report PDF) name kecamatan, desa, sectors, turnover bands, legal forms, services and areas; none
 * shows a region code, a text key or a band code.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/cli/seed-demo.js";
import { useAtRestKey } from "../../src/security/at-rest.js";
import { OfficeCalendar } from "../../src/domain/calendar/office-calendar.js";
import { caseCard } from "../../src/domain/workflow/case-card.js";
import { controlCardData, finalReportData } from "../../src/domain/workflow/closing.js";
import { renderControlCardPdf } from "../../src/documents/control-card-pdf.js";
import { renderFinalReportPdf } from "../../src/documents/final-report-pdf.js";
import { loadConversations } from "../../src/flows/load.js";
import { Translator, formatFullDate, formatFullDateTime } from "../../src/i18n/index.js";
import { FileStore } from "../../src/storage/file-store.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { readPdfText } from "../support/pdf-text.js";
import { dashboardApp, signIn, type DashboardHarness } from "../dashboard/helpers.js";
import { KEY, NOW, TZ } from "../reports/fixture.js";

const conversations = loadConversations("conversations");
const regions = conversations.regions!;
const texts = conversations.texts;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-names-"));
let db: TestDatabase;
let h: DashboardHarness;

/** Every code a reader must never see: region codes, the option codes of sectors, bands and forms. */
const REGION_CODES = new Set(regions.kecamatan.flatMap((k) => [k.code, ...k.desa.map((d) => d.code)]));
const OPTION_CODES = Object.keys(texts.id)
  .map((k) => /^opt\.(sector|turnover|legal)\.([a-z0-9_]+)$/.exec(k)?.[2])
  .filter((c): c is string => !!c && c.includes("_"));
const TEXT_KEY = /\b(?:sector|opt|area|service|status|step|legal|turnover|report|dash|wf|skm)\.[a-z0-9_]+/;

function rawCodesIn(text: string): string[] {
  const found: string[] = [];
  const s = text.replace(/PLUT-[A-Z]+-\d{4}-\d{6}/g, "");
  for (const m of s.matchAll(/\d+/g)) if (REGION_CODES.has(m[0])) found.push(m[0]);
  for (const c of OPTION_CODES) if (new RegExp(`\\b${c}\\b`).test(s)) found.push(c);
  const key = TEXT_KEY.exec(s);
  if (key) found.push(key[0]);
  return found;
}

async function xlsxText(buf: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => out.push(String(cell.text)))));
  return out.join("\n");
}

beforeAll(async () => {
  // The service registers its key at start; the demo data is sealed with KEY, so this process uses it too.
  useAtRestKey(KEY);
  db = await createTestDatabase();
  const calendar = new OfficeCalendar({ tz: TZ, quietStart: "21:00", quietEnd: "07:00", workingDays: [1, 2, 3, 4, 5, 6], workStart: "08:00", workEnd: "16:00", holidays: [] });
  await seedDemo(db.db, { now: NOW, seed: 11, key: KEY, files: new FileStore(dir, KEY), calendar, regions, tz: TZ, officeCode: "GIA" });
  h = await dashboardApp(db, { texts: () => texts, regions, calendar });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("names, not codes", () => {
  it("finds a raw code when there is one (the check itself works)", () => {
    expect(rawCodesIn("Kecamatan: 510401")).toEqual(["510401"]);
    expect(rawCodesIn("Usaha: Warung (sector.kuliner)")).toEqual(["sector.kuliner"]);
    expect(rawCodesIn("Omzet per Bulan: r25_100jt")).toEqual(["r25_100jt"]);
    expect(rawCodesIn("PLUT-GIA-2026-000123 · Ubud")).toEqual([]);
  });

  it("names everything on every case card, in Indonesian and in English", async () => {
    const cases = await db.db.consultationCase.findMany({ select: { id: true, regNumber: true } });
    expect(cases.length).toBeGreaterThan(50);
    const id = new Translator(texts, "id");
    const en = new Translator(texts, "en");
    let sectors = 0;
    for (const c of cases) {
      const card = await db.db.$transaction((tx) => caseCard(tx, c.id, regions));
      for (const tr of [id, en]) {
        const shown = card(tr);
        expect(rawCodesIn(shown), `${c.regNumber} (${tr.lang}):\n${shown}`).toEqual([]);
        if (/Usaha: .+ \(Kuliner|Business: .+ \(Food/.test(shown)) sectors++;
      }
    }
    expect(sectors).toBeGreaterThan(0);
  }, 120_000);

  it("names everything in the BAP and the control card (PDFs read back)", async () => {
    const cases = await db.db.consultationCase.findMany({ where: { step: { gte: 9 } }, take: 4, orderBy: { regNumber: "asc" }, include: { business: true } });
    expect(cases.length).toBeGreaterThan(0);
    const src = { tx: db.db as never, now: NOW, tr: new Translator(texts, "id"), regions };
    for (const c of cases) {
      const { data } = await finalReportData(src, c.id, { summary: "Ringkasan", results: "Hasil", recommendations: "Saran" }, "Konsultan");
      const bap = (await readPdfText(await renderFinalReportPdf(data, { lang: "id", timeZone: TZ }))).flat;
      expect(rawCodesIn(bap), bap).toEqual([]);
      expect(bap).toMatch(/Kecamatan : (Sukawati|Blahbatuh|Gianyar|Tampaksiring|Ubud|Tegallalang|Payangan|Luar Kabupaten Gianyar)/);
      if (c.business?.turnoverBand) expect(bap).toContain(`Omzet per Bulan : ${texts.id[`opt.turnover.${c.business.turnoverBand}`]}`);
      const card = (await readPdfText(await renderControlCardPdf(await controlCardData(src, c.id), { lang: "id", timeZone: TZ }))).flat;
      expect(rawCodesIn(card), card).toEqual([]);
    }
  }, 120_000);

  it("names everything on the dashboard's case pages and in every export", async () => {
    const admin = await db.db.staff.findFirstOrThrow({ where: { role: "admin" } });
    const { cookie } = await signIn(h, db, admin.id);
    const get = async (url: string) => {
      const res = await h.app.inject({ method: "GET", url, headers: { cookie } });
      expect(res.statusCode, url).toBe(200);
      return res;
    };
    const cases = await db.db.consultationCase.findMany({ take: 10, orderBy: { regNumber: "asc" }, select: { id: true } });
    for (const c of cases) {
      const page = (await get(`/staff/cases/${c.id}`)).body.replace(/<[^>]+>/g, " ");
      expect(rawCodesIn(page)).toEqual([]);
    }
    for (const url of ["/staff/cases.csv", "/staff/late.csv", "/staff/consultants.csv"]) expect(rawCodesIn((await get(url)).body), url).toEqual([]);
    for (const url of ["/staff/cases.xlsx", "/staff/late.xlsx", "/staff/consultants.xlsx", "/staff/report.xlsx", "/staff/report/kecamatan.xlsx", "/staff/report/sector.xlsx"]) {
      expect(rawCodesIn(await xlsxText((await get(url)).rawPayload)), url).toEqual([]);
    }
    const pdf = (await readPdfText((await get("/staff/report.pdf")).rawPayload)).flat;
    expect(rawCodesIn(pdf)).toEqual([]);

    // SKM is anonymous (item 7): a case page says only that the survey was filled.
    const surveyed = await db.db.satisfactionSurvey.findFirstOrThrow({ where: { comment: { not: null } } });
    const page = (await get(`/staff/cases/${surveyed.caseId}`)).body;
    expect(page).toContain("Klien sudah mengisi survei kepuasan");
    expect(page).not.toContain(surveyed.comment!);
    expect(page).not.toContain("Penanganan pengaduan, saran dan masukan");
  }, 120_000);
});

describe("dates people read", () => {
  it("are the long form with the weekday, times in WITA; English on request", () => {
    const at = new Date("2026-12-12T06:05:00Z");
    expect(formatFullDate(at, "id")).toBe("Sabtu, 12 Desember 2026");
    expect(formatFullDate("2026-12-12", "id")).toBe("Sabtu, 12 Desember 2026");
    expect(formatFullDate(at, "en")).toBe("Saturday, 12 December 2026");
    expect(formatFullDateTime(at, "id")).toBe("Sabtu, 12 Desember 2026, 14.05 WITA");
    // 23:30 UTC is already the next day in Bali.
    expect(formatFullDate(new Date("2026-12-11T23:30:00Z"), "id")).toBe("Sabtu, 12 Desember 2026");
  });
});
