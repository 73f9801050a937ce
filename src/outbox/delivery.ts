/**
 * What a channel learns about a message after it left: the vendor's id of what was sent, a
 * message held until the person writes (WhatsApp's 24-hour window), and delivery statuses that
 * arrive later (WhatsApp Cloud API status webhooks: sent, delivered, read, failed). The SQL is
 * the outbox store's (src/outbox/store.ts); this module holds the rules of what a status means.
 */
import { storedAddress, storedMessageId } from "../security/address-index.js";
import type { DeliveryFailure, DeliveryState, DeliveryUpdate } from "../messaging/delivery.js";
import type { ChannelName } from "../messaging/model.js";
import type { MessageKind } from "../messaging/kinds.js";
import { isMessageKind } from "../messaging/kinds.js";
import { backoffMs } from "./backoff.js";
import type { Outbox } from "./outbox.js";
import { unseal } from "../security/at-rest.js";

export type { DeliveryFailure, DeliveryState, DeliveryUpdate };

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

/** The person wrote: their held messages are due now (before the replies to what they wrote, by `seq`). */
export function releaseHeld(outbox: Outbox, channel: ChannelName, address: string, now: Date): Promise<number> {
  // The channel names the person by what it knows (a wa_id); the rows by its blind index.
  const stored = storedAddress(channel, address);
  return outbox.transaction((store) => store.releaseHeld(channel, stored, now));
}

/**
 * Apply one delivery status to the row that sent `providerMessageId`. Returns what happened, or
 * null for an id no row has (a status for an earlier attempt, or one the webhook repeats after
 * the row was sent again). Statuses may arrive out of order: a receipt never moves backwards.
 */
export function markDelivery(outbox: Outbox, update: DeliveryUpdate, now: Date): Promise<DeliveryOutcome | null> {
  return outbox.transaction(async (store) => {
    const row = await store.byProviderMessageId(update.channel, storedMessageId(update.channel, update.providerMessageId));
    if (!row) return null;
    const base = { outboxId: row.id, identityId: row.identityId, ...kindOf(row.payloadJson) };
    if (update.state === "sent") return { ...base, action: "noted" as const };
    if (update.state === "delivered" || update.state === "read") {
      await store.noteReceipt(row.id, update.at, update.state === "read" ? update.at : null);
      return { ...base, action: "noted" as const };
    }
    const failure = update.failure ?? { kind: "refused" as const, reason: "failed without a reason" };
    const reason = failure.reason.slice(0, 500);
    const out = { ...base, failure: failure.kind, reason };
    const again = (delayMs: number) => store.requeue(row.id, new Date(now.getTime() + delayMs), reason);
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
        await store.fail([row.id], reason);
        await store.markUnreachable(row.identityId, now);
        return { ...out, action: "unreachable" as const };
      case "template_refused":
      case "refused":
        break;
    }
    await store.fail([row.id], reason);
    return { ...out, action: "failed" as const };
  });
}

function kindOf(payloadJson: string): { kind?: MessageKind } {
  try {
    const k = (JSON.parse(unseal(payloadJson)) as { kind?: unknown }).kind;
    return typeof k === "string" && isMessageKind(k) ? { kind: k } : {};
  } catch {
    return {};
  }
}
