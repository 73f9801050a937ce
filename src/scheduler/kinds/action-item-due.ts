/**
 * action_item_due: an action-plan item's target date is tomorrow ("before") or today ("due"). The
 * client answers sudah / belum / butuh bantuan (answer-desk.ts records it on the item).
 */
import { answerChoices, clientName, langOf } from "./common.js";
import type { ReminderKind } from "./types.js";

export const actionItemDue: ReminderKind = {
  kind: "action_item_due",
  audience: "client",
  async render(ctx) {
    const { tx, reminder, t, calendar } = ctx;
    const stage = reminder.payload.stage === "before" ? "before" : "due";
    const date = typeof reminder.payload.date === "string" ? reminder.payload.date : undefined;
    if (!reminder.refId || !date) return ctx.skip("bad_payload");
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
    const params = { name, action: item.action, date: ctx.formatDate(date, langOf(recipient.language)) };
    const text = t.t(`reminder.action_item.${stage}`, params);
    return [{ identityId: recipient.id, message: { type: "text", text, choices: answerChoices(reminder.id, t), params } }];
  },
};
