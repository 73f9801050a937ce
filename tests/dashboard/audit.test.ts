/**
 * The audit trail page and its CSV on the run's database: admins and the head read who saw or
 * changed what, by person, case, action and period, in names rather than codes; a consultant is
 * refused; the CSV holds every matching row, arrives streamed, and its download is itself audited.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit, verifyChain, type AuditRecord } from "../../src/domain/audit/chain.js";
import type { Texts } from "../../src/i18n/index.js";
import { seedKnownOffice, type KnownOffice } from "../reports/fixture.js";
import { useTestDatabase } from "../support/db.js";
import { dashboardApp, signIn, type DashboardHarness } from "./helpers.js";

const t = useTestDatabase();
let h: DashboardHarness;
let office: KnownOffice;
let admin: { cookie: string };
/** More rows than one export page (1000), so the CSV is read in several. */
const VIEWS = 1203;

function texts(): Texts {
  const read = (lang: string) =>
    Object.assign(
      {},
      ...["dashboard.yaml", "office-duties.yaml"].map((f) => parse(fs.readFileSync(path.join("conversations", "texts", lang, f), "utf8")) as Record<string, string>),
    ) as Record<string, string>;
  return { id: read("id"), en: read("en") };
}

const get = (url: string, cookie: string) => h.app.inject({ method: "GET", url, headers: { cookie } });

beforeAll(async () => {
  office = await seedKnownOffice(t.db);
  const all = texts();
  h = await dashboardApp(t, { texts: () => all });
  const c1 = await t.db.consultationCase.findUniqueOrThrow({ where: { id: office.cases.c1 } });
  const rec = (at: string, over: Partial<AuditRecord>): AuditRecord => ({ at: new Date(at), actorType: "staff", actorId: office.staff.admin, action: "document.view", entity: "Document", entityId: "doc1", detailJson: "{}", ...over });
  await t.db.$transaction(
    async (tx) => {
      await appendAudit(tx, [
        rec("2026-11-02T01:00:00Z", { action: "routing.confirm", entity: "ConsultationCase", entityId: c1.id, detailJson: JSON.stringify({ area: "pemasaran" }) }),
        rec("2026-11-03T01:00:00Z", { actorId: office.staff.head, action: "report.generate", entity: "Report", entityId: null }),
        rec("2026-11-20T16:30:00Z", { actorType: "client", actorId: office.clients.k1, action: "client.data_access", entity: "Client", entityId: office.clients.k1 }),
      ]);
      const views: AuditRecord[] = [];
      for (let i = 0; i < VIEWS; i++) {
        views.push(rec(new Date(Date.UTC(2026, 10, 10, 0, 0, i)).toISOString(), { actorId: office.staff.c1, detailJson: JSON.stringify({ type: "ktp", caseId: c1.id, via: "dashboard" }) }));
      }
      await appendAudit(tx, views);
    },
    { timeout: 120_000 },
  );
  admin = await signIn(h, t, office.staff.admin);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

describe("audit trail page", () => {
  it("shows names, actions in words and the case number, newest first", async () => {
    const res = await get("/staff/audit", admin.cookie);
    expect(res.statusCode).toBe(200);
    // Signing in is audited too: 3 + views + 1 login.
    expect(res.body).toContain(`${VIEWS + 4} catatan`);
    expect(res.body).toContain("Ayu Admin");
    expect(res.body).toContain("Masuk dasbor");
    const reg = (await t.db.consultationCase.findUniqueOrThrow({ where: { id: office.cases.c1 } })).regNumber;
    expect(res.body).toContain(reg);
    expect(res.body).toContain('href="/staff/audit"');
  });

  it("filters by person, action, case and period (whole local days)", async () => {
    const reg = (await t.db.consultationCase.findUniqueOrThrow({ where: { id: office.cases.c1 } })).regNumber;
    const byHead = await get(`/staff/audit?person=${office.staff.head}`, admin.cookie);
    expect(byHead.body).toContain("1 catatan");
    expect(byHead.body).toContain("Membuat laporan");

    const confirms = await get("/staff/audit?action=routing.confirm", admin.cookie);
    expect(confirms.body).toContain("1 catatan");
    expect(confirms.body).toContain("Menyetujui bidang rekomendasi");

    const byCase = await get(`/staff/audit?case=${reg.toLowerCase()}`, admin.cookie);
    expect(byCase.body).toContain(`${VIEWS + 1} catatan`);

    // 20 Nov 16:30 UTC is 21 Nov 00:30 WITA: on the 21st, not the 20th.
    expect((await get("/staff/audit?from=2026-11-21&to=2026-11-21", admin.cookie)).body).toContain("1 catatan");
    expect((await get("/staff/audit?from=2026-11-20&to=2026-11-20", admin.cookie)).body).toContain("0 catatan");

    const unknown = await get("/staff/audit?case=PLUT-GIA-2026-999999", admin.cookie);
    expect(unknown.body).toContain("Kasus PLUT-GIA-2026-999999 tidak ditemukan");
    expect(unknown.body).toContain("0 catatan");
  });

  it("is for admins and the head only", async () => {
    const consultant = await signIn(h, t, office.staff.c1);
    expect((await get("/staff/audit", consultant.cookie)).statusCode).toBe(403);
    expect((await get("/staff/audit.csv", consultant.cookie)).statusCode).toBe(403);
    const head = await signIn(h, t, office.staff.head);
    expect((await get("/staff/audit", head.cookie)).statusCode).toBe(200);
  });

  it("exports every matching row as CSV, streamed, and records the download", async () => {
    const res = await get(`/staff/audit.csv?person=${office.staff.c1}`, admin.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    const lines = res.body.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe("Urutan,Waktu,Siapa,Id pelaku,Apa,Mengenai,Jenis data,Id data,Rincian");
    // The consultant's views and the consultant's sign-in of the previous test.
    expect(lines).toHaveLength(1 + VIEWS + 1);
    expect(lines[1]).toContain("Made Pemasaran,");
    expect(lines[1]).toContain("Melihat dokumen");
    // Oldest first, no row twice across the export's pages.
    const seqs = lines.slice(1).map((l) => Number(l.split(",")[0]));
    expect(new Set(seqs).size).toBe(seqs.length);
    const exported = await t.db.auditLog.findFirst({ where: { action: "audit.export" } });
    expect(exported).toMatchObject({ actorId: office.staff.admin });
    expect(await verifyChain(t.db)).toMatchObject({ ok: true });
  });
});
