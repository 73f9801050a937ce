/**
 * The outbox on the embedded database: each statement prepared once on the connection and run in the
 * transaction that is open on it (a turn's group commit, a Prisma transaction of the sweep, the
 * sender's own). A prepared statement costs ~0.01 ms here against ~0.2–0.4 ms for a Prisma query,
 * and the outbox is written by every turn and claimed after nearly every one.
 * Lists go in as one JSON array parameter (json_each), so each statement has one text whatever the
 * list's length. Times are written as Prisma writes them (src/db/sql-values.ts).
 */
import type Database from "better-sqlite3";
import { sqliteDate } from "../db/sql-values.js";
import { splitKeysAndSeqs, UNCERTAIN, UNREACHABLE, type ClaimRequest, type ClaimedRow, type DeliveredRow, type KeyOrSeq, type NewOutboxRow, type OutboxStore, type Recipient } from "./store.js";

// addressSealed: the person's real address where `address` is a blind index (store.ts ClaimedRow).
const CLAIMED_COLUMNS = `id, identityId, channel, address, payloadJson, seq, attempts, onceOnly,
  (SELECT i.addressSealed FROM "Identity" i WHERE i.id = "OutboxMessage".identityId) AS addressSealed`;
const IN_LIST = (column: string) => `${column} IN (SELECT value FROM json_each(?))`;

/** The SQL texts, one per statement. */
export const SQLITE_OUTBOX_SQL = {
  existingKeys: `SELECT idempotencyKey FROM "OutboxMessage" WHERE ${IN_LIST("idempotencyKey")}`,
  recipients: `SELECT id, channel, address FROM "Identity" WHERE ${IN_LIST("id")}`,
  // One max() per person, each answered from the (identityId, seq) index.
  lastSeqs: `SELECT j.value AS identityId, (SELECT max(seq) FROM "OutboxMessage" WHERE identityId = j.value) AS seq FROM json_each(?) AS j`,
  // existingKeys and lastSeqs in one statement: a row is a key already written (`key`), or an identity with its max seq.
  keysAndSeqs: `SELECT idempotencyKey AS key, NULL AS identityId, NULL AS seq FROM "OutboxMessage" WHERE ${IN_LIST("idempotencyKey")}
    UNION ALL SELECT NULL, j.value, (SELECT max(seq) FROM "OutboxMessage" WHERE identityId = j.value) FROM json_each(?) AS j`,
  insert: `INSERT INTO "OutboxMessage" (id, identityId, channel, address, payloadJson, status, idempotencyKey, seq, attempts, nextAttemptAt, createdAt, lane, onceOnly)
    VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, 0, ?, ?, ?, ?) ON CONFLICT (idempotencyKey) DO NOTHING`,
  // Before a claim: once-only rows out with a sender that died (marked sending, lease run out).
  settleUncertain: `UPDATE "OutboxMessage" SET status = 'failed', leaseUntil = NULL, lastError = ?
    WHERE lane = ? AND status = 'sending' AND leaseUntil < ? AND onceOnly = 1 AND sendingAt IS NOT NULL`,
  // Run once for rows whose lease ran out (status 'sending'), then for pending ones: each an
  // index-friendly read on (lane, status, nextAttemptAt), where one read with an OR would not be.
  claimDue: `SELECT ${CLAIMED_COLUMNS} FROM "OutboxMessage"
    WHERE lane = ? AND status = ? AND (status = 'pending' OR leaseUntil < ?) AND nextAttemptAt <= ? AND ${IN_LIST("channel")}
    ORDER BY nextAttemptAt, seq LIMIT ?`,
  // What holds back the persons of the due rows: every unsent row of those persons (one waiting for
  // a retry, out with a sender, of the other lane, or due and left out by the limit). "+status"
  // keeps SQLite on the (identityId, seq) index: the status index would read every unsent row of
  // the backlog.
  claimUnsent: `SELECT id, identityId, seq FROM "OutboxMessage" WHERE ${IN_LIST("identityId")} AND +status IN ('pending', 'sending')`,
  claimLease: `UPDATE "OutboxMessage" SET status = 'sending', leasedBy = ?, leaseUntil = ?, attempts = attempts + 1, sendingAt = NULL WHERE ${IN_LIST("id")}`,
  markSending: `UPDATE "OutboxMessage" SET sendingAt = ? WHERE id = ? AND status = 'sending' AND leasedBy = ? AND leaseUntil > ?`,
  // Only rows still out: a delivery status may have moved one on meanwhile.
  markSent: `UPDATE "OutboxMessage" SET status = 'sent', sentAt = ?, leaseUntil = NULL, lastError = NULL WHERE ${IN_LIST("id")} AND +status = 'sending'`,
  markOneSent: `UPDATE "OutboxMessage" SET status = 'sent', sentAt = ?, leaseUntil = NULL, lastError = NULL, providerMessageId = coalesce(?, providerMessageId)
    WHERE id = ? AND status = 'sending'`,
  renewLeases: `UPDATE "OutboxMessage" SET leaseUntil = ? WHERE status = 'sending' AND leasedBy = ?`,
  // Due at once: leaseUntil in the past makes them "lease ran out" for the next claim.
  takeBackClaims: `UPDATE "OutboxMessage" SET leaseUntil = ? WHERE status = 'sending' AND (leasedBy IS NULL OR leasedBy <> ?)`,
  recordProviderMessageId: `UPDATE "OutboxMessage" SET providerMessageId = ? WHERE id = ?`,
  hold: `UPDATE "OutboxMessage" SET status = 'held', leaseUntil = NULL, providerMessageId = ? WHERE id = ? AND status = 'sending'`,
  releaseHeld: `UPDATE "OutboxMessage" SET status = 'pending', nextAttemptAt = ?, providerMessageId = NULL
    WHERE identityId = (SELECT id FROM "Identity" WHERE channel = ? AND address = ?) AND +status = 'held'`,
  byProviderMessageId: `SELECT id, identityId, attempts, payloadJson FROM "OutboxMessage" WHERE providerMessageId = ? AND channel = ? LIMIT 1`,
  noteReceipt: `UPDATE "OutboxMessage" SET deliveredAt = coalesce(deliveredAt, ?), readAt = coalesce(readAt, ?) WHERE id = ?`,
  requeue: `UPDATE "OutboxMessage" SET status = 'pending', nextAttemptAt = ?, leaseUntil = NULL, providerMessageId = NULL, lastError = ? WHERE id = ?`,
  // A once-only row already marked sending may have gone out (its mark as sent failed): it is
  // failed as uncertain, not handed back to go again.
  release: `UPDATE "OutboxMessage" SET leaseUntil = NULL, nextAttemptAt = coalesce(?, nextAttemptAt), attempts = attempts - 1,
      status = CASE WHEN onceOnly = 1 AND sendingAt IS NOT NULL THEN 'failed' ELSE 'pending' END,
      lastError = CASE WHEN onceOnly = 1 AND sendingAt IS NOT NULL THEN '${UNCERTAIN}' ELSE lastError END
    WHERE ${IN_LIST("id")} AND +status = 'sending' AND leasedBy = ?`,
  retryLater: `UPDATE "OutboxMessage" SET status = 'pending', leaseUntil = NULL, nextAttemptAt = ?, lastError = ? WHERE id = ?`,
  fail: `UPDATE "OutboxMessage" SET status = 'failed', leaseUntil = NULL, lastError = ? WHERE ${IN_LIST("id")}`,
  cancelPending: `UPDATE "OutboxMessage" SET status = 'failed', lastError = ? WHERE ${IN_LIST("idempotencyKey")} AND status IN ('pending', 'held')`,
  markIdentityUnreachable: `UPDATE "Identity" SET unreachableAt = ?, updatedAt = ? WHERE id = ?`,
  failPendingOfIdentity: `UPDATE "OutboxMessage" SET status = 'failed', lastError = ? WHERE identityId = ? AND status IN ('pending', 'held')`,
} as const;

