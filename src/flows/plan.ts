/**
 * The plan of a session: the flow laid out as the ordered list of what applies to this person
 * given the answers so far (conditions, on-file skips, group items, `next` jumps). Navigation,
 * the summary and the submission all read the plan, so an answer that no longer applies (its
 * condition changed) is simply not in it.
 */
import {
  type CompiledFlow,
  type EndNode,
  type FlowNode,
  type GroupNode,
  isQuestion,
  type MessageNode,
  type QuestionNode,
  type SummaryNode,
} from "./definition.js";
import type { PersonContext } from "./model.js";
import type { Condition, ConditionOps, Scalar } from "./node-base.js";
import { getType, type QuestionContext } from "./registry.js";
import type { Position, SessionState } from "./session.js";

export type Slot =
  | { kind: "question"; pos: Position; key: string; node: QuestionNode; group?: GroupNode; item?: Record<string, unknown> }
  | { kind: "more"; pos: Position; key: string; group: GroupNode; index: number }
  | { kind: "message"; pos: Position; node: MessageNode; item?: Record<string, unknown> }
  | { kind: "summary"; pos: Position; node: SummaryNode }
  | { kind: "end"; pos: Position; node: EndNode };

/** The answers key of a question: its id, or "<group>.<item>.<id>" inside a group. */
export function answerKey(questionId: string, group?: GroupNode | string, index?: number): string {
  if (group === undefined || index === undefined) return questionId;
  return `${typeof group === "string" ? group : group.id}.${index}.${questionId}`;
}

export const samePos = (a: Position, b: Position): boolean =>
  a.node === b.node && (a.index ?? -1) === (b.index ?? -1) && !!a.more === !!b.more;

/** What the plan needs to know besides the flow. */
export interface PlanEnv {
  person: PersonContext;
  /** Builds the question context for autoSkip checks (desa needs the regions). */
  qctx(slotAnswerOf: (id: string) => unknown, item?: Record<string, unknown>): QuestionContext;
}

/** The list items of a forEach group, from the vars. */
export function forEachItems(group: GroupNode, vars: Record<string, unknown>): Record<string, unknown>[] {
  const list = group.forEach ? vars[group.forEach] : undefined;
  return Array.isArray(list) ? list.map((x) => (x !== null && typeof x === "object" ? (x as Record<string, unknown>) : { value: x })) : [];
}

/** How many items a repeat group has now: at least one (or its min). */
export function repeatCount(group: GroupNode, session: SessionState): number {
  const min = Math.max(group.repeat?.min ?? 1, 1);
  return Math.max(session.groups[group.id]?.count ?? 0, min);
}

function onFileValue(person: PersonContext, store: string | undefined): unknown {
  return store === undefined ? undefined : person.client?.[store];
}

function eq(a: unknown, b: Scalar): boolean {
  return a === b || (typeof a === "number" && String(a) === String(b));
}

function testOps(value: unknown, ops: ConditionOps): boolean {
  const present = value !== undefined && value !== null;
  if (ops.answered !== undefined && ops.answered !== present) return false;
  if (ops.is !== undefined && !eq(value, ops.is)) return false;
  if (ops.isNot !== undefined && eq(value, ops.isNot)) return false;
  if (ops.in !== undefined && !ops.in.some((v) => eq(value, v))) return false;
  if (ops.notIn !== undefined && ops.notIn.some((v) => eq(value, v))) return false;
  const list = Array.isArray(value) ? value : [];
  if (ops.includes !== undefined && !list.some((v) => eq(v, ops.includes as Scalar))) return false;
  if (ops.includesAny !== undefined && !ops.includesAny.some((x) => list.some((v) => eq(v, x)))) return false;
  // A bare reference ({ answer: x }) means "x was answered".
  const noOps = Object.keys(ops).every((k) => k === "answer" || k === "var" || k === "onFile");
  return noOps ? present : true;
}

export function evalCondition(
  c: Condition,
  scope: { answer(id: string): unknown; var(name: string): unknown; onFile(path: string): unknown },
): boolean {
  if ("all" in c) return c.all.every((x) => evalCondition(x, scope));
  if ("any" in c) return c.any.some((x) => evalCondition(x, scope));
  if ("none" in c) return !c.none.some((x) => evalCondition(x, scope));
  if ("answer" in c) return testOps(scope.answer(c.answer), c);
  if ("var" in c) return testOps(scope.var(c.var), c);
  return testOps(scope.onFile(c.onFile), c);
}

/**
 * Lays the flow out for this session. Conditions see only answers of questions already in the plan
 * (an answer to a question that no longer applies does not count) and, for a question not answered,
 * what the client's file holds for its store path.
 */
export function buildPlan(flow: CompiledFlow, session: SessionState, env: PlanEnv): Slot[] {
  return new PlanBuilder(flow, session, env).build();
}

/** Where each top-level node of a flow version stands, for `next` jumps; made once per loaded flow. */
const topLevel = new WeakMap<CompiledFlow, ReadonlyMap<string, number>>();

function topLevelIndex(flow: CompiledFlow): ReadonlyMap<string, number> {
  let index = topLevel.get(flow);
  if (!index) {
    const made = new Map<string, number>();
    flow.nodes.forEach((n, i) => {
      const id = (n as { id?: string }).id;
      // The first node with an id wins, as findIndex did.
      if (id !== undefined && !made.has(id)) made.set(id, i);
    });
    index = made;
    topLevel.set(flow, index);
  }
  return index;
}

