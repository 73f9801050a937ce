/**
 * The whole SOP in chat, through the same door every channel uses: a client registers with a KTP
 * photo, the admin confirms the route, a consultant accepts, notes, agrees an action plan, refers
 * the case on; the next consultant writes the BAP (a real PDF, opened and read); the admin closes
 * and the client gets the survey. People who try commands that are not theirs are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPdfText } from "../support/pdf-text.js";
import { createInvite } from "../../src/domain/staff/invites.js";
import { createLogger } from "../../src/logging/logger.js";
import { stepTimes } from "../../src/domain/cases/timing.js";
import { startTestService, type TestService } from "../support/service.js";
import { unseal } from "../../src/security/at-rest.js";

const CLIENT = "client-ayu";
const ADMIN = "staff-admin";
const FINANCE = "staff-finance";
const MARKETING = "staff-marketing";
const OTHER_CLIENT = "client-other";
const HEAD = "staff-head";
const OTHER_CONSULTANT = "staff-other";
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("KTP-PHOTO-BYTES".repeat(100))]);

let t: TestService;
const silent = createLogger({ level: "silent" });
let caseId = "";
let regNumber = "";

async function pdfText(bytes: Buffer): Promise<string> {
  return (await readPdfText(bytes)).flat;
}

/** Say something (text, "#choice-id" or a photo) and return what came back to that person. */
async function say(who: string, what: string | Buffer): Promise<string[]> {
  const before = t.channel.inbox(who).length;
  if (Buffer.isBuffer(what)) await t.channel.photo(who, what);
  else if (what.startsWith("#")) await t.channel.choice(who, what.slice(1));
  else await t.channel.text(who, what);
  await t.flush();
  return t.channel.texts(who).slice(before);
}

async function tap(who: string, idPattern: RegExp): Promise<string[]> {
  const offered = t.channel.inbox(who).flatMap((m) => (m.type === "text" ? m.choices ?? [] : []));
  const choice = offered.reverse().find((c) => idPattern.test(c.id));
  if (!choice) throw new Error(`no button ${idPattern} for ${who}; last: ${t.channel.texts(who).at(-1)}`);
  return say(who, `#${choice.id}`);
}

async function linkStaff(who: string, role: "admin" | "consultant" | "head", name: string, areas: string[] = []): Promise<void> {
  const { code } = await t.service.database.db.$transaction((tx) => createInvite(tx, { role, name, areas, createdById: null, now: t.clock.now() }));
  const out = await say(who, code);
  expect(out.join("\n")).toContain(name);
}

beforeAll(async () => {
  t = await startTestService();
  await linkStaff(ADMIN, "admin", "Ni Luh Admin");
  await linkStaff(FINANCE, "consultant", "I Wayan Keuangan", ["pembiayaan"]);
  await linkStaff(MARKETING, "consultant", "Kadek Pemasaran", ["pemasaran"]);
});
afterAll(async () => t?.close());

