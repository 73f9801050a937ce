/**
 * Step events are written by hand (one INSERT for "completed" and "started"); read back through
 * Prisma they must carry exactly the time, order and actor Prisma's own writes would, on both
 * databases, because the SOP's step times are computed from them.
 */
import { describe, expect, it } from "vitest";
import { advance, recordStep } from "../../src/domain/cases/events.js";
import { useTestDatabase } from "../support/db.js";

const t = useTestDatabase();

describe("advance", () => {
  it("writes both events at the same instant, readable and comparable through Prisma", async () => {
    const client = await t.db.client.create({ data: { fullName: "Ni Made Ayu", createdAt: new Date() } });
    const c = await t.db.consultationCase.create({ data: { regNumber: "PLUT-GIA-2026-000001", clientId: client.id, problemText: "modal", channel: "web", status: "submitted", step: 1, createdAt: new Date() } });
    const started = new Date("2026-03-16T01:02:03.456Z");
    const at = new Date("2026-03-16T01:09:07.891Z");
    await t.db.$transaction(async (tx) => {
      await recordStep(tx, c.id, 1, "started", started, { type: "client", id: client.id });
      await advance(tx, c.id, 1, 2, at, { type: "client", id: client.id });
      await advance(tx, c.id, 2, 3, at, { type: "system" });
    });
    const events = await t.db.caseEvent.findMany({ where: { caseId: c.id }, orderBy: [{ at: "asc" }, { step: "asc" }, { kind: "asc" }] });
    expect(events.map((e) => [e.step, e.kind, e.at.getTime(), e.actorType, e.actorId, e.note])).toEqual([
      [1, "started", started.getTime(), "client", client.id, null],
      [1, "completed", at.getTime(), "client", client.id, null],
      [2, "completed", at.getTime(), "system", null, null],
      [2, "started", at.getTime(), "client", client.id, null],
      [3, "started", at.getTime(), "system", null, null],
    ]);
    for (const e of events) expect(e.id).toMatch(/^c[0-9a-z]{24}$/);
    // Prisma's comparisons see the hand-written times as its own.
    expect(await t.db.caseEvent.count({ where: { caseId: c.id, at: { gte: at } } })).toBe(4);
    expect(await t.db.caseEvent.count({ where: { caseId: c.id, at: { gt: at } } })).toBe(0);
    expect(await t.db.caseEvent.count({ where: { caseId: c.id, at: { lt: at, gte: started } } })).toBe(1);
  });
});
