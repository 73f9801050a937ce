/**
 * Prisma on the embedded database's one connection, through Prisma's public driver-adapter interface
 * (@prisma/driver-adapter-utils): our own `SqlDriverAdapter` over a better-sqlite3 connection that we
 * open and keep. Prisma's own better-sqlite3 adapter opens a connection of its own and prepares every
 * query again (better-sqlite3 has no statement cache; preparing costs more than running here); this
 * one keeps each prepared statement, so the hot path (src/conversation/turn-store.ts, src/outbox/)
 * and Prisma share one connection and one transaction. Values are converted exactly as Prisma's
 * adapter does (src/db/sqlite-conversion.ts). How transactions begin and end is the connection's
 * business (src/db/sqlite-connection.ts): it passes them in.
 */
import type Database from "better-sqlite3";
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import { adapterError, columnTypes, declaredColumnTypes, mapArg, mapRow } from "./sqlite-conversion.js";

const ADAPTER_NAME = "plut-sqlite";

interface Prepared {
  stmt: Database.Statement;
  reader: boolean;
  names?: string[];
  declared?: ReturnType<typeof declaredColumnTypes>;
}

/** Prisma's queries are a small fixed set of shapes (plus a few hand-written multi-row INSERTs). */
const MAX_CACHED = 2000;

/** Prisma's statements on the connection, each prepared once; Prisma's value conversions. */
export class PrismaStatements implements SqlQueryable {
  readonly provider = "sqlite" as const;
  readonly adapterName = ADAPTER_NAME;
  private readonly cache = new Map<string, Prepared>();

  constructor(private readonly raw: Database.Database) {}

  async queryRaw(q: SqlQuery): Promise<SqlResultSet> {
    try {
      const p = this.prepared(q.sql);
      const args = q.args.map((a, i) => mapArg(a, q.argTypes[i]));
      if (!p.reader) {
        p.stmt.run(...args);
        return { columnNames: [], columnTypes: [], rows: [] };
      }
      const values = p.stmt.all(...args) as unknown[][];
      if (!p.declared) {
        const columns = p.stmt.columns();
        p.names = columns.map((c) => c.name);
        p.declared = declaredColumnTypes(columns.map((c) => c.type));
      }
      const types = columnTypes(p.declared, values);
      return { columnNames: p.names!, columnTypes: types, rows: values.map((r) => mapRow(r, types)) };
    } catch (e) {
      throw toAdapterError(e);
    }
  }

  async executeRaw(q: SqlQuery): Promise<number> {
    try {
      const p = this.prepared(q.sql);
      return p.stmt.run(...q.args.map((a, i) => mapArg(a, q.argTypes[i]))).changes;
    } catch (e) {
      throw toAdapterError(e);
    }
  }

  /** Statements separated by semicolons (Prisma's migrations and scripts). */
  async executeScript(script: string): Promise<void> {
    try {
      this.raw.exec(script);
    } catch (e) {
      throw toAdapterError(e);
    }
  }

  /** A statement without arguments or result (BEGIN, SAVEPOINT ...). */
  async run(sql: string): Promise<void> {
    await this.executeRaw({ sql, args: [], argTypes: [] });
  }

  private prepared(sql: string): Prepared {
    let p = this.cache.get(sql);
    if (!p) {
      const stmt = this.raw.prepare(sql);
      // Integers as BigInt (mapRow narrows the safe ones), rows as arrays: as Prisma's adapter reads them.
      if (stmt.reader) stmt.safeIntegers(true).raw(true);
      p = { stmt, reader: stmt.reader };
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(sql, p);
    }
    return p;
  }
}

function toAdapterError(e: unknown): unknown {
  const mapped = adapterError(e);
  return mapped ? new DriverAdapterError(mapped) : e;
}

export interface AdapterHooks {
  /** Runs every query (to refuse it, or to make it wait); reads and writes alike. */
  route<T>(q: SqlQuery, run: () => Promise<T>): Promise<T>;
  startTransaction(): Promise<Transaction>;
  dispose(): Promise<void>;
}

/** A Prisma client's view of the connection; `hooks` decide when its queries and transactions run. */
export function sqliteAdapterFactory(statements: PrismaStatements, hooks: AdapterHooks): SqlDriverAdapterFactory {
  const adapter: SqlDriverAdapter = {
    provider: "sqlite",
    adapterName: ADAPTER_NAME,
    queryRaw: (q) => hooks.route(q, () => statements.queryRaw(q)),
    executeRaw: (q) => hooks.route(q, () => statements.executeRaw(q)),
    executeScript: (script) => statements.executeScript(script),
    startTransaction: async (isolationLevel) => {
      // SQLite's transactions are serializable; Prisma's adapter refuses any other level too.
      if (isolationLevel && isolationLevel !== "SERIALIZABLE") throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
      return hooks.startTransaction();
    },
    dispose: () => hooks.dispose(),
  };
  return { provider: "sqlite", adapterName: ADAPTER_NAME, connect: async () => adapter };
}

/**
 * A transaction as Prisma sees it. `usePhantomQuery` false: Prisma sends COMMIT or ROLLBACK itself
 * and then calls `commit`/`rollback`; true: it only calls them (and they end the transaction).
 */
export function sqliteTransaction(
  statements: PrismaStatements,
  o: { usePhantomQuery: boolean; commit: () => Promise<void>; rollback: () => Promise<void> },
): Transaction {
  return {
    provider: "sqlite",
    adapterName: ADAPTER_NAME,
    options: { usePhantomQuery: o.usePhantomQuery },
    queryRaw: (q) => statements.queryRaw(q),
    executeRaw: (q) => statements.executeRaw(q),
    commit: o.commit,
    rollback: o.rollback,
    createSavepoint: (name) => statements.run(`SAVEPOINT ${name}`),
    rollbackToSavepoint: (name) => statements.run(`ROLLBACK TO ${name}`),
    releaseSavepoint: (name) => statements.run(`RELEASE SAVEPOINT ${name}`),
  };
}
