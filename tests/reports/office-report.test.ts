import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { computeOfficeReport, computeOfficeStats } from "../../src/domain/reports/office-report.js";
import { parsePeriod, type Period } from "../../src/domain/reports/period.js";
import { computeSkm, quantile, skmCategory } from "../../src/domain/reports/stats.js";
import { ZOfficeReport } from "../../src/documents/index.js";
import { NOW, TZ, seedKnownOffice, translator, type KnownOffice } from "./fixture.js";

let database: TestDatabase;
let office: KnownOffice;
let november: Period;

beforeAll(async () => {
  database = await createTestDatabase();
  office = await seedKnownOffice(database.db);
  const p = parsePeriod("november 2026", NOW, TZ);
  if (!p.ok) throw new Error("period");
  november = p.period;
});
afterAll(async () => database.destroy());

describe("computeOfficeReport over a data set with known totals (November 2026)", () => {
  it("counts clients served, new and returning, and cases opened, closed and open", async () => {
    const r = await computeOfficeReport(database.db, november, TZ, { t: translator() });
    expect(r.period.label).toBe("November 2026");
    expect(r.totals).toEqual({
      clientsServed: 5, // K1..K5; K6's only case closed on 31 Oct 23:50 WITA
      newClients: 3, // K2, K3 (first case 1 Nov 00:30 WITA), K5
      returningClients: 2, // K1 (October case), K4 (September case still open)
      casesOpened: 5, // cases 2, 3, 4, 6, 8
      casesClosed: 1, // case 3
      casesOpen: 5, // cases 2, 4, 5, 6, 8
      referrals: 1,
      complaints: 1,
      complaintsAnsweredInTime: 0, // the seeded complaint has no answer
      complaintMedianAnswerHours: null, // no calendar given,
    });
    expect(() => ZOfficeReport.parse(r)).not.toThrow();
  });

  it("breaks active cases down by area and consultant, services by case, clients by kecamatan and sector", async () => {
    const r = await computeOfficeReport(database.db, november, TZ, { t: translator() });
    expect(r.byArea).toEqual([
      { label: "Pemasaran", count: 3 },
      { label: "Pembiayaan", count: 1 },
      { label: "Produksi", count: 1 },
      { label: "Belum ditentukan", count: 1 },
    ]);
    expect(r.byConsultant).toEqual([
      { label: "Made Pemasaran", count: 3 },
      { label: "Nyoman Pembiayaan", count: 1 },
      { label: "Wayan Produksi", count: 1 },
      { label: "Belum ditentukan", count: 1 },
    ]);
    expect(r.byService).toEqual([
      { label: "Konsultasi bisnis", count: 3 },
      { label: "Akses pembiayaan", count: 1 },
      { label: "Promosi dan pemasaran", count: 1 },
    ]);
    expect(r.byKecamatan).toEqual([
      { label: "Ubud", count: 2 },
      { label: "Gianyar", count: 1 },
      { label: "Luar Kabupaten Gianyar", count: 1 },
      { label: "Sukawati", count: 1 },
    ]);
    // K2's latest active case is about Toko Budi (perdagangan); K4's case has no business: their first one (kuliner).
    expect(r.bySector).toEqual([
      { label: "Kuliner", count: 2 },
      { label: "Fashion dan tekstil", count: 1 },
      { label: "Pariwisata", count: 1 },
      { label: "Perdagangan", count: 1 },
    ]);
  });

  it("times every SOP step completed in the period: median, P90 and share within standard", async () => {
    const r = await computeOfficeReport(database.db, november, TZ, { t: translator() });
    const row = (step: number) => r.sla.find((s) => s.step === step)!;
    expect(r.sla).toHaveLength(11);
    expect(row(1)).toMatchObject({ name: "Pendaftaran", standardMinutes: 3, count: 5, medianMinutes: 3, p90Minutes: 3.6, withinStandardShare: 0.8 });
    expect(row(2)).toMatchObject({ standardMinutes: 7, count: 5, medianMinutes: 7, p90Minutes: 10, withinStandardShare: 0.6 });
    expect(row(3)).toMatchObject({ standardMinutes: 15, count: 4, medianMinutes: 12.5, p90Minutes: 18.5, withinStandardShare: 0.75 });
    expect(row(4)).toMatchObject({ standardMinutes: 20, count: 3, medianMinutes: 20, p90Minutes: 28 });
    expect(row(4).withinStandardShare).toBeCloseTo(2 / 3, 10);
    expect(row(5)).toMatchObject({ count: 2, medianMinutes: 10, p90Minutes: 11.6, withinStandardShare: 0.5 });
    // Waiting on the client (10 Nov 02:57 to 19 Nov 02:00) is not charged.
    expect(row(6)).toMatchObject({ count: 1, medianMinutes: 40, p90Minutes: 40, withinStandardShare: 1 });
    expect(row(7)).toMatchObject({ count: 1, medianMinutes: 4, withinStandardShare: 1 });
    expect(row(8)).toMatchObject({ count: 1, medianMinutes: 50, withinStandardShare: 0 });
    expect(row(9)).toMatchObject({ count: 1, medianMinutes: 6, withinStandardShare: 1 });
    expect(row(10)).toMatchObject({ count: 1, medianMinutes: 8, withinStandardShare: 1 });
    expect(row(11)).toMatchObject({ count: 0, medianMinutes: null, p90Minutes: null, withinStandardShare: null });
  });

  it("computes the SKM per Permenpan RB 14/2017 from the surveys of the period", async () => {
    const r = await computeOfficeReport(database.db, november, TZ, { t: translator() });
    expect(r.skm.respondents).toBe(2);
    expect(r.skm.perElement).toEqual([
      { code: "U1", label: "Persyaratan", average: 3.5 },
      { code: "U2", label: "Sistem, mekanisme dan prosedur", average: 3.5 },
      { code: "U3", label: "Waktu penyelesaian", average: 2.5 },
      { code: "U4", label: "Biaya/tarif", average: 4 },
      { code: "U5", label: "Produk spesifikasi jenis pelayanan", average: 3 },
      { code: "U6", label: "Kompetensi pelaksana", average: 4 },
      { code: "U7", label: "Perilaku pelaksana", average: 4 },
      { code: "U8", label: "Penanganan pengaduan, saran dan masukan", average: 3 },
      { code: "U9", label: "Sarana dan prasarana", average: 3 }, // the invalid 5 is ignored
    ]);
    // (3.5 + 3.5 + 2.5 + 4 + 3 + 4 + 4 + 3 + 3) / 9 x 25 = 84.72
    expect(r.skm.index).toBe(84.72);
    expect(r.skm.category).toBe("B");
  });

  it("keeps the period's edges in WITA: October holds case 7 and K6 and the October survey", async () => {
    const p = parsePeriod("oktober 2026", NOW, TZ);
    if (!p.ok) throw new Error("period");
    const r = await computeOfficeReport(database.db, p.period, TZ, { t: translator() });
    // Active in October: cases 1, 5 (open since Sept), 7; case 4 starts on 1 Nov WITA.
    expect(r.totals).toMatchObject({ clientsServed: 3, newClients: 2, returningClients: 1, casesOpened: 2, casesClosed: 2, referrals: 1, complaints: 1 });
    expect(r.skm.respondents).toBe(1);
    expect(r.skm.index).toBe(25);
    expect(r.skm.category).toBe("D");
  });

  it("narrows to one consultant's cases (current or earlier assignment)", async () => {
    const s = await computeOfficeStats(database.db, november, TZ, { t: translator(), consultantId: office.staff.c2 });
    // Nyoman: case 3 (own) and case 4 (assigned before the referral).
    expect(s.report.totals).toMatchObject({ clientsServed: 2, casesOpened: 2, casesClosed: 1, casesOpen: 1, referrals: 1, complaints: 1 });
    expect(s.byArea.map((a) => [a.code, a.count])).toEqual([
      ["pemasaran", 1],
      ["pembiayaan", 1],
    ]);
  });

  it("an empty period gives zeros and nulls, not errors", async () => {
    const p = parsePeriod("2026-01", NOW, TZ);
    if (!p.ok) throw new Error("period");
    const r = await computeOfficeReport(database.db, p.period, TZ);
    expect(r.totals.clientsServed).toBe(0);
    expect(r.byArea).toEqual([]);
    expect(r.skm).toMatchObject({ respondents: 0, index: null, category: null });
    expect(r.sla.every((s) => s.count === 0 && s.medianMinutes === null)).toBe(true);
  });
});

