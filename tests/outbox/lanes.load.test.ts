/**
 * Live replies and bulk work side by side, through a stand-in Telegram that enforces the real limits
 * (tests/outbox/stand-in-telegram.ts): a sweep writes 10,000 due reminders into the outbox, and
 * while the sender works through them 50 clients register at once; their replies come at once
 * (p99 under 200 ms), the sweep keeps going in what they leave, and no limit is broken. Then, on a
 * clock the test drives: a 429 holds back only its own chat, and a slow Telegram never has more
 * messages open than the sender's in-flight number.
 *
 * The first test runs in real time (the pace is real): bounded, its load (one turn per client every
 * 2-4 s, arrivals spread over 6 s, seeded) well inside what a loaded 2-core machine handles.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { OfficeCalendar } from "../../src/domain/calendar/office-calendar.js";
import { createLogger } from "../../src/logging/logger.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { OutboxSender } from "../../src/outbox/sender.js";
import { REMINDER_KIND_DEFS } from "../../src/scheduler/kinds/index.js";
import { reminderPayload, type ReminderKind } from "../../src/scheduler/kinds/types.js";
import { Sweeper } from "../../src/scheduler/sweeper.js";
import { startService, type RunningService } from "../../src/service.js";
import { FixedClock, systemClock, type Clock } from "../../src/shared/clock.js";
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from "../support/db.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { waitForChange } from "../support/wait.js";
import { StandInTelegram } from "./stand-in-telegram.js";
import { seeded } from "../support/seeded.js";

const logger = createLogger({ level: "silent" });
const REMINDERS = 10_000;
const CLIENTS = 50;
const TURNS = 6;

/** A reminder kind of one short text naming the reminder. */
const ping: ReminderKind = {
  kind: "lanes_ping",
  audience: "client",
  payload: reminderPayload({}),
  async render(ctx) {
    return [{ identityId: ctx.recipient!.id, message: { type: "text", text: `pengingat ${ctx.reminder.id}` } }];
  },
};


