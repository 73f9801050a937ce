/**
 * One person, two addresses: WhatsApp may show a person first under their LID (a private id) and
 * later under their phone number. When the channel learns that both are the same contact, the
 * identity known by the old address is merged into the one the person is now addressed by, so
 * nothing they did is lost: the half-filled form (the conversation session), their client and
 * staff links (and with the client, their cases), consent, unsent and sent messages, reminders,
 * complaints and the record of messages already handled.
 *
 * Runs inside the caller's transaction, which holds both people's turn locks.
 */
import type { Tx } from "./client.js";

export interface IdentityMerge {
  channel: string;
  /** The address the person was known by (a WhatsApp LID JID). */
  fromAddress: string;
  /** The identity the person is addressed by from now on (it may be brand new). */
  into: { id: string; address: string };
  now: Date;
}

export type MergeResult = { merged: false } | { merged: true; fromId: string; keptSession: "from" | "into" | "none"; movedMessages: number };

export async function mergeIdentityInto(tx: Tx, m: IdentityMerge): Promise<MergeResult> {
  const from = await tx.identity.findUnique({ where: { channel_address: { channel: m.channel, address: m.fromAddress } }, include: { session: true } });
  if (!from || from.id === m.into.id) return { merged: false };
  const into = await tx.identity.findUniqueOrThrow({ where: { id: m.into.id }, include: { session: true } });

  // The identity's own facts: what the older address knew fills what the new one does not.
  const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
  const fromHasSession = sessionWorthKeeping(from.session, into.session);
  await tx.identity.update({
    where: { id: into.id },
    data: {
      clientId: into.clientId ?? from.clientId,
      staffId: into.staffId ?? from.staffId,
      displayName: into.displayName ?? from.displayName,
      // The language of the conversation that goes on.
      language: fromHasSession ? from.language : into.language,
      remindersOn: into.remindersOn && from.remindersOn,
      consentedAt: earliest(into.consentedAt, from.consentedAt),
      // Reachable: the person just wrote from this address.
      unreachableAt: null,
    },
  });

  // The half-filled form: the session in progress is kept (one session per identity).
  let keptSession: "from" | "into" | "none" = into.session ? "into" : "none";
  if (from.session && fromHasSession) {
    if (into.session) await tx.conversationSession.delete({ where: { id: into.session.id } });
    await tx.conversationSession.update({ where: { id: from.session.id }, data: { identityId: into.id } });
    keptSession = "from";
  }

  // Messages: after the ones already numbered for `into`, in their own order (the sender keeps a
  // person's messages in seq order); the unsent ones go to the new address.
  const top = await tx.outboxMessage.aggregate({ where: { identityId: into.id }, _max: { seq: true } });
  const rows = await tx.outboxMessage.findMany({ where: { identityId: from.id }, orderBy: { seq: "asc" }, select: { id: true, status: true } });
  let seq = top._max.seq ?? 0;
  for (const row of rows) {
    seq += 1;
    const unsent = row.status === "pending" || row.status === "held" || row.status === "sending";
    await tx.outboxMessage.update({ where: { id: row.id }, data: { identityId: into.id, seq, ...(unsent ? { address: m.into.address } : {}) } });
  }

  await tx.reminder.updateMany({ where: { identityId: from.id }, data: { identityId: into.id } });
  await tx.complaint.updateMany({ where: { identityId: from.id }, data: { identityId: into.id } });
  await tx.consent.updateMany({ where: { identityId: from.id }, data: { identityId: into.id } });
  await tx.processedInbound.updateMany({ where: { identityId: from.id }, data: { identityId: into.id } });
  await tx.identity.delete({ where: { id: from.id } });
  return { merged: true, fromId: from.id, keptSession, movedMessages: rows.length };
}

type Session = { status: string; flowId: string | null; lastActivityAt: Date } | null;

/** Keep `from`'s session over `into`'s: one in progress over none or an idle one; of two in progress, the later used. */
function sessionWorthKeeping(from: Session, into: Session): boolean {
  if (!from) return false;
  if (!into) return true;
  const active = (s: NonNullable<Session>) => s.status === "active" && s.flowId !== null;
  if (active(from) !== active(into)) return active(from);
  return from.lastActivityAt > into.lastActivityAt;
}
