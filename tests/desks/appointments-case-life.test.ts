/**
 * Appointments over a case's life, through the service with its test channel and a fixed clock:
 * accepting a case offers the client slots on their own, matching the registration (how and when);
 * with no weekly availability the consultant is asked to set it and the client hears a time will be
 * proposed, and saving the week then offers the waiting client slots; a client who chose online
 * waits for the consultant's link. Referring the case and closing it cancel its booked appointments
 * still ahead: reminders go, the control card says why, both sides are told once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { startTestService, type TestService } from "../support/service.js";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { cookieFrom, csrfFrom, form, tokenOf } from "../dashboard/helpers.js";

const CONSULTANT = "life-consultant";
const FINANCE = "life-finance";
const ADMIN = "life-admin";
const A = "life-client-a";
const B = "life-client-b";
const C = "life-client-c";
const D = "life-client-d";
let t: TestService;
let consultantId = "";
const cases = { A: "", B: "", C: "" };

const db = () => t.service.database.db;

async function say(who: string, what: string): Promise<string> {
  const before = t.channel.inbox(who).length;
  if (what.startsWith("#")) await t.channel.choice(who, what.slice(1));
  else await t.channel.text(who, what);
  await t.flush();
  return t.channel.texts(who).slice(before).join("\n");
}

/** Everything `who` received while `act` ran. */
async function heard(who: string, act: () => Promise<unknown>): Promise<string> {
  const before = t.channel.inbox(who).length;
  await act();
  return t.channel.texts(who).slice(before).join("\n");
}

async function caseAwaiting(address: string, name: string, regNumber: string, prefs: { mode: string; time: string }): Promise<string> {
  const client = await db().client.create({ data: { fullName: name, language: "id", address: "Jl. Raya Ubud No. 10, Ubud" } });
  await db().identity.create({ data: { channel: "web", address, clientId: client.id, language: "id", consentedAt: t.clock.now() } });
  const c = await db().consultationCase.create({ data: { regNumber, clientId: client.id, status: "awaiting_acceptance", step: 4, consultantId, areaCode: "pemasaran" } });
  await db().assignment.create({ data: { caseId: c.id, consultantId, areaCode: "pemasaran", assignedAt: t.clock.now() } });
  await db().assessmentAnswer.createMany({
    data: [
      { caseId: c.id, questionId: "assessment.preferredMode", valueJson: JSON.stringify(prefs.mode), display: prefs.mode },
      { caseId: c.id, questionId: "assessment.preferredTime", valueJson: JSON.stringify(prefs.time), display: prefs.time },
    ],
  });
  return c.id;
}

beforeAll(async () => {
  t = await startTestService({ start: "2026-11-23T01:00:00.000Z" }); // Monday 23 November 2026, 09:00 WITA
  for (const [who, role, name, areas] of [
    [CONSULTANT, "consultant", "Bu Komang", ["pemasaran"]],
    [FINANCE, "consultant", "Pak Gede", ["pembiayaan"]],
    [ADMIN, "admin", "Ni Luh Admin", []],
  ] as const) {
    const { code } = await db().$transaction((tx) => createInvite(tx, { role, name, areas: [...areas], createdById: null, now: t.clock.now() }));
    await say(who, code);
  }
  consultantId = (await db().staff.findFirstOrThrow({ where: { name: "Bu Komang" } })).id;
  cases.A = await caseAwaiting(A, "Made Sukerta", "PLUT-GIA-2026-000960", { mode: "kantor", time: "pagi" });
  cases.B = await caseAwaiting(B, "Nyoman Sari", "PLUT-GIA-2026-000961", { mode: "kunjungan", time: "siang" });
  cases.C = await caseAwaiting(C, "Ketut Rai", "PLUT-GIA-2026-000962", { mode: "online", time: "bebas" });
});
afterAll(async () => t?.close());

