/** monitoring_checkin: the agreed monitoring and evaluation date (SOP step 6) has come: tell the client. */
import { caseHeader, clientName, langOf } from "./common.js";
import type { ReminderKind } from "./types.js";

export const monitoringCheckin: ReminderKind = {
  kind: "monitoring_checkin",
  audience: "client",
  async render(ctx) {
    const { tx, reminder, t, calendar } = ctx;
    const date = typeof reminder.payload.date === "string" ? reminder.payload.date : undefined;
    if (!reminder.refId || !date) return ctx.skip("bad_payload");
    const visit = await tx.monitoringVisit.findUnique({
      where: { id: reminder.refId },
      select: { reportedAt: true, evaluatedAt: true, caseId: true },
    });
    const c = await caseHeader(tx, visit?.caseId ?? reminder.caseId);
    if (!visit || !c || c.closedAt || visit.reportedAt || visit.evaluatedAt) return ctx.skip("resolved");
    if (calendar.localDate(ctx.now) > date) return ctx.skip("stale");
    const recipient = ctx.recipient!;
    const params = {
      name: await clientName(tx, reminder, recipient, t),
      regNumber: c.regNumber,
      date: ctx.formatDate(date, langOf(recipient.language)),
    };
    const text = t.t("reminder.monitoring.checkin", params);
    return [{ identityId: recipient.id, message: { type: "text", text, params } }];
  },
};
