import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import {
  consultantLoad,
  findConsultants,
  lateNow,
  listCases,
  maskNik,
  nikIn,
  parseCaseFilterArgs,
  runningStep,
  searchClients,
  stepIsWaiting,
} from "../../src/domain/reports/queries.js";
import { OfficeCalendar } from "../../src/domain/calendar/office-calendar.js";
import { KEY, NIK_SARI, NOW, TZ, seedKnownOffice, type KnownOffice } from "./fixture.js";

let database: TestDatabase;
let office: KnownOffice;

beforeAll(async () => {
  database = await createTestDatabase();
  office = await seedKnownOffice(database.db);
});
afterAll(async () => database.destroy());

describe("searchClients (/cari)", () => {
  it("finds a client by the full NIK through the keyed hash and shows it masked", async () => {
    const r = await searchClients(database.db, KEY, "5104 0541 0190 0001");
    expect(r.matchedBy).toBe("nik");
    expect(r.hits).toHaveLength(1);
    expect(r.hits[0]).toMatchObject({ fullName: "Ni Luh Sari", nikMasked: "************0001", kecamatan: "510405", businesses: ["Warung Sari"] });
    expect(r.hits[0]!.cases.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000002", "PLUT-GIA-2026-000001"]);
    expect(JSON.stringify(r)).not.toContain(NIK_SARI);
  });

  it("a NIK with the wrong key, or an unknown NIK, finds nobody", async () => {
    expect((await searchClients(database.db, Buffer.alloc(32, 1), NIK_SARI)).hits).toEqual([]);
    expect((await searchClients(database.db, KEY, "5104054101909999")).hits).toEqual([]);
  });

  it("finds by name, ignoring case, on both databases", async () => {
    for (const q of ["sari", "SARI", "Luh Sa"]) {
      const r = await searchClients(database.db, KEY, q);
      expect(r.matchedBy).toBe("name");
      expect(r.hits.map((h) => h.fullName)).toEqual(["Ni Luh Sari"]);
    }
    const made = await searchClients(database.db, KEY, "made");
    expect(made.hits.map((h) => h.fullName)).toEqual(["I Made Budi"]);
    // LIKE wildcards typed by a person are literal.
    expect((await searchClients(database.db, KEY, "%_")).hits).toEqual([]);
  });

  it("finds by registration number (whole or the end of it)", async () => {
    for (const q of ["PLUT-GIA-2026-000003", "plut-gia-2026-000003", "2026-000003", "000003"]) {
      const r = await searchClients(database.db, KEY, q);
      expect(r.matchedBy).toBe("regNumber");
      expect(r.hits.map((h) => h.fullName)).toEqual(["I Made Budi"]);
    }
  });

  it("limits a consultant to clients of their cases", async () => {
    const own = await searchClients(database.db, KEY, "sari", { viewerConsultantId: office.staff.c2 });
    expect(own.hits).toEqual([]);
    const budi = await searchClients(database.db, KEY, "budi", { viewerConsultantId: office.staff.c2 });
    expect(budi.hits[0]!.cases.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000003"]);
  });

  it("too short a query answers nothing", async () => {
    expect(await searchClients(database.db, KEY, "a")).toEqual({ matchedBy: "none", hits: [], more: false });
  });

  it("masks", () => {
    expect(maskNik("0001")).toBe("************0001");
    expect(maskNik(null)).toBe("-");
    expect(nikIn("5104.0541.0190.0001")).toBe(NIK_SARI);
    expect(nikIn("510405410190000")).toBeNull();
  });
});

describe("listCases (/kasus)", () => {
  it("lists newest first with names, filters by status, area, consultant and open", async () => {
    const all = await listCases(database.db, {});
    expect(all.total).toBe(8);
    expect(all.items.map((c) => c.regNumber)).toEqual([6, 8, 3, 2, 4, 7, 1, 5].map((n) => `PLUT-GIA-2026-00000${n}`));
    expect(all.items[1]).toMatchObject({ clientName: "I Made Budi", businessName: "Toko Budi", consultantName: "Made Pemasaran", status: "in_consultation", step: 4 });

    expect((await listCases(database.db, { status: "closed" })).items.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000003", "PLUT-GIA-2026-000007"]);
    expect((await listCases(database.db, { area: "pemasaran" })).total).toBe(4);
    expect((await listCases(database.db, { consultantId: office.staff.c1, open: true })).total).toBe(3);
    expect((await listCases(database.db, { open: false })).total).toBe(3);
    expect((await listCases(database.db, { unassigned: true })).items.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000006"]);
  });

  it("pages", async () => {
    const p2 = await listCases(database.db, { page: 2, pageSize: 3 });
    expect(p2).toMatchObject({ total: 8, page: 2, pages: 3, pageSize: 3 });
    expect(p2.items.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000002", "PLUT-GIA-2026-000004", "PLUT-GIA-2026-000007"]);
    expect((await listCases(database.db, { page: 99, pageSize: 3 })).page).toBe(3);
  });

  it("searches by client or business name, registration number and NIK", async () => {
    expect((await listCases(database.db, { q: "budi" })).items.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000008", "PLUT-GIA-2026-000003"]);
    expect((await listCases(database.db, { q: "homestay" })).items.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000006"]);
    expect((await listCases(database.db, { q: "2026-000004" })).matchedBy).toBe("regNumber");
    const byNik = await listCases(database.db, { q: NIK_SARI }, { lookupKey: KEY });
    expect(byNik.matchedBy).toBe("nik");
    expect(byNik.items.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000002", "PLUT-GIA-2026-000001"]);
  });

  it("a consultant's own view includes cases referred away from them", async () => {
    const own = await listCases(database.db, { viewerConsultantId: office.staff.c2 });
    expect(own.items.map((c) => c.regNumber)).toEqual(["PLUT-GIA-2026-000003", "PLUT-GIA-2026-000004", "PLUT-GIA-2026-000007"]);
  });

  it("finds consultants by part of the name", async () => {
    expect((await findConsultants(database.db, "PEMBI")).map((c) => c.name)).toEqual(["Nyoman Pembiayaan"]);
    expect(await findConsultants(database.db, "Ayu")).toEqual([]); // an admin, not a consultant
  });

  it("reads chat arguments", () => {
    expect(parseCaseFilterArgs("status:monitoring bidang:pemasaran hal:2 sari")).toEqual({ status: "monitoring", area: "pemasaran", page: 2, q: "sari" });
    expect(parseCaseFilterArgs("buka konsultan:made")).toEqual({ open: true, consultantQuery: "made" });
    expect(parseCaseFilterArgs("status:ngawur")).toEqual({ q: "ngawur" });
    expect(parseCaseFilterArgs("belum-ditugaskan")).toEqual({ unassigned: true });
  });
});

describe("lateNow (/sla)", () => {
  it("lists cases whose current step is past its standard, the latest first; waiting on the client stops the clock", async () => {
    const late = await lateNow(database.db, NOW);
    expect(late.map((l) => [l.regNumber, l.step, l.elapsedMinutes, l.overMinutes])).toEqual([
      ["PLUT-GIA-2026-000005", 5, 105_120, 105_110], // action plan since 16 Sep 10:00 WITA
      ["PLUT-GIA-2026-000004", 8, 31_740, 31_695], // final report since 6 Nov 09:00 WITA
      ["PLUT-GIA-2026-000008", 4, 8_618, 8_598], // consultation since 22 Nov 10:22 WITA
      ["PLUT-GIA-2026-000006", 3, 4_370, 4_355], // routing since 25 Nov 09:10 WITA
    ]);
    expect(late[1]).toMatchObject({ consultantName: "Made Pemasaran", actor: "consultant", standardMinutes: 45, clientName: "Ketut Rahayu" });
    expect(late[0]!.actor).toBe("client");
    expect(late[3]!.consultantName).toBeNull();
  });

  it("counts working minutes when given the office calendar", async () => {
    const calendar = new OfficeCalendar({ tz: TZ, quietStart: "21:00", quietEnd: "07:00", workingDays: [1, 2, 3, 4, 5, 6], workStart: "08:00", workEnd: "16:00", holidays: [] });
    const late = await lateNow(database.db, NOW, { calendar });
    const c6 = late.find((l) => l.regNumber === "PLUT-GIA-2026-000006")!;
    // Wed 09:10-16:00 (410) + Thu (480) + Fri (480) + Sat 08:00-10:00 (120)
    expect(c6.elapsedMinutes).toBe(1490);
  });

  it("scoped to a consultant", async () => {
    const late = await lateNow(database.db, NOW, { viewerConsultantId: office.staff.c3 });
    expect(late.map((l) => l.regNumber)).toEqual(["PLUT-GIA-2026-000005"]);
  });

  it("runningStep: a resumed wait is not charged, a completed step is not running", () => {
    const minutes = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;
    const ev = (kind: string, m: number) => ({ step: 6, kind, at: new Date(Date.UTC(2026, 10, 1, 0, m)) });
    const now = new Date(Date.UTC(2026, 10, 1, 0, 100));
    expect(runningStep([ev("started", 0), ev("waiting", 10), ev("resumed", 70)], 6, now, minutes)?.elapsed).toBe(40);
    expect(runningStep([ev("started", 0), ev("waiting", 10)], 6, now, minutes)).toBeNull();
    expect(runningStep([ev("started", 0), ev("completed", 5)], 6, now, minutes)).toBeNull();
    expect(runningStep([ev("started", 0), ev("completed", 5), ev("started", 50)], 6, now, minutes)?.elapsed).toBe(50);
    // Written at the same instant in any order: started comes first, then waiting.
    expect(stepIsWaiting([ev("waiting", 0), ev("started", 0)], 6, now)).toBe(true);
    expect(stepIsWaiting([ev("started", 0), ev("waiting", 10), ev("resumed", 70)], 6, now)).toBe(false);
    expect(runningStep([ev("waiting", 0), ev("started", 0)], 6, now, minutes)).toBeNull();
  });
});

describe("consultantLoad (/konsultan)", () => {
  it("open cases, late cases, overdue action-plan items and monitoring visits per consultant", async () => {
    const load = await consultantLoad(database.db, NOW, { tz: TZ });
    expect(load.unassignedOpen).toBe(1);
    expect(load.consultants.map((c) => [c.name, c.areas, c.openCases, c.lateCases, c.overdueItems, c.overdueVisits])).toEqual([
      ["Made Pemasaran", ["pemasaran"], 3, 2, 1, 1],
      ["Nyoman Pembiayaan", ["pembiayaan"], 0, 0, 0, 0],
      ["Wayan Produksi", ["produksi"], 1, 1, 0, 0],
    ]);
    const made = load.consultants[0]!;
    expect(made.overdue.map((o) => [o.kind, o.regNumber, o.text])).toEqual([
      ["action_item", "PLUT-GIA-2026-000002", "Hitung ulang harga pokok"],
      ["visit", "PLUT-GIA-2026-000002", ""],
    ]);
  });

  it("one consultant only", async () => {
    const load = await consultantLoad(database.db, NOW, { onlyStaffId: office.staff.c3 });
    expect(load.consultants.map((c) => c.name)).toEqual(["Wayan Produksi"]);
  });
});
