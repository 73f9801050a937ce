/**
 * Nothing personal in clear at rest: a client registers through the real inbox and another leaves a
 * form half filled; then the database (SQLite: its file and WAL, byte for byte; PostgreSQL: every
 * row of every table as text) and DATA_DIR are searched for the NIK, the phone number as typed and
 * as stored, and the address. Files and directories are the service user's only.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService } from "../../src/service.js";
import { FixedClock } from "../../src/shared/clock.js";
import { searchClients } from "../../src/domain/reports/queries.js";
import { knownProfile } from "../../src/domain/intake/profile.js";
import { loadKeyRing } from "../../src/security/crypto.js";
import { isSealed } from "../../src/security/at-rest.js";
import { createEmptyDatabase, testProvider } from "../support/db.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { TestChannel } from "../support/test-channel.js";

const NIK = "5104015208850003";
const PHONE_TYPED = "081234567890";
const PHONE_STORED = "+6281234567890";
const ADDRESS = "Jl. Raya Ubud No. 5";
const NEEDLES = [NIK, PHONE_TYPED, PHONE_STORED.slice(1), ADDRESS, "Raya Ubud"];
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("KTP-PHOTO-BYTES".repeat(100))]);

let service: RunningService;
let channel: TestChannel;
let url = "";
let drop: () => Promise<void>;
let dataDir: string;

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) if ((await service.sender.drainOnce()).claimed === 0) return;
}

async function say(who: string, step: string): Promise<void> {
  if (step === "PHOTO") await channel.photo(who, KTP);
  else if (step.startsWith("#")) await channel.choice(who, step.slice(1));
  else await channel.text(who, step);
  await flush();
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function hitsIn(bytes: Buffer): string[] {
  return NEEDLES.filter((n) => bytes.includes(Buffer.from(n, "utf8")));
}

async function postgresRowsText(): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    expect(tables.rows.length).toBeGreaterThan(20);
    let all = "";
    for (const { table_name } of tables.rows) {
      const rows = await c.query<{ t: string }>(`SELECT t::text AS t FROM "${table_name}" t`);
      all += rows.rows.map((r) => r.t).join("\n");
    }
    return all;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  const db = await createEmptyDatabase();
  url = db.url;
  drop = db.drop;
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plut-rest-")), "data");
  const config = loadConfig(
    { DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: "0", SCHEDULER_ENABLED: "false", WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" },
    "/nonexistent/.env",
  );
  channel = new TestChannel();
  service = await startService(config, createLogger({ level: "silent" }), { clock: new FixedClock("2026-11-23T01:00:00.000Z"), channels: [channel], listen: false });
  // One client registers; another stops after typing NIK, phone and address (the form is kept for days).
  for (const step of REGISTRATION_SCRIPT) await say("client-a", step);
  for (const step of REGISTRATION_SCRIPT.slice(0, REGISTRATION_SCRIPT.indexOf(ADDRESS) + 1)) await say("client-b", step);
});

afterAll(async () => {
  await service?.stop();
  await drop?.();
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

describe("personal data at rest", () => {
  it("the registration went through, and the fields are sealed but readable with the key", async () => {
    expect(channel.texts("client-a").join("\n")).toMatch(/PLUT-GIA-\d{4}-\d{6}/);
    const db = service.database.db;
    const client = await db.client.findFirstOrThrow();
    for (const v of [client.phone!, client.address!, client.nikCipher!]) expect(v).not.toContain(NIK);
    expect(isSealed(client.phone!)).toBe(true);
    expect(isSealed(client.address!)).toBe(true);
    const key = loadKeyRing({ dataDir }).key;
    const profile = await db.$transaction((tx) => knownProfile(tx, client.id, key));
    expect(profile).toMatchObject({ "client.nik": NIK, "client.phone": PHONE_STORED, "client.address": ADDRESS });
    // The session of the half-filled form is sealed, and the form still resumes with its answers.
    const session = await db.conversationSession.findFirstOrThrow({ where: { identity: { address: "client-b" } } });
    expect(isSealed(session.stateJson)).toBe(true);
    // Staff find a client by the phone number as typed, through its blind index.
    const found = await searchClients(db, key, "0812-3456-7890");
    expect(found.matchedBy).toBe("phone");
    expect(found.hits.map((h) => h.clientId)).toEqual([client.id]);
    expect((await searchClients(db, key, "0812 3456 7891")).hits).toEqual([]);
  });

  it("neither the database nor DATA_DIR holds the NIK, phone number or address in clear", async () => {
    if (testProvider() === "postgresql") {
      const text = await postgresRowsText();
      expect(text).toContain(await service.database.db.client.findFirstOrThrow().then((c) => c.nikHash!));
      expect(NEEDLES.filter((n) => text.includes(n))).toEqual([]);
    } else {
      const file = new URL(url).pathname;
      const hits: Record<string, string[]> = {};
      for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) hits[path.basename(f)] = hitsIn(fs.readFileSync(f));
      expect(Object.keys(hits)).toContain("test.db-wal");
      expect(hits).toEqual({ "test.db": [], "test.db-wal": [] });
    }
    const files = filesUnder(dataDir);
    // The KTP photo is stored under DATA_DIR on SQLite; on PostgreSQL in the database (StoredBlob),
    // whose contents the search above covered.
    if (testProvider() === "sqlite") expect(files.some((f) => f.includes(`${path.sep}documents${path.sep}`))).toBe(true);
    const dataHits = files.map((f) => ({ file: path.relative(dataDir, f), hits: hitsIn(fs.readFileSync(f)) }));
    expect(dataHits.filter((d) => d.hits.length > 0)).toEqual([]);
  });

  it("the database file, its WAL and DATA_DIR are readable by the service's user only", () => {
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    if (testProvider() === "sqlite") {
      const file = new URL(url).pathname;
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
      const secure = service.database.sqlite!.raw.pragma("secure_delete", { simple: true });
      expect(secure).toBe(1);
    }
    expect(mode(dataDir)).toBe(0o700);
    for (const e of fs.readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
      const p = path.join(e.parentPath, e.name);
      expect([p, mode(p)]).toEqual([p, e.isDirectory() ? 0o700 : 0o600]);
    }
  });
});
