/**
 * The sweep: claims due reminders in batches, renders each through its kind, writes the messages to
 * the outbox (key `reminder:<reminderId>:<identityId>`) and marks the reminders, in ONE transaction
 * per batch. The claim itself is a short transaction of its own that sets a lease (claimedBy,
 * claimedUntil):
 *
 * - PostgreSQL: UPDATE ... FROM (SELECT ... FOR UPDATE SKIP LOCKED), so instances never claim the
 *   same row; the write transaction re-locks the rows (FOR UPDATE) and goes on only with those still
 *   claimed by this instance (a fence: if the lease ran out and another instance took them over, or
 *   the workflow cancelled them, this instance writes nothing for them).
 * - SQLite: one process writes; claim and write are each one transaction.
 *
 * A crash between claim and write leaves the lease to expire; the next sweep claims the rows again
 * and writes the same outbox keys, so nothing is lost and nothing is written twice.
 *
 * Client kinds respect quiet hours (the reminder is moved to the end of them) and the person's
 * reminders switch (off: cancelled, reason in the payload); staff kinds ignore both.
 */
import crypto from "node:crypto";
import type { Db, Provider, Tx } from "../db/client.js";
import type { SqliteConnection } from "../db/sqlite-connection.js";
import { JsonColumnError, readJson } from "../db/json-columns.js";
import { claimReminders, fenceReminders } from "../db/reminder-claims.js";
import { toLang, DEFAULT_LANG, Translator, type Lang, type Texts } from "../i18n/index.js";
import type { Logger } from "../logging/logger.js";
import { Outbox, type OutboxItem } from "../outbox/outbox.js";
import { formatDate } from "./kinds/common.js";
import type { Outbound } from "../messaging/model.js";
import { isMessageKind } from "../messaging/kinds.js";
import { kindRegistry, REMINDER_KIND_DEFS } from "./kinds/index.js";
import type { Recipient, ReminderKind, ReminderRow, RenderContext, RenderedMessage } from "./kinds/types.js";
import type { OfficeCalendar } from "../domain/calendar/office-calendar.js";
import { bookkeepingOf, withBookkeeping } from "./reminders.js";
import { reminderOutboxKey } from "../messaging/outbox-keys.js";
import { byReach } from "../domain/reach.js";

export interface SweeperOptions {
  db: Db;
  provider: Provider;
  /** The embedded database's connection (required on SQLite, absent on PostgreSQL): the outbox runs on it. */
  sqlite?: SqliteConnection;
  calendar: OfficeCalendar;
  texts: () => Texts;
  logger: Logger;
  instanceId?: string;
  /** Reminders claimed and written per transaction. */
  batchSize?: number;
  /** How long a claim holds before another sweep may take the reminder over. */
  leaseMs?: number;
  /** The kinds known (default: every kind under src/scheduler/kinds). */
  kinds?: readonly ReminderKind[];
  /** A reminder whose rendering keeps failing is cancelled after this many attempts. */
  maxAttempts?: number;
  /** Called after a batch wrote messages (wakes the outbox sender). */
  afterWrite?: () => void;
  /** Workers claiming and writing side by side on PostgreSQL (default 2). */
  concurrency?: number;
}

export interface WrittenMessage {
  reminderId: string;
  kind: string;
  identityId: string;
  idempotencyKey: string;
}

export interface SweepResult {
  batches: number;
  claimed: number;
  done: number;
  cancelled: number;
  deferred: number;
  failed: number;
  /** Outbox rows written. */
  messages: number;
  /** Milliseconds spent claiming and writing (summed over workers). */
  claimMs: number;
  writeMs: number;
  /** Reasons of the cancelled reminders, counted. */
  cancelReasons: Record<string, number>;
  /** With `collect`: each outbox row written. */
  written: WrittenMessage[];
}

type Outcome =
  | { status: "done"; messages: RenderedMessage[] }
  | { status: "cancelled"; reason: string }
  | { status: "deferred"; dueAt: Date };

/** What one batch computes once: quiet hours at its `now`, translators per language. */
interface BatchContext {
  quiet: boolean;
  translators: Map<Lang, Translator>;
}

