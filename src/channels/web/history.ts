/**
 * What a web chat person saw: the assistant's messages and their own, numbered per person (`seq`,
 * 1, 2, 3 ...). The page rebuilds the conversation from it after a reload, and the event stream
 * resumes from a seq. Kept behind a small store interface so the lead may back it with the
 * database; the default keeps one JSON-lines file per person, each line encrypted when a key is
 * given (people type their NIK and address into the chat).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { decryptText, encryptText } from "../../security/crypto.js";
import { ZChoice } from "../../messaging/model.js";

const base = {
  seq: z.number().int().positive(),
  /** Random id: DOM key, download link (`/chat/api/files/<id>`). */
  id: z.string().min(1).max(64),
  /** ISO time the entry was written. */
  at: z.string(),
};

export const ZWebEntry = z.union([
  z.object({
    ...base,
    role: z.literal("assistant"),
    kind: z.literal("text"),
    text: z.string(),
    choices: z.array(ZChoice).optional(),
    requestContact: z.boolean().optional(),
  }),
  z.object({
    ...base,
    role: z.literal("assistant"),
    kind: z.literal("document"),
    fileName: z.string(),
    mimeType: z.string(),
    /** Key in the file store; never shown to the browser. */
    storageKey: z.string(),
    size: z.number().int().nonnegative().optional(),
    caption: z.string().optional(),
  }),
  z.object({ ...base, role: z.literal("client"), kind: z.literal("text"), messageId: z.string(), text: z.string() }),
  z.object({
    ...base,
    role: z.literal("client"),
    kind: z.literal("choice"),
    messageId: z.string(),
    choiceId: z.string(),
    /** The label of the tapped button, when it was found among the offered choices. */
    label: z.string().optional(),
  }),
  z.object({
    ...base,
    role: z.literal("client"),
    kind: z.literal("file"),
    messageId: z.string(),
    fileKind: z.enum(["photo", "document"]),
    fileName: z.string(),
    mimeType: z.string(),
    size: z.number().int().nonnegative(),
  }),
]);
export type WebEntry = z.infer<typeof ZWebEntry>;

/** Where a person's entries are kept. Appends for one person never overlap (the channel serialises them). */
export interface WebHistoryStore {
  /**
   * Keep one entry. A ChannelSendError thrown here reaches the outbox unchanged (a store may say
   * "permanent" for a person it no longer knows); any other error makes the send "retry".
   */
  append(personId: string, entry: WebEntry): Promise<void>;
  /** Entries with seq > afterSeq, oldest first. */
  list(personId: string, afterSeq: number): Promise<WebEntry[]>;
  /** Remove everything of a person (their data deleted on request). */
  forget?(personId: string): Promise<void>;
}

/** In memory only: for tests, and for a web chat that need not survive a restart. */
export function createMemoryHistoryStore(): WebHistoryStore {
  const byPerson = new Map<string, WebEntry[]>();
  return {
    async append(personId, entry) {
      const list = byPerson.get(personId) ?? [];
      list.push(structuredClone(entry));
      byPerson.set(personId, list);
    },
    async list(personId, afterSeq) {
      return (byPerson.get(personId) ?? []).filter((e) => e.seq > afterSeq).map((e) => structuredClone(e));
    },
    async forget(personId) {
      byPerson.delete(personId);
    },
  };
}

export interface FileHistoryStoreOptions {
  /** Directory of the files (DATA_DIR/webchat); created when missing. */
  dir: string;
  /** 32-byte key: each line is sealed with AES-256-GCM (the same key as the file store). */
  encryptionKey?: Buffer;
  /** Oldest entries beyond this many per person are dropped when the file is compacted. Default 2000. */
  maxEntriesPerPerson?: number;
}

const PERSON_FILE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * One file per person, `<dir>/<personId>.jsonl`, one entry per line. A line cut short by a crash
 * is skipped on reading. When a file holds twice `maxEntriesPerPerson` lines it is rewritten
 * (temp file + rename) with the newest `maxEntriesPerPerson`.
 */
