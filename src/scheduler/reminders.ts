/**
 * Reminders are rows with a due time (model Reminder), written in the same transaction as what
 * caused them (a plan agreed, a date set, a step started), never timers in memory: a restart loses
 * none. The sweeper (sweeper.ts) turns due rows into outbox messages exactly once.
 *
 * This file is what the workflow calls: scheduleReminder / cancelReminders, and the plan* helpers
 * that know each kind's due times and idempotency keys.
 */
import { z } from "zod";
import type { Tx } from "../db/client.js";
import { sopStep } from "../domain/cases/steps.js";
import { addDays } from "../shared/time.js";
import type { OfficeCalendar } from "../domain/calendar/office-calendar.js";

export const REMINDER_KINDS = [
  "registration_incomplete",
  "action_item_due",
  "monitoring_checkin",
  "monitoring_today",
  "sla_admin_confirm",
  "sla_consultant_accept",
  "consultant_digest",
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
  payload?: Record<string, unknown>;
  /** Unique per reminder: scheduling the same key again changes nothing. */
  idempotencyKey: string;
}

export interface ScheduledReminder {
  id: string;
  /** False when a reminder with the key existed already (it was left alone). */
  created: boolean;
}

export function providerOf(tx: Tx): "sqlite" | "postgresql" {
  // Prisma keeps the provider on every client (and transaction client); the Db type is the SQLite one.
  return (tx as unknown as { _activeProvider?: string })._activeProvider === "postgresql" ? "postgresql" : "sqlite";
}

/** Parse a reminder's payloadJson; a broken value reads as empty rather than stopping the sweep. */
export function readPayload(payloadJson: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(payloadJson);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Write a reminder due at `dueAt`. Idempotent: when a reminder with the same key exists (in any
 * status) it is left alone. On PostgreSQL the insert is ON CONFLICT DO NOTHING, so two instances
 * scheduling the same key at once do not fail.
 */
export async function scheduleReminder(tx: Tx, input: ScheduleReminderInput): Promise<ScheduledReminder> {
  const data = {
    kind: input.kind,
    dueAt: input.dueAt,
    identityId: input.identityId ?? null,
    staffId: input.staffId ?? null,
    clientId: input.clientId ?? null,
    caseId: input.caseId ?? null,
    refId: input.refId ?? null,
    payloadJson: JSON.stringify(input.payload ?? {}),
    idempotencyKey: input.idempotencyKey,
  };
  if (providerOf(tx) === "postgresql") {
    // skipDuplicates (ON CONFLICT DO NOTHING) exists on PostgreSQL only; Db is typed as the SQLite client.
    const reminders = tx.reminder as unknown as { createMany(a: { data: (typeof data)[]; skipDuplicates: boolean }): Promise<{ count: number }> };
    const created = await reminders.createMany({ data: [data], skipDuplicates: true });
    const row = await tx.reminder.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } });
    return { id: row.id, created: created.count === 1 };
  }
  const existing = await tx.reminder.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
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
        payloadJson: JSON.stringify({ ...readPayload(r.payloadJson), cancelReason: reason }),
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
async function plan(tx: Tx, input: ScheduleReminderInput): Promise<ScheduledReminder> {
  const existing = await tx.reminder.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
    select: { id: true, status: true, payloadJson: true },
  });
  if (existing?.status === "cancelled") {
    const payload = readPayload(existing.payloadJson);
    if (payload.cancelReason === "workflow" || payload.cancelReason === "replanned") {
      await tx.reminder.update({
        where: { id: existing.id },
        data: {
          status: "pending",
          dueAt: input.dueAt,
          claimedBy: null,
          claimedUntil: null,
          doneAt: null,
          payloadJson: JSON.stringify(input.payload ?? {}),
        },
      });
      return { id: existing.id, created: true };
    }
  }
  if (existing) return { id: existing.id, created: false };
  return scheduleReminder(tx, input);
}

/**
 * The calendar date a stored date means: dates the forms store are midnight UTC (src/shared/time.ts
 * dateOnly); any other instant is read as the local date in the office time zone.
 */
export function calendarDateOf(d: Date, calendar: OfficeCalendar): string {
  const iso = d.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : calendar.localDate(d);
}

// ---------------------------------------------------------------------------------------------
// Creation points for the workflow

export const ZMissingField = z.enum(["identity_document", "full_name", "nik", "phone", "address", "business", "problem"]);
export type MissingField = z.infer<typeof ZMissingField>;

/**
 * A registration found incomplete (SOP step 2): a reminder the next day at 09:00 and a last one
 * three days later. Each checks, when due, that the case is still `incomplete`.
 */
