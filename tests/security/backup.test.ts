/**
 * `npm run backup` / `npm run restore` (src/cli/backup-archive.ts): a backup taken while clients
 * are registering is a consistent moment of the database (every restored row existed in the source,
 * nothing points at a missing row), a backup of a quiet service restores every table's row count
 * and the decrypted fields and photos; restoring over data, a truncated file, a file sealed with
 * another key and a file that is no backup are refused with the reason and change nothing.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService } from "../../src/service.js";
import { FixedClock } from "../../src/shared/clock.js";
import { openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { knownProfile } from "../../src/domain/intake/profile.js";
import { fileStoreFor } from "../../src/db/shared-storage.js";
import { createBackup, restoreBackup, RestoreRefused, type BackupTarget } from "../../src/cli/backup-archive.js";
import { createEmptyDatabase, testProvider } from "../support/db.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { TestChannel } from "../support/test-channel.js";

const KEY = crypto.randomBytes(32);
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(3000)]);

let root: string;
let service: RunningService;
let channel: TestChannel;
let source: BackupTarget;
const drops: Array<() => Promise<void>> = [];

async function emptyTarget(name: string): Promise<BackupTarget> {
  const db = await createEmptyDatabase();
  drops.push(db.drop);
  return { databaseUrl: db.url, dataDir: path.join(root, name), key: KEY };
}

async function drive(who: string, steps: readonly string[]): Promise<void> {
  for (const step of steps) {
    if (step === "PHOTO") await channel.photo(who, KTP);
    else if (step.startsWith("#")) await channel.choice(who, step.slice(1));
    else await channel.text(who, step);
  }
}

async function drain(): Promise<void> {
  for (let i = 0; i < 50; i++) if ((await service.sender.drainOnce()).claimed === 0) return;
}

/** Every application table's row ids (or whole rows as text where there is no id column). */
async function rowsByTable(url: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (url.startsWith("file:")) {
    if (!fs.existsSync(new URL(url).pathname)) return out;
    const db = new Database(new URL(url).pathname, { readonly: true });
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'`).all() as Array<{ name: string }>;
      for (const { name } of tables) {
        const cols = (db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string }>).map((c) => c.name);
        const rows = db.prepare(cols.includes("id") ? `SELECT id AS k FROM "${name}"` : `SELECT json_array(*) AS k FROM "${name}"`.replace("json_array(*)", `json_array(${cols.map((c) => `"${c}"`).join(",")})`)).all() as Array<{ k: string }>;
        out.set(name, rows.map((r) => String(r.k)).sort());
      }
    } finally {
      db.close();
    }
    return out;
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%'`);
    for (const { name } of tables.rows) {
      const cols = await c.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [name]);
      const hasId = cols.rows.some((r) => r.column_name === "id");
      const rows = await c.query<{ k: string }>(hasId ? `SELECT id::text AS k FROM "${name}"` : `SELECT t::text AS k FROM "${name}" t`);
      out.set(name, rows.rows.map((r) => r.k).sort());
    }
  } finally {
    await c.end();
  }
  return out;
}

function counts(m: Map<string, string[]>): Record<string, number> {
  return Object.fromEntries([...m].map(([t, ids]) => [t, ids.length]).sort());
}

async function profiles(url: string): Promise<unknown[]> {
  const h = await openDatabase(url);
  try {
    const clients = await h.db.client.findMany({ orderBy: { id: "asc" }, select: { id: true } });
    return await Promise.all(clients.map((c) => h.db.$transaction((tx) => knownProfile(tx, c.id, KEY))));
  } finally {
    await h.close();
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "plut-backup-"));
  const db = await createEmptyDatabase();
  drops.push(db.drop);
  source = { databaseUrl: db.url, dataDir: path.join(root, "source"), key: KEY };
  const config = loadConfig(
    { DATABASE_URL: db.url, DATA_DIR: source.dataDir, ENCRYPTION_KEY: KEY.toString("hex"), PORT: "0", SCHEDULER_ENABLED: "false", WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" },
    "/nonexistent/.env",
  );
  channel = new TestChannel();
  service = await startService(config, createLogger({ level: "silent" }), { clock: new FixedClock("2026-11-23T01:00:00.000Z"), channels: [channel], listen: false });
  await drive("client-a", REGISTRATION_SCRIPT);
  await drain();
});

