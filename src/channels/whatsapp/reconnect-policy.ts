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

export type ReconnectStep =
  /** The phone removed this device (or the session is invalid): only pairing again helps. */
  | { action: "stop_logged_out" }
  | { action: "reconnect"; delayMs: number; immediate: boolean; next: ReconnectState };

type Policy = (state: ReconnectState, backoff: ReconnectBackoff) => ReconnectStep;

/** Doubling delays up to the ceiling; the usual answer to a lost connection. */
const backOff: Policy = (state, backoff) => ({
  action: "reconnect",
  delayMs: Math.min(backoff.initialMs * 2 ** state.attempt, backoff.maxMs),
  immediate: false,
  next: { attempt: state.attempt + 1, restartedWithoutOpen: false },
});

const POLICY_BY_REASON: Partial<Record<number, Policy>> = {
  [DisconnectReason.loggedOut]: () => ({ action: "stop_logged_out" }),
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
