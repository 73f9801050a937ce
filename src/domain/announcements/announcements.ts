/**
 * Announcements (pengumuman): an admin writes one (text, an optional image or PDF, optional RSVP
 * with a quota and a closing date), chooses the audience (audience.ts), sees the count per channel
 * and confirms. Confirming writes one recipient row and one reminder (kind "announcement") per
 * person, keyed (announcement, client), in one transaction: the reminder sweep then moves them into
 * the outbox's bulk lane, so quiet hours, channel pacing and crash safety are the reminders' own,
 * and nobody can be written twice (unique keys on both rows).
 *
 * API (shared with the dashboard; every function takes the client `db` or a transaction):
 *   createDraft(db, { staffId, title, text, attachment?, rsvp?, eventAt?, filter, now? }) -> { id }
 *   confirmAndSend(db, id, staffId, now, { tz? }) -> { recipients, skipped }
 *   updateQuota(db, id, quota, staffId, now?) -> { promoted: clientId[] }
 *   rsvp(db, { announcementId, clientId, answer: "yes" | "no" | "cancel", now }) -> RsvpOutcome
 *   progress(db, id) -> AnnouncementProgress
 *   getAnnouncement(db, id), listAnnouncements(db, { take? })
 *   attendanceList(db, id) -> AttendanceRow[]
 *   recordAttendance(db, id, clientId, attended, staffId, now?)   (audited)
 *   updateDraft(db, id, staffId, { filter?, attachment? })        (audience chosen with buttons, a file sent after)
 *   cancelDraft(db, id, staffId), latestDraftOf(db, staffId, since)
 *   setAnnouncementsOn(db, clientId, on)                          ("berhenti info" / "mulai info")
 * Refusals are WorkflowError with a text key of conversations/texts/<lang>/announcements.yaml.
 */
import { z } from "zod";
import type { Db, Tx } from "../../db/client.js";
import { newId } from "../../db/sql-values.js";
import { writeJson, ZAuditDetail } from "../../db/json-columns.js";
import { OFFICE_TIME_ZONE } from "../../i18n/index.js";
import { reminderOutboxKey } from "../../messaging/outbox-keys.js";
import { addDays, localDateString, zonedTime } from "../../shared/time.js";
import { appendAudit } from "../audit/chain.js";
import { WorkflowError } from "../workflow/errors.js";
import { UNCERTAIN } from "../../outbox/store.js";
import { announcementFigures } from "../../db/announcement-figures.js";
import type { TurnPort } from "../port.js";
import { audienceOf, filterFromColumn, filterToColumn, ZAudienceFilter, type AudienceFilter } from "./audience.js";

export const ANNOUNCEMENT_REMINDER_KIND = "announcement";
export const ANNOUNCEMENT_EVENT_KIND = "announcement_event";
export const ANNOUNCEMENT_PROMOTED_KIND = "announcement_promoted";
/** Local time the day-before reminder of an event goes (as other client reminders). */
export const EVENT_REMINDER_TIME = "09:00";

export const RSVP_ANSWERS = ["yes", "no", "cancel"] as const;
export type RsvpAnswer = (typeof RSVP_ANSWERS)[number];
export type RsvpState = "yes" | "no" | "waiting";

/** A file stored with FileStore.put (src/storage): image or PDF. */
export const ZAttachment = z.object({
  storageKey: z.string().regex(/^[a-z0-9/-]+$/),
  mimeType: z.string().regex(/^(image\/(jpeg|png|webp)|application\/pdf)$/),
  fileName: z.string().trim().min(1).max(120),
});

export const ZDraftInput = z.object({
  staffId: z.string().min(1),
  title: z.string().trim().min(1).max(120),
  text: z.string().trim().min(1).max(3000),
  attachment: ZAttachment.nullish(),
  rsvp: z.object({ quota: z.number().int().min(1).max(100_000), closesAt: z.coerce.date() }).nullish(),
  eventAt: z.coerce.date().nullish(),
  filter: ZAudienceFilter,
  now: z.coerce.date().optional(),
});
export type DraftInput = z.input<typeof ZDraftInput>;

