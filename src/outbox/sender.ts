/**
 * Drains the outbox: claims due messages under a lease, sends each person's messages in order
 * through their channel at the channel's pace, and records the outcome. Several instances may drain
 * one PostgreSQL database: rows are claimed with FOR UPDATE SKIP LOCKED, so no row is sent by two.
 *
 * Two lanes (src/outbox/store.ts Lane), each with its own loop and claims: live replies are claimed,
 * paced and given in-flight slots ahead of bulk work (reminders, digests), which takes what is left
 * of the channel's limit (src/outbox/rate-limit.ts). A loop claims again as soon as there is room,
 * without waiting for the messages it already has out (a slow chat never holds up a new reply).
 *
 * Crash safety: each sent row is marked right after its send returned, in a transaction of its own,
 * so after kill -9 at most the messages out at that moment go again. Leases are short and renewed
 * while this sender lives (PostgreSQL: another instance takes over a dead one's rows within
 * `leaseMs`); on SQLite one process owns the file, so a starting sender takes back every row its
 * predecessor held at once. A person's remaining messages are handed back, unsent, before the
 * claim's lease could run out should renewing fail.
 */
import { storedMessageId } from "../security/address-index.js";
import crypto from "node:crypto";
import type { Channel } from "../channels/channel.js";
import type { Db, Provider } from "../db/client.js";
import type { Logger } from "../logging/logger.js";
import { ChannelSendError, ZOutbound, type ChannelName, type SendReceipt } from "../messaging/model.js";
import type { Clock } from "../shared/clock.js";
import { ChannelPacer, TELEGRAM_GROUPS, type PaceLimits } from "./rate-limit.js";
import type { PostgresConnection } from "../db/postgres-connection.js";
import type { SqliteConnection } from "../db/sqlite-connection.js";
import { Outbox } from "./outbox.js";
import { InFlightSlots } from "./in-flight.js";
import { LANES, UNREACHABLE, type ClaimedRow, type Lane } from "./store.js";
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
  /** Rows one claim takes at most. */
  batchSize?: number;
  /** How long a claim is leased; renewed every third of it while the sender runs. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Messages out with the channels at once, at most (a slow channel makes the rest wait). */
  maxInFlight?: number;
  /**
   * Persons with claimed messages not yet settled, per lane, at most (the bulk lane's lead over what
   * it can send). Counted per person, not per row: one chat's long line waits at its own pace and
   * takes one place, not thirty.
   */
  maxClaimed?: Partial<Record<Lane, number>>;
  /** Pace other than the channel's own limits (tests and benchmarks that scale time). */
  paceOverride?: Partial<Record<ChannelName, PaceLimits>>;
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
type SendOutcome = { kind: "sent" } | { kind: "retried"; nextAttemptAt: Date } | { kind: "failed" } | { kind: "refused" } | { kind: "lost" };

/** A once-only row could not be marked before its send: its lease is gone, so it is not ours to send. */
class LeaseLost extends Error {}

/** Until when a claim's rows are surely leased: from the claim, or the last renewal after it. */
interface LeaseView {
  claimedAt: number;
  endsFromClaim: number;
}

const DEFAULT_LEASE_MS = 9_000;
const DEFAULT_MAX_IN_FLIGHT = 32;

export class OutboxSender {
  private readonly instanceId: string;
  private readonly pacers = new Map<string, ChannelPacer>();
  private running = false;
  private readonly wakeUps: Record<Lane, Set<() => void>> = { live: new Set(), bulk: new Set() };
  private loops: Promise<void>[] = [];
  private readonly outstanding = new Set<Promise<unknown>>();
  private readonly claimedOut: Record<Lane, number> = { live: 0, bulk: 0 };
  /** Woken while not waiting (claiming): the loop looks again before it sleeps. */
  private readonly woken: Record<Lane, boolean> = { live: false, bulk: false };
  private renewTimer: NodeJS.Timeout | undefined;
  /** When the last successful renewal started (every row out with this instance is leased until then + leaseMs). */
  private renewedAt = -Infinity;
  private readonly leaseMs: number;
  readonly slots: InFlightSlots;
  private readonly outbox: Outbox;

