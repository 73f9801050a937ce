/**
 * An announcement over Telegram, through the doors people use: the real service with grammY long
 * polling against the Bot API server on loopback. The admin writes it in chat, chooses the audience
 * with buttons, sees the count per channel and confirms; the reminder sweep sends it (bulk lane);
 * clients answer with the inline buttons: the quota fills, the next waits, a cancellation moves them
 * up (and they are told), an answer after closing gets a polite no, "berhenti info" stops the next.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { createInvite } from "../../src/domain/staff/invites.js";
import { JOB_IDS } from "../../src/scheduler/jobs.js";
import { startService, type RunningService } from "../../src/service.js";
import { FixedClock } from "../../src/shared/clock.js";
import { createEmptyDatabase } from "../support/db.js";
import { FakeTelegramServer, type SentMessage } from "../support/fake-telegram-server.js";
import { telegramUpdateSettled, until } from "../support/wait.js";

const ADMIN = 9100;
const AYU = 9001;
const OKA = 9002;
const SARI = 9003;
const POSTER = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("poster-pelatihan".repeat(100))]);
const silent = createLogger({ level: (process.env.TEST_LOG as "silent" | undefined) ?? "silent" });

let tg: FakeTelegramServer;
let service: RunningService;
let clock: FixedClock;
let drop: () => Promise<void>;
let dataDir: string;

/**
 * Push one update and wait for the office's next message to that chat, and for everything the
 * update caused to be marked sent: the test's clock jumps between steps, and a row still out when it
 * jumps would look like a lease run out and go again.
 */
async function send(user: number, update: ReturnType<FakeTelegramServer["textFrom"]>): Promise<SentMessage> {
  const before = tg.sentTo(user).length;
  tg.pushUpdate(update);
  await tg.waitFor(() => tg.sentTo(user).length > before, `a reply to ${user}`);
  await telegramUpdateSettled(service.database.db, update.update_id);
  return tg.sentTo(user)[before]!;
}

