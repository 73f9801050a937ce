/**
 * Moving through flows: starting one (after consent when it needs it), walking the plan to the
 * next stop (saying messages on the way), asking there, completing the flow with its effects,
 * then starting what is queued. These call each other, so they live together.
 */
import type { CompiledFlow } from "../definition.js";
import { findSlot, firstOpen, isStop, type Slot } from "../plan.js";
import { getType } from "../registry.js";
import { type PendingFlow, type Position, SESSION_SCHEMA_VERSION, type SessionState } from "../session.js";
import { questionMessage } from "./prompts.js";
import { collect } from "./submission.js";
import { summaryMessage } from "./summary.js";
import { EngineError, type Turn } from "./turn.js";

/** Starts a flow, the consent flow first when it needs consent the person has not given. */
export function startChecked(turn: Turn, flowId: string, vars: Record<string, unknown>, fromHost: boolean, queue: PendingFlow[]): void {
  const flow = turn.c.flows.get(flowId);
  if (!flow) throw new EngineError("unknown_flow", `no flow "${flowId}"`);
  if (flow.def.requiresConsent && !turn.person.hasConsent) {
    return startFlow(turn, turn.c.consentFlowId, {}, [{ flowId, vars, fromHost }, ...queue]);
  }
  startFlow(turn, flowId, vars, queue);
}

export function startFlow(turn: Turn, flowId: string, vars: Record<string, unknown>, queue: PendingFlow[]): void {
  const flow = turn.c.flows.get(flowId) as CompiledFlow;
  const at = turn.now.toISOString();
  const s: SessionState = {
    schema: SESSION_SCHEMA_VERSION,
    flowId,
    flowVersion: flow.def.version,
    vars,
    mode: "asking",
    overlay: null,
    position: { node: (flow.nodes[0] as { id?: string }).id ?? flowId },
    answers: {},
    history: [],
    returnToSummary: false,
    groups: {},
    queue,
    startedAt: at,
    lastActivityAt: at,
    nudged: false,
    expiredAt: null,
  };
  turn.session = s;
  const plan = turn.plan(flow, s);
  walkFrom(turn, flow, s, plan, -1);
}

/** The flow reached its end: emit what it collected, then run what is queued. */
function complete(turn: Turn, flow: CompiledFlow, s: SessionState, plan: Slot[]): void {
  const done = flow.def.complete;
  if (done.submit !== undefined) {
    const { data, answers } = collect(turn, flow, s, plan);
    turn.effects.push({
      type: "submitted",
      flowId: s.flowId,
      flowVersion: s.flowVersion,
      action: done.submit,
      vars: s.vars,
      data,
      answers,
    });
  }
  if (done.request !== undefined) turn.request(done.request);
  if (done.consent !== undefined) {
    turn.effects.push({ type: "consent_given", consentVersion: done.consent, language: turn.lang });
    turn.person.hasConsent = true;
  }
  if (done.reply) turn.say(turn.t(done.reply, turn.varParams(s)));
  next(turn, s.queue);
}

/** Ends the session and starts the next queued flow, if any. */
export function next(turn: Turn, queue: PendingFlow[]): void {
  turn.session = null;
  const [head, ...rest] = queue;
  if (head && turn.c.flows.has(head.flowId)) startChecked(turn, head.flowId, head.vars, head.fromHost ?? false, rest);
}

/** Goes to the stop at plan[idx]: asks, shows the summary, ends; past the plan, completes. */
export function arrive(turn: Turn, flow: CompiledFlow, s: SessionState, plan: Slot[], idx: number): void {
  const slot = idx >= 0 ? plan[idx] : undefined;
  if (!slot) return complete(turn, flow, s, plan);
  s.position = slot.pos;
  s.scratch = undefined;
  if (slot.kind === "end") {
    if (slot.node.text) turn.say(turn.t(slot.node.text, turn.varParams(s)));
    next(turn, s.queue.filter((q) => q.fromHost));
    return;
  }
  if (slot.kind === "summary") {
    s.mode = "summary";
    s.returnToSummary = false;
    turn.replies.push(summaryMessage(turn, flow, s, plan, slot.node));
    return;
  }
  if (slot.kind === "message") return walkFrom(turn, flow, s, plan, idx - 1);
  s.mode = "asking";
  if (slot.kind === "question") {
    const a = s.answers[slot.key];
    if (a && !a.skipped && getType(slot.node.type)?.kind === "strings") s.scratch = a.value;
  }
  turn.replies.push(questionMessage(turn, flow, s, slot, undefined, plan));
}

/** Walks on from plan[from] (exclusive), saying messages, to the next stop. */
export function walkFrom(turn: Turn, flow: CompiledFlow, s: SessionState, plan: Slot[], from: number): void {
  for (let i = from + 1; i < plan.length; i++) {
    const slot = plan[i] as Slot;
    if (slot.kind === "message") {
      turn.say(turn.t(slot.node.text, turn.qctx(flow, s, slot).params));
      continue;
    }
    if (isStop(slot)) return arrive(turn, flow, s, plan, i);
  }
  complete(turn, flow, s, plan);
}

/**
 * After an answer at `pos`: on to the next question (or back to the summary when changing from it).
 * `plan`: the flow laid out for the answers as they are now, when the caller has it.
 */
export function advance(turn: Turn, flow: CompiledFlow, s: SessionState, pos: Position, plan: Slot[] = turn.plan(flow, s)): void {
  s.history.push(pos);
  s.scratch = undefined;
  if (s.returnToSummary) {
    const open = firstOpen(plan, s);
    return arrive(turn, flow, s, plan, open);
  }
  walkFrom(turn, flow, s, plan, findSlot(plan, pos));
}
