/**
 * Pacing for sending: a channel's limits (Telegram ~30/s overall, ~1/s per chat after a small
 * burst, 20/min per group; much gentler on WhatsApp). The overall and group limits are sliding
 * windows over the times messages were actually let go: never more than N messages in any window.
 * (A token bucket whose burst equals its rate lets up to twice the rate through in one second,
 * which Telegram answers with 429s.) One chat's pace is a bucket: a small burst, then its rate. Written here rather than taken from a rate-limiting
 * library because what it needs is two priorities over one shared window and a hook between the
 * chat's turn and the overall one (the sender's in-flight slots); the libraries we looked at
 * (bottleneck, p-queue) offer one or the other.
 *
 * Two lanes share the overall window: live replies go first, always; bulk messages (reminders,
 * digests) go evenly spaced, and while people are chatting (a live reply in the last 5 s) only
 * while the window holds fewer than `capacity - liveReserve`, so a live reply finds room at once
 * even in the middle of a sweep, and the sweep has the rest (all of it when nobody chats). The
 * reserve is fixed: one that grew with recent clumps of replies left the sweep under 5 messages a
 * second of Telegram's 30 with 50 people chatting, and did not shorten PostgreSQL's clumps.
 * A message first waits for its own chat's window, then joins its lane's queue; a single pump lets
 * the queues through, so a slow chat never holds up the others. `take` resolves when a message may go.
 */
import type { Clock } from "../shared/clock.js";

export type PaceLane = "live" | "bulk";

export interface PaceLimits {
  perChatPerSecond: number;
  globalPerSecond: number;
  /** Messages one chat may get at once before its rate applies (default 3). */
  perChatBurst?: number;
  /** Group chats' own limit (Telegram: 20 a minute), for addresses `isGroup` names. */
  perGroupPerMinute?: number;
  isGroup?: (chat: string) => boolean;
  /** Of the overall window, this many are kept free for live replies while people chat (default a quarter: 8 of Telegram's 30). */
  liveReserve?: number;
}

/** How long after a live reply the bulk lane keeps the live reserve free. */
const LIVE_ACTIVE_MS = 5000;

/** Telegram groups (negative chat ids) may get 20 messages a minute. */
export const TELEGRAM_GROUPS: Pick<PaceLimits, "perGroupPerMinute" | "isGroup"> = { perGroupPerMinute: 20, isGroup: (chat) => chat.startsWith("-") };

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

  /**
   * The earliest time at or after `now` at which one more message keeps the limit; with `capacity`
   * below the window's own, the time at which fewer than that many are in the window (the bulk
   * lane's share, which leaves the rest to live replies).
   */
  earliest(now: number, capacity = this.capacity): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) this.head++;
    const inWindow = this.times.length - this.head;
    if (inWindow < capacity) return now;
    return this.times[this.times.length - capacity]! + this.windowMs;
  }

  /** Messages in the window before `now`. */
  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) this.head++;
    return this.times.length - this.head;
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

  /** A message recorded at `from` actually went at `to` (later): its record moves, the times stay in order. */
  restamp(from: number, to: number): void {
    if (to <= from) return;
    let i = this.times.length - 1;
    while (i >= this.head && this.times[i] !== from) i--;
    if (i >= this.head) this.times.splice(i, 1);
    let j = this.times.length;
    while (j > this.head && this.times[j - 1]! > to) j--;
    this.times.splice(j, 0, to);
  }
}

/**
 * One chat's pace: a burst at once, then a steady rate (a token bucket, kept as the GCRA's one
 * number, the theoretical arrival time). Telegram lets a chat get a few messages at once and about
 * one a second after that; a sliding window of 3 per 3 s would make a person who answers quickly
 * wait up to 3 s for their fourth reply, where the bucket lets it go after one. The interval carries
 * the same 1% margin as the windows.
 */
export class ChatBucket {
  private tat = -Infinity;
  readonly intervalMs: number;
  private readonly toleranceMs: number;

  constructor(ratePerSecond: number, burst: number) {
    if (!(ratePerSecond > 0)) throw new Error(`a rate must be positive (got ${ratePerSecond})`);
    const interval = 1000 / ratePerSecond;
    this.intervalMs = interval + Math.max(2, Math.ceil(interval * 0.01));
    this.toleranceMs = (Math.max(1, Math.floor(burst)) - 1) * this.intervalMs;
  }

  earliest(now: number): number {
    return Math.max(now, this.tat - this.toleranceMs);
  }

  record(at: number): void {
    this.tat = Math.max(this.tat, at) + this.intervalMs;
  }