export interface AnnouncementProgress {
  recipients: number;
  /** In the outbox and delivered to the channel. */
  sent: number;
  /** The channel refused for good, or no reachable channel when the sweep came. */
  failed: number;
  /** Not yet sent (waiting for the sweep, quiet hours, the channel's pace, WhatsApp's window). */
  pending: number;
  /**
   * Out with the channel when the sending process stopped (a crash, a restart): the person may
   * have it. Not sent again, so nobody gets it twice (src/outbox/store.ts UNCERTAIN). Also in `failed`.
   */
  uncertain: number;
  /** Not sent because staff stopped the sending (`stopSending`). */
  stopped: number;
  /** Said "berhenti info" (before or after the confirmation). */
  optedOutSkipped: number;
  rsvpYes: number;
  rsvpNo: number;
  waiting: number;
  attended: number;
}

export interface AttendanceRow {
  personId: string;
  name: string;
  channel: string | null;
  rsvp: RsvpState | null;
  rsvpAt: Date | null;
  attended: boolean | null;
}

export type RsvpOutcome =
  | { result: "yes" | "waiting" | "no" | "cancelled"; promoted: string[]; title: string; position?: number }
  | { result: "closed" | "not_recipient" | "no_rsvp"; promoted: []; title: string | null };

type DbOrTx = Db | Tx;

/** Runs `work` in a transaction of its own, or inside the caller's. */
function inTx<T>(db: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return "$transaction" in db ? (db as Db).$transaction(work, { maxWait: 10_000, timeout: 60_000 }) : work(db as Tx);
}

/** `by`: a staff member's id, or the client who answered (`{ clientId }`). */
async function audit(tx: Tx, at: Date, by: string | { clientId: string }, action: string, entityId: string, detail: Record<string, string | number | boolean | null>) {
  const actor = typeof by === "string" ? { actorType: "staff", actorId: by } : { actorType: "client", actorId: by.clientId };
  await appendAudit(tx, [{ at, ...actor, action, entity: "announcement", entityId, detailJson: writeJson(ZAuditDetail, detail) }]);
}

async function adminOnly(tx: Tx, staffId: string): Promise<void> {
  const s = await tx.staff.findUnique({ where: { id: staffId }, select: { role: true, active: true } });
  if (!s || !s.active || (s.role !== "admin" && s.role !== "head")) throw new WorkflowError("ann.err.admin_only");
}

function checkDates(a: { rsvpClosesAt: Date | null; eventAt: Date | null }, now: Date): void {
  if (a.rsvpClosesAt && a.rsvpClosesAt.getTime() <= now.getTime()) throw new WorkflowError("ann.err.closes_past");
  if (a.eventAt && a.eventAt.getTime() <= now.getTime()) throw new WorkflowError("ann.err.event_past");
  if (a.eventAt && a.rsvpClosesAt && a.rsvpClosesAt.getTime() > a.eventAt.getTime()) throw new WorkflowError("ann.err.closes_after_event");
}

/** Writes a draft after checking it could be sent: an audience, closing and event dates ahead. */
export async function createDraft(db: DbOrTx, input: DraftInput): Promise<{ id: string }> {
  const d = ZDraftInput.parse(input);
  const now = d.now ?? new Date();
  checkDates({ rsvpClosesAt: d.rsvp?.closesAt ?? null, eventAt: d.eventAt ?? null }, now);
  return inTx(db, async (tx) => {
    await adminOnly(tx, d.staffId);
    const members = await audienceOf(tx, d.filter);
    if (!members.some((m) => !m.optedOut && m.channel)) throw new WorkflowError("ann.err.empty_audience");
    const a = await tx.announcement.create({
      data: {
        title: d.title,
        text: d.text,
        attachmentKey: d.attachment?.storageKey ?? null,
        attachmentMime: d.attachment?.mimeType ?? null,
        attachmentName: d.attachment?.fileName ?? null,
        filterJson: filterToColumn(d.filter),
        rsvpQuota: d.rsvp?.quota ?? null,
        rsvpClosesAt: d.rsvp?.closesAt ?? null,
        eventAt: d.eventAt ?? null,
        createdById: d.staffId,
        createdAt: now,
      },
      select: { id: true },
    });
    await audit(tx, now, d.staffId, "announcement.draft", a.id, { rsvp: Boolean(d.rsvp), attachment: Boolean(d.attachment) });
    return a;
  });
}

