/**
 * The dashboard in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
 * sign in by link, open the overview and a case, export a CSV and read its rows; without a session
 * or with a wrong CSRF token the server refuses. The pages' Content-Security-Policy lets their own
 * stylesheet apply (Chromium reports anything it refuses on the console). Screenshots of the overview go to /tmp
 * (dashboard.png on a 390x844 phone, dashboard-desktop.png at 1280x900) for a person to look at.
 */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { seedKnownOffice, type KnownOffice } from "../reports/fixture.js";
import { dashboardApp, type DashboardHarness } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

let database: TestDatabase;
let office: KnownOffice;
let h: DashboardHarness;
let browser: Browser;
let base: string;
/** What Chromium refused by the Content-Security-Policy (it says so on the console), per test. */
let refusedByCsp: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  database = await createTestDatabase();
  office = await seedKnownOffice(database.db);
  h = await dashboardApp(database);
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await database?.destroy();
});

async function signedInPage(viewport: { width: number; height: number }, mobile: boolean) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: mobile ? 2 : 1, isMobile: mobile, hasTouch: mobile, acceptDownloads: true, locale: "id-ID" });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && m.text().includes("Content Security Policy")) refusedByCsp.push(m.text());
  });
  const link = await createLoginLink(database.db, office.staff.admin, h.clock.now(), base);
  await page.goto(link);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.waitForURL(`${base}/staff`);
  return { context, page };
}

describe("the dashboard in Chromium", () => {
  it("signs in by link, shows the overview (phone and desktop), a case, and exports a CSV", async () => {
    refusedByCsp = [];
    const { context, page } = await signedInPage({ width: 390, height: 844 }, true);
    try {
      await page.goto(`${base}/staff?periode=november+2026`);
      expect(await page.locator("h1").innerText()).toBe("Ringkasan layanan");
      // The inline stylesheet applied (the CSP allows it by its hash): the header has its colour.
      expect(await page.locator("header.top").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(11, 110, 79)");
      expect(await page.locator(".stat .n").first().innerText()).toBe("5");
      // Nothing overflows the phone's width.
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: "/tmp/dashboard.png", fullPage: true });

      // A case: the timeline of SOP steps against the standard.
      await page.goto(`${base}/staff/cases`);
      await page.getByRole("link", { name: "PLUT-GIA-2026-000003" }).click();
      await page.waitForURL(new RegExp(`/staff/cases/${office.cases.c3}$`));
      const timeline = page.locator("#timeline tbody tr");
      expect(await timeline.count()).toBe(11);
      expect(await timeline.nth(3).innerText()).toContain("melewati standar");
      expect(await timeline.nth(5).innerText()).toContain("menunggu pengguna jasa");

      // Export the filtered list as CSV.
      await page.goto(`${base}/staff/cases?status=closed`);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Unduh CSV" }).click()]);
      expect(download.suggestedFilename()).toBe("kasus-2026-11-28.csv");
      const text = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
      const rows = text.trimEnd().split("\r\n").map((l) => l.split(","));
      expect(rows[0]![0]).toBe("No. registrasi");
      expect(rows.slice(1).map((r) => [r[0], r[1], r[6]])).toEqual([
        ["PLUT-GIA-2026-000003", "I Made Budi", "selesai"],
        ["PLUT-GIA-2026-000007", "Gede Santika", "selesai"],
      ]);
    } finally {
      await context.close();
    }

    const desktop = await signedInPage({ width: 1280, height: 900 }, false);
    try {
      await desktop.page.goto(`${base}/staff?periode=november+2026`);
      await desktop.page.screenshot({ path: "/tmp/dashboard-desktop.png", fullPage: true });
      await desktop.page.goto(`${base}/staff/cases/${office.cases.c3}`);
      await desktop.page.screenshot({ path: "/tmp/dashboard-case.png", fullPage: true });
    } finally {
      await desktop.context.close();
    }
    expect(refusedByCsp).toEqual([]);
  });

  it("without a session the browser lands on the sign-in help; a wrong CSRF token is refused", async () => {
    const anon = await browser.newContext();
    try {
      const page = await anon.newPage();
      const res = await page.goto(`${base}/staff/cases/${office.cases.c3}`);
      expect(page.url()).toBe(`${base}/staff/login`);
      expect(res?.status()).toBe(200);
      expect(await page.content()).toContain("Ketik /dashboard.");
      expect(await page.content()).not.toContain("PLUT-GIA-2026-000003");
    } finally {
      await anon.close();
    }

    const { context, page } = await signedInPage({ width: 1024, height: 768 }, false);
    try {
      await page.goto(`${base}/staff/team`);
      await page.fill('input[name="name"]', "Putu Percobaan");
      await page.selectOption('select[name="role"]', "admin");
      // A forged form: the hidden token is not the session's.
      await page.locator('form[action="/staff/team/invites"] input[name="_csrf"]').evaluate((el) => {
        (el as unknown as { value: string }).value = "forged";
      });
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/staff/team/invites")), page.getByRole("button", { name: "Buat kode undangan" }).click()]);
      expect(response.status()).toBe(403);
      expect(await page.content()).toContain("token keamanan tidak cocok");
      expect(await database.db.staffInvite.count({ where: { name: "Putu Percobaan" } })).toBe(0);

      // The real form works, and logging out ends the session.
      await page.goto(`${base}/staff/team`);
      await page.fill('input[name="name"]', "Putu Percobaan");
      await page.selectOption('select[name="role"]', "admin");
      await page.getByRole("button", { name: "Buat kode undangan" }).click();
      expect(await page.locator("#invite-code").innerText()).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      await page.getByRole("button", { name: "Keluar" }).click();
      await page.waitForURL(`${base}/staff/login?out=1`);
      await page.goto(`${base}/staff`);
      expect(page.url()).toBe(`${base}/staff/login`);
    } finally {
      await context.close();
    }
  });
});

describe("the staff page in Chromium", () => {
  it("ticks area checkboxes by tapping their names, and the invitation carries those areas", async () => {
    const { context, page } = await signedInPage({ width: 390, height: 844 }, true);
    try {
      await page.goto(`${base}/staff/team`);
      await page.getByLabel("Nama").fill("Ketut Konsultan Baru");
      const boxes = page.locator('input[type="checkbox"][name="areas"]');
      expect(await boxes.count()).toBeGreaterThan(1);
      // Tapping the area's name ticks its box; tapping again unticks it.
      const labels = page.locator("fieldset label");
      await labels.nth(0).click();
      expect(await boxes.nth(0).isChecked()).toBe(true);
      await labels.nth(1).click();
      expect(await boxes.nth(1).isChecked()).toBe(true);
      await labels.nth(1).click();
      expect(await boxes.nth(1).isChecked()).toBe(false);
      // The box is a real, visible checkbox of a normal size, not stretched into a text field.
      const box = await boxes.nth(0).boundingBox();
      expect(box!.width).toBeLessThan(40);
      expect(box!.height).toBeLessThan(40);
      const area = await boxes.nth(0).getAttribute("value");
      await page.getByRole("button", { name: "Buat kode undangan" }).click();
      await page.locator("#invite-code").waitFor();
      const invite = await database.db.staffInvite.findFirstOrThrow({ where: { name: "Ketut Konsultan Baru" } });
      expect(JSON.parse(invite.areasJson)).toEqual([area]);
    } finally {
      await context.close();
    }
  });
});
