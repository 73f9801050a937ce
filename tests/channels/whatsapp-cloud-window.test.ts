/**
 * The whole service with the WhatsApp Cloud API channel on a fixed clock, driven through real
 * HTTP (signed webhooks in, Graph API stand-in out): the 24-hour window with templates, held
 * messages released by the person's answer, delivery statuses on outbox rows, failures mapped
 * (unreachable, rate limit, window closed, template refused) and the admins told.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";
import type { RunningService } from "../../src/service.js";
import { startCloudService } from "../support/whatsapp-service.js";
import { FixedClock } from "../../src/shared/clock.js";
import { JOB_IDS } from "../../src/scheduler/jobs.js";
import { scheduleReminder } from "../../src/scheduler/reminders.js";
import { ZActionItemDuePayload } from "../../src/scheduler/kinds/action-item-due.js";
import { writeJson } from "../../src/db/json-columns.js";
import { RESUME_PAYLOAD } from "../../src/channels/whatsapp-cloud/templates.js";
import { FakeGraphApi, type CloudSent } from "../support/fake-graph-api.js";
import { unseal } from "../../src/security/at-rest.js";
import { waIdentity, waStored } from "../support/whatsapp-address.js";
import { storedMessageId } from "../../src/security/address-index.js";

const HOUR = 60 * 60 * 1000;
const CLIENT = "6281234567890";
const ADMIN = "6281999000111";
const jid = (wa: string) => `${wa}@s.whatsapp.net`;

let graph: FakeGraphApi;
let service: RunningService;
let clock: FixedClock;
let close: () => Promise<void>;
let clientIdentityId: string;
let itemId: string;
let caseId: string;

const db = () => service.database.db;

/** What the outbox sender does in production, run by hand on the fixed clock. */
async function drain(): Promise<void> {
  for (let i = 0; i < 20; i++) if ((await service.sender.drainOnce()).claimed === 0) return;
}

/** A person writes (Meta posts the signed webhook); the app answers once the inbox accepted it. */
async function write(body: Record<string, unknown>): Promise<void> {
  expect(await graph.deliver(body)).toBe(200);
  await drain();
}

const sentTo = (wa: string): CloudSent[] => graph.sentTo(wa);
const last = (wa: string): CloudSent => sentTo(wa).at(-1)!;
const textOf = (s: CloudSent): string =>
  s.type === "text" ? (s.payload.text as { body: string }).body : s.type === "interactive" ? (s.payload.interactive as { body: { text: string } }).body.text : "";

async function sweep(): Promise<void> {
  await service.jobs.find((j) => j.id === JOB_IDS.sweep)!.run({ now: clock.now(), logger: createLogger({ level: "silent" }) });
  await drain();
}

async function remindTomorrowsItem(key: string): Promise<string> {
  const tomorrow = new Date(clock.now().getTime() + 24 * HOUR).toISOString().slice(0, 10);
  await db().actionPlanItem.update({ where: { id: itemId }, data: { targetDate: new Date(`${tomorrow}T00:00:00Z`), progress: "not_started" } });
  const r = await db().$transaction((tx) =>
    scheduleReminder(tx, { kind: "action_item_due", dueAt: clock.now(), identityId: clientIdentityId, caseId, refId: itemId, payloadJson: writeJson(ZActionItemDuePayload, { stage: "before", date: tomorrow }), idempotencyKey: key }),
  );
  return r.id;
}