type Statements = { [K in keyof typeof SQLITE_OUTBOX_SQL]: Database.Statement };

const storeByConnection = new WeakMap<Database.Database, SqliteOutboxStore>();

export class SqliteOutboxStore implements OutboxStore {
  private readonly s: Statements;

  /** The store of this connection (its statements are prepared once). */
  static on(db: Database.Database): SqliteOutboxStore {
    let store = storeByConnection.get(db);
    if (!store) {
      store = new SqliteOutboxStore(db);
      storeByConnection.set(db, store);
    }
    return store;
  }

  private constructor(private readonly db: Database.Database) {
    // Integers as numbers (the connection's default may hand out BigInt).
    const entries = Object.entries(SQLITE_OUTBOX_SQL).map(([k, sql]) => [k, db.prepare(sql).safeIntegers(false)]);
    this.s = Object.fromEntries(entries) as Statements;
  }

  /** Every statement belongs to a transaction: a bare one would join whatever else is open, or none. */
  private open(): Statements {
    if (!this.db.inTransaction) throw new Error("the outbox was used outside a transaction");
    return this.s;
  }

  async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    const rows = this.open().existingKeys.all(JSON.stringify(keys)) as Array<{ idempotencyKey: string }>;
    return new Set(rows.map((r) => r.idempotencyKey));
  }

  async recipients(identityIds: readonly string[]): Promise<Recipient[]> {
    return this.open().recipients.all(JSON.stringify(identityIds)) as Recipient[];
  }

  async lockRecipients(): Promise<void> {
    this.open();
  }

  async lastSeqs(identityIds: readonly string[]): Promise<Map<string, number>> {
    const rows = this.open().lastSeqs.all(JSON.stringify(identityIds)) as Array<{ identityId: string; seq: number | null }>;
    return new Map(rows.map((r) => [r.identityId, r.seq ?? 0]));
  }

  async keysAndSeqs(keys: readonly string[], identityIds: readonly string[]): Promise<{ existing: Set<string>; lastSeq: Map<string, number> }> {
    const rows = this.open().keysAndSeqs.all(JSON.stringify(keys), JSON.stringify(identityIds)) as KeyOrSeq[];
    return splitKeysAndSeqs(rows);
  }

  async insert(rows: readonly NewOutboxRow[], now: Date): Promise<number> {
    const insert = this.open().insert;
    const at = sqliteDate(now);
    let written = 0;
    for (const r of rows) written += insert.run(r.id, r.identityId, r.channel, r.address, r.payloadJson, r.idempotencyKey, r.seq, at, at, r.lane, r.onceOnly ? 1 : 0).changes;
    return written;
  }

  async claim(o: ClaimRequest): Promise<ClaimedRow[]> {
    const s = this.open();
    const now = sqliteDate(o.now);
    const channels = JSON.stringify(o.channels);
    s.settleUncertain.run(UNCERTAIN, o.lane, now);
    const expired = s.claimDue.all(o.lane, "sending", now, now, channels, o.limit) as ClaimedRow[];
    const rows = expired.length < o.limit ? expired.concat(s.claimDue.all(o.lane, "pending", now, now, channels, o.limit - expired.length) as ClaimedRow[]) : expired;
    if (rows.length === 0) return [];
    // SQLite has one writer, so reading what blocks and leasing in one transaction is a claim.
    const persons = JSON.stringify([...new Set(rows.map((r) => r.identityId))]);
    const due = new Set(rows.map((r) => r.id));
    // Every unsent row of those persons: a due row of the other lane holds back a later one of this
    // lane just as a row waiting for a retry does.
    const blockers = s.claimUnsent.all(persons) as Array<{ id: string; identityId: string; seq: number }>;
    const firstBlocked = new Map<string, number>();
    for (const b of blockers) {
      if (!due.has(b.id)) firstBlocked.set(b.identityId, Math.min(b.seq, firstBlocked.get(b.identityId) ?? Infinity));
    }
    const claimable = rows.filter((r) => r.seq < (firstBlocked.get(r.identityId) ?? Infinity));
    if (claimable.length === 0) return [];
    s.claimLease.run(o.instanceId, sqliteDate(o.leaseUntil), JSON.stringify(claimable.map((r) => r.id)));
    // SQLite keeps a boolean as 0 or 1.
    return claimable.map((r) => ({ ...r, attempts: r.attempts + 1, onceOnly: Boolean(r.onceOnly) }));
  }

  async markSending(id: string, instanceId: string, at: Date): Promise<boolean> {
    const when = sqliteDate(at);
    return this.open().markSending.run(when, id, instanceId, when).changes === 1;
  }

  async markSent(ids: readonly string[], at: Date): Promise<void> {
    this.open().markSent.run(sqliteDate(at), JSON.stringify(ids));
  }

  async markOneSent(id: string, at: Date, providerMessageId: string | null): Promise<void> {
    this.open().markOneSent.run(sqliteDate(at), providerMessageId, id);
  }

  async renewLeases(instanceId: string, leaseUntil: Date): Promise<number> {
    return this.open().renewLeases.run(sqliteDate(leaseUntil), instanceId).changes;
  }

  async takeBackClaims(instanceId: string, now: Date): Promise<number> {
    return this.open().takeBackClaims.run(sqliteDate(new Date(now.getTime() - 1)), instanceId).changes;
  }

  async recordProviderMessageId(id: string, providerMessageId: string): Promise<void> {
    this.open().recordProviderMessageId.run(providerMessageId, id);
  }

  async hold(id: string, providerMessageId: string | null): Promise<void> {
    this.open().hold.run(providerMessageId, id);
  }

  async releaseHeld(channel: string, address: string, now: Date): Promise<number> {
    return this.open().releaseHeld.run(sqliteDate(now), channel, address).changes;
  }

  async byProviderMessageId(channel: string, providerMessageId: string): Promise<DeliveredRow | null> {
    return (this.open().byProviderMessageId.get(providerMessageId, channel) as DeliveredRow | undefined) ?? null;
  }

  async noteReceipt(id: string, deliveredAt: Date, readAt: Date | null): Promise<void> {
    this.open().noteReceipt.run(sqliteDate(deliveredAt), readAt ? sqliteDate(readAt) : null, id);
  }

  async requeue(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    this.open().requeue.run(sqliteDate(nextAttemptAt), error, id);
  }

  async release(ids: readonly string[], instanceId: string, nextAttemptAt: Date | null): Promise<void> {
    this.open().release.run(nextAttemptAt ? sqliteDate(nextAttemptAt) : null, JSON.stringify(ids), instanceId);
  }

  async retryLater(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    this.open().retryLater.run(sqliteDate(nextAttemptAt), error, id);
  }

  async fail(ids: readonly string[], error: string): Promise<void> {
    this.open().fail.run(error, JSON.stringify(ids));
  }

  async cancelPending(keys: readonly string[], reason: string): Promise<number> {
    return this.open().cancelPending.run(reason, JSON.stringify(keys)).changes;
  }

  async markUnreachable(identityId: string, at: Date): Promise<void> {
    const s = this.open();
    s.markIdentityUnreachable.run(sqliteDate(at), sqliteDate(at), identityId);
    s.failPendingOfIdentity.run(UNREACHABLE, identityId);
  }
}
