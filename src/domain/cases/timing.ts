/**
 * Actual time per SOP step from a case's events, without the time spent waiting on the client
 * (for example until an agreed monitoring date): the office is measured against its own standard.
 */
import { SOP_STEPS } from "./steps.js";

export interface StepEvent {
  step: number;
  kind: "started" | "completed" | "waiting" | "resumed";
  at: Date;
}

export interface StepTime {
  step: number;
  standardMinutes: number;
  /** Null while the step has not finished (or never ran). */
  actualMinutes: number | null;
  startedAt: Date | null;
  completedAt: Date | null;
  waitedMinutes: number;
  withinStandard: boolean | null;
}

/** Events written in one instant (a step started and at once waiting on the client) in their order. */
const KIND_ORDER: Record<StepEvent["kind"], number> = { started: 0, waiting: 1, resumed: 2, completed: 3 };

/**
 * A step can run more than once (step 4 again after a referral): each run counts from its start to
 * its completion, and the gaps between runs are not the step's time.
 */
export function stepTimes(events: readonly StepEvent[]): StepTime[] {
  return SOP_STEPS.map((s) => {
    const evs = events.filter((e) => e.step === s.step).sort((a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    let startedAt: Date | null = null;
    let completedAt: Date | null = null;
    let runStart: Date | null = null;
    let waitingSince: Date | null = null;
    let waitedMs = 0;
    let workedMs = 0;
    let runs = 0;
    for (const e of evs) {
      if (e.kind === "started") {
        startedAt ??= e.at;
        runStart ??= e.at;
      } else if (e.kind === "waiting" && runStart && !waitingSince) {
        waitingSince = e.at;
      } else if (e.kind === "resumed" && waitingSince) {
        waitedMs += e.at.getTime() - waitingSince.getTime();
        waitingSince = null;
      } else if (e.kind === "completed" && runStart) {
        let waitedInRun = 0;
        if (waitingSince) {
          waitedInRun = e.at.getTime() - waitingSince.getTime();
          waitedMs += waitedInRun;
          waitingSince = null;
        }
        workedMs += e.at.getTime() - runStart.getTime();
        completedAt = e.at;
        runStart = null;
        runs++;
      }
    }
    const actual = runs > 0 ? Math.max(0, (workedMs - waitedMs) / 60_000) : null;
    return {
      step: s.step,
      standardMinutes: s.standardMinutes,
      actualMinutes: actual === null ? null : Math.round(actual * 10) / 10,
      startedAt,
      completedAt,
      waitedMinutes: Math.round(waitedMs / 6000) / 10,
      withinStandard: actual === null ? null : actual <= s.standardMinutes,
    };
  });
}
