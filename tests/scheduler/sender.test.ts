/**
 * The outbox sender as reminders need it: a blocked person is marked unreachable and not tried
 * again, Telegram's 429 retry_after is honoured, transient faults back off and give up at last,
 * one person's messages keep their order, and the pace never exceeds a channel's limits in any
 * window (checked on a clock the test drives).
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Channel } from "../../src/channels/channel.js";
import { ChannelSendError, type Outbound } from "../../src/messaging/model.js";
import { ChannelPacer } from "../../src/outbox/rate-limit.js";
import { OutboxSender } from "../../src/outbox/sender.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { FixedClock, type Clock } from "../../src/shared/clock.js";
import { useTestDatabase } from "../support/db.js";
import * as s from "./support.js";

/** A channel whose answer per call the test decides. */
class ScriptedChannel implements Channel {
  readonly name = "telegram" as const;
  readonly calls: Array<{ to: string; text: string; at: number }> = [];
  constructor(
    private readonly clock: Clock,
    private readonly answer: (to: string, text: string, n: number) => void = () => undefined,
    readonly limits = { maxTextLength: 4096, maxInboundFileBytes: 1, perChatPerSecond: 1000, globalPerSecond: 1000 },
  ) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(to: string, msg: Outbound): Promise<void> {
    const text = msg.type === "text" ? msg.text : msg.fileName;
    this.calls.push({ to, text, at: this.clock.now().getTime() });
    this.answer(to, text, this.calls.filter((c) => c.to === to).length);
  }
}

const t = useTestDatabase();
beforeEach(async () => {
  await s.resetDb(t.db);
});

const T0 = "2026-03-16T02:00:00.000Z";

async function queue(identityId: string, texts: string[], now: Date) {
  await t.db.$transaction((tx) =>
    new Outbox(t).enqueue(tx, texts.map((text) => ({ identityId, message: { type: "text", text }, idempotencyKey: `${identityId}:${text}` })), now),
  );
}

/** Drain until nothing is claimed (PostgreSQL claims a person's next message only once the one before went). */
async function drainAll(snd: OutboxSender) {
  const total = { claimed: 0, sent: 0, retried: 0, failed: 0 };
  for (let i = 0; i < 50; i++) {
    const r = await snd.drainOnce();
    if (r.claimed === 0) break;
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
  }
  return total;
}

function sender(clock: Clock, channel: Channel, extra: { maxAttempts?: number; onUnreachable?: (id: string) => Promise<void> } = {}) {
  return new OutboxSender({
    db: t.db, provider: t.provider, ...(t.sqlite ? { sqlite: t.sqlite } : {}), channels: { telegram: channel }, readFile: async () => Buffer.alloc(0), clock, logger: s.logger, ...extra,
  });
}

