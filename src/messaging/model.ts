/**
 * The channel-neutral message model. Every channel turns its vendor events into `Inbound`
 * and every `Outbound` into vendor calls; nothing outside src/channels/<name>/ sees a vendor type.
 */
import { z } from "zod";
import { ZMessageKind } from "./kinds.js";

export const ZChannelName = z.enum(["telegram", "whatsapp", "web"]);
export type ChannelName = z.infer<typeof ZChannelName>;

/** A person's stable address on one channel (Telegram chat id, WhatsApp phone JID, web browser id). */
export const ZAddress = z.object({
  channel: ZChannelName,
  /** Stable per person: never changes for the same human on the same channel. */
  id: z.string().min(1).max(200),
});
export type Address = z.infer<typeof ZAddress>;

export function addressKey(a: Address): string {
  return `${a.channel}:${a.id}`;
}

export const ZMediaKind = z.enum(["photo", "document"]);
export type MediaKind = z.infer<typeof ZMediaKind>;

/** A file the person sent, already downloaded by the channel (within the channel's own limit). */
export interface InboundMedia {
  kind: MediaKind;
  mimeType: string;
  fileName?: string;
  bytes: Buffer;
  caption?: string;
}

export type InboundBody =
  /** Anything typed. Commands ("/start") arrive as text too; the engine reads them. */
  | { type: "text"; text: string }
  /** A tap on a button we offered; `choiceId` is the id we gave the option. */
  | { type: "choice"; choiceId: string }
  | { type: "media"; media: InboundMedia }
  /** A shared contact card (Telegram's request_contact, a WhatsApp vCard). */
  | { type: "contact"; phone: string; name?: string; isOwn: boolean }
  | { type: "location"; latitude: number; longitude: number }
  /** A message kind we cannot take (sticker, voice note, poll ...); `what` names it for the reply. */
  | { type: "unsupported"; what: string }
  /**
   * A file the channel could not take: over the size limit or of a refused type (checked before any
   * download), or a download that failed for good (an expired file id, the vendor's server gone):
   * the person is asked to send it again, and the message still counts as handled.
   */
  | { type: "rejected_media"; reason: "too_large" | "wrong_type" | "download_failed"; size?: number; limitBytes: number };

export interface Inbound {
  from: Address;
  /** The channel's own id for this message (update_id, WhatsApp key id, web message uuid). Used to deduplicate. */
  messageId: string;
  receivedAt: Date;
  body: InboundBody;
  /**
   * The office's message this one replies to (Telegram reply_to_message, WhatsApp quoted message,
   * Cloud API context.id), by the channel's id of it as the send receipt reported it: a consultant's
   * reply to a relayed message goes to that message's client.
   */
  replyTo?: { providerMessageId: string };
  /** What the channel knows of the person, used as offers (never as proof of identity). */
  profile?: { displayName?: string; phone?: string; languageCode?: string };
}

export const ZChoice = z.object({ id: z.string().min(1).max(64), label: z.string().min(1) });
export type Choice = z.infer<typeof ZChoice>;

/**
 * What a message the office sends on its own initiative is (a reminder, a notification) and the
 * values it was written from; a channel that may not send free text just then (WhatsApp outside
 * the 24-hour window) sends an approved template for the kind instead. See kinds.ts.
 */
const ZKindFields = {
  kind: ZMessageKind.optional(),
  params: z.record(z.string(), z.string()).optional(),
};

/** What we send. Stored as JSON in the outbox, so it is a zod schema. */
export const ZOutbound = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("text"),
    ...ZKindFields,
    text: z.string().min(1),
    /** Offered as buttons where the channel has them, as a numbered list elsewhere. */
    choices: z.array(ZChoice).optional(),
    /** Ask the channel to offer "share my phone number" (Telegram contact button). */
    requestContact: z.boolean().optional(),
    /** The label of that "share my phone number" button (channels keep no texts of their own). */
    contactButtonLabel: z.string().min(1).max(100).optional(),
  }),
  z.object({
    type: z.literal("document"),
    ...ZKindFields,
    fileName: z.string().min(1),
    mimeType: z.string().min(1),
    /** Key in the file store (src/storage); the sender reads and decrypts it at send time. */
    storageKey: z.string().min(1),
    caption: z.string().optional(),
  }),
]);
export type Outbound = z.infer<typeof ZOutbound>;

/**
 * What a channel reports of a send it made, where it has more to say than "done".
 * `providerMessageId`: the vendor's id of the (last) message sent, to match later delivery statuses.
 * `held`: nothing final went out; the message waits until the person writes (WhatsApp's window was
 * closed; a template asking them to reply may have gone instead, with its id in providerMessageId).
 */
export interface SendReceipt {
  providerMessageId?: string;
  held?: boolean;
}

/**
 * Why a send failed, so the outbox knows whether to retry. "permanent": the person cannot be
 * reached any more (marked unreachable); "refused": this one message cannot go (a template WhatsApp
 * rejects, a file it will not take) but the person is still reachable.
 */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly kind: "retry" | "permanent" | "rate_limited" | "refused",
    /** Seconds to wait, from the channel (Telegram 429 retry_after). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ChannelSendError";
  }
}
