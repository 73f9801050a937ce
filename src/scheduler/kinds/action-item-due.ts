/**
 * action_item_due: an action-plan item's target date is tomorrow ("before") or today ("due"). The
 * client answers sudah / belum / butuh bantuan (answer-desk.ts records it on the item and here).
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import { addDays } from "../../shared/time.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { calendarDateOf, cancelReminders, CLIENT_REMINDER_TIME, planReminder, type ScheduledReminder } from "../reminders.js";
import { ANSWERS, answerChoices, clientName } from "./common.js";
import { toLang } from "../../i18n/index.js";
import { reminderPayload, type ReminderKind } from "./types.js";

export const ZActionItemDuePayload = reminderPayload({
  stage: z.enum(["before", "due"]),
  /** The item's target date (calendar date). */
  date: z.iso.date(),
  /** The client's answer, once given (answer-desk.ts). */
  answer: z.enum(ANSWERS).optional(),
  answeredAt: z.iso.datetime().optional(),
  /** The identity that answered. */
  answeredBy: z.string().optional(),
});
export type TActionItemDuePayload = z.infer<typeof ZActionItemDuePayload>;

/**
 * An agreed action plan: for each item a reminder the day before its target date and one on the
 * date, both at 09:00 local. An item whose date changed loses its old reminders; planning the same
 * plan again changes nothing.
 */
export async function planActionItemReminders(
  tx: Tx,
  input: {
    caseId: string;
    clientIdentityId: string;
    clientId?: string | null;
    items: ReadonlyArray<{ id: string; targetDate: Date }>;
    calendar: OfficeCalendar;
  },
): Promise<ScheduledReminder[]> {
  const out: ScheduledReminder[] = [];
  for (const item of input.items) {
    const date = calendarDateOf(item.targetDate, input.calendar);
    const stages = [
      { stage: "before" as const, due: input.calendar.at(addDays(date, -1), CLIENT_REMINDER_TIME) },
      { stage: "due" as const, due: input.calendar.at(date, CLIENT_REMINDER_TIME) },
    ];
    const keys = stages.map((s) => `action_item_due:${item.id}:${date}:${s.stage}`);
    await cancelReminders(tx, { refId: item.id, kinds: ["action_item_due"], exceptKeys: keys }, "replanned");
    for (const [i, s] of stages.entries()) {
      out.push(
        await planReminder(tx, {
          kind: "action_item_due",
          dueAt: s.due,
          identityId: input.clientIdentityId,
          clientId: input.clientId ?? null,
          caseId: input.caseId,
          refId: item.id,
          payloadJson: writeJson(ZActionItemDuePayload, { stage: s.stage, date }),
          idempotencyKey: keys[i]!,
        }),
      );
    }
  }
  return out;
}

export const actionItemDue: ReminderKind<TActionItemDuePayload> = {
  kind: "action_item_due",
  audience: "client",
  payload: ZActionItemDuePayload,
  async render(ctx) {
    const { tx, reminder, payload, t, calendar } = ctx;
    const { stage, date } = payload;
    if (!reminder.refId) return ctx.skip("bad_payload");
    const item = await tx.actionPlanItem.findUnique({
      where: { id: reminder.refId },
      select: { action: true, progress: true, plan: { select: { case: { select: { closedAt: true } } } } },
    });
    if (!item || item.plan.case.closedAt || item.progress === "done") return ctx.skip("resolved");
    const today = calendar.localDate(ctx.now);
    // A day-before reminder on the day itself (or later), or a due-date one after the day, is stale.
    if ((stage === "before" && today >= date) || (stage === "due" && today > date)) return ctx.skip("stale");
    const recipient = ctx.recipient!;
    const name = await clientName(tx, reminder, recipient, t);
    const params = { name, action: item.action, date: ctx.formatDate(date, toLang(recipient.language)) };
    const text = t.t(`reminder.action_item.${stage}`, params);
    return [{ identityId: recipient.id, message: { type: "text", text, choices: answerChoices(reminder.id, t), params } }];
  },
};
