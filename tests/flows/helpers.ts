/** Shared by the flow tests: the conversations with the test fixtures beside them, and a chat driver. */
import { step, type StepResult } from "../../src/flows/engine.js";
import { loadConversations, readConversationFiles, type LoadedConversations } from "../../src/flows/load.js";
import type { EngineMessage, PersonContext } from "../../src/flows/model.js";
import { type SessionState, ZSessionState } from "../../src/flows/session.js";
import { applyToPerson } from "../../src/flows/transcript.js";

export const CONVERSATIONS_DIR = "conversations";
export const ENGINE_FIXTURES = "tests/flows/fixtures/engine";

/**
 * The texts files the flows and the engine use. Other teams keep their own texts (dashboard, office
 * messages) in the same folders; the flow tests leave those out so that work in progress there does
 * not fail these tests. `flows:check` (and tests/flows/definition.test.ts) check the whole folder.
 */
export const FLOW_TEXT_FILES = ["engine", "consent", "registration", "assessment", "client", "workflow", "options", "questions", "staff", "impact", "appointments"];

/** Relative path -> null for every texts file that is not one of FLOW_TEXT_FILES. */
export function otherTextFiles(dir = CONVERSATIONS_DIR): Record<string, null> {
  return Object.fromEntries(
    Object.keys(readConversationFiles(dir))
      .filter((rel) => rel.startsWith("texts/") && !FLOW_TEXT_FILES.includes(rel.split("/").pop()?.replace(/\.ya?ml$/, "") ?? ""))
      .map((rel) => [rel, null]),
  );
}

let cachedReal: LoadedConversations | undefined;
let cached: LoadedConversations | undefined;

/** The real conversations (flows and their texts). */
export function realConversations(): LoadedConversations {
  cachedReal ??= loadConversations(CONVERSATIONS_DIR, { overlay: otherTextFiles() });
  return cachedReal;
}

/** The real conversations plus the engine fixtures (flows demo, vercont, vermap; texts test.*). */
export function testConversations(): LoadedConversations {
  cached ??= loadConversations(CONVERSATIONS_DIR, { overlay: { ...otherTextFiles(), ...readConversationFiles(ENGINE_FIXTURES) } });
  return cached;
}

export const guest = (over: Partial<PersonContext> = {}): PersonContext => ({
  language: "id",
  hasConsent: false,
  isClient: false,
  remindersOn: true,
  ...over,
});

export const consented = (over: Partial<PersonContext> = {}): PersonContext => guest({ hasConsent: true, ...over });

export type In = string | EngineMessage;

export const text = (t: string): EngineMessage => ({ type: "text", text: t });
export const tap = (choiceId: string): EngineMessage => ({ type: "choice", choiceId });
export const start = (flowId: string, vars: Record<string, unknown> = {}): EngineMessage => ({ type: "start", flowId, vars });
export const photo = (storageKey: string | null, size = 120_000, mimeType = "image/jpeg"): EngineMessage => ({
  type: "media",
  media: { kind: "photo", mimeType, size, sha256: `sha-${storageKey ?? "none"}`, storageKey },
});

/** A chat with a fixed clock: each message moves the clock on by `gapMs` (default 20 s). */
export class Chat {
  session: SessionState | null = null;
  now: Date;
  last!: StepResult;
  readonly log: StepResult[] = [];

  constructor(
    public person: PersonContext,
    readonly conversations: LoadedConversations = testConversations(),
    now = "2026-03-02T01:00:00.000Z",
  ) {
    this.now = new Date(now);
  }

  send(input: In, gapMs = 20_000): StepResult {
    this.now = new Date(this.now.getTime() + gapMs);
    const message = typeof input === "string" ? text(input) : input;
    this.last = step({ conversations: this.conversations, session: this.session, message, person: this.person, now: this.now });
    // The host stores the session as JSON and applies the effects.
    this.session = this.last.session ? ZSessionState.parse(JSON.parse(JSON.stringify(this.last.session))) : null;
    this.person = applyToPerson(this.person, this.last.effects);
    this.log.push(this.last);
    return this.last;
  }

  all(inputs: In[]): StepResult {
    for (const i of inputs) this.send(i);
    return this.last;
  }

  /** All reply texts of the last step, joined. */
  get said(): string {
    return this.last.replies.map((r) => (r.type === "text" ? r.text : `[${r.type}]`)).join("\n---\n");
  }

  get lastReply(): Extract<StepResult["replies"][number], { type: "text" }> {
    const r = this.last.replies[this.last.replies.length - 1];
    if (!r || r.type !== "text") throw new Error("no text reply");
    return r;
  }

  get choiceIds(): string[] {
    return (this.lastReply.choices ?? []).map((c) => c.id);
  }
}
