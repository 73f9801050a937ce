/**
 * `npm run bench:reminders`: 100,000 due reminders for 10,000 people, swept into the outbox and sent
 * by the OutboxSender through a stand-in Telegram that enforces Telegram's limits scaled up 100
 * times (3,000 messages/s overall, 100/s per chat, each over any one-second window) and answers
 * like Telegram (429 with retry_after) when they are broken. Once on a temporary SQLite file, once
 * on a fresh PostgreSQL database (created and dropped on the server in PG_ADMIN_URL).
 *
 * Prints claim time, sweep time, wall time against the rate-limit floor (N / 3000 s), messages per
 * second, limit violations and duplicates (reminders sent more than once). Fails (exit 1) on any
 * violation, duplicate or missing message.
 *
 *   BENCH_N=100000 BENCH_PEOPLE=10000 BENCH_TARGETS=sqlite,postgresql npx tsx scripts/bench-reminders.ts
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Channel } from "../src/channels/channel.js";
import { openDatabase, type DatabaseHandle } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { createLogger } from "../src/logging/logger.js";
import { ChannelSendError, type Outbound } from "../src/messaging/model.js";
import { OutboxSender } from "../src/outbox/sender.js";
import { REMINDER_KIND_DEFS } from "../src/scheduler/kinds/index.js";
import { reminderPayload, type ReminderKind } from "../src/scheduler/kinds/types.js";
import { OfficeCalendar } from "../src/domain/calendar/office-calendar.js";
import { Sweeper } from "../src/scheduler/sweeper.js";
import { systemClock } from "../src/shared/clock.js";
import type { Texts } from "../src/i18n/index.js";

const N = Number(process.env.BENCH_N ?? 100_000);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const SCALE = 100;
const GLOBAL_PER_S = 30 * SCALE;
const PER_CHAT_PER_S = 1 * SCALE;
const TARGETS = (process.env.BENCH_TARGETS ?? "sqlite,postgresql").split(",").map((s) => s.trim());
const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const logger = createLogger({ level: process.env.BENCH_LOG ?? "silent" });

/** A cheap kind: one short text naming the reminder, so a duplicate is seen at the channel. */
const benchPing: ReminderKind = {
  kind: "bench_ping",
  audience: "client",
  payload: reminderPayload({}),
  async render(ctx) {
    return [{ identityId: ctx.recipient!.id, message: { type: "text", text: `bench ${ctx.reminder.id}` } }];
  },
};

/**
 * Telegram scaled 100x: at most GLOBAL_PER_S messages in any 1,000 ms and PER_CHAT_PER_S per chat.
 * A message over the limit is refused with a 429 and counted as a violation.
 */
class StandInTelegram implements Channel {
  readonly name = "telegram" as const;
  readonly limits = { maxTextLength: 4096, maxInboundFileBytes: 20 * 1024 * 1024, perChatPerSecond: PER_CHAT_PER_S, globalPerSecond: GLOBAL_PER_S };
  private readonly global: number[] = [];
  private readonly perChat = new Map<string, number[]>();
  readonly seen = new Map<string, number>();
  violations = 0;
  sends = 0;
  startedAt = Date.now();
  readonly perSecond: number[] = [];
  first = 0;
  last = 0;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async send(to: string, msg: Outbound): Promise<void> {
    const now = systemClock.now().getTime();
    if (over(this.global, now, GLOBAL_PER_S) || over(this.chat(to), now, PER_CHAT_PER_S)) {
      this.violations += 1;
      throw new ChannelSendError("429 Too Many Requests (stand-in)", "rate_limited", 1);
    }
    this.global.push(now);
    this.chat(to).push(now);
    if (this.global.length > GLOBAL_PER_S * 2) this.global.splice(0, this.global.length - GLOBAL_PER_S);
    const key = msg.type === "text" ? msg.text : msg.storageKey;
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    this.sends += 1;
    const second = Math.floor((now - this.startedAt) / 1000);
    this.perSecond[second] = (this.perSecond[second] ?? 0) + 1;
    if (this.first === 0) this.first = now;
    this.last = now;
  }

  private chat(to: string): number[] {
    let list = this.perChat.get(to);
    if (!list) {
      list = [];
      this.perChat.set(to, list);
    }
    if (list.length > PER_CHAT_PER_S * 2) list.splice(0, list.length - PER_CHAT_PER_S);
    return list;
  }
}

