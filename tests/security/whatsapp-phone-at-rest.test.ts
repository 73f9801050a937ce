/**
 * A WhatsApp client's address is their phone number, so it is never stored in clear either
 * (src/security/address-index.ts). A client registers over the WhatsApp Cloud API (the real service,
 * Meta played by the Graph API stand-in), then the database (SQLite: its file and WAL byte for byte;
 * PostgreSQL: every row of every table as text) and DATA_DIR are searched for the number, the NIK
 * and the address: zero hits. The replies still reach the number, the 24-hour window still works,
 * the number shared as a Telegram contact finds the same index, keys:rotate keeps every routing key,
 * and retention takes the sealed number away with the identity. Then an upgrade: rows written with
 * raw addresses (and Baileys' auth store in clear) are converted at start-up, once.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService, type RunningService } from "../../src/service.js";
import { FixedClock } from "../../src/shared/clock.js";
import { loadKeyRing } from "../../src/security/crypto.js";
import { isSealed, keyId, sealedWith, unseal, useAtRestKey } from "../../src/security/at-rest.js";
import { storedAddress, storedMessageId } from "../../src/security/address-index.js";
import { ADDRESS_INDEX_SETTING, loadAddressIndexKey } from "../../src/db/address-index-key.js";
import { convertWhatsAppAddresses } from "../../src/db/whatsapp-address-conversion.js";
import { prismaAuthStore } from "../../src/db/whatsapp-auth-store.js";
import { prismaWindowStore } from "../../src/db/whatsapp-window-store.js";
import { useDatabaseAuthState } from "../../src/channels/whatsapp/auth-state.js";
import { rotateKeys } from "../../src/cli/key-rotation.js";
import { runRetention } from "../../src/domain/retention/retention.js";
import { releaseHeld } from "../../src/outbox/delivery.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/client.js";
import { createEmptyDatabase, testProvider } from "../support/db.js";
import type { SentRecord } from "../fixtures/whatsapp/fake-socket.js";
import { startBaileysService, type BaileysService } from "../support/whatsapp-service.js";
import * as P from "../fixtures/whatsapp/payloads.js";
import { FakeGraphApi, type CloudSent } from "../support/fake-graph-api.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";

/** The client's WhatsApp number; the registration form is given the same number ("081234567890"). */
const CLIENT = "6281234567890";
const NIK = "5104015208850003";
const ADDRESS = "Jl. Raya Ubud No. 5";
/** The number in every form it could be written in: the national digits are inside each one. */
const NEEDLES = [CLIENT, "81234567890", NIK, ADDRESS, "Raya Ubud"];
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("whatsapp-ktp".repeat(200))]);
const NOW = new Date("2026-11-23T01:00:00.000Z");

let graph: FakeGraphApi;
let service: RunningService;
let url = "";
let drop: () => Promise<void>;
let dataDir: string;
let config: ReturnType<typeof loadConfig>;
const clock = new FixedClock(NOW.toISOString());

/** What the outbox sender does in production, run by hand on the fixed clock (the webhook answers once the message is handled). */
async function settled(): Promise<void> {
  for (let i = 0; i < 20; i++) if ((await service.sender.drainOnce()).claimed === 0) return;
}

function offered(id: string): "button" | "list" | undefined {
  for (const s of [...graph.sentTo(CLIENT)].reverse()) {
    if (s.type !== "interactive") continue;
    const i = s.payload.interactive as { type: string; action: { buttons?: { reply: { id: string } }[]; sections?: { rows: { id: string }[] }[] } };
    if (i.type === "button" && i.action.buttons?.some((b) => b.reply.id === id)) return "button";
    if (i.type === "list" && i.action.sections?.some((sec) => sec.rows.some((r) => r.id === id))) return "list";
  }
  return undefined;
}

const textOf = (s: CloudSent): string =>
  s.type === "text" ? (s.payload.text as { body: string }).body : s.type === "interactive" ? (s.payload.interactive as { body: { text: string } }).body.text : "";

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function hitsIn(bytes: Buffer): string[] {
  return NEEDLES.filter((n) => bytes.includes(Buffer.from(n, "utf8")));
}

