/**
 * One instance holds the WhatsApp login. Two sockets with one login kick each other off (440,
 * "replaced") and write the same signal keys at once, so when several instances share a database
 * each keeps a lease (a database row, src/db/service-lease.ts): the holder connects and renews it
 * every `renewMs`; the others stay passive (no socket, no sends) and try again on the same beat,
 * taking over once the holder stops renewing (it stopped, crashed, or lost the database) and the
 * lease lapses after `ttlMs`. A holder that cannot renew closes its socket before its lease can
 * lapse, so two sockets never overlap.
 */
import type { Clock } from "../../shared/clock.js";
import { errorText } from "./errors.js";
import type { WhatsAppLogger } from "./socket.js";

/** The lease row's operations (src/db/service-lease.ts implements them). */
export interface LoginLeaseStore {
  hold(holder: string, now: Date, ttlMs: number): Promise<boolean>;
  release(holder: string, now: Date): Promise<void>;
}

export interface LoginLeaseOptions {
  store: LoginLeaseStore;
  /** This instance's name in the lease row (host, process id and a random part). */
  holder: string;
  /** How long a renewal holds (default 30 s): the longest a takeover waits after a crash. */
  ttlMs?: number;
  /** How often the holder renews and the others try (default 10 s; well under ttlMs). */
  renewMs?: number;
}

export const LEASE_DEFAULTS = { ttlMs: 30_000, renewMs: 10_000 } as const;

export class LoginLease {
  private held = false;
  /** When the lease this instance last renewed runs out. */
  private heldUntil = 0;
  private controller = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly ttlMs: number;
  private readonly renewMs: number;

  constructor(
    private readonly opts: LoginLeaseOptions,
    private readonly clock: Clock,
    private readonly log: WhatsAppLogger,
    /** Became the holder: connect. */
    private readonly gained: () => Promise<void>,
    /** No longer the holder: close the socket. */
    private readonly lost: () => Promise<void>,
  ) {
    this.ttlMs = opts.ttlMs ?? LEASE_DEFAULTS.ttlMs;
    this.renewMs = Math.min(opts.renewMs ?? LEASE_DEFAULTS.renewMs, Math.floor(this.ttlMs / 2));
  }

  get isHolder(): boolean {
    return this.held;
  }

  /** Tries once right away (a single instance connects at once), then on every beat until stop(). */
  async start(): Promise<void> {
    this.controller = new AbortController();
    await this.tick();
    const signal = this.controller.signal;
    this.loop = (async () => {
      while (!signal.aborted) {
        await this.clock.sleep(this.renewMs, signal);
        if (signal.aborted) break;
        await this.tick().catch((err: unknown) => this.log.error({ err: errorText(err) }, "whatsapp: lease step failed"));
      }
    })();
  }

  /** Closes the socket if held and gives the lease up, so another instance takes over at its next beat. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
    this.loop = undefined;
    if (!this.held) return;
    this.held = false;
    await this.lost();
    await this.opts.store.release(this.opts.holder, this.clock.now()).catch((err: unknown) => {
      this.log.warn({ err: errorText(err) }, "whatsapp: could not give up the login lease (it lapses by itself)");
    });
  }

  /** One beat: renew or try to take the lease, and connect or disconnect to match. */
  async tick(): Promise<void> {
    const now = this.clock.now().getTime();
    let holds: boolean;
    try {
      holds = await this.opts.store.hold(this.opts.holder, new Date(now), this.ttlMs);
      if (holds) this.heldUntil = now + this.ttlMs;
    } catch (err) {
      // The database did not answer: keep the socket only while the lease surely is still ours
      // (a beat before it could lapse and another instance take it).
      holds = this.held && now < this.heldUntil - this.renewMs;
      this.log.warn({ err: errorText(err), keeping: holds }, "whatsapp: could not renew the login lease");
    }
    if (holds && !this.held) {
      this.held = true;
      this.log.info({ holder: this.opts.holder }, "whatsapp: this instance holds the login lease; connecting");
      try {
        await this.gained();
      } catch (err) {
        // Could not connect (the stored login unreadable ...): let another instance try.
        this.held = false;
        await this.opts.store.release(this.opts.holder, this.clock.now()).catch(() => undefined);
        throw err;
      }
    } else if (!holds && this.held) {
      this.held = false;
      this.log.warn({ holder: this.opts.holder }, "whatsapp: the login lease is no longer ours; disconnecting");
      await this.lost();
    }
  }
}
