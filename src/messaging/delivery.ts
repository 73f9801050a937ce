/**
 * What a channel reports about a message after it left (WhatsApp Cloud API status webhooks), in
 * the words both sides share: channels produce these, the outbox (src/outbox/delivery.ts) applies them.
 */
import type { ChannelName } from "./model.js";

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
