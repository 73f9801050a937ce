/**
 * `npm run backup` and `npm run restore`: the database (a consistent online copy: SQLite's backup
 * API, or pg_dump) and DATA_DIR's files (identity photos, documents, PDFs) and web chat history, in
 * one file sealed with the office key (src/security/sealed-stream.ts).
 *
 * Inside the sealed stream, entries one after another (a few lines of framing rather than a tar
 * library: the names are ours and the stream is authenticated anyway):
 *   u16 name length | name (utf8) | u64 size | bytes      ... and a name length of 0 at the end.
 * Names: `database.sqlite` or `database.pgdump`, `files/<path>`, `webchat/<path>`.
 *
 * A restore decrypts and checks the whole file into a staging folder before it touches anything, so
 * a truncated file, one sealed with another key, or a database that holds data (without --replace)
 * is refused with the reason and changes nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { backupSqlite, checkSqliteCopy, installSqliteCopy, sqliteTablesWithRows } from "../db/backup-sqlite.js";
import { dumpPostgres, postgresTablesWithRows, restorePostgres } from "../db/backup-postgres.js";
import { readSealed, readSealedHeader, SealedFileError, SealedWriter } from "../security/sealed-stream.js";

const DATA_FOLDERS = ["files", "webchat"] as const;
const PIECE = 1 << 20;

export type BackupProvider = "sqlite" | "postgresql";

export interface BackupTarget {
  databaseUrl: string;
  dataDir: string;
  key: Buffer;
}

export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefused";
  }
}

function providerOf(url: string): BackupProvider {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

function sqlitePath(url: string): string {
  return path.resolve(url.slice("file:".length));
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !/\.(tmp|rotate)-\d+$/.test(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function addEntry(w: SealedWriter, name: string, file: string): Promise<void> {
  const nameBytes = Buffer.from(name, "utf8");
  const fh = await fs.promises.open(file, "r");
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(2 + nameBytes.length + 8);
    head.writeUInt16BE(nameBytes.length, 0);
    nameBytes.copy(head, 2);
    head.writeBigUInt64BE(BigInt(size), 2 + nameBytes.length);
    await w.write(head);
    const buf = Buffer.alloc(PIECE);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(PIECE, size - at), at);
      if (bytesRead === 0) throw new Error(`${file} shrank while it was being backed up`);
      await w.write(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/** Makes a backup at `out` (which must not exist). Returns what it holds. */
export async function createBackup(t: BackupTarget, out: string, now = new Date()): Promise<{ provider: BackupProvider; files: number; bytes: number }> {
  const provider = providerOf(t.databaseUrl);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true, mode: 0o700 });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "plut-backup-"));
  const w = await SealedWriter.create(out, t.key, { format: 1, provider, createdAt: now.toISOString() });
  try {
    const dbCopy = path.join(staging, provider === "sqlite" ? "database.sqlite" : "database.pgdump");
    if (provider === "sqlite") await backupSqlite(sqlitePath(t.databaseUrl), dbCopy);
    else await dumpPostgres(t.databaseUrl, dbCopy);
    await addEntry(w, path.basename(dbCopy), dbCopy);
    let files = 0;
    for (const folder of DATA_FOLDERS) {
      for (const rel of listFiles(path.join(t.dataDir, folder))) {
        const file = path.join(t.dataDir, folder, rel);
        // A file removed since it was listed (a deletion on request) is simply not in the backup.
        if (!fs.existsSync(file)) continue;
        await addEntry(w, `${folder}/${rel.split(path.sep).join("/")}`, file);
        files++;
      }
    }
    await w.write(Buffer.from([0, 0]));
    await w.close();
    return { provider, files, bytes: fs.statSync(out).size };
  } catch (e) {
    await w.abort();
    fs.rmSync(out, { force: true });
    throw e;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** A safe relative path inside the backup (no absolute paths, no `..`). */
function safeName(name: string): string | null {
  if (name === "database.sqlite" || name === "database.pgdump") return name;
  const m = /^(files|webchat)\/(.+)$/.exec(name);
  if (!m) return null;
  const parts = m[2]!.split("/");
  if (parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\\"))) return null;
  return name;
}

/** Decrypts and unpacks into `staging`; throws SealedFileError / RestoreRefused on anything wrong. */
async function unpack(file: string, key: Buffer, staging: string): Promise<string[]> {
  let buf: Buffer = Buffer.alloc(0);
  let current: { fh: fs.promises.FileHandle; left: bigint } | undefined;
  let ended = false;
  const names: string[] = [];
  for await (const chunk of readSealed(file, key)) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (ended) {
        if (buf.length > 0) throw new RestoreRefused("the backup holds bytes after its end");
        break;
      }
      if (current) {
        const take = Number(current.left < BigInt(buf.length) ? current.left : BigInt(buf.length));
        if (take > 0) await current.fh.write(buf.subarray(0, take));
        buf = buf.subarray(take);
        current.left -= BigInt(take);
        if (current.left > 0n) break;
        await current.fh.close();
        current = undefined;
        continue;
      }
      if (buf.length < 2) break;
      const n = buf.readUInt16BE(0);
      if (n === 0) {
        ended = true;
        buf = buf.subarray(2);
        continue;
      }
      if (buf.length < 2 + n + 8) break;
      const name = safeName(buf.subarray(2, 2 + n).toString("utf8"));
      if (!name) throw new RestoreRefused("the backup names a file outside the data folders");
      const size = buf.readBigUInt64BE(2 + n);
      buf = buf.subarray(2 + n + 8);
      const dest = path.join(staging, ...name.split("/"));
      fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
      current = { fh: await fs.promises.open(dest, "wx", 0o600), left: size };
      names.push(name);
    }
  }
  if (current) await current.fh.close();
  if (!ended || current) throw new SealedFileError("the backup is cut short (its contents end early)", "truncated");
  return names;
}

