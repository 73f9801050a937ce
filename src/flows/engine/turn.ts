/**
 * One turn of the engine: what it was given (conversations, person, session, time), what it has
 * said and done so far (replies, effects), and the helpers every part of the engine uses.
 * Pure: no I/O, no clock (the time is passed in), no randomness.
 */
import type { Choice, Outbound } from "../../messaging/model.js";
import { type CompiledFlow, isQuestion, type RequestName } from "../definition.js";
import type { Effect } from "../effects.js";
import type { LoadedConversations } from "../load.js";
import { type EngineMessage, type PersonContext, ZStoredMedia } from "../model.js";
import { answerKey, buildPlan, findSlot, type Slot } from "../plan.js";
import { getType, type QuestionContext } from "../registry.js";
import type { Answer, SessionState } from "../session.js";
import { type Lang, type TextParams, Translator } from "../../i18n/index.js";

export interface StepInput {
  conversations: LoadedConversations;
  session: SessionState | null;
  message: EngineMessage;
  person: PersonContext;
  now: Date;
}

export interface StepResult {
  session: SessionState | null;
  replies: Outbound[];
  effects: Effect[];
}

/** A host mistake (unknown flow, missing vars): the engine cannot answer the person sensibly. */
export class EngineError extends Error {
  constructor(
    readonly code: "unknown_flow" | "bad_vars",
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/** Choice ids the engine puts on its own buttons. */
export const C = {
  skip: "ctl:skip",
  keep: "ctl:keep",
  submit: "ctl:submit",
  edit: "ctl:edit",
  cancel: "ctl:cancel",
  cancelYes: "ctl:cancel_yes",
  cancelNo: "ctl:cancel_no",
  resume: "ctl:resume",
  restart: "ctl:restart",
  continue: "ctl:continue",
  yes: "yes",
  no: "no",
} as const;

/** A message the person sent (not one from the host or the scheduler). */
export type PersonMessage = Exclude<EngineMessage, { type: "start" | "nudge" | "expire" }>;

export type QuestionSlot = Extract<Slot, { kind: "question" }>;

/** The session is plain JSON (it is stored as JSON): a JSON copy is several times faster than structuredClone. */
function cloneSession(s: SessionState): SessionState {
  return JSON.parse(JSON.stringify(s)) as SessionState;
}

export class Turn {
  readonly c: LoadedConversations;
  readonly now: Date;
  person: PersonContext;
  session: SessionState | null;
  tr: Translator;
  readonly replies: Outbound[] = [];
  readonly effects: Effect[] = [];

  constructor(input: StepInput) {
    this.c = input.conversations;
    this.now = input.now;
    // Only top-level fields of the person change during a step (consent, language, reminders).
    this.person = { ...input.person };
    this.session = input.session ? cloneSession(input.session) : null;
    this.tr = new Translator(this.c.texts, this.person.language);
  }

  get lang(): Lang {
    return this.tr.lang;
  }

  t(key: string, params?: TextParams): string {
    return this.tr.t(key, params);
  }

  say(text: string, choices?: Choice[], extra: Partial<Extract<Outbound, { type: "text" }>> = {}): void {
    this.replies.push({ type: "text", text, ...(choices && choices.length ? { choices } : {}), ...extra });
  }

  request(name: RequestName): void {
    this.effects.push({ type: "request", name });
  }

  discardMedia(a: Answer | undefined): void {
    const m = a ? ZStoredMedia.safeParse(a.value) : undefined;
    if (m?.success) this.effects.push({ type: "media_discarded", storageKey: m.data.storageKey });
  }

  /** Forgets a session the person left: the host deletes its files. */
  dropSession(s: SessionState): void {
    this.effects.push({ type: "cancelled", flowId: s.flowId });
    for (const a of Object.values(s.answers)) this.discardMedia(a);
  }

  /** The version of the flow the session runs on (an archived one, or the current). */
  flowOf(s: SessionState): CompiledFlow {
    return (this.c.versions.get(s.flowId)?.get(s.flowVersion) ?? this.c.flows.get(s.flowId)) as CompiledFlow;
  }

  plan(flow: CompiledFlow, s: SessionState): Slot[] {
    return buildPlan(flow, s, {
      person: this.person,
      qctx: (answerOf, item) => this.ctxWith(s, answerOf, item, undefined),
    });
  }

  currentSlot(flow: CompiledFlow, s: SessionState, plan = this.plan(flow, s)): Slot | undefined {
    const i = findSlot(plan, s.position);
    return i >= 0 ? plan[i] : undefined;
  }

  varParams(s: SessionState): Record<string, string | number> {
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(s.vars)) if (typeof v === "string" || typeof v === "number") out[k] = v;
    return out;
  }

  ctxWith(
    s: SessionState | undefined,
    answerOf: (id: string) => unknown,
    item: Record<string, unknown> | undefined,
    extraParams: TextParams | undefined,
  ): QuestionContext {
    return {
      tr: this.tr,
      lang: this.lang,
      now: this.now,
      person: this.person,
      regions: this.c.regions,
      answerOf,
      params: { ...(s ? this.varParams(s) : {}), ...itemParams(item), ...(extraParams ?? {}) },
      scratch: s?.scratch,
    };
  }

  /** The context of a question slot: answers of the same item first, then what is on file. */
  qctx(flow: CompiledFlow, s: SessionState, slot: Slot): QuestionContext {
    const index = slot.pos.index;
    const answerOf = (id: string) => {
      const entry = flow.index.get(id);
      if (!entry || !isQuestion(entry.node)) return undefined;
      const a = s.answers[entry.group ? answerKey(id, entry.group, index) : id];
      if (a && !a.skipped) return a.value;
      return entry.node.store !== undefined ? this.person.client?.[entry.node.store] : undefined;
    };
    const extra: Record<string, string | number> = {};
    if (index !== undefined) extra.n = index + 1;
    if (slot.kind === "question" && slot.node.store !== undefined) {
      const onFile = this.person.client?.[slot.node.store];
      const type = getType(slot.node.type);
      if (onFile !== undefined && type) {
        extra.current = type.display(slot.node, onFile, this.ctxWith(s, answerOf, undefined, undefined));
      }
    }
    return this.ctxWith(s, answerOf, slot.kind === "question" || slot.kind === "message" ? slot.item : undefined, extra);
  }

  /** An answer as the person reads it. */
  display(flow: CompiledFlow, s: SessionState, slot: Slot, value: unknown): string {
    if (slot.kind !== "question") return "";
    const type = getType(slot.node.type);
    return type ? type.display(slot.node, value, this.qctx(flow, s, slot)) : String(value);
  }
}

/** The fields of a list item as text params ("item.name"). */
export function itemParams(item: Record<string, unknown> | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(item ?? {})) if (typeof v === "string" || typeof v === "number") out[`item.${k}`] = v;
  return out;
}

export function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
