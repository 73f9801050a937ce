/**
 * Drains the outbox: claims due messages under a lease, sends each person's messages in order
 * through their channel at the channel's pace, and records the outcome. Several instances may drain
 * one PostgreSQL database: rows are claimed with FOR UPDATE SKIP LOCKED, so no row is sent by two.
 * A crash after claiming leaves the lease to expire and the row is sent later; a crash between a
 * successful send and marking it sent is the one window where a message could go twice. Sent rows
 * are marked in small batches (one UPDATE for up to SENT_FLUSH_ROWS rows, at most SENT_FLUSH_MS
 * after the first of them went out), so that window is a fraction of a second, not a whole batch.
 * A person's remaining messages are handed back, unsent, before the claim's lease could run out.
 */
import crypto from "node:crypto";
import type { Channel } from "../channels/channel.js";
import type { Db, Provider } from "../db/client.js";
import type { Logger } from "../logging/logger.js";
import { ChannelSendError, ZOutbound, type ChannelName, type SendReceipt } from "../messaging/model.js";
import type { Clock } from "../shared/clock.js";
import { ChannelPacer } from "./rate-limit.js";
import type { PostgresConnection } from "../db/postgres-connection.js";
import type { SqliteConnection } from "../db/sqlite-connection.js";
import { Outbox } from "./outbox.js";
import { UNREACHABLE, type ClaimedRow } from "./store.js";
import { backoffMs } from "./backoff.js";
import { unseal } from "../security/at-rest.js";

export { backoffMs };

export interface SenderOptions {
  db: Db;
  provider: Provider;
  /** The embedded database's connection (required on SQLite, absent on PostgreSQL): the outbox runs on it. */
  sqlite?: SqliteConnection;
  /** PostgreSQL's pool: the sender's statements run prepared on its connections. */
  postgres?: PostgresConnection;
  channels: Partial<Record<ChannelName, Channel>>;
  readFile: (storageKey: string) => Promise<Buffer>;
  clock: Clock;
  logger: Logger;
  instanceId?: string;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Pace other than the channel's own limits (tests and benchmarks that scale time). */
  paceOverride?: Partial<Record<ChannelName, { perChatPerSecond: number; globalPerSecond: number; perChatBurst?: number }>>;
  /** Called when a person can no longer be reached (bot blocked, account gone). */
  onUnreachable?: (identityId: string, reason: string) => Promise<void>;
  /** Called when the channel refused one message (a template WhatsApp rejects); the person is still reachable. */
  onRefused?: (row: { id: string; identityId: string; channel: string }, reason: string) => Promise<void>;
}

export interface DrainResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/** What became of one send; a retry says when the row is due again. */
type SendOutcome = { kind: "sent" } | { kind: "retried"; nextAttemptAt: Date } | { kind: "failed" } | { kind: "refused" };

export class OutboxSender {
  private readonly instanceId: string;
  private readonly pacers = new Map<string, ChannelPacer>();
  private running = false;
  private readonly wakeUps = new Set<() => void>();
  private loops: Promise<void>[] = [];
  /** Sent, not yet marked so: ids and when the first of them went out. */
  private sentIds: string[] = [];
  private sentSince = 0;
  private flushing: Promise<void> = Promise.resolve();

  private readonly outbox: Outbox;

  constructor(private readonly o: SenderOptions) {
    this.instanceId = o.instanceId ?? `sender-${crypto.randomUUID().slice(0, 8)}`;
    this.outbox = new Outbox({ db: o.db, provider: o.provider, sqlite: o.sqlite, postgres: o.postgres });
  }

  private pacer(channel: ChannelName): ChannelPacer | undefined {
    const ch = this.o.channels[channel];
    if (!ch) return undefined;
    let p = this.pacers.get(channel);
    if (!p) {
      p = new ChannelPacer(this.o.paceOverride?.[channel] ?? ch.limits, this.o.clock);
      this.pacers.set(channel, p);
    }
    return p;
  }

