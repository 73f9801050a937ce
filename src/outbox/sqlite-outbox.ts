/**
 * The sender's two frequent statements on the embedded database, prepared: claiming due rows and
 * marking sent ones. Under load the sender claims a pass after nearly every turn, and the Prisma
 * version cost ~1 ms a pass (four queries and a transaction) against ~0.05 ms here; the rules are
 * the same as the Prisma and PostgreSQL claims in sender.ts (tests/outbox run them all).
 * Lists go in as one JSON array parameter (json_each), so each statement is prepared once.
 */
import type Database from "better-sqlite3";
import { sqliteDate } from "../db/sql-values.js";

export interface ClaimedRow {
  id: string;
  identityId: string;
  channel: string;
  address: string;
  payloadJson: string;
  seq: number;
  attempts: number;
}

const COLUMNS = `id, identityId, channel, address, payloadJson, seq, attempts`;
const IN_LIST = (column: string) => `${column} IN (SELECT value FROM json_each(?))`;

export class SqliteOutbox {
  private readonly expired: Database.Statement;
  private readonly pending: Database.Statement;
  private readonly blockers: Database.Statement;
  private readonly lease: Database.Statement;
  private readonly sent: Database.Statement;

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql).safeIntegers(false);
    // Two index-friendly reads on (status, nextAttemptAt) rather than one with an OR.
    this.expired = p(
      `SELECT ${COLUMNS} FROM "OutboxMessage" WHERE status = 'sending' AND leaseUntil < ? AND nextAttemptAt <= ? AND ${IN_LIST("channel")}
       ORDER BY nextAttemptAt, seq LIMIT ?`,
    );
    this.pending = p(
      `SELECT ${COLUMNS} FROM "OutboxMessage" WHERE status = 'pending' AND nextAttemptAt <= ? AND ${IN_LIST("channel")}
       ORDER BY nextAttemptAt, seq LIMIT ?`,
    );
    this.blockers = p(
      `SELECT identityId, seq FROM "OutboxMessage" WHERE ${IN_LIST("identityId")}
       AND ((status = 'pending' AND nextAttemptAt > ?) OR (status = 'sending' AND leaseUntil >= ?))`,
    );
    this.lease = p(`UPDATE "OutboxMessage" SET status = 'sending', leasedBy = ?, leaseUntil = ?, attempts = attempts + 1 WHERE ${IN_LIST("id")}`);
    // Only rows still out: a delivery status may have moved one on meanwhile (outbox/delivery.ts).
    this.sent = p(`UPDATE "OutboxMessage" SET status = 'sent', sentAt = ?, leaseUntil = NULL, lastError = NULL WHERE status = 'sending' AND ${IN_LIST("id")}`);
  }

  /**
   * Due rows (and rows whose lease ran out), leased to `instanceId`. A person whose earlier message
   * waits for a retry or is out with a sender is skipped, so their messages stay in order.
   * Call inside a transaction.
   */
  claim(o: { now: Date; leaseUntil: Date; channels: string[]; limit: number; instanceId: string }): ClaimedRow[] {
    const now = sqliteDate(o.now);
    const channels = JSON.stringify(o.channels);
    const expired = this.expired.all(now, now, channels, o.limit) as ClaimedRow[];
    const rows = expired.length < o.limit ? expired.concat(this.pending.all(now, channels, o.limit - expired.length) as ClaimedRow[]) : expired;
    if (rows.length === 0) return [];
    const firstBlocked = new Map<string, number>();
    for (const b of this.blockers.all(JSON.stringify([...new Set(rows.map((r) => r.identityId))]), now, now) as Array<{ identityId: string; seq: number }>) {
      firstBlocked.set(b.identityId, Math.min(b.seq, firstBlocked.get(b.identityId) ?? Infinity));
    }
    const claimable = rows.filter((r) => r.seq < (firstBlocked.get(r.identityId) ?? Infinity));
    if (claimable.length === 0) return [];
    this.lease.run(o.instanceId, sqliteDate(o.leaseUntil), JSON.stringify(claimable.map((r) => r.id)));
    return claimable.map((r) => ({ ...r, attempts: r.attempts + 1 }));
  }

  /** Call inside a transaction. */
  markSent(ids: string[], at: Date): void {
    this.sent.run(sqliteDate(at), JSON.stringify(ids));
  }
}
