/**
 * The web chat shared by several instances on one PostgreSQL database (src/db/shared-storage.ts):
 * two web channels over the same history rows, each with its own LISTEN connection. A page open on
 * one gets what the other writes, live; both writing for one person at once never reuse a number;
 * a dropped listening connection comes back and catches up what it missed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FileStore } from "../../src/storage/file-store.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSealedRowHistoryStore, createWebChannel, newPersonId, type WebChannel } from "../../src/channels/web/index.js";
import type { WebEntry } from "../../src/channels/web/history.js";
import { databaseWebChatRows, fileStoreFor, listenWebChatSignals, type WebChatSignals } from "../../src/db/shared-storage.js";
import { createTestDatabase, testProvider, type TestDatabase } from "../support/db.js";

const KEY = crypto.randomBytes(32);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const noFile = async (): Promise<Buffer> => {
  throw new Error("no files here");
};

describe.skipIf(testProvider() !== "postgresql")("web chat across instances (needs TEST_POSTGRES_URL: LISTEN/NOTIFY is PostgreSQL's)", () => {
  let t: TestDatabase;
  type Instance = { web: WebChannel; signals: WebChatSignals };
  const instances: Instance[] = [];

  async function instance(name: string): Promise<{ web: WebChannel; signals: WebChatSignals }> {
    const signals = await listenWebChatSignals({
      url: t.url,
      db: t.db,
      onEntry: (personId) => void web.takeNews(personId),
      onReconnected: () => void web.takeAllNews(),
      logger: quiet,
      retryMs: 50,
    });
    // The callbacks above run on notifications, after this line.
    const web: WebChannel = createWebChannel({
      maxUploadBytes: 1024 * 1024,
      logger: quiet,
      historyStore: createSealedRowHistoryStore(databaseWebChatRows(t.db), KEY),
      shared: { announce: (p, s) => signals.announce(p, s) },
      maxEntriesInMemory: name === "a" ? 200 : 5,
    });
    await web.start(async () => undefined);
    const made = { web, signals };
    instances.push(made);
    return made;
  }

  function listen(web: WebChannel, personId: string): Promise<{ got: WebEntry[]; stop: () => void }> {
    const got: WebEntry[] = [];
    return web.subscribe(personId, 0, { push: (e) => got.push(e), close: () => undefined }).then((stop) => ({ got, stop }));
  }
  const until = (cond: () => boolean, what: string) => vi.waitFor(() => expect(cond(), what).toBe(true), { timeout: 10_000, interval: 10 });

  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
  });
  afterAll(async () => {
    for (const i of instances) {
      await i.web.stop();
      await i.signals.close();
    }
    await t?.destroy();
  });

  it("pushes what instance A sends to the page open on instance B, live", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const person = newPersonId();
    const onB = await listen(b.web, person);
    expect(b.web.openStreams(person)).toBe(1);
    expect(a.web.openStreams(person)).toBe(0);

    await a.web.send(person, { type: "text", text: "Halo, selamat datang di PLUT Gianyar." }, noFile);
    await a.web.send(person, { type: "text", text: "Silakan pilih layanan.", choices: [{ id: "menu:registration", label: "Daftar" }] }, noFile);
    await until(() => onB.got.length === 2, "both entries pushed on B");
    expect(onB.got.map((e) => e.seq)).toEqual([1, 2]);
    expect(onB.got[1]).toMatchObject({ role: "assistant", kind: "text", text: "Silakan pilih layanan." });
    // B knows the offered choice A wrote (a tap posted to B gets its label).
    expect(await b.web.choiceLabel(person, "menu:registration")).toBe("Daftar");

    // The signal carries only ids; the rows are sealed.
    const rows = await t.db.webChatEntry.findMany({ where: { personId: person } });
    expect(rows.map((r) => r.sealed).join("")).not.toContain("PLUT Gianyar");
    onB.stop();
  });

  it("numbers the entries without gaps or repeats when both instances write for one person at once", async () => {
    const [a, b] = instances as [Instance, Instance];
    const person = newPersonId();
    const onA = await listen(a.web, person);
    const onB = await listen(b.web, person);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => ((i % 2 === 0 ? a : b).web.send(person, { type: "text", text: `pesan ${i}` }, noFile))),
    );
    const all = await t.db.webChatEntry.findMany({ where: { personId: person }, orderBy: { seq: "asc" } });
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    await until(() => onA.got.length === 12 && onB.got.length === 12, "every entry on both pages");
    expect(onA.got.map((e) => e.seq)).toEqual(all.map((r) => r.seq));
    expect(onB.got.map((e) => e.seq)).toEqual(all.map((r) => r.seq));
    expect(new Set(onB.got.map((e) => (e.kind === "text" ? e.text : ""))).size).toBe(12);
    onA.stop();
    onB.stop();
  });

  it("listens again after its connection is killed, and catches up what was written meanwhile", async () => {
    const [a, b] = instances as [Instance, Instance];
    const person = newPersonId();
    const onB = await listen(b.web, person);
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      // Both listeners go (A's too; A's sending does not need it).
      const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'plut-webchat-listen' AND datname = current_database()");
      expect(killed.rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    // Written while B may not be listening: B reads it once it is back, if the signal was lost.
    await a.web.send(person, { type: "text", text: "Terima kasih, data Anda sudah kami terima." }, noFile);
    await until(() => b.signals.listening, "B listening again");
    await until(() => onB.got.length === 1, "the entry reached B");
    await a.web.send(person, { type: "text", text: "Konsultan kami akan menghubungi Anda." }, noFile);
    await until(() => onB.got.length === 2, "the next one too, over the new connection");
    expect(onB.got.map((e) => e.seq)).toEqual([1, 2]);
    onB.stop();
  });

  it("keeps new files in the database and still reads one an earlier version left under DATA_DIR/files", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-shared-files-"));
    try {
      const before = await new FileStore(path.join(dataDir, "files"), KEY).put(Buffer.from("foto KTP lama"), "identity");
      const files = fileStoreFor(t, dataDir, KEY);
      expect(files.where).toBe("database");
      expect((await files.get(before.storageKey)).toString()).toBe("foto KTP lama");
      const fresh = await files.put(Buffer.from("foto KTP baru"), "identity");
      expect(fs.existsSync(path.join(dataDir, "files", fresh.storageKey))).toBe(false);
      expect(Buffer.from((await t.db.storedBlob.findUniqueOrThrow({ where: { storageKey: fresh.storageKey } })).sealed).toString()).not.toContain("foto KTP");
      // Deletion (on request, or retention) removes it wherever it is.
      await files.remove(before.storageKey);
      await files.remove(fresh.storageKey);
      await expect(files.get(before.storageKey)).rejects.toThrow();
      await expect(files.get(fresh.storageKey)).rejects.toThrow();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