  /** Claim due rows (and rows whose lease ran out) for channels this instance has. */
  async claim(limit = this.o.batchSize ?? 500): Promise<ClaimedRow[]> {
    const now = this.o.clock.now();
    const leaseUntil = new Date(now.getTime() + (this.o.leaseMs ?? 60_000));
    // A channel this instance cannot send on now (a passive WhatsApp instance) is left to others.
    const channels = Object.entries(this.o.channels)
      .filter(([, ch]) => ch !== undefined && ch.canSend?.() !== false)
      .map(([name]) => name);
    if (channels.length === 0) return [];
    return this.outbox.transaction((store) => store.claim({ now, leaseUntil, channels, limit, instanceId: this.instanceId }));
  }

  /** One pass: claim, send per person in order (persons in parallel), record. */
  async drainOnce(): Promise<DrainResult> {
    const leaseMs = this.o.leaseMs ?? 60_000;
    // Measured before the claim, so never later than the lease the claim sets.
    const leaseEnds = this.o.clock.now().getTime() + leaseMs;
    const rows = await this.claim();
    const result: DrainResult = { claimed: rows.length, sent: 0, retried: 0, failed: 0 };
    const byPerson = new Map<string, ClaimedRow[]>();
    for (const r of rows) {
      const list = byPerson.get(r.identityId);
      if (list) list.push(r);
      else byPerson.set(r.identityId, [r]);
    }
    try {
      await Promise.all(
        [...byPerson.values()].map(async (list) => {
          list.sort((a, b) => a.seq - b.seq);
          for (let i = 0; i < list.length; i++) {
            if (this.o.clock.now().getTime() >= leaseEnds - Math.min(5000, leaseMs / 4)) {
              // The lease is about to run out (a long line for one chat): hand the rest back unsent
              // rather than send what another instance may claim again.
              await this.release(list.slice(i));
              break;
            }
            const outcome = await this.sendOne(list[i]!);
            if (outcome.kind === "refused") {
              // Only this message is given up: the person's next ones go on.
              result.failed += 1;
              continue;
            }
            result[outcome.kind] += 1;
            if (outcome.kind !== "sent") {
              // Keep order: what follows waits for the same retry time (or fails with a lost person).
              await this.holdBack(list.slice(i + 1), outcome);
              if (outcome.kind === "failed") result.failed += list.length - i - 1;
              break;
            }
          }
        }),
      );
    } finally {
      await this.flushSent();
    }
    return result;
  }

  /** Hand claimed rows back unsent (the attempt does not count). */
  private async release(rows: ClaimedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.outbox.transaction((store) => store.release(rows.map((r) => r.id), this.instanceId, null));
  }

  /** Record a sent row; rows are marked in batches (see the top of the file). */
  private async markSent(id: string): Promise<void> {
    const now = this.o.clock.now().getTime();
    if (this.sentIds.length === 0) this.sentSince = now;
    this.sentIds.push(id);
    if (this.sentIds.length >= SENT_FLUSH_ROWS || now - this.sentSince >= SENT_FLUSH_MS) await this.flushSent();
  }

  private flushSent(): Promise<void> {
    const run = this.flushing.then(async () => {
      const ids = this.sentIds;
      if (ids.length === 0) return;
      this.sentIds = [];
      await this.outbox.transaction(async (store) => {
        for (let i = 0; i < ids.length; i += SENT_FLUSH_ROWS) await store.markSent(ids.slice(i, i + SENT_FLUSH_ROWS), this.o.clock.now());
      });
    });
    this.flushing = run.catch((e: unknown) => this.o.logger.error({ err: e }, "marking sent messages failed"));
    return run;
  }

