/**
 * Re-encrypting everything under a new key (`npm run keys:rotate`, src/cli/keys-rotate.ts):
 * the client's NIK, phone, e-mail and address (and their blind indexes, which are keyed too), every
 * conversation session, every outbox body, every file under DATA_DIR/files and the web chat history
 * (and, on PostgreSQL, the files and web chat history kept in the database: StoredBlob, WebChatEntry),
 * the sealed real addresses of WhatsApp identities, Baileys' auth store and the address index key
 * (re-sealed, not changed: the blind indexes of WhatsApp addresses stay valid, src/security/address-index.ts).
 *
 * Two passes. The first only reads: every value must open with the old or the new key, or nothing is
 * written (a wrong old key changes nothing). The second writes in batches, one transaction each, and
 * records after each batch where it is (OfficeSetting `keys.rotation`: the two key ids, the part and
 * the last row id or file done), so an interrupted rotation started again with the same keys goes on
 * from there; values already under the new key are skipped in any case.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Db, Tx } from "../db/client.js";
import { keyId } from "../security/at-rest.js";
import { ADDRESS_INDEX_SETTING } from "../db/address-index-key.js";
import { encryptText, lookupHash, phoneLookupHash } from "../security/crypto.js";
import { openSealed, openTextBlob, RekeyError, rekeyBlob, rekeySealed, rekeyTextBlob } from "../security/rekey.js";

export const ROTATION_SETTING = "keys.rotation";

// New parts go at the end: a rotation interrupted by an older version resumes by the part's name.
const PARTS = ["Client", "ConversationSession", "OutboxMessage", "files", "webchat", "StoredBlob", "WebChatEntry", "Identity", "WhatsAppAuth", "OfficeSetting"] as const;
type Part = (typeof PARTS)[number];

const ZProgress = z.object({ from: z.string(), to: z.string(), part: z.enum(PARTS), after: z.string() });
type Progress = z.infer<typeof ZProgress>;

export interface RotationOptions {
  db: Db;
  dataDir: string;
  from: Buffer;
  to: Buffer;
  /** Rows or files per batch (one transaction, one progress mark). Default 200. */
  batch?: number;
  /** Called after each batch is written and marked (the tests interrupt a rotation here). */
  afterBatch?: (p: Progress) => void;
}

export interface RotationResult {
  changed: Record<Part, number>;
  resumedFrom?: { part: Part; after: string };
}

export class RotationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RotationRefused";
  }
}

interface PartRunner {
  /** Ids (row ids, or file paths relative to their folder) after `after`, in order, at most `n`. */
  next(after: string, n: number): Promise<string[]>;
  /** Checks the values (throws RekeyError naming the item) and, when `write`, re-encrypts them. */
  apply(ids: string[], write: boolean): Promise<number>;
}

function clientRunner(db: Db, from: Buffer, to: Buffer): PartRunner {
  return {
    async next(after, n) {
      const rows = await db.client.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take: n, select: { id: true } });
      return rows.map((r) => r.id);
    },
    async apply(ids, write) {
      const rows = await db.client.findMany({ where: { id: { in: ids } }, select: { id: true, nikCipher: true, phone: true, email: true, address: true } });
      const updates: Array<{ id: string; data: Record<string, string> }> = [];
      for (const r of rows) {
        const at = (what: string, f: () => void) => {
          try {
            f();
          } catch (e) {
            if (e instanceof RekeyError) throw new RekeyError(`Client ${r.id} ${what}: ${e.message}`);
            throw e;
          }
        };
        const data: Record<string, string> = {};
        at("NIK", () => {
          if (!r.nikCipher) return;
          const nik = openTextBlob(r.nikCipher, from, to);
          if (nik.under === "from") Object.assign(data, { nikCipher: encryptText(to, nik.plain), nikHash: lookupHash(to, nik.plain) });
        });
        at("phone", () => {
          if (!r.phone) return;
          const phone = openSealed(r.phone, from, to);
          if (phone.under !== "to") Object.assign(data, { phone: rekeySealed(r.phone, from, to)!, phoneHash: phoneLookupHash(to, phone.plain) });
        });
        for (const col of ["email", "address"] as const) {
          at(col, () => {
            const v = r[col];
            const next = v ? rekeySealed(v, from, to) : null;
            if (next) data[col] = next;
          });
        }
        if (Object.keys(data).length > 0) updates.push({ id: r.id, data });
      }
      if (write && updates.length > 0) {
        await db.$transaction(async (tx) => {
          for (const u of updates) await tx.client.update({ where: { id: u.id }, data: u.data });
        });
      }
      return updates.length;
    },
  };
}