beforeAll(async () => {
  // Monday 23 November 2026, 09:00 in Gianyar.
  clock = new FixedClock("2026-11-23T01:00:00Z");
  graph = await FakeGraphApi.start({ now: () => clock.now() });
  ({ service, close } = await startCloudService(graph, { clock }));

  // The admin: staff with a WhatsApp identity, who has written this morning.
  const admin = await db().staff.create({ data: { name: "Ni Luh Admin", role: "admin" } });
  await db().identity.create({ data: { ...waIdentity(jid(ADMIN)), staffId: admin.id, language: "id" } });
  await write(graph.text(ADMIN, "menu"));

  // The client writes first, then is registered with a case and an agreed action plan.
  await write(graph.text(CLIENT, "halo", { name: "Ayu" }));
  const identity = await db().identity.findUniqueOrThrow({ where: { channel_address: { channel: "whatsapp", address: waStored(jid(CLIENT)) } } });
  clientIdentityId = identity.id;
  const client = await db().client.create({ data: { fullName: "Ni Made Ayu Lestari", language: "id" } });
  await db().identity.update({ where: { id: identity.id }, data: { clientId: client.id, consentedAt: clock.now() } });
  const c = await db().consultationCase.create({ data: { regNumber: "PLUT-GIA-2026-000123", clientId: client.id, status: "monitoring", step: 6 } });
  caseId = c.id;
  const plan = await db().actionPlan.create({ data: { caseId, status: "agreed", agreedAt: clock.now() } });
  const item = await db().actionPlanItem.create({
    data: { planId: plan.id, position: 1, action: "Membuat pembukuan\nharian sederhana", who: "pemilik usaha", targetDate: new Date("2026-11-24T00:00:00Z"), indicator: "terlaksana" },
  });
  itemId = item.id;
}, 60_000);

afterAll(async () => {
  await close?.();
  await graph?.close();
});

