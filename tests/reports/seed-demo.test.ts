import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { SeedRefused, seedDemo, type SeedOptions, type SeedSummary } from "../../src/cli/seed-demo.js";
import { CASE_STATUSES } from "../../src/domain/cases/steps.js";
import { stepTimes, type StepEvent } from "../../src/domain/cases/timing.js";
import { computeOfficeReport, consultantLoad, lateNow, parsePeriod } from "../../src/domain/reports/index.js";
import { loadRegions } from "../../src/flows/questions/regions-file.js";
import { OfficeCalendar } from "../../src/domain/calendar/office-calendar.js";
import { decryptText, lookupHash } from "../../src/security/crypto.js";
import { FileStore } from "../../src/storage/file-store.js";
import { KEY, TZ, translator } from "./fixture.js";

const NOW = new Date("2026-11-28T02:00:00Z");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-seed-"));
let a: TestDatabase;
let b: TestDatabase;
let summary: SeedSummary;
let opts: SeedOptions;

beforeAll(async () => {
  a = await createTestDatabase();
  b = await createTestDatabase();
  const calendar = new OfficeCalendar({ tz: TZ, quietStart: "21:00", quietEnd: "07:00", workingDays: [1, 2, 3, 4, 5, 6], workStart: "08:00", workEnd: "16:00", holidays: [] });
  opts = { now: NOW, seed: 7, key: KEY, files: new FileStore(dir, KEY), calendar, regions: await loadRegions("conversations/regions/gianyar.yaml"), tz: TZ, officeCode: "GIA" };
  summary = await seedDemo(a.db, opts);
}, 120_000);
afterAll(async () => {
  await a.destroy();
  await b.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("seed:demo", () => {
  it("writes a month of an office: staff with web identities, 50 clients, cases in every status", async () => {
    expect(summary.staff).toBe(9);
    expect(summary.clients).toBe(50);
    expect(summary.cases).toBe(75);
    expect(Object.keys(summary.byStatus).sort()).toEqual(Object.keys(CASE_STATUSES).sort());
    const staff = await a.db.staff.findMany({ include: { identities: true } });
    expect(new Set(staff.map((s) => s.role))).toEqual(new Set(["admin", "consultant", "head"]));
    expect(staff.every((s) => s.identities.length === 1 && s.identities[0]!.channel === "web")).toBe(true);
    // Every SOP step has events; no event is in the future.
    const steps = await a.db.caseEvent.groupBy({ by: ["step"], _count: { _all: true } });
    expect(steps.map((s) => s.step).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(await a.db.caseEvent.count({ where: { at: { gt: NOW } } })).toBe(0);
    expect(await a.db.consultationCase.count({ where: { createdAt: { gt: NOW } } })).toBe(0);
    for (const model of ["routingDecision", "assignment", "referral", "consultationNote", "actionPlan", "monitoringVisit", "finalReport", "controlCardEntry", "complaint", "satisfactionSurvey", "document"] as const) {
      expect(await (a.db[model] as unknown as { count(): Promise<number> }).count(), model).toBeGreaterThan(0);
    }
    expect(await a.db.reminder.count({ where: { status: "pending", dueAt: { gt: NOW } } })).toBeGreaterThan(0);
    // The registration counter continues after the demo's numbers.
    const counter = await a.db.registrationCounter.findUniqueOrThrow({ where: { office_year: { office: "GIA", year: 2026 } } });
    expect(await a.db.consultationCase.count({ where: { regNumber: { startsWith: "PLUT-GIA-2026-" } } })).toBe(counter.last);
  });

  it("NIKs are encrypted, searchable by keyed hash, and plausible Gianyar NIKs", async () => {
    const c = await a.db.client.findFirstOrThrow({ where: { kecamatan: "510405" } });
    const nik = decryptText(KEY, c.nikCipher!);
    expect(nik).toMatch(/^510405\d{10}$/);
    expect(c.nikHash).toBe(lookupHash(KEY, nik));
    expect(nik.endsWith(c.nikLast4!)).toBe(true);
  });

  it("step times spread around the standard: most within, some late", async () => {
    const events = await a.db.caseEvent.findMany({ select: { caseId: true, step: true, kind: true, at: true } });
    const byCase = new Map<string, StepEvent[]>();
    for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), { step: e.step, kind: e.kind as StepEvent["kind"], at: e.at }]);
    let within = 0;
    let over = 0;
    for (const evs of byCase.values()) {
      for (const s of stepTimes(evs)) {
        if (s.withinStandard === null || s.step > 10) continue;
        if (s.withinStandard) within += 1;
        else over += 1;
      }
    }
    expect(within / (within + over)).toBeGreaterThan(0.45);
    expect(within / (within + over)).toBeLessThan(0.9);
  });

  it("gives the dashboard and /laporan something to show", async () => {
    const p = parsePeriod("30 hari", NOW, TZ);
    if (!p.ok) throw new Error("period");
    const r = await computeOfficeReport(a.db, p.period, TZ, { t: translator() });
    expect(r.totals.clientsServed).toBeGreaterThanOrEqual(45);
    expect(r.totals.newClients).toBeGreaterThan(0);
    expect(r.totals.returningClients).toBeGreaterThan(0);
    expect(r.byArea.length).toBeGreaterThanOrEqual(5);
    expect(r.byKecamatan.length).toBeGreaterThanOrEqual(6);
    expect(r.byService.length).toBeGreaterThanOrEqual(5);
    expect(r.skm.respondents).toBeGreaterThan(5);
    expect(r.skm.category).not.toBeNull();
    expect(r.sla.filter((s) => s.count > 0).length).toBeGreaterThanOrEqual(10);
    const late = await lateNow(a.db, NOW);
    expect(late.length).toBeGreaterThan(3);
    const open = await a.db.consultationCase.count({ where: { closedAt: null } });
    expect(late.length).toBeLessThan(open);
    const load = await consultantLoad(a.db, NOW);
    expect(load.consultants).toHaveLength(6);
    expect(load.consultants.some((c) => c.overdueItems + c.overdueVisits > 0)).toBe(true);
  });

  it("is deterministic and refuses a database that is not empty", async () => {
    const again = await seedDemo(b.db, { ...opts, files: new FileStore(dir, KEY) });
    expect(again).toMatchObject({ ...summary, firstAdminId: expect.any(String) });
    const rows = async (db: TestDatabase["db"]) =>
      (await db.consultationCase.findMany({ orderBy: { regNumber: "asc" }, include: { client: { select: { fullName: true } } } })).map((c) => [c.regNumber, c.status, c.step, c.areaCode, c.createdAt.toISOString(), c.client.fullName]);
    expect(await rows(b.db)).toEqual(await rows(a.db));
    await expect(seedDemo(a.db, opts)).rejects.toBeInstanceOf(SeedRefused);
  });
});
