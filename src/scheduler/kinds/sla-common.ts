/**
 * The staff deadlines of SOP steps 3 and 4, counted in working minutes (office-calendar.ts). Level 1
 * goes to the admins (and, for step 4, to the consultant the case waits on); level 2, one standard
 * period later, to the head of the UPT. Nothing is sent once the case has moved on.
 * sla_admin_confirm (step 3) and sla_consultant_accept (step 4) share this payload, plan and text.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import { sopStep } from "../../domain/cases/steps.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { cancelReminders, planReminder, type ScheduledReminder } from "../reminders.js";
import { caseClientName, caseHeader, formatTime } from "./common.js";
import { toLang } from "../../i18n/index.js";
import { reminderPayload, type RenderContext, type RenderedMessage } from "./types.js";

export const ZSlaPayload = reminderPayload({
  step: z.union([z.literal(3), z.literal(4)]),
  level: z.union([z.literal(1), z.literal(2)]),
  /** When the step started (the deadline counts from here). */
  startedAt: z.iso.datetime(),
  /** The step's standard time in working minutes, as it was when planned. */
  standardMinutes: z.number().int().min(0),
});
export type TSlaPayload = z.infer<typeof ZSlaPayload>;

export const SLA_KIND_OF_STEP = { 3: "sla_admin_confirm", 4: "sla_consultant_accept" } as const;

/** The status a case has while it waits on the step (src/domain/cases/steps.ts). */
const WAITING_STATUS = { 3: "awaiting_routing", 4: "awaiting_acceptance" } as const;

/**
 * A step with a staff deadline started: SOP step 3 (the admin confirms and routes, 15 minutes) or
 * step 4 (a consultant accepts, 20 minutes). Level 1 falls due after the step's standard time in
 * working minutes and goes to the admins; level 2 after another standard period and goes to the
 * head. Both check, when due, that the case is still waiting; the workflow may also cancel them
 * (cancelCaseReminders(tx, caseId, [SLA_KIND_OF_STEP[step]])) when the step is done.
 */
export async function planSlaReminders(
  tx: Tx,
  input: { caseId: string; step: 3 | 4; startedAt: Date; calendar: OfficeCalendar },
): Promise<ScheduledReminder[]> {
  const kind = SLA_KIND_OF_STEP[input.step];
  const minutes = sopStep(input.step).standardMinutes;
  const level1 = input.calendar.addWorkingMinutes(input.startedAt, minutes);
  const level2 = input.calendar.addWorkingMinutes(level1, minutes);
  const base = `${kind}:${input.caseId}:${input.startedAt.toISOString()}`;
  const keys = [`${base}:1`, `${base}:2`];
  await cancelReminders(tx, { caseId: input.caseId, kinds: [kind], exceptKeys: keys }, "replanned");
  const out: ScheduledReminder[] = [];
  for (const [i, dueAt] of [level1, level2].entries()) {
    out.push(
      await planReminder(tx, {
        kind,
        dueAt,
        caseId: input.caseId,
        payloadJson: writeJson(ZSlaPayload, { step: input.step, level: i === 0 ? 1 : 2, startedAt: input.startedAt.toISOString(), standardMinutes: minutes }),
        idempotencyKey: keys[i]!,
      }),
    );
  }
  return out;
}

export async function renderSla(ctx: RenderContext<TSlaPayload>, step: 3 | 4): Promise<RenderedMessage[]> {
  const { tx, calendar } = ctx;
  const { level, standardMinutes: standard } = ctx.payload;
  const startedAt = new Date(ctx.payload.startedAt);
  const c = await caseHeader(tx, ctx.reminder.caseId);
  if (!c || c.closedAt || c.step !== step || c.status !== WAITING_STATUS[step]) return ctx.skip("resolved");
  const waited = Math.max(0, Math.round(calendar.workingMinutesBetween(startedAt, ctx.now)));
  const recipients =
    level === 2
      ? await ctx.staffRecipients({ roles: ["head"] })
      : await ctx.staffRecipients({ roles: ["admin"], ...(step === 4 && c.consultantId ? { staffIds: [c.consultantId] } : {}) });
  if (recipients.length === 0) return ctx.skip("no_recipient");
  const consultant =
    step === 4 && c.consultantId
      ? ((await tx.staff.findUnique({ where: { id: c.consultantId }, select: { name: true } }))?.name ?? "-")
      : "-";
  return recipients.map((r) => {
    const lang = toLang(r.language);
    const t = ctx.translator(lang);
    const key = `reminder.sla.step${step}.level${level}`;
    const text = t.t(key, {
      regNumber: c.regNumber,
      client: caseClientName(c, t),
      consultant,
      date: ctx.formatDate(startedAt, lang),
      time: formatTime(startedAt, lang, calendar),
      minutes: standard,
      waited,
    });
    return { identityId: r.id, message: { type: "text", text, params: { regNumber: c.regNumber, waited: String(waited), minutes: String(standard) } } };
  });
}
