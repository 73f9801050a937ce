/**
 * impact_followup (issue 18): three and six months after a case closed, the client is asked how the
 * business is doing now. The message offers "Mulai" / "Nanti saja"; the answers are a flow
 * (conversations/flows/impact_followup.yaml) started by the impact desk (src/desks/impact-desk.ts).
 * A client who does not answer is asked once more a week later, then left alone.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { encodeButton } from "../../domain/buttons.js";
import { IMPACT_WAVES, type ImpactWave } from "../../domain/impact/followups.js";
import { addDays, addMonths } from "../../shared/time.js";
import { CLIENT_REMINDER_TIME, planReminder } from "../reminders.js";
import { clientName } from "./common.js";
import { reminderPayload, type ReminderKind } from "./types.js";

/** Days between the first question and the only repeat. */
export const IMPACT_REPEAT_DAYS = 7;

export const ZImpactFollowupPayload = reminderPayload({
  wave: z.union([z.literal(3), z.literal(6)]),
  attempt: z.union([z.literal(1), z.literal(2)]),
});
export type TImpactFollowupPayload = z.infer<typeof ZImpactFollowupPayload>;

/** The first working day on or after `date` (a follow-up is not sent on a Sunday or a holiday). */
function workingDayFrom(date: string, calendar: OfficeCalendar): string {
  let d = date;
  for (let i = 0; i < 14 && !calendar.isWorkingDay(d); i++) d = addDays(d, 1);
  return d;
}

/**
 * When a case closes: one follow-up row per wave with what was on file ("before"), and the first
 * question of each at 09:00 on the first working day `wave` months after closing.
 */
export async function planImpactFollowups(
  tx: Tx,
  input: { caseId: string; clientIdentityId: string; closedAt: Date; calendar: OfficeCalendar },
): Promise<void> {
  const c = await tx.consultationCase.findUniqueOrThrow({
    where: { id: input.caseId },
    select: { clientId: true, business: { select: { turnoverBand: true, workers: true } } },
  });
  const closedOn = input.calendar.localDate(input.closedAt);
  for (const wave of IMPACT_WAVES) {
    const dueAt = input.calendar.at(workingDayFrom(addMonths(closedOn, wave), input.calendar), CLIENT_REMINDER_TIME);
    const row = await tx.impactFollowup.upsert({
      where: { caseId_wave: { caseId: input.caseId, wave } },
      create: {
        caseId: input.caseId,
        clientId: c.clientId,
        wave,
        dueAt,
        turnoverBefore: c.business?.turnoverBand ?? null,
        workersBefore: c.business?.workers ?? null,
      },
      update: {},
    });
    await planAsk(tx, { followupId: row.id, caseId: input.caseId, clientId: c.clientId, identityId: input.clientIdentityId, wave, attempt: 1, dueAt });
  }
}

async function planAsk(
  tx: Tx,
  a: { followupId: string; caseId: string; clientId: string; identityId: string; wave: ImpactWave; attempt: 1 | 2; dueAt: Date },
): Promise<void> {
  await planReminder(tx, {
    kind: "impact_followup",
    dueAt: a.dueAt,
    identityId: a.identityId,
    clientId: a.clientId,
    caseId: a.caseId,
    refId: a.followupId,
    payloadJson: writeJson(ZImpactFollowupPayload, { wave: a.wave, attempt: a.attempt }),
    idempotencyKey: `impact_followup:${a.followupId}:${a.attempt}`,
  });
}

export const impactFollowup: ReminderKind<TImpactFollowupPayload> = {
  kind: "impact_followup",
  audience: "client",
  payload: ZImpactFollowupPayload,
  async render(ctx) {
    const { tx, reminder, payload, t, calendar } = ctx;
    if (!reminder.refId) return ctx.skip("bad_payload");
    const f = await tx.impactFollowup.findUnique({
      where: { id: reminder.refId },
      select: { id: true, status: true, caseId: true, clientId: true, case: { select: { regNumber: true } } },
    });
    if (!f || f.status === "answered" || f.status === "declined") return ctx.skip("resolved");
    const client = await tx.client.findUnique({ where: { id: f.clientId }, select: { anonymisedAt: true } });
    if (!client || client.anonymisedAt) return ctx.skip("resolved");
    const recipient = ctx.recipient!;
    await tx.impactFollowup.update({ where: { id: f.id }, data: { status: "asked", askedAt: ctx.now, askedCount: { increment: 1 } } });
    if (payload.attempt === 1) {
      const again = calendar.at(workingDayFrom(addDays(calendar.localDate(ctx.now), IMPACT_REPEAT_DAYS), calendar), CLIENT_REMINDER_TIME);
      await planAsk(tx, { followupId: f.id, caseId: f.caseId, clientId: f.clientId, identityId: recipient.id, wave: payload.wave, attempt: 2, dueAt: again });
    }
    const params = {
      name: await clientName(tx, reminder, recipient, t),
      regNumber: f.case.regNumber,
      months: String(payload.wave),
    };
    const key = payload.attempt === 1 ? "impact.ask" : "impact.ask_again";
    const choices = [
      { id: encodeButton({ kind: "impact", followupId: f.id, answer: "start" }), label: t.t("impact.btn.start") },
      { id: encodeButton({ kind: "impact", followupId: f.id, answer: "decline" }), label: t.t("impact.btn.decline") },
    ];
    return [{ identityId: recipient.id, message: { type: "text", text: t.t(key, params), choices, params } }];
  },
};
