/**
 * One instance holds the WhatsApp login through a database lease. Two WhatsApp channels (what two
 * services build) share one database and one stored login: only the lease holder makes a socket,
 * the other stays passive (no socket, its outbox sender leaves WhatsApp rows alone) and takes over
 * when the holder stops renewing, never while the holder's socket may still be open. Time is a
 * clock the test moves; every wait is for an event (no sleeps). Runs on SQLite and, with
 * TEST_POSTGRES_URL, on PostgreSQL (the service uses the lease there).
 */
import { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createWhatsAppChannel, type WhatsAppChannel } from "../../src/channels/whatsapp/whatsapp-channel.js";
import { prismaAuthStore } from "../../src/db/whatsapp-auth-store.js";
import { prismaServiceLease, type ServiceLeaseStore } from "../../src/db/service-lease.js";
import { OutboxSender } from "../../src/outbox/sender.js";
import { Outbox } from "../../src/outbox/outbox.js";
import type { Clock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/logging/logger.js";
import { FakeSocket, type SentRecord } from "../fixtures/whatsapp/fake-socket.js";
import { createEmptyDatabase, testProvider, useTestDatabase } from "../support/db.js";
import { loadConfig } from "../../src/config/config.js";
import { startService, type RunningService } from "../../src/service.js";
import { waitForChange } from "../support/wait.js";

const t = useTestDatabase();

/** Moves only when the test says; a sleep ends when the clock passes its time. */
class StepClock implements Clock {
  t = Date.parse("2026-03-16T01:00:00Z");
  private sleepers: { at: number; resolve: () => void }[] = [];
  now(): Date {
    return new Date(this.t);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = { at: this.t + ms, resolve };
      this.sleepers.push(sleeper);
      changed();
      signal?.addEventListener("abort", () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      });
    });
  }
  get asleep(): number {
    return this.sleepers.length;
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.sleepers.filter((s) => s.at <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.at > this.t);
    for (const s of due) s.resolve();
  }
}

/** Both lease loops wait for their next beat, then time moves by one beat. */
async function beat(clock: StepClock): Promise<void> {
  await settle("both instances waiting for the next beat", () => clock.asleep === 2);
  clock.advance(RENEW);
}

const TTL = 30_000;
const RENEW = 10_000;
const changes = new EventEmitter();
const changed = () => void changes.emit("change");
const running: WhatsAppChannel[] = [];

afterEach(async () => {
  for (const ch of running.splice(0)) await ch.stop();
});

/** One instance's WhatsApp channel: its sockets, its lease store (which the test can cut off). */
function instance(name: string, clock: StepClock) {
  const sockets: FakeSocket[] = [];
  const sent: SentRecord[] = [];
  const beats = { count: 0, down: false };
  const real = prismaServiceLease(t.db, "whatsapp");
  const store: ServiceLeaseStore = {
    async hold(holder, now, ttl) {
      try {
        if (beats.down) throw new Error("connection to the database lost");
        return await real.hold(holder, now, ttl);
      } finally {
        beats.count += 1;
        changed();
      }
    },
    release: (holder, now) => real.release(holder, now),
    holder: (now) => real.holder(now),
  };
  const channel = createWhatsAppChannel({
    store: prismaAuthStore(t.db),
    logger: pino({ level: "silent" }),
    clock,
    lease: { store, holder: name, ttlMs: TTL, renewMs: RENEW },
    makeSocket: (config) => {
      const s = new FakeSocket(config, clock, sent);
      const end = s.end;
      s.end = async (err) => {
        await end(err);
        changed();
      };
      sockets.push(s);
      changed();
      return s;
    },
    printQr: () => undefined,
  });
  running.push(channel);
  const live = () => sockets.filter((s) => !s.ended).length;
  return { channel, sockets, beats, live };
}

async function settle(what: string, cond: () => boolean): Promise<void> {
  await waitForChange(changes, "change", cond, what, 10_000);
}

