/**
 * admin_digest: each working day at 07:30, each active admin gets what waits on the admins: cases
 * waiting for their area (SOP step 3, oldest first) and complaints not answered yet. Nothing is sent
 * on a morning when nothing waits. The morning job (jobs.ts) plans the rows, one per admin and day.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import type { ScheduledReminder } from "../reminders.js";
import { capLines, caseClientName, planMorningList } from "./common.js";
import { toLang } from "../../i18n/index.js";
import { reminderPayload, type ReminderKind } from "./types.js";

/** The day of the digest (calendar date). */
export const ZAdminDigestPayload = reminderPayload({ date: z.iso.date() });
export type TAdminDigestPayload = z.infer<typeof ZAdminDigestPayload>;

/** The digests of `date`: one row for every active admin. */
export async function planAdminDigests(tx: Tx, input: { date: string; calendar: OfficeCalendar }): Promise<ScheduledReminder[]> {
  const staffIds = (await tx.staff.findMany({ where: { role: "admin", active: true }, select: { id: true }, orderBy: { createdAt: "asc" } })).map((s) => s.id);
  return planMorningList(tx, { kind: "admin_digest", staffIds, payloadJson: writeJson(ZAdminDigestPayload, { date: input.date }), ...input });
}

export const adminDigest: ReminderKind<TAdminDigestPayload> = {
  kind: "admin_digest",
  audience: "staff",
  payload: ZAdminDigestPayload,
  async render(ctx) {
    const { tx, reminder } = ctx;
    if (!reminder.staffId) return ctx.skip("bad_payload");
    const staff = await tx.staff.findUnique({ where: { id: reminder.staffId }, select: { name: true, active: true, role: true } });
    if (!staff || !staff.active || staff.role !== "admin") return ctx.skip("no_recipient");
    const [cases, complaints] = await Promise.all([
      tx.consultationCase.findMany({
        where: { status: "awaiting_routing", closedAt: null },
        select: { regNumber: true, createdAt: true, client: { select: { fullName: true, anonymisedAt: true } } },
        orderBy: { createdAt: "asc" },
      }),
      tx.complaint.findMany({ where: { status: { in: ["new", "being_handled"] } }, select: { id: true, createdAt: true, dueAt: true }, orderBy: { createdAt: "asc" } }),
    ]);
    if (cases.length === 0 && complaints.length === 0) return ctx.skip("nothing_due");
    const [recipient] = await ctx.staffRecipients({ staffIds: [reminder.staffId] });
    if (!recipient) return ctx.skip("no_recipient");
    const lang = toLang(recipient.language);
    const t = ctx.translator(lang);
    const today = ctx.payload.date;
    const more = (n: number) => t.t("reminder.list.more", { count: n });
    const caseLines = capLines(
      cases.map((c) => t.t("reminder.admin_digest.case_line", { regNumber: c.regNumber, client: caseClientName(c, t), date: ctx.formatDate(c.createdAt, lang) })),
      30,
      more,
    );
    const complaintLines = capLines(
      complaints.map((c) =>
        t.t(c.dueAt && c.dueAt < ctx.now ? "reminder.admin_digest.complaint_overdue" : "reminder.admin_digest.complaint_line", {
          id: c.id.slice(-6),
          date: ctx.formatDate(c.createdAt, lang),
          due: c.dueAt ? ctx.formatDate(c.dueAt, lang) : "-",
        }),
      ),
      30,
      more,
    );
    const text = [
      t.t("reminder.admin_digest.title", { name: staff.name, date: ctx.formatDate(today, lang) }),
      ...(cases.length > 0 ? ["", t.t("reminder.admin_digest.cases", { count: cases.length }), ...caseLines] : []),
      ...(complaints.length > 0 ? ["", t.t("reminder.admin_digest.complaints", { count: complaints.length }), ...complaintLines] : []),
    ].join("\n");
    const waiting = String(cases.length + complaints.length);
    return [{ identityId: recipient.id, message: { type: "text", text, params: { name: staff.name, date: ctx.formatDate(today, lang), waiting } } }];
  },
};
