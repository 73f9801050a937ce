/**
 * Delivery errors WhatsApp reports after `sendMessage` resolved: Baileys turns an error in the
 * server's ack into `messages.update` with status ERROR and the error code in
 * `messageStubParameters` (e.g. 463 for a send to a LID-migrated contact's phone JID, 479 for a
 * rejected stanza). Each becomes one `DeliveryFailure` for the outbox.
 */
import { WAMessageStatus, type BaileysEventMap } from "@whiskeysockets/baileys";
import type { SentMessages } from "./outbound.js";

export interface DeliveryFailure {
  /** The address the outbox sent to (the row's address). */
  address: string;
  /** When the channel handed the message to WhatsApp (the row's sentAt is at or after it). */
  sentAt: Date;
  providerMessageId: string;
  /** WhatsApp's error code and text, e.g. "463". */
  reason: string;
  /** The person cannot be reached on WhatsApp at all (not just this message). */
  final: boolean;
}

/**
 * Error codes after which the person is unreachable: 404 is WhatsApp's "no such account". The
 * others (463 privacy token, 479 stale session, 429 limits, reach-out restriction of our own
 * number) fail this message but say nothing lasting about the person.
 */
const FINAL_ERROR_CODES = new Set(["404"]);

export function deliveryFailures(updates: BaileysEventMap["messages.update"], sent: SentMessages): DeliveryFailure[] {
  const out: DeliveryFailure[] = [];
  for (const { key, update } of updates) {
    if (!key.fromMe || update.status !== WAMessageStatus.ERROR) continue;
    const ours = sent.sent(key.id);
    if (!ours || !key.id) continue;
    const params = (update.messageStubParameters ?? []).filter((p: unknown): p is string => typeof p === "string");
    const code = params[0] ?? "unknown";
    out.push({
      address: ours.to,
      sentAt: ours.sentAt,
      providerMessageId: key.id,
      reason: `whatsapp error ${params.join(": ") || code}`,
      final: FINAL_ERROR_CODES.has(code),
    });
  }
  return out;
}
