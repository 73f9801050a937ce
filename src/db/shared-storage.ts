/**
 * What several instances on one PostgreSQL database share besides the rows of the office's work:
 * the stored files (sealed bytes in StoredBlob), the web chat history (sealed entries in
 * WebChatEntry), and a signal when a web chat entry is written, so the instance holding the
 * person's open page pushes it (PostgreSQL LISTEN/NOTIFY; the payload carries only the browser's
 * random id and the entry's number, the listener reads the entry from the table).
 * On SQLite (one process on one machine) none of this is used: files and history stay under DATA_DIR.
 */
import path from "node:path";
import type pg from "pg";
import type { DatabaseHandle, Db } from "./client.js";
import { checkStorageKey, diskBlobs, FileStore, type SealedBlobs } from "../storage/file-store.js";

/**
 * Sealed file bytes in the StoredBlob table. `earlier`: where files were kept before (DATA_DIR/files
 * of an instance that ran on PostgreSQL before the files moved into the database); a key missing
 * from the table is read from there, so an upgrade loses no photo on that machine.
 */
export function databaseBlobs(db: Db, earlier?: SealedBlobs): SealedBlobs {
  return {
    where: "database",
    async write(storageKey, sealed) {
      const bytes = new Uint8Array(sealed);
      await db.storedBlob.upsert({ where: { storageKey }, create: { storageKey, sealed: bytes }, update: { sealed: bytes } });
    },
    async read(storageKey) {
      const row = await db.storedBlob.findUnique({ where: { storageKey }, select: { sealed: true } });
      if (!row && earlier) return earlier.read(storageKey);
      if (!row) throw Object.assign(new Error(`no stored file under ${checkStorageKey(storageKey)}`), { code: "ENOENT" });
      return Buffer.from(row.sealed);
    },
    async remove(storageKey) {
      await db.storedBlob.deleteMany({ where: { storageKey } });
      await earlier?.remove(storageKey);
    },
  };
}

/** The file store of this database: its table on PostgreSQL, DATA_DIR/files on SQLite. */
export function fileStoreFor(database: Pick<DatabaseHandle, "db" | "provider">, dataDir: string, key: Buffer): FileStore {
  const disk = path.join(dataDir, "files");
  return new FileStore(database.provider === "postgresql" ? databaseBlobs(database.db, diskBlobs(disk)) : disk, key);
}

/** Web chat history rows (the shape src/channels/web/history.ts's SealedHistoryRows asks for). */
export function databaseWebChatRows(db: Db) {
  return {
    async insert(personId: string, seq: number, sealed: string): Promise<boolean> {
      try {
        await db.webChatEntry.create({ data: { personId, seq, sealed }, select: { seq: true } });
        return true;
      } catch (e) {
        // Another instance wrote this seq first: an expected race, not a failure.
        if ((e as { code?: unknown }).code === "P2002") return false;
        throw e;
      }
    },
    async after(personId: string, afterSeq: number): Promise<Array<{ seq: number; sealed: string }>> {
      return db.webChatEntry.findMany({ where: { personId, seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, select: { seq: true, sealed: true } });
    },
    async dropUpTo(personId: string, upTo: number): Promise<void> {
      await db.webChatEntry.deleteMany({ where: { personId, seq: { lte: upTo } } });
    },
    async forget(personId: string): Promise<void> {
      await db.webChatEntry.deleteMany({ where: { personId } });
    },
  };
}

export const WEB_CHAT_SIGNAL = "plut_webchat";
const PAYLOAD = /^([A-Za-z0-9_-]{22}):(\d{1,15})$/;

type LogFn = (obj: Record<string, unknown>, msg?: string) => void;

export interface WebChatSignalOptions {
  url: string;
  db: Db;
  /** An entry of this person, numbered seq, was written (by any instance, this one included). */
  onEntry(personId: string, seq: number): void;
  /** The listening connection came back after a drop: signals may have been missed meanwhile. */
  onReconnected(): void;
  logger: { info: LogFn; warn: LogFn };
  /** First wait before connecting again; doubles up to 30 s. Default 500 ms. */
  retryMs?: number;
}

export interface WebChatSignals {
  /** Tells every instance (after the entry's row is committed). */
  announce(personId: string, seq: number): Promise<void>;
  /** True while the listening connection is up. */
  readonly listening: boolean;
  close(): Promise<void>;
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries), connected
 * again with a growing wait whenever it drops.
 */
export async function listenWebChatSignals(o: WebChatSignalOptions): Promise<WebChatSignals> {
  const { default: pgLib } = await import("pg");
  const firstWait = o.retryMs ?? 500;
  let client: pg.Client | undefined;
  let closed = false;
  let wait = firstWait;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pgLib.Client({ connectionString: o.url, application_name: "plut-webchat-listen" });
    // Errors after connecting arrive here (the server went away); "end" follows and reconnects.
    c.on("error", (err) => o.logger.warn({ err: err.message }, "web chat signals: the listening connection failed"));
    c.on("end", () => {
      if (client !== c) return;
      client = undefined;
      later();
    });
    c.on("notification", (n) => {
      if (n.channel !== WEB_CHAT_SIGNAL || n.payload === undefined) return;
      const m = PAYLOAD.exec(n.payload);
      if (m) o.onEntry(m[1]!, Number(m[2]));
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${WEB_CHAT_SIGNAL}`);
    } catch (e) {
      await c.end().catch(() => undefined);
      throw e;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
  };

  const later = (): void => {
    if (closed) return;
    timer = setTimeout(() => {
      connect().then(
        () => {
          wait = firstWait;
          o.logger.info({}, "web chat signals: listening again");
          o.onReconnected();
        },
        (err: unknown) => {
          o.logger.warn({ err: (err as Error).message, retryMs: wait }, "web chat signals: could not listen; trying again");
          wait = Math.min(wait * 2, 30_000);
          later();
        },
      );
    }, wait);
  };

  await connect();
  return {
    async announce(personId, seq) {
      await o.db.$queryRaw`SELECT pg_notify(${WEB_CHAT_SIGNAL}, ${`${personId}:${seq}`})`;
    },
    get listening() {
      return client !== undefined;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
