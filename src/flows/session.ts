/**
 * A person's place in a flow, as versioned JSON the host stores (ConversationSession.stateJson),
 * and when a quiet person is nudged or their session expires.
 */
import { z } from "zod";

/** Where the person is: a question (inside a group item: `index`), or a group's "add another?" (`more`). */
export const ZPosition = z.object({
  node: z.string().min(1),
  index: z.number().int().min(0).optional(),
  more: z.boolean().optional(),
});
export type Position = z.infer<typeof ZPosition>;

/** One answer. `skipped` marks an optional question passed with "lewati". */
export const ZAnswer = z.object({
  value: z.unknown(),
  /** The question type that produced it: a migration drops answers whose question changed type. */
  type: z.string(),
  skipped: z.boolean().optional(),
});
export type Answer = z.infer<typeof ZAnswer>;

export const ZPendingFlow = z.object({
  flowId: z.string().min(1),
  vars: z.record(z.string(), z.unknown()),
  /** Started by the host (kept when the person cancels what they were doing). */
  fromHost: z.boolean().optional(),
});
export type PendingFlow = z.infer<typeof ZPendingFlow>;

export const SESSION_SCHEMA_VERSION = 1;

export const ZSessionState = z.object({
  /** Version of this JSON shape (not of the flow). */
  schema: z.literal(SESSION_SCHEMA_VERSION),
  flowId: z.string().min(1),
  flowVersion: z.number().int().min(1),
  vars: z.record(z.string(), z.unknown()),
  /** asking: a question is open; summary: the summary waits for kirim/ubah; editing: pick the answer to change. */
  mode: z.enum(["asking", "summary", "editing"]),
  /** A short question on top of the mode, answered before going on. */
  overlay: z.enum(["confirm_cancel", "choose_language", "resume_offer", "menu"]).nullable(),
  position: ZPosition,
  /** Answers by key: the question id, or "<group>.<item>.<question>" inside a group. */
  answers: z.record(z.string(), ZAnswer),
  /** Positions answered before, newest last: "kembali" pops one. */
  history: z.array(ZPosition),
  /** Changing an answer from the summary: after it, go back to the summary. */
  returnToSummary: z.boolean(),
  /** Per group: how many items were started, and whether the person said no more. */
  groups: z.record(z.string(), z.object({ count: z.number().int().min(0), done: z.boolean() })),
  /** In-progress state of the open question (the taps of a multiple choice). */
  scratch: z.unknown().optional(),
  /** Flows to run after this one: the flow the person asked for before consent, flows the host started meanwhile. */
  queue: z.array(ZPendingFlow),
  startedAt: z.iso.datetime({ offset: true }),
  lastActivityAt: z.iso.datetime({ offset: true }),
  /** The nudge was sent for the current silence (once). */
  nudged: z.boolean(),
  /** Set when the session expired; answers are kept and the person is offered to continue. */
  expiredAt: z.iso.datetime({ offset: true }).nullable(),
});
export type SessionState = z.infer<typeof ZSessionState>;

/** Reads stored session JSON; null when it is missing or of another shape (it is then dropped, not guessed). */
export function parseSession(json: unknown): SessionState | null {
  const r = ZSessionState.safeParse(typeof json === "string" ? safeJson(json) : json);
  return r.success ? r.data : null;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

export interface TimerPolicy {
  /** Minutes of silence before the one nudge. */
  nudgeAfterMinutes: number;
  /** Days of silence before the session expires (answers are kept). */
  expireAfterDays: number;
}

/** A small office: one nudge after half an hour, expiry after a week. */
export const DEFAULT_TIMER_POLICY: TimerPolicy = { nudgeAfterMinutes: 30, expireAfterDays: 7 };

/**
 * When the scheduler should send { type: "nudge" } and { type: "expire" } for this session; null
 * when nothing is due (already nudged, already expired, no session). Pure: store these as columns.
 */
export function sessionTimers(
  session: SessionState | null,
  policy: TimerPolicy = DEFAULT_TIMER_POLICY,
): { nudgeAt: Date | null; expireAt: Date | null } {
  if (!session || session.expiredAt !== null) return { nudgeAt: null, expireAt: null };
  const last = Date.parse(session.lastActivityAt);
  return {
    nudgeAt: session.nudged ? null : new Date(last + policy.nudgeAfterMinutes * 60_000),
    expireAt: new Date(last + policy.expireAfterDays * 86_400_000),
  };
}
