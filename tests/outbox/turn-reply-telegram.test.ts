/**
 * What a person receives for one turn, through the real grammY channel against the Bot API on
 * loopback, at Telegram's real pace (no override): after "setuju" one message where there were four,
 * and at once, not a message a second.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService } from "../../src/service.js";
import { createEmptyDatabase } from "../support/db.js";
import { FakeTelegramServer } from "../support/fake-telegram-server.js";

const USER = 7101;
let tg: FakeTelegramServer;
let service: RunningService;
let drop: () => Promise<void>;
let dataDir: string;

beforeAll(async () => {
  tg = await FakeTelegramServer.start({ maxLongPollMs: 50 });
  const db = await createEmptyDatabase();
  drop = db.drop;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-turn-"));
  const config = loadConfig(
    { DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: "0", TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" },
    "/nonexistent",
  );
  service = await startService(config, createLogger({ level: "silent" }), { listen: false });
});

afterAll(async () => {
  await service?.stop();
  await tg?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Push one update and wait until its replies arrived and the outbox holds nothing more to send
 * (checked on each call the Bot API gets); returns what the person got and how long it took.
 */
async function turn(update: ReturnType<FakeTelegramServer["textFrom"]>): Promise<{ got: ReturnType<FakeTelegramServer["sentTo"]>; ms: number }> {
  const db = service.database.db;
  const before = tg.sentTo(USER).length;
  const t0 = performance.now();
  tg.pushUpdate(update);
  await tg.waitFor(() => tg.sentTo(USER).length > before, "the reply", 15_000);
  const ms = performance.now() - t0;
  while ((await db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) > 0) {
    const seen = tg.calls.length;
    await tg.waitFor(() => tg.calls.length > seen, "the rest of the outbox", 15_000);
  }
  return { got: tg.sentTo(USER).slice(before), ms };
}

it("after 'setuju' the person gets one message holding the four texts, the next question's buttons on it, at once", async () => {
  await turn(tg.textFrom(USER, "/start"));
  await turn(tg.callbackFrom(USER, "menu:registration"));
  const { got, ms } = await turn(tg.callbackFrom(USER, "agree"));
  expect(got).toHaveLength(1);
  const text = got[0]!.text ?? "";
  const parts = ["persetujuan Anda sudah kami catat", "Formulir Pendaftaran Layanan", "Bagian 1 dari 4", "nama lengkap"];
  const at = parts.map((p) => text.indexOf(p));
  expect(at.every((i) => i >= 0), text).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  // Telegram's pace was one message a second per chat: four messages took three seconds. One goes at
  // once; the bound is generous for a loaded machine, and still far below one second per message.
  expect(ms).toBeLessThan(1500);

  // The next answer, too: one message, at once.
  const next = await turn(tg.textFrom(USER, "Ni Made Ayu Lestari"));
  expect(next.got).toHaveLength(1);
  expect(next.ms).toBeLessThan(1500);
});
