/**
 * The outbox: every message to send is a row written in the same transaction as what caused it.
 * Idempotency keys make a replayed cause write nothing twice; `seq` keeps one person's messages in
 * order (the sender never sends one while an earlier one of the same person waits for a retry).
 */
import type { Tx } from "../db/client.js";
import { ZOutbound, type Outbound } from "../messaging/model.js";

export interface OutboxItem {
  identityId: string;
  message: Outbound;
  /** Unique per message: the cause (inbound message id, reminder id) plus its position. */
  idempotencyKey: string;
}

/**
 * Write messages to send. Items whose key exists already are skipped (a replay of the same cause).
 * `known` saves a lookup for recipients whose channel and address the caller already has.
 */
export async function enqueue(
  tx: Tx,
  items: OutboxItem[],
  now: Date,
  known: Array<{ id: string; channel: string; address: string }> = [],
): Promise<number> {
  if (items.length === 0) return 0;
  const existing = new Set(
    (await tx.outboxMessage.findMany({ where: { idempotencyKey: { in: items.map((i) => i.idempotencyKey) } }, select: { idempotencyKey: true } })).map((r) => r.idempotencyKey),
  );
  const byIdentity = new Map<string, OutboxItem[]>();
  for (const item of items) {
    if (existing.has(item.idempotencyKey)) continue;
    byIdentity.set(item.identityId, [...(byIdentity.get(item.identityId) ?? []), item]);
  }
  const rows = [];
  for (const [identityId, list] of byIdentity) {
    const identity = known.find((k) => k.id === identityId) ?? (await tx.identity.findUniqueOrThrow({ where: { id: identityId }, select: { channel: true, address: true } }));
    const last = await tx.outboxMessage.findFirst({ where: { identityId }, orderBy: { seq: "desc" }, select: { seq: true } });
    let seq = last?.seq ?? 0;
    for (const item of list) {
      rows.push({
        identityId,
        channel: identity.channel,
        address: identity.address,
        payloadJson: JSON.stringify(ZOutbound.parse(item.message)),
        idempotencyKey: item.idempotencyKey,
        seq: ++seq,
        nextAttemptAt: now,
        createdAt: now,
      });
    }
  }
  if (rows.length > 0) await tx.outboxMessage.createMany({ data: rows });
  return rows.length;
}