async function postgresRowsText(databaseUrl: string): Promise<string> {
  const c = new pg.Client({ connectionString: databaseUrl });
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

/** Needles found in the database (every table, or the SQLite file and its WAL) and in DATA_DIR. */
async function hitsAtRest(databaseUrl: string, dir: string | undefined): Promise<Record<string, string[]>> {
  const hits: Record<string, string[]> = {};
  if (testProvider() === "postgresql") {
    const text = await postgresRowsText(databaseUrl);
    hits.tables = NEEDLES.filter((n) => text.includes(n));
  } else {
    const file = new URL(databaseUrl).pathname;
    for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) hits[path.basename(f)] = hitsIn(fs.readFileSync(f));
  }
  for (const f of dir ? filesUnder(dir) : []) {
    const found = hitsIn(fs.readFileSync(f));
    if (found.length > 0) hits[path.relative(dir!, f)] = found;
  }
  return hits;
}

async function start(): Promise<void> {
  service = await startService(config, createLogger({ level: "silent" }), { clock, paceOverride: { whatsapp: { perChatPerSecond: 1000, globalPerSecond: 1000 } } });
  graph.webhookUrl = `${service.url}/webhooks/whatsapp`;
}

beforeAll(async () => {
  graph = await FakeGraphApi.start({ now: () => clock.now() });
  const db = await createEmptyDatabase();
  url = db.url;
  drop = db.drop;
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plut-wa-rest-")), "data");
  config = loadConfig(
    {
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      HOST: "127.0.0.1",
      PORT: "0",
      SCHEDULER_ENABLED: "false",
      WEB_CHAT_ENABLED: "false",
      LOG_LEVEL: "silent",
      WHATSAPP_CLOUD_TOKEN: graph.token,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId,
      WHATSAPP_CLOUD_APP_SECRET: graph.appSecret,
      WHATSAPP_CLOUD_VERIFY_TOKEN: "verify-token-123",
      WHATSAPP_CLOUD_API_ROOT: graph.apiRoot,
    },
    "/nonexistent/.env",
  );
  await start();
  for (const step of REGISTRATION_SCRIPT) {
    let body;
    if (step === "PHOTO") body = graph.image(CLIENT, KTP);
    else if (step.startsWith("#")) {
      const id = step.slice(1);
      body = offered(id) === "list" ? graph.listReply(CLIENT, id) : graph.buttonReply(CLIENT, id);
    } else body = graph.text(CLIENT, step);
    expect(await graph.deliver(body), step).toBe(200);
    await settled();
  }
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await graph?.close();
  await drop?.();
  if (dataDir) fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

describe("a WhatsApp client's phone number at rest", () => {
  it("the registration went through and every reply reached the number", async () => {
    const texts = graph.sentTo(CLIENT).map(textOf).join("\n");
    expect(texts).toMatch(/PLUT-GIA-\d{4}-\d{6}/);
    const db = service.database.db;
    const [identity, ...others] = await db.identity.findMany({ where: { channel: "whatsapp" } });
    expect(others).toEqual([]);
    // Stored: the blind index of the number; the JID the sender uses is sealed beside it.
    expect(identity!.address).toMatch(/^wa1\.[A-Za-z0-9_-]{43}$/);
    expect(identity!.address).toBe(storedAddress("whatsapp", CLIENT));
    expect(isSealed(identity!.addressSealed!)).toBe(true);
    expect(unseal(identity!.addressSealed!)).toBe(`${CLIENT}@s.whatsapp.net`);
    const rows = await db.outboxMessage.findMany({ where: { identityId: identity!.id } });
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.address === identity!.address && r.status === "sent")).toBe(true);
    expect(graph.sent.every((s) => s.to === CLIENT)).toBe(true);
  });

  it("neither the database nor DATA_DIR holds the number, the NIK or the address in clear", async () => {
    const hits = await hitsAtRest(url, dataDir);
    if (testProvider() === "sqlite") expect(Object.keys(hits)).toContain("test.db-wal");
    expect(Object.values(hits).flat()).toEqual([]);
    // The same number, whatever carried it, is the same index: a Baileys JID, a Cloud API wa_id,
    // a number shared as a Telegram contact (in any of the forms people type it).
    const index = storedAddress("whatsapp", CLIENT);
    for (const form of [`${CLIENT}@s.whatsapp.net`, `${CLIENT}:7@s.whatsapp.net`]) expect(storedAddress("whatsapp", form)).toBe(index);
    for (const typed of ["+62 812-3456-7890", "081234567890", "6281234567890"]) expect(storedAddress("whatsapp", typed)).toBe(index);
    expect(storedAddress("whatsapp", "6281234567891")).not.toBe(index);
    // A LID is not a phone number: never the same index as one with the same digits.
    expect(storedAddress("whatsapp", `${CLIENT}@lid`)).not.toBe(index);
    // Telegram chat ids and web chat ids are not phone numbers: kept as they are.
    expect(storedAddress("telegram", "123456789")).toBe("123456789");
  });

  it("the 24-hour window is kept under the index, and a held message goes to the number when the person writes", async () => {
    const db = service.database.db;
    const index = storedAddress("whatsapp", CLIENT);
    const window = await db.whatsAppWindow.findUniqueOrThrow({ where: { address: index } });
    expect(window.lastInboundAt).toEqual(NOW);
    expect((await prismaWindowStore(db).get(CLIENT)).lastInboundAt).toEqual(NOW);

    // A message the channel held (window closed) is released by the person's wa_id.
    const identity = await db.identity.findUniqueOrThrow({ where: { channel_address: { channel: "whatsapp", address: index } } });
    await service.inbox.inTurn({ channel: "whatsapp", id: identity.address }, "held-test", async (turn) => turn.reply({ type: "text", text: "Pesan yang menunggu." }));
    const row = await db.outboxMessage.findFirstOrThrow({ where: { identityId: identity.id }, orderBy: { seq: "desc" } });
    await settled();
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("sent");
    await db.outboxMessage.update({ where: { id: row.id }, data: { status: "held" } });
    const outbox = new Outbox({ db, provider: service.database.provider, sqlite: service.database.sqlite, postgres: service.database.postgres });
    expect(await releaseHeld(outbox, "whatsapp", CLIENT, clock.now())).toBe(1);
    await settled();
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("sent");
    expect(graph.sentTo(CLIENT).filter((s) => textOf(s) === "Pesan yang menunggu.")).toHaveLength(2);
  });

  it("keys:rotate re-seals the number and the index key, and every routing key stays", async () => {
    const old = loadKeyRing({ dataDir }).key;
    const fresh = crypto.randomBytes(32);
    const indexBefore = await loadAddressIndexKey(service.database.db);
    const identitiesBefore = await service.database.db.identity.findMany({ where: { channel: "whatsapp" }, select: { id: true, address: true } });
    // As the office does it: the service stopped, `npm run keys:rotate`, the service started with the new key.
    await service.stop();
    const handle = await openDatabase(url);
    try {
      const r = await rotateKeys({ db: handle.db, dataDir, from: old, to: fresh });
      expect(r.changed.Identity).toBe(1);
      expect(r.changed.OfficeSetting).toBe(1);
      const identity = await handle.db.identity.findFirstOrThrow({ where: { channel: "whatsapp" } });
      expect(sealedWith(identity.addressSealed!)).toBe(keyId(fresh));
      const setting = await handle.db.officeSetting.findUniqueOrThrow({ where: { key: ADDRESS_INDEX_SETTING } });
      expect(sealedWith(setting.value)).toBe(keyId(fresh));
    } finally {
      await handle.close();
    }
    fs.writeFileSync(path.join(dataDir, "encryption.key"), `${fresh.toString("hex")}\n`, { mode: 0o600 });
    await start();
    const db = service.database.db;
    // The same index key, so the same identity; the reply reaches the number (sealed under the new key).
    expect((await loadAddressIndexKey(db)).equals(indexBefore)).toBe(true);
    const before = graph.sentTo(CLIENT).length;
    expect(await graph.deliver(graph.text(CLIENT, "status"))).toBe(200);
    await settled();
    expect(graph.sentTo(CLIENT).length).toBeGreaterThan(before);
    expect(await db.identity.findMany({ where: { channel: "whatsapp" }, select: { id: true, address: true } })).toEqual(identitiesBefore);
    expect(Object.values(await hitsAtRest(url, dataDir)).flat()).toEqual([]);
  });

  it("retention takes the identity with its sealed number and the window row away", async () => {
    const db = service.database.db;
    await db.consultationCase.updateMany({ data: { status: "closed", closedAt: NOW } });
    const later = new Date("2032-01-01T00:00:00.000Z");
    const r = await runRetention({ db, files: service.files, now: later, years: 5 });
    expect(r.anonymised).toHaveLength(1);
    expect(await db.identity.count({ where: { channel: "whatsapp" } })).toBe(0);
    expect(await db.whatsAppWindow.count()).toBe(0);
  });
});

