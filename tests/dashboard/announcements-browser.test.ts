/**
 * The announcement pages in a real headless Chromium: an admin signs in by link, composes an
 * announcement with a PDF and an audience (kuliner in Ubud), sees the refusal for an audience of
 * nobody, then the count per channel, confirms, and lands on the progress page, which refreshes
 * itself (a meta refresh: the dashboard runs no script) until the reminder sweep and the outbox
 * sender, through the stand-in Telegram with Telegram's limits, have sent it.
 */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { progress } from "../../src/domain/announcements/announcements.js";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { OutboxSender } from "../../src/outbox/sender.js";
import { readTextsDir } from "../../src/scheduler/texts.js";
import { useAtRestKey } from "../../src/security/at-rest.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { waitForChange } from "../support/wait.js";
import { StandInTelegram } from "../outbox/stand-in-telegram.js";
import { KEY } from "../reports/fixture.js";
import * as s from "../scheduler/support.js";
import { dashboardApp, type DashboardHarness } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

let database: TestDatabase;
let h: DashboardHarness;
let browser: Browser;
let base: string;
let adminId = "";
const chats: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  useAtRestKey(KEY);
  database = await createTestDatabase();
  const db = database.db;
  adminId = (await s.staff(db, { role: "admin", name: "Ni Luh Admin" })).staff.id;
  const person = async (name: string, sector: string, kecamatan: string, channel = "telegram") => {
    const c = await s.client(db, { name, channel });
    await db.client.update({ where: { id: c.client.id }, data: { kecamatan } });
    await db.business.create({ data: { clientId: c.client.id, name: `Usaha ${name}`, sector, products: "-", legalForm: "perorangan" } });
    return c.identity.address;
  };
  chats.push(await person("Made Sukerta", "kuliner", "510405"));
  chats.push(await person("Ketut Ayu", "kuliner", "510405"));
  await person("Wayan Sari", "kuliner", "510403");
  await person("Nyoman Adi", "kerajinan", "510405");
  const texts = readTextsDir("conversations");
  h = await dashboardApp(database, { texts: () => texts });
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await database?.destroy();
});

describe("an announcement in Chromium", () => {
  it("compose, count, confirm, and the progress page follows the sending", { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "id-ID" });
    const page = await context.newPage();
    try {
      await page.goto(await createLoginLink(database.db, adminId, h.clock.now(), base));
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.waitForURL(`${base}/staff`);
      await page.getByRole("link", { name: "Pengumuman" }).click();
      await page.waitForURL(`${base}/staff/announcements`);
      await page.locator("#announcement-new").click();
      await page.waitForURL(`${base}/staff/announcements/new`);

      await page.getByLabel("Judul").fill("Pelatihan foto produk");
      await page.getByLabel("Isi pengumuman").fill("Halo! Ada pelatihan foto produk untuk UMKM kuliner di Ubud. Gratis.");
      await page.locator('input[name="attachment"]').setInputFiles({ name: "undangan.pdf", mimeType: "application/pdf", buffer: PDF });
      // An audience of nobody first: refused with the reason, the form kept.
      await page.locator("#f-sectors").getByLabel("Pariwisata / akomodasi").check();
      await page.locator("#announcement-count").click();
      expect(await page.locator("#announcement-error").innerText()).toContain("Tidak ada penerima yang cocok");
      expect(await page.getByLabel("Judul").inputValue()).toBe("Pelatihan foto produk");

      await page.locator("#f-sectors").getByLabel("Pariwisata / akomodasi").uncheck();
      await page.locator("#f-sectors").getByLabel("Kuliner (makanan & minuman)").check();
      await page.locator("#f-kecamatan").getByLabel("Ubud").check();
      await page.locator('input[name="attachment"]').setInputFiles({ name: "undangan.pdf", mimeType: "application/pdf", buffer: PDF });
      await page.locator("#announcement-count").click();
      await page.waitForURL(/\/staff\/announcements\/[a-z0-9]+$/);
      expect(await page.locator("#audience-total").innerText()).toBe("Pengumuman ini akan dikirim ke 2 orang.");
      expect(await page.locator('#audience-channels tr[data-channel="telegram"]').innerText()).toContain("2");
      expect(await page.locator("#audience-lines").innerText()).toContain("Kecamatan: Ubud");
      expect(await database.db.reminder.count()).toBe(0);
      await page.screenshot({ path: "/tmp/dashboard-announcement-check.png", fullPage: true });

      await page.locator("#announcement-confirm").click();
      await page.waitForSelector("#progress");
      expect(await page.locator("#p-recipients .n").innerText()).toBe("2");
      expect(await page.locator("#p-pending .n").innerText()).toBe("2");
      expect(await page.locator('meta[http-equiv="refresh"]').getAttribute("content")).toBe("5");

      // The service's send path: the sweep writes the bulk outbox rows, the sender sends them at Telegram's pace.
      const channel = new StandInTelegram(h.clock);
      const sender = new OutboxSender({ db: database.db, provider: database.provider, ...(database.sqlite ? { sqlite: database.sqlite } : {}), channels: { telegram: channel }, readFile: (k) => h.files.get(k), clock: h.clock, logger: s.logger });
      await s.sweeper(database, { calendar: s.calendar({ quietStart: "00:00", quietEnd: "00:00" }), texts: () => readTextsDir("conversations") }).sweep(h.clock.now());
      sender.start(60_000);
      await waitForChange(channel.events, "sent", () => chats.every((c) => channel.countTo(c) === 1), "both clients sent the announcement", 20_000);
      try {
        // The page reloads by itself and shows the messages sent; with nothing left waiting it stops refreshing.
        await page.waitForFunction(() => document.querySelector("#p-sent .n")?.textContent === "2", undefined, { timeout: 20_000 });
      } finally {
        await sender.stop();
      }
      expect(channel.breaches).toEqual([]);
      const id = /\/staff\/announcements\/([a-z0-9]+)$/.exec(page.url())![1]!;
      expect(await progress(database.db, id)).toMatchObject({ recipients: 2, sent: 2, pending: 0 });
      expect(await page.locator("#p-pending .n").innerText()).toBe("0");
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      await page.screenshot({ path: "/tmp/dashboard-announcement-progress.png", fullPage: true });
    } finally {
      await context.close();
    }
  });
});
