/**
 * Answers to reminders through the real inbox: buttons and typed "sudah / belum / bantuan" (and
 * WhatsApp's 1/2/3) are recorded on the action-plan item; "help" tells the consultant; typed words
 * belong to the conversation when the person is mid-form or no reminder is open. And the typed
 * "berhenti pengingat" / "aktifkan pengingat".
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Desk } from "../../src/desks/desk.js";
import { Inbox } from "../../src/conversation/inbox.js";
import type { Inbound } from "../../src/messaging/model.js";
import { reminderDesks } from "../../src/scheduler/answer-desk.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { readJson } from "../../src/db/json-columns.js";
import { planActionItemReminders, ZActionItemDuePayload } from "../../src/scheduler/kinds/index.js";
import { FixedClock } from "../../src/shared/clock.js";
import type { FileStore } from "../../src/storage/file-store.js";
import { useTestDatabase } from "../support/db.js";
import * as s from "./support.js";

const t = useTestDatabase();

const cal = s.calendar();
let clock: FixedClock;
let fellThrough: string[];
let inbox: Inbox;
let n = 0;

beforeEach(async () => {
  await s.resetDb(t.db);
  clock = new FixedClock(s.wita("2026-03-16 09:00"));
  fellThrough = [];
  const conversation: Desk = {
    async handle(_turn, message) {
      fellThrough.push(message.type === "text" ? message.text : message.type === "choice" ? message.choiceId : message.type);
      return true;
    },
  };
  inbox = new Inbox({
    db: t.db,
    provider: t.provider,
    ...(t.sqlite ? { sqlite: t.sqlite } : {}),
    clock,
    logger: s.logger,
    files: {} as FileStore,
    texts: () => s.texts,
    desks: [...reminderDesks({ calendar: cal }), conversation],
    maxUploadBytes: 1_000_000,
  });
});

function say(channel: "telegram" | "whatsapp", address: string, body: Inbound["body"]): Promise<void> {
  n += 1;
  return inbox.handleInbound({ from: { channel, id: address }, messageId: `m${n}`, receivedAt: clock.now(), body });
}

/** A client with an agreed plan, a consultant, and the day-before reminder already sent. */
async function sentReminder(channel: "telegram" | "whatsapp" = "telegram") {
  const c = await s.client(t.db, { name: "Ni Luh Putu", channel });
  const cons = await s.staff(t.db, { role: "consultant", name: "Pak Made" });
  const kase = await s.consultationCase(t.db, { clientId: c.client.id, status: "action_plan", step: 5, consultantId: cons.staff.id, regNumber: "PLUT-GIA-2026-000201" });
  const { items } = await s.actionPlan(t.db, kase.id, [{ action: "Urus sertifikat halal", targetDate: "2026-03-17" }]);
  await t.db.$transaction((tx) => planActionItemReminders(tx, { caseId: kase.id, clientIdentityId: c.identity.id, items, calendar: cal }));
  await s.sweeper(t, { calendar: cal }).sweep(clock.now());
  const reminder = await t.db.reminder.findFirstOrThrow({ where: { status: "done" } });
  // Keep the reminder's own outbox row (a bare "3" needs it to be the last message), drop the rest.
  await t.db.outboxMessage.deleteMany({ where: { NOT: { idempotencyKey: { startsWith: `reminder:${reminder.id}:` } } } });
  return { ...c, cons, kase, item: items[0]!, reminder };
}

/** What the person was sent after the reminder itself. */
async function repliesTo(identityId: string): Promise<string[]> {
  return (await t.db.outboxMessage.findMany({ where: { identityId, NOT: { idempotencyKey: { startsWith: "reminder:" } } }, orderBy: { seq: "asc" } })).map((o) => s.textOf(o.payloadJson));
}