interface IdentityInfo extends Recipient {
  remindersOn: boolean;
  unreachableAt: Date | null;
  clientRemindersOn: boolean | null;
  clientAnnouncementsOn: boolean | null;
  createdAt: Date;
}

const TX_OPTIONS = { maxWait: 30_000, timeout: 120_000 } as const;
/** Ids per `IN (...)`: within SQLite's smallest parameter limit (999). */
const ID_CHUNK = 500;

export { reminderOutboxKey } from "../messaging/outbox-keys.js";

/** 1, 2, 4 ... minutes, at most an hour, before a reminder whose rendering failed is tried again. */
export function reminderRetryMs(attempt: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempt - 1));
}

export class Sweeper {
  readonly instanceId: string;
  private readonly kinds: ReadonlyMap<string, ReminderKind>;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly outbox: Outbox;

  constructor(private readonly o: SweeperOptions) {
    this.outbox = new Outbox({ db: o.db, provider: o.provider, sqlite: o.sqlite });
    this.instanceId = o.instanceId ?? `sweeper-${crypto.randomUUID().slice(0, 8)}`;
    this.kinds = kindRegistry(o.kinds ?? REMINDER_KIND_DEFS);
    this.batchSize = o.batchSize ?? 500;
    this.leaseMs = o.leaseMs ?? 120_000;
  }

