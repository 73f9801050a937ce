import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { markCasesReported } from "../../src/domain/reports/office-report.js";
import { stepTimes, type StepEvent } from "../../src/domain/cases/timing.js";
import { NOW, seedKnownOffice, type KnownOffice } from "./fixture.js";

let database: TestDatabase;
let office: KnownOffice;

beforeAll(async () => {
  database = await createTestDatabase();
  office = await seedKnownOffice(database.db);
});
afterAll(async () => database.destroy());

describe("markCasesReported (SOP step 11)", () => {
  it("completes step 11 of the closed cases up to a date, once", async () => {
    // Case 7 closed 31 Oct, case 3 on 20 Nov; case 1 is reported already.
    expect(await markCasesReported(database.db, { upTo: new Date("2026-11-01T00:00:00Z"), now: NOW, staffId: office.staff.admin })).toEqual(["PLUT-GIA-2026-000007"]);
    expect(await markCasesReported(database.db, { upTo: NOW, now: NOW })).toEqual(["PLUT-GIA-2026-000003"]);
    expect(await markCasesReported(database.db, { upTo: NOW, now: NOW })).toEqual([]);
    const c3 = await database.db.consultationCase.findUniqueOrThrow({ where: { id: office.cases.c3 }, include: { events: true } });
    expect(c3).toMatchObject({ status: "reported", step: 11 });
    const s11 = stepTimes(c3.events.map((e) => ({ step: e.step, kind: e.kind as StepEvent["kind"], at: e.at }))).find((s) => s.step === 11)!;
    expect(s11.completedAt).toEqual(NOW);
    const byAdmin = await database.db.caseEvent.findFirstOrThrow({ where: { caseId: office.cases.c7, step: 11, kind: "completed" } });
    expect(byAdmin).toMatchObject({ actorType: "staff", actorId: office.staff.admin });
  });
});