  /** A message recorded at `from` went at `to`: the next may go no sooner than one interval after it. */
  restamp(from: number, to: number): void {
    if (to > from) this.tat = Math.max(this.tat, to + this.intervalMs);
  }

  idle(now: number): boolean {
    return this.tat <= now;
  }
}

/** What a chat's gate checks: its bucket, and a group's window. */
interface ChatLimit {
  earliest(now: number): number;
  record(at: number): void;
  restamp(from: number, to: number): void;
  idle(now: number): boolean;
}

interface ChatGate {
  windows: ChatLimit[];
  /** The previous take of this chat; the next waits for it (one chat's messages go one by one). */
  tail: Promise<void>;
  waiting: number;
  /** The channel said to wait (a 429's retry_after) until then. */
  pausedUntil: number;
}

export class ChannelPacer {
  private readonly global: SlidingWindow;
  /** Bulk's own records in the same window (how much of it bulk holds). */
  private readonly bulkInWindow: SlidingWindow;
  private readonly bulkCapacity: number;
  private readonly perChat = new Map<string, ChatGate>();
  private readonly queues: Record<PaceLane, Array<(() => void) | undefined>> = { live: [], bulk: [] };
  private readonly heads: Record<PaceLane, number> = { live: 0, bulk: 0 };
  private pumping = false;
  /** Aborts the pump's wait for bulk room when a live message arrives. */
  private bulkWait: AbortController | undefined;
  /** The longest a live message waited for the overall window (ms): the pace's own share of a reply's time. */
  liveWaitMaxMs = 0;
  /**
   * The longest a live message waited for the overall window while bulk messages held part of it
   * (ms): what the bulk lane cost a reply. A wait with only replies in the window is Telegram's own
   * limit (more than 30 replies within a second), which no sharing of the window can shorten.
   */
  liveWaitBehindBulkMaxMs = 0;
  private readonly liveQueued: Array<{ at: number; behindBulk: boolean }> = [];
  private lastLiveAt = -Infinity;
  /**
   * When the next bulk message is due on an even spacing (the theoretical arrival time of a GCRA).
   * Bulk may go up to one spacing before it, so a timer that fires a millisecond or two late is made
   * up by the next message instead of slowing the whole sweep (spacing each message from the last
   * one's actual time lost ~5%: 28 messages a second of Telegram's 30).
   */
  private bulkDueAt = -Infinity;

  constructor(
    private readonly limits: PaceLimits,
    private readonly clock: Clock,
  ) {
    this.global = SlidingWindow.forRate(limits.globalPerSecond);
    this.bulkInWindow = SlidingWindow.forRate(limits.globalPerSecond);
    const liveReserve = limits.liveReserve ?? Math.ceil(this.global.capacity / 4);
    this.bulkCapacity = Math.max(1, this.global.capacity - liveReserve);
  }

  /** A live reply was let go: the window records it. */
  private letLiveGo(now: number): void {
    this.global.record(now);
    this.lastLiveAt = now;
  }

  /**
   * Wait until one message to `chat` may be sent, then send it with `go`. `ready` runs once the
   * chat's own window allows it and before the message joins the overall queue (the sender takes an
   * in-flight slot there). `go` is called by the pump in the same moment the windows record the
   * message, so the channel sees it when the windows say it went, however busy the process is (a
   * message recorded at its release and started a few ms later, after a turn's synchronous database
   * work, could make 31 in a second as the channel counts). Resolves with what `go` returned.
   */
  async take<T = void>(chat: string, lane: PaceLane = "live", ready?: () => Promise<void>, go?: (starting: () => void) => Promise<T>): Promise<T | undefined> {
    const gate = this.gate(chat);
    const previous = gate.tail;
    let done!: () => void;
    gate.tail = new Promise<void>((resolve) => (done = resolve));
    gate.waiting += 1;
    try {
      await previous;
      for (;;) {
        const now = this.clock.now().getTime();
        const at = Math.max(gate.pausedUntil, ...gate.windows.map((w) => w.earliest(now)));
        if (at <= now) break;
        await this.clock.sleep(at - now);
      }
      await ready?.();
      return await new Promise<T | undefined>((resolve, reject) => {
        const release = () => {
          const at = this.clock.now().getTime();
          for (const w of gate.windows) w.record(at);
          if (!go) return resolve(undefined);
          // `go` calls this when the message really leaves for the channel, if that is later than
          // its release (it first had to write something: an announcement marks itself sending).
          // The records move with it, so the windows hold what the channel will count.
          const starting = () => {
            const now = this.clock.now().getTime();
            if (now <= at) return;
            this.global.restamp(at, now);
            if (lane === "bulk") this.bulkInWindow.restamp(at, now);
            for (const w of gate.windows) w.restamp(at, now);
          };
          try {
            go(starting).then(resolve, reject);
          } catch (e) {
            reject(e);
          }
        };
        // A live reply with the window open and no reply ahead of it goes here and now. Through the
        // pump it would wait for the pump's turn on the event loop, which on a busy process comes
        // after all the work queued before it (seen: 300 ms behind a clump of turns).
        if (lane === "live" && !this.pending("live")) {
          const now = this.clock.now().getTime();
          if (this.global.earliest(now) <= now) {
            this.letLiveGo(now);
            release();
            return;
          }
        }
        this.queues[lane].push(release);
        if (lane === "live") {
          this.liveQueued.push({ at: this.clock.now().getTime(), behindBulk: false });
          this.bulkWait?.abort();
        }
        this.pump();
      });
    } finally {
      gate.waiting -= 1;
      done();
    }
  }

