/**
 * Drains the outbox: claims due messages under a lease, sends each person's messages in order
 * through their channel at the channel's pace, and records the outcome. Several instances may drain
 * one PostgreSQL database: rows are claimed with FOR UPDATE SKIP LOCKED, so no row is sent by two.
 * A crash after claiming leaves the lease to expire and the row is sent later; a crash between a
 * successful send and marking it sent is the one window where a message could go twice, and it is
 * as small as one UPDATE.
 */
import crypto from "node:crypto";
import type { Channel } from "../channels/channel.js";
import type { Db, Provider } from "../db/client.js";
import type { Logger } from "../logging/logger.js";
import { ChannelSendError, ZOutbound, type ChannelName } from "../messaging/model.js";
import type { Clock } from "../shared/clock.js";
import { ChannelPacer } from "./rate-limit.js";

export interface SenderOptions {
  db: Db;
  provider: Provider;
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
  onUnreachable?: (identityId: string) => Promise<void>;
}

export interface DrainResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

interface ClaimedRow {
  id: string;
  identityId: string;
  channel: string;
  address: string;
  payloadJson: string;
  seq: number;
  attempts: number;
}

export class OutboxSender {
  private readonly instanceId: string;
  private readonly pacers = new Map<string, ChannelPacer>();
  private running = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: SenderOptions) {
    this.instanceId = o.instanceId ?? `sender-${crypto.randomUUID().slice(0, 8)}`;
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
      // An earlier message of the same person that is not sendable now (waiting for a retry, or
      // out with another sender) holds the later ones back: one person's messages stay in order.
      return db.$queryRawUnsafe<ClaimedRow[]>(
        `UPDATE "OutboxMessage" SET status = 'sending', "leasedBy" = $1, "leaseUntil" = $2, attempts = attempts + 1
         WHERE id IN (
           SELECT o.id FROM "OutboxMessage" o
           WHERE o.channel = ANY($3::text[]) AND o."nextAttemptAt" <= $4
             AND (o.status = 'pending' OR (o.status = 'sending' AND o."leaseUntil" < $4))
             AND NOT EXISTS (
               SELECT 1 FROM "OutboxMessage" e
               WHERE e."identityId" = o."identityId" AND e.seq < o.seq
                 AND ((e.status = 'pending' AND e."nextAttemptAt" > $4) OR (e.status = 'sending' AND e."leaseUntil" >= $4)))
           ORDER BY o."nextAttemptAt", o.seq
           LIMIT $5
           FOR UPDATE SKIP LOCKED)
         RETURNING id, "identityId", channel, address, "payloadJson", seq, attempts`,
        this.instanceId, leaseUntil, channels, now, limit,
      );
    }
    // SQLite has one writer: a read and a conditional update in one transaction is a claim.
    return db.$transaction(async (tx) => {
      const rows = await tx.outboxMessage.findMany({
        where: {
          channel: { in: channels },
          nextAttemptAt: { lte: now },
          OR: [{ status: "pending" }, { status: "sending", leaseUntil: { lt: now } }],
        },
        orderBy: [{ nextAttemptAt: "asc" }, { seq: "asc" }],
        take: limit,
        select: { id: true, identityId: true, channel: true, address: true, payloadJson: true, seq: true, attempts: true },
      });
      if (rows.length === 0) return [];
      const blockers = await tx.outboxMessage.findMany({
        where: {
          identityId: { in: [...new Set(rows.map((r) => r.identityId))] },
          OR: [{ status: "pending", nextAttemptAt: { gt: now } }, { status: "sending", leaseUntil: { gte: now } }],
        },
        select: { identityId: true, seq: true },
      });
      const firstBlocked = new Map<string, number>();
      for (const b of blockers) firstBlocked.set(b.identityId, Math.min(b.seq, firstBlocked.get(b.identityId) ?? Infinity));
      const claimable = rows.filter((r) => r.seq < (firstBlocked.get(r.identityId) ?? Infinity));
      if (claimable.length === 0) return [];
      await tx.outboxMessage.updateMany({
        where: { id: { in: claimable.map((r) => r.id) } },
        data: { status: "sending", leasedBy: this.instanceId, leaseUntil, attempts: { increment: 1 } },
      });
      return claimable.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  /** One pass: claim, send per person in order (persons in parallel), record. */
  async drainOnce(): Promise<DrainResult> {
    const rows = await this.claim();
    const result: DrainResult = { claimed: rows.length, sent: 0, retried: 0, failed: 0 };
    const byPerson = new Map<string, ClaimedRow[]>();
    for (const r of rows) byPerson.set(r.identityId, [...(byPerson.get(r.identityId) ?? []), r]);
    await Promise.all(
      [...byPerson.values()].map(async (list) => {
        list.sort((a, b) => a.seq - b.seq);
        for (let i = 0; i < list.length; i++) {
          const outcome = await this.sendOne(list[i]!);
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
    return result;
  }

  private async sendOne(row: ClaimedRow): Promise<"sent" | "retried" | "failed"> {
    const { db, clock, logger } = this.o;
    const channelName = row.channel as ChannelName;
    const channel = this.o.channels[channelName];
    const log = logger.child({ outboxId: row.id, channel: row.channel, attempt: row.attempts });
    try {
      const message = ZOutbound.parse(JSON.parse(row.payloadJson));
      if (!channel) throw new ChannelSendError(`channel ${row.channel} is not running`, "retry");
      await this.pacer(channelName)?.take(row.address);
      await channel.send(row.address, message, this.o.readFile);
      await db.outboxMessage.update({ where: { id: row.id }, data: { status: "sent", sentAt: clock.now(), leaseUntil: null, lastError: null } });
      return "sent";
    } catch (e) {
      const err = e instanceof ChannelSendError ? e : new ChannelSendError((e as Error).message, "retry");
      const gaveUp = err.kind === "permanent" || row.attempts >= (this.o.maxAttempts ?? 60);
      if (gaveUp) {
        log.warn({ kind: err.kind, err: err.message }, "message given up");
        await db.outboxMessage.update({ where: { id: row.id }, data: { status: "failed", leaseUntil: null, lastError: err.message.slice(0, 500) } });
        if (err.kind === "permanent") await this.markUnreachable(row.identityId);
        return "failed";
      }
      const delayMs = err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : backoffMs(row.attempts);
      log.info({ kind: err.kind, delayMs }, "send deferred");
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { status: "pending", leaseUntil: null, nextAttemptAt: new Date(clock.now().getTime() + delayMs), lastError: err.message.slice(0, 500) },
      });
      return "retried";
    }
  }

  private async holdBack(rest: ClaimedRow[], outcome: "retried" | "failed", failedId: string): Promise<void> {
    if (rest.length === 0) return;
    const ids = rest.map((r) => r.id);
    if (outcome === "failed") {
      await this.o.db.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { status: "failed", leaseUntil: null, lastError: "recipient unreachable" } });
      return;
    }
    const failed = await this.o.db.outboxMessage.findUniqueOrThrow({ where: { id: failedId }, select: { nextAttemptAt: true } });
    // Not sent, so the attempt does not count.
    await this.o.db.outboxMessage.updateMany({
      where: { id: { in: ids } },
      data: { status: "pending", leaseUntil: null, nextAttemptAt: failed.nextAttemptAt, attempts: { decrement: 1 } },
    });
  }

  private async markUnreachable(identityId: string): Promise<void> {
    const now = this.o.clock.now();
    await this.o.db.identity.update({ where: { id: identityId }, data: { unreachableAt: now } });
    await this.o.db.outboxMessage.updateMany({
      where: { identityId, status: "pending" },
      data: { status: "failed", lastError: "recipient unreachable" },
    });
    await this.o.onUnreachable?.(identityId);
  }

  /** Run until stopped: drain whenever woken (after a turn commits) and at least every `idleMs`. */
  start(idleMs = 1000): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const r = await this.drainOnce();
          if (r.claimed > 0) continue;
        } catch (e) {
          this.o.logger.error({ err: e }, "outbox drain failed");
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, idleMs);
          this.wakeUp = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    })();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }
}

/** 5 s, 10 s, 20 s ... capped at 15 minutes. */
export function backoffMs(attempt: number): number {
  return Math.min(15 * 60_000, 5000 * 2 ** Math.max(0, attempt - 1));
}
