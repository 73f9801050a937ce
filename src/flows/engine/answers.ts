/**
 * What the person answers: to a question (parsed by its type; a changed answer re-checks the
 * answers that depend on it), to "one more?" of a repeat group, to the summary ("kirim", "ubah",
 * "ubah 3") and to the list of answers to change.
 */
import type { CompiledFlow, GroupNode } from "../definition.js";
import { findSlot, firstOpen, type Slot } from "../plan.js";
import { parseChoice } from "../questions/choice.js";
import { parseYesNo } from "../questions/yesno.js";
import { type AnswerInput, getType } from "../registry.js";
import type { SessionState } from "../session.js";
import { foldCommand } from "../../shared/fold.js";
import { commandWords } from "./commands.js";
import { questionMessage } from "./prompts.js";
import { editable, editChoiceId, editLabel, editMessage, summaryChoices } from "./summary.js";
import { C, type QuestionSlot, type Turn } from "./turn.js";
import { advance, arrive, walkFrom } from "./walk.js";

export function onAnswer(turn: Turn, flow: CompiledFlow, s: SessionState, msg: AnswerInput): void {
  const plan = turn.plan(flow, s);
  const idx = findSlot(plan, s.position);
  const slot = idx >= 0 ? plan[idx] : undefined;
  if (!slot || (slot.kind !== "question" && slot.kind !== "more")) {
    // The place no longer applies (answers changed): go to what is open now.
    return arrive(turn, flow, s, plan, firstOpen(plan, s));
  }
  if (slot.kind === "more") return onMore(turn, flow, s, slot, msg);
  const type = getType(slot.node.type);
  if (!type) return;
  const r = type.parse(slot.node, msg, turn.qctx(flow, s, slot));
  if (r.ok === "partial") {
    s.scratch = r.scratch;
    const parts = type.prompt(slot.node, turn.qctx(flow, s, slot));
    const skip = slot.node.optional ? [{ id: C.skip, label: turn.t("engine.button.skip") }] : [];
    turn.say(r.extra.join("\n"), [...(parts.choices ?? []), ...skip]);
    return;
  }
  if (r.ok === false) {
    if (msg.type === "media" && msg.media.storageKey) turn.effects.push({ type: "media_discarded", storageKey: msg.media.storageKey });
    turn.replies.push(questionMessage(turn, flow, s, slot, { key: r.error, params: r.params ?? {} }, plan));
    return;
  }
  const old = s.answers[slot.key];
  if (old && JSON.stringify(old.value) !== JSON.stringify(r.value)) turn.discardMedia(old);
  s.answers[slot.key] = { value: r.value, type: slot.node.type };
  if (slot.group) touchGroup(s, slot.group, slot.pos.index ?? 0);
  const changed = !old || JSON.stringify(old.value) !== JSON.stringify(r.value);
  advance(turn, flow, s, slot.pos, changed ? afterChange(turn, flow, s, slot) : undefined);
}

function touchGroup(s: SessionState, g: GroupNode, index: number): void {
  const cur = s.groups[g.id] ?? { count: 0, done: false };
  s.groups[g.id] = { count: Math.max(cur.count, index + 1), done: cur.done };
}

/**
 * An answer changed: answers that were checked against it are checked again (or asked again).
 * Returns the plan as it stands after the change when no answer had to go (the caller walks on with
 * it rather than laying the flow out again), or undefined when one went and the plan may differ.
 */
export function afterChange(turn: Turn, flow: CompiledFlow, s: SessionState, changed: QuestionSlot): Slot[] | undefined {
  const plan = turn.plan(flow, s);
  let dropped = false;
  for (const slot of plan) {
    if (slot.kind !== "question" || slot === changed) continue;
    const type = getType(slot.node.type);
    const refs = type?.references?.(slot.node) ?? [];
    if (!refs.some((r) => r.questionId === changed.node.id)) continue;
    if (changed.group && (slot.pos.index ?? -1) !== (changed.pos.index ?? -1)) continue;
    const a = s.answers[slot.key];
    if (!a || a.skipped) continue;
    if (type?.recheck?.(slot.node, a.value, turn.qctx(flow, s, slot))) continue;
    turn.discardMedia(a);
    delete s.answers[slot.key];
    dropped = true;
  }
  return dropped ? undefined : plan;
}

