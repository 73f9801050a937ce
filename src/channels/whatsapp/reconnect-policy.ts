/**
 * What the connection does after the socket closed, by Baileys' disconnect reason: reconnect at
 * once, reconnect after a backoff, or stop and wait for staff. Pure: the connection applies it.
 * A reason that needs its own handling gets one entry in POLICY_BY_REASON.
 */
import { DisconnectReason } from "@whiskeysockets/baileys";

export interface ReconnectBackoff {
  initialMs: number;
  maxMs: number;
}

/** What the policy remembers between closes; reset when a socket opens. */
export interface ReconnectState {
  /** Closes since the last open that backed off. */
  attempt: number;
  /** A 515 restart happened and no open since: a second one backs off like any other close. */
  restartedWithoutOpen: boolean;
}

export const FRESH_RECONNECT_STATE: ReconnectState = { attempt: 0, restartedWithoutOpen: false };

/**
 * Why the channel stopped for good and waits for staff:
 * - logged_out (401): the phone removed this device; only pairing again helps;
 * - bad_session (500): the stored session looks broken (Baileys also gives 500 to a stream error
 *   it cannot name, so the login is kept: staff relink from the dashboard or restart to retry);
 * - banned (403): WhatsApp refuses this number; retrying would only deepen the ban;
 * - replaced (440): another WhatsApp Web session (another server?) took this login; reconnecting
 *   would kick it out and be kicked back, a loop WhatsApp watches for.
 */
export type HaltReason = "logged_out" | "bad_session" | "banned" | "replaced";

/** Halts after which the stored login is dead: it is cleared so a restart shows a fresh QR. */
export const LOGIN_IS_DEAD: ReadonlySet<HaltReason> = new Set(["logged_out"]);

export type ReconnectStep =
  | { action: "stop"; reason: HaltReason }
  | { action: "reconnect"; delayMs: number; immediate: boolean; next: ReconnectState };

type Policy = (state: ReconnectState, backoff: ReconnectBackoff) => ReconnectStep;

/** Doubling delays up to the ceiling; the usual answer to a lost connection. */
const backOff: Policy = (state, backoff) => ({
  action: "reconnect",
  delayMs: Math.min(backoff.initialMs * 2 ** state.attempt, backoff.maxMs),
  immediate: false,
  next: { attempt: state.attempt + 1, restartedWithoutOpen: false },
});

const stop =
  (reason: HaltReason): Policy =>
  () => ({ action: "stop", reason });

const POLICY_BY_REASON: Partial<Record<number, Policy>> = {
  [DisconnectReason.loggedOut]: stop("logged_out"),
  [DisconnectReason.badSession]: stop("bad_session"),
  [DisconnectReason.forbidden]: stop("banned"),
  [DisconnectReason.connectionReplaced]: stop("replaced"),
  // WhatsApp asks for a new socket right after pairing; a second restart without an open backs off.
  [DisconnectReason.restartRequired]: (state, backoff) =>
    state.restartedWithoutOpen
      ? backOff(state, backoff)
      : { action: "reconnect", delayMs: 0, immediate: true, next: { attempt: state.attempt, restartedWithoutOpen: true } },
};

/** The step after a close with `code` (undefined: no code, or the socket could not be made). */
export function reconnectPolicy(code: number | undefined, state: ReconnectState, backoff: ReconnectBackoff): ReconnectStep {
  const policy = (code !== undefined ? POLICY_BY_REASON[code] : undefined) ?? backOff;
  return policy(state, backoff);
}
