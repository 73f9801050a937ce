/**
 * The rows every conversation turn reads and writes besides the outbox (was this message handled,
 * who is this, their session, the person's lock), as SQL per provider on the turn's own
 * connection: src/conversation/turn-store.ts adds the outbox and hands them to the turn.
 *  - SqliteTurnRows: prepared better-sqlite3 statements inside the connection's transaction
 *    (src/db/sqlite-connection.ts). A Prisma model query costs ~0.2-0.4 ms there, a prepared
 *    statement ~0.01 ms, and these statements are most of a turn's database work.
 *  - PostgresTurnRows: named prepared statements on the pool connection the turn's transaction
 *    holds (src/db/postgres-connection.ts), one round trip each.
 */
import type Database from "better-sqlite3";
import type { PgStatements } from "./pg-statements.js";
import { fromSqliteDate, newId, sqliteDate } from "./sql-values.js";

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

export interface TurnRows {
  /** Serialise one person's turns across instances (PostgreSQL); released when the transaction ends. */
  lockPerson(key: string): Promise<void>;
  identityByAddress(channel: string, address: string): Promise<IdentityRow | null>;
  identityById(id: string): Promise<IdentityRow | null>;
  /** `addressSealed`: the real address, sealed, where `address` is a blind index (WhatsApp; src/security/address-index.ts). */
  createIdentity(channel: string, address: string, now: Date, addressSealed?: string | null): Promise<IdentityRow>;
  setDisplayName(identityId: string, name: string, now: Date): Promise<void>;
  /** Records an inbound message as handled; false when it was handled before. */
  markInbound(channel: string, messageId: string, identityId: string, now: Date): Promise<boolean>;
  session(identityId: string): Promise<SessionRow | null>;
  saveSession(identityId: string, data: SessionWrite, now: Date): Promise<void>;
}

const IDENTITY_COLUMNS = `id, channel, address, clientId, staffId, displayName, language, remindersOn, consentedAt`;

/** An Identity row as SQLite returns it: booleans as 0/1, times as text. */
type RawIdentity = Omit<IdentityRow, "remindersOn" | "consentedAt"> & { remindersOn: number; consentedAt: string | null };

function identityRow(r: RawIdentity | undefined): IdentityRow | null {
  if (!r) return null;
  return { ...r, remindersOn: r.remindersOn !== 0, consentedAt: fromSqliteDate(r.consentedAt) };
}

/** Prepared once per connection; the Database hands out integers as BigInt by default, these as numbers. */
class SqliteTurnStatements {
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
      `INSERT INTO "Identity" (id, channel, address, addressSealed, language, remindersOn, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'id', 1, ?, ?) RETURNING ${IDENTITY_COLUMNS}`,
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

const statementsByConnection = new WeakMap<Database.Database, SqliteTurnStatements>();

/** Only for use inside the connection's transaction (SqliteConnection.transaction). */
export class SqliteTurnRows implements TurnRows {
  private readonly s: SqliteTurnStatements;

  constructor(db: Database.Database) {
    let s = statementsByConnection.get(db);
    if (!s) {
      s = new SqliteTurnStatements(db);
      statementsByConnection.set(db, s);
    }
    this.s = s;
  }

  /** One process writes and one transaction is open at a time: nothing to lock. */
  async lockPerson(): Promise<void> {}

  async identityByAddress(channel: string, address: string): Promise<IdentityRow | null> {
    return identityRow(this.s.identityByAddress.get(channel, address) as RawIdentity | undefined);
  }

  async identityById(id: string): Promise<IdentityRow | null> {
    return identityRow(this.s.identityById.get(id) as RawIdentity | undefined);
  }

