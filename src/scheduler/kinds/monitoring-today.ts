/**
 * monitoring_today: a consultant's list of the monitoring and evaluation visits of the day (SOP
 * step 6), at 07:30 on working days. The morning job (jobs.ts) plans the rows, one per consultant
 * and day, so several instances send each list once.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import { addDays, dateOnly } from "../../shared/time.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { calendarDateOf, type ScheduledReminder } from "../reminders.js";
import { capLines, caseClientName, planMorningList } from "./common.js";
import { toLang } from "../../i18n/index.js";
import { reminderPayload, type ReminderKind } from "./types.js";

/** The day of the list (calendar date). */
export const ZMonitoringTodayPayload = reminderPayload({ date: z.iso.date() });
export type TMonitoringTodayPayload = z.infer<typeof ZMonitoringTodayPayload>;

/** Visits not yet evaluated whose agreed date is `date` (or, with `orEarlier`, up to it), of open cases. */
export async function visitsOn(
  tx: Tx,
  calendar: OfficeCalendar,
  date: string,
  filter: { staffId?: string; caseIds?: string[]; orEarlier?: boolean },
) {
  const rows = await tx.monitoringVisit.findMany({
    where: {
      scheduledFor: { ...(filter.orEarlier ? {} : { gte: dateOnly(addDays(date, -1)) }), lt: dateOnly(addDays(date, 2)) },
      evaluatedAt: null,
      case: { closedAt: null },
      ...(filter.caseIds ? { caseId: { in: filter.caseIds } } : {}),
      ...(filter.staffId
        ? { OR: [{ consultantId: filter.staffId }, { consultantId: null, case: { consultantId: filter.staffId } }] }
        : {}),
    },
    select: {
      id: true,
      scheduledFor: true,
      consultantId: true,
      case: { select: { regNumber: true, consultantId: true, client: { select: { fullName: true, anonymisedAt: true } } } },
    },
    orderBy: { scheduledFor: "asc" },
  });
  return rows
    .map((r) => ({ ...r, date: calendarDateOf(r.scheduledFor, calendar), staffId: r.consultantId ?? r.case.consultantId }))
    .filter((r) => (filter.orEarlier ? r.date <= date : r.date === date));
}

/** The lists of `date`: one row for each consultant with a visit that day. */
export async function planMonitoringToday(tx: Tx, input: { date: string; calendar: OfficeCalendar }): Promise<ScheduledReminder[]> {
  const visits = await visitsOn(tx, input.calendar, input.date, {});
  const staffIds = [...new Set(visits.map((v) => v.staffId).filter((s): s is string => s !== null))];
  return planMorningList(tx, { kind: "monitoring_today", staffIds, payloadJson: writeJson(ZMonitoringTodayPayload, { date: input.date }), ...input });
}

export const monitoringToday: ReminderKind<TMonitoringTodayPayload> = {
  kind: "monitoring_today",
  audience: "staff",
  payload: ZMonitoringTodayPayload,
  async render(ctx) {
    const { tx, reminder, calendar } = ctx;
    const { date } = ctx.payload;
    if (!reminder.staffId) return ctx.skip("bad_payload");
    const visits = await visitsOn(tx, calendar, date, { staffId: reminder.staffId });
    if (visits.length === 0) return ctx.skip("nothing_due");
    const [recipient] = await ctx.staffRecipients({ staffIds: [reminder.staffId] });
    if (!recipient) return ctx.skip("no_recipient");
    const lang = toLang(recipient.language);
    const t = ctx.translator(lang);
    const lines = capLines(
      visits.map((v) => t.t("reminder.monitoring.today.line", { regNumber: v.case.regNumber, client: caseClientName(v.case, t) })),
      40,
      (n) => t.t("reminder.list.more", { count: n }),
    );
    const text = [t.t("reminder.monitoring.today.title", { date: ctx.formatDate(date, lang), count: visits.length }), ...lines].join("\n");
    return [{ identityId: recipient.id, message: { type: "text", text, params: { date: ctx.formatDate(date, lang), count: String(visits.length) } } }];
  },
};
