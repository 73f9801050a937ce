/**
 * Applies the committed migrations (prisma/<provider>/migrations/<name>/migration.sql) at start and
 * by `npm run db:migrate`. Each migration runs in one transaction with its history row, so one that
 * fails halfway leaves the database as it was. The history table is Prisma's own
 * (_prisma_migrations), so `prisma migrate deploy` stays usable wherever its native engine exists.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { DatabaseError, prepareSqliteFile, redactUrl, type Provider } from "./client.js";
import { projectRoot } from "../shared/project-root.js";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends DatabaseError {
  constructor(message: string, cause?: unknown) {
    super(message, cause);
    this.name = "MigrationError";
  }
}

export function migrationsDir(provider: Provider, root = projectRoot()): string {
  return path.join(root, "prisma", provider, "migrations");
}

export function readMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

function checkHistory(migrations: Migration[], history: HistoryRow[]): Migration[] {
  const byName = new Map(history.filter((h) => !h.rolled_back_at).map((h) => [h.migration_name, h]));
  for (const h of byName.values()) {
    if (!h.finished_at) {
      throw new MigrationError(
        `Migration ${h.migration_name} was started but never finished. Restore the database from a backup or resolve it by hand.`,
      );
    }
    const m = migrations.find((x) => x.name === h.migration_name);
    if (!m) throw new MigrationError(`The database has migration ${h.migration_name}, which this version of the code does not know. Is the code older than the database?`);
    if (m.checksum !== h.checksum) {
      throw new MigrationError(`Migration ${m.name} was changed after it was applied. Committed migrations must not be edited; add a new one.`);
    }
  }
  return migrations.filter((m) => !byName.has(m.name));
}

const SQLITE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

const PG_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
  migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`;

export function migrateSqlite(file: string, migrations: Migration[]): MigrateResult {
  prepareSqliteFile(file);
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.exec(SQLITE_HISTORY);
    const history = db.prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`).all() as HistoryRow[];
    const pending = checkHistory(migrations, history);
    for (const m of pending) {
      const apply = db.transaction(() => {
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(crypto.randomUUID(), m.checksum, new Date().toISOString(), m.name, new Date().toISOString());
      });
      try {
        // IMMEDIATE: take the write lock first, so a second process waits instead of failing midway.
        apply.immediate();
      } catch (e) {
        throw new MigrationError(`Migration ${m.name} failed and was rolled back; the database is unchanged by it: ${(e as Error).message}`, e);
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: migrations.length - pending.length };
  } finally {
    db.close();
  }
}

/** An arbitrary constant: every instance takes the same advisory lock, so only one migrates at a time. */
const MIGRATION_LOCK = 725_104_2026;

export async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrateResult> {
  // Loaded only here, so an SQLite process never loads pg (as openDatabase does for the client).
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new DatabaseError(`PostgreSQL at ${redactUrl(url)} is not reachable: ${(e as Error).message}`, e);
  }
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(PG_HISTORY);
    const { rows } = await client.query<HistoryRow>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    const pending = checkHistory(migrations, rows);
    for (const m of pending) {
      try {
        await client.query("BEGIN");
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new MigrationError(`Migration ${m.name} failed and was rolled back; the database is unchanged by it: ${(e as Error).message}`, e);
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: migrations.length - pending.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** Apply what is pending for the database `url` points at. */
export async function migrate(url: string, root = projectRoot()): Promise<MigrateResult> {
  if (url.startsWith("file:")) {
    return migrateSqlite(path.resolve(url.slice("file:".length)), readMigrations(migrationsDir("sqlite", root)));
  }
  return migratePostgres(url, readMigrations(migrationsDir("postgresql", root)));
}
