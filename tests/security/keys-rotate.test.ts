/**
 * `npm run keys:rotate` (src/cli/key-rotation.ts): a wrong old key changes nothing; a rotation
 * interrupted part way goes on where it stopped when run again; afterwards everything opens with
 * the new key only, the blind indexes find the client with the new key, and the service started
 * with the new key finishes a form that was half filled before the rotation.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService } from "../../src/service.js";
import { FixedClock } from "../../src/shared/clock.js";
import { openDatabase, type DatabaseHandle } from "../../src/db/client.js";
import { createFileHistoryStore, createSealedRowHistoryStore } from "../../src/channels/web/history.js";
import { databaseWebChatRows, fileStoreFor } from "../../src/db/shared-storage.js";
import { searchClients } from "../../src/domain/reports/queries.js";
import { knownProfile } from "../../src/domain/intake/profile.js";
import { keyId, sealedWith } from "../../src/security/at-rest.js";
import { decrypt } from "../../src/security/crypto.js";
import { rotateKeys, RotationRefused, ROTATION_SETTING } from "../../src/cli/key-rotation.js";
import { createEmptyDatabase, testProvider } from "../support/db.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { TestChannel } from "../support/test-channel.js";

const OLD = crypto.randomBytes(32);
const NEW = crypto.randomBytes(32);
const NIK = "5104015208850003";
const ADDRESS = "Jl. Raya Ubud No. 5";
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("KTP-PHOTO-BYTES".repeat(100))]);
const HALF = REGISTRATION_SCRIPT.indexOf(ADDRESS) + 1;

let url = "";
let drop: () => Promise<void>;
let root: string;
let dataDir: string;
let handle: DatabaseHandle | undefined;

async function run(key: Buffer, body: (s: RunningService, ch: TestChannel) => Promise<void>): Promise<void> {
  const config = loadConfig(
    { DATABASE_URL: url, DATA_DIR: dataDir, ENCRYPTION_KEY: key.toString("hex"), PORT: "0", SCHEDULER_ENABLED: "false", WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" },
    "/nonexistent/.env",
  );
  const channel = new TestChannel();
  const service = await startService(config, createLogger({ level: "silent" }), { clock: new FixedClock("2026-11-23T01:00:00.000Z"), channels: [channel], listen: false });
  try {
    await body(service, channel);
  } finally {
    await service.stop();
  }
}

async function drive(service: RunningService, channel: TestChannel, who: string, steps: readonly string[]): Promise<void> {
  for (const step of steps) {
    if (step === "PHOTO") await channel.photo(who, KTP);
    else if (step.startsWith("#")) await channel.choice(who, step.slice(1));
    else await channel.text(who, step);
    for (let i = 0; i < 20; i++) if ((await service.sender.drainOnce()).claimed === 0) break;
  }
}

/** Everything the rotation may change, to compare before and after. */
async function snapshot(db: DatabaseHandle["db"]): Promise<string> {
  const clients = await db.client.findMany({ orderBy: { id: "asc" }, select: { id: true, nikCipher: true, nikHash: true, phone: true, phoneHash: true, email: true, address: true } });
  const sessions = await db.conversationSession.findMany({ orderBy: { id: "asc" }, select: { id: true, stateJson: true } });
  const outbox = await db.outboxMessage.findMany({ orderBy: { id: "asc" }, select: { id: true, payloadJson: true } });
  // Files and web chat history kept in the database (PostgreSQL; the rows exist on SQLite too when written).
  const blobs = (await db.storedBlob.findMany({ orderBy: { storageKey: "asc" } })).map((b) => [b.storageKey, Buffer.from(b.sealed).toString("base64")]);
  const webRows = await db.webChatEntry.findMany({ orderBy: [{ personId: "asc" }, { seq: "asc" }], select: { personId: true, seq: true, sealed: true } });
  const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
  const digest = crypto.createHash("sha256");
  for (const f of files) digest.update(f).update(fs.readFileSync(f));
  return JSON.stringify({ clients, sessions, outbox, blobs, webRows, files: digest.digest("hex"), marker: await db.officeSetting.findUnique({ where: { key: ROTATION_SETTING } }) });
}

beforeAll(async () => {
  const db = await createEmptyDatabase();
  url = db.url;
  drop = db.drop;
  root = fs.mkdtempSync(path.join(os.tmpdir(), "plut-rotate-"));
  dataDir = path.join(root, "data");
  await run(OLD, async (service, channel) => {
    await drive(service, channel, "client-a", REGISTRATION_SCRIPT);
    await drive(service, channel, "client-b", REGISTRATION_SCRIPT.slice(0, HALF));
  });
  const history = createFileHistoryStore({ dir: path.join(dataDir, "webchat"), encryptionKey: OLD });
  await history.append("webperson1", { seq: 1, id: "e1", at: "2026-11-23T01:00:00.000Z", role: "client", kind: "text", messageId: "m1", text: `NIK saya ${NIK}` });
  handle = await openDatabase(url);
  // The database's history rows (how several instances on PostgreSQL keep it) are rotated too.
  await createSealedRowHistoryStore(databaseWebChatRows(handle.db), OLD).append("webperson2webperson2xx", { seq: 1, id: "e1", at: "2026-11-23T01:00:00.000Z", role: "client", kind: "text", messageId: "m1", text: `NIK saya ${NIK}` });
});

