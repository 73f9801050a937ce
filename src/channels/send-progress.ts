/**
 * Remembers how far a multi-part send got before it failed, so that when the outbox retries the
 * same message the parts already delivered are not sent again (the person gets one copy of each).
 * In memory only, with a time limit: after a restart, or when a retry comes later than `ttlMs`,
 * the whole message is sent again. No grammY in here: any channel that splits messages can use it.
 */
import { createHash } from "node:crypto";

export class SendProgress {
  private readonly done = new Map<string, { parts: number; at: number }>();

  constructor(
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Key of one message to one address (a hash: the map holds no message text). */
  key(to: string, message: unknown): string {
    return createHash("sha256").update(to).update("\u0000").update(JSON.stringify(message)).digest("hex");
  }

  /** Parts of this message already delivered by an earlier, failed attempt. */
  delivered(key: string): number {
    this.sweep();
    return this.done.get(key)?.parts ?? 0;
  }

  /** Records that `parts` parts are now delivered (called after each successful part). */
  record(key: string, parts: number): void {
    this.done.set(key, { parts, at: this.now() });
  }

  /** The whole message went out: forget it, so the same message sent again later goes out in full. */
  finish(key: string): void {
    this.done.delete(key);
  }

  private sweep(): void {
    const limit = this.now() - this.ttlMs;
    for (const [k, v] of this.done) if (v.at < limit) this.done.delete(k);
  }
}