export function createFileHistoryStore(opts: FileHistoryStoreOptions): WebHistoryStore {
  const max = opts.maxEntriesPerPerson ?? 2000;
  const key = opts.encryptionKey;
  if (key !== undefined && key.length !== 32) throw new Error("web chat history: the encryption key must be 32 bytes");
  let made: Promise<void> | undefined;
  const ensureDir = () => (made ??= fs.mkdir(opts.dir, { recursive: true, mode: 0o700 }).then(() => undefined));
  const lineCounts = new Map<string, number>();

  const fileOf = (personId: string): string => {
    if (!PERSON_FILE.test(personId)) throw new Error("web chat history: invalid person id");
    return path.join(opts.dir, `${personId}.jsonl`);
  };
  const seal = (e: WebEntry): string => {
    const json = JSON.stringify(e);
    return key ? encryptText(key, json) : json;
  };
  const open = (line: string): WebEntry | undefined => {
    try {
      const json = key && !line.startsWith("{") ? decryptText(key, line) : line;
      const r = ZWebEntry.safeParse(JSON.parse(json));
      return r.success ? r.data : undefined;
    } catch {
      return undefined;
    }
  };
  const readAll = async (personId: string): Promise<WebEntry[]> => {
    let text: string;
    try {
      text = await fs.readFile(fileOf(personId), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    const out: WebEntry[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const e = open(line);
      if (e) out.push(e);
    }
    return out;
  };

  return {
    async append(personId, entry) {
      await ensureDir();
      const file = fileOf(personId);
      let count = lineCounts.get(personId);
      if (count === undefined) count = (await readAll(personId)).length;
      await fs.appendFile(file, `${seal(entry)}\n`, { mode: 0o600 });
      count += 1;
      if (count >= 2 * max) {
        const keep = (await readAll(personId)).slice(-max);
        const tmp = `${file}.tmp-${process.pid}`;
        await fs.writeFile(tmp, keep.map((e) => `${seal(e)}\n`).join(""), { mode: 0o600 });
        await fs.rename(tmp, file);
        count = keep.length;
      }
      lineCounts.set(personId, count);
    },
    async list(personId, afterSeq) {
      return (await readAll(personId)).filter((e) => e.seq > afterSeq);
    },
    async forget(personId) {
      lineCounts.delete(personId);
      await fs.rm(fileOf(personId), { force: true });
    },
  };
}

/**
 * Another instance wrote an entry with this seq first (several instances on one database): the
 * channel reads what it missed and tries the next seq.
 */
export class WebSeqTaken extends Error {
  constructor() {
    super("web chat history: this seq is taken");
    this.name = "WebSeqTaken";
  }
}

/** Rows of sealed entries (the database's WebChatEntry table, src/db/shared-storage.ts). */
export interface SealedHistoryRows {
  /** False when the person already has a row with this seq. */
  insert(personId: string, seq: number, sealed: string): Promise<boolean>;
  /** Rows with seq > afterSeq, oldest first. */
  after(personId: string, afterSeq: number): Promise<Array<{ seq: number; sealed: string }>>;
  /** Drops the rows with seq <= upTo. */
  dropUpTo(personId: string, upTo: number): Promise<void>;
  forget(personId: string): Promise<void>;
}

/**
 * History in shared rows, each entry sealed with the at-rest key as the file store seals its lines:
 * every instance on the database reads the same conversation. Beyond `maxEntriesPerPerson` the
 * oldest are dropped (checked every `maxEntriesPerPerson` entries, so between max and twice max are kept).
 */
export function createSealedRowHistoryStore(rows: SealedHistoryRows, encryptionKey: Buffer, maxEntriesPerPerson = 2000): WebHistoryStore {
  if (encryptionKey.length !== 32) throw new Error("web chat history: the encryption key must be 32 bytes");
  const check = (personId: string): string => {
    if (!PERSON_FILE.test(personId)) throw new Error("web chat history: invalid person id");
    return personId;
  };
  return {
    async append(personId, entry) {
      if (!(await rows.insert(check(personId), entry.seq, encryptText(encryptionKey, JSON.stringify(entry))))) throw new WebSeqTaken();
      if (entry.seq % maxEntriesPerPerson === 0) await rows.dropUpTo(personId, entry.seq - maxEntriesPerPerson);
    },
    async list(personId, afterSeq) {
      const out: WebEntry[] = [];
      for (const r of await rows.after(check(personId), afterSeq)) {
        try {
          const parsed = ZWebEntry.safeParse(JSON.parse(decryptText(encryptionKey, r.sealed)));
          if (parsed.success) out.push(parsed.data);
        } catch {
          // A row that no longer opens (a key mix-up) is left out, as a broken line in a file is.
        }
      }
      return out;
    },
    async forget(personId) {
      await rows.forget(check(personId));
    },
  };
}
