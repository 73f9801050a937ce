/** Actual time per SOP step against the standard, without time waiting on the client. */
import { describe, expect, it } from "vitest";
import { stepTimes, type StepEvent } from "../../src/domain/cases/timing.js";

const at = (min: number) => new Date(Date.UTC(2026, 10, 23, 1, 0) + min * 60_000);
const ev = (step: number, kind: StepEvent["kind"], min: number): StepEvent => ({ step, kind, at: at(min) });

describe("stepTimes", () => {
  it("measures each step from start to completion against its standard", () => {
    const t = stepTimes([ev(1, "started", 0), ev(1, "completed", 4), ev(2, "started", 4), ev(2, "completed", 10)]);
    expect(t[0]).toMatchObject({ step: 1, actualMinutes: 4, standardMinutes: 3, withinStandard: false });
    expect(t[1]).toMatchObject({ step: 2, actualMinutes: 6, standardMinutes: 7, withinStandard: true });
    expect(t[2]).toMatchObject({ step: 3, actualMinutes: null, withinStandard: null });
  });

  it("does not charge the office for waiting on the client", () => {
    const t = stepTimes([ev(6, "started", 0), ev(6, "waiting", 5), ev(6, "resumed", 60 * 24 * 14), ev(6, "completed", 60 * 24 * 14 + 30)]);
    expect(t[5]).toMatchObject({ actualMinutes: 35, withinStandard: true });
    expect(t[5]?.waitedMinutes).toBe(60 * 24 * 14 - 5);
  });

  it("adds up each run of a repeated step, not the gap between runs", () => {
    // Step 4 with consultant A (15 min), referred; step 4 again with consultant B two days later (12 min).
    const t = stepTimes([ev(4, "started", 0), ev(4, "completed", 15), ev(7, "started", 15), ev(7, "completed", 15), ev(4, "started", 2880), ev(4, "completed", 2892)]);
    expect(t[3]).toMatchObject({ actualMinutes: 27, withinStandard: false });
    expect(t[6]).toMatchObject({ actualMinutes: 0, withinStandard: true });
  });

  it("a step that was completed while waiting stops the waiting clock there", () => {
    const t = stepTimes([ev(2, "started", 0), ev(2, "waiting", 2), ev(2, "completed", 100)]);
    expect(t[1]).toMatchObject({ actualMinutes: 2 });
  });
});
