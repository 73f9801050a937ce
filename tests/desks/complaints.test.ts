/**
 * Complaints handled in chat, through the service's own door: the admins' notice carries "Jawab" and
 * "Tutup"; "Jawab" makes the complaint being handled and asks for the answer (staff_complaint_answer);
 * the client receives it in their own language with a "resolved" button that closes it. An answer to a
 * complaint that is already answered or closed is refused with its state. Every step is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import type { Outbound } from "../../src/messaging/model.js";
import { startTestService, type TestService } from "../support/service.js";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { cookieFrom, csrfFrom, form, tokenOf } from "../dashboard/helpers.js";
import { createLogger } from "../../src/logging/logger.js";
import { computeOfficeReport } from "../../src/domain/reports/office-report.js";
import { parsePeriod } from "../../src/domain/reports/period.js";
import { calendar } from "../scheduler/support.js";

const silent = createLogger({ level: "silent" });

let t: TestService;

const textOf = (m: Outbound | undefined) => (m?.type === "text" ? m.text : "");
const choicesOf = (m: Outbound | undefined) => (m?.type === "text" ? m.choices ?? [] : []);

async function say(who: string, body: string): Promise<Outbound[]> {
  const before = t.channel.inbox(who).length;
  await t.channel.text(who, body);
  await t.flush();
  return t.channel.inbox(who).slice(before);
}

async function tap(who: string, id: string): Promise<Outbound[]> {
  const before = t.channel.inbox(who).length;
  await t.channel.choice(who, id);
  await t.flush();
  return t.channel.inbox(who).slice(before);
}

async function link(who: string, role: "admin" | "consultant" | "head", name: string): Promise<void> {
  const db = t.service.database.db;
  const { code } = await db.$transaction((tx) => createInvite(tx, { role, name, areas: role === "consultant" ? ["pemasaran"] : [], createdById: null, now: t.clock.now() }));
  await say(who, code);
}

/** A complaint typed by `who` through the complaint flow; returns the admin's notice. */
async function complain(who: string, body: string, admin: string, words = ["saya mau komplain", "lewati", "kirim"]): Promise<Outbound> {
  const before = t.channel.inbox(admin).length;
  await say(who, words[0]!);
  await say(who, body);
  await say(who, words[1]!);
  await say(who, words[2]!);
  const notice = t.channel.inbox(admin).slice(before).find((m) => textOf(m).includes(body));
  if (!notice) throw new Error(`no complaint notice for: ${body}\n${t.channel.texts(who).join("\n---\n")}`);
  return notice;
}

const auditOf = (entityId: string) => t.service.database.db.auditLog.findMany({ where: { entityId, entity: "Complaint" }, orderBy: { seq: "asc" } });

beforeAll(async () => {
  t = await startTestService();
  await link("cmp-admin", "admin", "Ni Luh Admin");
  await link("cmp-admin-2", "admin", "Kadek Admin");
  await link("cmp-consultant", "consultant", "I Wayan Pemasaran");
  await link("cmp-head", "head", "Ibu Kepala UPT");
});
afterAll(async () => t?.close());

