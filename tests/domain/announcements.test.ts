/**
 * Announcements in the domain, on the test database (SQLite; PostgreSQL with
 * TEST_POSTGRES_URL=... npx vitest run tests/domain/announcements.test.ts): the audience and its count
 * per channel, the refusals with their reasons, one message per person through the reminder sweep
 * (bulk lane, quiet hours, the announcements switch, a crash between claim and write), sign-up
 * with a quota, a waiting list that moves up, places raced for at once, and attendance.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import {
  AUDIENCE_PAGE, attendanceList, confirmAndSend, countAudience, createDraft, progress, recordAttendance, rsvp, setAnnouncementsOn, updateQuota,
} from "../../src/domain/announcements/index.js";
import { WorkflowError } from "../../src/domain/workflow/errors.js";
import { useTestDatabase } from "../support/db.js";
import * as s from "../scheduler/support.js";

const t = useTestDatabase();
const now = s.wita("2026-03-16 10:00");

async function refusal(p: Promise<unknown>): Promise<{ key: string; params: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WorkflowError) return { key: e.textKey, params: e.params };
    throw e;
  }
  throw new Error("expected a refusal");
}

/** A client with a business of `sector` in `kecamatan`, registered at `at`, with an optional last case. */
async function person(db: Db, o: { name: string; sector?: string; kecamatan?: string; at?: Date; channel?: string; lastCase?: { area: string; closed: boolean } | null; extraChannel?: string }) {
  const p = await s.client(db, { name: o.name, channel: o.channel ?? "telegram" });
  await db.client.update({ where: { id: p.client.id }, data: { kecamatan: o.kecamatan ?? "510401", createdAt: o.at ?? s.wita("2025-06-01 10:00") } });
  await db.business.create({ data: { clientId: p.client.id, name: `Usaha ${o.name}`, sector: o.sector ?? "kuliner", products: "-", legalForm: "perorangan" } });
  if (o.extraChannel) await db.identity.create({ data: { channel: o.extraChannel, address: `x-${p.client.id}`, clientId: p.client.id } });
  if (o.lastCase) {
    // An older case in another area first: only the last one counts.
    await db.consultationCase.create({ data: { regNumber: `R-${p.client.id}-1`, clientId: p.client.id, status: "closed", step: 11, areaCode: "sdm", createdAt: s.wita("2025-07-01 10:00"), closedAt: s.wita("2025-08-01 10:00") } });
    await db.consultationCase.create({
      data: { regNumber: `R-${p.client.id}-2`, clientId: p.client.id, status: o.lastCase.closed ? "closed" : "in_consultation", step: o.lastCase.closed ? 11 : 4, areaCode: o.lastCase.area, createdAt: s.wita("2026-01-05 10:00"), closedAt: o.lastCase.closed ? s.wita("2026-02-01 10:00") : null },
    });
  }
  return p;
}

let admin: Awaited<ReturnType<typeof s.staff>>;

beforeEach(async () => {
  await s.resetDb(t.db);
  await t.db.business.deleteMany();
  admin = await s.staff(t.db, { role: "admin" });
});

const draft = (o: { quota?: number; closesAt?: Date; filter?: Parameters<typeof createDraft>[1]["filter"] } = {}) =>
  createDraft(t.db, {
    staffId: admin.staff.id, title: "Pelatihan foto produk", text: "Pelatihan gratis di aula PLUT.",
    rsvp: o.quota ? { quota: o.quota, closesAt: o.closesAt ?? s.wita("2026-03-26 17:00") } : null,
    eventAt: o.quota ? s.wita("2026-03-27 10:00") : null, filter: o.filter ?? {}, now,
  });

