/**
 * Transcripts: a conversation written down as data (tests/transcripts/<flowId>.yaml) — messages in
 * with a fixed clock, the replies and effects expected. The flow tests run them through the engine;
 * the database pipeline can run the same files through the host and check the optional `rows`.
 */
import { z } from "zod";
import type { Outbound } from "../messaging/model.js";
import type { Effect } from "./effects.js";
import { step, type StepResult } from "./engine.js";
import type { LoadedConversations } from "./load.js";
import { type EngineMessage, ZEngineMessage, ZPersonContext, type PersonContext } from "./model.js";
import { type SessionState, ZSessionState } from "./session.js";

/** One expected reply: a substring, or a matcher. */
export const ZReplyMatcher = z.union([
  z.string(),
  z.strictObject({
    /** Substring(s) the text must contain. */
    contains: z.union([z.string(), z.array(z.string())]).optional(),
    /** The whole text. */
    exact: z.string().optional(),
    /** Substring(s) the text must not contain. */
    notContains: z.union([z.string(), z.array(z.string())]).optional(),
    /** The button labels, in order (exact). */
    choices: z.array(z.string()).optional(),
    /** The button ids, in order (exact). */
    choiceIds: z.array(z.string()).optional(),
    requestContact: z.boolean().optional(),
  }),
]);
export type ReplyMatcher = z.infer<typeof ZReplyMatcher>;

const ZDuration = z.string().regex(/^\d+(s|m|h|d)$/, { error: "a duration like 30s, 5m, 2h or 8d" });

export const ZTranscriptStep = z
  .strictObject({
    note: z.string().optional(),
    /** Clock: an absolute time, or time passed since the previous step (default 20s). */
    at: z.iso.datetime({ offset: true }).optional(),
    after: ZDuration.optional(),
    /** Changes to the person before this step (what the host learned meanwhile). */
    person: ZPersonContext.partial().optional(),
    // The message: exactly one of these.
    say: z.string().optional(),
    tap: z.string().optional(),
    send: ZEngineMessage.optional(),
    start: z.strictObject({ flowId: z.string(), vars: z.record(z.string(), z.unknown()).default({}) }).optional(),
    nudge: z.literal(true).optional(),
    expire: z.literal(true).optional(),
    /** The replies, one matcher per reply, in order; omitted: not checked. */
    expect: z.union([z.string(), z.array(ZReplyMatcher)]).optional(),
    /** The effects, each matched as a subset, in order; omitted: none expected. */
    effects: z.array(z.record(z.string(), z.unknown())).optional(),
    /** The session after the step: null (ended) or a subset of its fields. */
    session: z.union([z.null(), z.record(z.string(), z.unknown())]).optional(),
    /** Rows the database pipeline expects after this step (ignored by the engine tests). */
    rows: z.unknown().optional(),
  })
  .refine((s) => ["say", "tap", "send", "start", "nudge", "expire"].filter((k) => k in s && s[k as keyof typeof s] !== undefined).length === 1, {
    error: "a step needs exactly one of say, tap, send, start, nudge, expire",
  });
export type TranscriptStep = z.infer<typeof ZTranscriptStep>;

export const ZScenario = z.strictObject({
  name: z.string().min(1),
  /** The clock at the first step. */
  now: z.iso.datetime({ offset: true }),
  person: ZPersonContext,
  /** Start from a stored session (e.g. one on an older flow version). */
  session: ZSessionState.nullable().optional(),
  steps: z.array(ZTranscriptStep).min(1),
  rows: z.unknown().optional(),
});
export type Scenario = z.infer<typeof ZScenario>;

export const ZTranscript = z.strictObject({
  /** The flow this file covers (tests/transcripts/<flow>.yaml). */
  flow: z.string().min(1),
  description: z.string().optional(),
  scenarios: z.array(ZScenario).min(1),
  rows: z.unknown().optional(),
});
export type Transcript = z.infer<typeof ZTranscript>;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function durationMs(d: string): number {
  const unit = d.slice(-1) as keyof typeof UNIT_MS;
  return Number(d.slice(0, -1)) * UNIT_MS[unit];
}

/** The engine message of a step. */
export function messageOf(s: TranscriptStep): EngineMessage {
  if (s.say !== undefined) return { type: "text", text: s.say };
  if (s.tap !== undefined) return { type: "choice", choiceId: s.tap };
  if (s.send !== undefined) return s.send;
  if (s.start !== undefined) return { type: "start", flowId: s.start.flowId, vars: s.start.vars };
  if (s.nudge) return { type: "nudge" };
  return { type: "expire" };
}