afterAll(async () => {
  await service?.stop();
  for (const d of drops) await d();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("backup and restore", () => {
  let duringLoad = "";

  it("a backup taken while clients register restores a consistent moment of the database", async () => {
    const before = await rowsByTable(source.databaseUrl);
    const handled = () => service.database.db.processedInbound.count();
    const atStart = await handled();
    let backupDone = false;
    let turnsDuringBackup = 0;
    const load = Promise.all(
      ["l1", "l2", "l3"].map(async (who) => {
        for (const step of REGISTRATION_SCRIPT) {
          await drive(who, [step]);
          if (!backupDone) turnsDuringBackup++;
        }
      }),
    );
    const sender = (async () => {
      while (!backupDone) {
        await service.sender.drainOnce();
        await new Promise((r) => setImmediate(r));
      }
    })();
    duringLoad = path.join(root, "during-load.backup");
    await new Promise((r) => setTimeout(r, 30)); // let the registrations get going
    await createBackup(source, duringLoad);
    backupDone = true;
    await Promise.all([load, sender]);
    await drain();
    expect(turnsDuringBackup).toBeGreaterThan(0);
    expect(await handled()).toBeGreaterThan(atStart);
    const after = await rowsByTable(source.databaseUrl);

    const target = await emptyTarget("restored-during-load");
    await restoreBackup(target, duringLoad);
    await migrate(target.databaseUrl);
    const restored = await rowsByTable(target.databaseUrl);
    expect([...restored.keys()].sort()).toEqual([...after.keys()].sort());
    for (const [table, ids] of restored) {
      const finalIds = new Set(after.get(table));
      if (!["ConversationSession", "RegistrationCounter", "WhatsAppWindow", "OfficeSetting"].includes(table)) {
        // Rows change (a session's state); ids do not, so every restored id existed in the source.
        expect(ids.filter((id) => !finalIds.has(id)), table).toEqual([]);
      }
      expect(ids.length, table).toBeGreaterThanOrEqual(Math.min(before.get(table)!.length, after.get(table)!.length));
    }
    // The registered client came back, readable with the key, and the restored database is whole.
    expect((await profiles(target.databaseUrl))[0]).toMatchObject({ "client.nik": "5104015208850003", "client.address": "Jl. Raya Ubud No. 5" });
    if (testProvider() === "sqlite") {
      const db = new Database(new URL(target.databaseUrl).pathname, { readonly: true });
      expect(db.pragma("foreign_key_check")).toEqual([]);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      db.close();
    }
  });

  it("a backup of a quiet service restores every table's row count, the decrypted fields and the photos", async () => {
    const quiet = path.join(root, "quiet.backup");
    await createBackup(source, quiet);
    const target = await emptyTarget("restored-quiet");
    const r = await restoreBackup(target, quiet);
    // On PostgreSQL the photos are rows of the dump (StoredBlob), not files of DATA_DIR.
    const onPg = testProvider() === "postgresql";
    expect(r.files).toBeGreaterThanOrEqual(onPg ? 0 : 4);
    expect(counts(await rowsByTable(target.databaseUrl))).toEqual(counts(await rowsByTable(source.databaseUrl)));
    const restoredProfiles = await profiles(target.databaseUrl);
    expect(restoredProfiles).toHaveLength(4);
    expect(restoredProfiles).toEqual(await profiles(source.databaseUrl));
    const docs = await service.database.db.document.findMany();
    const restored = await openDatabase(target.databaseUrl);
    try {
      const files = fileStoreFor(restored, target.dataDir, KEY);
      expect(files.where).toBe(onPg ? "database" : "disk");
      for (const d of docs) expect(await files.get(d.storageKey)).toEqual(KTP);
    } finally {
      await restored.close();
    }
    if (!onPg) {
      const mode = fs.statSync(path.join(target.dataDir, "files", docs[0]!.storageKey)).mode & 0o777;
      expect(mode).toBe(0o600);
    }

    // Over a database that holds data: refused, unless --replace.
    await expect(restoreBackup(target, duringLoad)).rejects.toThrow(/already holds data/);
    expect(counts(await rowsByTable(target.databaseUrl))).toEqual(counts(await rowsByTable(source.databaseUrl)));
    await restoreBackup(target, duringLoad, { replace: true });
    expect((await rowsByTable(target.databaseUrl)).get("Client")!.length).toBeLessThan(4);
  });

  it("refuses a truncated file, one sealed with another key, and one that is no backup, changing nothing", async () => {
    const good = path.join(root, "quiet.backup");
    const bytes = fs.readFileSync(good);
    const target = await emptyTarget("refusals");
    const cases: Array<[string, Buffer, BackupTarget, RegExp]> = [
      ["cut by one byte", bytes.subarray(0, bytes.length - 1), target, /cut short/],
      ["cut in half", bytes.subarray(0, Math.floor(bytes.length / 2)), target, /cut short/],
      ["only the header", bytes.subarray(0, 200), target, /cut short/],
      ["a changed byte", Buffer.concat([bytes.subarray(0, 500), Buffer.from([bytes[500]! ^ 1]), bytes.subarray(501)]), target, /damaged/],
      ["another key", bytes, { ...target, key: crypto.randomBytes(32) }, /another key/],
      ["not a backup", Buffer.from("SQLite format 3\0 and more"), target, /not a backup file/],
    ];
    for (const [what, content, t, reason] of cases) {
      const file = path.join(root, `bad-${what.replace(/\W/g, "-")}.backup`);
      fs.writeFileSync(file, content);
      const err = await restoreBackup(t, file).catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(RestoreRefused);
      expect((err as Error).message, what).toMatch(reason);
    }
    expect([...(await rowsByTable(target.databaseUrl)).values()].flat()).toEqual([]);
    expect(fs.existsSync(path.join(target.dataDir, "files"))).toBe(false);
  });
});
