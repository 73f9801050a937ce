/**
 * The embedded database's side of `npm run backup` / `npm run restore` (src/cli/backup-archive.ts).
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { makeSqliteFilePrivate, secureDelete } from "./sqlite-privacy.js";

/**
 * A consistent copy while the service writes: SQLite's online backup API through a connection of
 * our own. The first step copies 100 pages; every later step copies all that is left, so the copy
 * is one read transaction (a snapshot under WAL) and a busy service cannot keep restarting it.
 */
export async function backupSqlite(file: string, dest: string): Promise<void> {
  const source = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    await source.backup(dest, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    source.close();
  }
  fs.chmodSync(dest, 0o600);
}

/** Tables of the application (not SQLite's, not the migration history) that hold a row. */
export function sqliteTablesWithRows(file: string): string[] {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'`).all() as Array<{ name: string }>;
    return tables.filter((t) => db.prepare(`SELECT 1 FROM "${t.name.replace(/"/g, '""')}" LIMIT 1`).get() !== undefined).map((t) => t.name);
  } finally {
    db.close();
  }
}

/** Checks a restored copy before it replaces anything: integrity and foreign keys. */
export function checkSqliteCopy(file: string): string | null {
  const db = new Database(file, { fileMustExist: true });
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") return `integrity check: ${String(integrity)}`;
    const fk = db.pragma("foreign_key_check") as unknown[];
    if (fk.length > 0) return `${fk.length} rows point at rows that are not there`;
    return null;
  } finally {
    db.close();
  }
}

/** Puts a restored copy in place of the database file (the service is stopped). */
export function installSqliteCopy(copy: string, file: string): void {
  makeSqliteFilePrivate(file);
  for (const side of ["-wal", "-shm", "-journal"]) fs.rmSync(`${file}${side}`, { force: true });
  fs.renameSync(copy, file);
  fs.chmodSync(file, 0o600);
  // The copy was written in rollback-journal mode by the backup API; the service uses WAL.
  const db = new Database(file);
  try {
    secureDelete(db);
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}