/** Changes a draft's audience or file; a sent announcement is not changed. */
export async function updateDraft(db: DbOrTx, id: string, staffId: string, patch: { filter?: AudienceFilter; attachment?: z.input<typeof ZAttachment> | null }): Promise<void> {
  const filter = patch.filter ? filterToColumn(ZAudienceFilter.parse(patch.filter)) : undefined;
  const attachment = patch.attachment === undefined ? undefined : patch.attachment === null ? null : ZAttachment.parse(patch.attachment);
  await inTx(db, async (tx) => {
    await adminOnly(tx, staffId);
    const r = await tx.announcement.updateMany({
      where: { id, status: "draft" },
      data: {
        ...(filter !== undefined ? { filterJson: filter } : {}),
        ...(attachment !== undefined ? { attachmentKey: attachment?.storageKey ?? null, attachmentMime: attachment?.mimeType ?? null, attachmentName: attachment?.fileName ?? null } : {}),
      },
    });
    if (r.count !== 1) throw new WorkflowError("ann.err.not_draft");
  });
}

/** Drops a draft (nothing was sent). */
export async function cancelDraft(db: DbOrTx, id: string, staffId: string, now = new Date()): Promise<void> {
  await inTx(db, async (tx) => {
    await adminOnly(tx, staffId);
    const r = await tx.announcement.updateMany({ where: { id, status: "draft" }, data: { status: "cancelled" } });
    if (r.count !== 1) throw new WorkflowError("ann.err.not_draft");
    await audit(tx, now, staffId, "announcement.cancel", id, {});
  });
}

/** The draft this staff member is writing (made since `since`), if any: a file sent now is its attachment. */
export async function latestDraftOf(db: DbOrTx, staffId: string, since: Date) {
  return db.announcement.findFirst({ where: { createdById: staffId, status: "draft", createdAt: { gte: since } }, orderBy: { createdAt: "desc" } });
}

export async function getAnnouncement(db: DbOrTx, id: string) {
  return db.announcement.findUnique({ where: { id } });
}

export async function listAnnouncements(db: DbOrTx, o: { take?: number } = {}) {
  return db.announcement.findMany({
    orderBy: { createdAt: "desc" },
    take: o.take ?? 50,
    select: { id: true, title: true, status: true, createdAt: true, confirmedAt: true, rsvpQuota: true, rsvpTaken: true, rsvpClosesAt: true, eventAt: true, _count: { select: { recipients: true } } },
  });
}

/**
 * Confirms a draft and writes its recipients: one row per matched client (unique per announcement),
 * with a reminder that sends it for those not opted out and reachable. Twice confirmed is refused.
 */
export async function confirmAndSend(db: DbOrTx, id: string, staffId: string, now: Date, o: { tz?: string } = {}): Promise<{ recipients: number; skipped: number }> {
  return inTx(db, async (tx) => {
    await adminOnly(tx, staffId);
    const a = await tx.announcement.findUnique({ where: { id } });
    if (!a) throw new WorkflowError("ann.err.not_found");
    if (a.status !== "draft") throw new WorkflowError("ann.err.not_draft");
    checkDates(a, now);
    const members = await audienceOf(tx, filterFromColumn(a.filterJson));
    const sendable = members.filter((m) => !m.optedOut && m.channel);
    if (sendable.length === 0) throw new WorkflowError("ann.err.empty_audience");
    // Claim the draft first: of two confirmations at once only one goes on.
    const claimed = await tx.announcement.updateMany({ where: { id, status: "draft" }, data: { status: "sending", confirmedById: staffId, confirmedAt: now } });
    if (claimed.count !== 1) throw new WorkflowError("ann.err.not_draft");

    const recipients = members.map((m) => {
      const skipReason = m.optedOut ? "opted_out" : m.channel ? null : "no_channel";
      return { id: newId(), announcementId: id, clientId: m.clientId, reminderId: skipReason ? null : newId(), status: skipReason ? "skipped" : "pending", skipReason, createdAt: now };
    });
    const CHUNK = 500;
    for (let i = 0; i < recipients.length; i += CHUNK) {
      const part = recipients.slice(i, i + CHUNK);
      await tx.reminder.createMany({
        data: part
          .filter((r) => r.reminderId)
          .map((r) => ({
            id: r.reminderId!,
            kind: ANNOUNCEMENT_REMINDER_KIND,
            dueAt: now,
            clientId: r.clientId,
            refId: id,
            payloadJson: "{}",
            idempotencyKey: `${ANNOUNCEMENT_REMINDER_KIND}:${id}:${r.clientId}`,
            createdAt: now,
          })),
      });
      await tx.announcementRecipient.createMany({ data: part });
    }
    if (a.eventAt && a.rsvpQuota !== null) {
      const tz = o.tz ?? OFFICE_TIME_ZONE;
      const dueAt = zonedTime(addDays(localDateString(a.eventAt, tz), -1), EVENT_REMINDER_TIME, tz);
      if (dueAt.getTime() > now.getTime()) {
        await tx.reminder.create({ data: { kind: ANNOUNCEMENT_EVENT_KIND, dueAt, refId: id, payloadJson: "{}", idempotencyKey: `${ANNOUNCEMENT_EVENT_KIND}:${id}`, createdAt: now } });
      }
    }
    const skipped = recipients.length - sendable.length;
    await audit(tx, now, staffId, "announcement.confirm", id, { recipients: sendable.length, skipped });
    return { recipients: sendable.length, skipped };
  });
}