function sealedColumnRunner(
  what: string,
  rowsAfter: (after: string, n: number) => Promise<Array<{ id: string }>>,
  read: (ids: string[]) => Promise<Array<{ id: string; value: string }>>,
  update: (tx: Tx, id: string, value: string) => Promise<unknown>,
  db: Db,
  from: Buffer,
  to: Buffer,
): PartRunner {
  return {
    async next(after, n) {
      return (await rowsAfter(after, n)).map((r) => r.id);
    },
    async apply(ids, write) {
      const updates: Array<{ id: string; value: string }> = [];
      for (const r of await read(ids)) {
        try {
          const next = rekeySealed(r.value, from, to);
          if (next !== null) updates.push({ id: r.id, value: next });
        } catch (e) {
          if (e instanceof RekeyError) throw new RekeyError(`${what} ${r.id}: ${e.message}`);
          throw e;
        }
      }
      if (write && updates.length > 0) {
        await db.$transaction(async (tx) => {
          for (const u of updates) await update(tx, u.id, u.value);
        });
      }
      return updates.length;
    },
  };
}

/** Files under `dir`, relative, sorted, so a batch is "the next n after the last one done". */
function listFiles(dir: string, filter: (rel: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter(filter)
    .sort();
}

/** Written beside and renamed over: a crash leaves the old file or the new one, never half of one. */
function replaceFile(file: string, bytes: Buffer | string): void {
  const tmp = `${file}.rotate-${process.pid}`;
  fs.writeFileSync(tmp, bytes, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function filesRunner(root: string, from: Buffer, to: Buffer): PartRunner {
  const all = () => listFiles(root, (rel) => !/\.tmp-\d+$|\.rotate-\d+$/.test(rel));
  return {
    async next(after, n) {
      return all().filter((f) => f > after).slice(0, n);
    },
    async apply(ids, write) {
      let changed = 0;
      for (const rel of ids) {
        const file = path.join(root, rel);
        let next: Buffer | null;
        try {
          next = rekeyBlob(fs.readFileSync(file), from, to);
        } catch (e) {
          if (e instanceof RekeyError) throw new RekeyError(`file ${rel}: ${e.message}`);
          throw e;
        }
        if (next === null) continue;
        changed++;
        if (write) replaceFile(file, next);
      }
      return changed;
    },
  };
}

/** Web chat history: one line per entry, each sealed (or, from before a key was set, clear JSON). */
function webchatRunner(root: string, from: Buffer, to: Buffer): PartRunner {
  return {
    async next(after, n) {
      return listFiles(root, (rel) => rel.endsWith(".jsonl")).filter((f) => f > after).slice(0, n);
    },
    async apply(ids, write) {
      let changed = 0;
      for (const rel of ids) {
        const file = path.join(root, rel);
        let dirty = false;
        const lines = fs.readFileSync(file, "utf8").split("\n").map((line, n) => {
          if (line.trim() === "") return line;
          try {
            const next = line.startsWith("{") ? encryptText(to, line) : rekeyTextBlob(line, from, to);
            if (next === null) return line;
            dirty = true;
            return next;
          } catch (e) {
            // A line cut short by a crash is skipped by the reader too; anything else is a wrong key.
            if (e instanceof RekeyError && n === lastLine(file)) return line;
            if (e instanceof RekeyError) throw new RekeyError(`web chat history ${rel} line ${n + 1}: ${e.message}`);
            throw e;
          }
        });
        if (!dirty) continue;
        changed++;
        if (write) replaceFile(file, lines.join("\n"));
      }
      return changed;
    },
  };
}

/** Files kept in the database (several instances on PostgreSQL): one sealed blob per row. */
function storedBlobRunner(db: Db, from: Buffer, to: Buffer): PartRunner {
  return {
    async next(after, n) {
      const rows = await db.storedBlob.findMany({ where: { storageKey: { gt: after } }, orderBy: { storageKey: "asc" }, take: n, select: { storageKey: true } });
      return rows.map((r) => r.storageKey);
    },
    async apply(ids, write) {
      let changed = 0;
      // One at a time: a batch of photos is many megabytes.
      for (const storageKey of ids) {
        const row = await db.storedBlob.findUnique({ where: { storageKey }, select: { sealed: true } });
        if (!row) continue;
        let next: Buffer | null;
        try {
          next = rekeyBlob(Buffer.from(row.sealed), from, to);
        } catch (e) {
          if (e instanceof RekeyError) throw new RekeyError(`stored file ${storageKey}: ${e.message}`);
          throw e;
        }
        if (next === null) continue;
        if (write) await db.storedBlob.update({ where: { storageKey }, data: { sealed: new Uint8Array(next) } });
        changed++;
      }
      return changed;
    },
  };
}

/** Web chat entries kept in the database; ids are "<personId>/<seq, 10 digits>" so they sort as the rows do. */
function webChatEntryRunner(db: Db, from: Buffer, to: Buffer): PartRunner {
  const idOf = (r: { personId: string; seq: number }) => `${r.personId}/${String(r.seq).padStart(10, "0")}`;
  const parse = (id: string) => {
    const cut = id.lastIndexOf("/");
    return { personId: id.slice(0, cut), seq: Number(id.slice(cut + 1)) };
  };
  return {
    async next(after, n) {
      const where = after === "" ? {} : (() => {
        const a = parse(after);
        return { OR: [{ personId: { gt: a.personId } }, { personId: a.personId, seq: { gt: a.seq } }] };
      })();
      const rows = await db.webChatEntry.findMany({ where, orderBy: [{ personId: "asc" }, { seq: "asc" }], take: n, select: { personId: true, seq: true } });
      return rows.map(idOf);
    },
    async apply(ids, write) {
      const keys = ids.map(parse);
      const rows = await db.webChatEntry.findMany({ where: { OR: keys }, select: { personId: true, seq: true, sealed: true } });
      const updates: Array<{ personId: string; seq: number; sealed: string }> = [];
      for (const r of rows) {
        try {
          const next = rekeyTextBlob(r.sealed, from, to);
          if (next !== null) updates.push({ personId: r.personId, seq: r.seq, sealed: next });
        } catch (e) {
          if (e instanceof RekeyError) throw new RekeyError(`web chat entry ${idOf(r)}: ${e.message}`);
          throw e;
        }
      }
      if (write && updates.length > 0) {
        await db.$transaction(async (tx) => {
          for (const u of updates) await tx.webChatEntry.update({ where: { personId_seq: { personId: u.personId, seq: u.seq } }, data: { sealed: u.sealed } });
        });
      }
      return updates.length;
    },
  };
}

function lastLine(file: string): number {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  let n = lines.length - 1;
  while (n > 0 && lines[n]!.trim() === "") n--;
  return n;
}

function runners(o: RotationOptions): Record<Part, PartRunner> {
  const { db, from, to } = o;
  return {
    Client: clientRunner(db, from, to),
    ConversationSession: sealedColumnRunner(
      "ConversationSession",
      (after, n) => db.conversationSession.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take: n, select: { id: true } }),
      async (ids) => (await db.conversationSession.findMany({ where: { id: { in: ids } }, select: { id: true, stateJson: true } })).map((r) => ({ id: r.id, value: r.stateJson })),
      (tx, id, value) => tx.conversationSession.update({ where: { id }, data: { stateJson: value } }),
      db,
      from,
      to,
    ),
    OutboxMessage: sealedColumnRunner(
      "OutboxMessage",
      (after, n) => db.outboxMessage.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take: n, select: { id: true } }),
      async (ids) => (await db.outboxMessage.findMany({ where: { id: { in: ids } }, select: { id: true, payloadJson: true } })).map((r) => ({ id: r.id, value: r.payloadJson })),
      (tx, id, value) => tx.outboxMessage.update({ where: { id }, data: { payloadJson: value } }),
      db,
      from,
      to,
    ),
    files: filesRunner(path.join(o.dataDir, "files"), from, to),
    webchat: webchatRunner(path.join(o.dataDir, "webchat"), from, to),
    StoredBlob: storedBlobRunner(db, from, to),
    WebChatEntry: webChatEntryRunner(db, from, to),
    // A WhatsApp person's real address (their JID), sealed beside its blind index.
    Identity: sealedColumnRunner(
      "Identity",
      (after, n) => db.identity.findMany({ where: { id: { gt: after }, addressSealed: { not: null } }, orderBy: { id: "asc" }, take: n, select: { id: true } }),
      async (ids) => (await db.identity.findMany({ where: { id: { in: ids } }, select: { id: true, addressSealed: true } })).flatMap((r) => (r.addressSealed ? [{ id: r.id, value: r.addressSealed }] : [])),
      (tx, id, value) => tx.identity.update({ where: { id }, data: { addressSealed: value } }),
      db,
      from,
      to,
    ),
    WhatsAppAuth: sealedColumnRunner(
      "WhatsAppAuth",
      async (after, n) => (await db.whatsAppAuth.findMany({ where: { key: { gt: after } }, orderBy: { key: "asc" }, take: n, select: { key: true } })).map((r) => ({ id: r.key })),
      async (ids) => (await db.whatsAppAuth.findMany({ where: { key: { in: ids } }, select: { key: true, value: true } })).map((r) => ({ id: r.key, value: r.value })),
      (tx, key, value) => tx.whatsAppAuth.update({ where: { key }, data: { value } }),
      db,
      from,
      to,
    ),
    // The address index key: re-sealed under the new key, the same 32 bytes.
    OfficeSetting: sealedColumnRunner(
      "OfficeSetting",
      async (after) => (ADDRESS_INDEX_SETTING > after ? await db.officeSetting.findMany({ where: { key: ADDRESS_INDEX_SETTING }, select: { key: true } }) : []).map((r) => ({ id: r.key })),
      async (ids) => (await db.officeSetting.findMany({ where: { key: { in: ids } }, select: { key: true, value: true } })).map((r) => ({ id: r.key, value: r.value })),
      (tx, key, value) => tx.officeSetting.update({ where: { key }, data: { value } }),
      db,
      from,
      to,
    ),
  };
}

