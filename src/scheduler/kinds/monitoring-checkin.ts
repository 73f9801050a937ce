/**
 * monitoring_checkin: the agreed monitoring and evaluation date (SOP step 6) has come: ask the client
 * for their progress report. The message carries "Laporkan perkembangan"; the monitoring desk
 * (src/desks/monitoring-desk.ts) opens conversations/flows/monitoring.yaml from it, so the client
 * reports on each action item before the consultant evaluates.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { calendarDateOf, cancelReminders, CLIENT_REMINDER_TIME, planReminder, type ScheduledReminder } from "../reminders.js";
import { caseHeader, clientName } from "./common.js";
import { toLang } from "../../i18n/index.js";
import { reminderPayload, type ReminderKind } from "./types.js";
import { encodeButton } from "../../domain/buttons.js";

/** The agreed date (calendar date). */
export const ZMonitoringCheckinPayload = reminderPayload({ date: z.iso.date() });
export type TMonitoringCheckinPayload = z.infer<typeof ZMonitoringCheckinPayload>;

/**
 * An agreed monitoring date (SOP step 6): the client's check-in at 09:00 local on that date. The
 * consultant's list of the day comes from the morning job (monitoring-today.ts), not from a row per visit.
 */
export async function planMonitoringReminders(
  tx: Tx,
  input: {
    caseId: string;
    visitId: string;
    clientIdentityId: string;
    clientId?: string | null;
    consultantStaffId?: string | null;
    scheduledFor: Date;
    calendar: OfficeCalendar;
  },
): Promise<ScheduledReminder[]> {
  const date = calendarDateOf(input.scheduledFor, input.calendar);
  const key = `monitoring_checkin:${input.visitId}:${date}`;
  await cancelReminders(tx, { refId: input.visitId, kinds: ["monitoring_checkin"], exceptKeys: [key] }, "replanned");
  return [
    await planReminder(tx, {
      kind: "monitoring_checkin",
      dueAt: input.calendar.at(date, CLIENT_REMINDER_TIME),
      identityId: input.clientIdentityId,
      clientId: input.clientId ?? null,
      staffId: input.consultantStaffId ?? null,
      caseId: input.caseId,
      refId: input.visitId,
      payloadJson: writeJson(ZMonitoringCheckinPayload, { date }),
      idempotencyKey: key,
    }),
  ];
}

export const monitoringCheckin: ReminderKind<TMonitoringCheckinPayload> = {
  kind: "monitoring_checkin",
  audience: "client",
  payload: ZMonitoringCheckinPayload,
  async render(ctx) {
    const { tx, reminder, payload, t, calendar } = ctx;
    if (!reminder.refId) return ctx.skip("bad_payload");
    const visit = await tx.monitoringVisit.findUnique({
      where: { id: reminder.refId },
      select: { reportedAt: true, evaluatedAt: true, caseId: true },
    });
    const c = await caseHeader(tx, visit?.caseId ?? reminder.caseId);
    if (!visit || !c || c.closedAt || visit.reportedAt || visit.evaluatedAt) return ctx.skip("resolved");
    if (calendar.localDate(ctx.now) > payload.date) return ctx.skip("stale");
    const recipient = ctx.recipient!;
    const params = {
      name: await clientName(tx, reminder, recipient, t),
      regNumber: c.regNumber,
      date: ctx.formatDate(payload.date, toLang(recipient.language)),
    };
    const text = t.t("reminder.monitoring.checkin", params);
    const choices = [{ id: encodeButton({ kind: "monitoring", visitId: reminder.refId, action: "report" }), label: t.t("reminder.monitoring.report_button") }];
    return [{ identityId: recipient.id, message: { type: "text", text, choices, params } }];
  },
};
