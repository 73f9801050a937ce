/**
 * The flows' transcripts again, through the whole service: channel -> inbox -> engine -> database ->
 * outbox, at a fixed clock. Scenarios that start from a newcomer (no consent, not a client, nothing on
 * file; the channel may know their phone) run here; session expectations are the engine tests' part; their expected replies must appear in order among what the person received (the
 * office adds its own messages, such as the registration number), and a `rows` map on a step gives
 * how many rows of each table the scenario added by then, e.g. `rows: { consultationCase: 1 }`.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { matchReplies, showReply, ZTranscript, durationMs, type Scenario } from "../../src/flows/transcript.js";
import type { InboundBody, Outbound } from "../../src/messaging/model.js";
import { startTestService, type TestService } from "../support/service.js";

const DIR = "tests/transcripts";
const ZRows = z.record(z.string(), z.number().int().min(0));
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("transcript-photo".repeat(64))]);

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => t?.close());

/** A newcomer with nothing on file: what a first message to the real service is. */
function runsThroughDatabase(s: Scenario): boolean {
  const p = s.person;
  const plain = Object.keys(p).every((k) => ["language", "hasConsent", "isClient", "remindersOn", "channelPhone"].includes(k));
  return plain && p.language === "id" && !p.hasConsent && !p.isClient && p.remindersOn && !s.session &&
    // A person patch that only passes in the cases is what the office itself writes: the database has them.
    s.steps.every((st) => (!st.person || Object.keys(st.person).every((k) => k === "cases" || k === "isClient")) && (st.say !== undefined || st.tap !== undefined || (st.send !== undefined && ["text", "choice", "media", "location"].includes(st.send.type))));
}

function bodyOf(step: Scenario["steps"][number]): InboundBody {
  if (step.say !== undefined) return { type: "text", text: step.say };
  if (step.tap !== undefined) return { type: "choice", choiceId: step.tap };
  const m = step.send!;
  if (m.type === "text") return { type: "text", text: m.text };
  if (m.type === "choice") return { type: "choice", choiceId: m.choiceId };
  if (m.type === "location") return { type: "location", latitude: m.latitude, longitude: m.longitude };
  if (m.type === "media") return { type: "media", media: { kind: m.media.kind, mimeType: m.media.mimeType, bytes: Buffer.concat([PHOTO, Buffer.alloc(Math.max(0, m.media.size - PHOTO.length), 7)]), ...(m.media.fileName ? { fileName: m.media.fileName } : {}) } };
  throw new Error(`step kind ${m.type} is not sent through a channel`);
}

/** Each expected reply must match a received one, in order; other replies may come between. */
function matchInOrder(expected: NonNullable<Scenario["steps"][number]["expect"]>, replies: Outbound[]): string | null {
  const list = typeof expected === "string" ? [expected] : expected;
  let i = 0;
  // Through the database a turn's texts arrive joined into as few messages as fit (src/outbox/join.ts),
  // where the engine gives them one by one: several matchers in a row may match the same message.
  for (const m of list) {
    while (i < replies.length && matchReplies([m], [replies[i]!]).length > 0) i++;
    if (i >= replies.length) return `expected ${JSON.stringify(m)} among:\n${replies.map(showReply).join("\n---\n")}`;
  }
  return null;
}

async function counts(tables: string[]): Promise<Record<string, number>> {
  const db = t.service.database.db as unknown as Record<string, { count(): Promise<number> }>;
  const out: Record<string, number> = {};
  for (const table of tables) {
    if (!db[table]) throw new Error(`rows: no table ${table}`);
    out[table] = await db[table].count();
  }
  return out;
}

const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

describe("transcripts through the database pipeline", () => {
  it("some scenario of each client-started flow runs through the database", () => {
    const eligible = files.filter((f) => ZTranscript.parse(YAML.parse(fs.readFileSync(path.join(DIR, f), "utf8"))).scenarios.some(runsThroughDatabase));
    expect(eligible).toEqual(expect.arrayContaining(["complaint.yaml", "registration.yaml"]));
  });

  for (const file of files) {
    const transcript = ZTranscript.parse(YAML.parse(fs.readFileSync(path.join(DIR, file), "utf8")));
    transcript.scenarios.forEach((scenario, n) => {
      if (!runsThroughDatabase(scenario)) return;
      it(`${transcript.flow}: ${scenario.name}`, async () => {
        const who = `transcript-${transcript.flow}-${n}`;
        const tables = [...new Set(scenario.steps.flatMap((s) => (s.rows ? Object.keys(ZRows.parse(s.rows)) : [])))];
        const before = await counts(tables);
        t.clock.set(scenario.now);
        for (const [i, step] of scenario.steps.entries()) {
          if (step.at) t.clock.set(step.at);
          else if (i > 0) t.clock.advance(durationMs(step.after ?? "20s"));
          const seen = t.channel.inbox(who).length;
          const phone = scenario.person.channelPhone;
          await t.channel.receive(who, bodyOf(step), { now: t.clock.now(), ...(phone ? { profile: { phone } } : {}) });
          await t.flush();
          const replies = t.channel.inbox(who).slice(seen);
          if (step.expect !== undefined) {
            const problem = matchInOrder(step.expect, replies);
            expect(problem, `step ${i + 1} (${step.say ?? step.tap ?? "send"})`).toBeNull();
          }
          if (step.rows) {
            const want = ZRows.parse(step.rows);
            const now = await counts(Object.keys(want));
            for (const [table, n2] of Object.entries(want)) expect(now[table]! - before[table]!, `${table} after step ${i + 1}`).toBe(n2);
          }
        }
      });
    });
  }
});