  constructor(private readonly o: SenderOptions) {
    this.instanceId = o.instanceId ?? `sender-${crypto.randomUUID().slice(0, 8)}`;
    this.outbox = new Outbox({ db: o.db, provider: o.provider, sqlite: o.sqlite, postgres: o.postgres });
    this.leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
    const max = o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.slots = new InFlightSlots(max, Math.max(1, Math.floor(max / 4)));
  }

  /** The pacer of a channel, once it sent something (tests read its figures). */
  pacerOf(channel: ChannelName): ChannelPacer | undefined {
    return this.pacers.get(channel);
  }

  private pacer(channel: ChannelName): ChannelPacer | undefined {
    const ch = this.o.channels[channel];
    if (!ch) return undefined;
    let p = this.pacers.get(channel);
    if (!p) {
      p = new ChannelPacer(this.o.paceOverride?.[channel] ?? { ...ch.limits, ...(channel === "telegram" ? TELEGRAM_GROUPS : {}) }, this.o.clock);
      this.pacers.set(channel, p);
    }
    return p;
  }

  /** Claim due rows of `lane` (and rows whose lease ran out) for channels this instance has. */
  async claim(limit = this.o.batchSize ?? 500, lane: Lane = "live"): Promise<ClaimedRow[]> {
    const now = this.o.clock.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    // A channel this instance cannot send on now (a passive WhatsApp instance) is left to others.
    const channels = Object.entries(this.o.channels)
      .filter(([, ch]) => ch !== undefined && ch.canSend?.() !== false)
      .map(([name]) => name);
    if (channels.length === 0 || limit <= 0) return [];
    return this.outbox.transaction((store) => store.claim({ now, leaseUntil, channels, limit, instanceId: this.instanceId, lane }));
  }

  /** One pass over each lane (or one): claim, send per person in order (persons in parallel), record. */
  async drainOnce(lane?: Lane): Promise<DrainResult> {
    const total: DrainResult = { claimed: 0, sent: 0, retried: 0, failed: 0 };
    for (const l of lane ? [lane] : LANES) {
      const { rows, lease } = await this.claimLeased(l, this.o.batchSize ?? 500);
      const r = await this.sendClaimed(rows, l, lease);
      for (const k of Object.keys(total) as Array<keyof DrainResult>) total[k] += r[k];
    }
    return total;
  }

  private async claimLeased(lane: Lane, limit: number): Promise<{ rows: ClaimedRow[]; lease: LeaseView }> {
    // Measured before the claim, so never later than the lease the claim sets.
    const endsFromClaim = this.o.clock.now().getTime() + this.leaseMs;
    const rows = await this.claim(limit, lane);
    return { rows, lease: { claimedAt: this.o.clock.now().getTime(), endsFromClaim } };
  }

  private leaseEnds(lease: LeaseView): number {
    return this.renewedAt >= lease.claimedAt ? Math.max(lease.endsFromClaim, this.renewedAt + this.leaseMs) : lease.endsFromClaim;
  }