async function readProgress(db: Db): Promise<Progress | undefined> {
  const row = await db.officeSetting.findUnique({ where: { key: ROTATION_SETTING } });
  if (!row) return undefined;
  const parsed = ZProgress.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : undefined;
}

async function writeProgress(db: Db, p: Progress): Promise<void> {
  const value = JSON.stringify(p);
  await db.officeSetting.upsert({ where: { key: ROTATION_SETTING }, create: { key: ROTATION_SETTING, value }, update: { value } });
}

export async function rotateKeys(o: RotationOptions): Promise<RotationResult> {
  const batch = o.batch ?? 200;
  const fromId = keyId(o.from);
  const toId = keyId(o.to);
  if (fromId === toId) throw new RotationRefused("the new key is the key in use: nothing to rotate");
  const parts = runners(o);

  const marked = await readProgress(o.db);
  if (marked && marked.to !== toId) {
    throw new RotationRefused(`a rotation to another key (${marked.to}) was interrupted; finish it with that key first (NEW_ENCRYPTION_KEY), nothing was changed`);
  }

  // Pass 1: everything must open with one of the two keys before anything is written.
  for (const part of PARTS) {
    let after = "";
    for (;;) {
      const ids = await parts[part].next(after, batch);
      if (ids.length === 0) break;
      try {
        await parts[part].apply(ids, false);
      } catch (e) {
        if (e instanceof RekeyError) throw new RotationRefused(`the old key does not open ${e.message.replace(/: neither.*$/, "")}; is ENCRYPTION_KEY the key in use? Nothing was changed.`);
        throw e;
      }
      after = ids.at(-1)!;
    }
  }

  // Pass 2: write, batch by batch, marking where we are.
  const changed = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
  const start = marked ? PARTS.indexOf(marked.part) : 0;
  for (let i = start; i < PARTS.length; i++) {
    const part = PARTS[i]!;
    let after = marked && i === start ? marked.after : "";
    for (;;) {
      const ids = await parts[part].next(after, batch);
      if (ids.length === 0) break;
      changed[part] += await parts[part].apply(ids, true);
      after = ids.at(-1)!;
      const p = { from: fromId, to: toId, part, after };
      await writeProgress(o.db, p);
      o.afterBatch?.(p);
    }
  }
  await o.db.officeSetting.deleteMany({ where: { key: ROTATION_SETTING } });
  return { changed, ...(marked ? { resumedFrom: { part: marked.part, after: marked.after } } : {}) };
}
