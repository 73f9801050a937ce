/**
 * The reads and writes every conversation turn makes (was this message handled, who is this, their
 * session, the replies), behind one small interface with two implementations:
 *  - SqliteTurnStore: prepared statements on the embedded database's connection, inside the turn's
 *    transaction (src/db/sqlite-connection.ts). A Prisma model query costs ~0.2–0.4 ms here, a
 *    prepared statement ~0.01 ms, and these statements are most of a turn's database work.
 *  - PrismaTurnStore: the same through Prisma, used on PostgreSQL.
 * tests/conversation/turn-store.test.ts runs both against the same expectations.
 */
import type Database from "better-sqlite3";
import type { Tx } from "../db/client.js";
import { fromSqliteDate, newId, sqliteDate } from "../db/sql-values.js";
import { enqueue, type OutboxItem } from "../outbox/outbox.js";
import { SqliteOutboxStore } from "../outbox/sqlite-store.js";
import type { Lane, OutboxStore } from "../outbox/store.js";

export interface IdentityRow {
  id: string;
  channel: string;
  address: string;
  clientId: string | null;
  staffId: string | null;
  displayName: string | null;
  language: string;
  remindersOn: boolean;
  consentedAt: Date | null;
}

export interface SessionRow {
  stateJson: string;
  /** idle | active | expired */
  status: string;
  offeredJson: string | null;
  nudgeDueAt: Date | null;
  expireDueAt: Date | null;
}

export interface SessionWrite {
  stateJson: string;
  flowId: string | null;
  flowVersion: number | null;
  status: string;
  lastActivityAt: Date;
  nudgeDueAt: Date | null;
  expireDueAt: Date | null;
  /** Left as it is when undefined. */
  offeredJson?: string | null;
}

export interface TurnStore {
  identityByAddress(channel: string, address: string): Promise<IdentityRow | null>;
  identityById(id: string): Promise<IdentityRow | null>;
  createIdentity(channel: string, address: string, now: Date): Promise<IdentityRow>;
  setDisplayName(identityId: string, name: string, now: Date): Promise<void>;
  /** Records an inbound message as handled; false when it was handled before. */
  markInbound(channel: string, messageId: string, identityId: string, now: Date): Promise<boolean>;
  session(identityId: string): Promise<SessionRow | null>;
  saveSession(identityId: string, data: SessionWrite, now: Date): Promise<void>;
  /**
   * Writes messages to send through the outbox (src/outbox/outbox.ts has the rules): an existing key
   * is skipped, `seq` continues each person's order. `known` saves a lookup for recipients the
   * caller has at hand.
   */
  enqueue(items: OutboxItem[], now: Date, known?: Array<{ id: string; channel: string; address: string }>, lane?: Lane): Promise<number>;
}

const IDENTITY_COLUMNS = `id, channel, address, clientId, staffId, displayName, language, remindersOn, consentedAt`;

/** An Identity row as SQLite returns it: booleans as 0/1, times as text. */
type RawIdentity = Omit<IdentityRow, "remindersOn" | "consentedAt"> & { remindersOn: number; consentedAt: string | null };

function identityRow(r: RawIdentity | undefined): IdentityRow | null {
  if (!r) return null;
  return { ...r, remindersOn: r.remindersOn !== 0, consentedAt: fromSqliteDate(r.consentedAt) };
}

