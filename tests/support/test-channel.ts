/**
 * A channel for end-to-end tests of the office: messages go in through the same handler every real
 * channel calls, and what the outbox sends is recorded per person. Implements the Channel contract.
 */
import crypto from "node:crypto";
import type { Channel, InboundHandler } from "../../src/channels/channel.js";
import type { Inbound, InboundBody, Outbound, SendReceipt } from "../../src/messaging/model.js";

export interface Delivered {
  to: string;
  message: Outbound;
  bytes?: Buffer;
  /** The id this channel reported for the send (what a reply refers to). */
  providerMessageId: string;
}

export class TestChannel implements Channel {
  readonly name = "web" as const;
  readonly limits = { maxTextLength: 4096, maxInboundFileBytes: 10 * 1024 * 1024, perChatPerSecond: 1000, globalPerSecond: 10_000 };
  readonly delivered: Delivered[] = [];
  private handler: InboundHandler | undefined;
  private n = 0;

  async start(onInbound: InboundHandler): Promise<void> {
    this.handler = onInbound;
  }
  async stop(): Promise<void> {
    this.handler = undefined;
  }
  async send(to: string, msg: Outbound, resolveFile: (k: string) => Promise<Buffer>): Promise<SendReceipt> {
    const providerMessageId = `out-${this.delivered.length + 1}`;
    this.delivered.push({ to, message: msg, providerMessageId, ...(msg.type === "document" ? { bytes: await resolveFile(msg.storageKey) } : {}) });
    return { providerMessageId };
  }

  /** Deliver one inbound message; resolves when the app accepted it. Returns its message id. */
  async receive(from: string, body: InboundBody, opts: { messageId?: string; now?: Date; profile?: Inbound["profile"]; replyTo?: string } = {}): Promise<string> {
    if (!this.handler) throw new Error("channel not started");
    const messageId = opts.messageId ?? `m${++this.n}-${crypto.randomUUID().slice(0, 6)}`;
    await this.handler({ from: { channel: "web", id: from }, messageId, receivedAt: opts.now ?? new Date(), body, ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.replyTo ? { replyTo: { providerMessageId: opts.replyTo } } : {}) });
    return messageId;
  }

  text(from: string, text: string): Promise<string> {
    return this.receive(from, { type: "text", text });
  }

  choice(from: string, choiceId: string): Promise<string> {
    return this.receive(from, { type: "choice", choiceId });
  }

  photo(from: string, bytes: Buffer): Promise<string> {
    return this.receive(from, { type: "media", media: { kind: "photo", mimeType: "image/jpeg", bytes } });
  }

  /** Everything a person received so far. */
  inbox(to: string): Outbound[] {
    return this.delivered.filter((d) => d.to === to).map((d) => d.message);
  }

  texts(to: string): string[] {
    return this.inbox(to).map((m) => (m.type === "text" ? m.text : `[document ${m.fileName}]`));
  }

  last(to: string): Outbound | undefined {
    return this.inbox(to).at(-1);
  }

  /** The last message to `to` that offered choices. */
  lastChoices(to: string): Array<{ id: string; label: string }> {
    for (const m of [...this.inbox(to)].reverse()) if (m.type === "text" && m.choices?.length) return m.choices;
    return [];
  }
}
