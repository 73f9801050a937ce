/**
 * Reminders are rows with a due time (model Reminder), written in the same transaction as what
 * caused them (a plan agreed, a date set, a step started), never timers in memory: a restart loses
 * none. The sweeper (sweeper.ts) turns due rows into outbox messages exactly once.
 *
 * This file keeps the rows: scheduleReminder, planReminder (which brings back a reminder the
 * workflow cancelled) and cancelReminders. What each kind plans (its due times, keys and payload)
 * is in its own file under kinds/, beside how it is rendered.
 */
import type { Tx } from "../db/client.js";
import { providerOf } from "../db/provider.js";
import { JsonColumnError, readJson, writeJson, ZReminderPayload, type TReminderPayload } from "../db/json-columns.js";
import type { OfficeCalendar } from "../domain/calendar/office-calendar.js";

export const REMINDER_KINDS = [
  "registration_incomplete",
  "action_item_due",
  "monitoring_checkin",
  "monitoring_today",
  "sla_admin_confirm",
  "sla_consultant_accept",
  "sla_step",
  "consultant_digest",
  "impact_followup",
  "appointment_reminder",
  "appointment_reminder_staff",
  "complaint_overdue",
  "admin_digest",
  "announcement",
  "announcement_promoted",
  "announcement_event",
] as const;
export type ReminderKindName = (typeof REMINDER_KINDS)[number];

export type ReminderStatus = "pending" | "claimed" | "done" | "cancelled";

/** Why a reminder was cancelled, kept in its payload as `cancelReason`. */
export type CancelReason =
  | "workflow"
  | "replanned"
  | "reminders_off"
  | "unreachable"
  | "no_recipient"
  | "resolved"
  | "stale"
  | "unknown_kind"
  | "failed"
  | (string & {});

/** Local time of day the client-facing reminders of a date go out. */
export const CLIENT_REMINDER_TIME = "09:00";
/** Local time the consultants' morning lists (digest, today's monitoring) go out. */
export const STAFF_MORNING_TIME = "07:30";
/** Second registration reminder (the last one) this many days after the first. */
export const REGISTRATION_LAST_AFTER_DAYS = 3;

export interface ScheduleReminderInput {
  kind: ReminderKindName | (string & {});
  dueAt: Date;
  /** The person messaged, for client kinds (staff kinds find their recipients themselves). */
  identityId?: string | null;
  staffId?: string | null;
  clientId?: string | null;
  caseId?: string | null;
  /** The thing reminded about (an action-plan item, a monitoring visit). */
  refId?: string | null;
  /** The kind's payload, written with writeJson(<kind>.payload, ...); default: none. */
  payloadJson?: string;
  /** Unique per reminder: scheduling the same key again changes nothing. */
  idempotencyKey: string;
}

export interface ScheduledReminder {
  id: string;
  /** False when a reminder with the key existed already (it was left alone). */
  created: boolean;
}

/**
 * The sweep's bookkeeping of a payload (why cancelled, attempts, last error) with the kind's fields
 * as they are. A payload that cannot be read keeps its text under `unreadablePayload`: cancelling
 * a reminder or counting its failures needs none of its fields, and must not stop on a broken one.
 */
export function bookkeepingOf(payloadJson: string): TReminderPayload {
  try {
    return readJson(ZReminderPayload, payloadJson);
  } catch (e) {
    if (!(e instanceof JsonColumnError)) throw e;
    return { unreadablePayload: payloadJson };
  }
}

/** The payload with the sweep's bookkeeping changed. */
export function withBookkeeping(payloadJson: string, change: Partial<TReminderPayload>): string {
  return writeJson(ZReminderPayload, { ...bookkeepingOf(payloadJson), ...change });
}

/**
 * Write a reminder due at `dueAt`. Idempotent: when a reminder with the same key exists (in any
 * status) it is left alone. On PostgreSQL the insert is ON CONFLICT DO NOTHING, so two instances
 * scheduling the same key at once do not fail.
 */
export async function scheduleReminder(tx: Tx, input: ScheduleReminderInput): Promise<ScheduledReminder> {
  if (providerOf(tx) === "sqlite") {
    const existing = await tx.reminder.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } });
    if (existing) return { id: existing.id, created: false };
  }
  return insertReminder(tx, input);
}

/**
 * The insert itself, once the caller found no reminder with the key. On SQLite nothing can have
 * written one since (one writer, inside this transaction); on PostgreSQL another instance may
 * have, so the insert skips a duplicate there and reads the row the key names.
 */
