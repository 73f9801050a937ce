/**
 * A whole registration with a KTP photo over Telegram: the real service with real grammY long
 * polling against the Bot API server on loopback, the outbox sender running as in production.
 * Then a 429 while sending: the message waits and goes once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService } from "../../src/service.js";
import { createEmptyDatabase } from "../support/db.js";
import { FakeTelegramServer } from "../support/fake-telegram-server.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { serviceSettled } from "../support/wait.js";

const USER = 7001;
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("telegram-ktp".repeat(200))]);

let tg: FakeTelegramServer;
let service: RunningService;
let drop: () => Promise<void>;
let dataDir: string;

const settled = (handled: number): Promise<void> => serviceSettled(service.database.db, handled);

beforeAll(async () => {
  tg = await FakeTelegramServer.start({ maxLongPollMs: 50 });
  const db = await createEmptyDatabase();
  drop = db.drop;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-tg-"));
  const config = loadConfig(
    { DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: "0", TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" },
    "/nonexistent",
  );
  service = await startService(config, createLogger({ level: "silent" }), {
    listen: false,
    // Telegram's 1 message/s per chat would make this test take a minute; the pacer has its own tests.
    paceOverride: { telegram: { perChatPerSecond: 1000, globalPerSecond: 1000 } },
  });
});

afterAll(async () => {
  await service?.stop();
  await tg?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("Telegram end to end", () => {
  it("completes a registration with a KTP photo, buttons answered as inline keyboards", async () => {
    let handled = 0;
    for (const step of REGISTRATION_SCRIPT) {
      if (step === "PHOTO") tg.pushUpdate(tg.photoFrom(USER, KTP));
      else if (step.startsWith("#")) tg.pushUpdate(tg.callbackFrom(USER, step.slice(1)));
      else tg.pushUpdate(tg.textFrom(USER, step));
      await settled(++handled);
    }
    const texts = tg.sentTo(USER).map((m) => m.text ?? "").join("\n");
    const reg = /PLUT-GIA-\d{4}-\d{6}/.exec(texts);
    expect(reg, texts.slice(-500)).not.toBeNull();
    // Choices went out as inline keyboards, and the taps were answered.
    expect(tg.sentTo(USER).some((m) => JSON.stringify(m.reply_markup ?? {}).includes("inline_keyboard"))).toBe(true);
    expect(tg.callsOf("answerCallbackQuery").length).toBeGreaterThan(0);

    const db = service.database.db;
    const c = await db.consultationCase.findUniqueOrThrow({ where: { regNumber: reg![0] }, include: { client: true } });
    expect(c.channel).toBe("telegram");
    const doc = await db.document.findFirstOrThrow({ where: { clientId: c.clientId, type: "ktp" } });
    expect(await service.files.get(doc.storageKey)).toEqual(KTP);
    const identity = await db.identity.findFirstOrThrow({ where: { channel: "telegram", address: String(USER) } });
    expect(identity.clientId).toBe(c.clientId);
  });

  it("shows each person the command menu of their role (setMyCommands per chat)", async () => {
    const forChat = (chat: number) =>
      tg.callsOf("setMyCommands").filter((c) => JSON.stringify(c.payload.scope ?? "").includes(String(chat)) && !c.failed);
    expect(JSON.stringify(forChat(USER).at(-1)?.payload.commands)).toContain('"status"');
    const ADMIN = 7002;
    const { createInvite } = await import("../../src/domain/staff/invites.js");
    const { code } = await service.database.db.$transaction((tx) => createInvite(tx, { role: "admin", name: "Admin Telegram", areas: [], createdById: null, now: new Date() }));
    const handled = await service.database.db.processedInbound.count();
    tg.pushUpdate(tg.textFrom(ADMIN, code));
    await settled(handled + 1);
    await tg.waitFor(() => forChat(ADMIN).some((c) => JSON.stringify(c.payload.commands).includes('"undang"')), "admin commands");
  });

  it("a redelivered update is handled once", async () => {
    const before = tg.sentTo(USER).length;
    const update = tg.textFrom(USER, "status");
    tg.pushUpdate(update);
    const handled = await service.database.db.processedInbound.count();
    await settled(handled + 1);
    tg.pushUpdate(update);
    await tg.waitForQueueDrained();
    await settled(handled + 1);
    const after = tg.sentTo(USER).slice(before);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((m) => (m.text ?? "").includes("PLUT-GIA")).length).toBe(1);
  });

  it("a 429 while sending makes the message wait and go once, never lost", async () => {
    tg.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    const before = tg.sentTo(USER).length;
    const handled = await service.database.db.processedInbound.count();
    tg.pushUpdate(tg.textFrom(USER, "menu"));
    await settled(handled + 1);
    const sent = tg.sentTo(USER).slice(before);
    expect(sent).toHaveLength(1);
    expect(tg.callsOf("sendMessage").some((c) => c.failed)).toBe(true);
    const row = await service.database.db.outboxMessage.findFirstOrThrow({ orderBy: { createdAt: "desc" }, where: { channel: "telegram" } });
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(2);
  });
});
