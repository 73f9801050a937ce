/** The WhatsApp reconnect policy on its own: what each disconnect reason leads to. */
import { DisconnectReason } from "@whiskeysockets/baileys";
import { describe, expect, it } from "vitest";
import { FRESH_RECONNECT_STATE, reconnectPolicy, type ReconnectState } from "../../src/channels/whatsapp/reconnect-policy.js";

const backoff = { initialMs: 1000, maxMs: 60_000 };

describe("reconnectPolicy", () => {
  it("stops after a logout, whatever came before", () => {
    expect(reconnectPolicy(DisconnectReason.loggedOut, FRESH_RECONNECT_STATE, backoff)).toEqual({ action: "stop", reason: "logged_out" });
    expect(reconnectPolicy(DisconnectReason.loggedOut, { attempt: 5, restartedWithoutOpen: true }, backoff)).toEqual({
      action: "stop",
      reason: "logged_out",
    });
  });

  it("stops when banned (403), replaced by another session (440) or the session is bad (500)", () => {
    expect(reconnectPolicy(DisconnectReason.forbidden, FRESH_RECONNECT_STATE, backoff)).toEqual({ action: "stop", reason: "banned" });
    expect(reconnectPolicy(DisconnectReason.connectionReplaced, FRESH_RECONNECT_STATE, backoff)).toEqual({ action: "stop", reason: "replaced" });
    expect(reconnectPolicy(DisconnectReason.badSession, { attempt: 3, restartedWithoutOpen: false }, backoff)).toEqual({
      action: "stop",
      reason: "bad_session",
    });
  });

  it("doubles the delay per close up to the ceiling, for lost connections and for no code at all", () => {
    let state: ReconnectState = FRESH_RECONNECT_STATE;
    const delays: number[] = [];
    const { connectionClosed, connectionLost, timedOut, multideviceMismatch, unavailableService } = DisconnectReason;
    for (const code of [connectionLost, undefined, timedOut, connectionClosed, unavailableService, multideviceMismatch, 428, 503]) {
      const step = reconnectPolicy(code, state, backoff);
      if (step.action !== "reconnect") throw new Error("expected a reconnect");
      expect(step.immediate).toBe(false);
      delays.push(step.delayMs);
      state = step.next;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it("restarts at once after pairing, but a second restart without an open backs off", () => {
    const first = reconnectPolicy(DisconnectReason.restartRequired, { attempt: 2, restartedWithoutOpen: false }, backoff);
    expect(first).toEqual({ action: "reconnect", delayMs: 0, immediate: true, next: { attempt: 2, restartedWithoutOpen: true } });
    if (first.action !== "reconnect") return;
    const second = reconnectPolicy(DisconnectReason.restartRequired, first.next, backoff);
    expect(second).toEqual({ action: "reconnect", delayMs: 4000, immediate: false, next: { attempt: 3, restartedWithoutOpen: false } });
  });
});