describe("the 24-hour window over the whole service", () => {
  it("remembers in the database when the person last wrote", async () => {
    const w = await db().whatsAppWindow.findUniqueOrThrow({ where: { address: waStored(jid(CLIENT)) } });
    expect(w.lastInboundAt).toEqual(clock.now());
  });

  it("sends a reminder inside the window as buttons, and after 24 hours as its approved template whose tap answers it", async () => {
    await remindTomorrowsItem("t-inside");
    await sweep();
    expect(last(CLIENT).type).toBe("interactive");

    clock.advance(25 * HOUR); // Tuesday 10:00: the window closed overnight
    const reminderId = await remindTomorrowsItem("t-outside");
    await sweep();
    const t = last(CLIENT);
    expect(t.type).toBe("template");
    const template = t.payload.template as { name: string; language: { code: string }; components: { type: string; parameters: { text?: string; payload?: string }[] }[] };
    expect(template.name).toBe("plut_pengingat_rencana_tindakan");
    expect(template.language.code).toBe("id");
    expect(template.components[0]!.parameters.map((p) => p.text)).toEqual(["Ni Made Ayu Lestari", "Membuat pembukuan harian sederhana", expect.stringMatching(/Rabu, 25 November 2026/)]);
    expect(template.components.slice(1).map((b) => b.parameters[0]!.payload)).toEqual([`rem:${reminderId}:done`, `rem:${reminderId}:not_yet`, `rem:${reminderId}:help`]);
    const row = await db().outboxMessage.findFirstOrThrow({ where: { providerMessageId: storedMessageId("whatsapp", t.id) } });
    expect(row.status).toBe("sent");

    // The person taps "Sudah" an hour later: the window opens again and the answer is recorded.
    clock.advance(HOUR);
    await write(graph.templateButton(CLIENT, `rem:${reminderId}:done`, "Sudah"));
    expect((await db().actionPlanItem.findUniqueOrThrow({ where: { id: itemId } })).progress).toBe("done");
    expect(last(CLIENT).type).toBe("text");
  });

  it("holds other messages behind one notice, and the person's tap brings them in order", async () => {
    clock.advance(26 * HOUR);
    const before = sentTo(CLIENT).length;
    // A consultant's message relayed to the client: a notification, sent by the office outside the person's conversation.
    for (const [i, text] of ["Konsultan: jadwal kunjungan Senin 09.00.", "Konsultan: mohon bawa catatan kas."].entries()) {
      await service.inbox.inTurn({ channel: "whatsapp", id: jid(ADMIN) }, `relay-${i}`, async (turn) => turn.send(clientIdentityId, { type: "text", text }));
    }
    await drain();
    const out = sentTo(CLIENT).slice(before);
    expect(out.map((s) => s.type)).toEqual(["template"]);
    expect((out[0]!.payload.template as { name: string }).name).toBe("plut_pesan_baru");
    const held = await db().outboxMessage.findMany({ where: { identityId: clientIdentityId, status: "held" }, orderBy: { seq: "asc" } });
    // Outbox bodies are sealed at rest (src/security/at-rest.ts).
    expect(held.map((r) => JSON.parse(unseal(r.payloadJson)).text)).toEqual(["Konsultan: jadwal kunjungan Senin 09.00.", "Konsultan: mohon bawa catatan kas."]);

    // Nothing more goes while they wait, however often the sender runs.
    await drain();
    expect(sentTo(CLIENT).length).toBe(before + 1);

    clock.advance(2 * HOUR);
    await write(graph.templateButton(CLIENT, RESUME_PAYLOAD, "Lihat pesan"));
    expect(sentTo(CLIENT).slice(before + 1).map(textOf)).toEqual(["Konsultan: jadwal kunjungan Senin 09.00.", "Konsultan: mohon bawa catatan kas."]);
    expect(await db().outboxMessage.count({ where: { identityId: clientIdentityId, status: "held" } })).toBe(0);
  });

  it("records delivery statuses on the outbox row, read after delivered, out of order too", async () => {
    const s = last(CLIENT);
    expect(await graph.deliver(graph.status(s.id, "read"))).toBe(200);
    expect(await graph.deliver(graph.status(s.id, "delivered"))).toBe(200);
    expect(await graph.deliver(graph.status(s.id, "sent"))).toBe(200);
    const row = await db().outboxMessage.findFirstOrThrow({ where: { providerMessageId: storedMessageId("whatsapp", s.id) } });
    expect(row.status).toBe("sent");
    expect(row.readAt).toEqual(clock.now());
    expect(row.deliveredAt).toEqual(clock.now());
  });

  it("sends again as a template when WhatsApp reports the window closed (131047) for free text", async () => {
    const before = sentTo(CLIENT).length;
    await service.inbox.inTurn({ channel: "whatsapp", id: jid(CLIENT) }, "late-reply", async (turn) => turn.reply({ type: "text", text: "Balasan yang terlambat." }));
    await drain();
    const free = last(CLIENT);
    expect(free.type).toBe("text");
    expect(await graph.deliver(graph.status(free.id, "failed", { code: 131047, title: "Re-engagement message" }))).toBe(200);
    await drain();
    const resent = sentTo(CLIENT).slice(before + 1);
    expect(resent.map((x) => x.type)).toEqual(["template"]);
    const row = await db().outboxMessage.findFirstOrThrow({ where: { idempotencyKey: "late-reply#0" } });
    expect(row.status).toBe("held");
    expect(row.lastError).toMatch(/131047/);
    // The person writes; the reply arrives.
    await write(graph.text(CLIENT, "ya?"));
    expect(sentTo(CLIENT).map(textOf)).toContain("Balasan yang terlambat.");
    expect((await db().outboxMessage.findFirstOrThrow({ where: { idempotencyKey: "late-reply#0" } })).status).toBe("sent");
  });

  it("backs off on a rate limit reported later (130429) and sends the message again", async () => {
    await service.inbox.inTurn({ channel: "whatsapp", id: jid(CLIENT) }, "rate", async (turn) => turn.reply({ type: "text", text: "Pesan saat sibuk." }));
    await drain();
    const s = last(CLIENT);
    expect(await graph.deliver(graph.status(s.id, "failed", { code: 130429, title: "Rate limit hit" }))).toBe(200);
    const row = await db().outboxMessage.findFirstOrThrow({ where: { idempotencyKey: "rate#0" } });
    expect(row.status).toBe("pending");
    expect(row.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 60_000));
    await drain();
    expect(last(CLIENT).id).toBe(s.id); // not yet
    clock.advance(61_000);
    await drain();
    expect(textOf(last(CLIENT))).toBe("Pesan saat sibuk.");
    expect((await db().outboxMessage.findFirstOrThrow({ where: { idempotencyKey: "rate#0" } })).status).toBe("sent");
  });

  it("records a template WhatsApp rejects on the row with its reason and tells the admins", async () => {
    clock.advance(25 * HOUR);
    await write(graph.text(ADMIN, "menu")); // the admin's own window is open
    const adminBefore = sentTo(ADMIN).length;
    graph.failNext("messages", { httpStatus: 400, code: 132001, message: "Template name does not exist in the translation", details: "template name (plut_pengingat_rencana_tindakan) does not exist in id" });
    const reminderId = await remindTomorrowsItem("t-refused");
    await sweep();
    const row = await db().outboxMessage.findFirstOrThrow({ where: { idempotencyKey: `reminder:${reminderId}:${clientIdentityId}` } });
    expect(row.status).toBe("failed");
    expect(row.lastError).toMatch(/132001.*does not exist/);
    await drain();
    const alert = sentTo(ADMIN).slice(adminBefore).map(textOf).join("\n");
    expect(alert).toMatch(/WhatsApp menolak template/);
    expect(alert).toContain("Ni Made Ayu Lestari (PLUT-GIA-2026-000123)");
    expect(alert).toContain("132001");
    expect(alert).toContain("action_item_due");

    // Rejected later, by status webhook (template paused): the same.
    const again = await remindTomorrowsItem("t-paused");
    await sweep();
    const t = last(CLIENT);
    expect(t.type).toBe("template");
    expect(await graph.deliver(graph.status(t.id, "failed", { code: 132015, title: "Template is paused" }))).toBe(200);
    await drain();
    const paused = await db().outboxMessage.findFirstOrThrow({ where: { idempotencyKey: `reminder:${again}:${clientIdentityId}` } });
    expect(paused.status).toBe("failed");
    expect(paused.lastError).toMatch(/132015: Template is paused/);
    expect(textOf(last(ADMIN))).toMatch(/132015/);
  });

  it("marks a person WhatsApp cannot reach (131026) unreachable, stops their messages and tells the admins", async () => {
    await write(graph.text(CLIENT, "tes"));
    await service.inbox.inTurn({ channel: "whatsapp", id: jid(CLIENT) }, "gone", async (turn) => turn.reply({ type: "text", text: "Pesan terakhir." }));
    await drain();
    const s = last(CLIENT);
    const adminBefore = sentTo(ADMIN).length;
    expect(await graph.deliver(graph.status(s.id, "failed", { code: 131026, title: "Message undeliverable" }))).toBe(200);
    await drain();
    expect((await db().identity.findUniqueOrThrow({ where: { id: clientIdentityId } })).unreachableAt).toEqual(clock.now());
    expect((await db().outboxMessage.findFirstOrThrow({ where: { idempotencyKey: "gone#0" } })).status).toBe("failed");
    expect(sentTo(ADMIN).slice(adminBefore).map(textOf).join("\n")).toMatch(/tidak bisa lagi kami hubungi lewat WhatsApp \(131026/);
    // The same status again (Meta retries webhooks) tells nobody twice.
    expect(await graph.deliver(graph.status(s.id, "failed", { code: 131026, title: "Message undeliverable" }))).toBe(200);
    await drain();
    expect(sentTo(ADMIN).slice(adminBefore)).toHaveLength(1);
    // Writing again makes them reachable.
    await write(graph.text(CLIENT, "saya kembali"));
    expect((await db().identity.findUniqueOrThrow({ where: { id: clientIdentityId } })).unreachableAt).toBeNull();
  });

  it("asks the person to send a photo again when its download fails, and takes it the second time", async () => {
    const before = sentTo(CLIENT).length;
    graph.failNext("download", { httpStatus: 500, code: 1, message: "unavailable" });
    graph.failNext("download", { httpStatus: 500, code: 1, message: "unavailable" });
    await write(graph.image(CLIENT, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])));
    expect(sentTo(CLIENT).slice(before).map(textOf).join("\n")).toMatch(/tidak sampai ke kami dengan utuh.*Mohon kirim sekali lagi/);
    expect(await db().document.count()).toBe(0);
  });

  it("refuses a forged status webhook: nothing changes", async () => {
    await service.inbox.inTurn({ channel: "whatsapp", id: jid(CLIENT) }, "forged", async (turn) => turn.reply({ type: "text", text: "Aman." }));
    await drain();
    const s = last(CLIENT);
    expect(await graph.deliver(graph.status(s.id, "failed", { code: 131026 }), { signature: "wrong" })).toBe(401);
    expect((await db().identity.findUniqueOrThrow({ where: { id: clientIdentityId } })).unreachableAt).toBeNull();
    expect((await db().outboxMessage.findFirstOrThrow({ where: { providerMessageId: storedMessageId("whatsapp", s.id) } })).status).toBe("sent");
  });
});
