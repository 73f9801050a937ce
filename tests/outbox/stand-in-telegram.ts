/**
 * A stand-in for Telegram as the outbox sees it (the Channel contract, in the test process), that
 * enforces Telegram's real limits on what it is sent: at most 30 messages in any one second overall,
 * per chat a burst of 3 then one a second (a token bucket), per group (negative chat ids) 20 in any
 * minute. A message over a limit is a breach: counted, and answered with a 429 as Telegram would.
 * It can answer slowly, counts the most sends it had open at once, can refuse one chat with a 429,
 * and lets tests push inbound messages through the handler every channel calls.
 * `scale` multiplies the rates (overall and per chat; bursts stay) for benchmarks that cannot wait
 * at Telegram's own pace: the limits are then enforced at that many times Telegram's.
 */
import { EventEmitter } from "node:events";
import type { Channel, InboundHandler } from "../../src/channels/channel.js";
import { ChannelSendError, type InboundBody, type Outbound } from "../../src/messaging/model.js";
import type { Clock } from "../../src/shared/clock.js";

export const TELEGRAM_LIMITS = { globalPerSecond: 30, perChatPerSecond: 1, perChatBurst: 3, perGroupPerMinute: 20 } as const;

export interface Received {
  to: string;
  text: string;
  at: number;
}

export class StandInTelegram implements Channel {
  readonly name = "telegram" as const;
  readonly limits: { maxTextLength: number; maxInboundFileBytes: number; perChatPerSecond: number; globalPerSecond: number };
  readonly received: Received[] = [];
  readonly breaches: string[] = [];
  readonly events = new EventEmitter();
  openSends = 0;
  maxOpenSends = 0;
  /** How long each send takes to answer (a slow Telegram). */
  latencyMs = 0;
  private readonly refuse = new Map<string, number>();
  private readonly recent: number[] = [];
  private readonly buckets = new Map<string, number>();
  private readonly groups = new Map<string, number[]>();
  private readonly counts = new Map<string, number>();
  private handler: InboundHandler | undefined;
  private n = 0;

  constructor(
    private readonly clock: Clock,
    readonly scale = 1,
  ) {
    this.events.setMaxListeners(0);
    this.limits = { maxTextLength: 4096, maxInboundFileBytes: 20 * 1024 * 1024, perChatPerSecond: TELEGRAM_LIMITS.perChatPerSecond * scale, globalPerSecond: TELEGRAM_LIMITS.globalPerSecond * scale };
  }

  async start(onInbound: InboundHandler): Promise<void> {
    this.handler = onInbound;
  }
  async stop(): Promise<void> {
    this.handler = undefined;
  }

  /** The next send to `chat` is answered 429 with this retry_after. */
  refuseNext(chat: string, retryAfterSeconds: number): void {
    this.refuse.set(chat, retryAfterSeconds);
  }

  async send(to: string, msg: Outbound): Promise<void> {
    const now = this.clock.now().getTime();
    const retryAfter = this.refuse.get(to);
    if (retryAfter !== undefined) {
      this.refuse.delete(to);
      throw new ChannelSendError("429: Too Many Requests: retry after " + retryAfter, "rate_limited", retryAfter);
    }
    const breach = this.check(to, now);
    if (breach) {
      this.breaches.push(breach);
      throw new ChannelSendError(`429 (stand-in): ${breach}`, "rate_limited", 1);
    }
    this.openSends += 1;
    this.maxOpenSends = Math.max(this.maxOpenSends, this.openSends);
    try {
      // A slow Telegram: the answer comes later (the sender must not pile up requests meanwhile).
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      this.received.push({ to, text: msg.type === "text" ? msg.text : msg.fileName, at: now });
      this.counts.set(to, (this.counts.get(to) ?? 0) + 1);
    } finally {
      this.openSends -= 1;
    }
    this.events.emit("sent", to, msg.type === "text" ? msg.text : msg.fileName);
  }

  /** The limit one more message to `to` at `now` would break, if any (and counts it when none). */
  private check(to: string, now: number): string | null {
    while (this.recent.length > 0 && this.recent[0]! <= now - 1000) this.recent.shift();
    if (this.recent.length >= this.limits.globalPerSecond) return `over ${this.limits.globalPerSecond}/s overall at ${now}`;
    // GCRA: the chat's theoretical arrival time may run ahead of now by the burst's worth at most.
    const interval = 1000 / this.limits.perChatPerSecond;
    const tat = Math.max(this.buckets.get(to) ?? now, now);
    if (tat - now > (TELEGRAM_LIMITS.perChatBurst - 1) * interval) return `over the per-chat pace for ${to} at ${now}`;
    if (to.startsWith("-")) {
      const g = (this.groups.get(to) ?? []).filter((t) => t > now - 60_000);
      if (g.length >= TELEGRAM_LIMITS.perGroupPerMinute) return `over ${TELEGRAM_LIMITS.perGroupPerMinute}/min for group ${to}`;
      g.push(now);
      this.groups.set(to, g);
    }
    this.recent.push(now);
    this.buckets.set(to, tat + interval);
    return null;
  }

  /** A person writes; resolves when the inbox accepted it. */
  async receive(from: string, body: InboundBody): Promise<void> {
    if (!this.handler) throw new Error("channel not started");
    await this.handler({ from: { channel: "telegram", id: from }, messageId: `in-${++this.n}`, receivedAt: this.clock.now(), body });
  }

  /** Messages `chat` received so far. */
  countTo(chat: string): number {
    return this.counts.get(chat) ?? 0;
  }

  sentTo(chat: string): Received[] {
    return this.received.filter((r) => r.to === chat);
  }
}
