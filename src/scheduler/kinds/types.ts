/**
 * What a reminder kind is: who it speaks to, the payload it keeps on its rows (its schema), and how
 * it turns one due row into messages. Each kind's file also plans its rows (plan*), so what a
 * kind writes and what it reads sit side by side.
 */
import type { z } from "zod";
import type { Tx } from "../../db/client.js";
import type { ClaimedReminder } from "../../db/reminder-claims.js";
import { column, ZReminderPayload, type ColumnSchema } from "../../db/json-columns.js";
import type { Outbound } from "../../messaging/model.js";
import type { Lang, Translator } from "../../i18n/index.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";

/** A reminder row as the sweeper claimed it (the payload is read through the kind's schema). */
export type ReminderRow = ClaimedReminder;

/** A person a message can go to (one identity on one channel). */
export interface Recipient {
  id: string;
  channel: string;
  address: string;
  language: string;
  clientId: string | null;
  staffId: string | null;
  displayName: string | null;
}

export interface RenderedMessage {
  identityId: string;
  message: Outbound;
}

export interface RenderContext<P = unknown> {
  tx: Tx;
  reminder: ReminderRow;
  /** The row's payload, read through the kind's schema. */
  payload: P;
  now: Date;
  /** Texts in the recipient's language (client kinds), or in Indonesian (staff kinds). */
  t: Translator;
  calendar: OfficeCalendar;
  /** Client kinds: the identity the reminder goes to (checked reachable, reminders on). */
  recipient: Recipient | null;
  /** Texts in another language (a staff recipient's). */
  translator(lang: string): Translator;
  /**
   * The identities staff are reached on: one per staff member (reachable first, then by channel:
   * telegram, whatsapp, web), for the active staff with the given ids and/or roles.
   */
  staffRecipients(filter: { staffIds?: readonly string[]; roles?: readonly string[] }): Promise<Recipient[]>;
  /** Nothing to send and nothing to send later: the reminder is cancelled with this reason. */
  skip(reason: string): RenderedMessage[];
  /** A date for people: "Senin, 16 Maret 2026" / "Monday, 16 March 2026". */
  formatDate(date: string | Date, lang: Lang): string;
}

export interface ReminderKind<P = unknown> {
  kind: string;
  /**
   * Client kinds respect quiet hours and the person's switch (`optOut`); staff kinds ignore both.
   * "clients": several clients the kind picks itself in `render` (those attending an event): quiet
   * hours apply, the kind checks each person's switch.
   */
  audience: "client" | "staff" | "clients";
  /**
   * Client kinds: which of the person's switches stops it: their reminders ("berhenti pengingat",
   * the default) or the office's announcements ("berhenti info").
   */
  optOut?: "reminders" | "announcements";
  /** What the kind keeps in Reminder.payloadJson (made with reminderPayload()). */
  payload: ColumnSchema<z.ZodType<P>>;
  render(ctx: RenderContext<P>): Promise<RenderedMessage[]>;
}

/**
 * A kind's payload schema: its own fields beside the sweep's bookkeeping (ZReminderPayload). Other
 * fields are kept as they are, so reading and writing a payload back loses nothing.
 */
export function reminderPayload<T extends z.core.$ZodLooseShape>(shape: T) {
  return column("Reminder.payloadJson", ZReminderPayload.extend(shape));
}
