/**
 * The outbox on PostgreSQL: SQL in the caller's transaction (a turn's, a sweep batch's, or the
 * sender's own short one). Several instances may share the database: rows are claimed with
 * FOR UPDATE SKIP LOCKED, and writers to one person take that person's advisory lock before they
 * number the person's messages. Lists go in as one array parameter, so each statement has one text.
 * Times are UTC, as Prisma keeps them in timestamp(3) columns (src/db/sql-values.ts).
 */
import type { PgStatements } from "../db/pg-statements.js";
import { pgTimestamp } from "../db/sql-values.js";
import { splitKeysAndSeqs, UNCERTAIN, UNREACHABLE, type ClaimRequest, type ClaimedRow, type DeliveredRow, type KeyOrSeq, type NewOutboxRow, type OutboxStore, type Recipient } from "./store.js";

/** Rows per INSERT: the columns go in as arrays, so this bounds one statement's size, not its text. */
const INSERT_ROWS = 5000;

/** The SQL texts, one per statement. */
export const POSTGRES_OUTBOX_SQL = {
  existingKeys: `SELECT "idempotencyKey" FROM "OutboxMessage" WHERE "idempotencyKey" = ANY($1::text[])`,
  recipients: `SELECT id, channel, address FROM "Identity" WHERE id = ANY($1::text[])`,
  // The per-person lock of the turns (src/db/turn-rows.ts PERSON_LOCK_SQL), for many people, in key order.
  lockRecipients: `SELECT count(*)::int AS n FROM (SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k) AS l`,
  // One max() per person, each answered from the ("identityId", seq) index.
  lastSeqs: `SELECT i AS "identityId", (SELECT max(seq) FROM "OutboxMessage" WHERE "identityId" = i) AS seq FROM unnest($1::text[]) AS i`,
  // existingKeys and lastSeqs in one statement: a row is a key already written (`key`), or an identity with its max seq.
  keysAndSeqs: `SELECT "idempotencyKey" AS key, NULL::text AS "identityId", NULL::int AS seq FROM "OutboxMessage" WHERE "idempotencyKey" = ANY($1::text[])
    UNION ALL SELECT NULL, i, (SELECT max(seq) FROM "OutboxMessage" WHERE "identityId" = i) FROM unnest($2::text[]) AS i`,
  // A key written meanwhile by another instance is skipped instead of aborting the transaction.
  insert: `INSERT INTO "OutboxMessage" (id, "identityId", channel, address, "payloadJson", status, "idempotencyKey", seq, attempts, "nextAttemptAt", "createdAt", lane, "onceOnly")
    SELECT id, ident, ch, addr, payload, 'pending', k, sq, 0, $8::timestamp(3), $8::timestamp(3), ln, once
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $9::text[], $10::boolean[]) AS v(id, ident, ch, addr, payload, k, sq, ln, once)
    ON CONFLICT ("idempotencyKey") DO NOTHING`,
  // Before a claim: once-only rows out with a sender that died (marked sending, lease run out).
  settleUncertain: `UPDATE "OutboxMessage" SET status = 'failed', "leaseUntil" = NULL, "lastError" = $1
    WHERE lane = $2 AND status = 'sending' AND "leaseUntil" < $3 AND "onceOnly" AND "sendingAt" IS NOT NULL`,
  // Bitmap scans are off for the claim: without fresh statistics after a burst of rows the planner
  // chose them and then re-read every row already sent.
  claimPlan: `SET LOCAL enable_bitmapscan = off`,
  // Run once for rows whose lease ran out ($7 = 'sending'), then for pending ones ($7 = 'pending').
  // Only the first unsent message of each person is claimed: one whose person has an earlier
  // message pending (due or waiting for a retry) or out with a sender is left for a later pass.
  // That keeps a person's messages in order whichever rows a pass picks, also when two instances
  // claim at the same moment (the earlier row, locked by the other, still reads as pending). The
  // first due rows in index order are picked before that check, so a claim reads a few rows, not
  // every due one.
  claim: `UPDATE "OutboxMessage" SET status = 'sending', "leasedBy" = $1, "leaseUntil" = $2, attempts = attempts + 1, "sendingAt" = NULL
    WHERE id IN (
      SELECT o.id FROM "OutboxMessage" o
      WHERE o.id IN (
          SELECT c.id FROM "OutboxMessage" c
          WHERE c.lane = $8 AND c.status = $7 AND (c.status = 'pending' OR c."leaseUntil" < $4) AND c."nextAttemptAt" <= $4 AND c.channel = ANY($3::text[])
          ORDER BY c."nextAttemptAt"
          LIMIT $6)
        AND o.status = $7 AND (o.status = 'pending' OR o."leaseUntil" < $4) AND o."nextAttemptAt" <= $4
        AND NOT EXISTS (
          SELECT 1 FROM "OutboxMessage" e
          WHERE e."identityId" = o."identityId" AND e.seq < o.seq AND e.status IN ('pending', 'sending'))
      ORDER BY o."nextAttemptAt", o.seq
      LIMIT $5
      FOR UPDATE SKIP LOCKED)
    RETURNING id, "identityId", channel, address, "payloadJson", seq, attempts, "onceOnly",
      (SELECT i."addressSealed" FROM "Identity" i WHERE i.id = "OutboxMessage"."identityId") AS "addressSealed"`,
  markSending: `UPDATE "OutboxMessage" SET "sendingAt" = $1 WHERE id = $2 AND status = 'sending' AND "leasedBy" = $3 AND "leaseUntil" > $1`,
  // Only rows still out: a delivery status may have moved one on meanwhile.
  markSent: `UPDATE "OutboxMessage" SET status = 'sent', "sentAt" = $1, "leaseUntil" = NULL, "lastError" = NULL WHERE id = ANY($2::text[]) AND status = 'sending'`,
  markOneSent: `UPDATE "OutboxMessage" SET status = 'sent', "sentAt" = $1, "leaseUntil" = NULL, "lastError" = NULL, "providerMessageId" = coalesce($2, "providerMessageId")
    WHERE id = $3 AND status = 'sending'`,
  renewLeases: `UPDATE "OutboxMessage" SET "leaseUntil" = $1 WHERE status = 'sending' AND "leasedBy" = $2`,
  takeBackClaims: `UPDATE "OutboxMessage" SET "leaseUntil" = $1 WHERE status = 'sending' AND ("leasedBy" IS NULL OR "leasedBy" <> $2)`,
  recordProviderMessageId: `UPDATE "OutboxMessage" SET "providerMessageId" = $1 WHERE id = $2`,
  hold: `UPDATE "OutboxMessage" SET status = 'held', "leaseUntil" = NULL, "providerMessageId" = $1 WHERE id = $2 AND status = 'sending'`,
  releaseHeld: `UPDATE "OutboxMessage" SET status = 'pending', "nextAttemptAt" = $1, "providerMessageId" = NULL
    WHERE "identityId" = (SELECT id FROM "Identity" WHERE channel = $2 AND address = $3) AND status = 'held'`,
  byProviderMessageId: `SELECT id, "identityId", attempts, "payloadJson" FROM "OutboxMessage" WHERE "providerMessageId" = $1 AND channel = $2 LIMIT 1`,
  noteReceipt: `UPDATE "OutboxMessage" SET "deliveredAt" = coalesce("deliveredAt", $1), "readAt" = coalesce("readAt", $2::timestamp(3)) WHERE id = $3`,
  requeue: `UPDATE "OutboxMessage" SET status = 'pending', "nextAttemptAt" = $1, "leaseUntil" = NULL, "providerMessageId" = NULL, "lastError" = $2 WHERE id = $3`,
  // A once-only row already marked sending may have gone out (its mark as sent failed): it is
  // failed as uncertain, not handed back to go again.
  release: `UPDATE "OutboxMessage" SET "leaseUntil" = NULL, "nextAttemptAt" = coalesce($1::timestamp(3), "nextAttemptAt"), attempts = attempts - 1,
      status = CASE WHEN "onceOnly" AND "sendingAt" IS NOT NULL THEN 'failed' ELSE 'pending' END,
      "lastError" = CASE WHEN "onceOnly" AND "sendingAt" IS NOT NULL THEN '${UNCERTAIN}' ELSE "lastError" END
    WHERE id = ANY($2::text[]) AND status = 'sending' AND "leasedBy" = $3`,
  retryLater: `UPDATE "OutboxMessage" SET status = 'pending', "leaseUntil" = NULL, "nextAttemptAt" = $1, "lastError" = $2 WHERE id = $3`,
  fail: `UPDATE "OutboxMessage" SET status = 'failed', "leaseUntil" = NULL, "lastError" = $1 WHERE id = ANY($2::text[])`,
  cancelPending: `UPDATE "OutboxMessage" SET status = 'failed', "lastError" = $1 WHERE "idempotencyKey" = ANY($2::text[]) AND status IN ('pending', 'held')`,
  markIdentityUnreachable: `UPDATE "Identity" SET "unreachableAt" = $1, "updatedAt" = $1 WHERE id = $2`,
  failPendingOfIdentity: `UPDATE "OutboxMessage" SET status = 'failed', "lastError" = $1 WHERE "identityId" = $2 AND status IN ('pending', 'held')`,
} as const;