describe("slots offered on their own", () => {
  it("with no weekly availability the consultant is asked to set it and the client hears a time will be proposed", async () => {
    const toClient = await heard(A, () => say(CONSULTANT, `#c:${cases.A}:accept`));
    expect(toClient).toContain("Konsultan akan mengusulkan waktu bertemu untuk kasus PLUT-GIA-2026-000960");
    expect(t.channel.texts(CONSULTANT).at(-1)).toContain("jadwal mingguan Anda belum diisi");
    expect(await db().appointmentOffer.count()).toBe(0);
  });

  it("saving the week offers the waiting client slots matching the registration (mornings first), picked with a button", async () => {
    const toClient = await heard(A, async () => {
      const saved = await say(CONSULTANT, "jadwal selasa 09-12, kamis 13-15");
      expect(saved).toContain("Jadwal mingguan disimpan");
      expect(saved).toContain("Klien kasus PLUT-GIA-2026-000960 sudah kami tawari 6 jadwal kosong");
    });
    expect(toClient).toContain("Konsultan Anda, Bu Komang, mengajak bertemu untuk kasus PLUT-GIA-2026-000960.");
    expect(toClient).toContain("Di kantor PLUT-KUMKM Gianyar");
    const labels = t.channel.lastChoices(A).map((c) => c.label);
    // "pagi": the six mornings of the next 14 days; no afternoon hour while mornings are free.
    expect(labels).toEqual(["Selasa, 24 Nov 09.00", "Selasa, 24 Nov 10.00", "Selasa, 24 Nov 11.00", "Selasa, 1 Des 09.00", "Selasa, 1 Des 10.00", "Selasa, 1 Des 11.00"]);
    expect((await db().appointmentOffer.findFirstOrThrow({ where: { caseId: cases.A } })).offeredBy).toBe("system");
    const pick = t.channel.lastChoices(A).find((c) => c.label === "Selasa, 24 Nov 10.00")!;
    expect(await say(A, `#${pick.id}`)).toContain("Janji temu tercatat: Selasa, 24 Nov 10.00");
  });

  it("accepting a case when the consultant has availability offers the slots at once (a visit, afternoons first)", async () => {
    const toClient = await heard(B, () => say(CONSULTANT, `#c:${cases.B}:accept`));
    expect(toClient).toContain("Konsultan Anda, Bu Komang, mengajak bertemu untuk kasus PLUT-GIA-2026-000961.");
    expect(toClient).toContain("Kunjungan ke alamat Anda: Jl. Raya Ubud No. 10, Ubud");
    // The four afternoons first, then the earliest free mornings (A holds Tuesday 10.00), in time order.
    expect(t.channel.lastChoices(B).map((c) => c.label)).toEqual(["Selasa, 24 Nov 09.00", "Selasa, 24 Nov 11.00", "Kamis, 26 Nov 13.00", "Kamis, 26 Nov 14.00", "Kamis, 3 Des 13.00", "Kamis, 3 Des 14.00"]);
    expect(t.channel.texts(CONSULTANT).at(-1)).toContain("Klien kasus PLUT-GIA-2026-000961 sudah kami tawari");
  });

  it("a client who chose online waits for the consultant's link; the consultant is told how to send it", async () => {
    const toClient = await heard(C, () => say(CONSULTANT, `#c:${cases.C}:accept`));
    expect(toClient).toContain("Konsultan akan mengusulkan waktu bertemu");
    expect(t.channel.texts(CONSULTANT).at(-1)).toContain("janji PLUT-GIA-2026-000962 online https://");
    expect(await db().appointmentOffer.count({ where: { caseId: cases.C } })).toBe(0);
  });
});

