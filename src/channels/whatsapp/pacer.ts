/**
 * Send pacing. WhatsApp Web is an unofficial protocol and bursts get numbers banned, so every send
 * takes a time slot: at least `globalGapMs` after/before any other send's slot, and at least
 * `chatGapMs` after the previous send to the same chat. Sends to one chat also run strictly one
 * after another (the next waits for the previous to finish), so parts arrive in order.
 */
import type { Clock } from "../../shared/clock.js";

export interface SendPacerOptions {
  clock: Clock;
  globalGapMs: number;
  chatGapMs: number;
}

export class SendPacer {
  /** Start times already given out, ascending. */
  private slots: number[] = [];
  private readonly lastChatSlot = new Map<string, number>();
  private readonly chatChains = new Map<string, Promise<void>>();

  constructor(private readonly opts: SendPacerOptions) {}

  /** Run `work` for `chat` in its slot. `signal` cuts the wait short (the work still runs). */
  run<T>(chat: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.chatChains.get(chat) ?? Promise.resolve();
    const result = previous.then(async () => {
      const slot = this.reserve(chat);
      const wait = slot - this.opts.clock.now().getTime();
      if (wait > 0) await this.opts.clock.sleep(wait, signal);
      return work();
    });
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.chatChains.set(chat, tail);
    void tail.then(() => {
      if (this.chatChains.get(chat) === tail) this.chatChains.delete(chat);
    });
    return result;
  }

  /** Earliest start time for `chat` that keeps every gap; recorded as taken. */
  reserve(chat: string): number {
    const { clock, globalGapMs, chatGapMs } = this.opts;
    const now = clock.now().getTime();
    this.slots = this.slots.filter((s) => s > now - globalGapMs);
    for (const [key, at] of this.lastChatSlot) {
      if (at <= now - chatGapMs) this.lastChatSlot.delete(key);
    }
    const last = this.lastChatSlot.get(chat);
    let t = last === undefined ? now : Math.max(now, last + chatGapMs);
    for (const s of this.slots) {
      if (t > s - globalGapMs && t < s + globalGapMs) t = s + globalGapMs;
    }
    const at = this.slots.findIndex((s) => s > t);
    if (at === -1) this.slots.push(t);
    else this.slots.splice(at, 0, t);
    this.lastChatSlot.set(chat, t);
    return t;
  }
}
