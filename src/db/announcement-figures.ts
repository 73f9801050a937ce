/**
 * Where the sending of one announcement stands, counted in the database in one statement (the
 * recipients joined to their outbox rows by key and to their reminders) rather than by reading every
 * recipient row into the process: with 10,000 recipients that read held the event loop ~100 ms a
 * time, which the progress page (refreshing every 5 s while it sends) and the list paid for, and
 * the sender with them. One SQL text, the same for both providers.
 */
import type { Db, Tx } from "./client.js";

export interface AnnouncementFigures {
  recipients: number;
  rsvpYes: number;
  rsvpNo: number;
  waiting: number;
  attended: number;
  /** Recipients left out at the confirmation because they stopped announcements. */
  skippedOptedOut: number;
  /** Recipients left out at the confirmation for another reason (no reachable channel). */
  skippedOther: number;
  /** Not sent because staff stopped the sending: the reminder not yet swept, or the outbox row withdrawn (`reasons.stopped`). */
  stopped: number;
  /** Queued, and the outbox row of the text sent. */
  sent: number;
  /** Queued, and the outbox row failed (given up, or uncertain; not stopped). */
  outboxFailed: number;
  /** Of those, failed as `reasons.uncertain`: out with a sender that stopped. */
  uncertain: number;
  /** Still waiting for the sweep when the person stopped announcements (the reminder cancelled so). */
  reminderOptedOut: number;
  /** The reminder cancelled for another reason (unreachable, no channel). */
  reminderCancelled: number;
}

const COLUMNS = ["recipients", "rsvpYes", "rsvpNo", "waiting", "attended", "skippedOptedOut", "skippedOther", "stopped", "sent", "outboxFailed", "uncertain", "reminderOptedOut", "reminderCancelled"] as const;

/**
 * `reasons`: the outbox's lastError of a row out at a crash (src/outbox/store.ts UNCERTAIN) and of
 * one withdrawn when staff stopped the sending; `stoppedSkip`, the recipient's skipReason then.
 */
export async function announcementFigures(db: Db | Tx, announcementId: string, reasons: { uncertain: string; stopped: string; stoppedSkip: string }): Promise<AnnouncementFigures> {
  const off = '%"announcements_off"%';
  const rows = await db.$queryRaw<Array<Record<(typeof COLUMNS)[number], number | bigint | null>>>`SELECT
      count(*) AS "recipients",
      sum(CASE WHEN r."rsvp" = 'yes' THEN 1 ELSE 0 END) AS "rsvpYes",
      sum(CASE WHEN r."rsvp" = 'no' THEN 1 ELSE 0 END) AS "rsvpNo",
      sum(CASE WHEN r."rsvp" = 'waiting' THEN 1 ELSE 0 END) AS "waiting",
      sum(CASE WHEN r."attended" = TRUE THEN 1 ELSE 0 END) AS "attended",
      sum(CASE WHEN r."status" = 'skipped' AND r."skipReason" = 'opted_out' THEN 1 ELSE 0 END) AS "skippedOptedOut",
      sum(CASE WHEN r."status" = 'skipped' AND (r."skipReason" IS NULL OR r."skipReason" NOT IN ('opted_out', ${reasons.stoppedSkip})) THEN 1 ELSE 0 END) AS "skippedOther",
      sum(CASE WHEN (r."status" = 'skipped' AND r."skipReason" = ${reasons.stoppedSkip}) OR (r."status" = 'queued' AND o."status" = 'failed' AND o."lastError" = ${reasons.stopped}) THEN 1 ELSE 0 END) AS "stopped",
      sum(CASE WHEN r."status" = 'queued' AND o."status" = 'sent' THEN 1 ELSE 0 END) AS "sent",
      sum(CASE WHEN r."status" = 'queued' AND o."status" = 'failed' AND (o."lastError" IS NULL OR o."lastError" <> ${reasons.stopped}) THEN 1 ELSE 0 END) AS "outboxFailed",
      sum(CASE WHEN r."status" = 'queued' AND o."status" = 'failed' AND o."lastError" = ${reasons.uncertain} THEN 1 ELSE 0 END) AS "uncertain",
      sum(CASE WHEN r."status" = 'pending' AND m."status" = 'cancelled' AND m."payloadJson" LIKE ${off} THEN 1 ELSE 0 END) AS "reminderOptedOut",
      sum(CASE WHEN r."status" = 'pending' AND m."status" = 'cancelled' AND m."payloadJson" NOT LIKE ${off} THEN 1 ELSE 0 END) AS "reminderCancelled"
    FROM "AnnouncementRecipient" r
    LEFT JOIN "OutboxMessage" o ON r."status" = 'queued' AND o."idempotencyKey" = r."outboxKey"
    LEFT JOIN "Reminder" m ON r."status" = 'pending' AND m."id" = r."reminderId"
    WHERE r."announcementId" = ${announcementId}`;
  const row = rows[0];
  return Object.fromEntries(COLUMNS.map((c) => [c, Number(row?.[c] ?? 0)])) as unknown as AnnouncementFigures;
}
