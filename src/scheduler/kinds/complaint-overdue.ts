/**
 * complaint_overdue: a complaint not answered within COMPLAINT_DEADLINE_DAYS working days goes to the
 * head of the UPT (and, while the office has no head account, to the admins, so it is not lost).
 * Planned when the complaint is received; when due, nothing is sent if it was answered or closed.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { planReminder, type ScheduledReminder } from "../reminders.js";
import { toLang } from "../../i18n/index.js";
import { reminderPayload, type ReminderKind } from "./types.js";

export const ZComplaintOverduePayload = reminderPayload({
  complaintId: z.string().min(1),
  /** The deadline in working days, as it was when planned. */
  deadlineDays: z.number().int().min(1),
});
export type TComplaintOverduePayload = z.infer<typeof ZComplaintOverduePayload>;

/** The deadline of a complaint received at `receivedAt` (the end of the Nth working day after). */
export function complaintDeadline(calendar: OfficeCalendar, receivedAt: Date, days: number): Date {
  return calendar.endOfWorkingDays(receivedAt, days);
}

export async function planComplaintOverdue(
  tx: Tx,
  input: { complaintId: string; receivedAt: Date; deadlineDays: number; calendar: OfficeCalendar },
): Promise<ScheduledReminder & { dueAt: Date }> {
  const dueAt = complaintDeadline(input.calendar, input.receivedAt, input.deadlineDays);
  const planned = await planReminder(tx, {
    kind: "complaint_overdue",
    dueAt,
    refId: input.complaintId,
    payloadJson: writeJson(ZComplaintOverduePayload, { complaintId: input.complaintId, deadlineDays: input.deadlineDays }),
    idempotencyKey: `complaint_overdue:${input.complaintId}`,
  });
  return { ...planned, dueAt };
}

export const complaintOverdue: ReminderKind<TComplaintOverduePayload> = {
  kind: "complaint_overdue",
  audience: "staff",
  payload: ZComplaintOverduePayload,
  async render(ctx) {
    const { tx } = ctx;
    const c = await tx.complaint.findUnique({ where: { id: ctx.payload.complaintId }, include: { case: { select: { regNumber: true } } } });
    if (!c || c.status === "answered" || c.status === "closed") return ctx.skip("resolved");
    const heads = await ctx.staffRecipients({ roles: ["head"] });
    const recipients = heads.length > 0 ? heads : await ctx.staffRecipients({ roles: ["admin"] });
    if (recipients.length === 0) return ctx.skip("no_recipient");
    const ref = c.id.slice(-6);
    return recipients.map((r) => {
      const lang = toLang(r.language);
      const t = ctx.translator(lang);
      const text = t.t("reminder.complaint.overdue", {
        id: ref,
        days: ctx.payload.deadlineDays,
        date: ctx.formatDate(c.createdAt, lang),
        regNumber: c.case?.regNumber ?? "-",
        text: c.text,
      });
      return { identityId: r.id, message: { type: "text", text, params: { id: ref, days: String(ctx.payload.deadlineDays) } } };
    });
  },
};