async function insertReminder(tx: Tx, input: ScheduleReminderInput): Promise<ScheduledReminder> {
  const data = {
    kind: input.kind,
    dueAt: input.dueAt,
    identityId: input.identityId ?? null,
    staffId: input.staffId ?? null,
    clientId: input.clientId ?? null,
    caseId: input.caseId ?? null,
    refId: input.refId ?? null,
    payloadJson: input.payloadJson ?? writeJson(ZReminderPayload, {}),
    idempotencyKey: input.idempotencyKey,
  };
  if (providerOf(tx) === "postgresql") {
    // skipDuplicates (ON CONFLICT DO NOTHING) exists on PostgreSQL only; Db is typed as the SQLite client.
    const reminders = tx.reminder as unknown as { createMany(a: { data: (typeof data)[]; skipDuplicates: boolean }): Promise<{ count: number }> };
    const created = await reminders.createMany({ data: [data], skipDuplicates: true });
    const row = await tx.reminder.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } });
    return { id: row.id, created: created.count === 1 };
  }
  const row = await tx.reminder.create({ data, select: { id: true } });
  return { id: row.id, created: true };
}

export interface CancelFilter {
  caseId?: string;
  kinds?: readonly string[];
  refId?: string;
  identityId?: string;
  clientId?: string;
  staffId?: string;
  idempotencyKeys?: readonly string[];
  /** Kept out of the cancellation (the keys of a new plan). */
  exceptKeys?: readonly string[];
}

/**
 * Cancel the reminders that have not gone out yet (pending, or claimed by a sweeper that has not
 * written them: its write checks the claim, so a cancelled reminder is never sent). Returns how
 * many were cancelled. A filter that names no case, person, thing or key cancels nothing.
 */
export async function cancelReminders(tx: Tx, filter: CancelFilter, reason: CancelReason = "workflow"): Promise<number> {
  const where = {
    status: { in: ["pending", "claimed"] },
    ...(filter.caseId !== undefined ? { caseId: filter.caseId } : {}),
    ...(filter.kinds !== undefined ? { kind: { in: [...filter.kinds] } } : {}),
    ...(filter.refId !== undefined ? { refId: filter.refId } : {}),
    ...(filter.identityId !== undefined ? { identityId: filter.identityId } : {}),
    ...(filter.clientId !== undefined ? { clientId: filter.clientId } : {}),
    ...(filter.staffId !== undefined ? { staffId: filter.staffId } : {}),
    ...(filter.idempotencyKeys !== undefined || filter.exceptKeys !== undefined
      ? {
          idempotencyKey: {
            ...(filter.idempotencyKeys !== undefined ? { in: [...filter.idempotencyKeys] } : {}),
            ...(filter.exceptKeys !== undefined ? { notIn: [...filter.exceptKeys] } : {}),
          },
        }
      : {}),
  };
  // Something must say whose reminders: kinds or exceptKeys alone would reach every person's.
  const scoped = [filter.caseId, filter.refId, filter.identityId, filter.clientId, filter.staffId, filter.idempotencyKeys].some((v) => v !== undefined);
  if (!scoped) return 0;
  const rows = await tx.reminder.findMany({ where, select: { id: true, payloadJson: true } });
  for (const r of rows) {
    await tx.reminder.update({
      where: { id: r.id },
      data: {
        status: "cancelled",
        claimedBy: null,
        claimedUntil: null,
        payloadJson: withBookkeeping(r.payloadJson, { cancelReason: reason }),
      },
    });
  }
  return rows.length;
}

/** Cancel a case's open reminders, of some kinds or all (case closed, plan replaced, step done). */
export function cancelCaseReminders(tx: Tx, caseId: string, kinds?: readonly string[]): Promise<number> {
  return cancelReminders(tx, kinds ? { caseId, kinds } : { caseId }, "workflow");
}

/**
 * Schedule for a plan: like scheduleReminder, but a reminder with the same key that the workflow
 * cancelled earlier (a plan withdrawn, then agreed again with the same date) is brought back.
 */
export async function planReminder(tx: Tx, input: ScheduleReminderInput): Promise<ScheduledReminder> {
  const existing = await tx.reminder.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
    select: { id: true, status: true, payloadJson: true },
  });
  if (existing?.status === "cancelled") {
    const { cancelReason } = readJson(ZReminderPayload, existing.payloadJson);
    if (cancelReason === "workflow" || cancelReason === "replanned") {
      await tx.reminder.update({
        where: { id: existing.id },
        data: {
          status: "pending",
          dueAt: input.dueAt,
          claimedBy: null,
          claimedUntil: null,
          doneAt: null,
          payloadJson: input.payloadJson ?? writeJson(ZReminderPayload, {}),
        },
      });
      return { id: existing.id, created: true };
    }
  }
  if (existing) return { id: existing.id, created: false };
  // Looked up just now: no second lookup (a registration plans several reminders at once).
  return insertReminder(tx, input);
}

/**
 * The calendar date a stored date means: dates the forms store are midnight UTC (src/shared/time.ts
 * dateOnly); any other instant is read as the local date in the office time zone.
 */
export function calendarDateOf(d: Date, calendar: OfficeCalendar): string {
  const iso = d.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : calendar.localDate(d);
}
