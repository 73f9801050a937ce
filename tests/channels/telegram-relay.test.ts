/**
 * The consultation as a conversation over Telegram (issue 14, item 2): two clients and their
 * consultant all on Telegram (real grammY long polling against the loopback Bot API). The clients
 * write at once; the consultant answers with Telegram's own "reply" on each relayed message, and
 * every answer reaches the client it replies to, never the other one.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { createInvite } from "../../src/domain/staff/invites.js";
import { startService, type RunningService } from "../../src/service.js";
import { createEmptyDatabase } from "../support/db.js";
import { FakeTelegramServer } from "../support/fake-telegram-server.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { telegramUpdateSettled } from "../support/wait.js";

const AYU = 8001;
const BUDI = 8002;
const ADMIN = 8100;
const CONSULTANT = 8101;
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("telegram-ktp".repeat(200))]);

let tg: FakeTelegramServer;
let service: RunningService;
let drop: () => Promise<void>;
let dataDir: string;

/** Push one update and wait until it is handled and everything it caused was sent. */
async function push(update: ReturnType<FakeTelegramServer["textFrom"]>): Promise<void> {
  tg.pushUpdate(update);
  await telegramUpdateSettled(service.database.db, update.update_id);
}

const texts = (chat: number) => tg.sentTo(chat).map((m) => m.text ?? m.caption ?? "");

async function register(user: number, name: string): Promise<{ id: string; reg: string }> {
  for (const step of REGISTRATION_SCRIPT) {
    if (step === "PHOTO") await push(tg.photoFrom(user, KTP));
    else if (step === "Ni Made Ayu Lestari") await push(tg.textFrom(user, name));
    else if (step.startsWith("#")) await push(tg.callbackFrom(user, step.slice(1)));
    else await push(tg.textFrom(user, step));
  }
  const reg = /PLUT-GIA-\d{4}-\d{6}/.exec(texts(user).join("\n"))?.[0];
  if (!reg) throw new Error(`no registration number for ${user}`);
  const c = await service.database.db.consultationCase.findUniqueOrThrow({ where: { regNumber: reg } });
  await push(tg.callbackFrom(ADMIN, `c:${c.id}:route:pembiayaan`));
  await push(tg.callbackFrom(CONSULTANT, `c:${c.id}:accept`));
  return { id: c.id, reg };
}

beforeAll(async () => {
  tg = await FakeTelegramServer.start({ maxLongPollMs: 50 });
  const db = await createEmptyDatabase();
  drop = db.drop;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-tg-relay-"));
  const config = loadConfig(
    { DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: "0", TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" },
    "/nonexistent",
  );
  service = await startService(config, createLogger({ level: "silent" }), {
    listen: false,
    paceOverride: { telegram: { perChatPerSecond: 1000, globalPerSecond: 1000 } },
  });
  for (const [user, role, name, areas] of [[ADMIN, "admin", "Ni Luh Admin", []], [CONSULTANT, "consultant", "I Wayan Keuangan", ["pembiayaan"]]] as const) {
    const { code } = await service.database.db.$transaction((tx) => createInvite(tx, { role, name, areas: [...areas], createdById: null, now: new Date() }));
    await push(tg.textFrom(user, code));
  }
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await tg?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("client and consultant on Telegram", () => {
  it("routes each Telegram reply of the consultant to the client of the message replied to", async () => {
    const ayu = await register(AYU, "Ni Made Ayu Lestari");
    const budi = await register(BUDI, "I Made Budi Santosa");

    await push(tg.textFrom(AYU, "Pak, stok bahan habis, bagaimana?"));
    expect(texts(AYU).at(-1)).toContain("I Wayan Keuangan");
    await push(tg.textFrom(BUDI, "Pak, saya mau tanya soal KUR."));
    await push(tg.textFrom(AYU, "Oh ya, juga soal harga."));
    const relayed = (needle: string) => tg.sentTo(CONSULTANT).filter((m) => (m.text ?? "").includes(needle)).at(-1)!.message_id;
    const ayuSeen = texts(AYU).length;
    const budiSeen = texts(BUDI).length;

    // Answered in the opposite order, with Telegram's reply.
    await push(tg.messageFrom(CONSULTANT, { text: "Untuk KUR siapkan NIB dan catatan 3 bulan.", reply_to_message: { message_id: relayed("soal KUR") } }));
    expect(texts(CONSULTANT).at(-1)).toContain(budi.reg);
    await push(tg.messageFrom(CONSULTANT, { text: "Catat dulu stok harian, Bu.", reply_to_message: { message_id: relayed("stok bahan habis") } }));
    await push(tg.messageFrom(CONSULTANT, { text: "Harga ikut pasar dulu.", reply_to_message: { message_id: relayed("soal harga") } }));
    expect(texts(CONSULTANT).at(-1)).toContain(ayu.reg);

    const toAyu = texts(AYU).slice(ayuSeen).join("\n");
    const toBudi = texts(BUDI).slice(budiSeen).join("\n");
    expect(toBudi).toContain("siapkan NIB");
    expect(toBudi).not.toMatch(/stok harian|ikut pasar/);
    expect(toAyu).toContain("stok harian");
    expect(toAyu).toContain("ikut pasar");
    expect(toAyu).not.toContain("siapkan NIB");
    // Neither side learns the other's Telegram id.
    expect(texts(AYU).join("\n")).not.toContain(String(CONSULTANT));
    expect(texts(CONSULTANT).join("\n")).not.toContain(String(AYU));
  }, 300_000);
});
