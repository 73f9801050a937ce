/**
 * The outbox writes its rows with hand-written SQL; read back through Prisma they must be exactly
 * what Prisma would have written (times, defaults), keys skipped when they exist, seq continuing
 * each person's order, whichever caller wrote before (a turn or the sweep, which also locks).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/db/sql-values.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { testProvider, useTestDatabase } from "../support/db.js";
import * as s from "../scheduler/support.js";

const t = useTestDatabase();
beforeEach(async () => {
  await s.resetDb(t.db);
});

describe("enqueue", () => {
  it("writes rows Prisma reads as written, continues seq, and skips keys that exist", async () => {
    const outbox = new Outbox(t);
    const a = await s.client(t.db, { channel: "whatsapp" });
    const b = await s.client(t.db);
    const now = new Date("2026-03-16T01:02:03.456Z");
    // As a turn writes (the recipient at hand, no locks).
    await t.db.$transaction((tx) =>
      outbox.enqueue(tx, [{ identityId: a.identity.id, message: { type: "text", text: "earlier" }, idempotencyKey: "e1" }], now, { known: [a.identity] }),
    );
    const later = new Date(now.getTime() + 1234);
    // As the sweep writes (many at once, recipients locked on PostgreSQL).
    const written = await t.db.$transaction((tx) =>
      outbox.enqueue(
        tx,
        [
          { identityId: a.identity.id, message: { type: "text", text: "one", choices: [{ id: "rem:x:done", label: "Sudah" }] }, idempotencyKey: "k1" },
          { identityId: b.identity.id, message: { type: "text", text: "two" }, idempotencyKey: "k2" },
          { identityId: a.identity.id, message: { type: "text", text: "three" }, idempotencyKey: "k3" },
          { identityId: a.identity.id, message: { type: "text", text: "again" }, idempotencyKey: "e1" },
          { identityId: a.identity.id, message: { type: "text", text: "dup" }, idempotencyKey: "k1" },
        ],
        later,
        { lockRecipients: true },
      ),
    );
    expect(written).toBe(3);
    const rows = await t.db.outboxMessage.findMany({ orderBy: [{ identityId: "asc" }, { seq: "asc" }] });
    const ofA = rows.filter((r) => r.identityId === a.identity.id);
    expect(ofA.map((r) => [r.idempotencyKey, r.seq])).toEqual([["e1", 1], ["k1", 2], ["k3", 3]]);
    const k1 = ofA[1]!;
    expect(k1).toMatchObject({ channel: "whatsapp", address: a.identity.address, status: "pending", attempts: 0, leaseUntil: null, leasedBy: null, lastError: null, sentAt: null });
    expect(k1.id).toMatch(/^c[0-9a-z]{24}$/);
    expect(k1.nextAttemptAt.getTime()).toBe(later.getTime());
    expect(k1.createdAt.getTime()).toBe(later.getTime());
    expect(JSON.parse(k1.payloadJson)).toEqual({ type: "text", text: "one", choices: [{ id: "rem:x:done", label: "Sudah" }] });
    expect(rows.find((r) => r.idempotencyKey === "k2")).toMatchObject({ identityId: b.identity.id, seq: 1, channel: b.identity.channel });
    // Prisma's own comparisons see the written times correctly.
    expect(await t.db.outboxMessage.count({ where: { nextAttemptAt: { lte: later } } })).toBe(4);
    expect(await t.db.outboxMessage.count({ where: { nextAttemptAt: { lt: later } } })).toBe(1);
    expect(await t.db.outboxMessage.count({ where: { nextAttemptAt: { gt: now } } })).toBe(3);
    // And a later write continues the same order.
    await t.db.$transaction((tx) => outbox.enqueue(tx, [{ identityId: a.identity.id, message: { type: "text", text: "after" }, idempotencyKey: "k4" }], later));
    expect((await t.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "k4" } })).seq).toBe(4);
  });

  it("refuses a message that is not a valid Outbound, and an unknown identity, writing nothing", async () => {
    const outbox = new Outbox(t);
    const a = await s.client(t.db);
    await expect(
      t.db.$transaction((tx) =>
        outbox.enqueue(
          tx,
          [
            { identityId: a.identity.id, message: { type: "text", text: "fine" }, idempotencyKey: "ok" },
            { identityId: a.identity.id, message: { type: "text", text: "" }, idempotencyKey: "bad" },
          ],
          new Date(),
        ),
      ),
    ).rejects.toThrow();
    await expect(
      t.db.$transaction((tx) => outbox.enqueue(tx, [{ identityId: "nobody", message: { type: "text", text: "x" }, idempotencyKey: "x" }], new Date())),
    ).rejects.toThrow(/does not exist/);
    expect(await t.db.outboxMessage.count()).toBe(0);
  });

  // On SQLite a bare statement would join whatever transaction is open on the one connection (and
  // share its fate); on PostgreSQL it is a transaction of its own.
  it.skipIf(testProvider() !== "sqlite")("is refused outside a transaction on SQLite", async () => {
    const outbox = new Outbox(t);
    const a = await s.client(t.db);
    await expect(outbox.enqueue(t.db, [{ identityId: a.identity.id, message: { type: "text", text: "x" }, idempotencyKey: "bare" }], new Date())).rejects.toThrow();
    expect(await t.db.outboxMessage.count()).toBe(0);
  });

  it("ids look like Prisma's and do not collide", () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newId()));
    expect(ids.size).toBe(20_000);
    for (const id of [...ids].slice(0, 50)) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });
});
