/** A quiet person mid-form gets one nudge, not in quiet hours; after the expiry days the form expires with answers kept. */
import { unseal } from "../../src/security/at-rest.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSessionTimers } from "../../src/conversation/session-timers.js";
import { startTestService, type TestService } from "../support/service.js";

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ env: { NUDGE_AFTER_MINUTES: "30", SESSION_EXPIRE_DAYS: "7" } });
});
afterAll(async () => t?.close());

describe("session timers", () => {
  it("nudges once after the quiet time, then expires keeping the answers, and offers to continue", async () => {
    const who = "quiet-client";
    for (const s of ["/start", "#menu:registration", "#agree", "Komang Sari"]) {
      await t.channel.receive(who, s.startsWith("#") ? { type: "choice", choiceId: s.slice(1) } : { type: "text", text: s });
    }
    await t.flush();
    const db = t.service.database.db;
    const inbox = t.service.inbox;
    const before = t.channel.inbox(who).length;

    t.clock.advance(29 * 60_000);
    expect(await runSessionTimers(db, inbox, t.clock.now(), true)).toEqual({ nudged: 0, expired: 0 });

    t.clock.advance(2 * 60_000);
    expect(await runSessionTimers(db, inbox, t.clock.now(), false)).toEqual({ nudged: 0, expired: 0 }); // quiet hours: waits
    expect((await runSessionTimers(db, inbox, t.clock.now(), true)).nudged).toBe(1);
    await t.flush();
    expect(t.channel.inbox(who).length).toBeGreaterThan(before);
    // Once per silence.
    expect((await runSessionTimers(db, inbox, t.clock.now(), true)).nudged).toBe(0);

    t.clock.advance(7 * 24 * 3600_000);
    expect((await runSessionTimers(db, inbox, t.clock.now(), true)).expired).toBe(1);
    const row = await db.conversationSession.findFirstOrThrow({ where: { identity: { address: who } } });
    expect(row.status).toBe("expired");
    // Kept, sealed at rest (src/security/at-rest.ts): in clear only when opened with the key.
    expect(row.stateJson).not.toContain("Komang Sari");
    expect(unseal(row.stateJson)).toContain("Komang Sari");

    const back = await (async () => {
      const n = t.channel.inbox(who).length;
      await t.channel.text(who, "halo");
      await t.flush();
      return t.channel.texts(who).slice(n).join("\n");
    })();
    expect(back.length).toBeGreaterThan(0);
    expect(t.channel.lastChoices(who).length).toBeGreaterThan(0);
  });
});
