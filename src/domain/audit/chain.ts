/**
 * The audit log as a hash chain. Each row's hash covers its own fields, its position (seq) and the
 * previous row's hash; the head row (AuditChainHead, id 1) holds the last seq and hash. A row
 * changed, removed or slipped in afterwards no longer matches, and `npm run audit:verify` names the
 * first row where the chain breaks.
 *
 * Appends serialize on the head row: every append first UPDATEs it, which on PostgreSQL takes its
 * row lock until the transaction ends, so a concurrent writer waits and then reads the head this one
 * left (READ COMMITTED: each statement sees what committed before it). SQLite has one writer at a
 * time anyway. Only Prisma's model API is used, the same on both databases.
 *
 * What a chain cannot show is a rewrite of every hash from some row on by someone with write access
 * to the database: `audit:verify` prints the head hash so it can be written down elsewhere (the
 * monthly report, a paper register) and compared later.
 */
import crypto from "node:crypto";
import type { Db, Tx } from "../../db/client.js";

export interface AuditRecord {
  at: Date;
  /** staff | client | system */
  actorType: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detailJson: string;
}

const HEAD_ID = 1;
/** Legacy rows chained per statement batch when the chain starts. */
const SEAL_BATCH = 500;

/** The hash of one row: sha-256 over its position, the previous hash and every field, as JSON. */
export function auditHash(seq: number, prevHash: string, r: AuditRecord): string {
  const body = JSON.stringify([seq, prevHash, r.at.toISOString(), r.actorType, r.actorId, r.action, r.entity, r.entityId, r.detailJson]);
  return crypto.createHash("sha256").update(body).digest("hex");
}

/** Lock the head for this transaction and read it. */
async function lockHead(tx: Tx): Promise<{ seq: number; hash: string }> {
  // A no-op UPDATE still takes the row lock; the read after it is this transaction's own.
  const touched = await tx.auditChainHead.updateMany({ where: { id: HEAD_ID }, data: { seq: { increment: 0 } } });
  if (touched.count === 0) {
    // The migration writes the head; a database made some other way gets it on the first append.
    return tx.auditChainHead.create({ data: { id: HEAD_ID, seq: 0, hash: "" } });
  }
  return tx.auditChainHead.findUniqueOrThrow({ where: { id: HEAD_ID } });
}

/**
 * Rows written before the chain existed (seq null) are chained in the order they were written,
 * once, by the first append: after that every row is appended with its seq.
 */
async function sealLegacy(tx: Tx, head: { seq: number; hash: string }): Promise<{ seq: number; hash: string }> {
  let { seq, hash } = head;
  for (;;) {
    const rows = await tx.auditLog.findMany({ where: { seq: null }, orderBy: [{ at: "asc" }, { id: "asc" }], take: SEAL_BATCH });
    if (rows.length === 0) return { seq, hash };
    for (const r of rows) {
      seq += 1;
      const h = auditHash(seq, hash, r);
      await tx.auditLog.update({ where: { id: r.id }, data: { seq, prevHash: hash, hash: h } });
      hash = h;
    }
  }
}

/** Append rows to the audit log, in this order, inside the caller's transaction. */
export async function appendAudit(tx: Tx, rows: readonly AuditRecord[]): Promise<void> {
  if (rows.length === 0) return;
  let head = await lockHead(tx);
  if (head.seq === 0) head = await sealLegacy(tx, head);
  let { seq, hash } = head;
  for (const r of rows) {
    seq += 1;
    const h = auditHash(seq, hash, r);
    await tx.auditLog.create({
      data: { at: r.at, actorType: r.actorType, actorId: r.actorId, action: r.action, entity: r.entity, entityId: r.entityId, detailJson: r.detailJson, seq, prevHash: hash, hash: h },
    });
    hash = h;
  }
  await tx.auditChainHead.update({ where: { id: HEAD_ID }, data: { seq, hash } });
}

/** Append outside a transaction of one's own (a dashboard view): its own short transaction. */
export async function appendAuditAlone(db: Db, rows: readonly AuditRecord[]): Promise<void> {
  await db.$transaction((tx) => appendAudit(tx, rows));
}

export interface BrokenRow {
  id: string;
  seq: number | null;
  at: Date;
  /** changed | missing_before | slipped_in | tail_missing */
  problem: "changed" | "missing_before" | "slipped_in" | "tail_missing";
}

export interface ChainCheck {
  ok: boolean;
  /** Rows checked in the chain. */
  rows: number;
  /** The head as stored (write its hash down to compare later). */
  head: { seq: number; hash: string };
  /** Rows from before the chain that the next append will chain (only while the chain is empty). */
  notYetChained: number;
  firstBroken?: BrokenRow;
}

/**
 * Walk the chain in seq order, a page at a time (the log may be large), and stop at the first row
 * that does not match: its fields were changed (hash), a row before it is gone (seq gap or
 * prevHash), or the head says rows after the last one existed (tail removed).
 */
export async function verifyChain(db: Db, pageSize = 1000): Promise<ChainCheck> {
  const head = (await db.auditChainHead.findUnique({ where: { id: HEAD_ID } })) ?? { seq: 0, hash: "" };
  const unchained = await db.auditLog.findFirst({ where: { seq: null }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  const notYetChained = head.seq === 0 ? await db.auditLog.count({ where: { seq: null } }) : 0;
  const result = (firstBroken: BrokenRow | undefined, rows: number): ChainCheck => ({
    ok: !firstBroken,
    rows,
    head: { seq: head.seq, hash: head.hash },
    notYetChained,
    ...(firstBroken ? { firstBroken } : {}),
  });
  let prevSeq = 0;
  let prevHash = "";
  let rows = 0;
  let prevRow: Omit<BrokenRow, "problem"> | undefined;
  for (;;) {
    const page = await db.auditLog.findMany({ where: { seq: { gt: prevSeq } }, orderBy: { seq: "asc" }, take: pageSize });
    for (const r of page) {
      const seq = r.seq!;
      if (seq !== prevSeq + 1) return result({ id: r.id, seq, at: r.at, problem: "missing_before" }, rows);
      // The previous row matched its own hash but not the link its successor holds: it was
      // rewritten together with its hash, so it is the first broken one.
      if (r.prevHash !== prevHash) return result({ ...(prevRow ?? { id: r.id, seq, at: r.at }), problem: "changed" }, Math.max(0, rows - 1));
      if (r.hash !== auditHash(seq, prevHash, r)) return result({ id: r.id, seq, at: r.at, problem: "changed" }, rows);
      prevSeq = seq;
      prevHash = r.hash;
      prevRow = { id: r.id, seq, at: r.at };
      rows += 1;
    }
    if (page.length < pageSize) break;
  }
  if (head.seq !== prevSeq || head.hash !== prevHash) {
    return result({ id: "-", seq: prevSeq + 1, at: new Date(0), problem: "tail_missing" }, rows);
  }
  // Once the chain started, every row is in it: one without a seq was written around it.
  if (head.seq > 0 && unchained) return result({ id: unchained.id, seq: null, at: unchained.at, problem: "slipped_in" }, rows);
  return result(undefined, rows);
}
