/**
 * The scheduler's jobs: { id, schedule (cron, office time zone), run }. Jobs that create reminders
 * write rows with idempotency keys (one per consultant and day), so several instances, a restart or
 * a second run the same morning send each list once; the minute sweep delivers them.
 */
import type { Db } from "../db/client.js";
import type { Logger } from "../logging/logger.js";
import { localParts } from "../shared/time.js";
import { planConsultantDigests } from "./kinds/consultant-digest.js";
import { planAdminDigests } from "./kinds/admin-digest.js";
import { planMonitoringToday } from "./kinds/monitoring-today.js";
import { planStepEscalations } from "./kinds/sla-step.js";
import type { OfficeCalendar } from "../domain/calendar/office-calendar.js";
import { STAFF_MORNING_TIME } from "./reminders.js";
import type { Sweeper } from "./sweeper.js";

export interface JobContext {
  now: Date;
  logger: Logger;
}

export interface Job {
  id: string;
  /** Cron expression (node-cron, five or six fields), read in the office time zone. */
  schedule: string;
  run(ctx: JobContext): Promise<unknown>;
}

export const JOB_IDS = {
  sweep: "reminders.sweep",
  nudges: "sessions.nudge",
  digest: "consultants.digest",
  monitoringToday: "monitoring.today",
  slaSteps: "sla.steps",
  adminDigest: "admins.digest",
} as const;

export interface ReminderJobsOptions {
  db: Db;
  sweeper: Sweeper;
  calendar: OfficeCalendar;
  /**
   * Session nudges (a person quiet mid-form: the nudge, then the last reminder before the session
   * expires), every 5 minutes. Called in quiet hours too: the callback decides what it may send
   * then (calendar.isQuiet(now)), for example expire sessions without a message.
   */
  nudgeSessions?: (now: Date) => Promise<unknown>;
}

/** Morning lists are written from 07:30 until the end of working hours, so a late start still sends them. */
const MORNING_SCHEDULE = "*/15 7-23 * * *";

export function reminderJobs(o: ReminderJobsOptions): Job[] {
  const jobs: Job[] = [
    // The morning rows first, so a run of every job (the CLI) sweeps them in the same go.
    { id: JOB_IDS.digest, schedule: MORNING_SCHEDULE, run: ({ now }) => writeMorningReminders(o.db, o.calendar, now, "consultant_digest") },
    { id: JOB_IDS.monitoringToday, schedule: MORNING_SCHEDULE, run: ({ now }) => writeMorningReminders(o.db, o.calendar, now, "monitoring_today") },
    { id: JOB_IDS.adminDigest, schedule: MORNING_SCHEDULE, run: ({ now }) => writeMorningReminders(o.db, o.calendar, now, "admin_digest") },
    // Every step's deadline in working time (kinds/sla-step.ts), before the sweep that sends it.
    { id: JOB_IDS.slaSteps, schedule: "*/5 * * * *", run: ({ now }) => planStepEscalations(o.db, { now, calendar: o.calendar }) },
    { id: JOB_IDS.sweep, schedule: "* * * * *", run: ({ now }) => o.sweeper.sweep(now) },
  ];
  const nudge = o.nudgeSessions;
  if (nudge) jobs.push({ id: JOB_IDS.nudges, schedule: "*/5 * * * *", run: ({ now }) => nudge(now) });
  return jobs;
}

export interface MorningResult {
  skipped?: "day off" | "before 07:30" | "after working hours";
  date?: string;
  created: number;
}

/**
 * On a working day between 07:30 and the end of working hours: the kind plans its rows of the day
 * (the digest: every active consultant; today's monitoring: each consultant with a visit today),
 * due at 07:30. Rows that exist already are left alone.
 */
export async function writeMorningReminders(
  db: Db,
  calendar: OfficeCalendar,
  now: Date,
  kind: "consultant_digest" | "monitoring_today" | "admin_digest",
): Promise<MorningResult> {
  if (!calendar.isWorkingDay(now)) return { skipped: "day off", created: 0 };
  const p = localParts(now, calendar.tz);
  const minutes = p.hour * 60 + p.minute;
  const [sh, sm] = STAFF_MORNING_TIME.split(":").map(Number) as [number, number];
  const [eh, em] = calendar.options.workEnd.split(":").map(Number) as [number, number];
  if (minutes < sh * 60 + sm) return { skipped: "before 07:30", created: 0 };
  if (minutes >= eh * 60 + em) return { skipped: "after working hours", created: 0 };
  const date = calendar.localDate(now);
  const plan = { consultant_digest: planConsultantDigests, monitoring_today: planMonitoringToday, admin_digest: planAdminDigests }[kind];
  return db.$transaction(async (tx) => {
    const rows = await plan(tx, { date, calendar });
    return { date, created: rows.filter((r) => r.created).length };
  });
}
