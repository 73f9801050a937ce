import fastifyCookie from "@fastify/cookie";
import fastifyPlugin from "fastify-plugin";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { sha256 } from "../../src/security/crypto.js";
import { createLoginLink, LoginLinkError } from "../../src/http/dashboard/index.js";
import { NOW, seedKnownOffice, type KnownOffice } from "../reports/fixture.js";
import { SECRET, cookieFrom, csrfFrom, dashboardApp, form, signIn, tokenOf, type DashboardHarness } from "./helpers.js";

let database: TestDatabase;
let office: KnownOffice;
let h: DashboardHarness;

const FORM = { "content-type": "application/x-www-form-urlencoded" };
/** A sign-in form posted from the dashboard's own page (login-origin.test.ts tests the refusals). */
const SIGN_IN = { ...FORM, origin: "http://127.0.0.1:3000" };

beforeAll(async () => {
  database = await createTestDatabase();
  office = await seedKnownOffice(database.db);
  h = await dashboardApp(database);
});
afterAll(async () => {
  await h.close();
  await database.destroy();
});

describe("sign-in by a one-time link", () => {
  it("without a session every page redirects to the page that explains how to get a link", async () => {
    for (const url of ["/staff", "/staff/cases", `/staff/cases/${office.cases.c2}`, "/staff/cases.csv", "/staff/team"]) {
      const res = await h.app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toBe("/staff/login");
    }
    const help = await h.app.inject({ method: "GET", url: "/staff/login" });
    expect(help.statusCode).toBe(200);
    expect(help.body).toContain("Ketik /dashboard.");
    const post = await h.app.inject({ method: "POST", url: "/staff/logout", payload: form({ _csrf: "x" }), headers: FORM });
    expect(post.statusCode).toBe(403);
  });

  it("the link stores only a hash, opens a confirmation page (a link preview cannot use it up), and the POST signs in", async () => {
    const link = await createLoginLink(database.db, office.staff.admin, h.clock.now(), "http://127.0.0.1:3000/");
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/staff\/login\/[A-Za-z0-9_-]{32}$/);
    const token = tokenOf(link);
    const row = await database.db.loginLink.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    expect(row.expiresAt.getTime() - NOW.getTime()).toBe(15 * 60_000);

    for (let i = 0; i < 2; i++) {
      const confirm = await h.app.inject({ method: "GET", url: `/staff/login/${token}` });
      expect(confirm.statusCode).toBe(200);
      expect(confirm.body).toContain("Masuk sebagai Ayu Admin?");
    }
    const res = await h.app.inject({ method: "POST", url: "/staff/login", payload: form({ token }), headers: SIGN_IN });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/staff");
    const setCookie = String(res.headers["set-cookie"]);
    expect(setCookie).toMatch(/^plut_staff=/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/staff");
    expect(setCookie).not.toContain("Secure"); // http here; https publicUrl makes it Secure
    const cookie = cookieFrom(res.headers["set-cookie"]);
    const value = decodeURIComponent(cookie.split("=")[1]!);
    const unsigned = fastifyCookie.unsign(value, SECRET);
    expect(unsigned.valid).toBe(true);
    const session = await database.db.webSession.findUniqueOrThrow({ where: { tokenHash: sha256(unsigned.value!) } });
    expect(session.staffId).toBe(office.staff.admin);

    const page = await h.app.inject({ method: "GET", url: "/staff", headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Ringkasan layanan");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.headers["cache-control"]).toContain("no-store");
    expect(page.body).not.toContain("<script");

    // Single use.
    const again = await h.app.inject({ method: "POST", url: "/staff/login", payload: form({ token }), headers: SIGN_IN });
    // (A sign-in form posted from another site is refused before the token is looked at.)
    const foreign = await h.app.inject({ method: "POST", url: "/staff/login", payload: form({ token }), headers: { ...FORM, origin: "https://evil.example" } });
    expect(foreign.statusCode).toBe(403);
    expect(again.statusCode).toBe(400);
    expect(again.headers["set-cookie"]).toBeUndefined();
    expect((await h.app.inject({ method: "GET", url: `/staff/login/${token}` })).statusCode).toBe(400);
    const audit = await database.db.auditLog.count({ where: { action: "dashboard.login", actorId: office.staff.admin } });
    expect(audit).toBe(1);
  });

  it("an expired link is refused", async () => {
    const link = await createLoginLink(database.db, office.staff.head, h.clock.now(), "http://127.0.0.1:3000");
    h.clock.advance(15 * 60_000 + 1000);
    try {
      const token = tokenOf(link);
      expect((await h.app.inject({ method: "GET", url: `/staff/login/${token}` })).statusCode).toBe(400);
      const res = await h.app.inject({ method: "POST", url: "/staff/login", payload: form({ token }), headers: SIGN_IN });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain("sudah kedaluwarsa");
    } finally {
      h.clock.set(NOW);
    }
  });

  it("no link for an unknown or inactive staff member; an unknown token is refused", async () => {
    await expect(createLoginLink(database.db, "nobody", NOW, "http://x")).rejects.toBeInstanceOf(LoginLinkError);
    expect((await h.app.inject({ method: "GET", url: "/staff/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })).statusCode).toBe(400);
  });

  it("a tampered or unsigned cookie is no session; a session ends when it expires", async () => {
    const { cookie } = await signIn(h, database, office.staff.head);
    const raw = decodeURIComponent(cookie.split("=")[1]!);
    const bare = raw.slice(0, raw.lastIndexOf("."));
    for (const bad of [`plut_staff=${encodeURIComponent(bare)}`, `plut_staff=${encodeURIComponent(`${bare}.AAAA`)}`]) {
      expect((await h.app.inject({ method: "GET", url: "/staff", headers: { cookie: bad } })).statusCode).toBe(302);
    }
    h.clock.advance(12 * 3_600_000 + 1);
    try {
      expect((await h.app.inject({ method: "GET", url: "/staff", headers: { cookie } })).statusCode).toBe(302);
    } finally {
      h.clock.set(NOW);
    }
  });

  it("sign-in attempts are rate-limited per IP (10 a minute, then 429)", async () => {
    // @fastify/rate-limit counts its window on the system clock: a fixed one here.
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const h = await dashboardApp(database, { loginRateLimit: { max: 10, windowMs: 60_000 } });
    const ip = "203.0.113.9";
    for (let i = 0; i < 10; i++) {
      const r = await h.app.inject({ method: "GET", url: `/staff/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA${i}x`, remoteAddress: ip });
      expect(r.statusCode).toBe(400);
    }
    const blocked = await h.app.inject({ method: "POST", url: "/staff/login", payload: form({ token: "x" }), headers: SIGN_IN, remoteAddress: ip });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers["retry-after"]).toBe("60");
    expect(blocked.body).toContain("<!doctype html>");
    // The page that explains how to get a link is not counted.
    expect((await h.app.inject({ method: "GET", url: "/staff/login", remoteAddress: ip })).statusCode).toBe(200);
    // Another address is not affected; the window passes.
    expect((await h.app.inject({ method: "GET", url: "/staff/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", remoteAddress: "203.0.113.10" })).statusCode).toBe(400);
    vi.setSystemTime(NOW.getTime() + 61_000);
    try {
      expect((await h.app.inject({ method: "GET", url: "/staff/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", remoteAddress: ip })).statusCode).toBe(400);
    } finally {
      vi.useRealTimers();
      await h.close();
    }
  });
});

describe("CSRF on every form", () => {
  it("refuses a POST without or with a wrong token (403), and from another origin", async () => {
    const { cookie, csrf } = await signIn(h, database, office.staff.admin);
    const invite = { name: "Putu Baru", role: "consultant", areas: "digital" };
    for (const payload of [form(invite), form({ ...invite, _csrf: "wrong" }), form({ ...invite, _csrf: `${csrf}x` })]) {
      const r = await h.app.inject({ method: "POST", url: "/staff/team/invites", payload, headers: { ...FORM, cookie } });
      expect(r.statusCode).toBe(403);
      expect(r.body).toContain("token keamanan tidak cocok");
    }
    const cross = await h.app.inject({ method: "POST", url: "/staff/team/invites", payload: form({ ...invite, _csrf: csrf }), headers: { ...FORM, cookie, origin: "https://evil.example" } });
    expect(cross.statusCode).toBe(403);
    expect(await database.db.staffInvite.count()).toBe(0);

    const ok = await h.app.inject({ method: "POST", url: "/staff/team/invites", payload: form({ ...invite, _csrf: csrf }), headers: { ...FORM, cookie, origin: "http://127.0.0.1:3000" } });
    expect(ok.statusCode).toBe(200);
    const code = /id="invite-code">([A-Z0-9-]+)</.exec(ok.body)?.[1];
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const stored = await database.db.staffInvite.findFirstOrThrow();
    expect(stored).toMatchObject({ name: "Putu Baru", role: "consultant", areasJson: '["digital"]', createdById: office.staff.admin, codeHash: sha256(code!) });
    // Shown once: the staff page does not show it again.
    const page = await h.app.inject({ method: "GET", url: "/staff/team", headers: { cookie } });
    expect(page.body).toContain("Putu Baru");
    expect(page.body).not.toContain(code!);

    const revoke = await h.app.inject({ method: "POST", url: `/staff/team/invites/${stored.id}/revoke`, payload: form({ _csrf: csrf }), headers: { ...FORM, cookie } });
    expect(revoke.statusCode).toBe(303);
    expect((await database.db.staffInvite.findUniqueOrThrow({ where: { id: stored.id } })).expiresAt.getTime()).toBe(NOW.getTime());
  });

  it("a consultant's invitation needs an area", async () => {
    const { cookie, csrf } = await signIn(h, database, office.staff.admin);
    const r = await h.app.inject({ method: "POST", url: "/staff/team/invites", payload: form({ name: "Tanpa Bidang", role: "consultant", _csrf: csrf }), headers: { ...FORM, cookie } });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain("Konsultan perlu paling sedikit satu bidang.");
  });

  it("logging out needs the token and ends the session", async () => {
    const { cookie, csrf } = await signIn(h, database, office.staff.head);
    expect((await h.app.inject({ method: "POST", url: "/staff/logout", payload: form({ _csrf: "nope" }), headers: { ...FORM, cookie } })).statusCode).toBe(403);
    const out = await h.app.inject({ method: "POST", url: "/staff/logout", payload: form({ _csrf: csrf }), headers: { ...FORM, cookie } });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe("/staff/login?out=1");
    expect((await h.app.inject({ method: "GET", url: "/staff", headers: { cookie } })).statusCode).toBe(302);
  });
});

describe("roles", () => {
  it("a consultant sees their own cases only; another consultant's case is 404; admin pages are 403", async () => {
    const { cookie } = await signIn(h, database, office.staff.c2);
    const list = await h.app.inject({ method: "GET", url: "/staff/cases", headers: { cookie } });
    expect(list.statusCode).toBe(200);
    const regs = [...list.body.matchAll(/PLUT-GIA-2026-\d{6}/g)].map((m) => m[0]);
    expect([...new Set(regs)]).toEqual(["PLUT-GIA-2026-000003", "PLUT-GIA-2026-000004", "PLUT-GIA-2026-000007"]);
    expect((await h.app.inject({ method: "GET", url: `/staff/cases/${office.cases.c3}`, headers: { cookie } })).statusCode).toBe(200);
    // Referred away from them: still theirs to read.
    expect((await h.app.inject({ method: "GET", url: `/staff/cases/${office.cases.c4}`, headers: { cookie } })).statusCode).toBe(200);
    const other = await h.app.inject({ method: "GET", url: `/staff/cases/${office.cases.c2}`, headers: { cookie } });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain("Ni Luh Sari");
    expect((await h.app.inject({ method: "GET", url: "/staff/team", headers: { cookie } })).statusCode).toBe(403);
    expect((await h.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie } })).statusCode).toBe(403);
    const csv = await h.app.inject({ method: "GET", url: "/staff/cases.csv", headers: { cookie } });
    expect(csv.body).not.toContain("PLUT-GIA-2026-000002");
    // The overview is theirs too.
    const overview = await h.app.inject({ method: "GET", url: "/staff?periode=november+2026", headers: { cookie } });
    expect(overview.body).toContain("Ringkasan kasus saya");
  });

  it("the head sees every case", async () => {
    const { cookie } = await signIn(h, database, office.staff.head);
    const page = await h.app.inject({ method: "GET", url: `/staff/cases/${office.cases.c2}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Ni Luh Sari");
    expect(page.body).toContain("NIK ************0001");
    expect(page.body).not.toContain("5104054101900001");
  });
});

describe("documents", () => {
  it("viewing an identity photo decrypts it, is not cached, and writes an audit row; others' documents are 404", async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("fake jpeg of a KTP")]);
    const stored = await h.files.put(bytes, "identity");
    const doc = await database.db.document.create({
      data: { clientId: office.clients.k1, caseId: office.cases.c2, type: "ktp", mimeType: "image/jpeg", size: bytes.length, sha256: stored.sha256, storageKey: stored.storageKey },
    });
    const admin = await signIn(h, database, office.staff.admin);
    const casePage = await h.app.inject({ method: "GET", url: `/staff/cases/${office.cases.c2}`, headers: { cookie: admin.cookie } });
    expect(casePage.body).toContain(`/staff/documents/${doc.id}`);
    expect(await database.db.auditLog.count({ where: { action: "document.view" } })).toBe(0);

    const res = await h.app.inject({ method: "GET", url: `/staff/documents/${doc.id}`, headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("image/jpeg");
    expect(res.headers["cache-control"]).toContain("no-store");
    expect(res.rawPayload.equals(bytes)).toBe(true);
    const audit = await database.db.auditLog.findMany({ where: { action: "document.view" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: "Document", entityId: doc.id, actorType: "staff", actorId: office.staff.admin });

    const other = await signIn(h, database, office.staff.c2);
    expect((await h.app.inject({ method: "GET", url: `/staff/documents/${doc.id}`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    const own = await signIn(h, database, office.staff.c1);
    expect((await h.app.inject({ method: "GET", url: `/staff/documents/${doc.id}`, headers: { cookie: own.cookie } })).statusCode).toBe(200);
    expect(await database.db.auditLog.count({ where: { action: "document.view" } })).toBe(2);
  });
});

describe("pages and exports", () => {
  it("overview, lists and the case page render the figures", async () => {
    const { cookie } = await signIn(h, database, office.staff.admin);
    const get = (url: string) => h.app.inject({ method: "GET", url, headers: { cookie } });
    const overview = await get("/staff?periode=november+2026");
    expect(overview.body).toContain("Periode: November 2026");
    expect(overview.body).toContain("<svg");
    expect(overview.body).toContain("/staff/cases?area=pemasaran");
    const bad = await get("/staff?periode=kapan+saja");
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain("Maaf, periodenya tidak terbaca.");

    const c3 = await get(`/staff/cases/${office.cases.c3}`);
    expect(c3.body).toContain("PLUT-GIA-2026-000003");
    expect(c3.body).toContain("melewati standar"); // step 4: 30 of 20 minutes
    expect(c3.body).toContain("menunggu pengguna jasa 8 hr 23 j"); // step 6 waited 10 Nov 02:57 to 19 Nov 02:00

    const c2 = await get(`/staff/cases/${office.cases.c2}`);
    expect(c2.body).toContain('<span class="badge">menunggu pengguna jasa</span>'); // step 6 waits on the client

    const late = await get("/staff/late");
    expect(late.body).toContain("Terlambat sekarang: 4 kasus");
    const load = await get("/staff/consultants");
    expect(load.body).toContain("Hitung ulang harga pokok");
    const search = await get("/staff/search?q=5104054101900001");
    expect(search.body).toContain("************0001");
    expect(search.body).not.toContain(">5104054101900001<");
    const filtered = await get("/staff/cases?status=closed");
    expect([...new Set([...filtered.body.matchAll(/PLUT-GIA-2026-\d{6}/g)].map((m) => m[0]))]).toEqual(["PLUT-GIA-2026-000003", "PLUT-GIA-2026-000007"]);
  });

  it("exports lists to CSV and XLSX with the same filters", async () => {
    const { cookie } = await signIn(h, database, office.staff.admin);
    const csv = await h.app.inject({ method: "GET", url: "/staff/cases.csv?area=pemasaran", headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="kasus-2026-11-28.csv"');
    const lines = csv.body.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe("No. registrasi,Pengguna jasa,Usaha,Sektor,Kecamatan,Tahap,Tahap / status,Bidang,Konsultan,Saluran,Didaftarkan,Selesai");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["PLUT-GIA-2026-000008", "PLUT-GIA-2026-000002", "PLUT-GIA-2026-000004", "PLUT-GIA-2026-000001"]);
    expect(lines[1]).toContain("I Made Budi,Toko Budi,Perdagangan,Sukawati,4,konsultasi,Pemasaran,Made Pemasaran,telegram,2026-11-22 10:00,");

    const xlsx = await h.app.inject({ method: "GET", url: "/staff/cases.xlsx?status=closed", headers: { cookie } });
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(2).getCell(1).value).toBe("PLUT-GIA-2026-000003");

    const area = await h.app.inject({ method: "GET", url: "/staff/report/area.csv?periode=november+2026", headers: { cookie } });
    expect(area.body.replace(/^\uFEFF/, "").split("\r\n").slice(0, 3)).toEqual(["Uraian,Jumlah,Persentase", "Pemasaran,3,0.5", "Pembiayaan,1,0.16666666666666666"]);
    const sla = await h.app.inject({ method: "GET", url: "/staff/report/sla.csv?periode=november+2026", headers: { cookie } });
    expect(sla.body).toContain("3,Asesmen awal dan rujukan,15,4,12.5,18.5,0.75");
    const pdf = await h.app.inject({ method: "GET", url: "/staff/report.pdf?periode=november+2026", headers: { cookie } });
    expect(pdf.rawPayload.subarray(0, 4).toString("latin1")).toBe("%PDF");
    const team = await h.app.inject({ method: "GET", url: "/staff/team.csv", headers: { cookie } });
    expect(team.body).toContain("Made Pemasaran,Konsultan,Pemasaran");
    for (const url of ["/staff/late.csv", "/staff/consultants.xlsx", "/staff/report.xlsx", "/staff/report/skm.xlsx"]) {
      expect((await h.app.inject({ method: "GET", url, headers: { cookie } })).statusCode, url).toBe(200);
    }
    expect((await h.app.inject({ method: "GET", url: "/staff/report/nope.csv", headers: { cookie } })).statusCode).toBe(404);
  });
});

describe("WhatsApp pairing page", () => {
  it("shows the QR as SVG, or the pairing code, or that WhatsApp is off", async () => {
    let status: { state: string; qr?: string; pairingCode?: string; updatedAt: Date } = { state: "qr", qr: "2@abc,def,ghi", updatedAt: NOW };
    const wa = await dashboardApp(database, { whatsapp: { status: () => status } });
    try {
      const { cookie } = await signIn(wa, database, office.staff.admin);
      const qr = await wa.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie } });
      expect(qr.body).toMatch(/<div class="qr"><svg[^>]*viewBox/);
      expect(qr.body).toContain('http-equiv="refresh"');
      status = { state: "connecting", pairingCode: "ABCD-1234", updatedAt: NOW };
      expect((await wa.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie } })).body).toContain("ABCD-1234");
      status = { state: "open", updatedAt: NOW };
      const open = await wa.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie } });
      expect(open.body).toContain("Tersambung");
      expect(open.body).not.toContain('http-equiv="refresh"');
    } finally {
      await wa.close();
    }
    const { cookie } = await signIn(h, database, office.staff.admin);
    expect((await h.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie } })).body).toContain("WHATSAPP_ENABLED=false");
  });
});

describe("input each route declares", () => {
  it("a query, form or path of another shape is a 400 page with a short message, never a 500", async () => {
    const { cookie, csrf } = await signIn(h, database, office.staff.admin);
    const get = (url: string) => h.app.inject({ method: "GET", url, headers: { cookie } });
    for (const url of [
      "/staff/cases?status=nonsense",
      "/staff/cases?page=abc",
      "/staff/cases?page=0",
      "/staff/cases?area=Not%20an%20area",
      "/staff/cases.csv?open=maybe",
      "/staff/search?q=a&q=b",
      `/staff/cases/${"x".repeat(65)}`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain("Mohon periksa isian Anda lalu coba lagi.");
      // Signed in: the page keeps its navigation.
      expect(res.body, url).toContain('href="/staff/cases"');
    }
    // What the pages themselves send is accepted: empty filters ("all"), links with a page number.
    expect((await get("/staff/cases?q=&status=&area=&consultant=&open=")).statusCode).toBe(200);
    expect((await get("/staff/cases?open=1&unassigned=1&page=2")).statusCode).toBe(200);

    const invite = await h.app.inject({
      method: "POST",
      url: "/staff/team/invites",
      payload: form({ name: "Putu Bidang", role: "consultant", areas: ["pemasaran", "Bukan Bidang!"], _csrf: csrf }),
      headers: { ...FORM, cookie },
    });
    expect(invite.statusCode).toBe(400);
    expect(await database.db.staffInvite.count({ where: { name: "Putu Bidang" } })).toBe(0);
  });

  it("signed out, the way to sign in comes before any check of the input", async () => {
    const res = await h.app.inject({ method: "GET", url: "/staff/cases?status=nonsense" });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe("/staff/login");
  });
});

describe("security headers (@fastify/helmet)", () => {
  it("HTML pages allow their own stylesheet by its hash and nothing else; documents carry no CSP", async () => {
    const { CSS } = await import("../../src/http/dashboard/html.js");
    const hash = (await import("node:crypto")).createHash("sha256").update(CSS).digest("base64");
    const { cookie } = await signIn(h, database, office.staff.admin);
    for (const res of [await h.app.inject({ method: "GET", url: "/staff", headers: { cookie } }), await h.app.inject({ method: "GET", url: "/staff/login" })]) {
      const csp = String(res.headers["content-security-policy"]);
      expect(csp.split(";").sort()).toEqual(
        ["default-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", `style-src 'sha256-${hash}'`, "img-src 'self' data:", "form-action 'self'"].sort(),
      );
      expect(csp).not.toContain("unsafe-inline");
      expect(res.body).toContain(`<style>${CSS}</style>`);
      expect(res.body).not.toContain("<script");
      expect(res.headers).toMatchObject({
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        "cross-origin-opener-policy": "same-origin",
        "cache-control": "no-store, private",
      });
      // Plain http here: no HSTS (the https app below has it).
      expect(res.headers["strict-transport-security"]).toBeUndefined();
    }
    const bytes = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.from("laporan")]);
    const stored = await h.files.put(bytes, "identity");
    const doc = await database.db.document.create({
      data: { clientId: office.clients.k1, caseId: office.cases.c2, type: "deed", mimeType: "application/pdf", size: bytes.length, sha256: stored.sha256, storageKey: stored.storageKey },
    });
    const pdf = await h.app.inject({ method: "GET", url: `/staff/documents/${doc.id}`, headers: { cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-security-policy"]).toBeUndefined();
    expect(pdf.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("WhatsApp relink", () => {
  it("an admin relinks from the page (audited), the page then shows the halt or the fresh QR; the head may not", async () => {
    let status: { state: string; qr?: string; updatedAt: Date } = { state: "logged_out", updatedAt: NOW };
    let relinks = 0;
    const wa = await dashboardApp(database, {
      whatsapp: {
        status: () => status,
        relink: async () => {
          relinks += 1;
          status = { state: "qr", qr: "2@fresh,def,ghi", updatedAt: NOW };
        },
      },
    });
    try {
      const admin = await signIn(wa, database, office.staff.admin);
      const halted = await wa.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie: admin.cookie } });
      expect(halted.body).toContain("Perangkat ini dikeluarkan dari Perangkat tertaut");
      expect(halted.body).toContain('action="/staff/whatsapp/relink"');
      const post = await wa.app.inject({ method: "POST", url: "/staff/whatsapp/relink", payload: form({ _csrf: admin.csrf }), headers: { ...FORM, cookie: admin.cookie } });
      expect(post.statusCode).toBe(303);
      expect(post.headers.location).toBe("/staff/whatsapp");
      expect(relinks).toBe(1);
      const audit = await database.db.auditLog.findMany({ where: { action: "whatsapp.relink" } });
      expect(audit.map((a) => a.actorId)).toEqual([office.staff.admin]);
      expect((await wa.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie: admin.cookie } })).body).toMatch(/<div class="qr"><svg/);
      // Without the session's CSRF token nothing happens.
      const forged = await wa.app.inject({ method: "POST", url: "/staff/whatsapp/relink", payload: form({ _csrf: "x" }), headers: { ...FORM, cookie: admin.cookie } });
      expect(forged.statusCode).toBeGreaterThanOrEqual(400);
      expect(relinks).toBe(1);

      const head = await signIn(wa, database, office.staff.head);
      const page = await wa.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie: head.cookie } });
      expect(page.body).not.toContain('action="/staff/whatsapp/relink"');
      const denied = await wa.app.inject({ method: "POST", url: "/staff/whatsapp/relink", payload: form({ _csrf: head.csrf }), headers: { ...FORM, cookie: head.cookie } });
      expect(denied.statusCode).toBe(403);
      expect(relinks).toBe(1);

      // On standby (another server holds the login) the page says so and offers no relink here.
      status = { state: "standby", updatedAt: NOW };
      const standby = await wa.app.inject({ method: "GET", url: "/staff/whatsapp", headers: { cookie: admin.cookie } });
      expect(standby.body).toContain("Siaga: server kantor yang lain memegang login WhatsApp");
      expect(standby.body).not.toContain('action="/staff/whatsapp/relink"');
    } finally {
      await wa.close();
    }
  });
});

describe("csrf helper", () => {
  it("every page carries the session's token in its forms", async () => {
    const { cookie, csrf } = await signIn(h, database, office.staff.admin);
    const page = await h.app.inject({ method: "GET", url: "/staff/team", headers: { cookie } });
    expect(csrfFrom(page.body)).toBe(csrf);
  });
});

describe("living beside other plugins", () => {
  it("works when the app already has @fastify/cookie (another secret) and formbody; https makes the cookie Secure", async () => {
    const { buildApp } = await import("../../src/http/app.js");
    const { createLogger } = await import("../../src/logging/logger.js");
    const { dashboardPlugin } = await import("../../src/http/dashboard/plugin.js");
    const fastifyFormbody = (await import("@fastify/formbody")).default;
    const { FileStore } = await import("../../src/storage/file-store.js");
    const { dashboardTexts, KEY, TZ } = await import("../reports/fixture.js");
    const texts = dashboardTexts();
    const app = await buildApp({
      db: database.db,
      provider: database.provider,
      logger: createLogger({ level: "silent" }),
      plugins: [
        // Registered on the app itself (not in a scope of its own), as another area might.
        fastifyPlugin(async (root) => {
          await root.register(fastifyCookie, { secret: "another-secret-of-the-web-chat-0123456789" });
          await root.register(fastifyFormbody);
        }),
        dashboardPlugin({ db: database.db, files: new FileStore(h.dir, KEY), texts: () => texts, clock: h.clock, sessionSecret: SECRET, publicUrl: "https://plut.example", tz: TZ }),
      ],
    });
    try {
      const link = await createLoginLink(database.db, office.staff.admin, h.clock.now(), "https://plut.example");
      const res = await app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link) }), headers: { ...FORM, origin: "https://plut.example" } });
      expect(res.statusCode).toBe(303);
      expect(String(res.headers["set-cookie"])).toContain("Secure");
      expect(res.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
      const cookie = cookieFrom(res.headers["set-cookie"]);
      expect((await app.inject({ method: "GET", url: "/staff", headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
