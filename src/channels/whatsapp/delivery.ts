/**
 * What WhatsApp says about our messages after `sendMessage` resolved, read from `messages.update`
 * (Baileys emits it for server acks, delivery and read receipts, and, from handleBadAck, status
 * ERROR with the ack's error code in `messageStubParameters`), as the outbox's DeliveryUpdate.
 * Each update names the message by the id the send returned as its receipt (the first part of a
 * split message), so the outbox finds its row by providerMessageId.
 */
import { WAMessageStatus, type BaileysEventMap } from "@whiskeysockets/baileys";
import type { DeliveryFailure, DeliveryState, DeliveryUpdate } from "../../messaging/delivery.js";
import type { SentMessage } from "./outbound.js";

/**
 * What an ack's error code means for the office. 404: no such account (the person cannot be
 * reached here). 429: too many messages. 479 (smax-invalid): a stale device session; a new send
 * fetches fresh sessions, so it is tried again. 463: our number is restricted or lacks the
 * contact's privacy token; Baileys warns that a retry counts as another "reach out" and worsens
 * the restriction, so the message is given up and the admins told. Anything else: given up.
 */
export function failureOf(code: string): DeliveryFailure {
  switch (code) {
    case "404":
      return "unreachable";
    case "429":
      return "rate_limited";
    case "479":
      return "retry";
    default:
      return "refused";
  }
}

function stateOf(status: number | null | undefined): DeliveryState | undefined {
  switch (status) {
    case WAMessageStatus.SERVER_ACK:
      return "sent";
    case WAMessageStatus.DELIVERY_ACK:
      return "delivered";
    case WAMessageStatus.READ:
    case WAMessageStatus.PLAYED:
      return "read";
    case WAMessageStatus.ERROR:
      return "failed";
    default:
      return undefined;
  }
}

/** The updates about messages this channel sent (others' messages and unknown ids are skipped). */
export function deliveryUpdates(
  updates: BaileysEventMap["messages.update"],
  sent: (id: string) => SentMessage | undefined,
  now: Date,
): DeliveryUpdate[] {
  const out: DeliveryUpdate[] = [];
  for (const { key, update } of updates) {
    if (!key.fromMe || !key.id) continue;
    const state = stateOf(update.status);
    const ours = state ? sent(key.id) : undefined;
    if (!state || !ours) continue;
    const base = { channel: "whatsapp" as const, providerMessageId: ours.receiptId, state, at: now };
    if (state !== "failed") {
      out.push(base);
      continue;
    }
    const params = (update.messageStubParameters ?? []).filter((p: unknown): p is string => typeof p === "string");
    const code = params[0] ?? "unknown";
    out.push({ ...base, failure: { kind: failureOf(code), reason: `whatsapp error ${params.join(": ") || code}` } });
  }
  return out;
}
