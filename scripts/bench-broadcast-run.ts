/**
 * The parts of `npm run bench:broadcast` (scripts/bench-broadcast.ts), shared with its fast test
 * (tests/outbox/broadcast-bench.test.ts):
 *
 * - `prepareBroadcast`: a migrated database with N registered clients (business sector, kecamatan,
 *   one Telegram identity each), every tenth opted out of announcements ("berhenti info"), an admin,
 *   and one announcement to all of them drafted and confirmed through the domain
 *   (src/domain/announcements); then some more clients opt out after the confirmation, before
 *   anything was sent.
 * - `runSending` (the sending process, scripts/bench-broadcast-child.ts): the service's own send
 *   path, the reminder Sweeper (which turns the announcement's reminders into bulk outbox rows) and
 *   the OutboxSender, into the stand-in Telegram of tests/outbox/stand-in-telegram.ts, which enforces
 *   Telegram's limits (optionally scaled) and fails any message over them with a 429 it counts.
 *   Each message the channel accepted is appended to a log file before the send returns, so a
 *   process killed with -9 leaves a true record of what was delivered.
 * - `readLog` / `verdict`: duplicates, sends to opted-out people, missing people, breaches, and the
 *   wall time against the floor the limits allow (recipients / the overall rate).
 */
import { fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { confirmAndSend, createDraft, progress } from "../src/domain/announcements/announcements.js";
import { OfficeCalendar } from "../src/domain/calendar/office-calendar.js";
import { openDatabase, type DatabaseHandle } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { createLogger } from "../src/logging/logger.js";
import { OutboxSender } from "../src/outbox/sender.js";
import { readTextsDir } from "../src/scheduler/texts.js";
import { Sweeper } from "../src/scheduler/sweeper.js";
import { useAtRestKey } from "../src/security/at-rest.js";
import { systemClock } from "../src/shared/clock.js";
import { StandInTelegram } from "../tests/outbox/stand-in-telegram.js";

export const BENCH_KEY = Buffer.alloc(32, 11);
const SECTORS = ["kuliner", "kerajinan", "fashion", "pertanian", "jasa", "perdagangan"];
const KECAMATAN = ["510401", "510402", "510403", "510404", "510405", "510406", "510407"];
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "bench-broadcast-child.ts");

export interface BroadcastSetup {
  url: string;
  announcementId: string;
  /** People the announcement goes to (confirmed, not opted out at the confirmation). */
  recipients: number;
  /** Telegram chat ids of everyone who opted out (before or after the confirmation). */
  optedOut: string[];
  /** Chat ids that should get it: recipients minus those who opted out after the confirmation. */
  expected: string[];
  close(): Promise<void>;
}

