/**
 * The sweep's rules: quiet hours and holidays, the reminders switch, claims that survive a crash,
 * idempotent scheduling, and one bad reminder that does not hold up the others.
 */
import { Writable } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";
import { readJson, ZReminderPayload } from "../../src/db/json-columns.js";
import { reminderPayload, type ReminderKind } from "../../src/scheduler/kinds/types.js";
import { planActionItemReminders, planSlaReminders, REMINDER_KIND_DEFS } from "../../src/scheduler/kinds/index.js";
import { cancelCaseReminders, cancelReminders, scheduleReminder } from "../../src/scheduler/reminders.js";
import { useTestDatabase } from "../support/db.js";
import * as s from "./support.js";

const t = useTestDatabase();
beforeEach(async () => {
  await s.resetDb(t.db);
});

const cal = s.calendar();

/** A cheap kind for mechanics: one text to the reminder's identity. */
const ping = (audience: "client" | "staff"): ReminderKind => ({
  kind: `test_ping_${audience}`,
  audience,
  payload: reminderPayload({}),
  async render(ctx) {
    const to = audience === "client" ? ctx.recipient!.id : ctx.reminder.identityId!;
    return [{ identityId: to, message: { type: "text", text: `ping ${ctx.reminder.idempotencyKey}` } }];
  },
});
const KINDS = [...REMINDER_KIND_DEFS, ping("client"), ping("staff")];

async function pings(n: number, o: { audience?: "client" | "staff"; dueAt: Date; identityId: string }) {
  await t.db.$transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      await scheduleReminder(tx, { kind: `test_ping_${o.audience ?? "client"}`, dueAt: o.dueAt, identityId: o.identityId, idempotencyKey: `ping:${o.identityId}:${i}` });
    }
  });
}

describe("quiet hours", () => {
  it("a client reminder due at 22:30 WITA goes at 07:00 the next morning, once", async () => {
    const c = await s.client(t.db);
    await pings(1, { dueAt: s.wita("2026-03-16 22:30"), identityId: c.identity.id });
    const sw = s.sweeper(t, { calendar: cal, kinds: KINDS });
    const r1 = await sw.sweep(s.wita("2026-03-16 22:30"));
    expect(r1).toMatchObject({ claimed: 1, deferred: 1, messages: 0 });
    const row = await t.db.reminder.findFirstOrThrow();
    expect(row.status).toBe("pending");
    expect(row.dueAt.getTime()).toBe(s.wita("2026-03-17 07:00").getTime());
    expect((await s.sweeper(t, { calendar: cal, kinds: KINDS }).sweep(s.wita("2026-03-17 06:59"))).claimed).toBe(0);
    expect(await t.db.outboxMessage.count()).toBe(0);
    const r2 = await sw.sweep(s.wita("2026-03-17 07:00"));
    expect(r2).toMatchObject({ done: 1, messages: 1 });
    expect((await t.db.outboxMessage.findFirstOrThrow()).nextAttemptAt.getTime()).toBe(s.wita("2026-03-17 07:00").getTime());
    await sw.sweep(s.wita("2026-03-17 08:00"));
    expect(await t.db.outboxMessage.count()).toBe(1);
  });

  it("an action-item reminder due on Nyepi goes at 07:00 the day after", async () => {
    const c = await s.client(t.db);
    const kase = await s.consultationCase(t.db, { clientId: c.client.id, status: "action_plan", step: 5 });
    const { items } = await s.actionPlan(t.db, kase.id, [{ action: "Catat pembukuan harian", targetDate: "2026-03-19" }]);
    await t.db.$transaction((tx) => planActionItemReminders(tx, { caseId: kase.id, clientIdentityId: c.identity.id, items, calendar: cal }));
    const sw = s.sweeper(t, { calendar: cal });
    await sw.sweep(s.wita("2026-03-18 09:00")); // the day before: a normal day for clients
    expect(await t.db.outboxMessage.count()).toBe(1);
    const r = await sw.sweep(s.wita("2026-03-19 09:00")); // Nyepi
    expect(r.deferred).toBe(1);
    expect(await t.db.outboxMessage.count()).toBe(1);
    await sw.sweep(s.wita("2026-03-20 06:59"));
    expect(await t.db.outboxMessage.count()).toBe(1);
    // 07:00 on the 20th: the due-date reminder is a day late, so it is dropped as stale.
    const r2 = await sw.sweep(s.wita("2026-03-20 07:00"));
    expect(r2.cancelReasons).toEqual({ stale: 1 });
  });

  it("staff reminders ignore quiet hours", async () => {
    const a = await s.staff(t.db, { role: "admin" });
    await pings(1, { audience: "staff", dueAt: s.wita("2026-03-16 23:00"), identityId: a.identity.id });
    const r = await s.sweeper(t, { calendar: cal, kinds: KINDS }).sweep(s.wita("2026-03-16 23:00"));
    expect(r).toMatchObject({ done: 1, messages: 1, deferred: 0 });
  });
});

