import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { parse } from "yaml";
import { ANNOUNCE_ACTIONS, CASE_ACTIONS, decodeButton, encodeButton, MAX_BUTTON_ID_BYTES, REMINDER_ANSWERS, RSVP_BUTTON_ANSWERS, type Button } from "../../src/domain/buttons.js";

// A cuid as Prisma makes them (25 characters), the longest row id the office writes.
const ID = "cmiq0x7k50000abcd1234efgh";
const areas = parse(fs.readFileSync("conversations/areas.yaml", "utf8")) as { areas: Array<{ code: string }>; services: string[] };
const longest = (xs: string[]) => xs.reduce((a, b) => (b.length > a.length ? b : a), "");
const allServices = 2 ** areas.services.length - 1;

const every: Button[] = [
  ...CASE_ACTIONS.map((action) => ({ kind: "case" as const, caseId: ID, action })),
  ...areas.areas.flatMap((a) => [
    { kind: "route" as const, caseId: ID, area: a.code, overridden: false },
    { kind: "route" as const, caseId: ID, area: a.code, overridden: true },
    { kind: "refer_to" as const, caseId: ID, area: a.code },
  ]),
  ...areas.services.map((s) => ({ kind: "services" as const, caseId: ID, selected: allServices, toggle: s })),
  { kind: "services", caseId: ID, selected: 0 },
  { kind: "services", caseId: ID, selected: allServices },
  { kind: "plan", planId: ID, action: "agree" },
  { kind: "plan", planId: ID, action: "changes" },
  { kind: "reply", caseId: ID },
  { kind: "deletion", requestId: ID, decision: "confirm" },
  { kind: "deletion", requestId: ID, decision: "reject" },
  ...REMINDER_ANSWERS.map((answer) => ({ kind: "reminder" as const, reminderId: ID, answer })),
  ...RSVP_BUTTON_ANSWERS.map((answer) => ({ kind: "rsvp" as const, announcementId: ID, answer })),
  ...ANNOUNCE_ACTIONS.map((action) => ({ kind: "announce" as const, announcementId: ID, action })),
  { kind: "announce", announcementId: ID, action: "att", value: ID },
  { kind: "announce", announcementId: ID, action: "ts", value: "perdagangan" },
];

describe("button ids", () => {
  it("decode what they encode, for every button the office sends", () => {
    for (const b of every) expect(decodeButton(encodeButton(b))).toEqual(b);
  });

  it("fit Telegram's 64 bytes of callback_data with the longest ids, area and service codes on file", () => {
    const sizes = every.map((b) => Buffer.byteLength(encodeButton(b)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_BUTTON_ID_BYTES);
    const worst = encodeButton({ kind: "services", caseId: ID, selected: allServices, toggle: longest(areas.services) });
    expect(Buffer.byteLength(worst)).toBeLessThanOrEqual(MAX_BUTTON_ID_BYTES);
  });

  it("refuse to encode an id that would not fit, or parts that would not split", () => {
    expect(() => encodeButton({ kind: "case", caseId: "x".repeat(41), action: "open" })).toThrow();
    expect(() => encodeButton({ kind: "route", caseId: ID, area: "a:b", overridden: false })).toThrow();
    expect(() => encodeButton({ kind: "refer_to", caseId: "x".repeat(40), area: "z".repeat(30) })).toThrow(/64 bytes/);
  });

  it("keep the formats buttons already sent carry", () => {
    expect(encodeButton({ kind: "case", caseId: "k1", action: "accept" })).toBe("c:k1:accept");
    expect(encodeButton({ kind: "route", caseId: "k1", area: "pemasaran", overridden: true })).toBe("c:k1:override:pemasaran");
    expect(encodeButton({ kind: "refer_to", caseId: "k1", area: "pemasaran" })).toBe("c:k1:refer:pemasaran");
    expect(encodeButton({ kind: "plan", planId: "p1", action: "agree" })).toBe("p:p1:agree");
    expect(encodeButton({ kind: "reply", caseId: "k1" })).toBe("r:k1");
    expect(encodeButton({ kind: "deletion", requestId: "d1", decision: "reject" })).toBe("dr:d1:reject");
    expect(encodeButton({ kind: "reminder", reminderId: "m1", answer: "not_yet" })).toBe("rem:m1:not_yet");
    expect(encodeButton({ kind: "rsvp", announcementId: "a1", answer: "yes" })).toBe("an:a1:yes");
  });

  it("return null for ids that are not the office's or no longer valid", () => {
    for (const id of ["menu:registration", "ctl:cancel", "lang:en", "edit:name", "c:k1:fly", "c:k1:open:extra", "c:k1.zz!:svcdone", "r:", "r:k1:", "p:p1:maybe", "dr:d1", "rem:m1:later", "an:a1:maybe", "an:a1", "x", ""]) {
      expect(decodeButton(id), id).toBeNull();
    }
  });
});
