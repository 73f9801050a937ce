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
import type { SqliteConnection } from "../db/sqlite-connection.js";
import { SqliteOutbox, type ClaimedRow } from "./sqlite-outbox.js";
import { backoffMs } from "./backoff.js";
import { holdUntilPersonWrites, recordProviderMessageId } from "./delivery.js";

export { backoffMs };

export interface SenderOptions {
  db: Db;
  provider: Provider;
  /** The embedded database's connection (absent on PostgreSQL): claims and sent marks use prepared statements. */
  sqlite?: SqliteConnection;
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

  private readonly sqliteOutbox: SqliteOutbox | undefined;

  constructor(private readonly o: SenderOptions) {
    this.instanceId = o.instanceId ?? `sender-${crypto.randomUUID().slice(0, 8)}`;
    this.sqliteOutbox = o.sqlite ? new SqliteOutbox(o.sqlite.raw) : undefined;
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
    const channels = Object.keys(this.o.channels);
    if (channels.length === 0) return [];
    const db = this.o.db;
    if (this.o.provider === "postgresql") {
      // Only the first unsent message of each person is claimed: one whose person has an earlier
      // message pending (due or waiting for a retry) or out with a sender is left for a later pass.
      // That keeps a person's messages in order whichever rows a pass picks, also when two instances
      // claim at the same moment (the earlier row, locked by the other, still reads as pending).
      // The first due rows in index order are picked before that check, so a claim reads a few
      // rows, not every due one; bitmap scans are off for the claim because the planner, without
      // fresh statistics after a burst of rows, chose them and then re-read every row already sent.
      return db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe("SET LOCAL enable_bitmapscan = off");
        const claimWhere = (which: (t: string) => string, n: number) =>
          tx.$queryRawUnsafe<ClaimedRow[]>(
            `UPDATE "OutboxMessage" SET status = 'sending', "leasedBy" = $1, "leaseUntil" = $2, attempts = attempts + 1
             WHERE id IN (
               SELECT o.id FROM "OutboxMessage" o
               WHERE o.id IN (
                   SELECT c.id FROM "OutboxMessage" c
                   WHERE ${which("c")} AND c."nextAttemptAt" <= $4 AND c.channel = ANY($3::text[])
                   ORDER BY c."nextAttemptAt"
                   LIMIT $6)
                 AND ${which("o")} AND o."nextAttemptAt" <= $4
                 AND NOT EXISTS (
                   SELECT 1 FROM "OutboxMessage" e
                   WHERE e."identityId" = o."identityId" AND e.seq < o.seq AND e.status IN ('pending', 'sending'))
               ORDER BY o."nextAttemptAt", o.seq
               LIMIT $5
               FOR UPDATE SKIP LOCKED)
             RETURNING id, "identityId", channel, address, "payloadJson", seq, attempts`,
            this.instanceId, leaseUntil, channels, now, n, n * 4,
          );
        const expired = await claimWhere((t) => `${t}.status = 'sending' AND ${t}."leaseUntil" < $4`, limit);
        return expired.length < limit ? expired.concat(await claimWhere((t) => `${t}.status = 'pending'`, limit - expired.length)) : expired;
      });
    }
    // SQLite has one writer: a read and a conditional update in one transaction is a claim.
    const { sqlite, outbox } = this.embedded();
    return sqlite.transaction(async () => outbox.claim({ now, leaseUntil, channels, limit, instanceId: this.instanceId }));
  }

  private embedded(): { sqlite: SqliteConnection; outbox: SqliteOutbox } {
    if (!this.o.sqlite || !this.sqliteOutbox) throw new Error("OutboxSender on SQLite needs the database's connection (options.sqlite)");
    return { sqlite: this.o.sqlite, outbox: this.sqliteOutbox };
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
            if (outcome === "refused") {
              // Only this message is given up: the person's next ones go on.
              result.failed += 1;
              continue;
            }
            result[outcome] += 1;
            if (outcome !== "sent") {
              // Keep order: what follows waits for the same retry time (or fails with a lost person).
              await this.holdBack(list.slice(i + 1), outcome, list[i]!.id);
              if (outcome === "failed") result.failed += list.length - i - 1;
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
    await this.o.db.$transaction((tx) =>
      tx.outboxMessage.updateMany({
        where: { id: { in: rows.map((r) => r.id) }, status: "sending", leasedBy: this.instanceId },
        data: { status: "pending", leaseUntil: null, attempts: { decrement: 1 } },
      }),
    );
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
      if (this.o.provider === "sqlite") {
        const { sqlite, outbox } = this.embedded();
        await sqlite.transaction(async () => {
          for (let i = 0; i < ids.length; i += SENT_FLUSH_ROWS) outbox.markSent(ids.slice(i, i + SENT_FLUSH_ROWS), this.o.clock.now());
        });
        return;
      }
      await this.o.db.$transaction(async (tx) => {
        for (let i = 0; i < ids.length; i += SENT_FLUSH_ROWS) {
          await tx.outboxMessage.updateMany({
            // Only rows still out: a delivery status may have moved one on meanwhile (outbox/delivery.ts).
            where: { id: { in: ids.slice(i, i + SENT_FLUSH_ROWS) }, status: "sending" },
            data: { status: "sent", sentAt: this.o.clock.now(), leaseUntil: null, lastError: null },
          });
        }
      });
    });
    this.flushing = run.catch((e: unknown) => this.o.logger.error({ err: e }, "marking sent messages failed"));
    return run;
  }

  private async sendOne(row: ClaimedRow): Promise<"sent" | "retried" | "failed" | "refused"> {
    const { db, clock, logger } = this.o;
    const channelName = row.channel as ChannelName;
    const channel = this.o.channels[channelName];
    const log = logger.child({ outboxId: row.id, channel: row.channel, attempt: row.attempts });
    let receipt: SendReceipt | undefined;
    try {
      const message = ZOutbound.parse(JSON.parse(row.payloadJson));
      if (!channel) throw new ChannelSendError(`channel ${row.channel} is not running`, "retry");
      await this.pacer(channelName)?.take(row.address);
      receipt = (await channel.send(row.address, message, this.o.readFile)) ?? undefined;
    } catch (e) {
      const err = e instanceof ChannelSendError ? e : new ChannelSendError((e as Error).message, "retry");
      const gaveUp = err.kind === "permanent" || err.kind === "refused" || row.attempts >= (this.o.maxAttempts ?? 60);
      if (gaveUp) {
        log.warn({ kind: err.kind, err: err.message }, "message given up");
        // In a transaction: on SQLite a bare statement would join (and share the fate of) any
        // transaction another task has open on the connection.
        await db.$transaction((tx) => tx.outboxMessage.update({ where: { id: row.id }, data: { status: "failed", leaseUntil: null, lastError: err.message.slice(0, 500) } }));
        if (err.kind === "permanent") await this.markUnreachable(row.identityId, err.message);
        if (err.kind === "refused") {
          await this.o.onRefused?.({ id: row.id, identityId: row.identityId, channel: row.channel }, err.message).catch((x: unknown) => log.warn({ err: x }, "telling about a refused message failed"));
          return "refused";
        }
        return "failed";
      }
      const delayMs = err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : backoffMs(row.attempts);
      log.info({ kind: err.kind, delayMs }, "send deferred");
      await db.$transaction((tx) =>
        tx.outboxMessage.update({
          where: { id: row.id },
          data: { status: "pending", leaseUntil: null, nextAttemptAt: new Date(clock.now().getTime() + delayMs), lastError: err.message.slice(0, 500) },
        }),
      );
      return "retried";
    }
    if (receipt?.held) {
      await holdUntilPersonWrites(db, row.id, receipt.providerMessageId ?? null);
      return "sent";
    }
    if (receipt?.providerMessageId) await recordProviderMessageId(db, row.id, receipt.providerMessageId);
    await this.markSent(row.id);
    return "sent";
  }

  private async holdBack(rest: ClaimedRow[], outcome: "retried" | "failed", failedId: string): Promise<void> {
    if (rest.length === 0) return;
    const ids = rest.map((r) => r.id);
    await this.o.db.$transaction(async (tx) => {
      if (outcome === "failed") {
        await tx.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { status: "failed", leaseUntil: null, lastError: "recipient unreachable" } });
        return;
      }
      const failed = await tx.outboxMessage.findUniqueOrThrow({ where: { id: failedId }, select: { nextAttemptAt: true } });
      // Not sent, so the attempt does not count.
      await tx.outboxMessage.updateMany({
        where: { id: { in: ids } },
        data: { status: "pending", leaseUntil: null, nextAttemptAt: failed.nextAttemptAt, attempts: { decrement: 1 } },
      });
    });
  }

  private async markUnreachable(identityId: string, reason: string): Promise<void> {
    const now = this.o.clock.now();
    await this.o.db.$transaction(async (tx) => {
      await tx.identity.update({ where: { id: identityId }, data: { unreachableAt: now } });
      await tx.outboxMessage.updateMany({ where: { identityId, status: { in: ["pending", "held"] } }, data: { status: "failed", lastError: "recipient unreachable" } });
    });
    await this.o.onUnreachable?.(identityId, reason).catch((e: unknown) => this.o.logger.warn({ err: e }, "telling about an unreachable person failed"));
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