/** Would one more message at `now` make more than `limit` in the window (now - 1000 ms, now]? */
function over(times: number[], now: number, limit: number): boolean {
  return times.length >= limit && times[times.length - limit]! > now - 1000;
}

/**
 * 10,000 identities and 100,000 due reminders, as multi-row INSERTs (Prisma's createMany was
 * measured here at ~0.3-0.5 ms a row, too slow to seed 100,000 rows quickly).
 */
async function seed(handle: DatabaseHandle, dueAt: Date): Promise<void> {
  const { db, provider } = handle;
  const ids = Array.from({ length: PEOPLE }, (_, i) => `bench-ident-${i}`);
  for (let i = 0; i < PEOPLE; i += 5000) {
    await db.identity.createMany({ data: ids.slice(i, i + 5000).map((id, j) => ({ id, channel: "telegram", address: `${9_000_000 + i + j}` })) });
  }
  const now = new Date();
  if (provider === "postgresql") {
    for (let i = 0; i < N; i += 10_000) {
      const n = Math.min(10_000, N - i);
      const idx = Array.from({ length: n }, (_, j) => i + j);
      await db.$executeRawUnsafe(
        `INSERT INTO "Reminder" (id, kind, "dueAt", "identityId", "payloadJson", status, "idempotencyKey", "createdAt")
         SELECT id, 'bench_ping', $4::timestamp(3), ident, '{}', 'pending', k, $4::timestamp(3)
         FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, ident, k)`,
        idx.map((k) => `bench-rem-${k}`),
        idx.map((k) => ids[k % PEOPLE]!),
        idx.map((k) => `bench:${k}`),
        dueAt.toISOString().slice(0, 23).replace("T", " "),
      );
    }
  } else {
    const due = dueAt.toISOString().replace("Z", "+00:00");
    const created = now.toISOString().replace("Z", "+00:00");
    for (let i = 0; i < N; i += 150) {
      const idx = Array.from({ length: Math.min(150, N - i) }, (_, j) => i + j);
      await db.$executeRawUnsafe(
        `INSERT INTO "Reminder" (id, kind, "dueAt", "identityId", "payloadJson", status, "idempotencyKey", "createdAt")
         VALUES ${idx.map(() => "(?, 'bench_ping', ?, ?, '{}', 'pending', ?, ?)").join(", ")}`,
        ...idx.flatMap((k) => [`bench-rem-${k}`, due, ids[k % PEOPLE]!, `bench:${k}`, created]),
      );
    }
  }
  // Fresh statistics, as autovacuum would have them on a database in use.
  if (provider === "postgresql") await db.$executeRawUnsafe("ANALYZE");
}

interface BenchResult {
  target: string;
  seedMs: number;
  claimMs: number;
  sweepMs: number;
  wallMs: number;
  sendMs: number;
  floorMs: number;
  sent: number;
  duplicates: number;
  missing: number;
  violations: number;
}

