/**
 * The outbox: every message to send is a row written in the same transaction as what caused it.
 * Idempotency keys make a replayed cause write nothing twice; `seq` keeps one person's messages in
 * order; a new message never overtakes an earlier one that is waiting for a retry.
 */
import type { Tx } from "../db/client.js";
import { ZOutbound, type Outbound } from "../messaging/model.js";

export interface OutboxItem {
  identityId: string;
  message: Outbound;
  /** Unique per message: the cause (inbound message id, reminder id) plus its position. */
  idempotencyKey: string;
}

/** Write messages to send. Items whose key exists already are skipped (a replay of the same cause). */
export async function enqueue(tx: Tx, items: OutboxItem[], now: Date): Promise<number> {
  let written = 0;
  const byIdentity = new Map<string, OutboxItem[]>();
  for (const item of items) byIdentity.set(item.identityId, [...(byIdentity.get(item.identityId) ?? []), item]);
  for (const [identityId, list] of byIdentity) {
    const identity = await tx.identity.findUniqueOrThrow({ where: { id: identityId }, select: { channel: true, address: true } });
    const last = await tx.outboxMessage.findFirst({ where: { identityId }, orderBy: { seq: "desc" }, select: { seq: true } });
    const waiting = await tx.outboxMessage.findFirst({
      where: { identityId, status: "pending", nextAttemptAt: { gt: now } },
      orderBy: { nextAttemptAt: "desc" },
      select: { nextAttemptAt: true },
    });
    let seq = last?.seq ?? 0;
    for (const item of list) {
      const exists = await tx.outboxMessage.findUnique({ where: { idempotencyKey: item.idempotencyKey }, select: { id: true } });
      if (exists) continue;
      seq += 1;
      await tx.outboxMessage.create({
        data: {
          identityId,
          channel: identity.channel,
          address: identity.address,
          payloadJson: JSON.stringify(ZOutbound.parse(item.message)),
          idempotencyKey: item.idempotencyKey,
          seq,
          nextAttemptAt: waiting?.nextAttemptAt ?? now,
          createdAt: now,
        },
      });
      written += 1;
    }
  }
  return written;
}
