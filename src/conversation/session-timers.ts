/**
 * Quiet people mid-form: one friendly nudge after NUDGE_AFTER_MINUTES, and expiry (answers kept)
 * after SESSION_EXPIRE_DAYS. The due times are columns of ConversationSession, set whenever a
 * session is saved, so the job is one indexed query; the engine writes the words.
 */
import type { Db } from "../db/client.js";
import type { Inbox } from "./inbox.js";

export interface SessionTimerResult {
  nudged: number;
  expired: number;
}

/**
 * Send the nudges and expiries that are due. `mayMessageClients` is false in quiet hours: nudges wait
 * (they stay due), expiry sends nothing and goes on.
 */
export async function runSessionTimers(db: Db, inbox: Inbox, now: Date, mayMessageClients: boolean, limit = 500): Promise<SessionTimerResult> {
  const result: SessionTimerResult = { nudged: 0, expired: 0 };
  const expiring = await db.conversationSession.findMany({ where: { status: "active", expireDueAt: { lte: now } }, take: limit, select: { identityId: true, expireDueAt: true } });
  for (const s of expiring) {
    await inbox.runForIdentity(s.identityId, `expire:${s.identityId}:${s.expireDueAt!.toISOString()}`, { type: "expire" });
    result.expired++;
  }
  if (!mayMessageClients) return result;
  const quiet = await db.conversationSession.findMany({ where: { status: "active", nudgeDueAt: { lte: now } }, take: limit, select: { identityId: true, nudgeDueAt: true } });
  for (const s of quiet) {
    // The cause key makes a second run for the same silence write nothing twice.
    await inbox.runForIdentity(s.identityId, `nudge:${s.identityId}:${s.nudgeDueAt!.toISOString()}`, { type: "nudge" });
    result.nudged++;
  }
  return result;
}
