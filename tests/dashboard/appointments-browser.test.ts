/**
 * The dashboard's appointments page in a real headless Chromium: a consultant signs in by link,
 * sees the week's appointments by day (holidays and closed days marked), moves to the next week,
 * and sets the weekly availability on the form (hours outside office hours refused with the
 * reason, then saved); an admin sees every consultant's week.
 */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { readTextsDir } from "../../src/scheduler/texts.js";
import { dashboardApp, type DashboardHarness } from "./helpers.js";
import * as s from "../scheduler/support.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

let database: TestDatabase;
let h: DashboardHarness;
let browser: Browser;
let base: string;
let consultantId = "";
let adminId = "";

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  database = await createTestDatabase();
  const db = database.db;
  const cons = await s.staff(db, { role: "consultant", name: "Bu Komang" });
  const admin = await s.staff(db, { role: "admin", name: "Ni Luh Admin" });
  consultantId = cons.staff.id;
  adminId = admin.staff.id;
  const c = await s.client(db, { name: "Made Sukerta" });
  const kase = await s.consultationCase(db, { clientId: c.client.id, status: "in_consultation", step: 4, consultantId, regNumber: "PLUT-GIA-2026-000950" });
  const book = (local: string, mode: string, extra: { link?: string; place?: string } = {}) => {
    const at = s.wita(local);
    return db.appointment.create({ data: { caseId: kase.id, consultantId, startsAt: at, endsAt: new Date(at.getTime() + 3600_000), mode, heldStart: at, ...extra } });
  };
  await book("2026-11-24 09:00", "online", { link: "https://meet.example/abc" });
  await book("2026-11-26 14:00", "kunjungan", { place: "Jl. Raya Ubud No. 10" });
  await book("2026-12-01 10:00", "kantor");
  const texts = readTextsDir("conversations");
  h = await dashboardApp(database, { texts: () => texts, calendar: s.calendar() });
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await database?.destroy();
});

async function signedInPage(staffId: string) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "id-ID" });
  const page = await context.newPage();
  const link = await createLoginLink(database.db, staffId, h.clock.now(), base);
  await page.goto(link);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.waitForURL(`${base}/staff`);
  return { context, page };
}

describe("the appointments page in Chromium", () => {
  it("shows a consultant the week by day, the next week, and saves the weekly availability", async () => {
    const { context, page } = await signedInPage(consultantId);
    try {
      // The clock is Saturday 28 November 2026: the week of Monday 23 November.
      await page.getByRole("link", { name: "Janji temu" }).click();
      await page.waitForURL(`${base}/staff/appointments`);
      expect(await page.locator("h1").innerText()).toBe("Janji temu minggu Senin, 23 Nov");
      const rows = page.locator("#week tbody tr");
      expect(await rows.count()).toBe(7);
      expect(await page.locator('#week tr[data-date="2026-11-24"]').innerText()).toContain("09.00");
      expect(await page.locator('#week tr[data-date="2026-11-24"]').innerText()).toContain("https://meet.example/abc");
      const thursday = await page.locator('#week tr[data-date="2026-11-26"]').innerText();
      expect(thursday).toContain("14.00");
      expect(thursday).toContain("PLUT-GIA-2026-000950");
      expect(thursday).toContain("Kunjungan ke: Jl. Raya Ubud No. 10");
      expect(await page.locator('#week tr[data-date="2026-11-29"]').innerText()).toContain("kantor tutup");
      expect(await page.locator("#week").innerText()).not.toContain("10.00");
      await page.screenshot({ path: "/tmp/dashboard-appointments.png", fullPage: true });

      await page.locator("#next-week").click();
      await page.waitForURL(/week=2026-11-30$/);
      expect(await page.locator('#week tr[data-date="2026-12-01"]').innerText()).toContain("10.00");
      expect(await page.locator('#week tr[data-date="2026-12-24"]').count()).toBe(0);

      await page.goto(`${base}/staff/appointments?week=2026-12-24`);
      expect(await page.locator('#week tr[data-date="2026-12-25"]').innerText()).toContain("Hari Raya Natal");

      await page.fill('#availability input[name="text"]', "senin 07-09");
      await page.getByRole("button", { name: "Simpan jadwal" }).click();
      expect(await page.locator("#availability-error").innerText()).toContain("jam kantor, 08:00–16:00");
      expect(await database.db.consultantAvailability.count()).toBe(0);

      await page.fill('#availability input[name="text"]', "selasa 09-12, kamis 13-15");
      await page.getByRole("button", { name: "Simpan jadwal" }).click();
      await page.waitForURL(`${base}/staff/appointments?saved=1`);
      const saved = await page.locator("#availability").innerText();
      expect(saved).toContain("Jadwal mingguan disimpan");
      expect(saved).toContain("Selasa 09.00–12.00, Kamis 13.00–15.00");
      expect(await page.locator('#availability input[name="text"]').inputValue()).toBe("selasa 09-12, kamis 13-15");
      expect(await database.db.consultantAvailability.count({ where: { staffId: consultantId } })).toBe(2);
    } finally {
      await context.close();
    }
  });

  it("shows an admin every consultant's appointments and weekly availability, without the form", async () => {
    const { context, page } = await signedInPage(adminId);
    try {
      await page.goto(`${base}/staff/appointments`);
      expect(await page.locator('#week tr[data-date="2026-11-26"]').innerText()).toContain("Bu Komang");
      expect(await page.locator("body").innerText()).toContain("Bu Komang: Selasa 09.00–12.00, Kamis 13.00–15.00");
      expect(await page.locator("#availability").count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
