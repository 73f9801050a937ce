/**
 * appointment_reminder (to the client) and appointment_reminder_staff (to the consultant): a booked
 * appointment the day before at 09:00 and an hour before it starts. The client's respects quiet
 * hours (the sweeper moves it to their end) and their reminders switch; a reminder that would only
 * arrive once the meeting has begun, or whose appointment was moved or cancelled, is skipped.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import { toLang } from "../../i18n/index.js";
import { text } from "../../messaging/text.js";
import { encodeButton } from "../../domain/buttons.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { placeLine, slotLabel } from "../../domain/appointments/index.js";
import { addDays } from "../../shared/time.js";
import { cancelReminders, CLIENT_REMINDER_TIME, planReminder, type ScheduledReminder } from "../reminders.js";
import { caseClientName, clientName } from "./common.js";
import { reminderPayload, type ReminderKind, type RenderContext, type RenderedMessage } from "./types.js";

export const APPOINTMENT_KINDS = ["appointment_reminder", "appointment_reminder_staff"] as const;
/** How long before the start the second reminder goes. */
export const HOUR_BEFORE_MS = 60 * 60_000;

export const ZAppointmentReminderPayload = reminderPayload({
  stage: z.enum(["day_before", "hour_before"]),
  /** The start the reminder was planned for (a moved appointment is a new row with new reminders). */
  startsAt: z.iso.datetime(),
});
export type TAppointmentReminderPayload = z.infer<typeof ZAppointmentReminderPayload>;

/** Both sides' reminders of a booked appointment; stages already past when booking are not planned. */
export async function planAppointmentReminders(
  tx: Tx,
  input: { appointmentId: string; startsAt: Date; caseId: string; clientId: string; clientIdentityId: string | null; consultantId: string; now: Date; calendar: OfficeCalendar },
): Promise<ScheduledReminder[]> {
  const day = input.calendar.localDate(input.startsAt);
  const stages = [
    { stage: "day_before" as const, dueAt: input.calendar.at(addDays(day, -1), CLIENT_REMINDER_TIME) },
    { stage: "hour_before" as const, dueAt: new Date(input.startsAt.getTime() - HOUR_BEFORE_MS) },
  ].filter((s) => s.dueAt.getTime() > input.now.getTime());
  const out: ScheduledReminder[] = [];
  for (const s of stages) {
    const payloadJson = writeJson(ZAppointmentReminderPayload, { stage: s.stage, startsAt: input.startsAt.toISOString() });
    const common = { dueAt: s.dueAt, caseId: input.caseId, refId: input.appointmentId, payloadJson };
    if (input.clientIdentityId) {
      out.push(await planReminder(tx, { ...common, kind: "appointment_reminder", identityId: input.clientIdentityId, clientId: input.clientId, idempotencyKey: `appointment_reminder:${input.appointmentId}:${s.stage}` }));
    }
    out.push(await planReminder(tx, { ...common, kind: "appointment_reminder_staff", staffId: input.consultantId, idempotencyKey: `appointment_reminder_staff:${input.appointmentId}:${s.stage}` }));
  }
  return out;
}

export function cancelAppointmentReminders(tx: Tx, appointmentId: string): Promise<number> {
  return cancelReminders(tx, { refId: appointmentId, kinds: APPOINTMENT_KINDS }, "workflow");
}

/** The appointment, if it still stands as the reminder was planned for. */
async function standing(ctx: RenderContext<TAppointmentReminderPayload>) {
  const { tx, reminder, payload } = ctx;
  if (!reminder.refId) return null;
  const a = await tx.appointment.findUnique({
    where: { id: reminder.refId },
    select: { id: true, status: true, startsAt: true, mode: true, link: true, place: true, consultantId: true, consultant: { select: { name: true } }, case: { select: { regNumber: true, closedAt: true, client: { select: { fullName: true, anonymisedAt: true } } } } },
  });
  if (!a || a.status !== "booked" || a.case.closedAt || a.startsAt.toISOString() !== new Date(payload.startsAt).toISOString()) return null;
  return a;
}

export const appointmentReminder: ReminderKind<TAppointmentReminderPayload> = {
  kind: "appointment_reminder",
  audience: "client",
  payload: ZAppointmentReminderPayload,
  async render(ctx): Promise<RenderedMessage[]> {
    const a = await standing(ctx);
    if (!a) return ctx.skip("resolved");
    // Quiet hours may have held it until the meeting began: too late to be of use.
    if (ctx.now.getTime() >= a.startsAt.getTime()) return ctx.skip("stale");
    const recipient = ctx.recipient!;
    const t = ctx.translator(toLang(recipient.language));
    const name = await clientName(ctx.tx, ctx.reminder, recipient, t);
    const slot = slotLabel(a.startsAt, t, ctx.calendar.tz);
    const params = { name, slot, consultant: a.consultant.name, regNumber: a.case.regNumber };
    const body = [t.t(`appt.reminder.client.${ctx.payload.stage}`, params), placeLine(a, t)].join("\n");
    // The values travel with the message: outside WhatsApp's 24-hour window they fill its template.
    return [{ identityId: recipient.id, message: { ...text(body, manage(a.id, t)), params } }];
  },
};

export const appointmentReminderStaff: ReminderKind<TAppointmentReminderPayload> = {
  kind: "appointment_reminder_staff",
  audience: "staff",
  payload: ZAppointmentReminderPayload,
  async render(ctx): Promise<RenderedMessage[]> {
    const a = await standing(ctx);
    if (!a) return ctx.skip("resolved");
    if (ctx.now.getTime() >= a.startsAt.getTime()) return ctx.skip("stale");
    const [recipient] = await ctx.staffRecipients({ staffIds: [a.consultantId] });
    if (!recipient) return ctx.skip("no_recipient");
    const t = ctx.translator(recipient.language);
    const slot = slotLabel(a.startsAt, t, ctx.calendar.tz);
    const params = { slot, client: caseClientName(a.case, t), regNumber: a.case.regNumber };
    const body = [t.t(`appt.reminder.staff.${ctx.payload.stage}`, params), placeLine(a, t, "staff")].join("\n");
    return [{ identityId: recipient.id, message: { ...text(body, manage(a.id, t)), params } }];
  },
};

function manage(appointmentId: string, t: { t(key: string): string }) {
  return [
    { id: encodeButton({ kind: "appointment", appointmentId, action: "move" }), label: t.t("appt.btn.move") },
    { id: encodeButton({ kind: "appointment", appointmentId, action: "cancel" }), label: t.t("appt.btn.cancel") },
  ];
}