/** Prepared once per connection; the Database hands out integers as BigInt by default, these as numbers. */
class SqliteStatements {
  readonly identityByAddress: Database.Statement;
  readonly identityById: Database.Statement;
  readonly createIdentity: Database.Statement;
  readonly setDisplayName: Database.Statement;
  readonly markInbound: Database.Statement;
  readonly session: Database.Statement;
  readonly saveSession: Database.Statement;
  readonly saveSessionKeepOffered: Database.Statement;

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql).safeIntegers(false);
    this.identityByAddress = p(`SELECT ${IDENTITY_COLUMNS} FROM "Identity" WHERE channel = ? AND address = ?`);
    this.identityById = p(`SELECT ${IDENTITY_COLUMNS} FROM "Identity" WHERE id = ?`);
    this.createIdentity = p(
      `INSERT INTO "Identity" (id, channel, address, language, remindersOn, createdAt, updatedAt) VALUES (?, ?, ?, 'id', 1, ?, ?) RETURNING ${IDENTITY_COLUMNS}`,
    );
    this.setDisplayName = p(`UPDATE "Identity" SET displayName = ?, updatedAt = ? WHERE id = ?`);
    this.markInbound = p(`INSERT INTO "ProcessedInbound" (channel, messageId, identityId, processedAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.session = p(`SELECT stateJson, status, offeredJson, nudgeDueAt, expireDueAt FROM "ConversationSession" WHERE identityId = ?`);
    const upsert = (offered: boolean) =>
      p(
        `INSERT INTO "ConversationSession" (id, identityId, flowId, flowVersion, stateJson, status, lastActivityAt, nudgeDueAt, expireDueAt, offeredJson, updatedAt)
         VALUES (@id, @identityId, @flowId, @flowVersion, @stateJson, @status, @lastActivityAt, @nudgeDueAt, @expireDueAt, @offeredJson, @updatedAt)
         ON CONFLICT (identityId) DO UPDATE SET flowId = excluded.flowId, flowVersion = excluded.flowVersion, stateJson = excluded.stateJson,
           status = excluded.status, lastActivityAt = excluded.lastActivityAt, nudgeDueAt = excluded.nudgeDueAt,
           expireDueAt = excluded.expireDueAt, updatedAt = excluded.updatedAt${offered ? ", offeredJson = excluded.offeredJson" : ""}`,
      );
    this.saveSession = upsert(true);
    this.saveSessionKeepOffered = upsert(false);
  }
}

const statementsByConnection = new WeakMap<Database.Database, SqliteStatements>();

/** Only for use inside the connection's transaction (SqliteConnection.transaction). */
export class SqliteTurnStore implements TurnStore {
  private readonly s: SqliteStatements;
  private readonly outbox: SqliteOutboxStore;

  constructor(db: Database.Database) {
    let s = statementsByConnection.get(db);
    if (!s) {
      s = new SqliteStatements(db);
      statementsByConnection.set(db, s);
    }
    this.s = s;
    this.outbox = SqliteOutboxStore.on(db);
  }

  async identityByAddress(channel: string, address: string): Promise<IdentityRow | null> {
    return identityRow(this.s.identityByAddress.get(channel, address) as RawIdentity | undefined);
  }

  async identityById(id: string): Promise<IdentityRow | null> {
    return identityRow(this.s.identityById.get(id) as RawIdentity | undefined);
  }

  async createIdentity(channel: string, address: string, now: Date): Promise<IdentityRow> {
    const at = sqliteDate(now);
    return identityRow(this.s.createIdentity.get(newId(), channel, address, at, at) as RawIdentity)!;
  }

  async setDisplayName(identityId: string, name: string, now: Date): Promise<void> {
    this.s.setDisplayName.run(name, sqliteDate(now), identityId);
  }

  async markInbound(channel: string, messageId: string, identityId: string, now: Date): Promise<boolean> {
    return this.s.markInbound.run(channel, messageId, identityId, sqliteDate(now)).changes === 1;
  }

  async session(identityId: string): Promise<SessionRow | null> {
    const r = this.s.session.get(identityId) as { stateJson: string; status: string; offeredJson: string | null; nudgeDueAt: string | null; expireDueAt: string | null } | undefined;
    if (!r) return null;
    return { stateJson: r.stateJson, status: r.status, offeredJson: r.offeredJson, nudgeDueAt: fromSqliteDate(r.nudgeDueAt), expireDueAt: fromSqliteDate(r.expireDueAt) };
  }

  async saveSession(identityId: string, d: SessionWrite, now: Date): Promise<void> {
    const stmt = d.offeredJson === undefined ? this.s.saveSessionKeepOffered : this.s.saveSession;
    stmt.run({
      id: newId(),
      identityId,
      flowId: d.flowId,
      flowVersion: d.flowVersion,
      stateJson: d.stateJson,
      status: d.status,
      lastActivityAt: sqliteDate(d.lastActivityAt),
      nudgeDueAt: d.nudgeDueAt ? sqliteDate(d.nudgeDueAt) : null,
      expireDueAt: d.expireDueAt ? sqliteDate(d.expireDueAt) : null,
      offeredJson: d.offeredJson ?? null,
      updatedAt: sqliteDate(now),
    });
  }

  enqueue(items: OutboxItem[], now: Date, known: Array<{ id: string; channel: string; address: string }> = [], lane: Lane = "live"): Promise<number> {
    return enqueue(this.outbox, items, now, { known, lane });
  }
}

const IDENTITY_SELECT = { id: true, channel: true, address: true, clientId: true, staffId: true, displayName: true, language: true, remindersOn: true, consentedAt: true } as const;

export class PrismaTurnStore implements TurnStore {
  /** `outbox`: the outbox inside the same transaction (Outbox.in(tx)). */
  constructor(
    private readonly tx: Tx,
    private readonly outbox: OutboxStore,
  ) {}

  identityByAddress(channel: string, address: string): Promise<IdentityRow | null> {
    return this.tx.identity.findUnique({ where: { channel_address: { channel, address } }, select: IDENTITY_SELECT });
  }

  identityById(id: string): Promise<IdentityRow | null> {
    return this.tx.identity.findUnique({ where: { id }, select: IDENTITY_SELECT });
  }

  createIdentity(channel: string, address: string, now: Date): Promise<IdentityRow> {
    return this.tx.identity.create({ data: { channel, address, createdAt: now }, select: IDENTITY_SELECT });
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
}
