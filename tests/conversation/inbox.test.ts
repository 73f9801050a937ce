/**
 * The inbox's promises: each inbound message handled once, in order per person, in one transaction
 * with its replies; on PostgreSQL also across several instances sharing the database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inbox } from "../../src/conversation/inbox.js";
import type { Desk, DeskTurn } from "../../src/desks/desk.js";
import { text } from "../../src/messaging/text.js";
import type { Inbound } from "../../src/messaging/model.js";
import { createTestDatabase, testProvider, type TestDatabase } from "../support/db.js";
import { testInbox } from "../support/test-inbox.js";
import type { EngineMessage } from "../../src/flows/model.js";
import type { Db } from "../../src/db/client.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.destroy());

/** A desk that appends each text to a per-person list stored in the database, read-modify-write. */
class LedgerDesk implements Desk {
  failNext = false;
  async handle(turn: DeskTurn, message: EngineMessage): Promise<boolean> {
    if (message.type !== "text") return true;
    const key = `ledger:${turn.identity.address}`;
    const row = await turn.tx.officeSetting.findUnique({ where: { key } });
    const list = row ? (JSON.parse(row.value) as string[]) : [];
    // Yield so that, without the per-person lock, another turn could interleave here.
    await new Promise((r) => setImmediate(r));
    list.push(message.text);
    await turn.tx.officeSetting.upsert({ where: { key }, create: { key, value: JSON.stringify(list) }, update: { value: JSON.stringify(list) } });
    turn.reply(text(`got ${message.text}`));
    if (this.failNext) {
      this.failNext = false;
      throw new Error("crash after writing, before commit");
    }
    return true;
  }
}

function makeInbox(db: Db, desk: Desk): Inbox {
  return testInbox({ db, provider: database.provider, sqlite: database.sqlite }, [desk]);
}

const msg = (person: string, id: string, body: string): Inbound => ({
  from: { channel: "web", id: person },
  messageId: id,
  receivedAt: new Date(),
  body: { type: "text", text: body },
});

async function ledger(person: string): Promise<string[]> {
  const row = await database.db.officeSetting.findUnique({ where: { key: `ledger:${person}` } });
  return row ? (JSON.parse(row.value) as string[]) : [];
}

describe("inbox", () => {
  it("handles a redelivered message once: one answer, one reply", async () => {
    const inbox = makeInbox(database.db, new LedgerDesk());
    await inbox.handleInbound(msg("dup", "m1", "satu"));
    await inbox.handleInbound(msg("dup", "m1", "satu"));
    await Promise.all([inbox.handleInbound(msg("dup", "m2", "dua")), inbox.handleInbound(msg("dup", "m2", "dua"))]);
    expect(await ledger("dup")).toEqual(["satu", "dua"]);
    const identity = await database.db.identity.findFirstOrThrow({ where: { address: "dup" } });
    expect(await database.db.outboxMessage.count({ where: { identityId: identity.id } })).toBe(2);
  });

  it("keeps one person's messages in order and handles people in parallel", async () => {
    const inbox = makeInbox(database.db, new LedgerDesk());
    const n = 15;
    await Promise.all([
      ...Array.from({ length: n }, (_, i) => inbox.handleInbound(msg("alice", `a${i}`, `a${i}`))),
      ...Array.from({ length: n }, (_, i) => inbox.handleInbound(msg("bob", `b${i}`, `b${i}`))),
    ]);
    expect(await ledger("alice")).toEqual(Array.from({ length: n }, (_, i) => `a${i}`));
    expect(await ledger("bob")).toEqual(Array.from({ length: n }, (_, i) => `b${i}`));
    const alice = await database.db.identity.findFirstOrThrow({ where: { address: "alice" } });
    const seqs = (await database.db.outboxMessage.findMany({ where: { identityId: alice.id }, orderBy: { seq: "asc" } })).map((o) => JSON.parse(o.payloadJson).text);
    expect(seqs).toEqual(Array.from({ length: n }, (_, i) => `got a${i}`));
  });

  it("a crash before commit loses nothing accepted and sends nothing; the redelivery is handled", async () => {
    const desk = new LedgerDesk();
    const inbox = makeInbox(database.db, desk);
    await inbox.handleInbound(msg("crash", "c1", "pertama"));
    desk.failNext = true;
    await expect(inbox.handleInbound(msg("crash", "c2", "kedua"))).rejects.toThrow(/crash/);
    expect(await ledger("crash")).toEqual(["pertama"]);
    expect(await database.db.processedInbound.count({ where: { messageId: "c2" } })).toBe(0);
    const identity = await database.db.identity.findFirstOrThrow({ where: { address: "crash" } });
    expect(await database.db.outboxMessage.count({ where: { identityId: identity.id } })).toBe(1);
    // The channel redelivers (it was not acknowledged): now it goes through, once.
    await inbox.handleInbound(msg("crash", "c2", "kedua"));
    expect(await ledger("crash")).toEqual(["pertama", "kedua"]);
    expect(await database.db.outboxMessage.count({ where: { identityId: identity.id } })).toBe(2);
  });

  it.runIf(testProvider() === "postgresql")("two instances on one PostgreSQL database keep order and handle each message once", async () => {
    const { openDatabase } = await import("../../src/db/client.js");
    const second = await openDatabase(database.url);
    try {
      const one = makeInbox(database.db, new LedgerDesk());
      const two = makeInbox(second.db, new LedgerDesk());
      const n = 20;
      // Every message reaches both instances (a webhook retried to another instance, say).
      const work: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        work.push(one.handleInbound(msg("shared", `s${i}`, `s${i}`)));
        work.push(two.handleInbound(msg("shared", `s${i}`, `s${i}`)));
      }
      await Promise.all(work);
      const got = await ledger("shared");
      expect(got).toHaveLength(n);
      expect(new Set(got).size).toBe(n);
      const identity = await database.db.identity.findFirstOrThrow({ where: { address: "shared" } });
      expect(await database.db.outboxMessage.count({ where: { identityId: identity.id } })).toBe(n);
    } finally {
      await second.close();
    }
  });
});