export interface RestoreResult {
  provider: BackupProvider;
  files: number;
  createdAt: string | undefined;
}

/** Brings a backup back. The service must be stopped. */
export async function restoreBackup(t: BackupTarget, file: string, o: { replace?: boolean } = {}): Promise<RestoreResult> {
  if (!fs.existsSync(file)) throw new RestoreRefused(`${file} does not exist`);
  let header;
  try {
    header = await readSealedHeader(file);
  } catch (e) {
    if (e instanceof SealedFileError) throw new RestoreRefused(`${file} cannot be restored: ${e.message}`);
    throw e;
  }
  const provider = providerOf(t.databaseUrl);
  if (header.provider !== provider) {
    throw new RestoreRefused(`the backup is of a ${String(header.provider)} database and DATABASE_URL is ${provider}: restore it into the same kind`);
  }
  if (!o.replace) {
    const full = provider === "sqlite" ? sqliteTablesWithRows(sqlitePath(t.databaseUrl)) : await postgresTablesWithRows(t.databaseUrl);
    if (full.length > 0) {
      throw new RestoreRefused(`the database already holds data (${full.slice(0, 5).join(", ")}${full.length > 5 ? ", ..." : ""}). Restore into an empty database, or add --replace to overwrite it (stop the service first).`);
    }
    const present = DATA_FOLDERS.filter((f) => listFiles(path.join(t.dataDir, f)).length > 0);
    if (present.length > 0) throw new RestoreRefused(`${t.dataDir} already holds ${present.join(" and ")}. Use an empty DATA_DIR, or add --replace.`);
  }
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(t.dataDir)), ".plut-restore-"));
  try {
    let names: string[];
    try {
      names = await unpack(file, t.key, staging);
    } catch (e) {
      if (e instanceof SealedFileError) throw new RestoreRefused(`${file} cannot be restored: ${e.message}. Nothing was changed.`);
      throw e;
    }
    const dbName = provider === "sqlite" ? "database.sqlite" : "database.pgdump";
    if (!names.includes(dbName)) throw new RestoreRefused("the backup holds no database. Nothing was changed.");
    const copy = path.join(staging, dbName);
    if (provider === "sqlite") {
      const problem = checkSqliteCopy(copy);
      if (problem) throw new RestoreRefused(`the database in the backup is damaged (${problem}). Nothing was changed.`);
      installSqliteCopy(copy, sqlitePath(t.databaseUrl));
    } else {
      await restorePostgres(t.databaseUrl, copy);
    }
    fs.mkdirSync(t.dataDir, { recursive: true, mode: 0o700 });
    for (const folder of DATA_FOLDERS) {
      const from = path.join(staging, folder);
      if (!fs.existsSync(from)) continue;
      const to = path.join(t.dataDir, folder);
      if (o.replace) fs.rmSync(to, { recursive: true, force: true });
      fs.cpSync(from, to, { recursive: true, force: true });
    }
    return { provider, files: names.length - 1, createdAt: typeof header.createdAt === "string" ? header.createdAt : undefined };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
