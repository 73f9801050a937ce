/**
 * Pacing for sending: a channel's limits (Telegram ~30/s overall and ~1/s per chat; much gentler on
 * WhatsApp) are kept as sliding windows over the times messages were actually let go: never more
 * than N messages in any window, overall and per chat. (A token bucket whose burst equals its rate
 * lets up to twice the rate through in one second, which Telegram answers with 429s.)
 *
 * The overall limit is one FIFO queue let through by a single pump, so a slow chat never holds up
 * the others: a message first waits for its own chat's window, then joins the overall queue.
 * `take` resolves when a message may go.
 */
import type { Clock } from "../shared/clock.js";

/**
 * At most `capacity` messages in any window of `windowMs`, by the times recorded. A safety margin
 * (1% of the window by default) is added, because the channel sees a message a moment after it was
 * let go, later still when the process is busy.
 */
export class SlidingWindow {
  private readonly times: number[] = [];
  private head = 0;
  readonly windowMs: number;
  /** The average interval between two messages at the full rate. */
  readonly spacingMs: number;

  constructor(
    readonly capacity: number,
    windowMs: number,
    marginMs = Math.max(2, Math.ceil(windowMs * 0.01)),
  ) {
    this.windowMs = windowMs + marginMs;
    this.spacingMs = windowMs / capacity;
  }

  /** For a rate (and an optional burst): N messages per window with the same average rate. */
  static forRate(ratePerSecond: number, burst?: number): SlidingWindow {
    if (!(ratePerSecond > 0)) throw new Error(`a rate must be positive (got ${ratePerSecond})`);
    const capacity = Math.max(1, Math.floor(burst ?? (ratePerSecond >= 1 ? ratePerSecond : 1)));
    return new SlidingWindow(capacity, (capacity / ratePerSecond) * 1000);
  }

  /** The earliest time at or after `now` at which one more message keeps the limit. */
  earliest(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) this.head++;
    const inWindow = this.times.length - this.head;
    if (inWindow < this.capacity) return now;
    return this.times[this.times.length - this.capacity]! + this.windowMs;
  }

  /** Record at `at`, or one average interval after the last record if that is later. */
  recordSpaced(at: number): void {
    const last = this.times[this.times.length - 1];
    this.record(last === undefined ? at : Math.max(at, last + this.spacingMs));
  }

  record(at: number): void {
    this.times.push(at);
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Nothing recorded within the window before `now` (or after it). */
  idle(now: number): boolean {
    const last = this.times[this.times.length - 1];
    return last === undefined || last <= now - this.windowMs;
  }
}

interface ChatGate {
  window: SlidingWindow;
  /** The previous take of this chat; the next waits for it (one chat's messages go one by one). */
  tail: Promise<void>;
  waiting: number;
}

export class ChannelPacer {
  private readonly global: SlidingWindow;
  private readonly perChat = new Map<string, ChatGate>();
  private readonly queue: Array<(() => void) | undefined> = [];
  private queueHead = 0;
  private pumping = false;

  constructor(
    private readonly limits: { perChatPerSecond: number; globalPerSecond: number; perChatBurst?: number },
    private readonly clock: Clock,
  ) {
    this.global = SlidingWindow.forRate(limits.globalPerSecond);
  }

  /** Wait until one message to `chat` may be sent. */
  async take(chat: string): Promise<void> {
    const gate = this.gate(chat);
    const previous = gate.tail;
    let done!: () => void;
    gate.tail = new Promise<void>((resolve) => (done = resolve));
    gate.waiting += 1;
    try {
      await previous;
      for (;;) {
        const now = this.clock.now().getTime();
        const at = gate.window.earliest(now);
        if (at <= now) break;
        await this.clock.sleep(at - now);
      }
      await new Promise<void>((resolve) => {
        this.queue.push(resolve);
        this.pump();
      });
      gate.window.record(this.clock.now().getTime());
    } finally {
      gate.waiting -= 1;
      done();
    }
  }

  private gate(chat: string): ChatGate {
    let gate = this.perChat.get(chat);
    if (!gate) {
      if (this.perChat.size >= 50_000) this.forgetIdleChats();
      gate = { window: SlidingWindow.forRate(this.limits.perChatPerSecond, this.limits.perChatBurst ?? 3), tail: Promise.resolve(), waiting: 0 };
      this.perChat.set(chat, gate);
    }
    return gate;
  }

  /** Chats with nothing waiting and nothing in their window start afresh anyway. */
  private forgetIdleChats(): void {
    const now = this.clock.now().getTime();
    for (const [chat, gate] of this.perChat) if (gate.waiting === 0 && gate.window.idle(now)) this.perChat.delete(chat);
  }

  /**
   * Let queued messages go, oldest first, as fast as the overall window allows. Messages let go
   * together are recorded one average interval apart (windowMs / capacity), not all at `now`: they
   * reach the channel one after another, a little later each, and the window must count them so.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      try {
        while (this.queueHead < this.queue.length) {
          const now = this.clock.now().getTime();
          const at = this.global.earliest(now);
          if (at > now) {
            await this.clock.sleep(at - now);
            continue;
          }
          this.global.recordSpaced(now);
          const release = this.queue[this.queueHead];
          this.queue[this.queueHead++] = undefined;
          release?.();
          if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
            this.queue.splice(0, this.queueHead);
            this.queueHead = 0;
          }
        }
      } finally {
        this.pumping = false;
      }
    })();
  }
}