export async function planRegistrationReminders(
  tx: Tx,
  input: {
    caseId: string;
    clientIdentityId: string;
    clientId?: string | null;
    missing: readonly MissingField[];
    /** When the admin (or the intake) found it incomplete. */
    since: Date;
    calendar: OfficeCalendar;
  },
): Promise<ScheduledReminder[]> {
  const missing = z.array(ZMissingField).parse(input.missing);
  const first = addDays(input.calendar.localDate(input.since), 1);
  const stages: Array<{ stage: "first" | "last"; date: string }> = [
    { stage: "first", date: first },
    { stage: "last", date: addDays(first, REGISTRATION_LAST_AFTER_DAYS) },
  ];
  const keys = stages.map((s) => `registration_incomplete:${input.caseId}:${input.since.toISOString()}:${s.stage}`);
  await cancelReminders(tx, { caseId: input.caseId, kinds: ["registration_incomplete"], exceptKeys: keys }, "replanned");
  const out: ScheduledReminder[] = [];
  for (const [i, s] of stages.entries()) {
    out.push(
      await plan(tx, {
        kind: "registration_incomplete",
        dueAt: input.calendar.at(s.date, CLIENT_REMINDER_TIME),
        identityId: input.clientIdentityId,
        clientId: input.clientId ?? null,
        caseId: input.caseId,
        payload: { stage: s.stage, missing },
        idempotencyKey: keys[i]!,
      }),
    );
  }
  return out;
}

/**
 * An agreed action plan: for each item a reminder the day before its target date and one on the
 * date, both at 09:00 local. An item whose date changed loses its old reminders; planning the same
 * plan again changes nothing.
 */
export async function planActionItemReminders(
  tx: Tx,
  input: {
    caseId: string;
    clientIdentityId: string;
    clientId?: string | null;
    items: ReadonlyArray<{ id: string; targetDate: Date }>;
    calendar: OfficeCalendar;
  },
): Promise<ScheduledReminder[]> {
  const out: ScheduledReminder[] = [];
  for (const item of input.items) {
    const date = calendarDateOf(item.targetDate, input.calendar);
    const stages = [
      { stage: "before" as const, due: input.calendar.at(addDays(date, -1), CLIENT_REMINDER_TIME) },
      { stage: "due" as const, due: input.calendar.at(date, CLIENT_REMINDER_TIME) },
    ];
    const keys = stages.map((s) => `action_item_due:${item.id}:${date}:${s.stage}`);
    await cancelReminders(tx, { refId: item.id, kinds: ["action_item_due"], exceptKeys: keys }, "replanned");
    for (const [i, s] of stages.entries()) {
      out.push(
        await plan(tx, {
          kind: "action_item_due",
          dueAt: s.due,
          identityId: input.clientIdentityId,
          clientId: input.clientId ?? null,
          caseId: input.caseId,
          refId: item.id,
          payload: { stage: s.stage, date },
          idempotencyKey: keys[i]!,
        }),
      );
    }
  }
  return out;
}

/**
 * An agreed monitoring date (SOP step 6): the client's check-in at 09:00 local on that date. The
 * consultant's list of the day comes from the morning job (jobs.ts), not from a row per visit.
 */
export async function planMonitoringReminders(
  tx: Tx,
  input: {
    caseId: string;
    visitId: string;
    clientIdentityId: string;
    clientId?: string | null;
    consultantStaffId?: string | null;
    scheduledFor: Date;
    calendar: OfficeCalendar;
  },
): Promise<ScheduledReminder[]> {
  const date = calendarDateOf(input.scheduledFor, input.calendar);
  const key = `monitoring_checkin:${input.visitId}:${date}`;
  await cancelReminders(tx, { refId: input.visitId, kinds: ["monitoring_checkin"], exceptKeys: [key] }, "replanned");
  return [
    await plan(tx, {
      kind: "monitoring_checkin",
      dueAt: input.calendar.at(date, CLIENT_REMINDER_TIME),
      identityId: input.clientIdentityId,
      clientId: input.clientId ?? null,
      staffId: input.consultantStaffId ?? null,
      caseId: input.caseId,
      refId: input.visitId,
      payload: { date },
      idempotencyKey: key,
    }),
  ];
}

export const SLA_KIND_OF_STEP = { 3: "sla_admin_confirm", 4: "sla_consultant_accept" } as const;

/**
 * A step with a staff deadline started: SOP step 3 (the admin confirms and routes, 15 minutes) or
 * step 4 (a consultant accepts, 20 minutes). Level 1 falls due after the step's standard time in
 * working minutes and goes to the admins; level 2 after another standard period and goes to the
 * head. Both check, when due, that the case is still waiting; the workflow may also cancel them
 * (cancelCaseReminders(tx, caseId, [SLA_KIND_OF_STEP[step]])) when the step is done.
 */
export async function planSlaReminders(
  tx: Tx,
  input: { caseId: string; step: 3 | 4; startedAt: Date; calendar: OfficeCalendar },
): Promise<ScheduledReminder[]> {
  const kind = SLA_KIND_OF_STEP[input.step];
  const minutes = sopStep(input.step).standardMinutes;
  const level1 = input.calendar.addWorkingMinutes(input.startedAt, minutes);
  const level2 = input.calendar.addWorkingMinutes(level1, minutes);
  const base = `${kind}:${input.caseId}:${input.startedAt.toISOString()}`;
  const keys = [`${base}:1`, `${base}:2`];
  await cancelReminders(tx, { caseId: input.caseId, kinds: [kind], exceptKeys: keys }, "replanned");
  const out: ScheduledReminder[] = [];
  for (const [i, dueAt] of [level1, level2].entries()) {
    out.push(
      await plan(tx, {
        kind,
        dueAt,
        caseId: input.caseId,
        payload: { step: input.step, level: i + 1, startedAt: input.startedAt.toISOString(), standardMinutes: minutes },
        idempotencyKey: keys[i]!,
      }),
    );
  }
  return out;
}