describe("statistics", () => {
  it("quantile interpolates between closest ranks", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([1, 2, 3, 10], 0.5)).toBe(2.5);
    expect(quantile([10, 1, 3, 2], 0.9)).toBeCloseTo(7.9, 10);
  });

  it("SKM categories follow the regulation's intervals", () => {
    expect(skmCategory(100)).toBe("A");
    expect(skmCategory(88.31)).toBe("A");
    expect(skmCategory(88.3)).toBe("B");
    expect(skmCategory(76.61)).toBe("B");
    expect(skmCategory(76.6)).toBe("C");
    expect(skmCategory(65)).toBe("C");
    expect(skmCategory(64.99)).toBe("D");
    expect(skmCategory(25)).toBe("D");
  });

  it("SKM with all fours is 100 (A); unknown elements are kept after the nine", () => {
    const r = computeSkm([{ requirements: 4, procedure: 4, extra: 2 }]);
    expect(r.respondents).toBe(1);
    expect(r.index).toBe(Math.round(((4 + 4 + 2) / 3) * 25 * 100) / 100);
    expect(r.perElement.at(-1)).toMatchObject({ code: "extra", no: "U10", average: 2 });
    expect(computeSkm([{ requirements: "x" }])).toMatchObject({ respondents: 0, index: null, category: null });
  });
});