describe("holidays move staff deadlines", () => {
  async function slaCase(startedAt: Date) {
    const c = await s.client(t.db);
    const admin = await s.staff(t.db, { role: "admin" });
    const kase = await s.consultationCase(t.db, { clientId: c.client.id, status: "awaiting_routing", step: 3 });
    const planned = await t.db.$transaction((tx) => planSlaReminders(tx, { caseId: kase.id, step: 3, startedAt, calendar: cal }));
    return { admin, kase, planned };
  }

  it("a case arriving on a Sunday is due 15 working minutes into Monday", async () => {
    const { planned } = await slaCase(s.wita("2026-03-08 11:00"));
    const rows = await t.db.reminder.findMany({ where: { id: { in: planned.map((p) => p.id) } }, orderBy: { dueAt: "asc" } });
    expect(rows.map((r) => r.dueAt.getTime())).toEqual([s.wita("2026-03-09 08:15").getTime(), s.wita("2026-03-09 08:30").getTime()]);
  });

  it("Nyepi week 2026: a case at 15:50 on Tuesday 17 March is due on Wednesday 25 March 08:05", async () => {
    const { admin } = await slaCase(s.wita("2026-03-17 15:50"));
    const sw = s.sweeper(t, { calendar: cal });
    for (const d of ["2026-03-18 08:05", "2026-03-19 12:00", "2026-03-23 08:05", "2026-03-25 08:04"]) await sw.sweep(s.wita(d));
    expect(await t.db.outboxMessage.count()).toBe(0);
    await sw.sweep(s.wita("2026-03-25 08:05"));
    const rows = await s.outbox(t.db);
    expect(rows.map((r) => r.identityId)).toEqual([admin.identity.id]);
    expect(s.textOf(rows[0]!.payloadJson)).toContain("pukul 15.50");
  });

  it("nothing is sent when the admin confirmed in time (the case moved on)", async () => {
    const { kase } = await slaCase(s.wita("2026-03-16 09:00"));
    await t.db.consultationCase.update({ where: { id: kase.id }, data: { status: "awaiting_acceptance", step: 4 } });
    const r = await s.sweeper(t, { calendar: cal }).sweep(s.wita("2026-03-16 12:00"));
    expect(r.cancelReasons).toEqual({ resolved: 2 });
    expect(await t.db.outboxMessage.count()).toBe(0);
  });
});