describe("the audience", () => {
  it("is chosen by sector, kecamatan, area and status of the last case and registration date, counted per channel", async () => {
    const db = t.db;
    await person(db, { name: "A", sector: "kuliner", kecamatan: "510401", lastCase: { area: "pemasaran", closed: false } });
    await person(db, { name: "B", sector: "kerajinan", kecamatan: "510402", channel: "whatsapp", lastCase: { area: "pemasaran", closed: true } });
    await person(db, { name: "C", sector: "kuliner", kecamatan: "510402", channel: "web", at: s.wita("2024-01-10 10:00") });
    // Two channels: counted once, on Telegram (the sweep's choice).
    await person(db, { name: "D", sector: "fashion", kecamatan: "510401", channel: "web", extraChannel: "telegram", lastCase: { area: "legalitas", closed: false } });
    const optedOut = await person(db, { name: "E", sector: "kuliner" });
    await setAnnouncementsOn(db, optedOut.client.id, false);
    const gone = await person(db, { name: "F", sector: "kuliner" });
    await db.identity.update({ where: { id: gone.identity.id }, data: { unreachableAt: now } });

    expect(await countAudience(db, {})).toEqual({ total: 4, byChannel: { telegram: 2, whatsapp: 1, web: 1 }, optedOut: 1, noChannel: 1 });
    expect((await countAudience(db, { sectors: ["kuliner"] })).total).toBe(2);
    expect((await countAudience(db, { kecamatan: ["510402"] })).byChannel).toEqual({ whatsapp: 1, web: 1 });
    expect((await countAudience(db, { areas: ["pemasaran"] })).total).toBe(2);
    // The older case was in "sdm": the last case decides.
    expect((await countAudience(db, { areas: ["sdm"] })).total).toBe(0);
    expect((await countAudience(db, { caseStatus: ["open"] })).total).toBe(2);
    expect((await countAudience(db, { caseStatus: ["none"] })).total).toBe(1);
    expect((await countAudience(db, { caseStatus: ["closed"], sectors: ["kerajinan"] })).byChannel).toEqual({ whatsapp: 1 });
    expect((await countAudience(db, { registeredFrom: s.wita("2025-01-01 00:00") })).total).toBe(3);
    expect((await countAudience(db, { registeredTo: s.wita("2024-12-31 23:59") })).byChannel).toEqual({ web: 1 });
  });

  it("reads a large audience in pages (SQLite's parameter limit), each person once", async () => {
    const n = AUDIENCE_PAGE * 2 + 7;
    const ids = Array.from({ length: n }, (_, i) => `bulk${String(i).padStart(6, "0")}`);
    await t.db.client.createMany({ data: ids.map((id) => ({ id, fullName: `Klien ${id}` })) });
    await t.db.identity.createMany({ data: ids.map((id) => ({ channel: "web", address: `w-${id}`, clientId: id })) });
    expect(await countAudience(t.db, {})).toEqual({ total: n, byChannel: { web: n }, optedOut: 0, noChannel: 0 });
  });
});

describe("refusals, with the reason", () => {
  it("an empty audience, a closing date or event in the past, a quota below the places taken", async () => {
    await person(t.db, { name: "A", sector: "kuliner" });
    expect((await refusal(draft({ filter: { sectors: ["pariwisata"] } }))).key).toBe("ann.err.empty_audience");
    expect((await refusal(draft({ quota: 5, closesAt: s.wita("2026-03-15 17:00") }))).key).toBe("ann.err.closes_past");
    const consultant = await s.staff(t.db, { role: "consultant" });
    expect((await refusal(createDraft(t.db, { staffId: consultant.staff.id, title: "x", text: "y", filter: {}, now }))).key).toBe("ann.err.admin_only");

    const b = await person(t.db, { name: "B", sector: "kuliner" });
    const { id } = await draft({ quota: 3 });
    await confirmAndSend(t.db, id, admin.staff.id, now, { tz: s.TZ });
    const [a] = await t.db.client.findMany({ where: { fullName: "A" } });
    await rsvp(t.db, { announcementId: id, clientId: a!.id, answer: "yes", now });
    await rsvp(t.db, { announcementId: id, clientId: b.client.id, answer: "yes", now });
    expect(await refusal(updateQuota(t.db, id, 1, admin.staff.id, now))).toEqual({ key: "ann.err.quota_below_taken", params: { taken: 2, quota: 1 } });
    expect((await refusal(confirmAndSend(t.db, id, admin.staff.id, now))).key).toBe("ann.err.not_draft");
  });
});