describe("a consultation from registration to archive", () => {
  it("registers a client with a KTP photo and opens a case at step 1 with the router's recommendation", async () => {
    const script: Array<string | Buffer> = [
      "/start", "#menu:registration", "#agree", "Ni Made Ayu Lestari", "#P", "12-08-1985", "5104015208850003", "081234567890",
      "Jl. Raya Ubud No. 5", "Ubud", "Peliatan", "lewati", "lewati", "Warung Ayu", "#kuliner", "#ud", "Nasi campur dan jajan Bali",
      "tidak", "2015", "3", "#r5_25jt", "1,3", "lewati", "#ktp", KTP, "lewati",
      "Saya butuh modal untuk tambah gerobak, mau ajukan KUR tapi belum ada pembukuan", "1", "selesai",
      "ya", "15 juta", "1", "1", "3", "1", "7", "1", "1",
    ];
    for (const s of script) await say(CLIENT, s);
    const out = await say(CLIENT, "kirim");
    const joined = out.join("\n");
    const m = /PLUT-GIA-2026-\d{6}/.exec(joined);
    expect(m, joined).not.toBeNull();
    regNumber = m![0];

    const db = t.service.database.db;
    const c = await db.consultationCase.findUniqueOrThrow({ where: { regNumber }, include: { client: true, business: true, answers: true, routing: true, events: true } });
    caseId = c.id;
    expect(c.client.fullName).toBe("Ni Made Ayu Lestari");
    expect(c.client.phone).not.toContain("81234567890"); // sealed at rest
    expect(unseal(c.client.phone!)).toBe("+6281234567890");
    expect(c.client.nikLast4).toBe("0003");
    expect(c.client.nikCipher).not.toContain("5104015208850003");
    expect(c.business?.name).toBe("Warung Ayu");
    expect(c.status).toBe("awaiting_routing");
    expect(c.routing[0]?.recommended).toBe("pembiayaan");
    expect(c.routing[0]?.explanation).toMatch(/kur/i);
    expect(c.answers.some((a) => a.questionId === "assessment.needsCapital")).toBe(true);
    expect(c.events.map((e) => `${e.step}:${e.kind}`)).toEqual(expect.arrayContaining(["1:started", "1:completed", "2:started", "2:completed", "3:started"]));

    // The KTP photo is stored encrypted outside the database, with its checksum.
    const doc = await db.document.findFirstOrThrow({ where: { clientId: c.clientId, type: "ktp" } });
    const onDisk = await t.service.files.sealed(doc.storageKey);
    expect(onDisk.includes(Buffer.from("KTP-PHOTO-BYTES"))).toBe(false);
    expect(await t.service.files.get(doc.storageKey)).toEqual(KTP);
    const consent = await db.consent.findFirstOrThrow({ where: { clientId: c.clientId } });
    expect(consent.textVersion).toBeTruthy();
  });

  it("tells the admins with a case card and lets them confirm the area with one tap", async () => {
    const card = t.channel.texts(ADMIN).join("\n");
    expect(card).toContain(regNumber);
    expect(card).toContain("Warung Ayu");
    expect(card).toMatch(/modal/i);
    const docs = await tap(ADMIN, /:doc$/);
    expect(docs.join("\n")).toContain("[document");
    const audit = await t.service.database.db.auditLog.findFirst({ where: { action: "document.view", entity: "Document" } });
    expect(audit).not.toBeNull();

    await tap(ADMIN, /:route:pembiayaan$/);
    const c = await t.service.database.db.consultationCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(c.status).toBe("awaiting_acceptance");
    expect(c.areaCode).toBe("pembiayaan");
    expect(t.channel.texts(FINANCE).join("\n")).toContain(regNumber);
    expect(t.channel.texts(CLIENT).at(-1)).toContain("Pembiayaan");
  });

  it("lets the consultant accept, write a diagnosis and services, and talk to the client without sharing numbers", async () => {
    const before = t.channel.texts(CLIENT).length;
    await tap(FINANCE, /:accept$/);
    const accepted = t.channel.texts(CLIENT).slice(before).join("\n");
    expect(accepted).toContain("I Wayan Keuangan");
    // No weekly availability yet: the client hears a time will be proposed, the consultant is asked to set it.
    expect(accepted).toContain("Konsultan akan mengusulkan waktu bertemu");
    expect(t.channel.texts(FINANCE).join("\n")).toContain("jadwal mingguan Anda belum diisi");
    await tap(FINANCE, /:diagnosis$/);
    await say(FINANCE, "Usaha sehat, belum ada catatan keuangan; layak KUR mikro setelah pembukuan 3 bulan.");
    await tap(FINANCE, /:services$/);
    await tap(FINANCE, /:svc:akses_pembiayaan$/);
    await tap(FINANCE, /:svc:pendampingan$/);
    await tap(FINANCE, /:svcdone$/);
    await tap(FINANCE, /:message$/);
    await say(FINANCE, "Bu Ayu, mohon siapkan catatan penjualan 1 bulan terakhir.");
    expect(t.channel.texts(CLIENT).at(-1)).toContain("catatan penjualan");
    expect(t.channel.texts(CLIENT).at(-1)).not.toContain("staff-finance");
    // No button to tap: the client simply writes back, and is told once where it went.
    const told = await say(CLIENT, "Baik pak, besok saya kirim.");
    expect(t.channel.texts(FINANCE).at(-1)).toContain("besok saya kirim");
    expect(told.join("\n")).toContain("I Wayan Keuangan");

    const db = t.service.database.db;
    const notes = await db.consultationNote.findMany({ where: { caseId } });
    expect(notes.map((n) => n.kind).sort()).toEqual(["diagnosis", "service"]);
    expect(await db.relayMessage.count({ where: { caseId } })).toBe(2);
  });

  it("has the client fill the action plan in chat and the consultant agree it", async () => {
    await tap(FINANCE, /:plan$/);
    const intro = t.channel.texts(CLIENT).slice(-3).join("\n");
    expect(intro).toContain(regNumber);
    for (const s of ["Mencatat penjualan harian di buku kas", "saya sendiri", "31-12-2026", "Buku kas terisi setiap hari selama sebulan", "tidak"]) await say(CLIENT, s);
    await say(CLIENT, "kirim");
    const plan = await t.service.database.db.actionPlan.findFirstOrThrow({ where: { caseId }, include: { items: true } });
    expect(plan.status).toBe("submitted");
    expect(plan.items[0]?.action).toContain("buku kas");
    await tap(FINANCE, /^p:.*:agree$/);
    const agreed = await t.service.database.db.actionPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(agreed.status).toBe("agreed");
    await tap(FINANCE, /:monitor$/);
    await say(FINANCE, "15-01-2027");
    expect(await t.service.database.db.monitoringVisit.count({ where: { caseId } })).toBe(1);
  });

  it("reminds the client of the action item the day before at 09:00, records the answer and tells the consultant when help is asked", async () => {
    const db = t.service.database.db;
    expect(await db.reminder.count({ where: { caseId, kind: "action_item_due" } })).toBe(2);
    const sweep = t.service.jobs.find((j) => j.id === "reminders.sweep")!;
    t.clock.set("2026-12-30T00:59:00.000Z"); // 08:59 WITA the day before: not yet
    await sweep.run({ now: t.clock.now(), logger: silent });
    await t.flush();
    expect(t.channel.lastChoices(CLIENT).some((c) => c.id.startsWith("rem:"))).toBe(false);
    const seen = t.channel.texts(CLIENT).length;
    t.clock.set("2026-12-30T01:00:00.000Z");
    await sweep.run({ now: t.clock.now(), logger: silent });
    await sweep.run({ now: t.clock.now(), logger: silent }); // a second sweep writes nothing twice
    await t.flush();
    const reminders = t.channel.texts(CLIENT).slice(seen).filter((x) => x.includes("buku kas"));
    expect(reminders.length).toBe(1);
    await tap(CLIENT, /^rem:.*:help$/);
    const item = await db.actionPlanItem.findFirstOrThrow({ where: { plan: { caseId } } });
    expect(item.progress).toBe("help");
    expect(t.channel.texts(FINANCE).at(-1)).toMatch(/bantuan|help/i);
  });

  it("refers the case to marketing with a reason, keeping the history, and tells the client once", async () => {
    const seen = t.channel.texts(CLIENT).length;
    await tap(FINANCE, /:refer$/);
    await tap(FINANCE, /:refer:pemasaran$/);
    await say(FINANCE, "Setelah pembukuan, masalah utamanya penjualan yang sepi.");
    const db = t.service.database.db;
    const c = await db.consultationCase.findUniqueOrThrow({ where: { id: caseId }, include: { referrals: true, assignments: true } });
    expect(c.areaCode).toBe("pemasaran");
    expect(c.referrals).toHaveLength(1);
    expect(c.assignments).toHaveLength(2);
    expect(t.channel.texts(MARKETING).join("\n")).toContain(regNumber);
    await tap(MARKETING, /:accept$/);
    const told = t.channel.texts(CLIENT).slice(seen);
    // The referral is explained once; the new consultant's acceptance then only speaks of a time to meet.
    expect(told, told.join("\n---\n")).toHaveLength(2);
    expect(told.filter((m) => m.includes("Alasannya"))).toHaveLength(1);
    expect(told[1]).toBe(`Konsultan akan mengusulkan waktu bertemu untuk kasus ${regNumber}. Kami kabari begitu jadwalnya ada.`);
    expect(told[0]).toContain("Pemasaran");
    expect(told[0]).toContain("Kadek Pemasaran");
    expect(told[0]).toContain("penjualan yang sepi");
  });

  it("produces the final report and BAP as a PDF that reads right, and the control card", async () => {
    await tap(MARKETING, /:report$/);
    await say(MARKETING, "Klien dibimbing menyusun pembukuan sederhana dan strategi penjualan online.");
    await say(MARKETING, "Pembukuan harian berjalan; toko Shopee dibuka.");
    await say(MARKETING, "Ajukan KUR mikro ke bank penyalur setelah 3 bulan pembukuan.");
    const doc = t.channel.delivered.filter((d) => d.to === MARKETING && d.message.type === "document").at(-1);
    expect(doc?.bytes).toBeDefined();
    const text = await pdfText(doc!.bytes!);
    expect(text).toContain(regNumber);
    expect(text).toContain("Ni Made Ayu Lestari");
    expect(text).toMatch(/BERITA ACARA/i);
    expect(text).toContain("Warung Ayu");
    expect(text).toContain("Ajukan KUR mikro");
    expect(t.channel.delivered.some((d) => d.to === ADMIN && d.message.type === "document" && d.message.fileName.includes(regNumber))).toBe(true);

    // Names, not codes: the case's kecamatan, sector and area by name.
    expect(text).not.toMatch(/\b5104\d\d\b|sector\.|area\./);

    // Step 9 ends when the control card is sent, eight minutes after the report: not in one instant.
    const reportAt = t.clock.now();
    t.clock.advance(8 * 60_000);
    await tap(MARKETING, /:card$/);
    const card = t.channel.delivered.filter((d) => d.to === MARKETING && d.message.type === "document").at(-1);
    const cardText = await pdfText(card!.bytes!);
    expect(cardText).toContain(regNumber);
    expect(cardText).toMatch(/Rujukan/);
    const events = await t.service.database.db.caseEvent.findMany({ where: { caseId, step: { in: [9, 10] } } });
    // The test clock ticks a few milliseconds per message.
    const near = (at: Date | undefined, to: Date) => Math.abs((at?.getTime() ?? 0) - to.getTime()) < 1000;
    expect(near(events.find((e) => e.step === 9 && e.kind === "started")?.at, reportAt)).toBe(true);
    expect(near(events.find((e) => e.step === 9 && e.kind === "completed")?.at, t.clock.now())).toBe(true);
    expect(near(events.find((e) => e.step === 10 && e.kind === "started")?.at, t.clock.now())).toBe(true);
    t.clock.advance(6 * 60_000);
  });

  it("sends the client the report to sign off: what is missing goes to the consultant, and Setuju is printed on the BAP", async () => {
    const got = t.channel.delivered.filter((d) => d.to === CLIENT && d.message.type === "document").at(-1);
    expect(got?.message.type === "document" && got.message.fileName).toContain(regNumber);
    expect(await pdfText(got!.bytes!)).toMatch(/Belum disetujui pengguna jasa/);
    expect(t.channel.texts(CLIENT).at(-1)).toMatch(/sudah sesuai/);

    await tap(CLIENT, /^b:.*:missing$/);
    await say(CLIENT, "Rencana pengajuan KUR belum tercatat di laporan.");
    expect(t.channel.texts(MARKETING).at(-1)).toContain("Rencana pengajuan KUR belum tercatat");
    const db = t.service.database.db;
    expect((await db.finalReport.findFirstOrThrow({ where: { caseId } })).clientFeedback).toContain("KUR");

    t.clock.set("2026-12-31T02:15:00.000Z"); // 10:15 WITA
    await tap(CLIENT, /^b:.*:agree$/);
    const report = await db.finalReport.findFirstOrThrow({ where: { caseId } });
    expect(report.clientAgreedAt?.toISOString()).toBe("2026-12-31T02:15:00.000Z");
    expect(report.clientAgreedChannel).toBe("web");
    const identity = await db.identity.findFirstOrThrow({ where: { address: CLIENT } });
    expect(report.clientAgreedIdentityId).toBe(identity.id);
    const signed = t.channel.delivered.filter((d) => d.to === CLIENT && d.message.type === "document").at(-1);
    const signedText = await pdfText(signed!.bytes!);
    expect(signedText).toMatch(/Disetujui pengguna jasa melalui web chat pada 31 Des 2026, 10\.15 WITA/);
    expect(signedText).toContain("Kadek Pemasaran");
    expect(t.channel.texts(MARKETING).at(-1)).toMatch(/menyetujui/);
  });

  it("lets the admin archive the case, offers the client the survey and keeps the step times", async () => {
    await tap(ADMIN, /:close$/);
    const db = t.service.database.db;
    const c = await db.consultationCase.findUniqueOrThrow({ where: { id: caseId }, include: { events: true } });
    expect(c.status).toBe("closed");
    expect(c.closedAt).not.toBeNull();
    expect(t.channel.texts(CLIENT).slice(-3).join("\n")).toMatch(/Survei|survei/);
    const times = stepTimes(c.events.map((e) => ({ step: e.step, kind: e.kind as "started", at: e.at })));
    // The BAP on file now names the admin who archived it, beside the client's agreement.
    const report = await db.finalReport.findFirstOrThrow({ where: { caseId } });
    const doc = await db.document.findUniqueOrThrow({ where: { id: report.documentId! } });
    const bap = await pdfText(await t.service.files.get(doc.storageKey));
    expect(bap).toContain("Diarsipkan oleh admin Ni Luh Admin");
    expect(bap).toMatch(/Disetujui pengguna jasa melalui web chat/);
    for (const s of [1, 2, 3, 4, 5, 6, 8, 9, 10]) expect(times[s - 1]?.actualMinutes, `step ${s}`).not.toBeNull();
    // Each stamped by its own action: the card 8 minutes after the report; step 10 from the card to the
    // archive (here after the client's sign-off on 31 December), ended by the admin's tap itself.
    expect(times[8]?.actualMinutes).toBe(8);
    const ten = c.events.filter((e) => e.step === 10);
    expect(Math.abs(ten.find((e) => e.kind === "completed")!.at.getTime() - t.clock.now().getTime())).toBeLessThan(1000);
    expect(ten.find((e) => e.kind === "started")!.at.getTime()).toBeLessThan(new Date("2026-12-31T02:15:00.000Z").getTime());
    expect(times[9]?.actualMinutes).toBeGreaterThan(6);
    // Step 11 waits for the periodic report to the head: running, but not on the office's clock.
    expect(c.events.filter((e) => e.step === 11).map((e) => e.kind).sort()).toEqual(["started", "waiting"]);
  });

  it("stores the client's satisfaction survey (SKM) for reporting", async () => {
    for (const score of ["4", "3", "4", "4", "3", "4", "4", "3", "4"]) await say(CLIENT, score);
    await say(CLIENT, "Pelayanannya cepat dan ramah");
    const last = await say(CLIENT, "kirim");
    const survey = await t.service.database.db.satisfactionSurvey.findUnique({ where: { caseId } });
    expect(survey, last.join("\n")).not.toBeNull();
    const scores = JSON.parse(survey!.scoresJson) as Record<string, number>;
    expect(Object.keys(scores)).toHaveLength(9);
    expect(survey!.comment).toContain("ramah");
  });
});