describe("WhatsApp login lease", () => {
  it("the first instance connects, the second stays passive and takes over only after the holder's lease lapsed", async () => {
    const clock = new StepClock();
    const a = instance("server-a", clock);
    const b = instance("server-b", clock);
    await a.channel.start(async () => undefined);
    expect(a.sockets).toHaveLength(1);
    expect(a.channel.canSend()).toBe(true);
    await b.channel.start(async () => undefined);
    expect(b.sockets).toHaveLength(0);
    expect(b.channel.canSend()).toBe(false);
    expect(b.channel.pairing.get().state).toBe("standby");
    expect(await prismaServiceLease(t.db, "whatsapp").holder(clock.now())).toBe("server-a");

    // A renews on every beat; B keeps trying and stays passive.
    await beat(clock);
    await settle("both beats", () => a.beats.count === 2 && b.beats.count === 2);
    expect([a.live(), b.live()]).toEqual([1, 0]);

    // A loses its database: it keeps its socket while the lease is surely still its own ...
    a.beats.down = true;
    await beat(clock); // t+20 s: A's lease (renewed at t+10 s) runs to t+40 s
    await settle("beat at 20 s", () => a.beats.count === 3 && b.beats.count === 3);
    expect([a.live(), b.live()]).toEqual([1, 0]);
    await beat(clock); // t+30 s: one beat before the lapse A closes its socket; B still waits
    await settle("A lets go", () => a.beats.count === 4 && b.beats.count === 4 && a.live() === 0);
    expect(b.sockets).toHaveLength(0);
    expect(a.channel.canSend()).toBe(false);
    expect(a.channel.pairing.get().state).toBe("standby");
    await beat(clock); // t+40 s: the lease lapsed; B takes over
    await settle("B takes over", () => b.live() === 1);
    expect(a.live()).toBe(0);
    expect(b.channel.canSend()).toBe(true);
    expect(await prismaServiceLease(t.db, "whatsapp").holder(clock.now())).toBe("server-b");

    // A's database is back: it stays passive while B renews.
    a.beats.down = false;
    await beat(clock);
    await settle("beat at 50 s", () => a.beats.count === 6 && b.beats.count === 6);
    expect([a.live(), b.live()]).toEqual([0, 1]);

    // B stops cleanly (a deploy): it gives the lease up, so A takes over at its next beat.
    await b.channel.stop();
    expect(b.live()).toBe(0);
    await settle("A waiting for its next beat", () => clock.asleep === 1);
    clock.advance(RENEW);
    await settle("A takes over after a clean stop", () => a.live() === 1);
    expect(a.sockets).toHaveLength(2);
  });

  it("a passive instance's outbox sender leaves WhatsApp messages to the holder", async () => {
    const clock = new StepClock();
    const a = instance("server-a", clock);
    const b = instance("server-b", clock);
    await a.channel.start(async () => undefined);
    await b.channel.start(async () => undefined);
    const identity = await t.db.identity.create({ data: { channel: "whatsapp", address: "6281234567890@s.whatsapp.net" } });
    await t.db.$transaction((tx) => new Outbox(t).enqueue(tx, [{ identityId: identity.id, message: { type: "text", text: "Halo" }, idempotencyKey: "k1" }], clock.now()));
    const sender = (channel: WhatsAppChannel, instanceId: string) =>
      new OutboxSender({ db: t.db, provider: t.provider, sqlite: t.sqlite, channels: { whatsapp: channel }, readFile: async () => Buffer.alloc(0), clock, logger: createLogger({ level: "silent" }), instanceId });
    expect(await sender(b.channel, "sender-b").claim()).toEqual([]);
    expect((await sender(a.channel, "sender-a").claim()).map((r) => r.identityId)).toEqual([identity.id]);
  });

  it("alone (one instance), the lease is taken at once and the socket made on start", async () => {
    const clock = new StepClock();
    const a = instance("only-server", clock);
    await a.channel.start(async () => undefined);
    expect(a.live()).toBe(1);
    await a.channel.stop();
    expect(a.live()).toBe(0);
    // Given up on stop: a restart (another holder name) connects without waiting for a lapse.
    const again = instance("only-server-restarted", clock);
    await again.channel.start(async () => undefined);
    expect(again.live()).toBe(1);
  });
});

describe.skipIf(testProvider() !== "postgresql")("two services on one PostgreSQL database", () => {
  it("one connects to WhatsApp, the other is on standby and takes over when the first stops", async () => {
    const empty = await createEmptyDatabase();
    const dirs: string[] = [];
    const services: RunningService[] = [];
    const clock = new StepClock();
    const sockets: { a: FakeSocket[]; b: FakeSocket[] } = { a: [], b: [] };
    const start = async (name: "a" | "b") => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plut-wa-lease-${name}-`));
      dirs.push(dir);
      const config = loadConfig(
        { DATABASE_URL: empty.url, DATA_DIR: dir, PORT: "0", WEB_CHAT_ENABLED: "false", SCHEDULER_ENABLED: "false", LOG_LEVEL: "silent", WHATSAPP_ENABLED: "true" },
        "/nonexistent/.env",
      );
      const service = await startService(config, createLogger({ level: "silent" }), {
        listen: false,
        whatsapp: {
          clock,
          printQr: () => undefined,
          makeSocket: (cfg) => {
            const s = new FakeSocket(cfg, clock, []);
            sockets[name].push(s);
            changed();
            return s;
          },
        },
      });
      services.push(service);
      return service;
    };
    try {
      const a = await start("a");
      const b = await start("b");
      const wa = (s: RunningService) => s.channels.get("whatsapp") as WhatsAppChannel;
      expect(sockets.a).toHaveLength(1);
      expect(sockets.b).toHaveLength(0);
      expect(wa(a).canSend()).toBe(true);
      expect(wa(b).canSend()).toBe(false);
      expect(wa(b).pairing.get().state).toBe("standby");
      const lease = await a.database.db.serviceLease.findUniqueOrThrow({ where: { name: "whatsapp" } });
      expect(lease.holder).toContain(`:${process.pid}:`);

      // A deploy stops A: it gives the lease up, and B connects at its next beat.
      await a.stop();
      services.splice(services.indexOf(a), 1);
      await settle("B waiting for its next beat", () => clock.asleep >= 1);
      clock.advance(RENEW);
      await settle("B connects", () => sockets.b.length === 1);
      await settle("B can send", () => wa(b).canSend());
      expect(sockets.a.every((s) => s.ended)).toBe(true);
    } finally {
      for (const s of services) await s.stop();
      await empty.drop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  }, 60_000);
});
