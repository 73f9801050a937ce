/**
 * The login state staff see on the WhatsApp page: connecting, a QR code or pairing code to use on
 * the office phone, open, logged out. The connection writes it; listeners are told of each change.
 */
import type { Clock } from "../../shared/clock.js";
import { errorText } from "./errors.js";
import type { WhatsAppLogger } from "./socket.js";

export type PairingStateName =
  | "connecting"
  | "qr"
  | "pairing_code"
  | "open"
  | "closed"
  /** Another instance holds the login (login-lease.ts); this one waits to take over. */
  | "standby"
  /** Halted (reconnect-policy.ts HaltReason): no reconnect until staff relink. */
  | "logged_out"
  | "bad_session"
  | "banned"
  | "replaced";

export interface PairingStatus {
  state: PairingStateName;
  /** Raw QR string (render it on the staff page), while state is "qr". */
  qr?: string;
  /** 8-character code to type on the phone, while state is "pairing_code". */
  pairingCode?: string;
  /** Human-readable detail for staff (reconnect delay, what to do after a logout). No personal data. */
  detail?: string;
  /** Baileys' disconnect status code of the last close, if any. */
  lastDisconnectCode?: number;
  updatedAt: Date;
}

export interface PairingObservable {
  get(): PairingStatus;
  /** Called with the current status right away, then on every change. Returns an unsubscribe. */
  subscribe(listener: (status: PairingStatus) => void): () => void;
}

/** Holds the current status; a change that changes nothing tells nobody. */
export class PairingBoard implements PairingObservable {
  private status: PairingStatus;
  private readonly listeners = new Set<(s: PairingStatus) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly log: WhatsAppLogger,
  ) {
    this.status = { state: "closed", updatedAt: clock.now() };
  }

  get(): PairingStatus {
    return this.status;
  }

  subscribe(listener: (status: PairingStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  set(next: Omit<PairingStatus, "updatedAt">): void {
    const status = this.status;
    const same =
      next.state === status.state &&
      next.qr === status.qr &&
      next.pairingCode === status.pairingCode &&
      next.detail === status.detail &&
      next.lastDisconnectCode === status.lastDisconnectCode;
    if (same) return;
    this.status = { ...next, updatedAt: this.clock.now() };
    for (const listener of this.listeners) {
      try {
        listener(this.status);
      } catch (err) {
        this.log.error({ err: errorText(err) }, "whatsapp: pairing status listener failed");
      }
    }
  }
}