afterAll(async () => {
  await handle?.close();
  await drop?.();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("npm run keys:rotate", () => {
  it("a wrong old key is refused and changes nothing", async () => {
    const db = handle!.db;
    const before = await snapshot(db);
    const wrong = crypto.randomBytes(32);
    await expect(rotateKeys({ db, dataDir, from: wrong, to: NEW })).rejects.toThrow(RotationRefused);
    await expect(rotateKeys({ db, dataDir, from: wrong, to: NEW })).rejects.toThrow(/does not open Client .* NIK/);
    expect(await snapshot(db)).toBe(before);
  });

  it("an interrupted rotation goes on where it stopped, and afterwards only the new key opens anything", async () => {
    const db = handle!.db;
    let batches = 0;
    const stop = new Error("interrupted");
    await expect(
      rotateKeys({ db, dataDir, from: OLD, to: NEW, batch: 1, afterBatch: () => { if (++batches === 3) throw stop; } }),
    ).rejects.toBe(stop);
    const marker = await db.officeSetting.findUniqueOrThrow({ where: { key: ROTATION_SETTING } });
    expect(JSON.parse(marker.value)).toMatchObject({ from: keyId(OLD), to: keyId(NEW) });
    const kids = (await db.outboxMessage.findMany({ select: { payloadJson: true } })).map((r) => sealedWith(r.payloadJson));
    expect(new Set(kids)).toEqual(new Set([keyId(OLD)])); // the outbox's turn had not come yet

    // Another new key while that one is unfinished is refused.
    await expect(rotateKeys({ db, dataDir, from: OLD, to: crypto.randomBytes(32) })).rejects.toThrow(/was interrupted/);

    const done = await rotateKeys({ db, dataDir, from: OLD, to: NEW, batch: 1 });
    expect(done.resumedFrom).toBeDefined();
    expect(done.changed.OutboxMessage).toBeGreaterThan(10);
    // The KTP photo is under DATA_DIR on SQLite and in the database on PostgreSQL.
    expect(testProvider() === "postgresql" ? done.changed.StoredBlob : done.changed.files).toBeGreaterThanOrEqual(1);
    expect(done.changed.webchat).toBe(1);
    expect(done.changed.WebChatEntry).toBe(1);
    expect(await db.officeSetting.findUnique({ where: { key: ROTATION_SETTING } })).toBeNull();

    const client = await db.client.findFirstOrThrow();
    for (const v of [client.phone!, client.address!]) expect(sealedWith(v)).toBe(keyId(NEW));
    for (const r of await db.conversationSession.findMany()) expect(sealedWith(r.stateJson)).toBe(keyId(NEW));
    for (const r of await db.outboxMessage.findMany()) expect(sealedWith(r.payloadJson)).toBe(keyId(NEW));
    expect(await db.$transaction((tx) => knownProfile(tx, client.id, NEW))).toMatchObject({ "client.nik": NIK, "client.address": ADDRESS, "client.phone": "+6281234567890" });
    expect((await searchClients(db, NEW, NIK)).hits.map((h) => h.clientId)).toEqual([client.id]);
    expect((await searchClients(db, NEW, "081234567890")).hits.map((h) => h.clientId)).toEqual([client.id]);
    expect((await searchClients(db, OLD, NIK)).hits).toEqual([]);
    const doc = await db.document.findFirstOrThrow({ where: { clientId: client.id } });
    const sealedFile = await fileStoreFor(handle!, dataDir, NEW).sealed(doc.storageKey);
    expect(decrypt(NEW, sealedFile)).toEqual(KTP);
    expect(() => decrypt(OLD, sealedFile)).toThrow();
    const history = createFileHistoryStore({ dir: path.join(dataDir, "webchat"), encryptionKey: NEW });
    expect(JSON.stringify(await history.list("webperson1", 0))).toContain(NIK);
    expect(JSON.stringify(await createSealedRowHistoryStore(databaseWebChatRows(db), NEW).list("webperson2webperson2xx", 0))).toContain(NIK);
    expect(await createSealedRowHistoryStore(databaseWebChatRows(db), OLD).list("webperson2webperson2xx", 0)).toEqual([]);

    // Run again: nothing left to do.
    const again = await rotateKeys({ db, dataDir, from: OLD, to: NEW });
    expect(Object.values(again.changed).every((n) => n === 0)).toBe(true);
  });

  it("the service started with the new key finishes the form that was half filled before", async () => {
    await handle!.close();
    handle = undefined;
    await run(NEW, async (service, channel) => {
      await drive(service, channel, "client-b", REGISTRATION_SCRIPT.slice(HALF));
      expect(channel.texts("client-b").join("\n")).toMatch(/PLUT-GIA-\d{4}-\d{6}/);
    });
  });
});