// On PostgreSQL turns finish in clumps; the pacer keeps a fixed quarter of the overall window free
// while people chat and lets a reply with room go at once (src/outbox/rate-limit.ts). Seen on a quiet
// 2-core machine (2026-12-05): PostgreSQL p99 28 ms alone and 34 ms inside the whole suite, the sweep
// ~10.8 messages a second beside the replies. Beside other files its 36 s of load on the one database
// server made their tests time out, so it is a `.load.test.ts`: vitest.config.ts runs those after
// the rest of the suite, alone.
describe("a reminder sweep while 50 clients chat, at Telegram's real limits", () => {
  let service: RunningService;
  let channel: StandInTelegram;
  let drop: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    const db = await createEmptyDatabase();
    drop = db.drop;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-lanes-"));
    const config = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: "0", SCHEDULER_ENABLED: "false", WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" }, "/nonexistent/.env");
    channel = new StandInTelegram(systemClock);
    service = await startService(config, logger, { channels: [channel], listen: false });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("replies go out at once (p99 < 200 ms), the sweep's messages keep going, no limit is broken", async () => {
    const db = service.database.db;
    // 10,000 people with one due reminder each, swept into the outbox by the real sweeper.
    const people = Array.from({ length: REMINDERS }, (_, i) => ({ id: `lanes-${i}`, channel: "telegram", address: `${5_000_000 + i}` }));
    for (let i = 0; i < people.length; i += 2000) await db.identity.createMany({ data: people.slice(i, i + 2000) });
    const due = new Date(Date.now() - 60_000);
    for (let i = 0; i < people.length; i += 2000) {
      await db.reminder.createMany({
        data: people.slice(i, i + 2000).map((p) => ({ id: `rem-${p.id}`, kind: "lanes_ping", dueAt: due, identityId: p.id, payloadJson: "{}", status: "pending", idempotencyKey: `lanes:${p.id}` })),
      });
    }
    // Every hour is office time here, so the test does not depend on when it runs.
    const calendar = new OfficeCalendar({ tz: "Asia/Makassar", quietStart: "00:00", quietEnd: "00:00", workingDays: [1, 2, 3, 4, 5, 6, 7], workStart: "00:00", workEnd: "23:59", holidays: [] });
    const sweeper = new Sweeper({
      db, provider: service.database.provider, ...(service.database.sqlite ? { sqlite: service.database.sqlite } : {}), calendar,
      texts: () => service.conversations.texts, logger, kinds: [...REMINDER_KIND_DEFS, ping], afterWrite: () => service.sender.wake(),
    });
    const swept = await sweeper.sweep(new Date());
    expect(swept.done).toBe(REMINDERS);
    expect(await db.outboxMessage.count({ where: { lane: "bulk", status: "pending" } })).toBe(REMINDERS);

    service.sender.start(1000);
    const random = seeded(13);
    const latencies: number[] = [];
    const steps = REGISTRATION_SCRIPT.slice(0, TURNS);
    const client = async (n: number) => {
      const chat = `${8_000_000 + n}`;
      // Clients arrive over the first six seconds, then answer after 2-4 s of reading and typing
      // (about 15 replies a second at most: half of Telegram's limit, the rest for the sweep).
      await new Promise((r) => setTimeout(r, random() * 6000));
      for (const step of steps) {
        const before = channel.countTo(chat);
        const t0 = performance.now();
        const reply = waitForChange(channel.events, "sent", () => channel.countTo(chat) > before, `a reply to client ${n}`, 30_000);
        await channel.receive(chat, step.startsWith("#") ? { type: "choice", choiceId: step.slice(1) } : { type: "text", text: step });
        await reply;
        latencies.push(performance.now() - t0);
        // Think time: the load model (a person reading and typing), not a wait for the system.
        await new Promise((r) => setTimeout(r, 2000 + random() * 2000));
      }
    };
    const bulkBefore = await db.outboxMessage.count({ where: { lane: "bulk", status: "sent" } });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    const seconds = (Date.now() - t0) / 1000;
    const bulkSent = (await db.outboxMessage.count({ where: { lane: "bulk", status: "sent" } })) - bulkBefore;
    await service.sender.stop();

    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
    const summary = `replies ${latencies.length}, p50 ${p(0.5).toFixed(0)} ms, p90 ${p(0.9).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms, max ${p(1).toFixed(0)} ms; bulk ${bulkSent} in ${seconds.toFixed(1)} s`;
    const pacer = service.sender.pacerOf("telegram")!;
    const paceWait = pacer.liveWaitBehindBulkMaxMs;
    console.log(`${summary}; longest live wait for the overall window ${pacer.liveWaitMaxMs} ms, with bulk in it ${paceWait} ms; load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
    expect(channel.breaches, summary).toEqual([]);
    expect(latencies).toHaveLength(CLIENTS * TURNS);
    // The sweep never held a reply back for long, however busy the machine: it left room. (A wait
    // with only replies in the window is Telegram's limit itself: on a machine so overloaded that
    // more than 30 turns finish within one second, those beyond 30 wait, sweep or no sweep.)
    expect(paceWait, summary).toBeLessThan(200);
    // End to end (the turn's own work included): under 200 ms at p99 on a machine that is not
    // overloaded; where other work keeps every core busy several times over (the shared CI and
    // development machines), scheduling alone adds hundreds of ms, so only a loose bound holds there.
    const overloaded = os.loadavg()[0]! / os.cpus().length > 1.5;
    expect(p(0.99), summary).toBeLessThan(overloaded ? 1500 : 200);
    // The sweep went on in what the replies left (at Telegram's 30/s, about 25 minus the replies).
    expect(bulkSent, summary).toBeGreaterThan(seconds * 5);
    // Each client finished, and got one message a turn.
    for (let n = 0; n < CLIENTS; n++) expect(channel.countTo(`${8_000_000 + n}`)).toBe(TURNS);
  }, 120_000);
});

describe("a 429 and a slow Telegram, on a clock the test drives", () => {
  let h: TestDatabase;
  const T0 = "2026-03-16T02:00:00.000Z";

  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(async () => {
    await h.destroy();
  });

  async function peopleWithMessages(prefix: string, n: number, clock: FixedClock, lane: "live" | "bulk" = "live"): Promise<string[]> {
    const people = Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, channel: "telegram", address: `${prefix === "slow" ? 6_000_000 : 7_000_000}${i}` }));
    await h.db.identity.createMany({ data: people });
    await h.db.$transaction((tx) =>
      new Outbox(h).enqueue(tx, people.map((p) => ({ identityId: p.id, message: { type: "text" as const, text: `halo ${p.id}` }, idempotencyKey: `k-${p.id}` })), clock.now(), { lane }),
    );
    return people.map((p) => p.address);
  }

  function sender(clock: Clock, channel: StandInTelegram, extra: { maxInFlight?: number } = {}): OutboxSender {
    return new OutboxSender({ db: h.db, provider: h.provider, ...(h.sqlite ? { sqlite: h.sqlite } : {}), channels: { telegram: channel }, readFile: async () => Buffer.alloc(0), clock, logger, ...extra });
  }

  it("a 429 during a burst delays only that chat, by its retry_after", async () => {
    const clock = new FixedClock(T0);
    const channel = new StandInTelegram(clock);
    const chats = await peopleWithMessages("burst", 20, clock);
    channel.refuseNext(chats[3]!, 2);
    const snd = sender(clock, channel);
    const first = await snd.drainOnce("live");
    expect(first).toMatchObject({ claimed: 20, sent: 19, retried: 1 });
    // The other 19 went at once: the clock did not move for them.
    expect(channel.received.every((r) => r.at === Date.parse(T0))).toBe(true);
    expect(channel.countTo(chats[3]!)).toBe(0);
    clock.advance(1999);
    expect((await snd.drainOnce("live")).claimed).toBe(0);
    clock.advance(1);
    expect(await snd.drainOnce("live")).toMatchObject({ claimed: 1, sent: 1 });
    expect(channel.countTo(chats[3]!)).toBe(1);
    expect(channel.breaches).toEqual([]);
  });

  it("a slow Telegram never has more than the in-flight number of messages open; all of them go", async () => {
    // Real time here (about two seconds at 30 messages a second): the answers are slow in real time.
    const clock = new FixedClock(T0);
    const channel = new StandInTelegram(systemClock);
    channel.latencyMs = 50;
    const chats = await peopleWithMessages("slow", 60, clock);
    const snd = sender(systemClock, channel, { maxInFlight: 4 });
    const r = await snd.drainOnce();
    expect(r, channel.breaches.join("\n")).toMatchObject({ claimed: 60, sent: 60 });
    expect(channel.maxOpenSends).toBeGreaterThan(1);
    expect(channel.maxOpenSends).toBeLessThanOrEqual(4);
    for (const c of chats) expect(channel.countTo(c)).toBe(1);
    expect(channel.breaches).toEqual([]);
  });
});
