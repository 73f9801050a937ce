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
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { cookieFrom, csrfFrom, form, tokenOf } from "../dashboard/helpers.js";

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

  it("an admin stops a sending: what has not gone is withdrawn, swept or not, and the list says so", async () => {
    const db = service.database.db;
    const compose = async (title: string, poster?: Buffer) => {
      const draft = await say(ADMIN, `pengumuman ${title}\nDaftar stan bazar UMKM di Lapangan Astina.`);
      const attached = poster ? await send(ADMIN, tg.photoFrom(ADMIN, poster)) : draft;
      const count = await tap(ADMIN, button(attached, "Lihat jumlah & kirim"));
      const sent = await tap(ADMIN, button(count, /^Kirim ke \d+ orang$/));
      expect(sent.text).toContain("dikirim bertahap");
      return sent;
    };
    const before = [AYU, OKA, SARI].map((u) => tg.sentTo(u).length);

    // Swept into the outbox, not gone yet: the sender is held back for the test, and only the
    // admin's replies (the live lane) are sent, by hand. With a poster: each client's poster and
    // text are two rows, and both are withdrawn.
    const BAZAR_POSTER = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("poster-bazar".repeat(100))]);
    const first = await compose("Bazar UMKM", BAZAR_POSTER);
    await service.sender.stop();
    await sweep();
    const tapHeld = async (data: string): Promise<SentMessage> => {
      const before = tg.sentTo(ADMIN).length;
      const update = tg.callbackFrom(ADMIN, data);
      tg.pushUpdate(update);
      await until(`update ${update.update_id} handled`, async () => (await db.processedInbound.count({ where: { channel: "telegram", messageId: String(update.update_id) } })) === 1);
      await service.sender.drainOnce("live");
      await tg.waitFor(() => tg.sentTo(ADMIN).length > before, "the admin's reply");
      return tg.sentTo(ADMIN)[before]!;
    };
    const bazar = await db.announcement.findFirstOrThrow({ where: { title: "Bazar UMKM" } });
    expect(await db.outboxMessage.count({ where: { status: "pending", onceOnly: true } })).toBe(6);
    const ask = await tapHeld(button(first, "Hentikan pengiriman"));
    expect(ask.text).toContain("Hentikan pengiriman \"Bazar UMKM\"? 3 orang belum menerimanya");
    const stopped = await tapHeld(button(ask, "Ya, hentikan"));
    expect(stopped.text).toContain("Pengiriman \"Bazar UMKM\" dihentikan: 3 orang tidak menerimanya.");
    expect(await db.outboxMessage.count({ where: { status: "pending", onceOnly: true } })).toBe(0);
    expect((await db.announcement.findUniqueOrThrow({ where: { id: bazar.id } })).status).toBe("cancelled");
    // A second tap stops nothing more.
    expect((await tapHeld(button(ask, "Ya, hentikan"))).text).toContain("tidak sedang dikirim");
    service.sender.start();

    // Not swept yet, stopped on the dashboard: its reminders go no further.
    await compose("Bazar UMKM 2");
    const bazar2 = await db.announcement.findFirstOrThrow({ where: { title: "Bazar UMKM 2" } });
    const admin = await db.staff.findFirstOrThrow({ where: { name: "Ni Luh Admin" } });
    const link = await createLoginLink(db, admin.id, clock.now(), "http://127.0.0.1:3000");
    const login = await service.app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link) }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" } });
    const cookie = cookieFrom(login.headers["set-cookie"]);
    const page = await service.app.inject({ method: "GET", url: `/staff/announcements/${bazar2.id}`, headers: { cookie } });
    expect(page.body).toContain('id="stop-form"');
    const post = (payload: Record<string, string>) =>
      service.app.inject({ method: "POST", url: `/staff/announcements/${bazar2.id}/stop`, payload: form(payload), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    // Without the tick that says what it means: refused by the form, nothing stops.
    expect((await post({ _csrf: csrfFrom(page.body) })).statusCode).toBe(400);
    const done = await post({ _csrf: csrfFrom(page.body), confirm: "yes" });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain("dihentikan: 3 orang tidak menerimanya.");
    expect(done.body).toMatch(/id="p-pending"><div class="n">0</);
    expect(done.body).not.toContain('id="stop-form"');
    expect(done.body).toMatch(/<span class="badge ">Dihentikan<\/span>/);
    await sweep();
    await drained();
    // Nobody got either (Oka's day-before reminder of the first event went meanwhile).
    const bazarTo = (u: number) => tg.sentTo(u).slice(before[[AYU, OKA, SARI].indexOf(u)]).filter((m) => (m.text ?? m.caption ?? "").includes("Bazar"));
    expect([AYU, OKA, SARI].map((u) => bazarTo(u).length)).toEqual([0, 0, 0]);
    const posterTo = (u: number) => tg.sentTo(u).filter((m) => m.document?.bytes.equals(BAZAR_POSTER));
    expect([AYU, OKA, SARI].map((u) => posterTo(u).length)).toEqual([0, 0, 0]);
    const audits = await db.auditLog.findMany({ where: { action: "announcement.stop" } });
    expect(audits).toHaveLength(2);
    const list = await say(ADMIN, "pengumuman");
    expect(list.text).toContain("• Bazar UMKM — dihentikan; terkirim 0 dari 3");
    expect(list.text).toContain("• Bazar UMKM 2 — dihentikan; terkirim 0 dari 3");
  });
});