describe("answers to action-item reminders", () => {
  it("a button: done is recorded on the item and on the reminder, with a thank-you", async () => {
    const r = await sentReminder();
    await say("telegram", r.identity.address, { type: "choice", choiceId: `rem:${r.reminder.id}:done` });
    const item = await t.db.actionPlanItem.findUniqueOrThrow({ where: { id: r.item.id } });
    expect(item.progress).toBe("done");
    expect(item.progressAt?.getTime()).toBe(clock.now().getTime());
    expect(readJson(ZActionItemDuePayload, (await t.db.reminder.findUniqueOrThrow({ where: { id: r.reminder.id } })).payloadJson)).toMatchObject({ answer: "done" });
    expect(await repliesTo(r.identity.id)).toEqual([expect.stringContaining("Terima kasih, Ni Luh Putu")]);
    expect(await repliesTo(r.cons.identity.id)).toEqual([]);
    expect(fellThrough).toEqual([]);
    expect(await t.db.auditLog.count({ where: { action: "action_item.progress" } })).toBe(1);
  });

  it("typed \"belum\" answers the open reminder", async () => {
    const r = await sentReminder();
    clock.advance(3 * 3600_000);
    await say("telegram", r.identity.address, { type: "text", text: "Belum." });
    expect((await t.db.actionPlanItem.findUniqueOrThrow({ where: { id: r.item.id } })).progress).toBe("not_yet");
    expect(fellThrough).toEqual([]);
    // Answered: the next "belum" is the conversation's.
    await say("telegram", r.identity.address, { type: "text", text: "belum" });
    expect(fellThrough).toEqual(["belum"]);
  });

  it("WhatsApp's \"3\" asks for help: the consultant is told, the client is told so", async () => {
    const r = await sentReminder("whatsapp");
    await say("whatsapp", r.identity.address, { type: "text", text: "3" });
    expect((await t.db.actionPlanItem.findUniqueOrThrow({ where: { id: r.item.id } })).progress).toBe("help");
    expect(await repliesTo(r.identity.id)).toEqual([expect.stringContaining("konsultan")]);
    const toConsultant = await repliesTo(r.cons.identity.id);
    expect(toConsultant).toHaveLength(1);
    expect(toConsultant[0]).toContain("Ni Luh Putu");
    expect(toConsultant[0]).toContain("PLUT-GIA-2026-000201");
    expect(toConsultant[0]).toContain("Urus sertifikat halal");
  });

  it("a bare number is the reminder's only while the reminder is the last message the person got", async () => {
    const r = await sentReminder("whatsapp");
    // A menu the engine sent after the reminder.
    await t.db.$transaction((tx) =>
      new Outbox(t).enqueue(tx, [{ identityId: r.identity.id, message: { type: "text", text: "1. Daftar 2. Status" }, idempotencyKey: "menu#0" }], clock.now()),
    );
    await say("whatsapp", r.identity.address, { type: "text", text: "1" });
    expect(fellThrough).toEqual(["1"]);
    expect((await t.db.actionPlanItem.findUniqueOrThrow({ where: { id: r.item.id } })).progress).toBe("open");
    // Words still answer it.
    await say("whatsapp", r.identity.address, { type: "text", text: "sudah" });
    expect((await t.db.actionPlanItem.findUniqueOrThrow({ where: { id: r.item.id } })).progress).toBe("done");
  });

  it("typed \"butuh bantuan\" without a consultant on the case goes to the admins", async () => {
    const r = await sentReminder();
    await t.db.consultationCase.update({ where: { id: r.kase.id }, data: { consultantId: null } });
    const admin = await s.staff(t.db, { role: "admin" });
    await say("telegram", r.identity.address, { type: "text", text: "butuh bantuan" });
    expect(await repliesTo(admin.identity.id)).toHaveLength(1);
  });

  it("typed words go to the conversation when the person is mid-form, or the reminder is older than 3 days", async () => {
    const r = await sentReminder();
    await t.db.conversationSession.create({ data: { identityId: r.identity.id, status: "active", lastActivityAt: clock.now() } });
    await say("telegram", r.identity.address, { type: "text", text: "sudah" });
    expect(fellThrough).toEqual(["sudah"]);
    await t.db.conversationSession.update({ where: { identityId: r.identity.id }, data: { status: "idle" } });
    clock.advance(3 * 24 * 3600_000 + 60_000);
    await say("telegram", r.identity.address, { type: "text", text: "sudah" });
    expect(fellThrough).toEqual(["sudah", "sudah"]);
    expect((await t.db.actionPlanItem.findUniqueOrThrow({ where: { id: r.item.id } })).progress).toBe("open");
    // A button still works after the window.
    await say("telegram", r.identity.address, { type: "choice", choiceId: `rem:${r.reminder.id}:done` });
    expect((await t.db.actionPlanItem.findUniqueOrThrow({ where: { id: r.item.id } })).progress).toBe("done");
  });

  it("a button of someone else's reminder, or an unknown one, is answered as no longer open", async () => {
    const r = await sentReminder();
    const other = await s.client(t.db);
    await say("telegram", other.identity.address, { type: "choice", choiceId: `rem:${r.reminder.id}:done` });
    await say("telegram", other.identity.address, { type: "choice", choiceId: "rem:doesnotexist:help" });
    expect(await repliesTo(other.identity.id)).toEqual([expect.stringContaining("tidak berlaku"), expect.stringContaining("tidak berlaku")]);
    expect((await t.db.actionPlanItem.findUniqueOrThrow({ where: { id: r.item.id } })).progress).toBe("open");
  });

  it("someone with no reminder typing \"sudah\" is the conversation's", async () => {
    const c = await s.client(t.db);
    await say("telegram", c.identity.address, { type: "text", text: "sudah" });
    expect(fellThrough).toEqual(["sudah"]);
  });
});

