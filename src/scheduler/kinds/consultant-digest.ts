/**
 * consultant_digest: each working day at 07:30, each active consultant gets their open cases and
 * what is due today or overdue (action-plan items not done, monitoring not yet evaluated). The
 * morning job (jobs.ts) plans the rows, one per consultant and day.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import { addDays, dateOnly } from "../../shared/time.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { calendarDateOf, type ScheduledReminder } from "../reminders.js";
import { capLines, caseClientName, CLOSED_STATUSES, planMorningList } from "./common.js";
import { toLang } from "../../i18n/index.js";
import { visitsOn } from "./monitoring-today.js";
import { placeLine, slotLabel, weekOf } from "../../domain/appointments/index.js";
import { reminderPayload, type ReminderKind } from "./types.js";

/** The day of the digest (calendar date). */
export const ZConsultantDigestPayload = reminderPayload({ date: z.iso.date() });
export type TConsultantDigestPayload = z.infer<typeof ZConsultantDigestPayload>;

/** The digests of `date`: one row for every active consultant. */
export async function planConsultantDigests(tx: Tx, input: { date: string; calendar: OfficeCalendar }): Promise<ScheduledReminder[]> {
  const staffIds = (await tx.staff.findMany({ where: { role: "consultant", active: true }, select: { id: true }, orderBy: { createdAt: "asc" } })).map((s) => s.id);
  return planMorningList(tx, { kind: "consultant_digest", staffIds, payloadJson: writeJson(ZConsultantDigestPayload, { date: input.date }), ...input });
}

export const consultantDigest: ReminderKind<TConsultantDigestPayload> = {
  kind: "consultant_digest",
  audience: "staff",
  payload: ZConsultantDigestPayload,
  async render(ctx) {
    const { tx, reminder, calendar } = ctx;
    if (!reminder.staffId) return ctx.skip("bad_payload");
    const today = ctx.payload.date;
    const staff = await tx.staff.findUnique({ where: { id: reminder.staffId }, select: { name: true, active: true, role: true } });
    if (!staff || !staff.active) return ctx.skip("no_recipient");
    const cases = await tx.consultationCase.findMany({
      where: { consultantId: reminder.staffId, closedAt: null, status: { notIn: [...CLOSED_STATUSES] } },
      select: { id: true, regNumber: true, status: true, client: { select: { fullName: true, anonymisedAt: true } } },
      orderBy: { createdAt: "asc" },
    });
    if (cases.length === 0) return ctx.skip("nothing_due");
    const [recipient] = await ctx.staffRecipients({ staffIds: [reminder.staffId] });
    if (!recipient) return ctx.skip("no_recipient");
    const lang = toLang(recipient.language);
    const t = ctx.translator(lang);
    const caseIds = cases.map((c) => c.id);
    const regOf = new Map(cases.map((c) => [c.id, c.regNumber]));

    const items = (
      await tx.actionPlanItem.findMany({
        where: {
          progress: { not: "done" },
          targetDate: { lt: dateOnly(addDays(today, 2)) },
          plan: { caseId: { in: caseIds }, status: "agreed" },
        },
        select: { action: true, targetDate: true, plan: { select: { caseId: true } } },
        orderBy: { targetDate: "asc" },
      })
    )
      .map((i) => ({ ...i, date: calendarDateOf(i.targetDate, calendar) }))
      .filter((i) => i.date <= today);
    const visits = await visitsOn(tx, calendar, today, { caseIds, orEarlier: true });

    const caseLines = capLines(
      cases.map((c) =>
        t.t("reminder.digest.case_line", {
          regNumber: c.regNumber,
          client: caseClientName(c, t),
          status: t.has(`reminder.status.${c.status}`) ? t.t(`reminder.status.${c.status}`) : c.status,
        }),
      ),
      30,
      (n) => t.t("reminder.list.more", { count: n }),
    );
    const dueLines = capLines(
      [
        ...visits.map((v) =>
          t.t(v.date < today ? "reminder.digest.visit_overdue" : "reminder.digest.visit_today", {
            regNumber: v.case.regNumber,
            date: ctx.formatDate(v.date, lang),
          }),
        ),
        ...items.map((i) =>
          t.t(i.date < today ? "reminder.digest.item_overdue" : "reminder.digest.item_today", {
            regNumber: regOf.get(i.plan.caseId) ?? "-",
            action: i.action,
            date: ctx.formatDate(i.date, lang),
          }),
        ),
      ],
      30,
      (n) => t.t("reminder.list.more", { count: n }),
    );
    const appointments = await weekOf(tx, { from: calendar.at(today, "00:00"), to: calendar.at(addDays(today, 1), "00:00"), consultantId: reminder.staffId });
    const appointmentLines = appointments.map((a) =>
      t.t("appt.digest.line", { slot: slotLabel(a.startsAt, t, calendar.tz), regNumber: a.regNumber, client: a.clientName, where: placeLine(a, t, "staff") }),
    );
    const text = [
      t.t("reminder.digest.title", { name: staff.name, date: ctx.formatDate(today, lang) }),
      "",
      t.t("reminder.digest.open", { count: cases.length }),
      ...caseLines,
      "",
      ...(dueLines.length > 0 ? [t.t("reminder.digest.due", { count: visits.length + items.length }), ...dueLines] : [t.t("reminder.digest.none_due")]),
      ...(appointmentLines.length > 0 ? ["", t.t("appt.digest.title", { count: appointmentLines.length }), ...appointmentLines] : []),
    ].join("\n");
    return [{ identityId: recipient.id, message: { type: "text", text, params: { name: staff.name, date: ctx.formatDate(today, lang), open: String(cases.length) } } }];
  },
};
