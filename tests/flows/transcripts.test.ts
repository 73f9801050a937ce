/**
 * Runs every transcript in tests/transcripts through the engine. One file per flow: a flow in
 * conversations/flows without a transcript fails here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runScenario, showReply, ZTranscript } from "../../src/flows/transcript.js";
import { realConversations } from "./helpers.js";

const DIR = "tests/transcripts";
const conversations = realConversations();
const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml"));

describe("transcripts", () => {
  it("every flow has a transcript (tests/transcripts/<flowId>.yaml)", () => {
    const missing = [...conversations.flows.keys()].filter((id) => !existsSync(`${DIR}/${id}.yaml`));
    expect(missing).toEqual([]);
  });

  it("every transcript is about a flow that exists", () => {
    for (const f of files) expect(conversations.flows.has(f.replace(/\.yaml$/, "")), f).toBe(true);
  });

  for (const f of files) {
    const transcript = ZTranscript.parse(parse(readFileSync(`${DIR}/${f}`, "utf8")));
    describe(f, () => {
      it("names its flow", () => expect(transcript.flow).toBe(f.replace(/\.yaml$/, "")));
      for (const scenario of transcript.scenarios) {
        it(scenario.name, () => {
          const reports = runScenario(conversations, scenario);
          const failures = reports
            .filter((r) => r.failures.length)
            .map((r) => {
              const what = JSON.stringify(Object.fromEntries(Object.entries(r.step).filter(([k]) => ["say", "tap", "send", "start", "nudge", "expire"].includes(k))));
              return `step ${r.index + 1} ${what}${r.step.note ? ` (${r.step.note})` : ""}:\n${r.failures.join("\n")}\nreplies:\n${r.result.replies.map(showReply).join("\n")}`;
            });
          expect(failures.join("\n\n")).toBe("");
        });
      }
    });
  }
});