  /** Send claimed rows: each person's in order, persons side by side. `onPersonDone` as each person's rows are settled. */
  private async sendClaimed(rows: ClaimedRow[], lane: Lane, lease: LeaseView, onPersonDone: () => void = () => undefined): Promise<DrainResult> {
    const result: DrainResult = { claimed: rows.length, sent: 0, retried: 0, failed: 0 };
    const byPerson = new Map<string, ClaimedRow[]>();
    for (const r of rows) {
      const list = byPerson.get(r.identityId);
      if (list) list.push(r);
      else byPerson.set(r.identityId, [r]);
    }
    await Promise.all(
      [...byPerson.values()].map(async (list) => {
        list.sort((a, b) => a.seq - b.seq);
        /** Rows before this index are settled (marked, handed back, retried or failed). */
        let settled = 0;
        try {
          for (let i = 0; i < list.length; i++) {
            settled = i;
            if (this.o.clock.now().getTime() >= this.leaseEnds(lease) - Math.min(5000, this.leaseMs / 4)) {
              // The lease is about to run out (renewing failed, or a long line for one chat): hand
              // the rest back unsent rather than send what another instance may claim again.
              await this.release(list.slice(i));
              settled = list.length;
              break;
            }
            const outcome = await this.sendOne(list[i]!, lane);
            if (outcome.kind === "lost") {
              // The claim's lease is gone (another instance may hold these rows now): leave them.
              settled = list.length;
              break;
            }
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
              settled = list.length;
              break;
            }
          }
          settled = list.length;
        } catch (e) {
          this.o.logger.error({ err: e }, "sending a person's messages failed");
          // Found by the crash test (tests/crash/kill-restart.test.ts) under load, when the database
          // would not start a transaction in time: the rows not settled stayed 'sending' under this
          // instance's lease, which renewLeases extends for as long as the process lives, so the
          // person got nothing more until a restart. They are handed back; the one whose send may
          // already have gone out (its mark failed) goes again: a repeat, never a stuck chat.
          this.handBack(list.slice(settled));
        } finally {
          onPersonDone();
        }
      }),
    );
    return result;
  }

  /** Persons in `rows`. */
  private static persons(rows: ClaimedRow[]): number {
    return new Set(rows.map((r) => r.identityId)).size;
  }

  /** Rows to hand back that a failed person's loop left claimed; retried before each renewal until it works. */
  private readonly leftovers = new Map<string, ClaimedRow>();

  private handBack(rows: ClaimedRow[]): void {
    for (const r of rows) this.leftovers.set(r.id, r);
    void this.releaseLeftovers();
  }

  private async releaseLeftovers(): Promise<void> {
    const rows = [...this.leftovers.values()];
    if (rows.length === 0) return;
    try {
      await this.release(rows);
      for (const r of rows) this.leftovers.delete(r.id);
      this.wake("live");
      this.wake("bulk");
    } catch (e) {
      this.o.logger.warn({ err: e, rows: rows.length }, "handing back unsettled outbox rows failed; trying again before the next renewal");
    }
  }

  /** Hand claimed rows back unsent (the attempt does not count). */
  private async release(rows: ClaimedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.outbox.transaction((store) => store.release(rows.map((r) => r.id), this.instanceId, null));
  }

  private async sendOne(row: ClaimedRow, lane: Lane): Promise<SendOutcome> {
    const { clock, logger } = this.o;
    const channelName = row.channel as ChannelName;
    const channel = this.o.channels[channelName];
    const log = logger.child({ outboxId: row.id, channel: row.channel, attempt: row.attempts });
    let receipt: SendReceipt | undefined;
    let slot = false;
    try {
      const message = ZOutbound.parse(JSON.parse(unseal(row.payloadJson)));
      if (!channel) throw new ChannelSendError(`channel ${row.channel} is not running`, "retry");
      const takeSlot = async () => {
        await this.slots.acquire(lane);
        slot = true;
      };
      const pacer = this.pacer(channelName);
      // The channel gets the real address (a WhatsApp JID or wa_id, kept sealed); pacing and the
      // rest go by the stored one, which names the same person.
      const to = row.addressSealed ? unseal(row.addressSealed) : row.address;
      const go = async (starting: () => void = () => undefined) => {
        // Once-only (an announcement): marked in a commit of its own just before the channel is
        // asked, so a sender that dies now leaves a row that is reported, never sent again.
        if (row.onceOnly && !(await this.outbox.statement((store) => store.markSending(row.id, this.instanceId, clock.now())))) throw new LeaseLost();
        // The pace counts the message from now, after the mark's commit (a few ms, more on a busy disk).
        starting();
        return channel.send(to, message, this.o.readFile);
      };
      let sent: SendReceipt | void | undefined;
      if (pacer) sent = await pacer.take(row.address, lane, takeSlot, go);
      else {
        await takeSlot();
        sent = await go();
      }
      receipt = sent ?? undefined;
    } catch (e) {
      if (slot) this.slots.release();
      slot = false;
      if (e instanceof LeaseLost) {
        log.warn("a once-only message's lease ran out before its send; left to whoever holds it now");
        return { kind: "lost" };
      }
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
      // A 429 is about this chat: its next message waits too, no other chat does.
      if (err.kind === "rate_limited") this.pacer(channelName)?.pause(row.address, nextAttemptAt.getTime());
      await this.outbox.transaction((store) => store.retryLater(row.id, nextAttemptAt, lastError));
      return { kind: "retried", nextAttemptAt };
    } finally {
      if (slot) this.slots.release();
    }
    if (receipt?.held) {
      const providerMessageId = receipt.providerMessageId ? storedMessageId(row.channel, receipt.providerMessageId) : null;
      await this.outbox.transaction((store) => store.hold(row.id, providerMessageId));
      return { kind: "sent" };
    }
    // Marked at once, with the channel's id of it (a status webhook may come back within ms).
    // Kept as the inbound ids are (a keyed hash on WhatsApp: a wamid is base64 around the number).
    const providerMessageId = receipt?.providerMessageId ? storedMessageId(row.channel, receipt.providerMessageId) : null;
    await this.outbox.statement((store) => store.markOneSent(row.id, clock.now(), providerMessageId));
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

  /** Every row out with this instance leased for another `leaseMs`. */
  async renewLeases(): Promise<void> {
    await this.releaseLeftovers();
    const started = this.o.clock.now().getTime();
    await this.outbox.transaction((store) => store.renewLeases(this.instanceId, new Date(started + this.leaseMs)));
    this.renewedAt = started;
  }

  /** SQLite: rows a dead predecessor held are due again now (one process owns the file). */
  async takeBackClaims(): Promise<number> {
    return this.outbox.transaction((store) => store.takeBackClaims(this.instanceId, this.o.clock.now()));
  }

  /**
   * Run until stopped: each lane claims whenever woken (after a turn commits, after one of its
   * messages settled) and at least every `idleMs`, as long as it has fewer than its `maxClaimed`
   * rows out. `_concurrency` is kept for callers of the earlier sender (one loop per lane now).
   */
  start(idleMs = 1000, _concurrency?: number): void {
    if (this.running) return;
    this.running = true;
    const every = Math.max(50, Math.floor(this.leaseMs / 3));
    const renew = () => {
      this.renewTimer = setTimeout(() => {
        void this.renewLeases()
          .catch((e: unknown) => this.o.logger.warn({ err: e }, "renewing the outbox leases failed"))
          .finally(() => {
            if (this.running) renew();
          });
      }, every);
      this.renewTimer.unref();
    };
    renew();
    const first = this.o.provider === "sqlite" ? this.takeBackClaims().catch((e: unknown) => this.o.logger.error({ err: e }, "taking back earlier claims failed")) : Promise.resolve(0);
    this.loops = LANES.map((lane) => first.then(() => this.laneLoop(lane, idleMs)));
  }

  private async laneLoop(lane: Lane, idleMs: number): Promise<void> {
    const batch = this.o.batchSize ?? 500;
    const maxClaimed = this.o.maxClaimed?.[lane] ?? (lane === "live" ? batch : Math.min(batch, this.slots.max * 4));
    while (this.running) {
      this.woken[lane] = false;
      const room = maxClaimed - this.claimedOut[lane];
      // Bulk claims in chunks (half its lead), not a row each time one went.
      const mayClaim = lane === "live" ? room > 0 : this.claimedOut[lane] <= maxClaimed / 2;
      let claimed = 0;
      if (mayClaim) {
        try {
          const { rows, lease } = await this.claimLeased(lane, Math.min(batch, room));
          claimed = rows.length;
          if (claimed > 0) {
            this.claimedOut[lane] += OutboxSender.persons(rows);
            const work = this.sendClaimed(rows, lane, lease, () => {
              this.claimedOut[lane] -= 1;
              this.wake(lane);
            });
            this.outstanding.add(work);
            void work.finally(() => this.outstanding.delete(work));
          }
        } catch (e) {
          this.o.logger.error({ err: e, lane }, "outbox claim failed");
        }
      }
      if (claimed > 0 && this.claimedOut[lane] < maxClaimed) continue;
      // A wake that came while this loop was claiming is not lost: it claims again at once.
      if (this.woken[lane]) {
        this.woken[lane] = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(t);
          this.wakeUps[lane].delete(wake);
          resolve();
        };
        const t = setTimeout(wake, idleMs);
        this.wakeUps[lane].add(wake);
      });
    }
  }

  /** Something may be due: a turn committed, a sweep wrote, a message settled. */
  wake(lane?: Lane): void {
    for (const l of lane ? [lane] : LANES) {
      if (this.wakeUps[l].size === 0) this.woken[l] = true;
      for (const w of [...this.wakeUps[l]]) w();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.renewTimer);
    this.wake();
    await Promise.all(this.loops);
    await Promise.all([...this.outstanding]);
    this.loops = [];
  }
}