describe("sending through the reminder sweep", () => {
  it("writes one bulk message per person, never twice, not to those who stopped info, not in quiet hours", async () => {
    const db = t.db;
    const people = [];
    for (const n of ["A", "B", "C"]) people.push(await person(db, { name: n, extraChannel: "web" }));
    const out = await person(db, { name: "D" });
    await setAnnouncementsOn(db, out.client.id, false);
    const { id } = await draft({ quota: 2 });
    // Confirmed at 22:00: quiet hours. Nothing goes until 07:00.
    const late = s.wita("2026-03-16 22:00");
    expect(await confirmAndSend(db, id, admin.staff.id, late, { tz: s.TZ })).toEqual({ recipients: 3, skipped: 1 });
    // B says "berhenti info" after the confirmation: the sweep leaves them out.
    await setAnnouncementsOn(db, people[1]!.client.id, false);

    const sw = s.sweeper(t);
    // A crash between claim and write: the lease runs out, the next sweep writes the same keys.
    const abandoned = await sw.claim(s.wita("2026-03-17 07:00"));
    expect(abandoned.length).toBeGreaterThan(0);
    await sw.sweep(late);
    expect(await s.outbox(db)).toEqual([]);
    await sw.sweep(s.wita("2026-03-17 07:05"));
    await sw.sweep(s.wita("2026-03-17 08:00"));
    await sw.sweep(s.wita("2026-03-17 09:00"));
    const rows = await s.outbox(db);
    expect(rows.map((r) => r.identityId).sort()).toEqual([people[0]!.identity.id, people[2]!.identity.id].sort());
    expect(rows.every((r) => r.lane === "bulk" && r.nextAttemptAt.getTime() >= s.wita("2026-03-17 07:00").getTime())).toBe(true);
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(2);

    // Confirming again writes nothing; the sweep has nothing more to do.
    await refusal(confirmAndSend(db, id, admin.staff.id, late));
    await sw.sweep(s.wita("2026-03-18 09:00"));
    expect((await s.outbox(db)).length).toBe(2);

    await db.outboxMessage.updateMany({ where: { identityId: people[0]!.identity.id }, data: { status: "sent" } });
    await db.outboxMessage.updateMany({ where: { identityId: people[2]!.identity.id }, data: { status: "failed" } });
    expect(await progress(db, id)).toMatchObject({ recipients: 4, sent: 1, failed: 1, pending: 0, optedOutSkipped: 2 });
  });

  it("sends the file first, then the text with Ikut / Tidak bisa", async () => {
    const p = await person(t.db, { name: "A" });
    const { id } = await createDraft(t.db, {
      staffId: admin.staff.id, title: "Bazar UMKM", text: "Daftar stan di bazar.", attachment: { storageKey: "documents/2026/03/abc", mimeType: "application/pdf", fileName: "brosur.pdf" },
      rsvp: { quota: 10, closesAt: s.wita("2026-03-20 17:00") }, filter: {}, now,
    });
    await confirmAndSend(t.db, id, admin.staff.id, now);
    await s.sweeper(t).sweep(now);
    const rows = await s.outbox(t.db);
    expect(rows.map((r) => JSON.parse(r.payloadJson).type)).toEqual(["document", "text"]);
    expect(rows.every((r) => r.identityId === p.identity.id)).toBe(true);
    expect(JSON.parse(rows[1]!.payloadJson).choices.map((c: { id: string }) => c.id)).toEqual([`an:${id}:yes`, `an:${id}:no`]);
    const recipient = await t.db.announcementRecipient.findFirstOrThrow({ where: { announcementId: id } });
    expect(recipient).toMatchObject({ status: "queued", channel: "telegram", outboxKey: rows[1]!.idempotencyKey });
  });
});

