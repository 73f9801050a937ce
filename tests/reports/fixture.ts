/**
 * A small office whose every report figure is known by hand (see the comments and
 * office-report.test.ts). Period of interest: November 2026 (WITA); "now" is
 * Saturday 28 November 2026, 10:00 WITA.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import type { Db } from "../../src/db/client.js";
import { encryptText, lookupHash } from "../../src/security/crypto.js";
import { Translator, type Lang, type Texts } from "../../src/i18n/index.js";

export const NOW = new Date("2026-11-28T02:00:00Z");
export const TZ = "Asia/Makassar";
export const KEY = Buffer.alloc(32, 7);
export const NIK_SARI = "5104054101900001";

/** Only the dashboard texts, so labels do not move when other texts files change. */
export function dashboardTexts(): Texts {
  const read = (lang: string) =>
    parse(fs.readFileSync(path.join(process.cwd(), "conversations", "texts", lang, "dashboard.yaml"), "utf8")) as Record<string, string>;
  return { id: read("id"), en: read("en") };
}

export function translator(lang: Lang = "id"): Translator {
  return new Translator(dashboardTexts(), lang);
}

const at = (iso: string) => new Date(iso);
const min = (base: string, m: number) => new Date(new Date(base).getTime() + m * 60_000);

export interface KnownOffice {
  staff: { admin: string; head: string; c1: string; c2: string; c3: string };
  clients: Record<"k1" | "k2" | "k3" | "k4" | "k5" | "k6", string>;
  cases: Record<"c1" | "c2" | "c3" | "c4" | "c5" | "c6" | "c7" | "c8", string>;
}

/** Events of a run of steps: [step, startedOffsetMin, completedOffsetMin | null] from `base`. */
async function steps(db: Db, caseId: string, base: string, runs: Array<[number, number, number | null]>) {
  for (const [step, s, c] of runs) {
    await db.caseEvent.create({ data: { caseId, step, kind: "started", at: min(base, s), actorType: "system" } });
    if (c !== null) await db.caseEvent.create({ data: { caseId, step, kind: "completed", at: min(base, c), actorType: "system" } });
  }
}