/**
 * Moves people from the waiting list up while places are free: each place is taken by a
 * conditional update (taken < quota), each person by another (still waiting), so concurrent
 * cancellations promote different people and never more than the quota. Each promoted person is
 * told through a reminder (kind announcement_promoted) the sweep sends: quiet hours apply.
 */
async function promoteWaiting(tx: Tx, id: string, now: Date): Promise<string[]> {
  const promoted: string[] = [];
  for (;;) {
    const a = await tx.announcement.findUnique({ where: { id }, select: { rsvpQuota: true, rsvpTaken: true } });
    if (!a || a.rsvpQuota === null || a.rsvpTaken >= a.rsvpQuota) return promoted;
    const next = await tx.announcementRecipient.findFirst({ where: { announcementId: id, rsvp: "waiting" }, orderBy: [{ rsvpAt: "asc" }, { id: "asc" }], select: { id: true, clientId: true } });
    if (!next) return promoted;
    const place = await tx.announcement.updateMany({ where: { id, rsvpTaken: { lt: a.rsvpQuota } }, data: { rsvpTaken: { increment: 1 } } });
    if (place.count !== 1) return promoted;
    const moved = await tx.announcementRecipient.updateMany({ where: { id: next.id, rsvp: "waiting" }, data: { rsvp: "yes" } });
    if (moved.count !== 1) {
      await tx.announcement.update({ where: { id }, data: { rsvpTaken: { decrement: 1 } } });
      continue;
    }
    promoted.push(next.clientId);
    await tx.reminder.create({
      data: { kind: ANNOUNCEMENT_PROMOTED_KIND, dueAt: now, clientId: next.clientId, refId: id, payloadJson: "{}", idempotencyKey: `${ANNOUNCEMENT_PROMOTED_KIND}:${id}:${next.clientId}:${now.getTime()}`, createdAt: now },
    });
  }
}

/** The admin changes the quota; below the places already taken is refused. Raising it promotes. */
export async function updateQuota(db: DbOrTx, id: string, quota: number, staffId: string, now = new Date()): Promise<{ promoted: string[] }> {
  if (!Number.isInteger(quota) || quota < 1) throw new WorkflowError("ann.err.quota_invalid");
  return inTx(db, async (tx) => {
    await adminOnly(tx, staffId);
    const a = await tx.announcement.findUnique({ where: { id }, select: { rsvpQuota: true, rsvpTaken: true } });
    if (!a) throw new WorkflowError("ann.err.not_found");
    if (a.rsvpQuota === null) throw new WorkflowError("ann.err.no_rsvp");
    const r = await tx.announcement.updateMany({ where: { id, rsvpTaken: { lte: quota } }, data: { rsvpQuota: quota } });
    if (r.count !== 1) throw new WorkflowError("ann.err.quota_below_taken", { taken: a.rsvpTaken, quota });
    const promoted = await promoteWaiting(tx, id, now);
    await audit(tx, now, staffId, "announcement.quota", id, { from: a.rsvpQuota, to: quota, promoted: promoted.length });
    return { promoted };
  });
}

/**
 * A client's answer to the RSVP buttons. "yes" takes a place or, when the quota is full, a place
 * on the waiting list; "no" and "cancel" give a place back (the first waiting moves up). After the
 * closing date nothing changes and the answer is "closed".
 */
