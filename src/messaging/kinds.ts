/**
 * Kinds of message the office sends on its own initiative, with the named values each carries in
 * `Outbound.params`. A channel that cannot send free text to someone who has not written lately
 * (WhatsApp's 24-hour customer-service window) sends an approved template for the kind instead,
 * filled from these values (conversations/whatsapp-templates.yaml). Replies to what a person just
 * wrote carry no kind: they are inside the window by nature.
 */
import { z } from "zod";

export interface MessageKindSpec {
  /** Who receives it. */
  audience: "client" | "staff";
  /** Values the message carries in `params`, usable as template body parameters. */
  params: readonly string[];
  /** How many answer choices the message offers (quick-reply buttons on a template can carry them). */
  choices: number;
  /** What it is, for people who write templates. */
  about: string;
}

export const MESSAGE_KINDS = {
  action_item_due: {
    audience: "client",
    params: ["name", "action", "date"],
    choices: 3,
    about: "action-plan reminder, the day before and on the target date (sudah / belum / butuh bantuan)",
  },
  monitoring_checkin: { audience: "client", params: ["name", "regNumber", "date"], choices: 0, about: "monitoring and evaluation visit today" },
  registration_incomplete: { audience: "client", params: ["name", "regNumber", "missing"], choices: 0, about: "registration still missing documents" },
  survey: { audience: "client", params: ["regNumber"], choices: 0, about: "SKM satisfaction survey after the case is closed" },
  impact_followup: {
    audience: "client",
    params: ["name", "regNumber", "months"],
    choices: 2,
    about: "three and six months after a case closed: how is the business doing now (start / not now)",
  },
  monitoring_today: { audience: "staff", params: ["date", "count"], choices: 0, about: "the day's monitoring list for consultants" },
  sla_admin_confirm: { audience: "staff", params: ["regNumber", "waited", "minutes"], choices: 0, about: "a case waiting for the admin's confirmation beyond the SOP time" },
  sla_step: { audience: "staff", params: ["regNumber", "waited", "minutes"], choices: 0, about: "any other SOP step over its standard time: to the admins (and the consultant), at twice the standard to the head" },
  sla_consultant_accept: { audience: "staff", params: ["regNumber", "waited", "minutes"], choices: 0, about: "a case waiting for the consultant's acceptance beyond the SOP time" },
  complaint_overdue: { audience: "staff", params: ["id", "days"], choices: 0, about: "a complaint not answered within COMPLAINT_DEADLINE_DAYS working days, to the head of UPT" },
  admin_digest: { audience: "staff", params: ["name", "date", "waiting"], choices: 0, about: "the admins' morning digest: cases waiting for their area and complaints not answered" },
  consultant_digest: { audience: "staff", params: ["name", "date", "open"], choices: 0, about: "the consultant's morning digest" },
  appointment_reminder: {
    audience: "client",
    params: ["name", "slot", "consultant", "regNumber"],
    choices: 2,
    about: "an appointment with the consultant, the day before at 09:00 and an hour before (reschedule / cancel)",
  },
  appointment_reminder_staff: { audience: "staff", params: ["slot", "client", "regNumber"], choices: 2, about: "the consultant's appointment, the day before at 09:00 and an hour before (reschedule / cancel)" },
  announcement: {
    audience: "client",
    params: ["title"],
    choices: 2,
    about: "an announcement (pengumuman) from the office to the audience an admin chose, with Ikut / Tidak bisa when it takes sign-ups",
  },
  announcement_event: { audience: "client", params: ["name", "title", "date"], choices: 0, about: "the day before an announced event, to those who signed up (Ikut)" },
  announcement_promoted: { audience: "client", params: ["name", "title"], choices: 0, about: "a place came free: the first on an announcement's waiting list is now signed up" },
  weekly_summary: { audience: "staff", params: ["name", "period"], choices: 0, about: "the head of UPT's weekly summary with the report attached" },
  notification: {
    audience: "client",
    params: [],
    choices: 0,
    about: "anything else the office sends someone outside their own conversation: staff notifications, a consultant's message relayed to a client, case updates",
  },
  delivery_alert: { audience: "staff", params: [], choices: 0, about: "an admin told that a message could not be delivered (never sent as a template: no alert about an alert)" },
} as const satisfies Record<string, MessageKindSpec>;

export type MessageKind = keyof typeof MESSAGE_KINDS;
export const MESSAGE_KIND_NAMES = Object.keys(MESSAGE_KINDS) as MessageKind[];
export const ZMessageKind = z.enum(MESSAGE_KIND_NAMES as [MessageKind, ...MessageKind[]]);

export function isMessageKind(s: string): s is MessageKind {
  return Object.hasOwn(MESSAGE_KINDS, s);
}

/** Kinds a template may stand in for (an alert to admins waits for them to write instead). */
export const TEMPLATE_KINDS: readonly MessageKind[] = MESSAGE_KIND_NAMES.filter((k) => k !== "delivery_alert");

/**
 * Kinds the outbox sends at most once (src/outbox/store.ts `markSending`): a message to many people
 * that one of them may miss after a crash, but none may get twice. Every other kind goes again
 * after a crash (at least once): a lost reminder or reply costs the person more than a repeat.
 */
export const SENT_AT_MOST_ONCE: ReadonlySet<MessageKind> = new Set<MessageKind>(["announcement"]);
