/**
 * How many messages the sender has out with the channels at once: a slow channel makes messages
 * wait here, never piles up requests. Live replies are served first and `liveReserve` slots are
 * theirs alone, so a backlog of bulk messages stuck on a slow channel never keeps a reply waiting
 * for a slot. A counting semaphore with two priorities; small enough that a library (p-limit has
 * one queue) would not fit better.
 */
import type { Lane } from "./store.js";

export class InFlightSlots {
  private used = 0;
  private readonly waiting: Record<Lane, Array<() => void>> = { live: [], bulk: [] };

  constructor(
    readonly max: number,
    private readonly liveReserve: number,
  ) {
    if (!(max >= 1)) throw new Error(`in-flight slots must be at least 1 (got ${max})`);
  }

  /** Messages out now. */
  get inUse(): number {
    return this.used;
  }

  private mayTake(lane: Lane): boolean {
    return lane === "live" ? this.used < this.max : this.used < Math.max(1, this.max - this.liveReserve);
  }

  acquire(lane: Lane): Promise<void> {
    if (this.mayTake(lane) && (lane === "live" || this.waiting.live.length === 0)) {
      this.used += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiting[lane].push(resolve));
  }

  release(): void {
    this.used -= 1;
    for (const lane of ["live", "bulk"] as const) {
      while (this.waiting[lane].length > 0 && this.mayTake(lane)) {
        this.used += 1;
        this.waiting[lane].shift()!();
      }
    }
  }
}
