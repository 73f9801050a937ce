/** Small helpers the kinds share: names, dates, the answer choices of action-item reminders, morning lists. */
import type { Tx } from "../../db/client.js";
import { clockTime, formatFullDate, type Lang, type Translator } from "../../i18n/index.js";
import type { Choice } from "../../messaging/model.js";
import { localParts } from "../../shared/time.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { scheduleReminder, STAFF_MORNING_TIME, type ScheduledReminder } from "../reminders.js";
import type { Recipient, ReminderRow } from "./types.js";
import { decodeButton, encodeButton, REMINDER_ANSWERS } from "../../domain/buttons.js";

export const ANSWERS = REMINDER_ANSWERS;
export type ReminderAnswer = (typeof ANSWERS)[number];

/** `rem:<reminderId>:<answer>`: the choice ids of an action-item reminder (buttons, numbered list). */
export function answerChoiceId(reminderId: string, answer: ReminderAnswer): string {
  return encodeButton({ kind: "reminder", reminderId, answer });
}

export function parseAnswerChoiceId(choiceId: string): { reminderId: string; answer: ReminderAnswer } | undefined {
  const b = decodeButton(choiceId);
  return b?.kind === "reminder" ? { reminderId: b.reminderId, answer: b.answer } : undefined;
}

/** The three answers in the order WhatsApp numbers them (1 sudah, 2 belum, 3 butuh bantuan). */
export function answerChoices(reminderId: string, t: Translator): Choice[] {
  return ANSWERS.map((a) => ({ id: answerChoiceId(reminderId, a), label: t.t(`reminder.choice.${a}`) }));
}

/** What to call the client: their registered name, else the channel's display name, else "Bapak/Ibu". */
export async function clientName(tx: Tx, reminder: ReminderRow, recipient: Recipient | null, t: Translator): Promise<string> {
  const clientId = reminder.clientId ?? recipient?.clientId ?? null;
  if (clientId) {
    const c = await tx.client.findUnique({ where: { id: clientId }, select: { fullName: true, anonymisedAt: true } });
    if (c && !c.anonymisedAt && c.fullName.trim() !== "") return c.fullName.trim();
  }
  const display = recipient?.displayName?.trim();
  return display ? display : t.t("reminder.name_fallback");
}

/** "Senin, 16 Maret 2026" (id) or "Monday, 16 March 2026" (en). A string is a calendar date. */
export function formatDate(date: string | Date, lang: Lang, calendar: OfficeCalendar): string {
  return formatFullDate(typeof date === "string" ? date : calendar.localDate(date), lang);
}

/** "10.15" (id) or "10:15" (en), local time. */
export function formatTime(at: Date, lang: Lang, calendar: OfficeCalendar): string {
  const p = localParts(at, calendar.tz);
  return clockTime(p.hour, p.minute, lang);
}

/** The case fields every staff message names. */
export async function caseHeader(tx: Tx, caseId: string | null) {
  if (!caseId) return null;
  return tx.consultationCase.findUnique({
    where: { id: caseId },
    select: {
      id: true,
      regNumber: true,
      status: true,
      step: true,
      consultantId: true,
      closedAt: true,
      clientId: true,
      client: { select: { fullName: true, anonymisedAt: true } },
    },
  });
}

export function caseClientName(c: { client: { fullName: string; anonymisedAt: Date | null } }, t: Translator): string {
  return c.client.anonymisedAt || c.client.fullName.trim() === "" ? t.t("reminder.name_fallback") : c.client.fullName.trim();
}

/** Statuses in which a case is finished for the consultant. */
export const CLOSED_STATUSES = ["closed", "reported"] as const;

/** A list for a chat message: at most `max` lines, then "... and N more". */
export function capLines(lines: string[], max: number, more: (n: number) => string): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), more(lines.length - max)];
}

/**
 * A staff morning list of `date` (digest, today's monitoring): one row per staff member, due at
 * 07:30, keyed by kind, date and person, so a second run or instance plans nothing new.
 */
export async function planMorningList(
  tx: Tx,
  input: { kind: string; staffIds: readonly string[]; date: string; calendar: OfficeCalendar; payloadJson: string },
): Promise<ScheduledReminder[]> {
  const dueAt = input.calendar.at(input.date, STAFF_MORNING_TIME);
  const out: ScheduledReminder[] = [];
  for (const staffId of input.staffIds) {
    out.push(await scheduleReminder(tx, { kind: input.kind, dueAt, staffId, payloadJson: input.payloadJson, idempotencyKey: `${input.kind}:${input.date}:${staffId}` }));
  }
  return out;
}