  /** The channel asked this chat to wait (Telegram's 429 retry_after): its next message waits, no other chat does. */
  pause(chat: string, untilMs: number): void {
    const gate = this.gate(chat);
    gate.pausedUntil = Math.max(gate.pausedUntil, untilMs);
  }

  private gate(chat: string): ChatGate {
    let gate = this.perChat.get(chat);
    if (!gate) {
      if (this.perChat.size >= 50_000) this.forgetIdleChats();
      const windows: ChatLimit[] = [new ChatBucket(this.limits.perChatPerSecond, this.limits.perChatBurst ?? 3)];
      if (this.limits.perGroupPerMinute && this.limits.isGroup?.(chat)) windows.push(new SlidingWindow(this.limits.perGroupPerMinute, 60_000));
      gate = { windows, tail: Promise.resolve(), waiting: 0, pausedUntil: 0 };
      this.perChat.set(chat, gate);
    }
    return gate;
  }

  /** Chats with nothing waiting and nothing in their window start afresh anyway. */
  private forgetIdleChats(): void {
    const now = this.clock.now().getTime();
    for (const [chat, gate] of this.perChat) {
      if (gate.waiting === 0 && gate.pausedUntil <= now && gate.windows.every((w) => w.idle(now))) this.perChat.delete(chat);
    }
  }

  private pending(lane: PaceLane): boolean {
    return this.heads[lane] < this.queues[lane].length;
  }

  private shift(lane: PaceLane): void {
    const queue = this.queues[lane];
    const release = queue[this.heads[lane]];
    queue[this.heads[lane]++] = undefined;
    release?.();
    if (this.heads[lane] > 4096 && this.heads[lane] * 2 > queue.length) {
      queue.splice(0, this.heads[lane]);
      this.heads[lane] = 0;
    }
  }

  /**
   * Let queued messages go, live ones first, as fast as the overall window allows; bulk ones only
   * within the bulk share and one average interval apart. Each is recorded when it is let go: a
   * record ahead of time (as an earlier version spaced them) makes the window look full for up to a
   * second and holds live replies back; the window's margin covers the moment a message takes to
   * reach the channel.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      try {
        while (this.pending("live") || this.pending("bulk")) {
          const now = this.clock.now().getTime();
          if (this.pending("live")) {
            const at = this.global.earliest(now);
            if (at > now) {
              if (this.bulkInWindow.count(now) > 0) for (const q of this.liveQueued) q.behindBulk = true;
              await this.clock.sleep(at - now);
              continue;
            }
            this.letLiveGo(now);
            const queued = this.liveQueued.shift();
            const waited = now - (queued?.at ?? now);
            this.liveWaitMaxMs = Math.max(this.liveWaitMaxMs, waited);
            if (queued?.behindBulk) this.liveWaitBehindBulkMaxMs = Math.max(this.liveWaitBehindBulkMaxMs, waited);
            this.shift("live");
            continue;
          }
          // Bulk goes evenly, one average interval apart, never in a burst that fills the window
          // (a live reply would then wait for the window to pass); while people chat it leaves the
          // reserve free (`liveReserve`), otherwise it may use all of it.
          const chatting = now - this.lastLiveAt < LIVE_ACTIVE_MS;
          const at = Math.max(this.global.earliest(now, chatting ? this.bulkCapacity : this.global.capacity), this.bulkDueAt - this.global.spacingMs);
          if (at > now) {
            this.bulkWait = new AbortController();
            await this.clock.sleep(at - now, this.bulkWait.signal);
            this.bulkWait = undefined;
            continue;
          }
          this.global.record(now);
          this.bulkInWindow.record(now);
          this.bulkDueAt = Math.max(this.bulkDueAt, now) + this.global.spacingMs;
          this.shift("bulk");
        }
      } finally {
        this.pumping = false;
      }
    })();
  }
}