describe("reports in chat (SOP step 11)", () => {
  it("answers kasus, cari (NIK masked), konsultan and sla for admins", async () => {
    const kasus = (await say(ADMIN, "kasus")).join("\n");
    expect(kasus).toContain(regNumber);
    const byNik = (await say(ADMIN, "cari 5104015208850003")).join("\n");
    expect(byNik).toContain("Ni Made Ayu Lestari");
    expect(byNik).not.toContain("5104015208850003");
    expect(byNik).toContain("0003");
    expect((await say(ADMIN, "cari ayu")).join("\n")).toContain(regNumber);
    expect((await say(ADMIN, "konsultan")).join("\n")).toContain("Kadek Pemasaran");
    expect((await say(ADMIN, "sla")).length).toBeGreaterThan(0);
  });

  it("with no head account yet, the admin's laporan says it is kept for the head and claims no report", async () => {
    const out = (await say(ADMIN, "laporan bulan ini")).join("\n");
    expect(out).toContain("Belum ada akun Kepala UPT");
    expect(out).not.toMatch(/telah dilaporkan ke Kepala UPT/);
    const c = await t.service.database.db.consultationCase.findUniqueOrThrow({ where: { id: caseId }, include: { events: true } });
    expect(c.status).toBe("closed");
    expect(c.events.some((e) => e.step === 11 && e.kind === "completed")).toBe(false);
  });

  it("sends the admin's laporan with XLSX and PDF to the head too, and completes step 11 of the closed case", async () => {
    await linkStaff(HEAD, "head", "Kepala UPT Gianyar");
    t.clock.advance(60_000);
    const out = await say(ADMIN, "laporan bulan ini");
    expect(out.join("\n")).toMatch(/Laporan|laporan/);
    const docs = t.channel.delivered.filter((d) => d.to === ADMIN && d.message.type === "document").slice(-2);
    expect(docs.map((d) => (d.message.type === "document" ? d.message.mimeType : ""))).toEqual(
      expect.arrayContaining(["application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]),
    );
    const pdf = docs.find((d) => d.message.type === "document" && d.message.mimeType === "application/pdf");
    expect((await readPdfText(pdf!.bytes!)).flat).toMatch(/Pembiayaan|Pemasaran/);
    expect(t.channel.delivered.filter((d) => d.to === HEAD && d.message.type === "document")).toHaveLength(2);
    const c = await t.service.database.db.consultationCase.findUniqueOrThrow({ where: { id: caseId }, include: { events: true } });
    expect(c.status).toBe("reported");
    expect(c.events.some((e) => e.step === 11 && e.kind === "completed")).toBe(true);
  });

  it("a consultant may not run laporan; anyone on staff gets a one-time dashboard link that signs in once", async () => {
    expect((await say(FINANCE, "laporan bulan ini")).join("\n")).toMatch(/bukan untuk peran Anda/);
    const msg = (await say(FINANCE, "dashboard")).join("\n");
    const url = /https?:\/\/\S+\/staff\/login\/\S+/.exec(msg)?.[0];
    expect(url, msg).toBeDefined();
    const path = new URL(url!).pathname;
    const page = await t.service.app.inject({ method: "GET", url: path });
    expect(page.statusCode).toBe(200);
  });
});

describe("the client's data rights (UU PDP)", () => {
  it("shows the client their data, and deletes it after an admin confirms, keeping anonymous statistics", async () => {
    const seen = await say(CLIENT, "data saya");
    expect(seen.join("\n")).toContain("Ni Made Ayu Lestari");
    expect(seen.join("\n")).toContain(regNumber);

    await say(CLIENT, "hapus data saya");
    await say(CLIENT, "ya");
    const db = t.service.database.db;
    const req = await db.dataRequest.findFirstOrThrow({ where: { kind: "deletion" } });
    expect(req.status).toBe("requested");
    // Nothing is deleted before the admin decides.
    expect((await db.client.findUniqueOrThrow({ where: { id: req.clientId } })).fullName).toBe("Ni Made Ayu Lestari");
    const doc = await db.document.findFirstOrThrow({ where: { clientId: req.clientId, type: "ktp" } });

    await tap(ADMIN, /^dr:.*:confirm$/);
    const client = await db.client.findUniqueOrThrow({ where: { id: req.clientId } });
    expect(client.anonymisedAt).not.toBeNull();
    expect(client.fullName).not.toContain("Ayu");
    expect(client.nikCipher).toBeNull();
    expect(client.phone).toBeNull();
    expect(client.kecamatan).not.toBeNull(); // statistics stay
    expect((await db.document.findUniqueOrThrow({ where: { id: doc.id } })).deletedAt).not.toBeNull();
    await expect(t.service.files.sealed(doc.storageKey)).rejects.toThrow();
    expect(await db.consultationCase.count({ where: { clientId: req.clientId } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "client.deleted" } })).toBe(1);
    expect(t.channel.texts(CLIENT).at(-1)).toMatch(/sudah kami hapus/);
  });
});

describe("least privilege", () => {
  it("a client cannot use staff commands or staff buttons", async () => {
    await say(OTHER_CLIENT, "undang admin Penyusup");
    await say(OTHER_CLIENT, `#c:${caseId}:accept`);
    await say(OTHER_CLIENT, `#dr:x:confirm`);
    const db = t.service.database.db;
    expect(await db.staffInvite.count({ where: { name: "Penyusup" } })).toBe(0);
    const identity = await db.identity.findFirstOrThrow({ where: { address: OTHER_CLIENT } });
    expect(identity.staffId).toBeNull();
  });

  it("a consultant cannot invite staff, route cases or change a case they referred on", async () => {
    const out1 = await say(FINANCE, "undang admin Teman Saya");
    expect(out1.join("\n")).toMatch(/bukan untuk peran Anda/);
    expect(await t.service.database.db.staffInvite.count({ where: { name: "Teman Saya" } })).toBe(0);
    const out2 = await say(FINANCE, `#c:${caseId}:route:pembiayaan`);
    expect(out2.join("\n")).toMatch(/bukan untuk peran Anda/);
    // The referring consultant keeps read-only access to the case they referred on.
    const out3 = await say(FINANCE, `buka ${regNumber}`);
    expect(out3.join("\n")).toMatch(/bisa dibaca, tidak diubah/);
    const out4 = await say(FINANCE, `#c:${caseId}:diagnosis`);
    expect(out4.join("\n")).toMatch(/bukan kasus Anda/);
  });

  it("an admin can share a case with another consultant, who may read it but not change it", async () => {
    await linkStaff(OTHER_CONSULTANT, "consultant", "Putu Produksi", ["produksi"]);
    expect((await say(OTHER_CONSULTANT, `buka ${regNumber}`)).join("\n")).toMatch(/bukan kasus Anda/);
    await say(ADMIN, `bagikan ${regNumber} putu`);
    expect(t.channel.texts(OTHER_CONSULTANT).at(-1)).toContain(regNumber);
    const opened = (await say(OTHER_CONSULTANT, `buka ${regNumber}`)).join("\n");
    expect(opened).toContain(regNumber);
    expect(opened).toMatch(/dibagikan/);
    expect((await say(OTHER_CONSULTANT, `#c:${caseId}:diagnosis`)).join("\n")).toMatch(/bukan kasus Anda/);
    expect(await t.service.database.db.auditLog.count({ where: { action: "case.share" } })).toBe(1);
  });

  it("an invitation code works once, and never for a second person", async () => {
    const { code } = await t.service.database.db.$transaction((tx) => createInvite(tx, { role: "admin", name: "Sekali Pakai", areas: [], createdById: null, now: t.clock.now() }));
    await say("staff-new", code);
    const out = await say("someone-else", code);
    expect(out.join("\n")).toMatch(/sudah dipakai/);
    const other = await t.service.database.db.identity.findFirstOrThrow({ where: { address: "someone-else" } });
    expect(other.staffId).toBeNull();
  });
});
