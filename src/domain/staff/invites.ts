/**
 * Linking a chat identity to a staff role: an admin creates a one-time code that expires; the new
 * staff member sends it from their own Telegram or WhatsApp. Only the code's hash is stored, and the
 * role comes from the invitation, never from anything the sender writes.
 */
import { writeJson, ZStaffInviteAreas } from "../../db/json-columns.js";
import crypto from "node:crypto";
import type { Tx } from "../../db/client.js";
import { sha256 } from "../../security/crypto.js";
import type { Role } from "./directory.js";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read aloud over the phone
export const INVITE_PATTERN = /\b([A-HJ-NP-Z2-9]{4})-?([A-HJ-NP-Z2-9]{4})\b/;
export const INVITE_TTL_HOURS = 48;

export function newInviteCode(): string {
  const bytes = crypto.randomBytes(8);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  return `${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

function normalise(code: string): string | null {
  const m = INVITE_PATTERN.exec(code.toUpperCase());
  return m ? `${m[1]}-${m[2]}` : null;
}

export async function createInvite(
  tx: Tx,
  a: { role: Role; name: string; areas: string[]; createdById: string | null; now: Date },
): Promise<{ code: string; expiresAt: Date }> {
  const code = newInviteCode();
  const expiresAt = new Date(a.now.getTime() + INVITE_TTL_HOURS * 3600_000);
  await tx.staffInvite.create({
    data: { codeHash: sha256(code), role: a.role, name: a.name, areasJson: writeJson(ZStaffInviteAreas, a.areas), createdById: a.createdById, expiresAt, createdAt: a.now },
  });
  return { code, expiresAt };
}

export type RedeemResult =
  | { ok: true; staffId: string; role: Role; name: string }
  | { ok: false; reason: "unknown" | "expired" | "used" };

/** Redeem a code for the identity that sent it. A used or expired code does nothing. */
export async function redeemInvite(tx: Tx, identityId: string, typed: string, now: Date): Promise<RedeemResult | null> {
  const code = normalise(typed);
  if (!code) return null;
  const invite = await tx.staffInvite.findUnique({ where: { codeHash: sha256(code) } });
  if (!invite) return { ok: false, reason: "unknown" };
  if (invite.usedAt) return { ok: false, reason: "used" };
  if (invite.expiresAt < now) return { ok: false, reason: "expired" };
  const staff = await tx.staff.create({ data: { name: invite.name, role: invite.role, areasJson: invite.areasJson, createdAt: now } });
  // Conditional update: a code raced by two senders is used once.
  const used = await tx.staffInvite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: now, usedById: staff.id } });
  if (used.count !== 1) throw new Error("invitation was used concurrently");
  await tx.identity.update({ where: { id: identityId }, data: { staffId: staff.id } });
  return { ok: true, staffId: staff.id, role: invite.role as Role, name: invite.name };
}