describe("the reminders switch", () => {
  it("remindersOn=false cancels client reminders (with the reason) but not staff deadlines", async () => {
    const c = await s.client(t.db, { remindersOn: false });
    const admin = await s.staff(t.db, { role: "admin" });
    const head = await s.staff(t.db, { role: "head" });
    await t.db.identity.update({ where: { id: admin.identity.id }, data: { remindersOn: false } });
    const kase = await s.consultationCase(t.db, { clientId: c.client.id, status: "awaiting_routing", step: 3 });
    const { items } = await s.actionPlan(t.db, kase.id, [{ action: "Uji pasar", targetDate: "2026-03-17" }]);
    await t.db.$transaction(async (tx) => {
      await planActionItemReminders(tx, { caseId: kase.id, clientIdentityId: c.identity.id, items, calendar: cal });
      await planSlaReminders(tx, { caseId: kase.id, step: 3, startedAt: s.wita("2026-03-16 08:00"), calendar: cal });
    });
    const r = await s.sweeper(t, { calendar: cal }).sweep(s.wita("2026-03-16 09:00"));
    expect(r.cancelReasons).toEqual({ reminders_off: 1 });
    const rows = await s.outbox(t.db);
    expect(rows.map((x) => x.identityId).sort()).toEqual([admin.identity.id, head.identity.id].sort());
    const cancelled = await t.db.reminder.findFirstOrThrow({ where: { status: "cancelled" } });
    expect(readJson(ZReminderPayload, cancelled.payloadJson).cancelReason).toBe("reminders_off");
  });

  it("a client switched off on their record is not reminded on any of their chats", async () => {
    const c = await s.client(t.db);
    await t.db.client.update({ where: { id: c.client.id }, data: { remindersOn: false } });
    await pings(1, { dueAt: s.wita("2026-03-16 10:00"), identityId: c.identity.id });
    const r = await s.sweeper(t, { calendar: cal, kinds: KINDS }).sweep(s.wita("2026-03-16 10:00"));
    expect(r.cancelReasons).toEqual({ reminders_off: 1 });
  });

  it("an unreachable client is not reminded", async () => {
    const c = await s.client(t.db);
    await t.db.identity.update({ where: { id: c.identity.id }, data: { unreachableAt: s.wita("2026-03-01 10:00") } });
    await pings(1, { dueAt: s.wita("2026-03-16 10:00"), identityId: c.identity.id });
    const r = await s.sweeper(t, { calendar: cal, kinds: KINDS }).sweep(s.wita("2026-03-16 10:00"));
    expect(r.cancelReasons).toEqual({ unreachable: 1 });
  });
});

