/**
 * The one contract every channel implements. The rest of the system sees only this.
 */
import type { ChannelName, Inbound, Outbound, SendReceipt } from "../messaging/model.js";

export interface ChannelLimits {
  /** Longest text one message may carry; longer texts are split by the sender. */
  maxTextLength: number;
  /** Largest file the channel lets a bot download. */
  maxInboundFileBytes: number;
  /** Pace for one chat and for the whole bot, messages per second. */
  perChatPerSecond: number;
  globalPerSecond: number;
}

/** Handles one inbound message; resolves when it is durably accepted (or known duplicate). */
export type InboundHandler = (msg: Inbound) => Promise<void>;

export interface Channel {
  readonly name: ChannelName;
  readonly limits: ChannelLimits;
  /** Begin receiving; every inbound message is passed to `onInbound`, in order per person. */
  start(onInbound: InboundHandler): Promise<void>;
  stop(): Promise<void>;
  /**
   * Deliver one message to a person's address id. Throws ChannelSendError on failure
   * (kind "rate_limited" with retryAfterSeconds, "retry" for transient faults, "permanent" when
   * the person can no longer be reached: bot blocked, account deleted).
   * `resolveFile` reads a stored document's bytes for document messages. A channel that tracks
   * delivery returns a receipt (the vendor's message id; or that the message is held for now).
   */
  send(to: string, msg: Outbound, resolveFile: (storageKey: string) => Promise<Buffer>): Promise<SendReceipt | void>;
  /**
   * False while this instance cannot send on the channel (another instance holds the WhatsApp
   * login): the outbox sender leaves its rows to the instance that can. Absent: always sends.
   */
  canSend?(): boolean;
  /** Where the channel has a command menu (Telegram), show these commands to this one person. */
  setPersonCommands?(to: string, commands: { command: string; description: string }[]): Promise<void>;
}

/** Split a long text on paragraph, then line, then word boundaries so no part exceeds `max`. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