/**
 * buildPlan's walk. A class rather than closures: it runs several times per message, and closures
 * made per node (each given a name by the TypeScript loader) were a tenth of a turn's time.
 */
class PlanBuilder {
  private readonly slots: Slot[] = [];
  private readonly visible = new Map<string, unknown>();
  /** Where `answer` looks: the group item whose condition is being evaluated. */
  private index: number | undefined;
  private readonly scope = {
    answer: (id: string) => this.answerOf(id, this.index),
    var: (name: string) => this.session.vars[name],
    onFile: (path: string) => onFileValue(this.env.person, path),
  };

  constructor(
    private readonly flow: CompiledFlow,
    private readonly session: SessionState,
    private readonly env: PlanEnv,
  ) {}

  build(): Slot[] {
    const { flow } = this;
    let i = 0;
    while (i < flow.nodes.length) {
      const node = flow.nodes[i] as FlowNode;
      const goOn = node.type === "group" ? this.visitGroup(node as GroupNode) : this.visit(node);
      if (!goOn) break;
      const next = (node as { next?: string }).next;
      // `next` only jumps when the node applied; a skipped node falls through to the following one.
      if (next !== undefined && this.applies(node)) {
        const target = topLevelIndex(flow).get(next) ?? -1;
        i = target > i ? target : i + 1;
      } else {
        i++;
      }
    }
    return this.slots;
  }

  private answerOf(id: string, index: number | undefined): unknown {
    const entry = this.flow.index.get(id);
    if (!entry || !isQuestion(entry.node)) return undefined;
    const key = entry.group ? answerKey(id, entry.group, index) : id;
    if (this.visible.has(key)) return this.visible.get(key);
    return onFileValue(this.env.person, entry.node.store);
  }

  private applies(node: FlowNode, index?: number): boolean {
    const when = (node as { when?: Condition }).when;
    if (when === undefined) return true;
    this.index = index;
    return evalCondition(when, this.scope);
  }

  /** Adds a question or message slot; returns false when the flow ends here. */
  private visit(node: FlowNode, group?: GroupNode, index?: number, item?: Record<string, unknown>): boolean {
    if (!this.applies(node, index)) return true;
    const pos: Position = { node: (node as { id: string }).id, ...(index !== undefined ? { index } : {}) };
    if (node.type === "message") {
      this.slots.push({ kind: "message", pos, node: node as MessageNode, ...(item ? { item } : {}) });
      return true;
    }
    if (node.type === "summary") {
      this.slots.push({ kind: "summary", pos, node: node as SummaryNode });
      return true;
    }
    if (node.type === "end") {
      this.slots.push({ kind: "end", pos, node: node as EndNode });
      return false;
    }
    if (!isQuestion(node)) return true;
    if (node.skipIfOnFile && onFileValue(this.env.person, node.store) !== undefined) return true;
    const type = getType(node.type);
    if (type?.autoSkip && type.autoSkip(node, this.env.qctx((id) => this.answerOf(id, index), item))) return true;
    const key = answerKey(node.id, group, index);
    this.slots.push({ kind: "question", pos, key, node, ...(group ? { group } : {}), ...(item ? { item } : {}) });
    const a = this.session.answers[key];
    if (a && !a.skipped) this.visible.set(key, a.value);
    return true;
  }

  private visitGroup(g: GroupNode): boolean {
    if (!this.applies(g)) return true;
    if (g.forEach !== undefined) {
      const items = forEachItems(g, this.session.vars);
      for (let i = 0; i < items.length; i++) {
        for (const child of g.nodes) if (!this.visit(child, g, i, items[i])) return false;
      }
      return true;
    }
    const count = repeatCount(g, this.session);
    const min = g.repeat?.min ?? 1;
    const max = g.repeat?.max ?? 1;
    for (let i = 0; i < count; i++) {
      for (const child of g.nodes) if (!this.visit(child, g, i)) return false;
      if (i + 1 >= min && i + 1 < max) this.slots.push({ kind: "more", pos: { node: g.id, index: i, more: true }, key: `${g.id}.${i}.more`, group: g, index: i });
    }
    return true;
  }
}

/** Is this slot answered: a question with an answer (or skipped), or a "more" that is settled. */
export function isAnswered(slot: Slot, session: SessionState, plan: Slot[]): boolean {
  if (slot.kind === "question") return session.answers[slot.key] !== undefined;
  if (slot.kind === "more") {
    const later = plan.some((s) => s.kind === "more" && s.group.id === slot.group.id && s.index > slot.index);
    return later || (session.groups[slot.group.id]?.done ?? false);
  }
  return false;
}

export const isStop = (s: Slot): boolean => s.kind === "question" || s.kind === "more" || s.kind === "summary" || s.kind === "end";

export function findSlot(plan: Slot[], pos: Position): number {
  return plan.findIndex((s) => samePos(s.pos, pos));
}

/** The first slot that needs the person: an unanswered question or "more", a summary or an end. */
export function firstOpen(plan: Slot[], session: SessionState): number {
  return plan.findIndex((s) => (s.kind === "question" || s.kind === "more" ? !isAnswered(s, session, plan) : s.kind === "summary" || s.kind === "end"));
}