  /**
   * Claim and write everything due at `now`, batch after batch, until nothing due is left. On
   * PostgreSQL `concurrency` workers (default 2) claim and write side by side, each on its own
   * connection; on SQLite one does (the database takes one writer at a time anyway).
   */
  async sweep(now: Date, opts: { collect?: boolean; maxBatches?: number; concurrency?: number } = {}): Promise<SweepResult> {
    const result: SweepResult = {
      batches: 0, claimed: 0, done: 0, cancelled: 0, deferred: 0, failed: 0, messages: 0, claimMs: 0, writeMs: 0,
      cancelReasons: {}, written: [],
    };
    const workers = this.o.provider === "postgresql" ? Math.max(1, opts.concurrency ?? this.o.concurrency ?? 2) : 1;
    const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
    let started = 0;
    const worker = async () => {
      while (started < maxBatches) {
        started += 1;
        const t0 = performance.now();
        const claimed = await this.claim(now);
        result.claimMs += performance.now() - t0;
        if (claimed.length === 0) return;
        result.batches += 1;
        result.claimed += claimed.length;
        const t1 = performance.now();
        await this.write(claimed, now, result, opts.collect ?? false);
        result.writeMs += performance.now() - t1;
        await this.breathe();
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
    return result;
  }

  /**
   * Claim up to one batch: reminders whose lease ran out first, then due pending ones, oldest first.
   * Public so tests can claim and abandon (a crash between claim and write).
   */
  async claim(now: Date, limit = this.batchSize): Promise<ReminderRow[]> {
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    return claimReminders(this.o.db, { instanceId: this.instanceId, now, leaseUntil, limit }, TX_OPTIONS);
  }

  /**
   * Write one claimed batch. If the batch fails as a whole (a kind threw, the database refused),
   * each reminder is tried alone, so one bad reminder neither blocks nor repeats the others.
   */
  async write(claimed: ReminderRow[], now: Date, result: SweepResult, collect = false): Promise<void> {
    try {
      await this.writeBatch(claimed, now, result, collect);
    } catch (e) {
      if (claimed.length === 1) {
        await this.recordFailure(claimed[0]!, now, e, result);
        return;
      }
      this.o.logger.warn({ err: e, batch: claimed.length }, "reminder batch failed; writing one by one");
      for (const r of claimed) {
        try {
          await this.writeBatch([r], now, result, collect);
        } catch (e1) {
          await this.recordFailure(r, now, e1, result);
        }
      }
    }
  }

  private async writeBatch(claimed: ReminderRow[], now: Date, result: SweepResult, collect: boolean): Promise<void> {
    const local: SweepResult = { ...emptyCounts(), written: [] };
    await this.o.db.$transaction(async (tx) => {
      const owned = await fenceReminders(tx, claimed.map((r) => r.id), this.instanceId);
      const rows = claimed.filter((r) => owned.has(r.id));
      if (rows.length === 0) return;
      const identities = await this.loadClientRecipients(tx, rows);
      const outcomes = new Map<string, Outcome>();
      const items: OutboxItem[] = [];
      const batch: BatchContext = { quiet: this.o.calendar.isQuiet(now), translators: new Map() };
      for (const [i, r] of rows.entries()) {
        if (i % 100 === 99) await this.breathe();
        const outcome = await this.outcomeOf(tx, r, now, identities, batch);
        outcomes.set(r.id, outcome);
        if (outcome.status !== "done") continue;
        // Usually one message per person per reminder; a kind may send more (an announcement's
        // file before its text): the second and later get their position in the key.
        const nth = new Map<string, number>();
        for (const m of outcome.messages) {
          const n = (nth.get(m.identityId) ?? 0) + 1;
          nth.set(m.identityId, n);
          const key = reminderOutboxKey(r.id, m.identityId, n);
          items.push({ identityId: m.identityId, message: withReminderKind(m.message, r.kind), idempotencyKey: key });
          if (collect) local.written.push({ reminderId: r.id, kind: r.kind, identityId: m.identityId, idempotencyKey: key });
        }
      }
      await this.breathe();
      // Another sweep worker or a chat turn may write to the same people: lock them (PostgreSQL).
      local.messages = await this.outbox.enqueue(tx, items, now, { lockRecipients: true, lane: "bulk" });
      await this.breathe();
      await this.mark(tx, rows, outcomes, now, local);
    }, TX_OPTIONS);
    result.done += local.done;
    result.cancelled += local.cancelled;
    result.deferred += local.deferred;
    result.messages += local.messages;
    for (const [k, v] of Object.entries(local.cancelReasons)) result.cancelReasons[k] = (result.cancelReasons[k] ?? 0) + v;
    if (collect) result.written.push(...local.written);
    if (local.messages > 0) this.o.afterWrite?.();
  }

  /**
   * SQLite answers synchronously, so a batch is one long run of microtasks that holds up every
   * timer and socket of the process: let them (the outbox sender's pace, inbound messages) have a
   * turn now and then. PostgreSQL answers over a socket, so there is nothing to do.
   */
  private async breathe(): Promise<void> {
    if (this.o.provider === "sqlite") await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** The identities client reminders go to: the reminder's own, else one of its client's. */
  private async loadClientRecipients(tx: Tx, rows: ReminderRow[]): Promise<Map<string, IdentityInfo>> {
    const clientRows = rows.filter((r) => this.kinds.get(r.kind)?.audience === "client");
    const byReminder = new Map<string, IdentityInfo>();
    if (clientRows.length === 0) return byReminder;
    const select = {
      id: true, channel: true, address: true, language: true, clientId: true, staffId: true, displayName: true,
      remindersOn: true, unreachableAt: true, createdAt: true, client: { select: { remindersOn: true, announcementsOn: true } },
    } as const;
    type Row = { client: { remindersOn: boolean; announcementsOn: boolean } | null } & Omit<IdentityInfo, "clientRemindersOn" | "clientAnnouncementsOn">;
    const toInfo = (i: Row): IdentityInfo => {
      const { client, ...rest } = i;
      return { ...rest, clientRemindersOn: client ? client.remindersOn : null, clientAnnouncementsOn: client ? client.announcementsOn : null };
    };
    const ids = [...new Set(clientRows.map((r) => r.identityId).filter((x): x is string => x !== null))];
    const byId = new Map<string, IdentityInfo>();
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      for (const row of await tx.identity.findMany({ where: { id: { in: ids.slice(i, i + ID_CHUNK) } }, select })) byId.set(row.id, toInfo(row));
    }
    const clientIds = [...new Set(clientRows.filter((r) => !r.identityId && r.clientId).map((r) => r.clientId as string))];
    const byClient = new Map<string, IdentityInfo>();
    if (clientIds.length > 0) {
      const all = (await tx.identity.findMany({ where: { clientId: { in: clientIds }, staffId: null }, select })).map(toInfo);
      for (const cid of clientIds) {
        const best = pickIdentity(all.filter((i) => i.clientId === cid));
        if (best) byClient.set(cid, best);
      }
    }
    for (const r of clientRows) {
      const info = r.identityId ? byId.get(r.identityId) : r.clientId ? byClient.get(r.clientId) : undefined;
      if (info) byReminder.set(r.id, info);
    }
    return byReminder;
  }

  private async outcomeOf(tx: Tx, r: ReminderRow, now: Date, identities: Map<string, IdentityInfo>, batch: BatchContext): Promise<Outcome> {
    const kind = this.kinds.get(r.kind);
    if (!kind) {
      this.o.logger.error({ reminderId: r.id, kind: r.kind }, "reminder of an unknown kind cancelled");
      return { status: "cancelled", reason: "unknown_kind" };
    }
    let payload: unknown;
    try {
      payload = readJson(kind.payload, r.payloadJson);
    } catch (e) {
      if (!(e instanceof JsonColumnError)) throw e;
      // Rendering it again would fail the same way: cancelled at once, and said so in the log.
      this.o.logger.error({ reminderId: r.id, kind: r.kind, err: e.message }, "reminder payload unreadable; reminder cancelled");
      return { status: "cancelled", reason: "bad_payload" };
    }
    let recipient: IdentityInfo | null = null;
    if (kind.audience === "client") {
      recipient = identities.get(r.id) ?? null;
      if (!recipient) return { status: "cancelled", reason: "no_recipient" };
      if (recipient.unreachableAt) return { status: "cancelled", reason: "unreachable" };
      if (kind.optOut === "announcements") {
        if (recipient.clientAnnouncementsOn === false) return { status: "cancelled", reason: "announcements_off" };
      } else if (!recipient.remindersOn || recipient.clientRemindersOn === false) return { status: "cancelled", reason: "reminders_off" };
      if (batch.quiet) return { status: "deferred", dueAt: this.o.calendar.nextClientSendTime(now) };
    }
    if (kind.audience === "clients" && batch.quiet) return { status: "deferred", dueAt: this.o.calendar.nextClientSendTime(now) };
    let skipReason: string | undefined;
    const translator = (lang: string) => {
      const l = toLang(lang);
      let t = batch.translators.get(l);
      if (!t) {
        t = new Translator(this.o.texts(), l);
        batch.translators.set(l, t);
      }
      return t;
    };
    const ctx: RenderContext = {
      tx,
      reminder: r,
      payload,
      now,
      t: translator(recipient?.language ?? DEFAULT_LANG),
      calendar: this.o.calendar,
      recipient,
      translator,
      staffRecipients: (filter) => staffRecipients(tx, filter),
      skip: (reason) => {
        skipReason = reason;
        return [];
      },
      formatDate: (date, lang) => formatDate(date, lang, this.o.calendar),
    };
    const messages = await kind.render(ctx);
    if (messages.length === 0 && skipReason !== undefined) return { status: "cancelled", reason: skipReason };
    return { status: "done", messages };
  }

  private async mark(tx: Tx, rows: ReminderRow[], outcomes: Map<string, Outcome>, now: Date, local: SweepResult): Promise<void> {
    const done: string[] = [];
    const deferred = new Map<number, string[]>();
    for (const r of rows) {
      const o = outcomes.get(r.id)!;
      if (o.status === "done") done.push(r.id);
      else if (o.status === "deferred") deferred.set(o.dueAt.getTime(), [...(deferred.get(o.dueAt.getTime()) ?? []), r.id]);
      else {
        await tx.reminder.update({
          where: { id: r.id },
          data: { status: "cancelled", doneAt: now, claimedUntil: null, payloadJson: withBookkeeping(r.payloadJson, { cancelReason: o.reason }) },
        });
        local.cancelled += 1;
        local.cancelReasons[o.reason] = (local.cancelReasons[o.reason] ?? 0) + 1;
      }
    }
    for (let i = 0; i < done.length; i += ID_CHUNK) {
      await tx.reminder.updateMany({ where: { id: { in: done.slice(i, i + ID_CHUNK) } }, data: { status: "done", doneAt: now, claimedUntil: null } });
    }
    local.done += done.length;
    for (const [dueAt, ids] of deferred) {
      await tx.reminder.updateMany({ where: { id: { in: ids } }, data: { status: "pending", dueAt: new Date(dueAt), claimedBy: null, claimedUntil: null } });
      local.deferred += ids.length;
    }
  }

  /** A reminder that could not be written: tried again later with backoff, cancelled at last. */
  private async recordFailure(r: ReminderRow, now: Date, e: unknown, result: SweepResult): Promise<void> {
    const attempts = (bookkeepingOf(r.payloadJson).attempts ?? 0) + 1;
    const giveUp = attempts >= (this.o.maxAttempts ?? 5);
    const lastError = (e instanceof Error ? e.message : String(e)).slice(0, 300);
    this.o.logger.error({ err: e, reminderId: r.id, kind: r.kind, attempts, giveUp }, "reminder could not be written");
    const payloadJson = withBookkeeping(r.payloadJson, { attempts, lastError, ...(giveUp ? { cancelReason: "failed" } : {}) });
    // Only if still ours: a reminder taken over or cancelled meanwhile is left to its new owner.
    // (A transaction: on SQLite a plain statement would join any transaction open on the connection.)
    await this.o.db.$transaction((tx) =>
      tx.reminder.updateMany({
        where: { id: r.id, status: "claimed", claimedBy: this.instanceId },
        data: giveUp
          ? { status: "cancelled", doneAt: now, claimedUntil: null, payloadJson }
          : { status: "pending", dueAt: new Date(now.getTime() + reminderRetryMs(attempts)), claimedBy: null, claimedUntil: null, payloadJson },
      }),
    );
    if (giveUp) {
      result.cancelled += 1;
      result.cancelReasons.failed = (result.cancelReasons.failed ?? 0) + 1;
    } else result.failed += 1;
  }
}

function emptyCounts(): Omit<SweepResult, "written"> {
  return { batches: 0, claimed: 0, done: 0, cancelled: 0, deferred: 0, failed: 0, messages: 0, claimMs: 0, writeMs: 0, cancelReasons: {} };
}

/** Reachable first, then by channel (telegram, whatsapp, web), then the oldest (src/domain/reach.ts). */
function pickIdentity<T extends { unreachableAt: Date | null; channel: string; createdAt: Date }>(list: T[]): T | undefined {
  return byReach(list)[0];
}

/** One reachable identity per active staff member chosen by id and/or role. */
export async function staffRecipients(tx: Tx, filter: { staffIds?: readonly string[]; roles?: readonly string[] }): Promise<Recipient[]> {
  const or = [
    ...(filter.staffIds && filter.staffIds.length > 0 ? [{ id: { in: [...filter.staffIds] } }] : []),
    ...(filter.roles && filter.roles.length > 0 ? [{ role: { in: [...filter.roles] } }] : []),
  ];
  if (or.length === 0) return [];
  const staff = await tx.staff.findMany({
    where: { active: true, OR: or },
    select: {
      id: true,
      identities: {
        select: { id: true, channel: true, address: true, language: true, clientId: true, staffId: true, displayName: true, unreachableAt: true, createdAt: true },
      },
    },
    orderBy: { createdAt: "asc" },
  });
  const out: Recipient[] = [];
  for (const s of staff) {
    const best = pickIdentity(s.identities.filter((i) => !i.unreachableAt));
    if (best) {
      const { unreachableAt: _u, createdAt: _c, ...recipient } = best;
      out.push(recipient);
    }
  }
  return out;
}

/** A reminder's message says what it is (its kind), so a channel can send the matching template. */
function withReminderKind(message: Outbound, kind: string): Outbound {
  return message.kind === undefined && isMessageKind(kind) ? { ...message, kind } : message;
}
