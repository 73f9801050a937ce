/**
 * Several instances on one database never send a reminder twice. On PostgreSQL (npm run
 * test:postgres) two sweepers with their own connection pools, as two processes would have, run at
 * once over 2,000 due reminders, then two outbox senders drain at once; on SQLite (one writer
 * process) two sweepers share the process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel } from "../../src/channels/channel.js";
import { openDatabase, type DatabaseHandle } from "../../src/db/client.js";
import type { Outbound } from "../../src/messaging/model.js";
import { OutboxSender } from "../../src/outbox/sender.js";
import { REMINDER_KIND_DEFS } from "../../src/scheduler/kinds/index.js";
import { reminderPayload, type ReminderKind } from "../../src/scheduler/kinds/types.js";
import type { SweepResult } from "../../src/scheduler/sweeper.js";
import { FixedClock } from "../../src/shared/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import * as s from "./support.js";

const N = 2000;
const PEOPLE = 200;

const ping: ReminderKind = {
  kind: "test_ping",
  audience: "client",
  payload: reminderPayload({}),
  async render(ctx) {
    return [{ identityId: ctx.recipient!.id, message: { type: "text", text: `ping ${ctx.reminder.id}` } }];
  },
};
const KINDS = [...REMINDER_KIND_DEFS, ping];
const cal = s.calendar();
const now = s.wita("2026-03-16 10:00");

let t: TestDatabase;
let second: DatabaseHandle;
beforeAll(async () => {
  t = await createTestDatabase();
  second = t.provider === "postgresql" ? await openDatabase(t.url) : t;
  const identities = Array.from({ length: PEOPLE }, (_, i) => ({ id: `ident-${i}`, channel: "telegram", address: `chat-${i}` }));
  await t.db.identity.createMany({ data: identities });
  await t.db.reminder.createMany({
    data: Array.from({ length: N }, (_, i) => ({
      kind: "test_ping",
      dueAt: new Date(now.getTime() - (i % 7) * 60_000),
      identityId: `ident-${i % PEOPLE}`,
      idempotencyKey: `conc:${i}`,
    })),
  });
});
afterAll(async () => {
  if (second !== t) await second.close();
  await t.destroy();
});

function recordingChannel(sent: string[]): Channel {
  return {
    name: "telegram",
    limits: { maxTextLength: 4096, maxInboundFileBytes: 1, perChatPerSecond: 1_000_000, globalPerSecond: 1_000_000 },
    async start() {},
    async stop() {},
    async send(_to: string, msg: Outbound) {
      if (msg.type === "text") sent.push(msg.text);
    },
  };
}

async function checkOnce(results: SweepResult[]) {
  const written = results.map((r) => new Set(r.written.map((w) => w.idempotencyKey)));
  // No key written by two sweepers, and every reminder written by one.
  const [a, b] = written as [Set<string>, Set<string>];
  expect([...a].filter((k) => b.has(k))).toEqual([]);
  expect(a.size + b.size).toBe(N);
  const rows = await t.db.outboxMessage.findMany({ select: { idempotencyKey: true } });
  expect(rows).toHaveLength(N);
  expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(N);
  expect(await t.db.reminder.count({ where: { status: "done" } })).toBe(N);
}

describe("two instances, one database", () => {
  it.runIf(process.env.TEST_POSTGRES_URL)(
    "PostgreSQL: two sweepers at once write each reminder's outbox key exactly once, two senders send each once",
    async () => {
      expect(t.provider).toBe("postgresql");
      const opts = { calendar: cal, kinds: KINDS, batchSize: 100 };
      const a = s.sweeper(t, { ...opts, instanceId: "pg-A" });
      const b = s.sweeper(second, { ...opts, instanceId: "pg-B" });
      const results = await Promise.all([a.sweep(now, { collect: true }), b.sweep(now, { collect: true })]);
      // Both took part: the claims really ran side by side.
      expect(results[0].claimed).toBeGreaterThan(0);
      expect(results[1].claimed).toBeGreaterThan(0);
      expect(results[0].claimed + results[1].claimed).toBe(N);
      await checkOnce(results);

      const sent: string[] = [];
      const clock = new FixedClock(now);
      const sender = (db: DatabaseHandle, id: string) =>
        new OutboxSender({ db: db.db, provider: "postgresql", channels: { telegram: recordingChannel(sent) }, readFile: async () => Buffer.alloc(0), clock, logger: s.logger, instanceId: id, batchSize: 150 });
      const x = sender(t, "send-A");
      const y = sender(second, "send-B");
      const drain = async (o: OutboxSender) => {
        let total = 0;
        for (;;) {
          const r = await o.drainOnce();
          if (r.claimed === 0) return total;
          total += r.sent;
        }
      };
      const [sx, sy] = await Promise.all([drain(x), drain(y)]);
      expect(sx).toBeGreaterThan(0);
      expect(sy).toBeGreaterThan(0);
      expect(sent).toHaveLength(N);
      expect(new Set(sent).size).toBe(N);
      expect(await t.db.outboxMessage.count({ where: { status: "sent" } })).toBe(N);
    },
  );

  it.runIf(!process.env.TEST_POSTGRES_URL)("SQLite: two sweepers in one process write each key exactly once", async () => {
    const opts = { calendar: cal, kinds: KINDS, batchSize: 100 };
    const a = s.sweeper(t, { ...opts, instanceId: "lite-A" });
    const b = s.sweeper(t, { ...opts, instanceId: "lite-B" });
    const results = await Promise.all([a.sweep(now, { collect: true }), b.sweep(now, { collect: true })]);
    expect(results[0].claimed + results[1].claimed).toBe(N);
    await checkOnce(results);
  });
});