export async function seedKnownOffice(db: Db): Promise<KnownOffice> {
  const mk = (name: string, role: string, areas: string[] = []) =>
    db.staff.create({ data: { name, role, areasJson: JSON.stringify(areas), createdAt: at("2026-01-05T00:00:00Z") } });
  const admin = await mk("Ayu Admin", "admin");
  const head = await mk("Kadek Kepala", "head");
  const c1 = await mk("Made Pemasaran", "consultant", ["pemasaran"]);
  const c2 = await mk("Nyoman Pembiayaan", "consultant", ["pembiayaan"]);
  const c3 = await mk("Wayan Produksi", "consultant", ["produksi"]);

  const client = async (fullName: string, kecamatan: string, nik?: string) =>
    db.client.create({
      data: {
        fullName,
        kecamatan,
        ...(nik ? { nikCipher: encryptText(KEY, nik), nikHash: lookupHash(KEY, nik), nikLast4: nik.slice(-4) } : {}),
        createdAt: at("2026-08-01T00:00:00Z"),
      },
    });
  const k1 = await client("Ni Luh Sari", "510405", NIK_SARI); // Ubud, returning
  const k2 = await client("I Made Budi", "510401", "5104011203850002"); // Sukawati, new
  const k3 = await client("Ketut Rahayu", "510405"); // Ubud, new (first case 1 Nov 00:30 WITA)
  const k4 = await client("Putu Artawan", "510403"); // Gianyar, returning (case open since September)
  const k5 = await client("Komang Dewi", "luar"); // outside Gianyar, new
  const k6 = await client("Gede Santika", "510407"); // only a case on 31 Oct 23:30 WITA: not served

  const biz = (clientId: string, name: string, sector: string, created: string) =>
    db.business.create({ data: { clientId, name, sector, products: "-", legalForm: "perorangan", createdAt: at(created) } });
  const b1 = await biz(k1.id, "Warung Sari", "kuliner", "2026-08-01T00:00:00Z");
  const b2 = await biz(k2.id, "Ukiran Budi", "kerajinan", "2026-08-01T00:00:00Z");
  const b2b = await biz(k2.id, "Toko Budi", "perdagangan", "2026-11-21T00:00:00Z");
  const b3 = await biz(k3.id, "Endek Rahayu", "fashion", "2026-08-01T00:00:00Z");
  await biz(k4.id, "Babi Guling Artawan", "kuliner", "2026-08-01T00:00:00Z");
  const b5 = await biz(k5.id, "Dewi Homestay", "pariwisata", "2026-08-01T00:00:00Z");
  const b6 = await biz(k6.id, "Bengkel Santika", "jasa", "2026-08-01T00:00:00Z");

  const kase = (
    n: number,
    clientId: string,
    businessId: string | null,
    created: string,
    v: { status: string; step: number; areaCode: string | null; consultantId: string | null; closedAt?: string },
  ) =>
    db.consultationCase.create({
      data: {
        regNumber: `PLUT-GIA-2026-${String(n).padStart(6, "0")}`,
        clientId,
        businessId,
        createdAt: at(created),
        status: v.status,
        step: v.step,
        areaCode: v.areaCode,
        consultantId: v.consultantId,
        closedAt: v.closedAt ? at(v.closedAt) : null,
        problemText: "Penjualan turun",
        channel: "telegram",
      },
    });
  // 1: K1's first case, October, closed in October: not active in November.
  const case1 = await kase(1, k1.id, b1.id, "2026-10-05T01:00:00Z", { status: "reported", step: 11, areaCode: "pemasaran", consultantId: c1.id, closedAt: "2026-10-25T01:00:00Z" });
  // 2: K1, 3 Nov, monitoring (waiting on the client): open, not late.
  const case2 = await kase(2, k1.id, b1.id, "2026-11-03T01:00:00Z", { status: "monitoring", step: 6, areaCode: "pemasaran", consultantId: c1.id });
  // 3: K2, 10 Nov, closed 20 Nov.
  const case3 = await kase(3, k2.id, b2.id, "2026-11-10T02:00:00Z", { status: "closed", step: 10, areaCode: "pembiayaan", consultantId: c2.id, closedAt: "2026-11-20T03:00:00Z" });
  // 4: K3, 1 Nov 00:30 WITA (31 Oct 16:30 UTC), referred from pembiayaan to pemasaran, final report running since 6 Nov.
  const case4 = await kase(4, k3.id, b3.id, "2026-10-31T16:30:00Z", { status: "final_report", step: 8, areaCode: "pemasaran", consultantId: c1.id });
  // 5: K4, September, still at the action plan (client step) since 16 Sep: open, late.
  const case5 = await kase(5, k4.id, null, "2026-09-15T01:00:00Z", { status: "action_plan", step: 5, areaCode: "produksi", consultantId: c3.id });
  // 6: K5, 25 Nov, waiting for routing since 09:10 WITA: unassigned, late.
  const case6 = await kase(6, k5.id, b5.id, "2026-11-25T01:00:00Z", { status: "awaiting_routing", step: 3, areaCode: null, consultantId: null });
  // 7: K6, 31 Oct 23:30 WITA, closed 23:50 WITA: October only.
  const case7 = await kase(7, k6.id, b6.id, "2026-10-31T15:30:00Z", { status: "closed", step: 10, areaCode: "pembiayaan", consultantId: c2.id, closedAt: "2026-10-31T15:50:00Z" });
  // 8: K2's second case, 22 Nov, consultation running since 10:22 WITA: late.
  const case8 = await kase(8, k2.id, b2b.id, "2026-11-22T02:00:00Z", { status: "in_consultation", step: 4, areaCode: "pemasaran", consultantId: c1.id });

  // Step times (minutes after the case was created).
  await steps(db, case1.id, "2026-10-05T01:00:00Z", [[1, 0, 2], [2, 2, 9], [3, 9, 20], [4, 20, 40]]);
  await steps(db, case2.id, "2026-11-03T01:00:00Z", [[1, 0, 2], [2, 2, 8], [3, 8, 28], [4, 28, 48], [5, 48, 60], [6, 60, null]]);
  await db.caseEvent.create({ data: { caseId: case2.id, step: 6, kind: "waiting", at: min("2026-11-03T01:00:00Z", 60), actorType: "system" } });
  await steps(db, case3.id, "2026-11-10T02:00:00Z", [[1, 0, 4], [2, 4, 9], [3, 9, 19], [4, 19, 49], [5, 49, 57]]);
  // Step 6 of case 3: started 02:57, waited until 19 Nov 02:00, completed 02:40: 40 minutes charged.
  await db.caseEvent.createMany({
    data: [
      { caseId: case3.id, step: 6, kind: "started", at: at("2026-11-10T02:57:00Z"), actorType: "system" },
      { caseId: case3.id, step: 6, kind: "waiting", at: at("2026-11-10T02:57:00Z"), actorType: "system" },
      { caseId: case3.id, step: 6, kind: "resumed", at: at("2026-11-19T02:00:00Z"), actorType: "client" },
      { caseId: case3.id, step: 6, kind: "completed", at: at("2026-11-19T02:40:00Z"), actorType: "staff" },
    ],
  });
  await steps(db, case3.id, "2026-11-19T02:40:00Z", [[8, 0, 50], [9, 50, 56]]);
  await steps(db, case3.id, "2026-11-20T02:52:00Z", [[10, 0, 8]]);
  await steps(db, case4.id, "2026-10-31T16:30:00Z", [[1, 0, 3], [2, 3, 13], [3, 13, 28], [4, 28, 43]]);
  await steps(db, case4.id, "2026-11-05T01:00:00Z", [[7, 0, 4]]);
  await steps(db, case4.id, "2026-11-06T01:00:00Z", [[8, 0, null]]);
  await steps(db, case5.id, "2026-09-15T01:00:00Z", [[1, 0, 3], [2, 3, 10], [3, 10, 25], [4, 25, 45]]);
  await steps(db, case5.id, "2026-09-16T02:00:00Z", [[5, 0, null]]);
  await steps(db, case6.id, "2026-11-25T01:00:00Z", [[1, 0, 3], [2, 3, 10], [3, 10, null]]);
  await steps(db, case7.id, "2026-10-31T15:30:00Z", [[1, 0, 3], [2, 3, 15]]);
  await steps(db, case8.id, "2026-11-22T02:00:00Z", [[1, 0, 2], [2, 2, 12], [3, 12, 22], [4, 22, null]]);

  // Services: (case, service) pairs in November: c2 konsultasi+promosi, c3 pembiayaan+konsultasi, c8 konsultasi.
  const svc = (caseId: string, authorId: string, codes: string[], when: string) =>
    db.consultationNote.create({ data: { caseId, authorId, kind: "service", text: codes.join(", "), servicesJson: JSON.stringify(codes), createdAt: at(when) } });
  await svc(case1.id, c1.id, ["pelatihan"], "2026-10-10T02:00:00Z");
  await svc(case2.id, c1.id, ["konsultasi", "promosi"], "2026-11-04T02:00:00Z");
  await svc(case2.id, c1.id, ["promosi"], "2026-11-06T02:00:00Z");
  await svc(case3.id, c2.id, ["pembiayaan", "konsultasi"], "2026-11-12T02:00:00Z");
  await svc(case8.id, c1.id, ["konsultasi"], "2026-11-23T02:00:00Z");
  await db.consultationNote.create({ data: { caseId: case2.id, authorId: c1.id, kind: "diagnosis", text: "Harga jual terlalu rendah", createdAt: at("2026-11-03T01:40:00Z") } });

  // Referrals: one in November (case 4), one in October (case 1).
  await db.referral.create({ data: { caseId: case4.id, fromConsultantId: c2.id, toAreaCode: "pemasaran", toConsultantId: c1.id, reason: "Masalah pemasaran", createdAt: at("2026-11-05T01:00:00Z") } });
  await db.referral.create({ data: { caseId: case1.id, fromConsultantId: c1.id, toAreaCode: "produksi", reason: "Kemasan", createdAt: at("2026-10-20T01:00:00Z") } });
  await db.assignment.create({ data: { caseId: case4.id, consultantId: c2.id, areaCode: "pembiayaan", assignedAt: at("2026-10-31T16:58:00Z"), endedAt: at("2026-11-05T01:00:00Z"), endReason: "referred" } });
  await db.assignment.create({ data: { caseId: case4.id, consultantId: c1.id, areaCode: "pemasaran", assignedAt: at("2026-11-05T01:04:00Z") } });

  // Complaints: one in November, one in October.
  await db.complaint.create({ data: { clientId: k2.id, identityId: "x", caseId: case3.id, text: "Lama menunggu", createdAt: at("2026-11-15T01:00:00Z") } });
  await db.complaint.create({ data: { clientId: k1.id, identityId: "x", caseId: case1.id, text: "Sulit dihubungi", createdAt: at("2026-10-30T01:00:00Z") } });

  // SKM: two surveys in November (one with an invalid 5), one in October.
  await db.satisfactionSurvey.create({
    data: {
      caseId: case3.id,
      clientId: k2.id,
      scoresJson: JSON.stringify({ requirements: 4, procedure: 4, time: 3, fee: 4, product: 3, competence: 4, behaviour: 4, complaintHandling: 3, facilities: 3 }),
      createdAt: at("2026-11-20T04:00:00Z"),
    },
  });
  await db.satisfactionSurvey.create({
    data: {
      caseId: case2.id,
      clientId: k1.id,
      scoresJson: JSON.stringify({ requirements: 3, procedure: 3, time: 2, fee: 4, product: 3, competence: 4, behaviour: 4, complaintHandling: 3, facilities: 5 }),
      createdAt: at("2026-11-26T04:00:00Z"),
    },
  });
  await db.satisfactionSurvey.create({
    data: { caseId: case1.id, clientId: k1.id, scoresJson: JSON.stringify({ requirements: 1, procedure: 1 }), createdAt: at("2026-10-26T04:00:00Z") },
  });

  // Action plan of case 2 (agreed): one item overdue, one due today, one done.
  await db.actionPlan.create({
    data: {
      caseId: case2.id,
      status: "agreed",
      submittedAt: at("2026-11-03T01:55:00Z"),
      agreedAt: at("2026-11-03T02:00:00Z"),
      createdAt: at("2026-11-03T01:50:00Z"),
      items: {
        create: [
          { position: 1, action: "Hitung ulang harga pokok", who: "Pemilik", targetDate: at("2026-11-20T00:00:00Z"), indicator: "Tabel HPP" },
          { position: 2, action: "Buat akun marketplace", who: "Anak pemilik", targetDate: at("2026-11-28T00:00:00Z"), indicator: "Toko aktif" },
          { position: 3, action: "Foto produk", who: "Pemilik", targetDate: at("2026-11-15T00:00:00Z"), indicator: "10 foto", progress: "done", progressAt: at("2026-11-14T00:00:00Z") },
        ],
      },
    },
  });
  // Case 5's plan is only submitted: its old item is not overdue work yet.
  await db.actionPlan.create({
    data: {
      caseId: case5.id,
      status: "submitted",
      createdAt: at("2026-09-20T00:00:00Z"),
      items: { create: [{ position: 1, action: "Sertifikat PIRT", who: "Pemilik", targetDate: at("2026-10-01T00:00:00Z"), indicator: "PIRT terbit" }] },
    },
  });
  await db.monitoringVisit.create({ data: { caseId: case2.id, scheduledFor: at("2026-11-27T02:00:00Z"), consultantId: c1.id } });
  await db.monitoringVisit.create({ data: { caseId: case2.id, scheduledFor: at("2026-12-05T02:00:00Z"), consultantId: c1.id } });

  return {
    staff: { admin: admin.id, head: head.id, c1: c1.id, c2: c2.id, c3: c3.id },
    clients: { k1: k1.id, k2: k2.id, k3: k3.id, k4: k4.id, k5: k5.id, k6: k6.id },
    cases: { c1: case1.id, c2: case2.id, c3: case3.id, c4: case4.id, c5: case5.id, c6: case6.id, c7: case7.id, c8: case8.id },
  };
}
