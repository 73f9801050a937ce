/**
 * After a sender dies (kill -9) holding claimed messages, at most the one it had out repeats: each
 * sent row is marked right after its send, a SQLite sender starting up takes back its dead
 * predecessor's claims at once (one process owns the file), and on PostgreSQL leases are short
 * (under 10 s) and renewed by a live sender, so another instance takes a dead one's rows over within
 * the lease and never a live one's. On a clock the test drives.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { OutboxSender } from "../../src/outbox/sender.js";
import { FixedClock } from "../../src/shared/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { waitForChange } from "../support/wait.js";
import { StandInTelegram } from "./stand-in-telegram.js";

const logger = createLogger({ level: "silent" });
const T0 = "2026-03-16T02:00:00.000Z";
let h: TestDatabase;

beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(async () => {
  await h.destroy();
});
beforeEach(async () => {
  await h.db.outboxMessage.deleteMany();
  await h.db.identity.deleteMany();
});

async function fivePeople(clock: FixedClock): Promise<string[]> {
  const people = Array.from({ length: 5 }, (_, i) => ({ id: `crash-${i}`, channel: "telegram", address: `${4_000_000 + i}` }));
  await h.db.identity.createMany({ data: people });
  await h.db.$transaction((tx) =>
    new Outbox(h).enqueue(tx, people.map((p) => ({ identityId: p.id, message: { type: "text" as const, text: `balasan ${p.id}` }, idempotencyKey: `k-${p.id}` })), clock.now()),
  );
  return people.map((p) => p.address);
}

function sender(instanceId: string, clock: FixedClock, channel: StandInTelegram): OutboxSender {
  return new OutboxSender({ db: h.db, provider: h.provider, ...(h.sqlite ? { sqlite: h.sqlite } : {}), channels: { telegram: channel }, readFile: async () => Buffer.alloc(0), clock, logger, instanceId });
}

/** A sender that claimed everything, sent the first message and died before marking it. */
async function diedWithClaims(clock: FixedClock, channel: StandInTelegram, chats: string[]): Promise<void> {
  const dead = sender("dead", clock, channel);
  expect(await dead.claim(100, "live")).toHaveLength(5);
  await channel.send(chats[0]!, { type: "text", text: "balasan crash-0" });
}

it("each message is marked sent as soon as its send returned, not in a batch", async () => {
  const clock = new FixedClock(T0);
  const channel = new StandInTelegram(clock);
  await h.db.identity.create({ data: { id: "one", channel: "telegram", address: "4100000" } });
  await h.db.$transaction((tx) =>
    new Outbox(h).enqueue(tx, [1, 2, 3, 4, 5].map((n) => ({ identityId: "one", message: { type: "text" as const, text: `bagian ${n}` }, idempotencyKey: `one-${n}` })), clock.now()),
  );
  // At each send, the rows already marked sent: every one before it.
  const marked: number[] = [];
  const original = channel.send.bind(channel);
  channel.send = async (to, msg) => {
    marked.push(await h.db.outboxMessage.count({ where: { status: "sent" } }));
    return original(to, msg);
  };
  const snd = sender("one", clock, channel);
  for (let i = 0; i < 5 && marked.length < 5; i++) await snd.drainOnce("live");
  expect(marked).toEqual([0, 1, 2, 3, 4]);
  expect(await h.db.outboxMessage.count({ where: { status: "sent" } })).toBe(5);
});

it.runIf(process.env.TEST_POSTGRES_URL === undefined)("SQLite: a starting sender takes back its dead predecessor's claims at once; only the message that was out repeats", async () => {
  const clock = new FixedClock(T0);
  const channel = new StandInTelegram(clock);
  const chats = await fivePeople(clock);
  await diedWithClaims(clock, channel, chats);
  const next = sender("next", clock, channel);
  next.start(60_000);
  await waitForChange(channel.events, "sent", () => chats.every((c) => channel.countTo(c) >= 1) && channel.received.length >= 6, "every message sent after the restart", 10_000);
  await next.stop();
  // The clock never moved: nobody waited for a lease.
  expect(clock.now().toISOString()).toBe(T0);
  expect(chats.map((c) => channel.countTo(c))).toEqual([2, 1, 1, 1, 1]);
  expect(await h.db.outboxMessage.count({ where: { status: "sent" } })).toBe(5);
});

it.runIf(process.env.TEST_POSTGRES_URL !== undefined)("PostgreSQL: another instance takes a dead one's rows over within 10 s, never a live one's", async () => {
  const clock = new FixedClock(T0);
  const channel = new StandInTelegram(clock);
  const chats = await fivePeople(clock);
  await diedWithClaims(clock, channel, chats);
  const other = sender("other", clock, channel);
  expect((await other.drainOnce("live")).claimed).toBe(0);
  clock.advance(10_000);
  expect(await other.drainOnce("live")).toMatchObject({ claimed: 5, sent: 5 });
  expect(chats.map((c) => channel.countTo(c))).toEqual([2, 1, 1, 1, 1]);

  // A live sender renews its leases: another instance does not take its rows, however long it holds them.
  await h.db.outboxMessage.deleteMany();
  await h.db.$transaction((tx) => new Outbox(h).enqueue(tx, [{ identityId: "crash-0", message: { type: "text", text: "lagi" }, idempotencyKey: "again" }], clock.now()));
  const live = sender("live", clock, channel);
  expect(await live.claim(10, "live")).toHaveLength(1);
  for (let i = 0; i < 5; i++) {
    clock.advance(3000);
    await live.renewLeases();
    expect((await other.drainOnce("live")).claimed).toBe(0);
  }
});