const SQL = POSTGRES_OUTBOX_SQL;

type Name = keyof typeof SQL;

export class PostgresOutboxStore implements OutboxStore {
  /** `sql`: the transaction's statements (a Prisma transaction, or a turn's pool connection). */
  constructor(private readonly sql: PgStatements) {}

  private rows<T>(name: Name, ...values: unknown[]): Promise<T[]> {
    return this.sql.rows<T>(`outbox_${name}`, SQL[name], values);
  }

  private run(name: Name, ...values: unknown[]): Promise<number> {
    return this.sql.run(`outbox_${name}`, SQL[name], values);
  }

  async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    const rows = await this.rows<{ idempotencyKey: string }>("existingKeys", keys);
    return new Set(rows.map((r) => r.idempotencyKey));
  }

  recipients(identityIds: readonly string[]): Promise<Recipient[]> {
    return this.rows<Recipient>("recipients", identityIds);
  }

  async lockRecipients(recipients: readonly Recipient[]): Promise<void> {
    const keys = [...new Set(recipients.map((r) => `${r.channel}:${r.address}`))].sort();
    if (keys.length > 0) await this.rows("lockRecipients", keys);
  }

  async lastSeqs(identityIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.rows<{ identityId: string; seq: number | null }>("lastSeqs", identityIds);
    return new Map(rows.map((r) => [r.identityId, r.seq ?? 0]));
  }

  async keysAndSeqs(keys: readonly string[], identityIds: readonly string[]): Promise<{ existing: Set<string>; lastSeq: Map<string, number> }> {
    return splitKeysAndSeqs(await this.rows<KeyOrSeq>("keysAndSeqs", keys, identityIds));
  }

  async insert(rows: readonly NewOutboxRow[], now: Date): Promise<number> {
    let written = 0;
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      const part = rows.slice(i, i + INSERT_ROWS);
      written += await this.run("insert",
        part.map((r) => r.id),
        part.map((r) => r.identityId),
        part.map((r) => r.channel),
        part.map((r) => r.address),
        part.map((r) => r.payloadJson),
        part.map((r) => r.idempotencyKey),
        part.map((r) => r.seq),
        pgTimestamp(now),
        part.map((r) => r.lane),
        part.map((r) => r.onceOnly),
      );
    }
    return written;
  }

  async claim(o: ClaimRequest): Promise<ClaimedRow[]> {
    await this.run("claimPlan");
    await this.run("settleUncertain", UNCERTAIN, o.lane, o.now);
    const claimWhere = (status: "sending" | "pending", n: number) =>
      this.rows<ClaimedRow>("claim", o.instanceId, o.leaseUntil, o.channels, o.now, n, n * 4, status, o.lane);
    const expired = await claimWhere("sending", o.limit);
    return expired.length < o.limit ? expired.concat(await claimWhere("pending", o.limit - expired.length)) : expired;
  }

  async markSending(id: string, instanceId: string, at: Date): Promise<boolean> {
    return (await this.run("markSending", at, id, instanceId)) === 1;
  }

  async markSent(ids: readonly string[], at: Date): Promise<void> {
    await this.run("markSent", at, ids);
  }

  async markOneSent(id: string, at: Date, providerMessageId: string | null): Promise<void> {
    await this.run("markOneSent", at, providerMessageId, id);
  }

  renewLeases(instanceId: string, leaseUntil: Date): Promise<number> {
    return this.run("renewLeases", leaseUntil, instanceId);
  }

  takeBackClaims(instanceId: string, now: Date): Promise<number> {
    return this.run("takeBackClaims", new Date(now.getTime() - 1), instanceId);
  }

  async recordProviderMessageId(id: string, providerMessageId: string): Promise<void> {
    await this.run("recordProviderMessageId", providerMessageId, id);
  }

  async hold(id: string, providerMessageId: string | null): Promise<void> {
    await this.run("hold", providerMessageId, id);
  }

  releaseHeld(channel: string, address: string, now: Date): Promise<number> {
    return this.run("releaseHeld", now, channel, address);
  }

  async byProviderMessageId(channel: string, providerMessageId: string): Promise<DeliveredRow | null> {
    const rows = await this.rows<DeliveredRow>("byProviderMessageId", providerMessageId, channel);
    return rows[0] ?? null;
  }

  async noteReceipt(id: string, deliveredAt: Date, readAt: Date | null): Promise<void> {
    await this.run("noteReceipt", deliveredAt, readAt, id);
  }

  async requeue(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    await this.run("requeue", nextAttemptAt, error, id);
  }

  async release(ids: readonly string[], instanceId: string, nextAttemptAt: Date | null): Promise<void> {
    await this.run("release", nextAttemptAt, ids, instanceId);
  }

  async retryLater(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    await this.run("retryLater", nextAttemptAt, error, id);
  }

  async fail(ids: readonly string[], error: string): Promise<void> {
    await this.run("fail", error, ids);
  }

  cancelPending(keys: readonly string[], reason: string): Promise<number> {
    return this.run("cancelPending", reason, keys);
  }

  async markUnreachable(identityId: string, at: Date): Promise<void> {
    await this.run("markIdentityUnreachable", at, identityId);
    await this.run("failPendingOfIdentity", UNREACHABLE, identityId);
  }
}
