/**
 * The turn's frequent reads and writes have three implementations: prepared statements on the
 * embedded database (SqliteTurnStore), named prepared statements on the PostgreSQL connection of
 * the turn's transaction (PostgresTurnStore) and Prisma (PrismaTurnStore, the reference). All must
 * do the same thing, and what the raw one writes must read back through Prisma exactly (dates,
 * booleans, defaults), because the rest of the office reads these rows through Prisma.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { PostgresTurnStore, PrismaTurnStore, SqliteTurnStore, type TurnStore } from "../../src/conversation/turn-store.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { useTestDatabase } from "../support/db.js";

const t = useTestDatabase();
beforeEach(async () => {
  await t.db.outboxMessage.deleteMany();
  await t.db.processedInbound.deleteMany();
  await t.db.conversationSession.deleteMany();
  await t.db.identity.deleteMany();
});

type InTurn = <T>(work: (store: TurnStore) => Promise<T>) => Promise<T>;

const stores: Array<[string, () => InTurn]> = [
  [
    "PrismaTurnStore",
    () => {
      const outbox = new Outbox(t);
      return (work) => t.db.$transaction((tx) => work(new PrismaTurnStore(tx, outbox.in(tx))));
    },
  ],
  [
    "SqliteTurnStore",
    () => {
      const sqlite = t.sqlite;
      if (!sqlite) return null as unknown as InTurn;
      return (work) => sqlite.transaction(() => work(new SqliteTurnStore(sqlite.raw)));
    },
  ],
  [
    "PostgresTurnStore",
    () => {
      const postgres = t.postgres;
      if (!postgres) return null as unknown as InTurn;
      return (work) => postgres.transaction((_tx, session) => work(new PostgresTurnStore(session)), { maxWait: 5_000, timeout: 10_000 });
    },
  ],
];

const now = new Date("2026-03-16T01:02:03.456Z");
const later = new Date("2026-03-16T01:05:00.001Z");

describe.each(stores)("%s", (name, make) => {
  const onPostgres = process.env.TEST_POSTGRES_URL !== undefined;
  const skip = (name === "SqliteTurnStore" && onPostgres) || (name === "PostgresTurnStore" && !onPostgres);

  it.skipIf(skip)("creates and finds identities, and Prisma reads them as written", async () => {
    const inTurn = make();
    const created = await inTurn((s) => s.createIdentity("whatsapp", "6281234567890@s.whatsapp.net", now));
    expect(created).toEqual({
      id: expect.stringMatching(/^c[0-9a-z]{24}$/),
      channel: "whatsapp",
      address: "6281234567890@s.whatsapp.net",
      clientId: null,
      staffId: null,
      displayName: null,
      language: "id",
      remindersOn: true,
      consentedAt: null,
    });
    expect(await inTurn((s) => s.identityByAddress("whatsapp", "6281234567890@s.whatsapp.net"))).toEqual(created);
    expect(await inTurn((s) => s.identityById(created.id))).toEqual(created);
    expect(await inTurn((s) => s.identityByAddress("telegram", "6281234567890@s.whatsapp.net"))).toBeNull();
    expect(await inTurn((s) => s.identityById("nobody"))).toBeNull();

    await inTurn((s) => s.setDisplayName(created.id, "Bu Ayu", later));
    const row = await t.db.identity.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ displayName: "Bu Ayu", language: "id", remindersOn: true, unreachableAt: null });
    expect(row.createdAt.getTime()).toBe(now.getTime());
    await t.db.identity.update({ where: { id: created.id }, data: { consentedAt: later, remindersOn: false, language: "en" } });
    expect(await inTurn((s) => s.identityById(created.id))).toMatchObject({ consentedAt: later, remindersOn: false, language: "en", displayName: "Bu Ayu" });
  });

  it.skipIf(skip)("records an inbound message once", async () => {
    const inTurn = make();
    const who = await inTurn((s) => s.createIdentity("telegram", "1001", now));
    expect(await inTurn((s) => s.markInbound("telegram", "m1", who.id, now))).toBe(true);
    expect(await inTurn((s) => s.markInbound("telegram", "m1", who.id, later))).toBe(false);
    expect(await inTurn((s) => s.markInbound("web", "m1", who.id, now))).toBe(true);
    const rows = await t.db.processedInbound.findMany({ orderBy: { channel: "asc" } });
    expect(rows.map((r) => [r.channel, r.messageId, r.processedAt.getTime()])).toEqual([
      ["telegram", "m1", now.getTime()],
      ["web", "m1", now.getTime()],
    ]);
  });

  it.skipIf(skip)("saves the session, keeping the offered buttons unless given", async () => {
    const inTurn = make();
    const who = await inTurn((s) => s.createIdentity("web", "w1", now));
    expect(await inTurn((s) => s.session(who.id))).toBeNull();
    const base = { flowId: "registration", flowVersion: 3, status: "active", lastActivityAt: now, nudgeDueAt: later, expireDueAt: null };
    await inTurn((s) => s.saveSession(who.id, { ...base, stateJson: '{"engine":1}', offeredJson: '[{"id":"c:1","label":"Buka"}]' }, now));
    expect(await inTurn((s) => s.session(who.id))).toEqual({ stateJson: '{"engine":1}', status: "active", offeredJson: '[{"id":"c:1","label":"Buka"}]', nudgeDueAt: later, expireDueAt: null });
    await inTurn((s) => s.saveSession(who.id, { ...base, stateJson: '{"engine":2}', status: "expired", nudgeDueAt: null, expireDueAt: later }, later));
    expect(await inTurn((s) => s.session(who.id))).toEqual({ stateJson: '{"engine":2}', status: "expired", offeredJson: '[{"id":"c:1","label":"Buka"}]', nudgeDueAt: null, expireDueAt: later });
    await inTurn((s) => s.saveSession(who.id, { ...base, stateJson: "{}", flowId: null, flowVersion: null, status: "idle", offeredJson: null }, later));
    const row = await t.db.conversationSession.findUniqueOrThrow({ where: { identityId: who.id } });
    expect(row).toMatchObject({ stateJson: "{}", flowId: null, flowVersion: null, status: "idle", offeredJson: null, nudgeDueAt: later, expireDueAt: null });
    expect(row.lastActivityAt.getTime()).toBe(now.getTime());
    expect(row.updatedAt.getTime()).toBeGreaterThan(0);
    // Prisma's own comparisons see the written times.
    expect(await t.db.conversationSession.count({ where: { nudgeDueAt: { lte: later } } })).toBe(1);
    expect(await t.db.conversationSession.count({ where: { nudgeDueAt: { lt: later } } })).toBe(0);
  });

  it.skipIf(skip)("writes replies in order per person, skipping keys that exist", async () => {
    const inTurn = make();
    const a = await inTurn((s) => s.createIdentity("whatsapp", "62811@s.whatsapp.net", now));
    const b = await inTurn((s) => s.createIdentity("telegram", "2002", now));
    const first = await inTurn((s) =>
      s.enqueue(
        [
          { identityId: a.id, message: { type: "text", text: "satu", choices: [{ id: "ctl:skip", label: "Lewati" }] }, idempotencyKey: "web:m1#0" },
          { identityId: b.id, message: { type: "text", text: "untuk admin" }, idempotencyKey: "web:m1#1" },
          { identityId: a.id, message: { type: "text", text: "dua" }, idempotencyKey: "web:m1#2" },
        ],
        now,
        [a],
      ),
    );
    expect(first).toBe(3);
    const again = await inTurn((s) =>
      s.enqueue(
        [
          { identityId: a.id, message: { type: "text", text: "satu" }, idempotencyKey: "web:m1#0" },
          { identityId: a.id, message: { type: "text", text: "tiga" }, idempotencyKey: "web:m2#0" },
        ],
        later,
      ),
    );
    expect(again).toBe(1);
    const rows = await t.db.outboxMessage.findMany({ orderBy: [{ identityId: "asc" }, { seq: "asc" }] });
    expect(rows.filter((r) => r.identityId === a.id).map((r) => [r.idempotencyKey, r.seq, JSON.parse(r.payloadJson).text])).toEqual([
      ["web:m1#0", 1, "satu"],
      ["web:m1#2", 2, "dua"],
      ["web:m2#0", 3, "tiga"],
    ]);
    const toB = rows.find((r) => r.identityId === b.id)!;
    expect(toB).toMatchObject({ channel: "telegram", address: "2002", status: "pending", attempts: 0, seq: 1, leaseUntil: null, leasedBy: null, lastError: null, sentAt: null });
    expect(toB.nextAttemptAt.getTime()).toBe(now.getTime());
    expect(toB.createdAt.getTime()).toBe(now.getTime());
    expect(JSON.parse(rows.find((r) => r.idempotencyKey === "web:m1#0")!.payloadJson)).toEqual({ type: "text", text: "satu", choices: [{ id: "ctl:skip", label: "Lewati" }] });
    await expect(inTurn((s) => s.enqueue([{ identityId: "nobody", message: { type: "text", text: "x" }, idempotencyKey: "k" }], now))).rejects.toThrow();
  });

  it.skipIf(skip || !onPostgres)("holds the person's lock until the transaction ends (PostgreSQL)", async () => {
    const inTurn = make();
    const order: string[] = [];
    let finishFirst!: () => void;
    const firstMayEnd = new Promise<void>((resolve) => (finishFirst = resolve));
    const first = inTurn(async (s) => {
      await s.lockPerson("web:lock-test");
      order.push("first locked");
      await firstMayEnd;
      order.push("first ends");
    });
    // The second waits for the lock; wait (by asking the database, no timer) until it does.
    while (order.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const second = inTurn(async (s) => {
      await s.lockPerson("web:lock-test");
      order.push("second locked");
    });
    for (let tries = 0; ; tries++) {
      const locks = await t.db.$queryRawUnsafe<Array<{ waiting: number }>>(`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
      if (locks[0]?.waiting === 1) break;
      if (tries > 2000) throw new Error("the second turn never waited for the lock");
    }
    expect(order).toEqual(["first locked"]);
    finishFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["first locked", "first ends", "second locked"]);
  });
});
