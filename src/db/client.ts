/**
 * The Prisma client for the configured database: better-sqlite3 (embedded default) or pg.
 * Both generated clients come from the same model (prisma/schema.prisma), so the app is typed
 * against the SQLite one and the PostgreSQL one is used through the same type.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { PostgresConnection } from "./postgres-connection.js";
import type { Provider } from "./provider.js";
import type { SqliteConnection } from "./sqlite-connection.js";
import type { Db } from "./types.js";
import { makeSqliteFilePrivate } from "./sqlite-privacy.js";

export type { Db, Tx } from "./types.js";
export type { Provider } from "./provider.js";

export interface DatabaseHandle {
  db: Db;
  provider: Provider;
  /** The embedded database's connection (absent on PostgreSQL): turns use it directly. */
  sqlite?: SqliteConnection;
  /** PostgreSQL's pool (absent on SQLite): turns run their hot path on its connections. */
  postgres?: PostgresConnection;
  close(): Promise<void>;
}

export class DatabaseError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = "DatabaseError";
  }
}

const SQLITE_MAGIC = "SQLite format 3\u0000";

/** Refuse a file that exists but is not SQLite, before anything writes to it. */
export function checkSqliteFile(file: string): void {
  if (!fs.existsSync(file)) return;
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new DatabaseError(`${file} is not a file`);
  if (stat.size === 0) return;
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    if (head.toString("latin1") !== SQLITE_MAGIC) {
      throw new DatabaseError(
        `${file} exists but is not an SQLite database. Point DATABASE_URL at another file, or move this one away.`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Prepare the SQLite file: WAL so readers do not block the writer, and NORMAL sync which is safe
 * under WAL. WAL is a property of the file, so setting it once through a short connection is enough.
 */
export function prepareSqliteFile(file: string): void {
  checkSqliteFile(file);
  makeSqliteFilePrivate(file);
  const raw = new Database(file, { timeout: 5000 });
  try {
    raw.pragma("journal_mode = WAL");
    raw.pragma("foreign_keys = ON");
  } catch (e) {
    throw new DatabaseError(`${file} could not be opened as SQLite: ${(e as Error).message}`, e);
  } finally {
    raw.close();
  }
}

export async function openDatabase(url: string): Promise<DatabaseHandle> {
  if (url.startsWith("file:")) {
    const file = path.resolve(url.slice("file:".length));
    prepareSqliteFile(file);
    // `timeout` is better-sqlite3's busy timeout (another process holding the write lock).
    const count = process.env.PLUT_COUNT_QUERIES ? countQuery : undefined;
    const warned = new Set<string>();
    // Loaded only here, so a PostgreSQL process never loads the SQLite client.
    const { SqliteConnection } = await import("./sqlite-connection.js");
    const sqlite = await SqliteConnection.open(file, {
      timeout: 10_000,
      ...(count ? { log: count } : {}),
      // A failed checkpoint only delays copying the WAL (the next one, 250 ms later, retries): say so
      // once per message rather than four times a second.
      onCheckpointError: (message) => {
        if (warned.has(message)) return;
        warned.add(message);
        process.emitWarning(`SQLite checkpoint failed: ${message}`, "SqliteCheckpointWarning");
      },
    });
    return { db: sqlite.db, provider: "sqlite", sqlite, close: () => sqlite.close() };
  }
  // Loaded only here, so an SQLite process never loads pg or the PostgreSQL client.
  const { PostgresConnection } = await import("./postgres-connection.js");
  const postgres = PostgresConnection.open(url, { max: 10 });
  try {
    await pingDatabase(postgres.db);
  } catch (e) {
    await postgres.close().catch(() => undefined);
    throw new DatabaseError(`PostgreSQL at ${redactUrl(url)} is not reachable: ${(e as Error).message}`, e);
  }
  return { db: postgres.db, provider: "postgresql", postgres, close: () => postgres.close() };
}

/** One round trip that proves the database answers (start-up, GET /health). */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRawUnsafe("SELECT 1");
}

/** `PLUT_COUNT_QUERIES=1 npm run bench:engine` prints the queries a run made, by shape. */
function countQuery(query: string): void {
  const g = globalThis as unknown as { __q?: Map<string, number> };
  g.__q ??= new Map();
  const k = query.slice(0, 90);
  g.__q.set(k, (g.__q.get(k) ?? 0) + 1);
}

export function redactUrl(url: string): string {
  return url.replace(/:\/\/([^:@/]+):[^@/]*@/, "://$1:***@");
}
