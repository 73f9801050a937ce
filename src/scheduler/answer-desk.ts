/**
 * Desks (src/desks/desk.ts) for what people answer to reminders:
 *
 * - ReminderAnswerDesk: "sudah / belum / butuh bantuan" to an action_item_due reminder, as a button
 *   (choice id `rem:<reminderId>:done|not_yet|help`) or typed ("sudah", "belum", "bantuan", or
 *   "1"/"2"/"3" from WhatsApp's numbered list). A typed answer is taken only when the person's latest
 *   action-item reminder went out within the last 3 days, is not answered yet, and the person is not
 *   in the middle of a conversation (no active session): otherwise the words belong to the flow. A
 *   bare number also needs the reminder to be the last message the person was sent (else it picks
 *   from whatever numbered list came after).
 *   The answer is written on the ActionPlanItem (progress, progressAt) and on the reminder's payload;
 *   "help" also tells the case's consultant (or, without one, the admins).
 * - ReminderSwitchDesk: "berhenti pengingat" / "aktifkan pengingat" typed at any time. Clients
 *   switch their reminders; staff deadlines cannot be switched off.
 *
 * Put both before the conversation desk. Everything happens in the turn's transaction.
 */
import type { Desk, DeskTurn } from "../desks/desk.js";
import type { EngineMessage } from "../flows/model.js";
import { foldCommand } from "../shared/fold.js";
import type { Inbound } from "../messaging/model.js";
import { readJson, writeJson } from "../db/json-columns.js";
import { ZActionItemDuePayload } from "./kinds/action-item-due.js";
import { ANSWERS, parseAnswerChoiceId, formatDate, type ReminderAnswer } from "./kinds/common.js";
import type { OfficeCalendar } from "../domain/calendar/office-calendar.js";
import { calendarDateOf } from "./reminders.js";
import { reminderOutboxKey, staffRecipients } from "./sweeper.js";

/** How long after it went out a reminder takes a typed answer. */
export const TYPED_ANSWER_WINDOW_MS = 3 * 24 * 60 * 60_000;

export class ReminderAnswerDesk implements Desk {
  constructor(private readonly o: { calendar: OfficeCalendar; windowMs?: number }) {}

  async handle(turn: DeskTurn, message: EngineMessage, _inbound: Inbound | null): Promise<boolean> {
    if (message.type === "choice") {
      const parsed = parseAnswerChoiceId(message.choiceId);
      if (!parsed) return false;
      const reminder = await turn.tx.reminder.findUnique({ where: { id: parsed.reminderId } });
      if (!reminder || reminder.kind !== "action_item_due" || reminder.status !== "done" || !this.belongsTo(turn, reminder)) {
        turn.reply({ type: "text", text: turn.t("reminder.answer.expired") });
        return true;
      }
      await this.record(turn, reminder, parsed.answer);
      return true;
    }
    if (message.type !== "text") return false;
    const answer = typedAnswer(turn, message.text);
    if (!answer) return false;
    if ((await turn.readSession(turn.identity.id)).status === "active") return false;
    const latest = await turn.tx.reminder.findFirst({
      where: {
        kind: "action_item_due",
        status: "done",
        OR: [{ identityId: turn.identity.id }, ...(turn.identity.clientId ? [{ clientId: turn.identity.clientId }] : [])],
      },
      orderBy: { doneAt: "desc" },
    });
    if (!latest?.doneAt) return false;
    if (latest.doneAt.getTime() < turn.now.getTime() - (this.o.windowMs ?? TYPED_ANSWER_WINDOW_MS)) return false;
    if (readJson(ZActionItemDuePayload, latest.payloadJson).answer !== undefined) return false;
    if (/^[123]$/.test(foldCommand(message.text))) {
      // A bare number may pick from another numbered list (a menu sent since): it answers the
      // reminder only while the reminder is the last message this person was sent.
      const last = await turn.tx.outboxMessage.findFirst({ where: { identityId: turn.identity.id }, orderBy: { seq: "desc" }, select: { idempotencyKey: true } });
      if (last?.idempotencyKey !== reminderOutboxKey(latest.id, turn.identity.id)) return false;
    }
    await this.record(turn, latest, answer);
    return true;
  }