  async createIdentity(channel: string, address: string, now: Date, addressSealed: string | null = null): Promise<IdentityRow> {
    const at = sqliteDate(now);
    return identityRow(this.s.createIdentity.get(newId(), channel, address, addressSealed, at, at) as RawIdentity)!;
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
}

/** The person's lock: a transaction-scoped advisory lock on a hash of "channel:address". */
export const PERSON_LOCK_SQL = `SELECT 1 AS ok FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS l`;

const PG_IDENTITY_COLUMNS = `id, channel, address, "clientId", "staffId", "displayName", language, "remindersOn", "consentedAt"`;

/** The SQL texts on PostgreSQL, one per statement (each prepared once per connection by its name). */
export const POSTGRES_TURN_SQL = {
  // hashtextextended gives a bigint; wrapping avoids returning a void column to the driver.
  lockPerson: PERSON_LOCK_SQL,
  identityByAddress: `SELECT ${PG_IDENTITY_COLUMNS} FROM "Identity" WHERE channel = $1 AND address = $2`,
  identityById: `SELECT ${PG_IDENTITY_COLUMNS} FROM "Identity" WHERE id = $1`,
  createIdentity: `INSERT INTO "Identity" (id, channel, address, "addressSealed", language, "remindersOn", "createdAt", "updatedAt") VALUES ($1, $2, $3, $5, 'id', true, $4, $4) RETURNING ${PG_IDENTITY_COLUMNS}`,
  setDisplayName: `UPDATE "Identity" SET "displayName" = $1, "updatedAt" = $2 WHERE id = $3`,
  // The person's lock is held, and the key is the primary key: one statement both checks and records.
  markInbound: `INSERT INTO "ProcessedInbound" (channel, "messageId", "identityId", "processedAt") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
  session: `SELECT "stateJson", status, "offeredJson", "nudgeDueAt", "expireDueAt" FROM "ConversationSession" WHERE "identityId" = $1`,
  saveSession: upsertSession(true),
  saveSessionKeepOffered: upsertSession(false),
} as const;

function upsertSession(offered: boolean): string {
  return `INSERT INTO "ConversationSession" (id, "identityId", "flowId", "flowVersion", "stateJson", status, "lastActivityAt", "nudgeDueAt", "expireDueAt", "offeredJson", "updatedAt")
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT ("identityId") DO UPDATE SET "flowId" = excluded."flowId", "flowVersion" = excluded."flowVersion", "stateJson" = excluded."stateJson",
      status = excluded.status, "lastActivityAt" = excluded."lastActivityAt", "nudgeDueAt" = excluded."nudgeDueAt",
      "expireDueAt" = excluded."expireDueAt", "updatedAt" = excluded."updatedAt"${offered ? `, "offeredJson" = excluded."offeredJson"` : ""}`;
}

type PgName = keyof typeof POSTGRES_TURN_SQL;

/** Only for use inside the transaction `sql` belongs to. */
export class PostgresTurnRows implements TurnRows {
  constructor(private readonly sql: PgStatements) {}

  private rows<T>(name: PgName, ...values: unknown[]): Promise<T[]> {
    return this.sql.rows<T>(`turn_${name}`, POSTGRES_TURN_SQL[name], values);
  }

  async lockPerson(key: string): Promise<void> {
    await this.rows("lockPerson", key);
  }

  async identityByAddress(channel: string, address: string): Promise<IdentityRow | null> {
    return (await this.rows<IdentityRow>("identityByAddress", channel, address))[0] ?? null;
  }

  async identityById(id: string): Promise<IdentityRow | null> {
    return (await this.rows<IdentityRow>("identityById", id))[0] ?? null;
  }

  async createIdentity(channel: string, address: string, now: Date, addressSealed: string | null = null): Promise<IdentityRow> {
    return (await this.rows<IdentityRow>("createIdentity", newId(), channel, address, now, addressSealed))[0]!;
  }

  async setDisplayName(identityId: string, name: string, now: Date): Promise<void> {
    await this.sql.run("turn_setDisplayName", POSTGRES_TURN_SQL.setDisplayName, [name, now, identityId]);
  }

  async markInbound(channel: string, messageId: string, identityId: string, now: Date): Promise<boolean> {
    return (await this.sql.run("turn_markInbound", POSTGRES_TURN_SQL.markInbound, [channel, messageId, identityId, now])) === 1;
  }

  async session(identityId: string): Promise<SessionRow | null> {
    return (await this.rows<SessionRow>("session", identityId))[0] ?? null;
  }

  async saveSession(identityId: string, d: SessionWrite, now: Date): Promise<void> {
    const name: PgName = d.offeredJson === undefined ? "saveSessionKeepOffered" : "saveSession";
    await this.sql.run(`turn_${name}`, POSTGRES_TURN_SQL[name], [
      newId(), identityId, d.flowId, d.flowVersion, d.stateJson, d.status, d.lastActivityAt, d.nudgeDueAt, d.expireDueAt, d.offeredJson ?? null, now,
    ]);
  }
}
