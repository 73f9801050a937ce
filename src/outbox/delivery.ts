/**
 * What a channel learns about a message after it left: the vendor's id of what was sent, a
 * message held until the person writes (WhatsApp's 24-hour window), and delivery statuses that
 * arrive later (WhatsApp Cloud API status webhooks: sent, delivered, read, failed). Kept apart
 * from the sender's claim and mark: these functions only touch rows the sender handed over.
 */
import type { Db } from "../db/client.js";
import type { ChannelName } from "../messaging/model.js";
import type { MessageKind } from "../messaging/kinds.js";
import { isMessageKind } from "../messaging/kinds.js";
import { backoffMs } from "./backoff.js";

export type DeliveryState = "sent" | "delivered" | "read" | "failed";

/**
 * What a failure means for the office, as the channel reads the vendor's code:
 * unreachable: the person cannot get messages here (not on WhatsApp, blocked) -> marked, admins told;
 * window_closed: free text outside the customer-service window -> sent again (as a template);
 * rate_limited / retry: sent again later; template_refused / refused: this message is given up.
 */
export type DeliveryFailure = "unreachable" | "window_closed" | "rate_limited" | "template_refused" | "refused" | "retry";

export interface DeliveryUpdate {
  channel: ChannelName;
  providerMessageId: string;
  state: DeliveryState;
  at: Date;
  failure?: { kind: DeliveryFailure; reason: string; retryAfterSeconds?: number };
}

export interface DeliveryOutcome {
  outboxId: string;
  identityId: string;
  /** What changed: receipt noted, the row queued again, given up, or the person marked unreachable. */
  action: "noted" | "requeued" | "failed" | "unreachable";
  failure?: DeliveryFailure;
  reason?: string;
  /** The message's kind, when it had one (a template refused for "action_item_due" ...). */
  kind?: MessageKind;
}

/** Attempts after which a row that keeps failing with transient errors is given up (as the sender does). */
const MAX_ATTEMPTS = 60;

/** The sender sent a row: remember the vendor's id, so later statuses find it. */
export async function recordProviderMessageId(db: Db, outboxId: string, providerMessageId: string): Promise<void> {
  // In a transaction: on SQLite a bare statement would join a transaction open on the connection.
  await db.$transaction((tx) => tx.outboxMessage.updateMany({ where: { id: outboxId }, data: { providerMessageId } }));
}

/**
 * The channel could not send the message yet (the person has not written within WhatsApp's
 * window): the row waits, unclaimed, until `releaseHeld` (the person writes again).
 */
export async function holdUntilPersonWrites(db: Db, outboxId: string, providerMessageId: string | null): Promise<void> {
  await db.$transaction((tx) =>
    tx.outboxMessage.updateMany({
      where: { id: outboxId, status: "sending" },
      // lastError stays: why an earlier attempt came back (131047) explains the wait.
      data: { status: "held", leaseUntil: null, providerMessageId },
    }),
  );
}

/** The person wrote: their held messages are due now (before the replies to what they wrote, by `seq`). */
export async function releaseHeld(db: Db, channel: ChannelName, address: string, now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const identity = await tx.identity.findUnique({ where: { channel_address: { channel, address } }, select: { id: true } });
    if (!identity) return 0;
    const r = await tx.outboxMessage.updateMany({
      where: { identityId: identity.id, status: "held" },
      data: { status: "pending", nextAttemptAt: now, providerMessageId: null },
    });
    return r.count;
  });
}

/**
 * Apply one delivery status to the row that sent `providerMessageId`. Returns what happened, or
 * null for an id no row has (a status for an earlier attempt, or one the webhook repeats after
 * the row was sent again). Statuses may arrive out of order: a receipt never moves backwards.
 */
export async function markDelivery(db: Db, update: DeliveryUpdate, now: Date): Promise<DeliveryOutcome | null> {
  return db.$transaction(async (tx) => {
    const row = await tx.outboxMessage.findFirst({
      where: { channel: update.channel, providerMessageId: update.providerMessageId },
      select: { id: true, identityId: true, status: true, attempts: true, deliveredAt: true, readAt: true, payloadJson: true },
    });
    if (!row) return null;
    const base = { outboxId: row.id, identityId: row.identityId, ...kindOf(row.payloadJson) };
    if (update.state === "sent") return { ...base, action: "noted" as const };
    if (update.state === "delivered" || update.state === "read") {
      await tx.outboxMessage.update({
        where: { id: row.id },
        data: {
          deliveredAt: row.deliveredAt ?? update.at,
          ...(update.state === "read" && !row.readAt ? { readAt: update.at } : {}),
        },
      });
      return { ...base, action: "noted" as const };
    }
    const failure = update.failure ?? { kind: "refused" as const, reason: "failed without a reason" };
    const reason = failure.reason.slice(0, 500);
    const out = { ...base, failure: failure.kind, reason };
    const again = (delayMs: number) =>
      tx.outboxMessage.update({
        where: { id: row.id },
        // The id is cleared: the same status repeated by the webhook then matches nothing.
        data: { status: "pending", nextAttemptAt: new Date(now.getTime() + delayMs), leaseUntil: null, providerMessageId: null, lastError: reason },
      });
    switch (failure.kind) {
      case "window_closed":
        await again(0);
        return { ...out, action: "requeued" as const };
      case "rate_limited":
      case "retry":
        if (row.attempts < MAX_ATTEMPTS) {
          await again(failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : backoffMs(row.attempts));
          return { ...out, action: "requeued" as const };
        }
        break;
      case "unreachable":
        await tx.outboxMessage.update({ where: { id: row.id }, data: { status: "failed", leaseUntil: null, lastError: reason } });
        await tx.identity.update({ where: { id: row.identityId }, data: { unreachableAt: now } });
        await tx.outboxMessage.updateMany({
          where: { identityId: row.identityId, status: { in: ["pending", "held"] } },
          data: { status: "failed", lastError: "recipient unreachable" },
        });
        return { ...out, action: "unreachable" as const };
      case "template_refused":
      case "refused":
        break;
    }
    await tx.outboxMessage.update({ where: { id: row.id }, data: { status: "failed", leaseUntil: null, lastError: reason } });
    return { ...out, action: "failed" as const };
  });
}

function kindOf(payloadJson: string): { kind?: MessageKind } {
  try {
    const k = (JSON.parse(payloadJson) as { kind?: unknown }).kind;
    return typeof k === "string" && isMessageKind(k) ? { kind: k } : {};
  } catch {
    return {};
  }
}