describe("complaints answered from chat", () => {
  it("Jawab -> being handled -> the answer reaches the client in their language -> the client closes it", async () => {
    const db = t.service.database.db;
    // The client chose English: the office's answer reaches them in English.
    await db.identity.create({ data: { channel: "web", address: "cmp-client-en", language: "en" } });
    const notice = await complain("cmp-client-en", "Nobody from the office called me back for two weeks.", "cmp-admin", ["I want to complain", "skip", "send"]);
    const row = await db.complaint.findFirstOrThrow({ where: { text: { contains: "two weeks" } } });
    expect(row.status).toBe("new");
    const [answer, close] = choicesOf(notice);
    expect(answer?.label).toBe("Jawab");
    expect(close?.label).toBe("Tutup pengaduan");

    const asked = await tap("cmp-admin", answer!.id);
    expect(textOf(asked[0])).toContain(`Pengaduan #${row.id.slice(-6)}`);
    expect(textOf(asked[0])).toContain("Nobody from the office called me back");
    expect((await db.complaint.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("being_handled");

    // The answer comes two working hours later (09:00 -> 11:00 WITA).
    t.clock.advance(2 * 3600_000);
    const before = t.channel.inbox("cmp-client-en").length;
    const done = await say("cmp-admin", "Mohon maaf. Our consultant will call you tomorrow at 10.");
    expect(textOf(done[0])).toContain("sudah dikirim ke klien");
    const toClient = t.channel.inbox("cmp-client-en").slice(before);
    expect(toClient).toHaveLength(1);
    expect(textOf(toClient[0])).toContain("PLUT-KUMKM Gianyar's answer to your complaint");
    expect(textOf(toClient[0])).toContain("Our consultant will call you tomorrow at 10.");
    const answered = await db.complaint.findUniqueOrThrow({ where: { id: row.id } });
    expect(answered).toMatchObject({ status: "answered", response: "Mohon maaf. Our consultant will call you tomorrow at 10." });
    expect(answered.answeredAt!.getTime()).toBeLessThan(Date.parse("2026-11-24T01:00:00.000Z"));
    expect(answered.answeredById).not.toBeNull();

    // A second admin's old "Jawab" is refused with the state; nothing is asked.
    const second = await tap("cmp-admin-2", choicesOf(t.channel.inbox("cmp-admin-2").find((m) => textOf(m).includes("two weeks")))[0]!.id);
    expect(second.map(textOf)).toEqual([`Pengaduan #${row.id.slice(-6)} tidak bisa dijawab lagi: statusnya sudah dijawab. Kalau klien masih perlu bantuan, hubungi klien langsung.`]);

    const resolved = choicesOf(toClient[0]);
    expect(resolved.map((c) => c.label)).toEqual(["It is solved"]);
    // The client answers the next working day, at 09:00 WITA.
    t.clock.set("2026-11-24T01:00:00.000Z");
    const thanks = await tap("cmp-client-en", resolved[0]!.id);
    expect(thanks.map(textOf)).toEqual(["🙏 Thank you. We have closed your complaint."]);
    const closed = await db.complaint.findUniqueOrThrow({ where: { id: row.id } });
    expect(closed.status).toBe("closed");
    expect(closed.closedAt!.getTime() - Date.parse("2026-11-24T01:00:00.000Z")).toBeLessThan(1000);
    expect(closed.closedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-11-24T01:00:00.000Z"));

    const audit = await auditOf(row.id);
    expect(audit.map((a) => a.action)).toEqual(["complaint.handle", "complaint.answer", "complaint.close"]);

    // The closed complaint: "Jawab" and "Tutup" are refused with its state, the client's button too.
    expect((await tap("cmp-admin", answer!.id)).map(textOf)).toEqual([
      `Pengaduan #${row.id.slice(-6)} tidak bisa dijawab lagi: statusnya sudah ditutup. Kalau klien masih perlu bantuan, hubungi klien langsung.`,
    ]);
    expect((await tap("cmp-admin", close!.id)).map(textOf)).toEqual([`Pengaduan #${row.id.slice(-6)} sudah ditutup.`]);
    expect((await tap("cmp-client-en", resolved[0]!.id)).map(textOf)).toEqual([
      "This complaint is already closed. If something else is wrong, write a new complaint from the menu.",
    ]);
    expect((await auditOf(row.id)).length).toBe(3);
  });

  it("an answer typed after another admin closed the complaint is refused and nothing reaches the client", async () => {
    const db = t.service.database.db;
    const notice = await complain("cmp-client-id", "Konsultan tidak datang ke pertemuan yang sudah dijanjikan.", "cmp-admin");
    const row = await db.complaint.findFirstOrThrow({ where: { text: { contains: "tidak datang" } } });
    const [answer, close] = choicesOf(notice);
    await tap("cmp-admin", answer!.id);
    // Meanwhile the other admin settles it by telephone and closes it.
    const closedBy2 = await tap("cmp-admin-2", close!.id);
    expect(closedBy2.map(textOf)).toEqual([`✅ Pengaduan #${row.id.slice(-6)} ditutup.`]);

    const before = t.channel.inbox("cmp-client-id").length;
    const refused = await say("cmp-admin", "Mohon maaf, kami jadwalkan ulang besok.");
    expect(refused.map(textOf)).toEqual([
      `Pengaduan #${row.id.slice(-6)} tidak bisa dijawab lagi: statusnya sudah ditutup. Kalau klien masih perlu bantuan, hubungi klien langsung.`,
    ]);
    expect(t.channel.inbox("cmp-client-id").slice(before)).toEqual([]);
    const after = await db.complaint.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: "closed", response: null, answeredAt: null });
    expect((await auditOf(row.id)).map((a) => a.action)).toEqual(["complaint.handle", "complaint.close"]);
  });

  it("a consultant cannot answer a complaint", async () => {
    const db = t.service.database.db;
    const notice = await complain("cmp-client-3", "Ruang tunggu kantor panas dan tidak ada kursi.", "cmp-admin");
    const row = await db.complaint.findFirstOrThrow({ where: { text: { contains: "Ruang tunggu" } } });
    const refused = await tap("cmp-consultant", choicesOf(notice)[0]!.id);
    expect(refused).toHaveLength(1);
    expect((await db.complaint.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("new");
  });

  it("a complaint still unanswered after COMPLAINT_DEADLINE_DAYS (3) working days goes to the head; answered and closed ones do not", async () => {
    const db = t.service.database.db;
    const waiting = await db.complaint.findFirstOrThrow({ where: { text: { contains: "Ruang tunggu" } } });
    // Received Tuesday 24 November (09:00 WITA): due by the end of the third working day after, Friday 16:00 WITA.
    const planned = await db.reminder.findMany({ where: { kind: "complaint_overdue" }, orderBy: { dueAt: "asc" } });
    expect(planned).toHaveLength(3);
    const own = planned.find((r) => r.refId === waiting.id)!;
    expect(own.dueAt.toISOString()).toBe("2026-11-27T08:00:00.000Z");

    const sweep = t.service.jobs.find((j) => j.id === "reminders.sweep")!;
    const seen = t.channel.inbox("cmp-head").length;
    t.clock.set("2026-11-27T07:59:00.000Z");
    await sweep.run({ now: t.clock.now(), logger: silent });
    await t.flush();
    expect(t.channel.inbox("cmp-head").slice(seen)).toEqual([]);
    t.clock.set("2026-11-27T08:01:00.000Z");
    await sweep.run({ now: t.clock.now(), logger: silent });
    await t.flush();
    const got = t.channel.inbox("cmp-head").slice(seen).map(textOf);
    expect(got).toHaveLength(1);
    expect(got[0]).toContain(`Pengaduan #${waiting.id.slice(-6)} belum dijawab setelah 3 hari kerja`);
    expect(got[0]).toContain("Ruang tunggu kantor panas");
    // The two others were answered or closed before their deadline: cancelled, not sent.
    const others = await db.reminder.findMany({ where: { kind: "complaint_overdue", refId: { not: waiting.id } } });
    expect(others.map((r) => r.status)).toEqual(["cancelled", "cancelled"]);
  });

  it("the head's report counts the complaints, those answered within the deadline and the median time to answer in working hours", async () => {
    const before = t.channel.inbox("cmp-head").length;
    await say("cmp-head", "laporan bulan ini");
    const got = t.channel.inbox("cmp-head").slice(before).map(textOf).join("\n");
    expect(got).toContain("Pengaduan: 3");
    expect(got).toContain("Pengaduan dijawab dalam batas waktu: 1 dari 3; median waktu menjawab 2 jam kerja.");

    const db = t.service.database.db;
    const p = parsePeriod("november 2026", t.clock.now(), "Asia/Makassar");
    if (!p.ok) throw new Error(p.error);
    const withCalendar = await computeOfficeReport(db, p.period, "Asia/Makassar", { calendar: calendar() });
    expect(withCalendar.totals).toMatchObject({ complaints: 3, complaintsAnsweredInTime: 1, complaintMedianAnswerHours: 2 });
    // Without working time the median is not guessed.
    expect((await computeOfficeReport(db, p.period, "Asia/Makassar")).totals.complaintMedianAnswerHours).toBeNull();
  });
});

describe("complaints answered from the dashboard", () => {
  const signIn = async (name: string) => {
    const db = t.service.database.db;
    const staff = await db.staff.findFirstOrThrow({ where: { name } });
    const link = await createLoginLink(db, staff.id, t.clock.now(), "http://127.0.0.1:3000");
    const login = await t.service.app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link) }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" } });
    return { staff, cookie: cookieFrom(login.headers["set-cookie"]) };
  };
  const post = (url: string, cookie: string, payload: Record<string, string>) =>
    t.service.app.inject({ method: "POST", url, payload: form(payload), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });

  it("lists the complaints; opening one makes it being handled; the answer reaches the client; a second answer is refused with the state", async () => {
    const db = t.service.database.db;
    const app = t.service.app;
    await complain("cmp-client-web", "Formulir di kantor tidak tersedia dalam bahasa Bali.", "cmp-admin");
    const row = await db.complaint.findFirstOrThrow({ where: { text: { contains: "bahasa Bali" } } });
    const { staff, cookie } = await signIn("Kadek Admin");

    const list = await app.inject({ method: "GET", url: "/staff/complaints", headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/staff/complaints/${row.id}"`);
    expect(list.body).toContain("Formulir di kantor tidak tersedia");

    const page = await app.inject({ method: "GET", url: `/staff/complaints/${row.id}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="complaint-answer-form"');
    expect((await db.complaint.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("being_handled");
    const csrf = csrfFrom(page.body);

    // Too short: refused by the form's schema, nothing changes.
    expect((await post(`/staff/complaints/${row.id}/answer`, cookie, { _csrf: csrf, answer: "ok" })).statusCode).toBe(400);

    const before = t.channel.inbox("cmp-client-web").length;
    const sent = await post(`/staff/complaints/${row.id}/answer`, cookie, { _csrf: csrf, answer: "Terima kasih, formulir berbahasa Bali kami siapkan bulan depan." });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain("Jawaban sudah dikirim ke klien");
    expect(sent.body).not.toContain('id="complaint-answer-form"');
    await t.flush();
    const toClient = t.channel.inbox("cmp-client-web").slice(before).map(textOf);
    expect(toClient.join("\n")).toContain("Terima kasih, formulir berbahasa Bali kami siapkan bulan depan.");
    expect(await db.complaint.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "answered", answeredById: staff.id });
    const audit = await db.auditLog.findMany({ where: { entityId: row.id }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([["complaint.handle", staff.id], ["complaint.answer", staff.id]]);

    const again = await post(`/staff/complaints/${row.id}/answer`, cookie, { _csrf: csrf, answer: "Jawaban kedua yang tidak boleh terkirim." });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("tidak bisa dijawab lagi: statusnya sudah dijawab");

    const closed = await post(`/staff/complaints/${row.id}/close`, cookie, { _csrf: csrf });
    expect(closed.statusCode).toBe(200);
    expect(closed.body).toContain("Pengaduan ditutup");
    const late = await post(`/staff/complaints/${row.id}/answer`, cookie, { _csrf: csrf, answer: "Jawaban setelah ditutup, harus ditolak." });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain("statusnya sudah ditutup");
    await t.flush();
    expect(t.channel.inbox("cmp-client-web").slice(before)).toHaveLength(1);
    expect((await db.complaint.findUniqueOrThrow({ where: { id: row.id } })).response).toBe("Terima kasih, formulir berbahasa Bali kami siapkan bulan depan.");
  });

  it("is not for consultants", async () => {
    const { cookie } = await signIn("I Wayan Pemasaran");
    const res = await t.service.app.inject({ method: "GET", url: "/staff/complaints", headers: { cookie } });
    expect(res.statusCode).toBe(403);
  });
});
