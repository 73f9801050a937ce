/**
 * The dashboard's announcement pages over HTTP (issue 18): only an admin composes and confirms; the
 * compose form (multipart, with a PDF stored encrypted) leads to the check page with the count per
 * channel, and only the confirm sends; every refusal is shown with its reason (an empty audience, a
 * closing date in the past, a file of another type or too large, a quota below the RSVPs taken, a
 * second confirmation); the progress page refreshes itself while messages wait; attendance is
 * recorded (audited) and exported as XLSX, read back with exceljs.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rsvp } from "../../src/domain/announcements/announcements.js";
import { readTextsDir } from "../../src/scheduler/texts.js";
import { UNCERTAIN } from "../../src/outbox/store.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import * as s from "../scheduler/support.js";
import { dashboardApp, form, signIn, type DashboardHarness } from "./helpers.js";

const ORIGIN = { origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" };
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const MAX_BYTES = 64 * 1024;

let database: TestDatabase;
let h: DashboardHarness;
let admin: { cookie: string; csrf: string };
let head: { cookie: string; csrf: string };
let consultant: { cookie: string; csrf: string };
const people: Record<string, string> = {};

/** A multipart body as a browser sends the compose form. */
function multipart(fields: Record<string, string | string[]>, file?: { name: string; bytes: Buffer; type: string }) {
  const boundary = "----plutTestBoundary7MA4YWxkTrZu0gW";
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    for (const x of Array.isArray(v) ? v : [v]) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${x}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { "content-type": `multipart/form-data; boundary=${boundary}`, ...ORIGIN } };
}

const base = (who: { csrf: string }, extra: Record<string, string | string[]> = {}) => ({
  _csrf: who.csrf,
  title: "Pelatihan foto produk",
  text: "Halo! Kami mengadakan pelatihan foto produk untuk UMKM kuliner.\nGratis, tempat terbatas.",
  ...extra,
});

async function compose(who: { cookie: string; csrf: string }, fields: Record<string, string | string[]>, file?: { name: string; bytes: Buffer; type: string }) {
  const m = multipart(fields, file);
  return h.app.inject({ method: "POST", url: "/staff/announcements", payload: m.payload, headers: { ...m.headers, cookie: who.cookie } });
}

const post = (who: { cookie: string; csrf: string }, url: string, values: Record<string, string> = {}) =>
  h.app.inject({ method: "POST", url, payload: form({ _csrf: who.csrf, ...values }), headers: { "content-type": "application/x-www-form-urlencoded", cookie: who.cookie, ...ORIGIN } });
const get = (who: { cookie: string }, url: string) => h.app.inject({ method: "GET", url, headers: { cookie: who.cookie } });

/** Paragraph text of a page, tags removed, entities of the escaper undone. */
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");

async function person(name: string, o: { sector?: string; kecamatan?: string; channel?: string; optedOut?: boolean; caseStatus?: "open" | "closed"; area?: string }) {
  const c = await s.client(database.db, { name, channel: o.channel ?? "telegram" });
  await database.db.client.update({ where: { id: c.client.id }, data: { kecamatan: o.kecamatan ?? "510405", announcementsOn: !o.optedOut } });
  if (o.sector) await database.db.business.create({ data: { clientId: c.client.id, name: `Usaha ${name}`, sector: o.sector, products: "-", legalForm: "perorangan" } });
  if (o.caseStatus) {
    const k = await s.consultationCase(database.db, { clientId: c.client.id, status: o.caseStatus === "open" ? "in_consultation" : "closed", step: o.caseStatus === "open" ? 4 : 10 });
    await database.db.consultationCase.update({ where: { id: k.id }, data: { areaCode: o.area ?? "pemasaran", ...(o.caseStatus === "closed" ? { closedAt: new Date("2026-10-01T02:00:00Z") } : {}) } });
  }
  people[name] = c.client.id;
  return c.client.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const a = await s.staff(db, { role: "admin", name: "Ni Luh Admin" });
  const hd = await s.staff(db, { role: "head", name: "Pak Kepala" });
  const c = await s.staff(db, { role: "consultant", name: "Bu Komang" });
  await person("Made Sukerta", { sector: "kuliner", kecamatan: "510405", channel: "telegram", caseStatus: "open", area: "pemasaran" });
  await person("Wayan Sari", { sector: "kuliner", kecamatan: "510403", channel: "whatsapp", caseStatus: "closed", area: "produksi" });
  await person("Nyoman Adi", { sector: "kuliner", kecamatan: "510405", channel: "telegram", optedOut: true });
  await person("Ketut Rai", { sector: "kerajinan", kecamatan: "510401", channel: "web" });
  const texts = readTextsDir("conversations");
  h = await dashboardApp(database, { texts: () => texts, maxUploadBytes: MAX_BYTES });
  admin = await signIn(h, database, a.staff.id);
  head = await signIn(h, database, hd.staff.id);
  consultant = await signIn(h, database, c.staff.id);
}, 60_000);

