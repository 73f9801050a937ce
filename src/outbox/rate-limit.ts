/**
 * Token buckets for sending: one for the whole channel and one per chat, so a channel's limits
 * (Telegram ~30/s overall and ~1/s per chat; much gentler on WhatsApp) are kept without a central
 * queue. `take` resolves when a message may go.
 */
import type { Clock } from "../shared/clock.js";

export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now().getTime();
  }

  /** Milliseconds until one token is free (0 if now), reserving it. */
  reserve(): number {
    const now = this.clock.now().getTime();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
  }
}

export class ChannelPacer {
  private readonly global: TokenBucket;
  private readonly perChat = new Map<string, TokenBucket>();
  constructor(
    private readonly limits: { perChatPerSecond: number; globalPerSecond: number; perChatBurst?: number },
    private readonly clock: Clock,
  ) {
    this.global = new TokenBucket(limits.globalPerSecond, Math.max(1, Math.floor(limits.globalPerSecond)), clock);
  }

  /** Wait until one message to `chat` may be sent. */
  async take(chat: string): Promise<void> {
    let bucket = this.perChat.get(chat);
    if (!bucket) {
      bucket = new TokenBucket(this.limits.perChatPerSecond, this.limits.perChatBurst ?? 3, this.clock);
      this.perChat.set(chat, bucket);
      if (this.perChat.size > 50_000) this.perChat.clear(); // idle chats: a fresh bucket is full anyway
    }
    const wait = Math.max(bucket.reserve(), this.global.reserve());
    if (wait > 0) await this.clock.sleep(wait);
  }
}