async function runOn(target: string, url: string, cleanup: () => Promise<void>): Promise<BenchResult> {
  await migrate(url);
  const sweepDb = await openDatabase(url);
  const sendDb = sweepDb.provider === "postgresql" ? await openDatabase(url) : sweepDb;
  try {
    const t0 = performance.now();
    await seed(sweepDb, new Date(Date.now() - 60_000));
    const seedMs = performance.now() - t0;
    const texts: Texts = { id: {}, en: {} };
    const calendar = new OfficeCalendar({
      tz: "Asia/Makassar", quietStart: "00:00", quietEnd: "00:00", workingDays: [1, 2, 3, 4, 5, 6, 7], workStart: "08:00", workEnd: "16:00", holidays: [],
    });
    const channel = new StandInTelegram();
    const sender = new OutboxSender({
      db: sendDb.db, provider: sendDb.provider, ...(sendDb.sqlite ? { sqlite: sendDb.sqlite } : {}), channels: { telegram: channel }, readFile: async () => Buffer.alloc(0),
      clock: systemClock, logger, instanceId: `bench-sender-${target}`, batchSize: Number(process.env.BENCH_SEND_BATCH ?? 500),
    });
    const sweeper = new Sweeper({
      db: sweepDb.db, provider: sweepDb.provider, ...(sweepDb.sqlite ? { sqlite: sweepDb.sqlite } : {}), calendar, texts: () => texts, logger, kinds: [...REMINDER_KIND_DEFS, benchPing],
      batchSize: Number(process.env.BENCH_SWEEP_BATCH ?? 500), afterWrite: () => sender.wake(),
    });

    const start = performance.now();
    const startWall = Date.now();
    channel.startedAt = startWall;
    const sweeping = (async () => {
      const r = await sweeper.sweep(new Date());
      return { ...r, ms: performance.now() - start };
    })();
    sender.start(5, Number(process.env.BENCH_SEND_LOOPS ?? 2));
    const swept = await sweeping;
    // Wait until every message went out (or nothing moves any more).
    let lastSends = -1;
    let still = 0;
    while (channel.sends < N && still < 400) {
      await new Promise((r) => setTimeout(r, 25));
      still = channel.sends === lastSends ? still + 1 : 0;
      lastSends = channel.sends;
    }
    await sender.stop();
    const wallMs = channel.last - startWall;
    if (process.env.BENCH_VERBOSE) console.log(`  sends per second: ${[...channel.perSecond].map((n) => n ?? 0).join(" ")} (sweep done at ${(swept.ms / 1000).toFixed(1)} s)`);
    let duplicates = 0;
    for (const c of channel.seen.values()) if (c > 1) duplicates += c - 1;
    return {
      target,
      seedMs,
      claimMs: swept.claimMs,
      sweepMs: swept.ms,
      wallMs,
      sendMs: channel.last - channel.first,
      floorMs: (N / GLOBAL_PER_S) * 1000,
      sent: channel.sends,
      duplicates,
      missing: N - channel.seen.size,
      violations: channel.violations,
    };
  } finally {
    if (sendDb !== sweepDb) await sendDb.close();
    await sweepDb.close();
    await cleanup();
  }
}

async function sqliteTarget(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-bench-"));
  return runOn("sqlite", `file:${path.join(dir, "bench.db")}`, async () => fs.rmSync(dir, { recursive: true, force: true }));
}

async function postgresTarget(): Promise<BenchResult> {
  const name = `plut_bench_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return runOn("postgresql", u.toString(), async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function report(r: BenchResult): boolean {
  const overFloor = ((r.wallMs - r.floorMs) / r.floorMs) * 100;
  const ok = r.duplicates === 0 && r.violations === 0 && r.missing === 0;
  console.log(`\n== ${r.target}: ${N.toLocaleString("en")} reminders, ${PEOPLE.toLocaleString("en")} people, stand-in Telegram x${SCALE} (${GLOBAL_PER_S}/s, ${PER_CHAT_PER_S}/s per chat)`);
  console.log(`  seed          ${s(r.seedMs)}`);
  console.log(`  claim         ${s(r.claimMs)}  (all ${N.toLocaleString("en")} rows, summed over batches${r.target === "postgresql" ? " and the 2 sweep workers" : ""})`);
  console.log(`  sweep         ${s(r.sweepMs)}  (claim + render + outbox write + mark)`);
  console.log(`  wall          ${s(r.wallMs)}  vs floor ${s(r.floorMs)} (N / ${GLOBAL_PER_S}/s): ${overFloor >= 0 ? "+" : ""}${overFloor.toFixed(1)}%`);
  console.log(`  send span     ${s(r.sendMs)}  (first to last message)`);
  console.log(`  messages/s    ${((r.sent / r.wallMs) * 1000).toFixed(0)}`);
  console.log(`  sent          ${r.sent}  missing ${r.missing}`);
  console.log(`  violations    ${r.violations}  (messages over the limits, refused with 429)`);
  console.log(`  duplicates    ${r.duplicates}`);
  console.log(`  ${ok ? "OK" : "FAILED"}`);
  return ok;
}

let allOk = true;
for (const target of TARGETS) {
  if (target === "sqlite") allOk = report(await sqliteTarget()) && allOk;
  else if (target === "postgresql") allOk = report(await postgresTarget()) && allOk;
  else throw new Error(`unknown target ${target} (sqlite, postgresql)`);
}
process.exit(allOk ? 0 : 1);