/** Problems matching replies against the expectation (empty when they match). */
export function matchReplies(expect: TranscriptStep["expect"], replies: Outbound[]): string[] {
  if (expect === undefined) return [];
  const list = typeof expect === "string" ? [expect] : expect;
  const out: string[] = [];
  if (list.length !== replies.length) {
    out.push(`expected ${list.length} repl${list.length === 1 ? "y" : "ies"}, got ${replies.length}:\n${replies.map(showReply).join("\n")}`);
  }
  list.forEach((m, i) => {
    const r = replies[i];
    if (!r) return;
    if (r.type !== "text") {
      out.push(`reply ${i + 1} is a ${r.type}, not a text`);
      return;
    }
    const matcher = typeof m === "string" ? { contains: m } : m;
    const has = (s: string) => r.text.toLowerCase().includes(s.toLowerCase());
    for (const s of [matcher.contains ?? []].flat()) if (!has(s)) out.push(`reply ${i + 1} lacks "${s}":\n${showReply(r)}`);
    for (const s of [matcher.notContains ?? []].flat()) if (has(s)) out.push(`reply ${i + 1} should not contain "${s}":\n${showReply(r)}`);
    if (matcher.exact !== undefined && r.text !== matcher.exact) out.push(`reply ${i + 1} is not exactly "${matcher.exact}":\n${showReply(r)}`);
    const labels = (r.choices ?? []).map((c) => c.label);
    if (matcher.choices && JSON.stringify(labels) !== JSON.stringify(matcher.choices)) {
      out.push(`reply ${i + 1} buttons ${JSON.stringify(labels)} != ${JSON.stringify(matcher.choices)}`);
    }
    const ids = (r.choices ?? []).map((c) => c.id);
    if (matcher.choiceIds && JSON.stringify(ids) !== JSON.stringify(matcher.choiceIds)) {
      out.push(`reply ${i + 1} button ids ${JSON.stringify(ids)} != ${JSON.stringify(matcher.choiceIds)}`);
    }
    if (matcher.requestContact !== undefined && !!r.requestContact !== matcher.requestContact) {
      out.push(`reply ${i + 1} requestContact is ${!!r.requestContact}`);
    }
  });
  return out;
}

export function showReply(r: Outbound): string {
  if (r.type !== "text") return `  [${r.type} ${r.fileName}]`;
  const buttons = r.choices ? `\n    [${r.choices.map((c) => `${c.id}: ${c.label}`).join(" | ")}]` : "";
  return `  «${r.text}»${buttons}`;
}

/** Is `actual` a superset of `expected`: objects by key, arrays element by element (same length). */
export function subsetMatch(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => subsetMatch(e, actual[i]));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => subsetMatch(v, (actual as Record<string, unknown>)[k]));
  }
  return Object.is(expected, actual);
}

export function matchEffects(expected: TranscriptStep["effects"], effects: Effect[]): string[] {
  const list = expected ?? [];
  const show = () => effects.map((e) => `  ${JSON.stringify(e)}`).join("\n");
  if (list.length !== effects.length) return [`expected ${list.length} effect(s), got ${effects.length}:\n${show()}`];
  return list.flatMap((e, i) => (subsetMatch(e, effects[i]) ? [] : [`effect ${i + 1} does not match ${JSON.stringify(e)}:\n${show()}`]));
}

export function matchSession(expected: TranscriptStep["session"], session: SessionState | null): string[] {
  if (expected === undefined) return [];
  if (expected === null) return session === null ? [] : [`expected the session to end, it is at ${JSON.stringify(session.position)} (${session.mode})`];
  if (session === null) return ["expected a session, it ended"];
  return subsetMatch(expected, session) ? [] : [`session ${JSON.stringify({ ...session, answers: "…" })} does not match ${JSON.stringify(expected)}`];
}

/** What a host does with effects that change the person, so later steps see it. */
export function applyToPerson(person: PersonContext, effects: Effect[]): PersonContext {
  let p = { ...person };
  for (const e of effects) {
    if (e.type === "consent_given") p = { ...p, hasConsent: true };
    if (e.type === "language_changed") p = { ...p, language: e.language };
    if (e.type === "reminders_toggled") p = { ...p, remindersOn: e.on };
    if (e.type === "submitted" && (e.action === "registration" || e.action === "profile_update")) {
      const file = { ...(p.client ?? {}) };
      for (const [k, v] of Object.entries(e.data)) if (k.startsWith("client.") || k.startsWith("business.")) file[k] = v;
      p = { ...p, isClient: true, client: file };
    }
  }
  return p;
}

export interface StepReport {
  index: number;
  step: TranscriptStep;
  now: Date;
  result: StepResult;
  failures: string[];
}

/** Runs one scenario through the engine; every step's failures are reported, the run goes on. */
export function runScenario(conversations: LoadedConversations, scenario: Scenario): StepReport[] {
  let now = new Date(scenario.now);
  let person = scenario.person;
  let session: SessionState | null = scenario.session ?? null;
  const reports: StepReport[] = [];
  scenario.steps.forEach((s, index) => {
    if (s.at) now = new Date(s.at);
    else if (index > 0) now = new Date(now.getTime() + durationMs(s.after ?? "20s"));
    if (s.person) person = { ...person, ...s.person };
    const failures: string[] = [];
    let result: StepResult;
    try {
      result = step({ conversations, session, message: messageOf(s), person, now });
    } catch (e) {
      failures.push(`threw ${e instanceof Error ? e.stack : String(e)}`);
      reports.push({ index, step: s, now, result: { session, replies: [], effects: [] }, failures });
      return;
    }
    // The host stores the session as JSON: it must come back the same.
    if (result.session) {
      const back = ZSessionState.safeParse(JSON.parse(JSON.stringify(result.session)));
      if (!back.success) failures.push(`session does not survive JSON: ${back.error.message}`);
    }
    failures.push(...matchReplies(s.expect, result.replies), ...matchEffects(s.effects, result.effects), ...matchSession(s.session, result.session));
    reports.push({ index, step: s, now, result, failures });
    session = result.session;
    person = applyToPerson(person, result.effects);
  });
  return reports;
}
