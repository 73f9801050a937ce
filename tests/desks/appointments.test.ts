/**
 * Appointments through the doors people use (the service with its test channel, a fixed clock):
 * the consultant sets a weekly availability in chat (a refused one is explained and asked again),
 * offers slots; the client is shown slots matching the registration's preferences and picks with
 * a button or typed words, or asks for slots themselves; the consultant moves a booking; a slot
 * taken meanwhile or already past is refused with the next free ones; both sides get the
 * day-before and hour-before reminders, the day's appointments are in the consultant's morning
 * digest; the client cancels.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { createLogger } from "../../src/logging/logger.js";
import { startTestService, type TestService } from "../support/service.js";

const silent = createLogger({ level: "silent" });
const CONSULTANT = "appt-consultant";
const CLIENT = "appt-client";
const OTHER = "appt-other";
const ADMIN = "appt-admin";
const REG = "PLUT-GIA-2026-000950";
const REG2 = "PLUT-GIA-2026-000951";
let t: TestService;
let caseId = "";

async function say(who: string, what: string): Promise<string> {
  const before = t.channel.inbox(who).length;
  if (what.startsWith("#")) await t.channel.choice(who, what.slice(1));
  else await t.channel.text(who, what);
  await t.flush();
  return t.channel.texts(who).slice(before).join("\n");
}

const db = () => t.service.database.db;

async function clientWithCase(address: string, name: string, regNumber: string, consultantId: string, prefs: { mode: string; time: string }) {
  const client = await db().client.create({ data: { fullName: name, language: "id", address: "Jl. Raya Ubud No. 10, Ubud" } });
  await db().identity.create({ data: { channel: "web", address, clientId: client.id, language: "id", consentedAt: t.clock.now() } });
  const c = await db().consultationCase.create({ data: { regNumber, clientId: client.id, status: "in_consultation", step: 4, consultantId, areaCode: "pemasaran" } });
  await db().assessmentAnswer.createMany({
    data: [
      { caseId: c.id, questionId: "assessment.preferredMode", valueJson: JSON.stringify(prefs.mode), display: prefs.mode },
      { caseId: c.id, questionId: "assessment.preferredTime", valueJson: JSON.stringify(prefs.time), display: prefs.time },
    ],
  });
  return c;
}

beforeAll(async () => {
  t = await startTestService({ start: "2026-11-23T01:00:00.000Z" }); // Monday 23 November 2026, 09:00 WITA
  const { code } = await db().$transaction((tx) => createInvite(tx, { role: "consultant", name: "Bu Komang", areas: ["pemasaran"], createdById: null, now: t.clock.now() }));
  await say(CONSULTANT, code);
  const admin = await db().$transaction((tx) => createInvite(tx, { role: "admin", name: "Ni Luh Admin", areas: [], createdById: null, now: t.clock.now() }));
  await say(ADMIN, admin.code);
  const consultant = await db().staff.findFirstOrThrow({ where: { name: "Bu Komang" } });
  caseId = (await clientWithCase(CLIENT, "Made Sukerta", REG, consultant.id, { mode: "kunjungan", time: "siang" })).id;
  await clientWithCase(OTHER, "Nyoman Sari", REG2, consultant.id, { mode: "kantor", time: "bebas" });
});
afterAll(async () => t?.close());

describe("appointments in chat", () => {
  it("the consultant sets a weekly availability; hours outside office hours are refused with the reason and asked again", async () => {
    const shown = await say(CONSULTANT, "jadwal");
    expect(shown).toContain("belum ada jadwal");
    expect(shown).toContain("senin 09-12");
    const refused = await say(CONSULTANT, "senin 07-09");
    expect(refused).toContain("jam kantor, 08:00–16:00");
    expect(refused).toContain("Tulis jadwal Anda");
    const saved = await say(CONSULTANT, "selasa 09-12, kamis 13-15");
    expect(saved).toContain("Jadwal mingguan disimpan");
    expect(saved).toContain("Kamis 13.00–15.00");
    expect(await db().consultantAvailability.count()).toBe(2);
  });

  it("offers the client slots matching the registration (a visit, in the afternoon) as buttons", async () => {
    const before = t.channel.inbox(CLIENT).length;
    const staffSaw = await say(CONSULTANT, `janji ${REG}`);
    expect(staffSaw).toContain(`sudah dikirim ke klien kasus ${REG}`);
    const offer = t.channel.inbox(CLIENT).slice(before).at(-1)!;
    expect(offer.type === "text" && offer.text).toContain("Bu Komang");
    expect(offer.type === "text" && offer.text).toContain("Kunjungan ke alamat Anda: Jl. Raya Ubud No. 10, Ubud");
    const labels = t.channel.lastChoices(CLIENT).map((c) => c.label);
    // Afternoon slots first (Thursdays 13 and 14), then the earliest mornings, in time order.
    expect(labels).toEqual(["Selasa, 24 Nov 09.00", "Selasa, 24 Nov 10.00", "Kamis, 26 Nov 13.00", "Kamis, 26 Nov 14.00", "Kamis, 3 Des 13.00", "Kamis, 3 Des 14.00"]);
  });

  it("a slot another client just took is refused with the next free ones; a typed \"kamis siang\" then books", async () => {
    await say(CONSULTANT, `janji ${REG2}`);
    const thursday = t.channel.lastChoices(OTHER).find((c) => c.label === "Kamis, 26 Nov 13.00")!;
    expect(await say(OTHER, `#${thursday.id}`)).toContain("Janji temu tercatat: Kamis, 26 Nov 13.00");

    const taken = await say(CLIENT, "kamis siang");
    expect(taken).toContain("baru saja diambil");
    expect(taken).toContain("jadwal kosong berikutnya");
    const next = t.channel.lastChoices(CLIENT).map((c) => c.label);
    expect(next).not.toContain("Kamis, 26 Nov 13.00");
    expect(next).toContain("Kamis, 26 Nov 14.00");

    const consultantBefore = t.channel.inbox(CONSULTANT).length;
    const booked = await say(CLIENT, "kamis siang");
    expect(booked).toContain("Janji temu tercatat: Kamis, 26 Nov 14.00");
    expect(booked).toContain("sehari sebelumnya pukul 09.00");
    const toConsultant = t.channel.texts(CONSULTANT).slice(consultantBefore).join("\n");
    expect(toConsultant).toContain(`Janji temu baru: Kamis, 26 Nov 14.00, kasus ${REG} (Made Sukerta)`);

    const rows = await db().appointment.findMany({ where: { status: "booked" }, orderBy: { startsAt: "asc" } });
    expect(rows.map((r) => [r.mode, r.place])).toEqual([["kantor", null], ["kunjungan", "Jl. Raya Ubud No. 10, Ubud"]]);
    const card = await db().controlCardEntry.findMany({ where: { caseId, contactKind: "appointment" } });
    expect(card.map((c) => c.summary)).toEqual(["Janji temu dibuat: Kamis, 26 Nov 14.00 (kunjungan)"]);
  });

  it("a client asks for slots themselves; the consultant moves a booking and the old hour is freed once a new one is picked", async () => {
    const asked = await say(OTHER, "buat janji");
    expect(asked).toContain("Di kantor PLUT-KUMKM Gianyar");
    expect(t.channel.lastChoices(OTHER).length).toBeGreaterThan(0);

    const booked = await db().appointment.findFirstOrThrow({ where: { status: "booked", case: { regNumber: REG2 } } });
    const toClient = t.channel.inbox(OTHER).length;
    expect(await say(CONSULTANT, `#ap:${booked.id}:move`)).toContain(`sudah dikirim ke klien kasus ${REG2}`);
    expect(t.channel.texts(OTHER).slice(toClient).join("\n")).toContain("Jadwal lama tetap berlaku sampai Anda memilih");
    expect((await db().appointment.findUniqueOrThrow({ where: { id: booked.id } })).status).toBe("booked");

    const tuesday = t.channel.lastChoices(OTHER).find((c) => c.label === "Selasa, 24 Nov 11.00")!;
    const toConsultant = t.channel.inbox(CONSULTANT).length;
    expect(await say(OTHER, `#${tuesday.id}`)).toContain("Janji temu tercatat: Selasa, 24 Nov 11.00");
    expect(t.channel.texts(CONSULTANT).slice(toConsultant).join("\n")).toContain(`Janji temu dipindah ke Selasa, 24 Nov 11.00, kasus ${REG2}`);
    const old = await db().appointment.findUniqueOrThrow({ where: { id: booked.id } });
    expect([old.status, old.heldStart]).toEqual(["moved", null]);
    expect(await db().reminder.count({ where: { refId: booked.id, status: "pending" } })).toBe(0);
    const card = await db().controlCardEntry.findMany({ where: { case: { regNumber: REG2 }, contactKind: "appointment" }, orderBy: { at: "asc" } });
    expect(card.map((c) => c.summary)).toEqual(["Janji temu dibuat: Kamis, 26 Nov 13.00 (kantor)", "Janji temu dipindah: Selasa, 24 Nov 11.00 (kantor)"]);
  });

  it("a slot already past is refused with the reason", async () => {
    await say(CONSULTANT, `janji ${REG}`);
    const tuesday = t.channel.lastChoices(CLIENT).find((c) => c.label === "Selasa, 24 Nov 09.00")!;
    t.clock.set("2026-11-24T02:30:00.000Z"); // Tuesday 10:30 WITA
    const late = await say(CLIENT, `#${tuesday.id}`);
    expect(late).toContain("Waktu itu sudah lewat.");
    expect(t.channel.lastChoices(CLIENT).map((c) => c.label)).not.toContain("Selasa, 24 Nov 09.00");
  });

  it("both sides get the reminders the day before at 09:00 and an hour before; the client cancels", async () => {
    const sweep = t.service.jobs.find((j) => j.id === "reminders.sweep")!;
    const run = async (iso: string) => {
      t.clock.set(iso);
      await sweep.run({ now: t.clock.now(), logger: silent });
      await t.flush();
    };
    const c0 = t.channel.texts(CLIENT).length;
    const s0 = t.channel.texts(CONSULTANT).length;
    await run("2026-11-25T00:59:00.000Z"); // Wednesday 08:59: not yet
    expect(t.channel.texts(CLIENT).length).toBe(c0);
    await run("2026-11-25T01:00:00.000Z"); // 09:00 the day before
    expect(t.channel.texts(CLIENT).slice(c0).join("\n")).toContain("besok, Kamis, 26 Nov 14.00");
    expect(t.channel.texts(CONSULTANT).slice(s0).join("\n")).toContain("Made Sukerta");
    // Thursday 07:30: the consultant's morning digest lists the day's appointments.
    const sd = t.channel.texts(CONSULTANT).length;
    t.clock.set("2026-11-25T23:30:00.000Z");
    await t.service.jobs.find((j) => j.id === "consultants.digest")!.run({ now: t.clock.now(), logger: silent });
    await run("2026-11-25T23:30:00.000Z");
    const digest = t.channel.texts(CONSULTANT).slice(sd).join("\n");
    expect(digest).toContain("Janji temu hari ini (1)");
    expect(digest).toContain(`Kamis, 26 Nov 14.00 — ${REG} (Made Sukerta) · 🏠 Kunjungan ke: Jl. Raya Ubud No. 10`);
    const c1 = t.channel.texts(CLIENT).length;
    const s1 = t.channel.texts(CONSULTANT).length;
    await run("2026-11-26T05:00:00.000Z"); // Thursday 13:00, an hour before
    expect(t.channel.texts(CLIENT).slice(c1).join("\n")).toContain("satu jam lagi (Kamis, 26 Nov 14.00)");
    expect(t.channel.texts(CONSULTANT).slice(s1).join("\n")).toContain("satu jam lagi (Kamis, 26 Nov 14.00)");

    const cancel = t.channel.lastChoices(CLIENT).find((c) => c.id.endsWith(":cancel"))!;
    const s2 = t.channel.texts(CONSULTANT).length;
    expect(await say(CLIENT, `#${cancel.id}`)).toContain("sudah dibatalkan");
    expect(t.channel.texts(CONSULTANT).slice(s2).join("\n")).toContain("Klien membatalkan janji temu Kamis, 26 Nov 14.00");
    const a = await db().appointment.findFirstOrThrow({ where: { caseId } });
    expect([a.status, a.heldStart]).toEqual(["cancelled", null]);
  });

  it("a client's data deleted on request takes the address copied for a visit with it", async () => {
    expect((await db().appointment.findFirstOrThrow({ where: { caseId } })).place).toBe("Jl. Raya Ubud No. 10, Ubud");
    await say(CLIENT, "hapus data saya");
    await say(CLIENT, "ya");
    const confirm = t.channel.lastChoices(ADMIN).find((c) => /^dr:.*:confirm$/.test(c.id))!;
    await say(ADMIN, `#${confirm.id}`);
    expect((await db().client.findFirstOrThrow({ where: { cases: { some: { id: caseId } } } })).anonymisedAt).not.toBeNull();
    expect(await db().appointment.count({ where: { caseId, place: { not: null } } })).toBe(0);
    expect(await db().appointmentOffer.count({ where: { caseId, place: { not: null } } })).toBe(0);
  });
});
