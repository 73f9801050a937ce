/**
 * One way for the PostgreSQL stores (the outbox's, the turn's) to run their SQL, whichever client
 * holds the transaction: a Prisma transaction client, or the pool connection a turn's transaction
 * runs on (src/db/postgres-connection.ts), where each statement is a named prepared statement.
 * `name` identifies the SQL text: one name, one text, for the life of the process.
 */
import type pg from "pg";
import type { Tx } from "./types.js";
import { pgTimestamp } from "./sql-values.js";

export interface PgStatements {
  rows<T>(name: string, sql: string, values: readonly unknown[]): Promise<T[]>;
  /** Rows changed. */
  run(name: string, sql: string, values: readonly unknown[]): Promise<number>;
}

/** Through Prisma's raw queries in `tx` (the sweep's transactions): Prisma prepares and converts. */
export function prismaStatements(tx: Tx): PgStatements {
  return {
    rows: <T>(_name: string, sql: string, values: readonly unknown[]) => tx.$queryRawUnsafe<T[]>(sql, ...values),
    run: (_name: string, sql: string, values: readonly unknown[]) => tx.$executeRawUnsafe(sql, ...values),
  };
}

/** Named prepared statements on one pool connection, inside the transaction open on it. */
export class PgSession implements PgStatements {
  constructor(
    private readonly client: pg.PoolClient,
    /** How results are parsed (src/db/postgres-connection.ts: times as UTC). */
    private readonly types: pg.CustomTypesConfig,
  ) {}

  async rows<T>(name: string, sql: string, values: readonly unknown[]): Promise<T[]> {
    const r = await this.client.query({ name, text: sql, values: values.map(toPg), types: this.types });
    return r.rows as T[];
  }

  async run(name: string, sql: string, values: readonly unknown[]): Promise<number> {
    const r = await this.client.query({ name, text: sql, values: values.map(toPg), types: this.types });
    return r.rowCount ?? 0;
  }
}

/**
 * pg writes a Date with the local offset, which a zone-less timestamp column drops; Prisma keeps
 * UTC there, so times go in as UTC text.
 */
function toPg(v: unknown): unknown {
  return v instanceof Date ? pgTimestamp(v) : v;
}
