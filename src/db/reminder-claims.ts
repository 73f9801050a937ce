/**
 * How reminder sweeps take their rows (src/scheduler/sweeper.ts): a claim leases due reminders to
 * one sweeper instance, and a fence, inside the transaction that writes a batch, keeps only those
 * still leased to it. PostgreSQL: several instances may sweep at once, so the claim skips rows
 * another has locked and the fence locks its rows until the transaction ends. SQLite: one process
 * writes, so a read and an update in one transaction is a claim.
 */
import type { Db, Tx } from "./client.js";
import { providerOf } from "./provider.js";

export interface ClaimedReminder {
  id: string;
  kind: string;
  dueAt: Date;
  identityId: string | null;
  staffId: string | null;
  clientId: string | null;
  caseId: string | null;
  refId: string | null;
  payloadJson: string;
  idempotencyKey: string;
}

export interface ReminderClaim {
  instanceId: string;
  now: Date;
  leaseUntil: Date;
  limit: number;
}

const RETURNED = ["id", "kind", `"dueAt"`, `"identityId"`, `"staffId"`, `"clientId"`, `"caseId"`, `"refId"`, `"payloadJson"`, `"idempotencyKey"`]
  .map((c) => `r.${c}`)
  .join(", ");

const pgClaim = (where: string) => `WITH picked AS (
    SELECT id FROM "Reminder" WHERE ${where} ORDER BY "dueAt" LIMIT $4 FOR UPDATE SKIP LOCKED)
  UPDATE "Reminder" r SET status = 'claimed', "claimedBy" = $1, "claimedUntil" = $2
  FROM picked WHERE r.id = picked.id
  RETURNING ${RETURNED}`;

/** The SQL texts on PostgreSQL ($1 instance, $2 lease end, $3 now, $4 limit). */
export const POSTGRES_REMINDER_SQL = {
  claimExpired: pgClaim(`status = 'claimed' AND "claimedUntil" < $3`),
  claimDue: pgClaim(`status = 'pending' AND "dueAt" <= $3`),
  fence: `SELECT id FROM "Reminder" WHERE id = ANY($1::text[]) AND status = 'claimed' AND "claimedBy" = $2 ORDER BY id FOR UPDATE`,
} as const;

const SELECT = {
  id: true, kind: true, dueAt: true, identityId: true, staffId: true, clientId: true, caseId: true, refId: true, payloadJson: true, idempotencyKey: true,
} as const;

/** Leases up to `limit` reminders: those whose lease ran out first, then due pending ones, oldest first. */
export async function claimReminders(db: Db, c: ReminderClaim, txOptions: { maxWait: number; timeout: number }): Promise<ClaimedReminder[]> {
  if (providerOf(db) === "postgresql") {
    const claim = (sql: string, n: number) => db.$queryRawUnsafe<ClaimedReminder[]>(sql, c.instanceId, c.leaseUntil, c.now, n);
    const expired = await claim(POSTGRES_REMINDER_SQL.claimExpired, c.limit);
    return expired.length < c.limit ? expired.concat(await claim(POSTGRES_REMINDER_SQL.claimDue, c.limit - expired.length)) : expired;
  }
  return db.$transaction(async (tx) => {
    const expired = await tx.reminder.findMany({ where: { status: "claimed", claimedUntil: { lt: c.now } }, orderBy: { dueAt: "asc" }, take: c.limit, select: SELECT });
    const due =
      expired.length < c.limit
        ? await tx.reminder.findMany({ where: { status: "pending", dueAt: { lte: c.now } }, orderBy: { dueAt: "asc" }, take: c.limit - expired.length, select: SELECT })
        : [];
    const all = [...expired, ...due];
    if (all.length > 0) {
      await tx.reminder.updateMany({ where: { id: { in: all.map((r) => r.id) } }, data: { status: "claimed", claimedBy: c.instanceId, claimedUntil: c.leaseUntil } });
    }
    return all;
  }, txOptions);
}

/** The ids among `ids` still claimed by `instanceId`; on PostgreSQL locked until `tx` ends. */
export async function fenceReminders(tx: Tx, ids: readonly string[], instanceId: string): Promise<Set<string>> {
  if (providerOf(tx) === "postgresql") {
    const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(POSTGRES_REMINDER_SQL.fence, ids, instanceId);
    return new Set(rows.map((r) => r.id));
  }
  const rows = await tx.reminder.findMany({ where: { id: { in: [...ids] }, status: "claimed", claimedBy: instanceId }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}