export async function rsvp(db: DbOrTx, input: { announcementId: string; clientId: string; answer: RsvpAnswer; now: Date }): Promise<RsvpOutcome> {
  const { announcementId: id, clientId, answer, now } = input;
  return inTx(db, async (tx) => {
    const a = await tx.announcement.findUnique({ where: { id }, select: { title: true, rsvpQuota: true, rsvpClosesAt: true, status: true } });
    if (!a) return { result: "not_recipient", promoted: [], title: null };
    if (a.rsvpQuota === null) return { result: "no_rsvp", promoted: [], title: a.title };
    const row = await tx.announcementRecipient.findUnique({ where: { announcementId_clientId: { announcementId: id, clientId } }, select: { id: true, rsvp: true, rsvpAt: true } });
    if (!row) return { result: "not_recipient", promoted: [], title: a.title };
    if (a.status === "cancelled" || (a.rsvpClosesAt && a.rsvpClosesAt.getTime() <= now.getTime())) return { result: "closed", promoted: [], title: a.title };

    if (answer === "yes") {
      if (row.rsvp === "yes") return { result: "yes", promoted: [], title: a.title };
      if (row.rsvp === "waiting") return { result: "waiting", promoted: [], title: a.title, position: await waitingPosition(tx, id, row) };
      const place = await tx.announcement.updateMany({ where: { id, rsvpTaken: { lt: a.rsvpQuota } }, data: { rsvpTaken: { increment: 1 } } });
      const state: RsvpState = place.count === 1 ? "yes" : "waiting";
      await tx.announcementRecipient.update({ where: { id: row.id }, data: { rsvp: state, rsvpAt: now } });
      await audit(tx, now, { clientId }, "announcement.rsvp", id, { answer: state });
      if (state === "yes") return { result: "yes", promoted: [], title: a.title };
      return { result: "waiting", promoted: [], title: a.title, position: await waitingPosition(tx, id, { id: row.id, rsvpAt: now }) };
    }
    const had = row.rsvp;
    await tx.announcementRecipient.update({ where: { id: row.id }, data: { rsvp: "no", rsvpAt: now } });
    let promoted: string[] = [];
    if (had === "yes") {
      await tx.announcement.update({ where: { id }, data: { rsvpTaken: { decrement: 1 } } });
      promoted = await promoteWaiting(tx, id, now);
    }
    await audit(tx, now, { clientId }, "announcement.rsvp", id, { answer: "no", had: had ?? null, promoted: promoted.length });
    return { result: had === "yes" || had === "waiting" ? "cancelled" : "no", promoted, title: a.title };
  });
}

async function waitingPosition(tx: Tx, id: string, row: { id: string; rsvpAt: Date | null }): Promise<number> {
  const at = row.rsvpAt ?? new Date(0);
  const before = await tx.announcementRecipient.count({ where: { announcementId: id, rsvp: "waiting", OR: [{ rsvpAt: { lt: at } }, { rsvpAt: at, id: { lt: row.id } }] } });
  return before + 1;
}

/** The outbox's lastError of an announcement's message withdrawn by `stopSending`. */
export const STOPPED = "stopped: the announcement was withdrawn by staff";
/** The recipient's skipReason when the sending stopped before the sweep reached them. */
const STOPPED_SKIP = "stopped";

/**
 * Staff stop an announcement that is being sent (a mistake in it, an event called off): nobody who
 * has not got it yet gets it. Reminders not yet swept are cancelled; messages swept into the outbox
 * but not gone are withdrawn (`turn.cancelQueued`); one already with a channel goes on. Sign-ups
 * close (an answer gets the polite "closed"), the day-before reminder does not go. Audited.
 * Returns how many people it did not reach.
 */
export async function stopSending(turn: TurnPort, id: string, staffId: string): Promise<{ notSent: number; title: string }> {
  const tx = turn.tx;
  await adminOnly(tx, staffId);
  const a = await tx.announcement.findUnique({ where: { id }, select: { title: true } });
  if (!a) throw new WorkflowError("ann.err.not_found");
  const stopped = await tx.announcement.updateMany({ where: { id, status: "sending" }, data: { status: "cancelled" } });
  if (stopped.count !== 1) throw new WorkflowError("ann.err.not_sending");
  // Not yet swept: their reminders go no further.
  const waiting = await tx.announcementRecipient.findMany({ where: { announcementId: id, status: "pending" }, select: { reminderId: true } });
  const reminderIds = waiting.map((w) => w.reminderId).filter((r): r is string => r !== null);
  const CHUNK = 500;
  for (let i = 0; i < reminderIds.length; i += CHUNK) {
    await tx.reminder.updateMany({ where: { id: { in: reminderIds.slice(i, i + CHUNK) }, status: "pending" }, data: { status: "cancelled" } });
  }
  const skipped = await tx.announcementRecipient.updateMany({ where: { announcementId: id, status: "pending" }, data: { status: "skipped", skipReason: STOPPED_SKIP } });
  // Swept but not gone: the text (counted) and the file before it, when there is one.
  const queued = await tx.announcementRecipient.findMany({ where: { announcementId: id, status: "queued" }, select: { outboxKey: true, reminderId: true, identityId: true } });
  const texts = queued.map((q) => q.outboxKey).filter((k): k is string => k !== null);
  // The reminder's messages are keyed in order: with a file, the text is the second and the file the first.
  const files = queued.flatMap((q) =>
    q.reminderId && q.identityId && q.outboxKey === reminderOutboxKey(q.reminderId, q.identityId, 2) ? [reminderOutboxKey(q.reminderId, q.identityId, 1)] : [],
  );
  let withdrawn = 0;
  for (let i = 0; i < texts.length; i += CHUNK) withdrawn += await turn.cancelQueued(texts.slice(i, i + CHUNK), STOPPED);
  for (let i = 0; i < files.length; i += CHUNK) await turn.cancelQueued(files.slice(i, i + CHUNK), STOPPED);
  const notSent = skipped.count + withdrawn;
  await audit(tx, turn.now, staffId, "announcement.stop", id, { notSent });
  return { notSent, title: a.title };
}

