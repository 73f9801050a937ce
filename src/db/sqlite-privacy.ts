/**
 * The embedded database holds personal data (sealed, but still the office's): its file, WAL and
 * shared-memory file are readable by the service's user only, and deleted content is overwritten.
 */
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";

const SIDE_FILES = ["", "-wal", "-shm", "-journal"];

/**
 * Create the file 0600 before SQLite does (SQLite gives the WAL and shm files the main file's mode)
 * and its directory 0700 when we create it; tighten files an older version left 0644.
 */
export function makeSqliteFilePrivate(file: string): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const suffix of SIDE_FILES) {
    try {
      fs.chmodSync(`${file}${suffix}`, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}

/**
 * secure_delete: a freed page is zeroed before it is reused or the file shrinks, so a row deleted
 * (an anonymised client, a finished form) leaves no copy in the file or its WAL. It is a setting of
 * the connection, so every connection that writes sets it.
 */
export function secureDelete(raw: Database.Database): void {
  raw.pragma("secure_delete = ON");
}
