/**
 * An announcement in the web chat, in real headless Chromium: a client who opened /chat receives
 * the announcement the admin confirmed (sent by the reminder sweep through the outbox, as in
 * production), taps "Ikut" on the page and is signed up; "Batal ikut" gives the place back and the
 * first on the waiting list moves up.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext } from "playwright-core";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService } from "../../src/service.js";
import { FixedClock } from "../../src/shared/clock.js";
import { JOB_IDS } from "../../src/scheduler/jobs.js";
import { confirmAndSend, createDraft, rsvp } from "../../src/domain/announcements/index.js";
import { loadConversations } from "../../src/flows/load.js";
import { createEmptyDatabase } from "../support/db.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const texts = loadConversations("conversations").texts.id;
const silent = createLogger({ level: "silent" });

describe("an announcement in the web chat, in a real browser", () => {
  let service: Awaited<ReturnType<typeof startService>>;
  let context: BrowserContext;
  let dropDb: () => Promise<void>;
  const clock = new FixedClock("2026-11-23T02:00:00.000Z"); // Monday 10:00 WITA
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-e2e-ann-"));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-e2e-ann-chromium-"));

  beforeAll(async () => {
    const db = await createEmptyDatabase();
    dropDb = db.drop;
    const config = loadConfig(
      { NODE_ENV: "test", DATABASE_URL: db.url, DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "silent", SCHEDULER_ENABLED: "false", CONVERSATIONS_DIR: "conversations" },
      "/nonexistent",
    );
    service = await startService(config, silent, { clock });
    // The sender runs as in production; the sweep is run by the test, on its clock.
    service.sender.start();
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 390, height: 844 }, locale: "id-ID" });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await service?.stop();
    await dropDb?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it("is received on the page and answered with Ikut, then Batal ikut moves the waiting list up", async () => {
    const db = service.database.db;
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

    expect((await page.goto(`${service.url}/chat`))?.status()).toBe(200);
    await page.getByRole("button", { name: texts["web.start_button"]! }).click();
    await page.locator("li.msg.assistant").first().waitFor();
    // The browser's identity, registered as a client (the registration itself has its own e2e test).
    const web = await db.identity.findFirstOrThrow({ where: { channel: "web" } });
    const me = await db.client.create({ data: { fullName: "Ni Made Sari Dewi", kecamatan: "510405" } });
    await db.identity.update({ where: { id: web.id }, data: { clientId: me.id, consentedAt: clock.now() } });
    const other = await db.client.create({ data: { fullName: "Wayan Oka" } });
    await db.identity.create({ data: { channel: "telegram", address: "77001", clientId: other.id } });
    const admin = await db.staff.create({ data: { name: "Ni Luh Admin", role: "admin" } });

    const { id } = await createDraft(db, {
      staffId: admin.id, title: "Pelatihan foto produk", text: "Pelatihan gratis memotret produk di aula PLUT.",
      rsvp: { quota: 1, closesAt: new Date("2026-11-26T09:00:00.000Z") }, filter: {}, now: clock.now(),
    });
    await confirmAndSend(db, id, admin.id, clock.now());
    await service.jobs.find((j) => j.id === JOB_IDS.sweep)!.run({ now: clock.now(), logger: silent });

    const announcement = page.locator("li.msg.assistant", { hasText: "Pelatihan gratis memotret produk" });
    await announcement.waitFor();
    await expect(announcement.textContent()).resolves.toContain("berhenti info");
    await announcement.getByRole("button", { name: "Ikut", exact: true }).click();
    const signedUp = page.locator("li.msg.assistant", { hasText: "Anda terdaftar ikut" });
    await signedUp.waitFor();
    expect(await db.announcementRecipient.findFirstOrThrow({ where: { announcementId: id, clientId: me.id } })).toMatchObject({ rsvp: "yes", channel: "web" });

    // Oka (Telegram) is on the waiting list; the browser gives the place back.
    await expect(rsvp(db, { announcementId: id, clientId: other.id, answer: "yes", now: clock.now() })).resolves.toMatchObject({ result: "waiting" });
    await signedUp.getByRole("button", { name: "Batal ikut" }).click();
    await page.locator("li.msg.assistant", { hasText: "dibatalkan" }).waitFor();
    expect(await db.announcementRecipient.findFirstOrThrow({ where: { announcementId: id, clientId: other.id } })).toMatchObject({ rsvp: "yes" });
    expect(problems).toEqual([]);
  }, 120_000);
});