  private async sendOne(row: ClaimedRow): Promise<SendOutcome> {
    const { clock, logger } = this.o;
    const channelName = row.channel as ChannelName;
    const channel = this.o.channels[channelName];
    const log = logger.child({ outboxId: row.id, channel: row.channel, attempt: row.attempts });
    let receipt: SendReceipt | undefined;
    try {
      const message = ZOutbound.parse(JSON.parse(unseal(row.payloadJson)));
      if (!channel) throw new ChannelSendError(`channel ${row.channel} is not running`, "retry");
      await this.pacer(channelName)?.take(row.address);
      receipt = (await channel.send(row.address, message, this.o.readFile)) ?? undefined;
    } catch (e) {
      const err = e instanceof ChannelSendError ? e : new ChannelSendError((e as Error).message, "retry");
      const lastError = err.message.slice(0, 500);
      const gaveUp = err.kind === "permanent" || err.kind === "refused" || row.attempts >= (this.o.maxAttempts ?? 60);
      if (gaveUp) {
        log.warn({ kind: err.kind, err: err.message }, "message given up");
        const lost = err.kind === "permanent";
        await this.outbox.transaction(async (store) => {
          await store.fail([row.id], lastError);
          if (lost) await store.markUnreachable(row.identityId, clock.now());
        });
        if (lost) await this.o.onUnreachable?.(row.identityId, err.message).catch((x: unknown) => log.warn({ err: x }, "telling about an unreachable person failed"));
        if (err.kind === "refused") {
          await this.o.onRefused?.({ id: row.id, identityId: row.identityId, channel: row.channel }, err.message).catch((x: unknown) => log.warn({ err: x }, "telling about a refused message failed"));
          return { kind: "refused" };
        }
        return { kind: "failed" };
      }
      const delayMs = err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : backoffMs(row.attempts);
      log.info({ kind: err.kind, delayMs }, "send deferred");
      const nextAttemptAt = new Date(clock.now().getTime() + delayMs);
      await this.outbox.transaction((store) => store.retryLater(row.id, nextAttemptAt, lastError));
      return { kind: "retried", nextAttemptAt };
    }
    if (receipt?.held) {
      const providerMessageId = receipt.providerMessageId ?? null;
      await this.outbox.transaction((store) => store.hold(row.id, providerMessageId));
      return { kind: "sent" };
    }
    // Recorded right away (not with the batched mark): a status webhook may come back within ms.
    const providerMessageId = receipt?.providerMessageId;
    if (providerMessageId) await this.outbox.transaction((store) => store.recordProviderMessageId(row.id, providerMessageId));
    await this.markSent(row.id);
    return { kind: "sent" };
  }

  /** The person's claimed rows after one that was not sent: back to wait for its retry, or failed with it. */
  private async holdBack(rest: ClaimedRow[], outcome: SendOutcome): Promise<void> {
    if (rest.length === 0) return;
    const ids = rest.map((r) => r.id);
    await this.outbox.transaction((store) =>
      outcome.kind === "retried" ? store.release(ids, this.instanceId, outcome.nextAttemptAt) : store.fail(ids, UNREACHABLE),
    );
  }

  /**
   * Run until stopped: drain whenever woken (after a turn commits) and at least every `idleMs`.
   * `concurrency` passes run side by side, so the next batch is claimed while the tail of the last
   * one is still going out (a person's messages stay in order: the claim skips a person whose
   * earlier message is out with a pass).
   */
  start(idleMs = 1000, concurrency = 2): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: Math.max(1, concurrency) }, () =>
      (async () => {
        while (this.running) {
          try {
            const r = await this.drainOnce();
            if (r.claimed > 0) continue;
          } catch (e) {
            this.o.logger.error({ err: e }, "outbox drain failed");
          }
          await new Promise<void>((resolve) => {
            const wake = () => {
              clearTimeout(t);
              this.wakeUps.delete(wake);
              resolve();
            };
            const t = setTimeout(wake, idleMs);
            this.wakeUps.add(wake);
          });
        }
      })(),
    );
  }

  wake(): void {
    for (const w of [...this.wakeUps]) w();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }
}

/** Sent rows are marked with one UPDATE per this many ... */
const SENT_FLUSH_ROWS = 200;
/** ... or once the first of them went out this long ago. */
const SENT_FLUSH_MS = 100;