describe("an office that upgrades: raw WhatsApp addresses converted at start-up", () => {
  const JID = `${CLIENT}@s.whatsapp.net`;
  const LID = "98765432109876@lid";
  let otherUrl = "";
  let dropOther: () => Promise<void> = async () => undefined;

  afterAll(async () => dropOther());

  it("turns identities, outbox rows, window rows and Baileys' auth store into index + sealed, once, losing nothing", async () => {
    const made = await createEmptyDatabase();
    otherUrl = made.url;
    dropOther = made.drop;
    await migrate(otherUrl);
    const { db, sqlite, close } = await openDatabase(otherUrl);
    try {
      const key = crypto.randomBytes(32);
      useAtRestKey(key);
      // What an older version wrote: the JID in clear everywhere, and the same number once more
      // as a Cloud API wa_id (an office that moved from Baileys to the Cloud API).
      const client = await db.client.create({ data: { fullName: "Ni Made Ayu", language: "id" } });
      const a = await db.identity.create({ data: { channel: "whatsapp", address: JID, clientId: client.id, consentedAt: NOW, createdAt: new Date(NOW.getTime() - 1000) } });
      const b = await db.identity.create({ data: { channel: "whatsapp", address: CLIENT, displayName: "Ayu", createdAt: NOW } });
      await db.identity.create({ data: { channel: "whatsapp", address: LID } });
      const tg = await db.identity.create({ data: { channel: "telegram", address: "5550001" } });
      const payloadJson = JSON.stringify({ type: "text", text: "Halo" });
      const row = (identityId: string, address: string, k: string, status: string, seq: number, providerMessageId: string | null = null) =>
        db.outboxMessage.create({ data: { identityId, channel: "whatsapp", address, payloadJson, idempotencyKey: k, status, seq, nextAttemptAt: NOW, providerMessageId } });
      // A Cloud API wamid is base64 around the wa_id: the number, barely hidden.
      const wamid = `wamid.${Buffer.from(`\u0015\u0018\r${CLIENT}\u0015\u0002\u0000\u0011\u0018\u0012ABCDEF0123456789`).toString("base64")}`;
      await row(a.id, JID, `whatsapp:${JID}:3EB0AA#0`, "sent", 1, wamid);
      await db.processedInbound.create({ data: { channel: "whatsapp", messageId: `${JID}:3EB0AA`, identityId: a.id, processedAt: NOW } });
      await row(a.id, JID, "k2", "pending", 2);
      await row(b.id, CLIENT, "k3", "held", 1);
      await db.whatsAppWindow.create({ data: { address: JID, lastInboundAt: NOW } });
      await db.whatsAppWindow.create({ data: { address: CLIENT, noticeSentAt: NOW } });
      await db.whatsAppAuth.create({ data: { key: `session/${CLIENT}.0`, value: JSON.stringify({ jid: JID }) } });
      await db.whatsAppAuth.create({ data: { key: `lid-mapping/${CLIENT}`, value: JSON.stringify("98765432109876") } });

      // The service's start: the index key, then the conversion.
      await loadAddressIndexKey(db);
      const first = await convertWhatsAppAddresses(db, { now: () => NOW, sqlite });
      expect(first).toMatchObject({ identities: 2, merged: 1, outboxRows: 3, windows: 2, authKeys: 2, messageIds: 3 });
      expect(await convertWhatsAppAddresses(db, { now: () => NOW, sqlite })).toMatchObject({ total: 0 });

      const index = storedAddress("whatsapp", CLIENT);
      const people = await db.identity.findMany({ where: { channel: "whatsapp" }, orderBy: { createdAt: "asc" } });
      expect(people.map((p) => p.address)).toEqual([index, storedAddress("whatsapp", LID)]);
      // The two identities of one number became one: the client, the consent and every message kept.
      expect(people[0]).toMatchObject({ id: a.id, clientId: client.id, consentedAt: NOW, displayName: "Ayu" });
      expect(unseal(people[0]!.addressSealed!)).toBe(JID);
      expect(unseal(people[1]!.addressSealed!)).toBe(LID);
      expect((await db.identity.findUniqueOrThrow({ where: { id: tg.id } })).address).toBe("5550001");
      // The handled message is still known (a redelivery is still recognised), by a keyed hash.
      const handled = storedMessageId("whatsapp", `${JID}:3EB0AA`);
      expect(handled).toMatch(/^m1\./);
      expect((await db.processedInbound.findMany()).map((p) => p.messageId)).toEqual([handled]);
      const rows = await db.outboxMessage.findMany({ orderBy: { seq: "asc" } });
      expect(rows.map((r) => [r.idempotencyKey, r.identityId, r.address, r.status])).toEqual([
        [`whatsapp:${handled}#0`, a.id, index, "sent"],
        ["k2", a.id, index, "pending"],
        ["k3", a.id, index, "held"],
      ]);
      // The id the channel gave the sent message: a keyed hash, as delivery statuses look it up.
      expect(rows[0]!.providerMessageId).toBe(storedMessageId("whatsapp", wamid));
      const windows = await db.whatsAppWindow.findMany();
      expect(windows.map((w) => [w.address, w.lastInboundAt, w.noticeSentAt])).toEqual([[index, NOW, NOW]]);
      // Baileys finds its keys under their hashes and reads its values back.
      const auth = await useDatabaseAuthState(prismaAuthStore(db));
      expect(await auth.state.keys.get("lid-mapping", [CLIENT])).toEqual({ [CLIENT]: "98765432109876" });
      const stored = await db.whatsAppAuth.findMany();
      expect(stored.every((s) => s.key.startsWith("k1.") && isSealed(s.value))).toBe(true);
      // Nothing there names the number any more.
      expect(await hitsAtRest(otherUrl, undefined)).toEqual(testProvider() === "postgresql" ? { tables: [] } : { "test.db": [], "test.db-wal": [] });
    } finally {
      await close();
    }
  });
});