describe("outbox sender", () => {
  it("a blocked recipient is marked unreachable, its messages fail, and nothing is retried", async () => {
    const clock = new FixedClock(T0);
    const blocked = await s.client(t.db);
    const fine = await s.client(t.db);
    await queue(blocked.identity.id, ["a1", "a2", "a3"], clock.now());
    await queue(fine.identity.id, ["b1"], clock.now());
    const channel = new ScriptedChannel(clock, (to) => {
      if (to === blocked.identity.address) throw new ChannelSendError("403 Forbidden: bot was blocked by the user", "permanent");
    });
    const lost: string[] = [];
    const snd = sender(clock, channel, { onUnreachable: async (id) => void lost.push(id) });
    const r = await drainAll(snd);
    expect(r).toMatchObject({ sent: 1 });
    expect(channel.calls.filter((c) => c.to === blocked.identity.address)).toHaveLength(1);
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: blocked.identity.id } })).unreachableAt).not.toBeNull();
    expect(lost).toEqual([blocked.identity.id]);
    expect(await t.db.outboxMessage.count({ where: { identityId: blocked.identity.id, status: "failed" } })).toBe(3);
    for (const later of [60_000, 3600_000, 24 * 3600_000]) {
      clock.set(new Date(new Date(T0).getTime() + later));
      expect((await snd.drainOnce()).claimed).toBe(0);
    }
    expect(channel.calls).toHaveLength(2);
  });

  it("honours 429 retry_after, and the person's later message waits behind it", async () => {
    const clock = new FixedClock(T0);
    const c = await s.client(t.db);
    await queue(c.identity.id, ["first", "second"], clock.now());
    const channel = new ScriptedChannel(clock, (_to, _text, n) => {
      if (n === 1) throw new ChannelSendError("429 Too Many Requests: retry after 7", "rate_limited", 7);
    });
    const snd = sender(clock, channel);
    const r1 = await drainAll(snd);
    expect(r1).toMatchObject({ retried: 1, sent: 0 });
    const failedAt = channel.calls[0]!.at;
    const first = await t.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `${c.identity.id}:first` } });
    expect(first.nextAttemptAt.getTime() - failedAt).toBe(7000);
    clock.set(new Date(failedAt + 6999));
    expect((await snd.drainOnce()).claimed).toBe(0);
    clock.set(new Date(failedAt + 7000));
    await drainAll(snd);
    expect(channel.calls.map((x) => x.text)).toEqual(["first", "first", "second"]);
    expect(await t.db.outboxMessage.count({ where: { status: "sent" } })).toBe(2);
  });

  it("transient faults back off (5 s, 10 s) and give up after maxAttempts without marking the person lost", async () => {
    const clock = new FixedClock(T0);
    const c = await s.client(t.db);
    await queue(c.identity.id, ["flaky"], clock.now());
    const channel = new ScriptedChannel(clock, () => {
      throw new ChannelSendError("502 Bad Gateway", "retry");
    });
    const snd = sender(clock, channel, { maxAttempts: 3 });
    await snd.drainOnce();
    let row = await t.db.outboxMessage.findFirstOrThrow();
    expect(row.nextAttemptAt.getTime() - channel.calls[0]!.at).toBe(5000);
    clock.set(row.nextAttemptAt);
    await snd.drainOnce();
    row = await t.db.outboxMessage.findFirstOrThrow();
    expect(row.nextAttemptAt.getTime() - channel.calls[1]!.at).toBe(10_000);
    clock.set(row.nextAttemptAt);
    await snd.drainOnce();
    row = await t.db.outboxMessage.findFirstOrThrow();
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(3);
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: c.identity.id } })).unreachableAt).toBeNull();
    clock.advance(3600_000);
    expect((await snd.drainOnce()).claimed).toBe(0);
  });

  it("sends one person's messages in order and marks them sent", async () => {
    const clock = new FixedClock(T0);
    const c = await s.client(t.db);
    await queue(c.identity.id, ["1", "2", "3", "4", "5"], clock.now());
    const channel = new ScriptedChannel(clock);
    const r = await drainAll(sender(clock, channel));
    expect(r.sent).toBe(5);
    expect(channel.calls.map((x) => x.text)).toEqual(["1", "2", "3", "4", "5"]);
    const rows = await t.db.outboxMessage.findMany();
    expect(rows.every((x) => x.status === "sent" && x.sentAt !== null && x.leaseUntil === null)).toBe(true);
  });
});

/** A clock the test drives: sleeps wait until the test moves time past them. */
class ManualClock implements Clock {
  private timers: Array<{ at: number; resolve: () => void }> = [];
  /** `lateMs`: every timer fires this much after it was due, as on a busy event loop. */
  constructor(public t: number, private readonly lateMs = 0) {}
  now(): Date {
    return new Date(this.t);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.push({ at: this.t + Math.max(0, ms) + this.lateMs, resolve }));
  }
  /** Run every timer in time order until none is left (or none before `until`). */
  async runAll(until = Infinity): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      this.timers.sort((a, b) => a.at - b.at);
      if (this.timers.length === 0 || this.timers[0]!.at > until) {
        if (until !== Infinity) this.t = Math.max(this.t, until);
        return;
      }
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

