/**
 * Every registered question type has a fixture (tests/flows/fixtures/types/<type>.yaml) with
 * answers it must take and answers it must refuse; a type without one fails here (goflow style).
 * Each fixture is run through the engine, inside a one-question flow checked like any other.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { step } from "../../src/flows/engine.js";
import { loadConversations, type LoadedConversations } from "../../src/flows/load.js";
import { type EngineMessage, ZEngineMessage, ZPersonContext } from "../../src/flows/model.js";
import { allTypes } from "../../src/flows/registry.js";
import type { SessionState } from "../../src/flows/session.js";
import { Translator } from "../../src/i18n/index.js";
import { consented, otherTextFiles } from "./helpers.js";

const DIR = "tests/flows/fixtures/types";
const ZInput = z.union([z.string(), ZEngineMessage]);
const ZFixture = z.strictObject({
  before: z.array(z.record(z.string(), z.unknown())).optional(),
  answers: z.record(z.string(), z.unknown()).optional(),
  person: ZPersonContext.partial().optional(),
  node: z.record(z.string(), z.unknown()).and(z.object({ id: z.string(), type: z.string() })),
  good: z.array(z.strictObject({ in: ZInput, value: z.unknown(), display: z.string().optional() })).min(1),
  bad: z.array(z.strictObject({ in: ZInput, error: z.string() })).min(1),
});
type Fixture = z.infer<typeof ZFixture>;

const types = allTypes().map((t) => t.type);
const fixtures = new Map<string, Fixture>();
for (const type of types) {
  const file = `${DIR}/${type}.yaml`;
  if (existsSync(file)) fixtures.set(type, ZFixture.parse(parse(readFileSync(file, "utf8"))));
}

/** One flow per fixture (flows/type_<type>.yaml), loaded with the real texts and regions. */
function conversations(): LoadedConversations {
  const overlay: Record<string, string | null> = { ...otherTextFiles() };
  for (const [type, f] of fixtures) {
    const flow = { id: `type_${type}`, version: 1, title: "registration.title", nodes: [...(f.before ?? []), f.node], complete: { submit: "type_test" } };
    overlay[`flows/type_${type}.yaml`] = `# yaml-language-server: $schema=../flow.schema.json\n${stringify(flow)}`;
  }
  return loadConversations("conversations", { overlay });
}

const NOW = new Date("2026-03-02T01:00:00.000Z");

function sessionAt(type: string, f: Fixture): SessionState {
  const typeOf = (id: string) => String(f.before?.find((n) => n.id === id)?.type);
  return {
    schema: 1,
    flowId: `type_${type}`,
    flowVersion: 1,
    vars: {},
    mode: "asking",
    overlay: null,
    position: { node: f.node.id },
    answers: Object.fromEntries(Object.entries(f.answers ?? {}).map(([id, value]) => [id, { value, type: typeOf(id) }])),
    history: [],
    returnToSummary: false,
    groups: {},
    queue: [],
    startedAt: NOW.toISOString(),
    lastActivityAt: NOW.toISOString(),
    nudged: false,
    expiredAt: null,
  };
}

const message = (i: string | EngineMessage): EngineMessage => (typeof i === "string" ? { type: "text", text: i } : i);

describe("question types", () => {
  it("every registered type has a fixture", () => {
    const missing = types.filter((t) => !existsSync(`${DIR}/${t}.yaml`));
    expect(missing, `add tests/flows/fixtures/types/<type>.yaml for: ${missing.join(", ")}`).toEqual([]);
  });

  it("has the types the brief asks for", () => {
    expect(types).toEqual(
      expect.arrayContaining(["text", "number", "choice", "multi_choice", "yes_no", "date", "phone", "email", "nik", "kecamatan", "desa", "media", "location", "identifier"]),
    );
  });

  const c = conversations();
  const tr = new Translator(c.texts, "id");

  for (const [type, f] of fixtures) {
    describe(type, () => {
      const person = consented(f.person ?? {});
      for (const g of f.good) {
        it(`takes ${JSON.stringify(g.in)}`, () => {
          const r = step({ conversations: c, session: sessionAt(type, f), message: message(g.in), person, now: NOW });
          const submitted = r.effects.find((e) => e.type === "submitted");
          expect(submitted, r.replies.map((x) => (x.type === "text" ? x.text : "")).join("\n")).toBeDefined();
          if (submitted?.type !== "submitted") return;
          const answer = submitted.answers.find((a) => a.questionId === f.node.id);
          expect(answer?.value).toEqual(g.value);
          if (g.display !== undefined) expect(answer?.display).toBe(g.display);
        });
      }
      for (const b of f.bad) {
        it(`refuses ${JSON.stringify(b.in)} with ${b.error}`, () => {
          const r = step({ conversations: c, session: sessionAt(type, f), message: message(b.in), person, now: NOW });
          expect(r.effects.filter((e) => e.type === "submitted")).toEqual([]);
          expect(r.session?.position.node).toBe(f.node.id);
          const reply = r.replies.map((x) => (x.type === "text" ? x.text : "")).join("\n");
          // The error's text up to its first placeholder.
          const start = tr.t(b.error).split("{")[0] as string;
          expect(tr.has(b.error), `no text for ${b.error}`).toBe(true);
          expect(reply).toContain(start.slice(0, 40));
        });
      }
    });
  }
});
