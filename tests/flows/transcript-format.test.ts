/** The transcript format itself: what it accepts, and that a wrong expectation is reported. */
import { describe, expect, it } from "vitest";
import { matchEffects, matchReplies, runScenario, subsetMatch, ZTranscript } from "../../src/flows/transcript.js";
import { testConversations } from "./helpers.js";

const scenario = (steps: unknown[], extra: Record<string, unknown> = {}) =>
  ZTranscript.parse({
    flow: "demo",
    scenarios: [{ name: "s", now: "2026-03-02T09:00:00+08:00", person: { language: "id", hasConsent: true, isClient: false, remindersOn: true }, steps, ...extra }],
  }).scenarios[0] as Parameters<typeof runScenario>[1];

describe("transcript format", () => {
  it("accepts and ignores rows per step, per scenario and per file", () => {
    const t = ZTranscript.parse({
      flow: "demo",
      rows: { Client: [] },
      scenarios: [
        {
          name: "s",
          now: "2026-03-02T09:00:00+08:00",
          person: { language: "id", hasConsent: true, isClient: false, remindersOn: true },
          rows: { Consent: [{ textVersion: "pdp-2025-1" }] },
          steps: [{ start: { flowId: "demo" }, rows: { ConversationSession: [{ flowId: "demo" }] } }],
        },
      ],
    });
    expect(runScenario(testConversations(), t.scenarios[0] as Parameters<typeof runScenario>[1]).flatMap((r) => r.failures)).toEqual([]);
  });

  it("needs exactly one message per step", () => {
    expect(() => scenario([{ say: "a", tap: "b" }])).toThrow(/exactly one/);
    expect(() => scenario([{ expect: "x" }])).toThrow(/exactly one/);
  });

  it("reports replies and effects that differ, and a missing effect", () => {
    const reports = runScenario(
      testConversations(),
      scenario([
        { start: { flowId: "demo" }, expect: ["Halo, ini formulir uji.", "Siapa umur Anda?"] },
        { say: "Made Wirawan", expect: [{ contains: "Warna", choices: ["Merah"] }], effects: [{ type: "cancelled" }] },
      ]),
    );
    expect(reports[0]?.failures.join("\n")).toContain('lacks "Siapa umur Anda?"');
    expect(reports[1]?.failures.join("\n")).toContain("buttons");
    expect(reports[1]?.failures.join("\n")).toContain("expected 1 effect(s), got 0");
  });

  it("moves the clock with after / at", () => {
    const reports = runScenario(testConversations(), scenario([{ start: { flowId: "demo" } }, { nudge: true, after: "31m" }, { expire: true, at: "2026-03-20T09:00:00+08:00" }]));
    expect(reports.map((r) => r.now.toISOString())).toEqual(["2026-03-02T01:00:00.000Z", "2026-03-02T01:31:00.000Z", "2026-03-20T01:00:00.000Z"]);
  });

  it("matches objects as subsets and arrays element by element", () => {
    expect(subsetMatch({ a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(subsetMatch([{ a: 1 }], [{ a: 1 }, { a: 2 }])).toBe(false);
    expect(matchEffects([{ type: "request" }], [{ type: "request", name: "status" }])).toEqual([]);
    expect(matchReplies("halo", [{ type: "text", text: "Halo!" }])).toEqual([]);
  });
});