afterAll(async () => {
  await h?.close();
  await database?.destroy();
});

describe("who may use the announcement pages", () => {
  it("a consultant gets 403 on every page; the head reads but does not compose", async () => {
    expect((await get(consultant, "/staff/announcements")).statusCode).toBe(403);
    expect((await get(consultant, "/staff/announcements/new")).statusCode).toBe(403);
    expect((await compose(consultant, base(consultant, { sectors: "kuliner" }))).statusCode).toBe(403);
    const list = await get(head, "/staff/announcements");
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('id="announcement-new"');
    expect((await get(head, "/staff/announcements/new")).statusCode).toBe(403);
    expect((await compose(head, base(head, { sectors: "kuliner" }))).statusCode).toBe(403);
    expect(await database.db.announcement.count()).toBe(0);
  });

  it("a POST without the session's CSRF token, or from another site, is refused", async () => {
    const noToken = multipart({ title: "Tanpa token", text: "isi" });
    expect((await h.app.inject({ method: "POST", url: "/staff/announcements", payload: noToken.payload, headers: { ...noToken.headers, cookie: admin.cookie } })).statusCode).toBe(403);
    const foreign = multipart(base(admin));
    const r = await h.app.inject({ method: "POST", url: "/staff/announcements", payload: foreign.payload, headers: { ...foreign.headers, origin: "https://evil.example", cookie: admin.cookie } });
    expect(r.statusCode).toBe(403);
    const signedOut = multipart(base(admin));
    expect((await h.app.inject({ method: "POST", url: "/staff/announcements", payload: signedOut.payload, headers: signedOut.headers })).statusCode).toBe(403);
    expect(await database.db.announcement.count()).toBe(0);
  });
});