function onMore(turn: Turn, flow: CompiledFlow, s: SessionState, slot: Extract<Slot, { kind: "more" }>, msg: AnswerInput): void {
  let yes: boolean | undefined;
  if (msg.type === "choice") yes = msg.choiceId === C.yes ? true : msg.choiceId === C.no ? false : undefined;
  else if (msg.type === "text") {
    const r = parseYesNo(msg.text, { yes: turn.t("q.yesno.yes"), no: turn.t("q.yesno.no") });
    if (!r.ok) {
      turn.replies.push(questionMessage(turn, flow, s, slot, { key: r.error, params: r.params ?? {} }));
      return;
    }
    yes = r.value;
  }
  if (yes === undefined) {
    turn.replies.push(questionMessage(turn, flow, s, slot, { key: "engine.expect_choice", params: {} }));
    return;
  }
  const g = slot.group;
  if (yes) {
    const cur = s.groups[g.id] ?? { count: 0, done: false };
    s.groups[g.id] = { count: Math.max(cur.count, slot.index + 2), done: false };
  } else {
    // No more items: drop the ones after this (the person went back and said no).
    for (const key of Object.keys(s.answers)) {
      const [gid, i] = key.split(".");
      if (gid === g.id && Number(i) > slot.index) {
        turn.discardMedia(s.answers[key]);
        delete s.answers[key];
      }
    }
    s.groups[g.id] = { count: slot.index + 1, done: true };
  }
  advance(turn, flow, s, slot.pos);
}

/** At the summary: "kirim" sends, "ubah" lists the answers to change, "ubah 3" changes line 3 at once. */
export function onSummary(turn: Turn, flow: CompiledFlow, s: SessionState, msg: AnswerInput): void {
  const choice = msg.type === "choice" ? msg.choiceId : undefined;
  const said = msg.type === "text" ? foldCommand(msg.text) : "";
  const words = commandWords(turn.tr);
  if (choice === C.submit || words.has("cmd.submit", said)) {
    const plan = turn.plan(flow, s);
    s.history.push(s.position);
    return walkFrom(turn, flow, s, plan, findSlot(plan, s.position));
  }
  const direct = /^(\S+)\s+(\d{1,3})$/.exec(said);
  if (direct && words.has("cmd.edit", direct[1] as string)) {
    const plan = turn.plan(flow, s);
    const target = editable(s, plan)[Number(direct[2]) - 1];
    if (target) return editAnswer(turn, flow, s, plan, target);
  }
  if (choice === C.edit || words.has("cmd.edit", said)) {
    s.mode = "editing";
    turn.replies.push(editMessage(turn, flow, s));
    return;
  }
  turn.say(turn.t("engine.summary.hint"), summaryChoices(turn));
}

/** Which answer to change: a tap on its line, or its number or label typed. */
export function onEditing(turn: Turn, flow: CompiledFlow, s: SessionState, msg: AnswerInput): void {
  const plan = turn.plan(flow, s);
  const list = editable(s, plan);
  let target: QuestionSlot | undefined;
  if (msg.type === "choice") target = list.find((x) => editChoiceId(x) === msg.choiceId);
  else if (msg.type === "text") {
    const r = parseChoice(
      msg.text,
      list.map((x) => ({ id: x.key, label: editLabel(turn, x) })),
    );
    if (r.ok) target = list.find((x) => x.key === r.value);
  }
  if (!target) {
    turn.say(turn.t("engine.edit.unknown"));
    turn.replies.push(editMessage(turn, flow, s));
    return;
  }
  editAnswer(turn, flow, s, plan, target);
}

function editAnswer(turn: Turn, flow: CompiledFlow, s: SessionState, plan: Slot[], target: QuestionSlot): void {
  s.returnToSummary = true;
  arrive(turn, flow, s, plan, plan.indexOf(target));
}