describe("over Baileys: the JID, its LID and the auth store", () => {
  const PN = "6281234567890@s.whatsapp.net";
  const LID = "201987654321098@lid";
  let baileys: RunningService;
  let baileysUrl = "";
  let baileysDir = "";
  let rig: BaileysService;
  const sentBy: SentRecord[] = [];

  beforeAll(async () => {
    rig = await startBaileysService(sentBy, { clock: new FixedClock(NOW.toISOString()) });
    baileys = rig.service;
    baileysUrl = rig.databaseUrl;
    baileysDir = rig.dataDir;
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
  });

  async function write(text: string): Promise<void> {
    rig.sockets.at(-1)!.upsert([P.incoming(P.pnKey({ remoteJid: PN, remoteJidAlt: LID }), P.text(text), { pushName: "Ni Made Ayu" })]);
    await (baileys.channels.get("whatsapp") as unknown as { idle(): Promise<void> }).idle();
    for (let i = 0; i < 20; i++) if ((await baileys.sender.drainOnce()).claimed === 0) break;
  }

  it("answers the person at their JID, and stores neither the number nor the LID in clear", async () => {
    await write("halo");
    await write("daftar");
    const replies = sentBy.filter((r) => r.jid === PN || r.jid === LID);
    expect(replies.length).toBeGreaterThan(0);
    expect(sentBy.every((r) => r.jid === PN || r.jid === LID)).toBe(true);
    const db = baileys.database.db;
    const [identity, ...others] = await db.identity.findMany({ where: { channel: "whatsapp" } });
    expect(others).toEqual([]);
    expect(identity!.address).toBe(storedAddress("whatsapp", CLIENT));
    expect(unseal(identity!.addressSealed!)).toBe(PN);
    // Baileys' store (creds, and the number marked as on WhatsApp) is there, hashed and sealed.
    const auth = await db.whatsAppAuth.findMany();
    expect(auth.length).toBeGreaterThan(0);
    expect(auth.every((a) => a.key.startsWith("k1.") && isSealed(a.value))).toBe(true);
    const hits = await hitsAtRest(baileysUrl, baileysDir);
    const lidDigits = LID.split("@")[0]!;
    const text = testProvider() === "postgresql" ? await postgresRowsText(baileysUrl) : "";
    expect(JSON.stringify(Object.entries(hits).filter(([, h]) => h.length > 0))).toBe("[]");
    if (testProvider() === "postgresql") expect(text.includes(lidDigits)).toBe(false);
    else expect(fs.readFileSync(new URL(baileysUrl).pathname).includes(lidDigits)).toBe(false);
  });
});