/** Where the sending stands: counted in the database from the recipient rows, their reminders and outbox rows. */
export async function progress(db: DbOrTx, id: string): Promise<AnnouncementProgress> {
  const f = await announcementFigures(db, id, { uncertain: UNCERTAIN, stopped: STOPPED, stoppedSkip: STOPPED_SKIP });
  const optedOutSkipped = f.skippedOptedOut + f.reminderOptedOut;
  const failed = f.skippedOther + f.outboxFailed + f.reminderCancelled;
  return {
    recipients: f.recipients,
    sent: f.sent,
    failed,
    pending: f.recipients - f.sent - failed - optedOutSkipped - f.stopped,
    uncertain: f.uncertain,
    stopped: f.stopped,
    optedOutSkipped,
    rsvpYes: f.rsvpYes,
    rsvpNo: f.rsvpNo,
    waiting: f.waiting,
    attended: f.attended,
  };
}

/**
 * With sign-up: everyone who answered or was marked. Without: everyone it was sent to (staff mark
 * who came to an event announced without sign-up).
 */
export async function attendanceList(db: DbOrTx, id: string): Promise<AttendanceRow[]> {
  const a = await db.announcement.findUnique({ where: { id }, select: { rsvpQuota: true } });
  if (!a) return [];
  const rows = await db.announcementRecipient.findMany({
    where: { announcementId: id, OR: [{ rsvp: { not: null } }, { attended: { not: null } }, ...(a.rsvpQuota === null ? [{ status: "queued" }] : [])] },
    orderBy: [{ rsvpAt: "asc" }, { id: "asc" }],
    select: { clientId: true, channel: true, rsvp: true, rsvpAt: true, attended: true, client: { select: { fullName: true } } },
  });
  const order: Record<string, number> = { yes: 0, waiting: 1, no: 2 };
  return rows
    .map((r) => ({ personId: r.clientId, name: r.client.fullName, channel: r.channel, rsvp: (r.rsvp as RsvpState | null) ?? null, rsvpAt: r.rsvpAt, attended: r.attended }))
    .sort((x, y) => (order[x.rsvp ?? ""] ?? 3) - (order[y.rsvp ?? ""] ?? 3));
}

/** Staff record who came (or not); audited. Only a recipient of the announcement can be recorded. */
export async function recordAttendance(db: DbOrTx, id: string, clientId: string, attended: boolean, staffId: string, now = new Date()): Promise<void> {
  await inTx(db, async (tx) => {
    const s = await tx.staff.findUnique({ where: { id: staffId }, select: { active: true } });
    if (!s?.active) throw new WorkflowError("ann.err.admin_only");
    const r = await tx.announcementRecipient.updateMany({ where: { announcementId: id, clientId }, data: { attended, attendanceAt: now, attendanceById: staffId } });
    if (r.count !== 1) throw new WorkflowError("ann.err.not_recipient");
    await audit(tx, now, staffId, "announcement.attendance", id, { clientId, attended });
  });
}

/** "berhenti info" (false) and "mulai info" (true): the client's announcements switch. */
export async function setAnnouncementsOn(db: DbOrTx, clientId: string, on: boolean): Promise<void> {
  await db.client.update({ where: { id: clientId }, data: { announcementsOn: on } });
}