describe("composing, counting and confirming", () => {
  it("the form offers sectors, kecamatan, areas and case status by name", async () => {
    const r = await get(admin, "/staff/announcements/new");
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('enctype="multipart/form-data"');
    const t = text(r.body);
    expect(t).toContain("Kuliner (makanan & minuman)");
    expect(t).toContain("Ubud");
    expect(t).toContain("Belum pernah konsultasi");
    expect(t).toContain("paling besar 0,1 MB");
  });

  it("refuses with the reason: an empty audience, a closing date in the past, a file of another type or too large, an RSVP without its quota", async () => {
    const empty = await compose(admin, base(admin, { sectors: "pariwisata" }));
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain("Tidak ada penerima yang cocok dengan pilihan ini");
    // What was typed stays on the form.
    expect(empty.body).toContain('value="Pelatihan foto produk"');
    expect(empty.body).toMatch(/value="pariwisata" checked/);

    const past = await compose(admin, base(admin, { sectors: "kuliner", rsvp: "1", quota: "20", closesAt: "2026-11-27T09:00" }));
    expect(past.statusCode).toBe(400);
    expect(text(past.body)).toContain("Batas pendaftaran sudah lewat");

    const noQuota = await compose(admin, base(admin, { sectors: "kuliner", rsvp: "1", closesAt: "2026-12-10T09:00" }));
    expect(noQuota.statusCode).toBe(400);
    expect(text(noQuota.body)).toContain("isi kuota");

    const wrongType = await compose(admin, base(admin, { sectors: "kuliner" }), { name: "undangan.docx", bytes: Buffer.from("PK\u0003\u0004 not a pdf"), type: "application/pdf" });
    expect(wrongType.statusCode).toBe(400);
    expect(text(wrongType.body)).toContain("Lampiran harus berupa foto (JPG, PNG, WEBP) atau PDF");

    const big = Buffer.concat([PDF, Buffer.alloc(MAX_BYTES + 10, 32)]);
    const tooBig = await compose(admin, base(admin, { sectors: "kuliner" }), { name: "besar.pdf", bytes: big, type: "application/pdf" });
    expect(tooBig.statusCode).toBe(400);
    expect(text(tooBig.body)).toContain("Lampiran terlalu besar: paling besar 0,1 MB");

    const badDate = await compose(admin, base(admin, { sectors: "kuliner", eventAt: "besok pagi" }));
    expect(badDate.statusCode).toBe(400);
    expect(text(badDate.body)).toContain("tidak terbaca");

    expect(await database.db.announcement.count()).toBe(0);
    // No file was kept for a refused draft.
    const stored = path.join(h.dir, "documents");
    expect(fs.existsSync(stored) ? fs.readdirSync(stored, { recursive: true }).filter((f) => !fs.statSync(path.join(stored, String(f))).isDirectory()) : []).toEqual([]);
  });

  let id = "";

  it("a draft with a PDF shows how many people on which channel before anything is sent", async () => {
    const r = await compose(admin, base(admin, { sectors: "kuliner", rsvp: "1", quota: "2", closesAt: "2026-12-10T09:00", eventAt: "2026-12-12T09:00" }), { name: "undangan.pdf", bytes: PDF, type: "application/pdf" });
    expect(r.statusCode).toBe(303);
    id = /\/staff\/announcements\/([^/]+)$/.exec(String(r.headers.location))![1]!;
    const a = await database.db.announcement.findUniqueOrThrow({ where: { id } });
    expect(a.status).toBe("draft");
    expect(a.attachmentMime).toBe("application/pdf");
    expect(a.attachmentName).toBe("undangan.pdf");
    // Stored encrypted through the file store: readable with the key, not on disk in clear.
    expect((await h.files.get(a.attachmentKey!)).equals(PDF)).toBe(true);
    expect(fs.readFileSync(path.join(h.dir, a.attachmentKey!)).includes("%PDF")).toBe(false);
    // 12 December 2026 09:00 WITA.
    expect(a.eventAt?.toISOString()).toBe("2026-12-12T01:00:00.000Z");
    expect(a.rsvpClosesAt?.toISOString()).toBe("2026-12-10T01:00:00.000Z");

    const page = await get(admin, `/staff/announcements/${id}`);
    expect(page.statusCode).toBe(200);
    const t = text(page.body);
    expect(t).toContain("Pengumuman ini akan dikirim ke 2 orang.");
    expect(page.body).toMatch(/data-channel="telegram"><td>Telegram<\/td><td class="num">1</);
    expect(page.body).toMatch(/data-channel="whatsapp"><td>WhatsApp<\/td><td class="num">1</);
    expect(t).toContain("1 orang yang cocok memilih tidak menerima info");
    expect(t).toContain("Sektor usaha: Kuliner (makanan & minuman)");
    expect(t).toContain("undangan.pdf");
    expect(page.body).toContain('id="announcement-confirm"');
    // Nothing is sent before the confirm.
    expect(await database.db.announcementRecipient.count({ where: { announcementId: id } })).toBe(0);
    expect(await database.db.reminder.count()).toBe(0);
    // The head sees the check page without the button.
    const asHead = await get(head, `/staff/announcements/${id}`);
    expect(asHead.statusCode).toBe(200);
    expect(asHead.body).not.toContain('id="announcement-confirm"');
    expect((await post(head, `/staff/announcements/${id}/confirm`)).statusCode).toBe(403);
  });

  it("confirming sends it once; the progress page refreshes while messages wait; a second confirm is refused with the reason", async () => {
    const r = await post(admin, `/staff/announcements/${id}/confirm`);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/staff/announcements/${id}`);
    expect(await database.db.announcementRecipient.count({ where: { announcementId: id } })).toBe(3);
    expect(await database.db.reminder.count({ where: { refId: id, kind: "announcement" } })).toBe(2);
    const page = await get(admin, `/staff/announcements/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<meta http-equiv="refresh" content="5">');
    expect(page.body).toMatch(/id="p-recipients"><div class="n">3</);
    expect(page.body).toMatch(/id="p-pending"><div class="n">2</);
    expect(page.body).toMatch(/id="p-skipped"><div class="n">1</);
    expect(page.body).toMatch(/id="p-sent"><div class="n">0</);

    const again = await post(admin, `/staff/announcements/${id}/confirm`);
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain("Pengumuman ini sudah dikirim sebelumnya, jadi tidak dikirim lagi.");
    expect(await database.db.reminder.count({ where: { refId: id, kind: "announcement" } })).toBe(2);
    const list = text((await get(admin, "/staff/announcements")).body);
    expect(list).toContain("Pelatihan foto produk");
    expect(list).toContain("Sedang dikirim");
  });

  it("the quota cannot go below the RSVPs taken (refused with the numbers); above them it is saved", async () => {
    const now = h.clock.now();
    await rsvp(database.db, { announcementId: id, clientId: people["Made Sukerta"]!, answer: "yes", now });
    await rsvp(database.db, { announcementId: id, clientId: people["Wayan Sari"]!, answer: "yes", now });
    const low = await post(admin, `/staff/announcements/${id}/quota`, { quota: "1" });
    expect(low.statusCode).toBe(409);
    expect(text(low.body)).toContain("Kuota tidak bisa 1: sudah 2 orang terdaftar ikut.");
    expect((await database.db.announcement.findUniqueOrThrow({ where: { id } })).rsvpQuota).toBe(2);
    const ok = await post(admin, `/staff/announcements/${id}/quota`, { quota: "5" });
    expect(ok.statusCode).toBe(200);
    expect(text(ok.body)).toContain("Kuota disimpan.");
    expect(ok.body).toMatch(/id="p-yes"><div class="n">2</);
    expect((await database.db.announcement.findUniqueOrThrow({ where: { id } })).rsvpQuota).toBe(5);
    expect((await post(head, `/staff/announcements/${id}/quota`, { quota: "9" })).statusCode).toBe(403);
  });

  it("attendance is ticked per person (audited), refused for someone who is not a recipient, and exported as XLSX", async () => {
    const r = await post(admin, `/staff/announcements/${id}/attendance`, { personId: people["Made Sukerta"]!, attended: "1" });
    expect(r.statusCode).toBe(200);
    expect(text(r.body)).toContain("Kehadiran Made Sukerta dicatat.");
    await post(admin, `/staff/announcements/${id}/attendance`, { personId: people["Wayan Sari"]!, attended: "0" });
    const audit = await database.db.auditLog.findMany({ where: { action: "announcement.attendance", entityId: id } });
    expect(audit).toHaveLength(2);
    expect(audit.every((x) => x.actorId !== null)).toBe(true);

    const stranger = await post(admin, `/staff/announcements/${id}/attendance`, { personId: people["Ketut Rai"]!, attended: "1" });
    expect(stranger.statusCode).toBe(409);
    expect(text(stranger.body)).toContain("Orang itu bukan penerima pengumuman ini.");
    expect((await post(head, `/staff/announcements/${id}/attendance`, { personId: people["Made Sukerta"]!, attended: "0" })).statusCode).toBe(403);

    const list = await get(head, `/staff/announcements/${id}/attendance`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toMatch(new RegExp(`data-person="${people["Made Sukerta"]}"><td>Made Sukerta</td><td>[^<]*</td><td>Hadir</td><td class="attended">Datang</td>`));
    expect(list.body).not.toContain("data-mark"); // the head reads, does not tick

    const progressPage = await get(admin, `/staff/announcements/${id}`);
    expect(progressPage.body).toMatch(/id="p-attended"><div class="n">1</);

    const x = await get(admin, `/staff/announcements/${id}/attendance.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers["content-type"]).toContain("spreadsheetml");
    expect(String(x.headers["content-disposition"])).toMatch(/attachment; filename="daftar-hadir-pelatihan-foto-produk-2026-11-28\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(["No", "Nama", "Saluran", "RSVP", "Datang"]);
    // The channel is known once the sweep sent it (none has run here).
    expect(rows.slice(1)).toEqual([
      [1, "Made Sukerta", "-", "Hadir", "Datang"],
      [2, "Wayan Sari", "-", "Hadir", "Tidak datang"],
    ]);
  });

  it("shows what was sent, and says so when a message was out as the service stopped (not sent again)", async () => {
    await s.sweeper(database).sweep(h.clock.now());
    // The PDF, then the text, to each of the two on Telegram and WhatsApp: all once-only.
    const rows = await database.db.outboxMessage.findMany({ where: { lane: "bulk" } });
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.onceOnly)).toBe(true);
    await database.db.outboxMessage.updateMany({ where: { lane: "bulk" }, data: { status: "sent" } });
    // One person's text was with the channel when the service stopped.
    const queued = await database.db.announcementRecipient.findMany({ where: { announcementId: id, status: "queued" }, orderBy: { id: "asc" } });
    await database.db.outboxMessage.update({ where: { idempotencyKey: queued[1]!.outboxKey! }, data: { status: "failed", lastError: UNCERTAIN } });
    const page = await get(admin, `/staff/announcements/${id}`);
    expect(page.body).toMatch(/id="p-sent"><div class="n">1</);
    expect(page.body).toMatch(/id="p-failed"><div class="n">1</);
    expect(page.body).not.toContain('http-equiv="refresh"');
    expect(text(page.body)).toContain("1 dari yang gagal sedang dikirim saat layanan berhenti: mungkin sudah sampai, jadi tidak dikirim ulang");
    // The list counts what was sent in the database (one query per announcement, not every row read).
    const list = await get(admin, "/staff/announcements");
    expect(list.body).toMatch(new RegExp(`/staff/announcements/${id}"[\\s\\S]*?<td class="num">3</td><td class="num">1</td>`));
  });

  it("an unknown announcement is a 404", async () => {
    expect((await get(admin, "/staff/announcements/nope")).statusCode).toBe(404);
    expect((await post(admin, "/staff/announcements/nope/confirm")).statusCode).toBe(404);
    expect((await get(admin, "/staff/announcements/nope/attendance.xlsx")).statusCode).toBe(404);
  });
});
