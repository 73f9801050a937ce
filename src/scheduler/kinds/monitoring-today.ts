/**
 * monitoring_today: a consultant's list of the monitoring and evaluation visits of the day (SOP
 * step 6), at 07:30 on working days. The rows are written by the morning job (jobs.ts), one per
 * consultant and day, so several instances send each list once.
 */
import type { Tx } from "../../db/client.js";
import { addDays, dateOnly } from "../../shared/time.js";
import type { OfficeCalendar } from "../office-calendar.js";
import { calendarDateOf } from "../reminders.js";
import { capLines, caseClientName, langOf } from "./common.js";
import type { ReminderKind } from "./types.js";

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

export const monitoringToday: ReminderKind = {
  kind: "monitoring_today",
  audience: "staff",
  async render(ctx) {
    const { tx, reminder, calendar } = ctx;
    const date = typeof reminder.payload.date === "string" ? reminder.payload.date : calendar.localDate(ctx.now);
    if (!reminder.staffId) return ctx.skip("bad_payload");
    const visits = await visitsOn(tx, calendar, date, { staffId: reminder.staffId });
    if (visits.length === 0) return ctx.skip("nothing_due");
    const [recipient] = await ctx.staffRecipients({ staffIds: [reminder.staffId] });
    if (!recipient) return ctx.skip("no_recipient");
    const lang = langOf(recipient.language);
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
