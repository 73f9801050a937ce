/**
 * The outbox's contract, held against both stores with the same expectations: the SQLite one always,
 * the PostgreSQL one too when TEST_POSTGRES_URL is set (npm run test:postgres runs both). Every
 * operation the sender and the writers use, through `Outbox.transaction` as the sender calls it,
 * with rows read back through Prisma.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueue, Outbox, type OutboxItem } from "../../src/outbox/outbox.js";
import { UNCERTAIN, type ClaimedRow, type Lane } from "../../src/outbox/store.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const providers = ["sqlite", ...(process.env.TEST_POSTGRES_URL ? ["postgresql" as const] : [])] as const;

const T0 = new Date("2026-03-16T02:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 60_000;

describe.each(providers)("outbox on %s", (provider) => {
  let h: TestDatabase;
  let outbox: Outbox;
  let ids: { ani: string; budi: string; citra: string };

  beforeAll(async () => {
    h = await createTestDatabase(provider);
    outbox = new Outbox(h);
  });
  afterAll(async () => {
    await h.destroy();
  });
  beforeEach(async () => {
    await h.db.outboxMessage.deleteMany();
    await h.db.identity.deleteMany();
    const person = (channel: string, address: string) => h.db.identity.create({ data: { channel, address }, select: { id: true } });
    ids = {
      ani: (await person("telegram", "1001")).id,
      budi: (await person("telegram", "1002")).id,
      citra: (await person("whatsapp", "6281@s.whatsapp.net")).id,
    };
  });

  const text = (identityId: string, t: string): OutboxItem => ({ identityId, message: { type: "text", text: t }, idempotencyKey: `${identityId}:${t}` });
  const write = (items: OutboxItem[], now = T0, lane: Lane = "live") => outbox.transaction((s) => enqueue(s, items, now, { lane }));
  const claim = (now: Date, o: { limit?: number; channels?: string[]; instanceId?: string; lane?: Lane } = {}) =>
    outbox.transaction((s) =>
      s.claim({ now, leaseUntil: new Date(now.getTime() + LEASE), channels: o.channels ?? ["telegram", "whatsapp"], limit: o.limit ?? 100, instanceId: o.instanceId ?? "A", lane: o.lane ?? "live" }),
    );
  const row = (identityId: string, t: string) => h.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `${identityId}:${t}` } });
  const texts = (rows: ClaimedRow[]) => rows.map((r) => (JSON.parse(r.payloadJson) as { text: string }).text).sort();

  /** Claimed rows of each person must be the first of their unsent rows, in order (checked against `before`). */
  function expectPrefixes(claimed: ClaimedRow[], before: Array<{ id: string; identityId: string; seq: number }>) {
    const people = new Set(claimed.map((c) => c.identityId));
    for (const person of people) {
      const unsent = before.filter((b) => b.identityId === person).sort((a, b) => a.seq - b.seq);
      const mine = claimed.filter((c) => c.identityId === person).sort((a, b) => a.seq - b.seq);
      expect(mine.map((m) => m.id)).toEqual(unsent.slice(0, mine.length).map((u) => u.id));
    }
  }
  const unsent = () => h.db.outboxMessage.findMany({ where: { status: { in: ["pending", "sending"] } }, select: { id: true, identityId: true, seq: true } });

  it("writes each key once and numbers each person's messages on from the last", async () => {
    expect(await write([text(ids.ani, "satu"), text(ids.budi, "halo"), text(ids.ani, "dua")])).toBe(3);
    expect(await write([text(ids.ani, "dua"), text(ids.ani, "tiga"), text(ids.ani, "tiga")], at(1000))).toBe(1);
    expect(await write([])).toBe(0);
    const rows = await h.db.outboxMessage.findMany({ orderBy: [{ identityId: "asc" }, { seq: "asc" }] });
    expect(rows.filter((r) => r.identityId === ids.ani).map((r) => [JSON.parse(r.payloadJson).text, r.seq])).toEqual([["satu", 1], ["dua", 2], ["tiga", 3]]);
    expect(rows.find((r) => r.identityId === ids.budi)).toMatchObject({ seq: 1, channel: "telegram", address: "1002", status: "pending", attempts: 0 });
    expect((await row(ids.ani, "tiga")).nextAttemptAt.getTime()).toBe(at(1000).getTime());
  });

  it("answers the keys written and each person's last seq in one statement, as the two apart do", async () => {
    await write([text(ids.ani, "satu"), text(ids.ani, "dua"), text(ids.budi, "halo")]);
    const keys = [`${ids.ani}:dua`, `${ids.citra}:baru`, `${ids.budi}:halo`];
    const people = [ids.ani, ids.budi, ids.citra];
    const [both, existing, lastSeq] = await outbox.transaction(async (s) => [await s.keysAndSeqs(keys, people), await s.existingKeys(keys), await s.lastSeqs(people)] as const);
    expect([...both.existing].sort()).toEqual([`${ids.ani}:dua`, `${ids.budi}:halo`].sort());
    expect([...both.existing].sort()).toEqual([...existing].sort());
    expect(Object.fromEntries(both.lastSeq)).toEqual({ [ids.ani]: 2, [ids.budi]: 1, [ids.citra]: 0 });
    expect(Object.fromEntries(both.lastSeq)).toEqual(Object.fromEntries(lastSeq));
    // A writer that locks its recipients asks the two apart, the lock between: numbered the same.
    expect(await outbox.transaction((s) => enqueue(s, [text(ids.ani, "tiga"), text(ids.ani, "satu")], T0, { lockRecipients: true }))).toBe(1);
    expect((await row(ids.ani, "tiga")).seq).toBe(3);
  });

  it("claims due rows of its channels only, leases them and counts the attempt", async () => {
    await write([text(ids.ani, "sekarang"), text(ids.citra, "wa")]);
    await write([text(ids.budi, "nanti")], at(5000));
    const claimed = await claim(at(1000), { channels: ["telegram"] });
    expect(texts(claimed)).toEqual(["sekarang"]);
    expect(claimed[0]).toMatchObject({ identityId: ids.ani, channel: "telegram", address: "1001", seq: 1, attempts: 1 });
    const leased = await row(ids.ani, "sekarang");
    expect(leased).toMatchObject({ status: "sending", leasedBy: "A", attempts: 1 });
    expect(leased.leaseUntil?.getTime()).toBe(at(1000 + LEASE).getTime());
    // Out with a sender: not claimed again while the lease lasts.
    expect(await claim(at(2000), { channels: ["telegram"], instanceId: "B" })).toEqual([]);
    expect(texts(await claim(at(6000), { channels: ["telegram"], instanceId: "B" }))).toEqual(["nanti"]);
  });

  it("claims a row again once its lease ran out, before pending ones", async () => {
    await write([text(ids.ani, "lama")]);
    await claim(at(0), { instanceId: "A" });
    await write([text(ids.budi, "baru")], at(LEASE));
    const again = await claim(at(LEASE + 1), { instanceId: "B", limit: 1 });
    expect(texts(again)).toEqual(["lama"]);
    expect(again[0]!.attempts).toBe(2);
    expect(await row(ids.ani, "lama")).toMatchObject({ status: "sending", leasedBy: "B", attempts: 2 });
  });

  it("never claims a person's later message while an earlier one waits or is out with a sender", async () => {
    await write([text(ids.ani, "a1")], at(-1000));
    await write([text(ids.ani, "a2"), text(ids.budi, "b1"), text(ids.budi, "b2"), text(ids.budi, "b3")]);
    // Ani's first message failed for now and waits for its retry.
    const [a1] = await claim(at(0), { limit: 1 });
    expect(a1).toMatchObject({ identityId: ids.ani, seq: 1 });
    await outbox.transaction((s) => s.retryLater(a1!.id, at(30_000), "429 Too Many Requests"));
    let before = await unsent();
    const claimed = await claim(at(1000), { limit: 2 });
    expectPrefixes(claimed, before);
    expect(claimed.some((c) => c.identityId === ids.ani)).toBe(false);
    expect(claimed.map((c) => [c.identityId, c.seq])).toContainEqual([ids.budi, 1]);
    // While Budi's claimed rows are out and Ani's first waits, nothing of theirs is claimed.
    expect(await claim(at(2000), { instanceId: "B" })).toEqual([]);
    // Ani's retry comes due: her messages go again, in order.
    before = await unsent();
    const later = await claim(at(30_000), { instanceId: "C" });
    expectPrefixes(later, before);
    expect(later.filter((c) => c.identityId === ids.ani).sort((x, y) => x.seq - y.seq)[0]).toMatchObject({ seq: 1, attempts: 2 });
  });

  it("keeps the order when the claim's limit leaves a person's earlier message out", async () => {
    // A retry due at 10 s, and a later message of the same person written meanwhile, due at once.
    await write([text(ids.ani, "a1")], at(10_000));
    await write([text(ids.ani, "a2")], at(0));
    const before = await unsent();
    const claimed = await claim(at(20_000), { limit: 1 });
    expectPrefixes(claimed, before);
    expect(claimed.map((c) => c.seq)).not.toContain(2);
  });

  it("marks rows sent: never claimed again", async () => {
    await write([text(ids.ani, "x"), text(ids.ani, "y")]);
    let claimed = await claim(at(0));
    while (claimed.length > 0) {
      await outbox.transaction((s) => s.markSent(claimed.map((c) => c.id), at(500)));
      claimed = await claim(at(1000));
    }
    const rows = await h.db.outboxMessage.findMany();
    expect(rows.map((r) => r.status)).toEqual(["sent", "sent"]);
    for (const r of rows) {
      expect(r).toMatchObject({ leaseUntil: null, lastError: null });
      expect(r.sentAt?.getTime()).toBe(at(500).getTime());
    }
    expect(await claim(at(10 * LEASE))).toEqual([]);
  });

  it("hands rows back unsent: the attempt does not count, only the instance that holds them can", async () => {
    await write([text(ids.ani, "x")]);
    const [c] = await claim(at(0), { instanceId: "A" });
    await outbox.transaction((s) => s.release([c!.id], "B", null));
    expect(await row(ids.ani, "x")).toMatchObject({ status: "sending", leasedBy: "A", attempts: 1 });
    await outbox.transaction((s) => s.release([c!.id], "A", null));
    const back = await row(ids.ani, "x");
    expect(back).toMatchObject({ status: "pending", leaseUntil: null, attempts: 0 });
    expect(back.nextAttemptAt.getTime()).toBe(T0.getTime());
    // Held back behind a retry: due with it.
    await claim(at(0), { instanceId: "A" });
    await outbox.transaction((s) => s.release([c!.id], "A", at(7000)));
    expect((await row(ids.ani, "x")).nextAttemptAt.getTime()).toBe(at(7000).getTime());
    expect(await claim(at(6999))).toEqual([]);
    expect(await claim(at(7000))).toHaveLength(1);
  });

  it("retries later: due again at the time given, the attempt counted and the error kept", async () => {
    await write([text(ids.ani, "x")]);
    const [c] = await claim(at(0));
    await outbox.transaction((s) => s.retryLater(c!.id, at(5000), "502 Bad Gateway"));
    const r = await row(ids.ani, "x");
    expect(r).toMatchObject({ status: "pending", leaseUntil: null, attempts: 1, lastError: "502 Bad Gateway" });
    expect(r.nextAttemptAt.getTime()).toBe(at(5000).getTime());
    expect(await claim(at(4999))).toEqual([]);
    expect((await claim(at(5000)))[0]).toMatchObject({ id: c!.id, attempts: 2 });
  });

  it("fails rows for good", async () => {
    await write([text(ids.ani, "x"), text(ids.budi, "y")]);
    const claimed = await claim(at(0));
    await outbox.transaction((s) => s.fail(claimed.map((c) => c.id), "given up"));
    expect((await h.db.outboxMessage.findMany()).map((r) => [r.status, r.lastError, r.leaseUntil])).toEqual([
      ["failed", "given up", null],
      ["failed", "given up", null],
    ]);
    expect(await claim(at(10 * LEASE))).toEqual([]);
  });

  it("marks a person unreachable and fails what waits for them, leaving other people's rows", async () => {
    await write([text(ids.ani, "a1")], at(-1000));
    await write([text(ids.ani, "a2"), text(ids.budi, "b1")]);
    const [first] = await claim(at(0), { limit: 1 });
    expect(first?.identityId).toBe(ids.ani);
    await outbox.transaction(async (s) => {
      await s.fail([first!.id], "403 Forbidden: bot was blocked by the user");
      await s.markUnreachable(ids.ani, at(100));
    });
    expect((await h.db.identity.findUniqueOrThrow({ where: { id: ids.ani } })).unreachableAt?.getTime()).toBe(at(100).getTime());
    expect(await row(ids.ani, "a1")).toMatchObject({ status: "failed", lastError: "403 Forbidden: bot was blocked by the user" });
    expect(await row(ids.ani, "a2")).toMatchObject({ status: "failed", lastError: "recipient unreachable" });
    expect(await row(ids.budi, "b1")).toMatchObject({ status: "pending" });
    expect((await h.db.identity.findUniqueOrThrow({ where: { id: ids.budi } })).unreachableAt).toBeNull();
  });

  it("claims one lane at a time: live rows are found whatever the bulk backlog, bulk rows only by the bulk lane", async () => {
    await write([text(ids.budi, "b1"), text(ids.citra, "c1")], at(-5000), "bulk");
    await write([text(ids.ani, "a1")], at(0), "live");
    expect(texts(await claim(at(1000), { limit: 1 }))).toEqual(["a1"]);
    expect(await claim(at(1000))).toEqual([]);
    expect(texts(await claim(at(1000), { lane: "bulk" }))).toEqual(["b1", "c1"]);
    expect((await row(ids.budi, "b1")).lane).toBe("bulk");
    expect((await row(ids.ani, "a1")).lane).toBe("live");
  });

  it("a person's live reply waits behind their earlier bulk message (one person's messages stay in order)", async () => {
    await write([text(ids.ani, "reminder")], at(-5000), "bulk");
    await write([text(ids.ani, "reply")], at(0), "live");
    expect(await claim(at(1000))).toEqual([]);
    const [r] = await claim(at(1000), { lane: "bulk" });
    await outbox.transaction((s) => s.markOneSent(r!.id, at(1100), null));
    expect(texts(await claim(at(1200)))).toEqual(["reply"]);
  });

  it("marks one row sent with the channel's id of it, only while it is still out", async () => {
    await write([text(ids.ani, "x"), text(ids.budi, "y")]);
    const claimed = await claim(at(0));
    const x = claimed.find((c) => c.identityId === ids.ani)!;
    const y = claimed.find((c) => c.identityId === ids.budi)!;
    await outbox.transaction((s) => s.markOneSent(x.id, at(500), "wamid.X"));
    await outbox.transaction((s) => s.retryLater(y.id, at(9000), "502"));
    await outbox.transaction((s) => s.markOneSent(y.id, at(600), null));
    expect(await row(ids.ani, "x")).toMatchObject({ status: "sent", leaseUntil: null, providerMessageId: "wamid.X" });
    expect((await row(ids.ani, "x")).sentAt?.getTime()).toBe(at(500).getTime());
    expect(await row(ids.budi, "y")).toMatchObject({ status: "pending", sentAt: null });
  });

  it("renews the leases of one instance's rows only", async () => {
    await write([text(ids.ani, "x"), text(ids.budi, "y")]);
    await claim(at(0), { limit: 1, instanceId: "A" });
    await claim(at(0), { instanceId: "B" });
    expect(await outbox.transaction((s) => s.renewLeases("A", at(2 * LEASE)))).toBe(1);
    const rows = await h.db.outboxMessage.findMany({ orderBy: { leasedBy: "asc" } });
    expect(rows.map((r) => [r.leasedBy, r.leaseUntil?.getTime()])).toEqual([
      ["A", at(2 * LEASE).getTime()],
      ["B", at(LEASE).getTime()],
    ]);
    // A's rows are not claimable when B's lease ran out, B's are.
    expect((await claim(at(LEASE + 1), { instanceId: "C" })).map((r) => r.identityId)).toEqual([rows[1]!.identityId]);
  });

  it("takes back every row another instance holds, at once, and none of its own", async () => {
    await write([text(ids.ani, "x"), text(ids.budi, "y")]);
    await claim(at(0), { limit: 1, instanceId: "dead" });
    await claim(at(0), { instanceId: "me" });
    expect(await outbox.transaction((s) => s.takeBackClaims("me", at(100)))).toBe(1);
    const again = await claim(at(100), { instanceId: "me" });
    expect(again).toHaveLength(1);
    expect(again[0]!.attempts).toBe(2);
    expect(await claim(at(100), { instanceId: "other" })).toEqual([]);
  });

  describe("once-only rows (announcements: at most once)", () => {
    const announcement = (identityId: string, t: string): OutboxItem => ({ identityId, message: { type: "text", kind: "announcement", params: { title: t }, text: t }, idempotencyKey: `${identityId}:${t}` });
    const markSending = (id: string, instanceId: string, now: Date) => outbox.statement((s) => s.markSending(id, instanceId, now));

    it("an announcement is written once-only, a reminder or a reply is not", async () => {
      await write([announcement(ids.ani, "pelatihan"), { identityId: ids.budi, message: { type: "text", kind: "action_item_due", params: {}, text: "besok" }, idempotencyKey: `${ids.budi}:besok` }, text(ids.citra, "halo")], T0, "bulk");
      expect((await row(ids.ani, "pelatihan")).onceOnly).toBe(true);
      expect((await row(ids.budi, "besok")).onceOnly).toBe(false);
      expect((await row(ids.citra, "halo")).onceOnly).toBe(false);
      const claimed = await claim(at(0), { lane: "bulk" });
      expect(claimed.find((r) => r.identityId === ids.ani)?.onceOnly).toBe(true);
      expect(claimed.find((r) => r.identityId === ids.budi)?.onceOnly).toBe(false);
    });

    it("marked sending by the holder of the lease only, and only while the lease lasts", async () => {
      await write([announcement(ids.ani, "pelatihan")], T0, "bulk");
      const [r] = await claim(at(0), { lane: "bulk", instanceId: "A" });
      expect(await markSending(r!.id, "B", at(10))).toBe(false);
      expect(await markSending(r!.id, "A", at(LEASE + 1))).toBe(false);
      expect(await markSending(r!.id, "A", at(10))).toBe(true);
      expect((await row(ids.ani, "pelatihan")).sendingAt?.getTime()).toBe(at(10).getTime());
    });

    it("one out with a sender that died is failed as uncertain, never claimed again; one not yet marked goes again", async () => {
      await write([announcement(ids.ani, "pelatihan"), announcement(ids.budi, "pelatihan")], T0, "bulk");
      const claimed = await claim(at(0), { lane: "bulk", instanceId: "dead" });
      expect(claimed).toHaveLength(2);
      // Ani's was with the channel when the sender died; Budi's was still waiting for its turn.
      expect(await markSending(claimed.find((r) => r.identityId === ids.ani)!.id, "dead", at(10))).toBe(true);
      expect(await outbox.transaction((s) => s.takeBackClaims("me", at(100)))).toBe(2);
      const again = await claim(at(100), { lane: "bulk", instanceId: "me" });
      expect(again.map((r) => r.identityId)).toEqual([ids.budi]);
      expect(await row(ids.ani, "pelatihan")).toMatchObject({ status: "failed", lastError: UNCERTAIN });
      expect(await row(ids.budi, "pelatihan")).toMatchObject({ status: "sending", leasedBy: "me", sendingAt: null });
      // The same after a lease simply ran out (another instance on PostgreSQL).
      expect(await markSending(again[0]!.id, "me", at(200))).toBe(true);
      expect(await claim(at(100 + LEASE + 1), { lane: "bulk", instanceId: "other" })).toEqual([]);
      expect(await row(ids.budi, "pelatihan")).toMatchObject({ status: "failed", lastError: UNCERTAIN });
    });

    it("handed back after its mark (the mark as sent failed): failed as uncertain, not pending", async () => {
      await write([announcement(ids.ani, "pelatihan"), announcement(ids.budi, "pelatihan")], T0, "bulk");
      const claimed = await claim(at(0), { lane: "bulk", instanceId: "A" });
      const ani = claimed.find((r) => r.identityId === ids.ani)!;
      expect(await markSending(ani.id, "A", at(10))).toBe(true);
      await outbox.transaction((s) => s.release(claimed.map((r) => r.id), "A", null));
      expect(await row(ids.ani, "pelatihan")).toMatchObject({ status: "failed", lastError: UNCERTAIN });
      expect(await row(ids.budi, "pelatihan")).toMatchObject({ status: "pending" });
    });

    it("a retry after a channel error clears the mark with the next claim", async () => {
      await write([announcement(ids.ani, "pelatihan")], T0, "bulk");
      const [r] = await claim(at(0), { lane: "bulk", instanceId: "A" });
      expect(await markSending(r!.id, "A", at(10))).toBe(true);
      await outbox.transaction((s) => s.retryLater(r!.id, at(1000), "429"));
      const [again] = await claim(at(1000), { lane: "bulk", instanceId: "A" });
      expect(again?.id).toBe(r!.id);
      expect(await row(ids.ani, "pelatihan")).toMatchObject({ status: "sending", sendingAt: null, attempts: 2 });
    });
  });
});