/** The most messages found in any window (t - windowMs, t]. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("pacing", () => {

  it("never more than the channel's overall limit in any one-second window, and close to it", async () => {
    const clock = new ManualClock(Date.parse(T0));
    const pacer = new ChannelPacer({ perChatPerSecond: 1, globalPerSecond: 30 }, clock);
    const released: number[] = [];
    const all = Array.from({ length: 300 }, (_, i) => pacer.take(`chat-${i}`).then(() => void released.push(clock.now().getTime())));
    await clock.runAll();
    await Promise.all(all);
    expect(released).toHaveLength(300);
    expect(maxInWindow(released, 1000)).toBeLessThanOrEqual(30);
    // 300 messages at 30/s: about 10 s (N / rate), not much later.
    const span = Math.max(...released) - Math.min(...released);
    expect(span).toBeGreaterThanOrEqual(9000);
    expect(span).toBeLessThan(10_000 * 1.03);
  });

  it("bulk keeps the channel's rate when every timer fires late (the lateness does not add up)", async () => {
    const clock = new ManualClock(Date.parse(T0), 2);
    const pacer = new ChannelPacer({ perChatPerSecond: 1, globalPerSecond: 30 }, clock);
    const released: number[] = [];
    const all = Array.from({ length: 600 }, (_, i) => pacer.take(`chat-${i}`, "bulk").then(() => void released.push(clock.now().getTime())));
    await clock.runAll();
    await Promise.all(all);
    expect(maxInWindow(released, 1000)).toBeLessThanOrEqual(30);
    // 600 at 30/s: 20 s. Spaced from each late message's own time it took 21.2 s (+6%).
    const span = Math.max(...released) - Math.min(...released);
    expect(span).toBeLessThan(20_000 * 1.025);
  });

  it("a message that leaves a moment after its release (a write first) is counted from when it left", async () => {
    const clock = new ManualClock(Date.parse(T0));
    const pacer = new ChannelPacer({ perChatPerSecond: 1, globalPerSecond: 30 }, clock);
    const left: number[] = [];
    // Each marks itself first, taking 0-45 ms (seeded), then leaves: what the channel counts.
    let seed = 7;
    const delay = () => ((seed = (seed * 48271) % 2147483647) % 46);
    const all = Array.from({ length: 300 }, (_, i) =>
      pacer.take(`chat-${i}`, i % 3 === 0 ? "live" : "bulk", undefined, async (starting) => {
        await clock.sleep(delay());
        starting();
        left.push(clock.now().getTime());
      }),
    );
    await clock.runAll();
    await Promise.all(all);
    expect(left).toHaveLength(300);
    expect(maxInWindow(left, 1000)).toBeLessThanOrEqual(30);
  });

  it("one chat gets its burst, then one message a second", async () => {
    const clock = new ManualClock(Date.parse(T0));
    const pacer = new ChannelPacer({ perChatPerSecond: 1, globalPerSecond: 30 }, clock);
    const released: number[] = [];
    const all = Array.from({ length: 10 }, () => pacer.take("chat-x").then(() => void released.push(clock.now().getTime())));
    await clock.runAll();
    await Promise.all(all);
    // Three at once, then one a second: in any window of T ms at most 3 + T/1000.
    expect(released.slice(0, 3)).toEqual([released[0], released[0], released[0]]);
    for (const T of [500, 1000, 3000, 5000]) expect(maxInWindow(released, T)).toBeLessThanOrEqual(3 + Math.floor(T / 1000));
    const span = Math.max(...released) - Math.min(...released);
    expect(span).toBeGreaterThanOrEqual(7000);
  });

  it("a slow chat does not hold up the others", async () => {
    const clock = new ManualClock(Date.parse(T0));
    const pacer = new ChannelPacer({ perChatPerSecond: 1, globalPerSecond: 30, perChatBurst: 1 }, clock);
    const start = clock.t;
    const done: Record<string, number> = {};
    const all = [
      ...Array.from({ length: 5 }, (_, i) => pacer.take("busy").then(() => void (done[`busy-${i}`] = clock.now().getTime() - start))),
      ...Array.from({ length: 5 }, (_, i) => pacer.take(`other-${i}`).then(() => void (done[`other-${i}`] = clock.now().getTime() - start))),
    ];
    await clock.runAll();
    await Promise.all(all);
    for (let i = 0; i < 5; i++) expect(done[`other-${i}`]).toBe(0);
    expect(done["busy-4"]).toBeGreaterThanOrEqual(4000);
  });
});