describe("claims survive a crash", () => {
  it("claimed and abandoned: nothing is written before the lease expires, everything once after", async () => {
    const c = await s.client(t.db);
    await pings(20, { dueAt: s.wita("2026-03-16 10:00"), identityId: c.identity.id });
    const now = s.wita("2026-03-16 10:00");
    const a = s.sweeper(t, { calendar: cal, kinds: KINDS, instanceId: "A", leaseMs: 60_000, batchSize: 8 });
    const b = s.sweeper(t, { calendar: cal, kinds: KINDS, instanceId: "B", leaseMs: 60_000, batchSize: 50 });
    const claimedByA = await a.claim(now); // ... and A crashes here
    expect(claimedByA).toHaveLength(8);
    const r1 = await b.sweep(new Date(now.getTime() + 30_000));
    expect(r1.claimed).toBe(12); // the others; A's are leased
    expect(await t.db.outboxMessage.count()).toBe(12);
    const r2 = await b.sweep(new Date(now.getTime() + 61_000)); // A's lease ran out
    expect(r2.claimed).toBe(8);
    // A wakes up and writes its stale claim: the fence stops it.
    const late = { batches: 0, claimed: 0, done: 0, cancelled: 0, deferred: 0, failed: 0, messages: 0, claimMs: 0, writeMs: 0, cancelReasons: {}, written: [] };
    await a.write(claimedByA, new Date(now.getTime() + 62_000), late);
    expect(late.messages).toBe(0);
    const keys = (await s.outbox(t.db)).map((o) => o.idempotencyKey);
    expect(keys).toHaveLength(20);
    expect(new Set(keys).size).toBe(20);
    expect(await t.db.reminder.count({ where: { status: "done" } })).toBe(20);
    // Order for the person is kept: seq 1..20.
    expect((await s.outbox(t.db)).map((o) => o.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("a reminder cancelled by the workflow while claimed is not written", async () => {
    const c = await s.client(t.db);
    const kase = await s.consultationCase(t.db, { clientId: c.client.id, status: "action_plan", step: 5 });
    const { items } = await s.actionPlan(t.db, kase.id, [{ action: "Susun harga pokok", targetDate: "2026-03-17" }]);
    await t.db.$transaction((tx) => planActionItemReminders(tx, { caseId: kase.id, clientIdentityId: c.identity.id, items, calendar: cal }));
    const sw = s.sweeper(t, { calendar: cal });
    const now = s.wita("2026-03-16 09:00");
    const claimed = await sw.claim(now);
    expect(claimed).toHaveLength(1);
    expect(await t.db.$transaction((tx) => cancelCaseReminders(tx, kase.id))).toBe(2);
    const r = { batches: 0, claimed: 0, done: 0, cancelled: 0, deferred: 0, failed: 0, messages: 0, claimMs: 0, writeMs: 0, cancelReasons: {}, written: [] };
    await sw.write(claimed, now, r);
    expect(r.messages).toBe(0);
    expect(await t.db.outboxMessage.count()).toBe(0);
    expect(await t.db.reminder.count({ where: { status: "cancelled" } })).toBe(2);
  });
});

describe("scheduling", () => {
  it("is idempotent by key; replanning with a new date replaces the old reminders; the same plan again revives", async () => {
    const c = await s.client(t.db);
    const kase = await s.consultationCase(t.db, { clientId: c.client.id, status: "action_plan", step: 5 });
    const { items } = await s.actionPlan(t.db, kase.id, [{ action: "Ikut pameran", targetDate: "2026-04-10" }]);
    const plan = (date: string) =>
      t.db.$transaction((tx) =>
        planActionItemReminders(tx, { caseId: kase.id, clientIdentityId: c.identity.id, items: [{ id: items[0]!.id, targetDate: new Date(`${date}T00:00:00Z`) }], calendar: cal }),
      );
    const first = await plan("2026-04-10");
    expect(first.every((r) => r.created)).toBe(true);
    expect((await plan("2026-04-10")).every((r) => !r.created)).toBe(true);
    expect(await t.db.reminder.count()).toBe(2);
    await plan("2026-04-14");
    expect(await t.db.reminder.count({ where: { status: "pending" } })).toBe(2);
    expect(await t.db.reminder.count({ where: { status: "cancelled" } })).toBe(2);
    await plan("2026-04-10"); // back to the first date: the cancelled rows come back
    const pending = await t.db.reminder.findMany({ where: { status: "pending" }, orderBy: { dueAt: "asc" } });
    expect(pending.map((p) => p.dueAt.getTime())).toEqual([s.wita("2026-04-09 09:00").getTime(), s.wita("2026-04-10 09:00").getTime()]);
    expect(pending.map((p) => p.id).sort()).toEqual(first.map((f) => f.id).sort());
  });

  it("cancelReminders without a case, person, thing or key cancels nothing", async () => {
    const c = await s.client(t.db);
    await pings(2, { dueAt: s.wita("2026-03-16 10:00"), identityId: c.identity.id });
    expect(await t.db.$transaction((tx) => cancelReminders(tx, { kinds: ["test_ping_client"] }))).toBe(0);
    expect(await t.db.$transaction((tx) => cancelReminders(tx, { exceptKeys: ["x"] }))).toBe(0);
    expect(await t.db.$transaction((tx) => cancelReminders(tx, { identityId: c.identity.id, kinds: ["test_ping_client"] }))).toBe(2);
  });

  it("scheduleReminder leaves an existing key alone", async () => {
    const c = await s.client(t.db);
    const a = await t.db.$transaction((tx) => scheduleReminder(tx, { kind: "test_ping_client", dueAt: s.wita("2026-03-16 10:00"), identityId: c.identity.id, idempotencyKey: "k" }));
    const b = await t.db.$transaction((tx) => scheduleReminder(tx, { kind: "test_ping_client", dueAt: s.wita("2026-03-20 10:00"), identityId: c.identity.id, idempotencyKey: "k" }));
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    expect((await t.db.reminder.findUniqueOrThrow({ where: { id: a.id } })).dueAt.getTime()).toBe(s.wita("2026-03-16 10:00").getTime());
  });
});

describe("failures", () => {
  it("a kind that throws does not hold up the others; it is retried with backoff and cancelled at last", async () => {
    const c = await s.client(t.db);
    let calls = 0;
    const broken: ReminderKind = {
      kind: "test_broken",
      audience: "client",
      payload: reminderPayload({}),
      async render() {
        calls += 1;
        throw new Error("boom");
      },
    };
    const now = s.wita("2026-03-16 10:00");
    await t.db.$transaction((tx) => scheduleReminder(tx, { kind: "test_broken", dueAt: now, identityId: c.identity.id, idempotencyKey: "broken" }));
    await pings(3, { dueAt: now, identityId: c.identity.id });
    await t.db.$transaction((tx) => scheduleReminder(tx, { kind: "no_such_kind", dueAt: now, identityId: c.identity.id, idempotencyKey: "unknown" }));
    const sw = s.sweeper(t, { calendar: cal, kinds: [...KINDS, broken], maxAttempts: 3 });
    const r = await sw.sweep(now);
    expect(r).toMatchObject({ done: 3, failed: 1, messages: 3 });
    expect(r.cancelReasons).toEqual({ unknown_kind: 1 });
    const row = await t.db.reminder.findUniqueOrThrow({ where: { idempotencyKey: "broken" } });
    expect(row.status).toBe("pending");
    expect(row.dueAt.getTime()).toBe(now.getTime() + 60_000);
    await sw.sweep(new Date(now.getTime() + 60_000));
    await sw.sweep(new Date(now.getTime() + 60_000 + 120_000));
    const last = await t.db.reminder.findUniqueOrThrow({ where: { idempotencyKey: "broken" } });
    expect(last.status).toBe("cancelled");
    expect(readJson(ZReminderPayload, last.payloadJson)).toMatchObject({ cancelReason: "failed", attempts: 3, lastError: "boom" });
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(await t.db.outboxMessage.count()).toBe(3);
  });

  it("a payload that is not JSON, or not of its kind's shape, cancels that reminder loudly; the others go out", async () => {
    const c = await s.client(t.db);
    const kase = await s.consultationCase(t.db, { clientId: c.client.id, status: "action_plan", step: 5 });
    const { items } = await s.actionPlan(t.db, kase.id, [{ action: "Uji pasar", targetDate: "2026-03-17" }]);
    const now = s.wita("2026-03-16 10:00");
    const broken = async (key: string, payloadJson: string) =>
      t.db.reminder.create({ data: { kind: "action_item_due", dueAt: now, identityId: c.identity.id, caseId: kase.id, refId: items[0]!.id, payloadJson, idempotencyKey: key } });
    await broken("not-json", "{stage: before");
    await broken("wrong-shape", JSON.stringify({ stage: "later", date: "2026-03-17" }));
    await pings(2, { dueAt: now, identityId: c.identity.id });
    const lines: string[] = [];
    const logger = createLogger({ level: "error", destination: new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }) });

    const r = await s.sweeper(t, { calendar: cal, kinds: KINDS, logger }).sweep(now);
    expect(r).toMatchObject({ done: 2, messages: 2, failed: 0 });
    expect(r.cancelReasons).toEqual({ bad_payload: 2 });
    const notJson = await t.db.reminder.findUniqueOrThrow({ where: { idempotencyKey: "not-json" } });
    expect(notJson.status).toBe("cancelled");
    // The broken text is kept beside the reason, for whoever mends it.
    expect(readJson(ZReminderPayload, notJson.payloadJson)).toEqual({ unreadablePayload: "{stage: before", cancelReason: "bad_payload" });
    const wrong = await t.db.reminder.findUniqueOrThrow({ where: { idempotencyKey: "wrong-shape" } });
    expect(readJson(ZReminderPayload, wrong.payloadJson)).toEqual({ stage: "later", date: "2026-03-17", cancelReason: "bad_payload" });
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; err: string; kind: string });
    expect(logged).toHaveLength(2);
    for (const l of logged) {
      expect(l.msg).toBe("reminder payload unreadable; reminder cancelled");
      expect(l.err).toMatch(/^Reminder\.payloadJson: /);
    }
  });
});