/** Every message the sweep wrote is marked sent (before the clock jumps). */
const drained = () => until("the outbox drained", async () => (await service.database.db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0);

const say = (user: number, text: string) => send(user, tg.textFrom(user, text));
const tap = (user: number, data: string) => send(user, tg.callbackFrom(user, data));

function buttons(m: SentMessage): Array<{ text: string; data: string }> {
  const kb = (m.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined)?.inline_keyboard ?? [];
  return kb.flat().map((b) => ({ text: b.text, data: b.callback_data }));
}

function button(m: SentMessage, label: string | RegExp): string {
  const b = buttons(m).find((x) => (typeof label === "string" ? x.text === label : label.test(x.text)));
  if (!b) throw new Error(`no button ${String(label)} in: ${JSON.stringify(buttons(m))}\n${m.text}`);
  return b.data;
}

async function sweep(): Promise<void> {
  await service.jobs.find((j) => j.id === JOB_IDS.sweep)!.run({ now: clock.now(), logger: silent });
}

async function client(user: number, name: string, sector: string): Promise<string> {
  const db = service.database.db;
  const c = await db.client.create({ data: { fullName: name, kecamatan: "510401" } });
  await db.business.create({ data: { clientId: c.id, name: `Usaha ${name}`, sector, products: "-", legalForm: "perorangan" } });
  await db.identity.create({ data: { channel: "telegram", address: String(user), clientId: c.id, consentedAt: clock.now() } });
  return c.id;
}

beforeAll(async () => {
  tg = await FakeTelegramServer.start({ maxLongPollMs: 50 });
  const db = await createEmptyDatabase();
  drop = db.drop;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-tg-ann-"));
  const config = loadConfig(
    { DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: "0", TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, WEB_CHAT_ENABLED: "false", SCHEDULER_ENABLED: "false", LOG_LEVEL: "silent" },
    "/nonexistent",
  );
  clock = new FixedClock("2026-11-23T02:00:00.000Z"); // Monday 10:00 WITA
  service = await startService(config, silent, { clock, listen: false, paceOverride: { telegram: { perChatPerSecond: 1000, globalPerSecond: 1000 } } });
  // The sender runs as in production; the scheduler's jobs do not (the test runs the sweep itself, on its clock).
  service.sender.start();
  const { code } = await service.database.db.$transaction((tx) => createInvite(tx, { role: "admin", name: "Ni Luh Admin", areas: [], createdById: null, now: clock.now() }));
  await say(ADMIN, code);
  await client(AYU, "Wayan Ayu", "kuliner");
  await client(OKA, "Made Oka", "kuliner");
  await client(SARI, "Ketut Sari", "kerajinan");
});

afterAll(async () => {
  await service?.stop();
  await tg?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("an announcement over Telegram", () => {
  let announcementId = "";

  it("is written by the admin in chat, the audience chosen with buttons, counted per channel and confirmed", async () => {
    const draft = await say(ADMIN, "pengumuman Pelatihan foto produk\nPelatihan gratis memotret produk di aula PLUT.\nkuota: 1\ntutup: 26-11-2026 17:00\nacara: 27-11-2026 09:00");
    expect(draft.text).toContain("Draf pengumuman \"Pelatihan foto produk\" tersimpan");
    expect(draft.text).toContain("Penerima: semua klien");
    // A photo sent now is the announcement's attachment.
    const attached = await send(ADMIN, tg.photoFrom(ADMIN, POSTER));
    expect(attached.text).toContain("Lampiran ditambahkan ke pengumuman \"Pelatihan foto produk\"");
    const sectors = await tap(ADMIN, button(attached, "Sektor usaha"));
    const picked = await tap(ADMIN, button(sectors, /Kuliner/));
    expect(buttons(picked).map((b) => b.text)).toContain("✅ Kuliner (makanan & minuman)");
    const count = await tap(ADMIN, button(picked, "Lihat jumlah & kirim"));
    expect(count.text).toContain("2 orang akan menerimanya (Telegram 2)");
    // Nothing goes before the admin confirms.
    await sweep();
    expect(tg.sentTo(AYU)).toEqual([]);
    const sent = await tap(ADMIN, button(count, "Kirim ke 2 orang"));
    expect(sent.text).toContain("dikirim bertahap ke 2 orang");
    const a = await service.database.db.announcement.findFirstOrThrow();
    announcementId = a.id;
    expect(a.status).toBe("sending");
    // A second tap on "Kirim" sends nothing twice.
    const again = await tap(ADMIN, button(count, "Kirim ke 2 orang"));
    expect(again.text).toContain("sudah dikirim sebelumnya");
  });

  it("reaches the chosen clients with Ikut / Tidak bisa; the quota fills, then the waiting list moves up", async () => {
    await sweep();
    await tg.waitFor(() => tg.sentTo(AYU).length > 1 && tg.sentTo(OKA).length > 1, "the announcement");
    await drained();
    expect(tg.sentTo(SARI)).toEqual([]);
    // The poster first, as sent by the admin, then the text with the buttons.
    const [poster, msg] = tg.sentTo(AYU) as [SentMessage, SentMessage];
    expect(poster.method).toBe("sendDocument");
    expect(poster.document?.bytes).toEqual(POSTER);
    expect(msg.text).toContain("Pelatihan gratis memotret produk di aula PLUT.");
    expect(msg.text).toContain("berhenti info");
    expect(buttons(msg).map((b) => b.text)).toEqual(["Ikut", "Tidak bisa"]);

    clock.advance(60_000);
    const yes = await tap(AYU, button(msg, "Ikut"));
    expect(yes.text).toContain("Anda terdaftar ikut \"Pelatihan foto produk\"");
    clock.advance(60_000);
    const waiting = await tap(OKA, button(tg.sentTo(OKA)[1]!, "Ikut"));
    expect(waiting.text).toContain("daftar tunggu nomor 1");
    clock.advance(60_000);
    const cancelled = await tap(AYU, button(yes, "Batal ikut"));
    expect(cancelled.text).toContain("dibatalkan");
    // Oka moves up and is told (through the sweep, like every message the office starts).
    const before = tg.sentTo(OKA).length;
    await sweep();
    await tg.waitFor(() => tg.sentTo(OKA).length > before, "the promotion");
    await drained();
    expect(tg.sentTo(OKA).at(-1)!.text).toContain("Anda sekarang terdaftar ikut \"Pelatihan foto produk\"");
    const row = await service.database.db.announcementRecipient.findMany({ where: { announcementId }, orderBy: { rsvpAt: "asc" }, select: { rsvp: true, client: { select: { fullName: true } } } });
    expect(row.map((r) => [r.client.fullName, r.rsvp])).toEqual([["Made Oka", "yes"], ["Wayan Ayu", "no"]]);
  });

  it("answers a sign-up after the closing date with a polite no; berhenti info is a command", async () => {
    clock.set("2026-11-26T09:01:00.000Z"); // 26 November 17:01 WITA
    const late = await tap(AYU, button(tg.sentTo(AYU)[1]!, "Ikut"));
    expect(late.text).toContain("sudah ditutup");
    const stop = await say(SARI, "berhenti info");
    expect(stop.text).toContain("tidak akan menerima pengumuman");
    const c = await service.database.db.client.findFirstOrThrow({ where: { fullName: "Ketut Sari" } });
    expect(c.announcementsOn).toBe(false);
    expect(c.remindersOn).toBe(true);
    const back = await say(SARI, "mulai info");
    expect(back.text).toContain("menerima pengumuman");
  });
});
