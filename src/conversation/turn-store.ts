/**
 * The reads and writes every conversation turn makes (was this message handled, who is this, their
 * session, the replies), behind one small interface: the rows through src/db/turn-rows.ts on the
 * turn's own connection, the replies through the outbox (src/outbox/outbox.ts has the rules).
 *  - SqliteTurnStore: prepared statements on the embedded database's connection.
 *  - PostgresTurnStore: named prepared statements on the pool connection of the turn's transaction.
 *  - PrismaTurnStore: the same through Prisma (kept as the reference the others are held to).
 * tests/conversation/turn-store.test.ts runs them against the same expectations.
 */
import type Database from "better-sqlite3";
import type { Tx } from "../db/client.js";
import type { PgStatements } from "../db/pg-statements.js";
import { lockPerson } from "../db/person-lock.js";
import { PostgresTurnRows, SqliteTurnRows, type IdentityRow, type SessionRow, type SessionWrite, type TurnRows } from "../db/turn-rows.js";
import { enqueue, type OutboxItem } from "../outbox/outbox.js";
import { PostgresOutboxStore } from "../outbox/postgres-store.js";
import { SqliteOutboxStore } from "../outbox/sqlite-store.js";
import type { Lane, OutboxStore } from "../outbox/store.js";

export type { IdentityRow, SessionRow, SessionWrite } from "../db/turn-rows.js";

export interface TurnStore extends TurnRows {
  /**
   * Writes messages to send through the outbox (src/outbox/outbox.ts has the rules): an existing key
   * is skipped, `seq` continues each person's order. `known` saves a lookup for recipients the
   * caller has at hand.
   */
  enqueue(items: OutboxItem[], now: Date, known?: Array<{ id: string; channel: string; address: string }>, lane?: Lane): Promise<number>;
  /** Messages of these keys not gone yet are failed with `reason` (src/outbox/store.ts cancelPending). */
  cancelQueued(keys: readonly string[], reason: string): Promise<number>;
}

/** A turn's rows and its outbox, in the same transaction. */
class RowsAndOutbox implements TurnStore {
  constructor(
    private readonly rows: TurnRows,
    private readonly outbox: OutboxStore,
  ) {}

  lockPerson(key: string): Promise<void> {
    return this.rows.lockPerson(key);
  }
  identityByAddress(channel: string, address: string): Promise<IdentityRow | null> {
    return this.rows.identityByAddress(channel, address);
  }
  identityById(id: string): Promise<IdentityRow | null> {
    return this.rows.identityById(id);
  }
  createIdentity(channel: string, address: string, now: Date, addressSealed: string | null = null): Promise<IdentityRow> {
    return this.rows.createIdentity(channel, address, now, addressSealed);
  }
  setDisplayName(identityId: string, name: string, now: Date): Promise<void> {
    return this.rows.setDisplayName(identityId, name, now);
  }
  markInbound(channel: string, messageId: string, identityId: string, now: Date): Promise<boolean> {
    return this.rows.markInbound(channel, messageId, identityId, now);
  }
  session(identityId: string): Promise<SessionRow | null> {
    return this.rows.session(identityId);
  }
  saveSession(identityId: string, data: SessionWrite, now: Date): Promise<void> {
    return this.rows.saveSession(identityId, data, now);
  }
  enqueue(items: OutboxItem[], now: Date, known: Array<{ id: string; channel: string; address: string }> = [], lane: Lane = "live"): Promise<number> {
    return enqueue(this.outbox, items, now, { known, lane });
  }
  cancelQueued(keys: readonly string[], reason: string): Promise<number> {
    return this.outbox.cancelPending(keys, reason);
  }
}

/** Only for use inside the connection's transaction (SqliteConnection.transaction). */
export class SqliteTurnStore extends RowsAndOutbox {
  constructor(db: Database.Database) {
    super(new SqliteTurnRows(db), SqliteOutboxStore.on(db));
  }
}

/** Only for use inside the transaction `sql` belongs to (PostgresConnection.transaction). */
export class PostgresTurnStore extends RowsAndOutbox {
  constructor(sql: PgStatements) {
    super(new PostgresTurnRows(sql), new PostgresOutboxStore(sql));
  }
}

const IDENTITY_SELECT = { id: true, channel: true, address: true, clientId: true, staffId: true, displayName: true, language: true, remindersOn: true, consentedAt: true } as const;

export class PrismaTurnStore implements TurnStore {
  /** `outbox`: the outbox inside the same transaction (Outbox.in(tx)). */
  constructor(
    private readonly tx: Tx,
    private readonly outbox: OutboxStore,
  ) {}

  lockPerson(key: string): Promise<void> {
    return lockPerson(this.tx, key);
  }

  identityByAddress(channel: string, address: string): Promise<IdentityRow | null> {
    return this.tx.identity.findUnique({ where: { channel_address: { channel, address } }, select: IDENTITY_SELECT });
  }

  identityById(id: string): Promise<IdentityRow | null> {
    return this.tx.identity.findUnique({ where: { id }, select: IDENTITY_SELECT });
  }

  createIdentity(channel: string, address: string, now: Date, addressSealed: string | null = null): Promise<IdentityRow> {
    return this.tx.identity.create({ data: { channel, address, addressSealed, createdAt: now }, select: IDENTITY_SELECT });
  }

  async setDisplayName(identityId: string, name: string): Promise<void> {
    await this.tx.identity.update({ where: { id: identityId }, data: { displayName: name } });
  }

  async markInbound(channel: string, messageId: string, identityId: string, now: Date): Promise<boolean> {
    // The person's lock is held (src/conversation/inbox.ts), so nobody else records this id meanwhile.
    const seen = await this.tx.processedInbound.findUnique({ where: { channel_messageId: { channel, messageId } }, select: { channel: true } });
    if (seen) return false;
    await this.tx.processedInbound.create({ data: { channel, messageId, identityId, processedAt: now } });
    return true;
  }

  session(identityId: string): Promise<SessionRow | null> {
    return this.tx.conversationSession.findUnique({ where: { identityId }, select: { stateJson: true, status: true, offeredJson: true, nudgeDueAt: true, expireDueAt: true } });
  }

  async saveSession(identityId: string, data: SessionWrite): Promise<void> {
    const { offeredJson, ...rest } = data;
    const row = { ...rest, ...(offeredJson !== undefined ? { offeredJson } : {}) };
    await this.tx.conversationSession.upsert({ where: { identityId }, create: { identityId, ...row }, update: row });
  }

  enqueue(items: OutboxItem[], now: Date, known: Array<{ id: string; channel: string; address: string }> = [], lane: Lane = "live"): Promise<number> {
    return enqueue(this.outbox, items, now, { known, lane });
  }

  cancelQueued(keys: readonly string[], reason: string): Promise<number> {
    return this.outbox.cancelPending(keys, reason);
  }
}