describe("sign-up", () => {
  it("fills the quota, then a waiting list that moves up when someone cancels; after closing a polite no", async () => {
    const db = t.db;
    const ps = [];
    for (const n of ["A", "B", "C", "D"]) ps.push(await person(db, { name: n }));
    const [a, b, c, d] = ps.map((p) => p.client.id) as [string, string, string, string];
    const { id } = await draft({ quota: 2 });
    await confirmAndSend(db, id, admin.staff.id, now);
    const at = (m: number) => new Date(now.getTime() + m * 60_000);
    expect((await rsvp(db, { announcementId: id, clientId: a, answer: "yes", now: at(1) })).result).toBe("yes");
    expect((await rsvp(db, { announcementId: id, clientId: b, answer: "yes", now: at(2) })).result).toBe("yes");
    expect(await rsvp(db, { announcementId: id, clientId: c, answer: "yes", now: at(3) })).toMatchObject({ result: "waiting", position: 1 });
    expect(await rsvp(db, { announcementId: id, clientId: d, answer: "yes", now: at(4) })).toMatchObject({ result: "waiting", position: 2 });
    // A gives the place back: C (first waiting) moves up and is told through the sweep.
    expect(await rsvp(db, { announcementId: id, clientId: a, answer: "cancel", now: at(5) })).toMatchObject({ result: "cancelled", promoted: [c] });
    expect(await db.reminder.count({ where: { kind: "announcement_promoted", clientId: c } })).toBe(1);
    // Each answer is audited as the client's own.
    const answers = await db.auditLog.findMany({ where: { action: "announcement.rsvp", entityId: id }, orderBy: { at: "asc" }, select: { actorType: true, actorId: true } });
    expect(answers.map((x) => [x.actorType, x.actorId])).toEqual([a, b, c, d, a].map((who) => ["client", who]));
    // Raising the quota takes D too.
    expect(await updateQuota(db, id, 3, admin.staff.id, at(6))).toEqual({ promoted: [d] });
    expect(await progress(db, id)).toMatchObject({ rsvpYes: 3, rsvpNo: 1, waiting: 0 });
    expect((await db.announcement.findUniqueOrThrow({ where: { id } })).rsvpTaken).toBe(3);
    // After closing: nothing changes, a polite no.
    expect((await rsvp(db, { announcementId: id, clientId: a, answer: "yes", now: s.wita("2026-03-26 17:00") })).result).toBe("closed");
    expect((await attendanceList(db, id)).map((r) => [r.name, r.rsvp])).toEqual([["B", "yes"], ["C", "yes"], ["D", "yes"], ["A", "no"]]);
  });

  it("gives the last place to one of two people tapping at once", async () => {
    const db = t.db;
    const ps = [];
    for (const n of ["A", "B", "C", "D", "E", "F"]) ps.push(await person(db, { name: n }));
    const { id } = await draft({ quota: 1 });
    await confirmAndSend(db, id, admin.staff.id, now);
    const results = await Promise.all(ps.map((p) => rsvp(db, { announcementId: id, clientId: p.client.id, answer: "yes", now })));
    expect(results.filter((r) => r.result === "yes")).toHaveLength(1);
    expect(results.filter((r) => r.result === "waiting")).toHaveLength(5);
    expect((await db.announcement.findUniqueOrThrow({ where: { id } })).rsvpTaken).toBe(1);
  });

  it("records attendance, audited, only for recipients", async () => {
    const p = await person(t.db, { name: "A" });
    const { id } = await draft({ quota: 2 });
    await confirmAndSend(t.db, id, admin.staff.id, now);
    await rsvp(t.db, { announcementId: id, clientId: p.client.id, answer: "yes", now });
    await recordAttendance(t.db, id, p.client.id, true, admin.staff.id, now);
    expect((await attendanceList(t.db, id))[0]).toMatchObject({ name: "A", rsvp: "yes", attended: true });
    expect((await progress(t.db, id)).attended).toBe(1);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "announcement.attendance" } });
    expect(audit).toMatchObject({ actorId: admin.staff.id, entityId: id });
    const stranger = await s.client(t.db, { name: "Z" });
    expect((await refusal(recordAttendance(t.db, id, stranger.client.id, true, admin.staff.id, now))).key).toBe("ann.err.not_recipient");
  });
});