describe("appointments end with the case", () => {
  it("a referral cancels the booked appointment: reminders go, a control-card line, both sides told once", async () => {
    const booked = await db().appointment.findFirstOrThrow({ where: { caseId: cases.A, status: "booked" } });
    expect(await db().reminder.count({ where: { refId: booked.id, status: "pending" } })).toBeGreaterThan(0);
    const before = { client: t.channel.texts(A).length, consultant: t.channel.texts(CONSULTANT).length };
    await say(CONSULTANT, `#c:${cases.A}:refer`);
    await say(CONSULTANT, `#c:${cases.A}:refer:pembiayaan`);
    await say(CONSULTANT, "Masalah utamanya modal kerja.");
    const toClient = t.channel.texts(A).slice(before.client);
    expect(toClient.join("\n").match(/kami batalkan/g)).toHaveLength(1);
    expect(toClient.join("\n")).toContain("Janji temu Selasa, 24 Nov 10.00 (kasus PLUT-GIA-2026-000960) kami batalkan karena kasus Anda dirujuk ke bidang lain.");
    const toConsultant = t.channel.texts(CONSULTANT).slice(before.consultant).join("\n");
    expect(toConsultant.match(/dibatalkan karena kasus dirujuk/g)).toHaveLength(1);
    const after = await db().appointment.findUniqueOrThrow({ where: { id: booked.id } });
    expect([after.status, after.heldStart, after.cancelledBy]).toEqual(["cancelled", null, "system"]);
    expect(await db().reminder.count({ where: { refId: booked.id, status: "pending" } })).toBe(0);
    const card = await db().controlCardEntry.findMany({ where: { caseId: cases.A, contactKind: "appointment" }, orderBy: { at: "asc" } });
    expect(card.map((c) => c.summary)).toContain("Janji temu Selasa, 24 Nov 10.00 dibatalkan otomatis: kasus dirujuk ke bidang lain");
    // The hour is free again for another client.
    expect(await db().appointment.count({ where: { consultantId, heldStart: booked.startsAt } })).toBe(0);
  });

  it("closing cancels the booked appointment still ahead, told once to each side; past ones stay as they were", async () => {
    const pick = t.channel.lastChoices(B).find((c) => c.label === "Selasa, 24 Nov 11.00")!;
    expect(await say(B, `#${pick.id}`)).toContain("Janji temu tercatat: Selasa, 24 Nov 11.00");
    await db().finalReport.create({ data: { caseId: cases.B, authorId: consultantId, summary: "Ringkasan", results: "Hasil", recommendations: "Saran" } });
    await db().consultationCase.update({ where: { id: cases.B }, data: { status: "control_card", step: 9 } });
    const before = { client: t.channel.texts(B).length, consultant: t.channel.texts(CONSULTANT).length };
    expect(await say(ADMIN, `#c:${cases.B}:close`)).toContain("ditutup dan diarsipkan");
    const toClient = t.channel.texts(B).slice(before.client).join("\n");
    expect(toClient.match(/kami batalkan/g)).toHaveLength(1);
    expect(toClient).toContain("Janji temu Selasa, 24 Nov 11.00 (kasus PLUT-GIA-2026-000961) kami batalkan karena konsultasi sudah selesai.");
    const toConsultant = t.channel.texts(CONSULTANT).slice(before.consultant).join("\n");
    expect(toConsultant).toContain("Janji temu Selasa, 24 Nov 11.00 (kasus PLUT-GIA-2026-000961) dibatalkan karena kasus ditutup.");
    const a = await db().appointment.findFirstOrThrow({ where: { caseId: cases.B } });
    expect(a.status).toBe("cancelled");
    expect(await db().reminder.count({ where: { refId: a.id, status: "pending" } })).toBe(0);
    const card = await db().controlCardEntry.findMany({ where: { caseId: cases.B, contactKind: "appointment" } });
    expect(card.map((c) => c.summary)).toContain("Janji temu Selasa, 24 Nov 11.00 dibatalkan otomatis: kasus selesai dan diarsipkan");
  });
});

