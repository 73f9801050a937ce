/**
 * The consultation as a conversation across channels (issue 14, item 8): a client in the web chat
 * in a real headless Chromium writes to their consultant (a text, then a photo chosen with the
 * page's file button); the consultant, on Telegram (real grammY long polling against the loopback
 * Bot API), receives both and answers with Telegram's "reply"; the answer appears in the browser.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createInvite } from "../../src/domain/staff/invites.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService } from "../../src/service.js";
import { createEmptyDatabase } from "../support/db.js";
import { FakeTelegramServer } from "../support/fake-telegram-server.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const CONSULTANT = 8201;
const REG = "PLUT-GIA-2026-000980";

let tg: FakeTelegramServer;
let service: RunningService;
let context: BrowserContext;
let drop: () => Promise<void>;
let dataDir: string;
let profileDir: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  tg = await FakeTelegramServer.start({ maxLongPollMs: 50 });
  const db = await createEmptyDatabase();
  drop = db.drop;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-web-relay-"));
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-web-relay-chromium-"));
  const config = loadConfig(
    { DATABASE_URL: db.url, DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: "0", TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, LOG_LEVEL: "silent", CONVERSATIONS_DIR: "conversations" },
    "/nonexistent",
  );
  service = await startService(config, createLogger({ level: "silent" }), { paceOverride: { telegram: { perChatPerSecond: 1000, globalPerSecond: 1000 } } });
  const { code } = await service.database.db.$transaction((tx) => createInvite(tx, { role: "consultant", name: "I Wayan Keuangan", areas: ["pembiayaan"], createdById: null, now: new Date() }));
  tg.pushUpdate(tg.textFrom(CONSULTANT, code));
  await tg.waitFor(() => tg.sentTo(CONSULTANT).length > 0, "the consultant's welcome", 30_000);
  context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 390, height: 844 }, locale: "id-ID" });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await service?.stop();
  await tg?.close();
  await drop?.();
  for (const d of [dataDir, profileDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe("web chat client and Telegram consultant", () => {
  it("a text and a photo from the browser reach the consultant; the consultant's Telegram reply appears in the browser", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    expect((await page.goto(`${service.url}/chat`))?.status()).toBe(200);
    await page.getByRole("button", { name: "Mulai percakapan" }).click();
    await page.locator("#list > li.msg.assistant").first().waitFor({ timeout: 20_000 });

    // This browser's person becomes a registered client whose case is with the consultant (the
    // registration itself is covered by web-chat.test.ts).
    const cookie = (await context.cookies()).find((c) => c.name === "plut_web")!;
    const personId = decodeURIComponent(cookie.value).split(".")[0]!;
    const db = service.database.db;
    const consultant = await db.staff.findFirstOrThrow({ where: { name: "I Wayan Keuangan" } });
    const client = await db.client.create({ data: { fullName: "Ni Made Sari Dewi", language: "id" } });
    await db.identity.upsert({
      where: { channel_address: { channel: "web", address: personId } },
      create: { channel: "web", address: personId, clientId: client.id, language: "id", consentedAt: new Date() },
      update: { clientId: client.id, consentedAt: new Date() },
    });
    await db.consultationCase.create({ data: { regNumber: REG, clientId: client.id, status: "in_consultation", step: 4, consultantId: consultant.id, areaCode: "pembiayaan", channel: "web" } });

    const input = page.getByLabel("Tulis pesan");
    await input.fill("Pak, bagaimana cara mengajukan KUR mikro?");
    await input.press("Enter");
    await tg.waitFor(() => tg.sentTo(CONSULTANT).some((m) => (m.text ?? "").includes("cara mengajukan KUR mikro")), "the relayed text", 30_000);
    await page.locator("#list > li.msg.assistant").filter({ hasText: "I Wayan Keuangan" }).first().waitFor({ timeout: 20_000 });

    const jpeg = Buffer.from(
      (await page.evaluate(() => {
        const c = document.createElement("canvas");
        c.width = 240;
        c.height = 160;
        const g = c.getContext("2d")!;
        g.fillStyle = "#f5e3cf";
        g.fillRect(0, 0, 240, 160);
        g.fillStyle = "#321";
        g.fillText("NOTA PENJUALAN", 20, 40);
        return c.toDataURL("image/jpeg", 0.8);
      })).split(",")[1]!,
      "base64",
    );
    await page.locator("#file").setInputFiles({ name: "nota-penjualan.jpg", mimeType: "image/jpeg", buffer: jpeg });
    await tg.waitFor(() => tg.sentTo(CONSULTANT).some((m) => m.method === "sendDocument"), "the relayed photo", 30_000);
    const photo = tg.sentTo(CONSULTANT).find((m) => m.method === "sendDocument")!;
    expect(photo.document?.bytes.equals(jpeg)).toBe(true);
    expect(photo.caption).toBe(REG);
    const doc = await db.document.findFirstOrThrow({ where: { caseId: { not: null }, type: "relay" } });
    expect([doc.mimeType, doc.size, doc.encrypted]).toEqual(["image/jpeg", jpeg.length, true]);

    // The consultant answers with Telegram's reply on the relayed text; it appears in the browser.
    const relayed = tg.sentTo(CONSULTANT).filter((m) => (m.text ?? "").includes("cara mengajukan KUR mikro")).at(-1)!;
    tg.pushUpdate(tg.messageFrom(CONSULTANT, { text: "Siapkan NIB dan catatan penjualan 3 bulan, Bu.", reply_to_message: { message_id: relayed.message_id } }));
    const answer = page.locator("#list > li.msg.assistant").filter({ hasText: "Siapkan NIB dan catatan penjualan 3 bulan" });
    await answer.first().waitFor({ timeout: 30_000 });
    expect(await answer.first().innerText()).toContain("I Wayan Keuangan");
    await tg.waitFor(() => (tg.sentTo(CONSULTANT).at(-1)?.text ?? "").includes(REG), "the consultant's confirmation", 30_000);
    expect(await db.relayMessage.count({ where: { case: { regNumber: REG } } })).toBe(3);
    // Neither side learns the other's address.
    expect(tg.sentTo(CONSULTANT).map((m) => m.text ?? "").join("\n")).not.toContain(personId);
    expect(problems).toEqual([]);
  }, 180_000);
});