describe("berhenti pengingat / aktifkan pengingat", () => {
  it("a client turns reminders off and on again, on every chat of theirs", async () => {
    const c = await s.client(t.db);
    const wa = await t.db.identity.create({ data: { channel: "whatsapp", address: "62811@s.whatsapp.net", clientId: c.client.id } });
    await say("telegram", c.identity.address, { type: "text", text: "Berhenti pengingat" });
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: c.identity.id } })).remindersOn).toBe(false);
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: wa.id } })).remindersOn).toBe(false);
    expect((await t.db.client.findUniqueOrThrow({ where: { id: c.client.id } })).remindersOn).toBe(false);
    expect(await repliesTo(c.identity.id)).toEqual([expect.stringContaining("pengingat sudah kami matikan")]);
    await say("whatsapp", wa.address, { type: "text", text: "aktifkan pengingat!" });
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: c.identity.id } })).remindersOn).toBe(true);
    expect((await t.db.client.findUniqueOrThrow({ where: { id: c.client.id } })).remindersOn).toBe(true);
    expect(await repliesTo(wa.id)).toEqual([expect.stringContaining("aktif kembali")]);
    expect(fellThrough).toEqual([]);
  });

  it("works mid-form too, and in English", async () => {
    const c = await s.client(t.db, { language: "en" });
    await t.db.conversationSession.create({ data: { identityId: c.identity.id, status: "active", lastActivityAt: clock.now() } });
    await say("telegram", c.identity.address, { type: "text", text: "reminders off" });
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: c.identity.id } })).remindersOn).toBe(false);
    expect(await repliesTo(c.identity.id)).toEqual([expect.stringContaining("reminders are off")]);
  });

  it("staff cannot turn their deadline reminders off", async () => {
    const a = await s.staff(t.db, { role: "admin" });
    await say("telegram", a.identity.address, { type: "text", text: "berhenti pengingat" });
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: a.identity.id } })).remindersOn).toBe(true);
    expect(await repliesTo(a.identity.id)).toEqual([expect.stringContaining("tidak dapat dimatikan")]);
  });

  it("a client who turned reminders off gets no action-item reminder", async () => {
    const r = await sentReminder();
    await say("telegram", r.identity.address, { type: "text", text: "berhenti pengingat" });
    const res = await s.sweeper(t, { calendar: cal }).sweep(s.wita("2026-03-17 09:00"));
    expect(res.cancelReasons).toEqual({ reminders_off: 1 });
  });
});