describe("moved or cancelled from the dashboard", () => {
  const signIn = async (name: string) => {
    const staff = await db().staff.findFirstOrThrow({ where: { name } });
    const link = await createLoginLink(db(), staff.id, t.clock.now(), "http://127.0.0.1:3000");
    const login = await t.service.app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link) }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" } });
    const cookie = cookieFrom(login.headers["set-cookie"]);
    const page = await t.service.app.inject({ method: "GET", url: "/staff/appointments?week=2026-11-26", headers: { cookie } });
    return { cookie, page, csrf: csrfFrom(page.body) };
  };
  const post = async (url: string, cookie: string, payload: Record<string, string>) => {
    const r = await t.service.app.inject({ method: "POST", url, payload: form(payload), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    await t.flush(); // the chat messages the action queued
    return r;
  };
  let appointmentId = "";

  it("refuses a past hour, one outside office hours and a taken one with the reason and the next free slots; a free hour moves it and both sides are told", async () => {
    await say(CONSULTANT, "janji PLUT-GIA-2026-000962 online https://meet.example/abc");
    const pick = t.channel.lastChoices(C).find((c) => c.label === "Kamis, 26 Nov 13.00")!;
    expect(await say(C, `#${pick.id}`)).toContain("Janji temu tercatat: Kamis, 26 Nov 13.00");
    appointmentId = (await db().appointment.findFirstOrThrow({ where: { caseId: cases.C, status: "booked" } })).id;
    const { cookie, page, csrf } = await signIn("Bu Komang");
    expect(page.body).toContain(`action="/staff/appointments/${appointmentId}/move"`);
    expect(page.body).toContain(`action="/staff/appointments/${appointmentId}/cancel"`);
    const move = (date: string, time: string) => post(`/staff/appointments/${appointmentId}/move`, cookie, { _csrf: csrf, date, time });

    const past = await move("2026-11-23", "08:00"); // Monday 08:00, an hour ago
    expect(past.statusCode).toBe(409);
    expect(past.body).toContain("Waktu itu sudah lewat.");
    expect(past.body).toContain("Jadwal kosong berikutnya");
    expect(past.body).toContain('name="time" value="09:00"'); // Tuesday 09.00 offered to pick
    const early = await move("2026-11-24", "07:00");
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain("Waktu itu di luar jam kantor (08:00–16:00).");
    // Another client books Tuesday 09.00 meanwhile (straight into the table, as a racing turn would).
    const at = new Date("2026-11-24T01:00:00.000Z");
    await db().appointment.create({ data: { caseId: cases.A, consultantId, startsAt: at, endsAt: new Date(at.getTime() + 3600_000), mode: "kantor", heldStart: at } });
    const taken = await move("2026-11-24", "09:00");
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain("baru saja diambil orang lain");
    expect(taken.body).not.toContain('<input type="hidden" name="date" value="2026-11-24"><input type="hidden" name="time" value="09:00">');
    expect((await db().appointment.findUniqueOrThrow({ where: { id: appointmentId } })).status).toBe("booked");

    const before = { client: t.channel.texts(C).length, consultant: t.channel.texts(CONSULTANT).length };
    const moved = await move("2026-11-24", "11:00");
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe("/staff/appointments?week=2026-11-24&done=moved");
    expect(t.channel.texts(C).slice(before.client).join("\n")).toContain("Janji temu kasus PLUT-GIA-2026-000962 dipindah dari Kamis, 26 Nov 13.00 ke Selasa, 24 Nov 11.00.");
    expect(t.channel.texts(C).slice(before.client).join("\n")).toContain("https://meet.example/abc");
    expect(t.channel.texts(CONSULTANT).slice(before.consultant).join("\n")).toContain("dipindah dari Kamis, 26 Nov 13.00 ke Selasa, 24 Nov 11.00. Klien sudah diberi tahu.");
    const old = await db().appointment.findUniqueOrThrow({ where: { id: appointmentId } });
    expect([old.status, old.heldStart]).toEqual(["moved", null]);
    const now = await db().appointment.findFirstOrThrow({ where: { caseId: cases.C, status: "booked" } });
    expect([now.startsAt.toISOString(), now.movedFromId, now.link]).toEqual(["2026-11-24T03:00:00.000Z", appointmentId, "https://meet.example/abc"]);
    expect(await db().reminder.count({ where: { refId: appointmentId, status: "pending" } })).toBe(0);
    expect(await db().reminder.count({ where: { refId: now.id, status: "pending" } })).toBeGreaterThan(0);
    const card = await db().controlCardEntry.findMany({ where: { caseId: cases.C, contactKind: "appointment" }, orderBy: { at: "asc" } });
    expect(card.at(-1)?.summary).toBe("Janji temu dipindah dari Kamis, 26 Nov 13.00 ke Selasa, 24 Nov 11.00 oleh konsultan");
    expect(await db().auditLog.count({ where: { action: "appointment.move", entityId: now.id } })).toBe(1);
    appointmentId = now.id;
  });

  it("another consultant may not cancel it; an admin cancels with a reason the client and the consultant read", async () => {
    const other = await signIn("Pak Gede");
    const refused = await post(`/staff/appointments/${appointmentId}/cancel`, other.cookie, { _csrf: other.csrf, reason: "bentrok" });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain("Janji temu ini bukan milik Anda.");
    const admin = await signIn("Ni Luh Admin");
    expect((await post(`/staff/appointments/${appointmentId}/cancel`, admin.cookie, { _csrf: admin.csrf, reason: "" })).statusCode).toBe(400);
    const before = { client: t.channel.texts(C).length, consultant: t.channel.texts(CONSULTANT).length };
    const done = await post(`/staff/appointments/${appointmentId}/cancel`, admin.cookie, { _csrf: admin.csrf, reason: "Konsultan ada rapat dinas mendadak." });
    expect(done.statusCode).toBe(303);
    const toClient = t.channel.texts(C).slice(before.client).join("\n");
    expect(toClient).toContain("janji temu Selasa, 24 Nov 11.00 (kasus PLUT-GIA-2026-000962) dibatalkan");
    expect(toClient).toContain("Alasan: Konsultan ada rapat dinas mendadak.");
    expect(t.channel.texts(CONSULTANT).slice(before.consultant).join("\n")).toContain("Ni Luh Admin membatalkan janji temu Selasa, 24 Nov 11.00 (kasus PLUT-GIA-2026-000962).");
    const a = await db().appointment.findUniqueOrThrow({ where: { id: appointmentId } });
    expect([a.status, a.cancelledBy]).toEqual(["cancelled", "staff"]);
    const card = await db().controlCardEntry.findMany({ where: { caseId: cases.C, contactKind: "appointment" }, orderBy: { at: "asc" } });
    expect(card.at(-1)?.summary).toBe("Janji temu Selasa, 24 Nov 11.00 dibatalkan oleh admin Ni Luh Admin: Konsultan ada rapat dinas mendadak.");
    const page = await t.service.app.inject({ method: "GET", url: done.headers.location as string, headers: { cookie: admin.cookie } });
    expect(page.body).toContain("Janji temu dibatalkan. Klien dan konsultan sudah diberi tahu lewat chat.");
  });
  it("a consultant saving the week on the dashboard offers the client waiting for a time slots at once, as jadwal in chat does", async () => {
    const finance = await db().staff.findFirstOrThrow({ where: { name: "Pak Gede" } });
    const client = await db().client.create({ data: { fullName: "Wayan Darma", language: "id" } });
    await db().identity.create({ data: { channel: "web", address: D, clientId: client.id, language: "id", consentedAt: t.clock.now() } });
    const c = await db().consultationCase.create({ data: { regNumber: "PLUT-GIA-2026-000963", clientId: client.id, status: "awaiting_acceptance", step: 4, consultantId: finance.id, areaCode: "pembiayaan" } });
    await db().assignment.create({ data: { caseId: c.id, consultantId: finance.id, areaCode: "pembiayaan", assignedAt: t.clock.now() } });
    await db().assessmentAnswer.createMany({
      data: [
        { caseId: c.id, questionId: "assessment.preferredMode", valueJson: JSON.stringify("kantor"), display: "kantor" },
        { caseId: c.id, questionId: "assessment.preferredTime", valueJson: JSON.stringify("bebas"), display: "bebas" },
      ],
    });
    expect(await heard(D, () => say(FINANCE, `#c:${c.id}:accept`))).toContain("Konsultan akan mengusulkan waktu bertemu untuk kasus PLUT-GIA-2026-000963");
    const { cookie, csrf } = await signIn("Pak Gede");
    const toClient = await heard(D, async () => {
      const saved = await post("/staff/appointments/availability", cookie, { _csrf: csrf, text: "rabu 09-11" });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe("/staff/appointments?saved=1");
    });
    expect(toClient).toContain("Konsultan Anda, Pak Gede, mengajak bertemu untuk kasus PLUT-GIA-2026-000963.");
    expect(t.channel.lastChoices(D).map((x) => x.label)[0]).toBe("Rabu, 25 Nov 09.00");
    expect(t.channel.texts(FINANCE).at(-1)).toContain("Klien kasus PLUT-GIA-2026-000963 sudah kami tawari");
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "availability.set", actorId: finance.id } });
    expect(audit.detailJson).toContain("dashboard");
  });
});