  private belongsTo(turn: DeskTurn, r: { identityId: string | null; clientId: string | null }): boolean {
    return r.identityId === turn.identity.id || (r.clientId !== null && r.clientId === turn.identity.clientId);
  }

  private async record(
    turn: DeskTurn,
    reminder: { id: string; refId: string | null; payloadJson: string },
    answer: ReminderAnswer,
  ): Promise<void> {
    const { tx } = turn;
    const item = reminder.refId
      ? await tx.actionPlanItem.findUnique({
          where: { id: reminder.refId },
          select: {
            id: true,
            action: true,
            targetDate: true,
            plan: { select: { case: { select: { id: true, regNumber: true, consultantId: true, closedAt: true, client: { select: { fullName: true } } } } } },
          },
        })
      : null;
    const c = item?.plan.case;
    if (!item || !c || c.closedAt) {
      turn.reply({ type: "text", text: turn.t("reminder.answer.expired") });
      return;
    }
    await tx.actionPlanItem.update({ where: { id: item.id }, data: { progress: answer, progressAt: turn.now } });
    await tx.reminder.update({
      where: { id: reminder.id },
      data: {
        payloadJson: writeJson(ZActionItemDuePayload, {
          ...readJson(ZActionItemDuePayload, reminder.payloadJson),
          answer,
          answeredAt: turn.now.toISOString(),
          answeredBy: turn.identity.id,
        }),
      },
    });
    turn.audit({ action: "action_item.progress", entity: "ActionPlanItem", entityId: item.id, detail: { answer, reminderId: reminder.id } });
    const name = c.client.fullName.trim() || turn.t("reminder.name_fallback");
    turn.reply({ type: "text", text: turn.t(`reminder.answer.${answer}`, { name }) });
    if (answer !== "help") return;
    let staff = c.consultantId ? await staffRecipients(tx, { staffIds: [c.consultantId] }) : [];
    if (staff.length === 0) staff = await staffRecipients(tx, { roles: ["admin"] });
    const date = calendarDateOf(item.targetDate, this.o.calendar);
    for (const s of staff) {
      await turn.tellWith(s.id, (t) => ({
        type: "text",
        text: t.t("reminder.help.to_consultant", { client: name, regNumber: c.regNumber, action: item.action, date: formatDate(date, t.lang, this.o.calendar) }),
      }));
    }
  }
}

/** "sudah" / "belum" / "bantuan" (and their synonyms in either language), or 1 / 2 / 3. */
function typedAnswer(turn: DeskTurn, text: string): ReminderAnswer | undefined {
  const folded = foldCommand(text);
  if (/^[123]$/.test(folded)) return ANSWERS[Number(folded) - 1];
  const t = turn.translator();
  for (const a of ANSWERS) if (t.words(`reminder.words.${a}`).includes(folded)) return a;
  return undefined;
}

export class ReminderSwitchDesk implements Desk {
  async handle(turn: DeskTurn, message: EngineMessage, _inbound: Inbound | null): Promise<boolean> {
    if (message.type !== "text") return false;
    const folded = foldCommand(message.text);
    const t = turn.translator();
    const on = t.words("reminder.words.on").includes(folded);
    const off = !on && t.words("reminder.words.off").includes(folded);
    if (!on && !off) return false;
    if (turn.identity.staffId) {
      turn.reply({ type: "text", text: turn.t("reminder.switch.staff") });
      return true;
    }
    const { tx } = turn;
    await tx.identity.update({ where: { id: turn.identity.id }, data: { remindersOn: on } });
    if (turn.identity.clientId) {
      // The person, not one of their chats: every identity of the client follows.
      await tx.client.update({ where: { id: turn.identity.clientId }, data: { remindersOn: on } });
      await tx.identity.updateMany({ where: { clientId: turn.identity.clientId, staffId: null }, data: { remindersOn: on } });
    }
    turn.audit({ action: on ? "reminders.on" : "reminders.off", entity: "Identity", entityId: turn.identity.id });
    turn.reply({ type: "text", text: turn.t(on ? "reminder.switch.on" : "reminder.switch.off") });
    return true;
  }
}

/** Both desks, in the order to put them before the conversation desk. */
export function reminderDesks(o: { calendar: OfficeCalendar }): Desk[] {
  return [new ReminderSwitchDesk(), new ReminderAnswerDesk(o)];
}
