/**
 * Sign-in to the staff dashboard without passwords: the assistant sends a staff member a one-time
 * link in chat (valid 15 minutes, single use; only its hash is stored). Opening it shows a
 * "sign in" button; pressing it (a POST, so a chat app's link preview cannot use the link up)
 * starts a session: a random token in an httpOnly, SameSite=Strict, signed cookie, stored hashed
 * in WebSession with the session's CSRF token.
 */
import crypto from "node:crypto";
import type { Db, Tx } from "../../db/client.js";
import { readJson, ZStaffAreas } from "../../db/json-columns.js";
import { appendAudit } from "../../domain/audit/chain.js";
import { newToken, sha256 } from "../../security/crypto.js";

export const LOGIN_LINK_MINUTES = 15;
export const SESSION_HOURS = 12;
export const SESSION_COOKIE = "plut_staff";

export class LoginLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoginLinkError";
  }
}

/**
 * A one-time sign-in link for an active staff member, for the chat command /dashboard.
 * `publicUrl` is the address people reach the server at (config.publicUrl).
 */
export async function createLoginLink(db: Db | Tx, staffId: string, now: Date, publicUrl: string): Promise<string> {
  const staff = await db.staff.findUnique({ where: { id: staffId }, select: { active: true } });
  if (!staff || !staff.active) throw new LoginLinkError("no active staff member with that id");
  const { token, hash } = newToken(24);
  await db.loginLink.create({ data: { tokenHash: hash, staffId, expiresAt: new Date(now.getTime() + LOGIN_LINK_MINUTES * 60_000), createdAt: now } });
  return `${publicUrl.replace(/\/$/, "")}/staff/login/${token}`;
}

/** A link that may still be used (not used, not expired, its staff member active), or null. */
export async function findUsableLink(db: Db, token: string, now: Date) {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return null;
  const link = await db.loginLink.findUnique({ where: { tokenHash: sha256(token) }, include: { staff: { select: { id: true, name: true, active: true } } } });
  if (!link || link.usedAt || link.expiresAt <= now || !link.staff.active) return null;
  return link;
}

/** Uses the link up and opens a session; null when the link is not usable (also when used concurrently). */
export async function consumeLink(
  db: Db,
  token: string,
  now: Date,
  sessionHours = SESSION_HOURS,
): Promise<{ sessionToken: string; staffId: string; expiresAt: Date } | null> {
  const link = await findUsableLink(db, token, now);
  if (!link) return null;
  return db.$transaction(async (tx) => {
    const used = await tx.loginLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
    if (used.count !== 1) return null;
    const { token: sessionToken, hash } = newToken(32);
    const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
    await tx.webSession.create({
      data: { tokenHash: hash, staffId: link.staffId, csrfToken: crypto.randomBytes(24).toString("base64url"), createdAt: now, expiresAt },
    });
    await appendAudit(tx, [{ at: now, actorType: "staff", actorId: link.staffId, action: "dashboard.login", entity: "Staff", entityId: link.staffId, detailJson: "{}" }]);
    return { sessionToken, staffId: link.staffId, expiresAt };
  });
}

export interface SessionStaff {
  sessionId: string;
  csrfToken: string;
  staff: { id: string; name: string; role: string; areas: string[] };
}

/** The live session of a (verified) cookie token, or null. */
export async function loadSession(db: Db, sessionToken: string, now: Date): Promise<SessionStaff | null> {
  const s = await db.webSession.findUnique({
    where: { tokenHash: sha256(sessionToken) },
    include: { staff: { select: { id: true, name: true, role: true, areasJson: true, active: true } } },
  });
  if (!s || s.revokedAt || s.expiresAt <= now || !s.staff.active) return null;
  return {
    sessionId: s.id,
    csrfToken: s.csrfToken,
    staff: { id: s.staff.id, name: s.staff.name, role: s.staff.role, areas: readJson(ZStaffAreas, s.staff.areasJson) },
  };
}

export async function revokeSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.webSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}