/** A fresh database: a temporary SQLite file, or a new database on the PostgreSQL server of `pgUrl`. */
export async function freshDatabase(pgUrl?: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!pgUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-broadcast-"));
    return { url: `file:${path.join(dir, "bench.db")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `plut_broadcast_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const chatOf = (i: number) => String(7_000_000 + i);

/** N clients, every `optOutEvery`-th opted out; then an announcement to all, confirmed; then `lateOptOuts` more opt out. */
export async function prepareBroadcast(o: { url: string; people: number; optOutEvery?: number; lateOptOuts?: number; now?: Date }): Promise<BroadcastSetup> {
  useAtRestKey(BENCH_KEY);
  await migrate(o.url);
  const handle = await openDatabase(o.url);
  const { db } = handle;
  const every = o.optOutEvery ?? 10;
  const now = o.now ?? new Date();
  const registered = new Date(now.getTime() - 30 * 86_400_000);
  const CHUNK = 1000;
  for (let i = 0; i < o.people; i += CHUNK) {
    const idx = Array.from({ length: Math.min(CHUNK, o.people - i) }, (_, j) => i + j);
    await db.client.createMany({
      data: idx.map((k) => ({ id: `bc-client-${k}`, fullName: `Klien ${k}`, kecamatan: KECAMATAN[k % KECAMATAN.length]!, announcementsOn: k % every !== every - 1, createdAt: registered })),
    });
    await db.identity.createMany({ data: idx.map((k) => ({ id: `bc-ident-${k}`, channel: "telegram", address: chatOf(k), clientId: `bc-client-${k}`, consentedAt: registered })) });
    await db.business.createMany({ data: idx.map((k) => ({ clientId: `bc-client-${k}`, name: `Usaha ${k}`, sector: SECTORS[k % SECTORS.length]!, products: "-", legalForm: "perorangan" })) });
  }
  const admin = await db.staff.create({ data: { name: "Admin Bench", role: "admin" } });
  const { id } = await createDraft(db, { staffId: admin.id, title: "Pelatihan pemasaran digital", text: "Halo, UPT PLUT-KUMKM Gianyar mengundang Anda ke pelatihan pemasaran digital. Gratis.", filter: {}, now });
  const confirmed = await confirmAndSend(db, id, admin.id, now);
  // Opting out after the confirmation, before the sweep: their reminders must be dropped.
  const late: number[] = [];
  for (let k = 0; late.length < (o.lateOptOuts ?? Math.max(1, Math.floor(o.people / 200))) && k < o.people; k += 7) if (k % every !== every - 1) late.push(k);
  await db.client.updateMany({ where: { id: { in: late.map((k) => `bc-client-${k}`) } }, data: { announcementsOn: false } });
  const lateSet = new Set(late);
  const optedOut: string[] = [];
  const expected: string[] = [];
  for (let k = 0; k < o.people; k++) {
    if (k % every === every - 1 || lateSet.has(k)) optedOut.push(chatOf(k));
    else expected.push(chatOf(k));
  }
  await handle.close();
  return { url: o.url, announcementId: id, recipients: confirmed.recipients, optedOut, expected, close: async () => undefined };
}

export interface SendingOptions {
  url: string;
  announcementId: string;
  /** Telegram's limits times this (1: Telegram's own). */
  scale: number;
  /** Each delivered message is appended here ("<ms> <chat>") before the send returns. */
  logFile: string;
  /** Report progress to the parent every this many sends (a child process only). */
  reportEvery?: number;
  /**
   * Test mode: at this send, wait until every earlier message is marked sent, hand the message to
   * Telegram, tell the parent, and never return (the process is to be killed with a message that
   * Telegram got and the sender does not know it got: the case where sending again would repeat).
   */
  hangAt?: number;
}

/** The sending process: sweep the announcement's reminders into the outbox and send them, until none waits. */
export async function runSending(o: SendingOptions): Promise<SendingResult> {
  useAtRestKey(BENCH_KEY);
  const handle: DatabaseHandle = await openDatabase(o.url);
  const logger = createLogger({ level: process.env.BENCH_LOG ?? "silent" });
  const texts = readTextsDir("conversations");
  // No quiet hours: the bench measures the pace, whatever the time of day it runs at.
  const calendar = new OfficeCalendar({ tz: "Asia/Makassar", quietStart: "00:00", quietEnd: "00:00", workingDays: [1, 2, 3, 4, 5, 6, 7], workStart: "08:00", workEnd: "16:00", holidays: [] });
  const channel = new StandInTelegram(systemClock, o.scale);
  const fd = fs.openSync(o.logFile, "a");
  let sent = 0;
  channel.events.on("sent", (to: string) => {
    fs.writeSync(fd, `${Date.now()} ${to}\n`);
    sent += 1;
    if (process.send && o.reportEvery && sent % o.reportEvery === 0) process.send({ sent });
  });
  if (o.hangAt !== undefined) {
    const send = channel.send.bind(channel);
    let n = 0;
    channel.send = async (to, msg) => {
      if (++n < o.hangAt!) return send(to, msg);
      // Sends after it (other people's, side by side) never reach Telegram: the process is about to die.
      if (n > o.hangAt!) return new Promise<void>(() => undefined);
      // Every earlier message marked sent, then a request Telegram never answers.
      while ((await handle.db.outboxMessage.count({ where: { status: "sent" } })) < o.hangAt! - 1) await systemClock.sleep(5);
      await send(to, msg);
      process.send?.({ hung: n });
      return new Promise<void>(() => undefined);
    };
  }
  const sender = new OutboxSender({
    db: handle.db,
    provider: handle.provider,
    ...(handle.sqlite ? { sqlite: handle.sqlite } : {}),
    ...(handle.postgres ? { postgres: handle.postgres } : {}),
    channels: { telegram: channel },
    readFile: async () => Buffer.alloc(0),
    clock: systemClock,
    logger,
  });
  const sweeper = new Sweeper({ db: handle.db, provider: handle.provider, ...(handle.sqlite ? { sqlite: handle.sqlite } : {}), calendar, texts: () => texts, logger, afterWrite: () => sender.wake() });
  const startedAt = Date.now();
  sender.start();
  await sweeper.sweep(new Date());
  let sweptAt = Date.now();
  let uncertain = 0;
  for (;;) {
    const p = await progress(handle.db, o.announcementId);
    uncertain = p.uncertain;
    if (p.pending === 0) break;
    // Not more often: on SQLite this read shares the one connection with the sender's marks.
    await systemClock.sleep(1000);
    // A sweep a minute, as the service's scheduler runs it (reminders a killed sweep held come back after their lease).
    if (Date.now() - sweptAt >= 60_000) {
      await sweeper.sweep(new Date());
      sweptAt = Date.now();
    }
  }
  await sender.stop();
  fs.closeSync(fd);
  await handle.close();
  return { breaches: channel.breaches, sent, startedAt, uncertain };
}

/** What a sending process reports: `uncertain`, the announcement's messages out at an earlier kill (not sent again). */
export interface SendingResult {
  breaches: string[];
  sent: number;
  startedAt: number;
  uncertain: number;
}

export interface ChildRun {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; result?: SendingResult }>;
}

/** The sending process as a child (tsx), reporting over IPC. */
export function startSendingProcess(o: SendingOptions, onMessage?: (m: { sent?: number; hung?: number }) => void): ChildRun {
  const child = fork(CHILD, [JSON.stringify(o)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let result: SendingResult | undefined;
  child.on("message", (m: { sent?: number; hung?: number; done?: SendingResult }) => {
    if (m.done) result = m.done;
    else onMessage?.(m);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; result?: SendingResult }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, ...(result ? { result } : {}) })),
  );
  return { child, exited };
}

export interface LogFigures {
  delivered: number;
  /** Messages beyond the first to one person. */
  duplicates: number;
  toOptedOut: number;
  missing: number;
  firstAt: number;
  lastAt: number;
}

export function readLog(file: string, setup: Pick<BroadcastSetup, "optedOut" | "expected">): LogFigures {
  const counts = new Map<string, number>();
  let firstAt = Infinity;
  let lastAt = 0;
  let delivered = 0;
  for (const line of fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : []) {
    if (!line) continue;
    const [at, to] = line.split(" ") as [string, string];
    counts.set(to, (counts.get(to) ?? 0) + 1);
    firstAt = Math.min(firstAt, Number(at));
    lastAt = Math.max(lastAt, Number(at));
    delivered += 1;
  }
  let duplicates = 0;
  for (const c of counts.values()) if (c > 1) duplicates += c - 1;
  const optedOut = new Set(setup.optedOut);
  let toOptedOut = 0;
  for (const [to, c] of counts) if (optedOut.has(to)) toOptedOut += c;
  const missing = setup.expected.filter((to) => !counts.has(to)).length;
  return { delivered, duplicates, toOptedOut, missing, firstAt, lastAt };
}
