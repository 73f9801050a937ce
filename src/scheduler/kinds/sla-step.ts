/**
 * sla_step: the office's deadline on every SOP step that has a standard time and is the office's
 * to do (steps 2 and 5-11; steps 3 and 4 have their own kinds, sla-common.ts, planned when they
 * start). Counted in working minutes without the time waiting on the client, exactly as the
 * "Terlambat" page and `sla` count it (lateNow in domain/reports/queries.ts): a step over its
 * standard gets level 1 (the admins, and the case's consultant on a consultant's step); at twice
 * its standard, level 2 (the head of UPT).
 *
 * Steps move by many actions, and some stop and start their clock (waiting on the client), so
 * instead of planning rows at every move a job (jobs.ts, every 5 minutes) writes one row per case,
 * step run and level once it is due; the idempotency key makes a second run, a restart or a
 * second instance write nothing twice. When due, the row checks the step is still running late.
 */
import { z } from "zod";
import type { Db, Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import { sopStep } from "../../domain/cases/steps.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { lateNow, runningStep, makeLabeler } from "../../domain/reports/index.js";
import { toLang } from "../../i18n/index.js";
import { planReminder } from "../reminders.js";
import { caseClientName, caseHeader, formatTime } from "./common.js";
import { reminderPayload, type ReminderKind, type RenderContext, type RenderedMessage } from "./types.js";

/** Steps 3 and 4 escalate through their own kinds (sla_admin_confirm, sla_consultant_accept). */
const OWN_KIND_STEPS: readonly number[] = [3, 4];

export const ZSlaStepPayload = reminderPayload({
  step: z.number().int().min(1).max(11),
  level: z.union([z.literal(1), z.literal(2)]),
  /** When the step's current run started: a later run is another deadline. */
  startedAt: z.iso.datetime(),
  standardMinutes: z.number().int().min(0),
});
export type TSlaStepPayload = z.infer<typeof ZSlaStepPayload>;

/** Writes the escalations now due (idempotent); returns how many rows it created. */
export async function planStepEscalations(db: Db, input: { now: Date; calendar: OfficeCalendar }): Promise<number> {
  const late = await lateNow(db, input.now, { calendar: input.calendar });
  let created = 0;
  for (const c of late) {
    // Step 1 is the client's alone; a case exists only once it is done.
    if (OWN_KIND_STEPS.includes(c.step) || c.step === 1) continue;
    const levels: Array<1 | 2> = c.elapsedMinutes >= 2 * c.standardMinutes ? [1, 2] : [1];
    await db.$transaction(async (tx) => {
      for (const level of levels) {
        const row = await planReminder(tx, {
          kind: "sla_step",
          dueAt: input.now,
          caseId: c.caseId,
          payloadJson: writeJson(ZSlaStepPayload, { step: c.step, level, startedAt: c.startedAt.toISOString(), standardMinutes: c.standardMinutes }),
          idempotencyKey: `sla_step:${c.caseId}:${c.step}:${c.startedAt.toISOString()}:${level}`,
        });
        if (row.created) created++;
      }
    });
  }
  return created;
}

async function stillLate(tx: Tx, caseId: string, p: TSlaStepPayload, now: Date, calendar: OfficeCalendar): Promise<number | null> {
  const events = await tx.caseEvent.findMany({ where: { caseId, step: p.step }, select: { step: true, kind: true, at: true } });
  const run = runningStep(events, p.step, now, (a, b) => calendar.workingMinutesBetween(a, b));
  if (!run || run.startedAt.toISOString() !== p.startedAt) return null;
  return run.elapsed > p.standardMinutes ? Math.round(run.elapsed) : null;
}

export async function renderSlaStep(ctx: RenderContext<TSlaStepPayload>): Promise<RenderedMessage[]> {
  const { tx, calendar, payload: p } = ctx;
  const c = await caseHeader(tx, ctx.reminder.caseId);
  if (!c || c.step !== p.step) return ctx.skip("resolved");
  const waited = await stillLate(tx, c.id, p, ctx.now, calendar);
  if (waited === null) return ctx.skip("resolved");
  const actor = sopStep(p.step).actor;
  // The consultant hears of their own steps, and of step 5 (the client's plan is in, theirs to review).
  const consultantStep = actor === "consultant" || actor === "admin_consultant" || actor === "client";
  const recipients =
    p.level === 2
      ? await ctx.staffRecipients({ roles: ["head"] })
      : await ctx.staffRecipients({ roles: ["admin"], ...(consultantStep && c.consultantId ? { staffIds: [c.consultantId] } : {}) });
  if (recipients.length === 0) return ctx.skip("no_recipient");
  const startedAt = new Date(p.startedAt);
  return recipients.map((r) => {
    const lang = toLang(r.language);
    const t = ctx.translator(lang);
    const text = t.t(`reminder.sla.step.level${p.level}`, {
      regNumber: c.regNumber,
      client: caseClientName(c, t),
      step: p.step,
      stepName: makeLabeler(t).step(p.step),
      date: ctx.formatDate(startedAt, lang),
      time: formatTime(startedAt, lang, calendar),
      minutes: p.standardMinutes,
      waited,
    });
    return { identityId: r.id, message: { type: "text", text, params: { regNumber: c.regNumber, waited: String(waited), minutes: String(p.standardMinutes) } } };
  });
}

export const slaStep: ReminderKind<TSlaStepPayload> = {
  kind: "sla_step",
  audience: "staff",
  payload: ZSlaStepPayload,
  render: renderSlaStep,
};
