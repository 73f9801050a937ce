/**
 * The summary at the end of a form and the numbered list of answers to change ("ubah"): what the
 * person reads. What they answer to it is handled in answers.ts.
 */
import type { Choice, Outbound } from "../../messaging/model.js";
import type { CompiledFlow, SummaryNode } from "../definition.js";
import type { Slot } from "../plan.js";
import type { Answer, SessionState } from "../session.js";
import { C, clip, itemParams, type QuestionSlot, type Turn } from "./turn.js";

/** The answered questions up to the summary, in order: the lines of the summary and of "ubah". */
export function editable(s: SessionState, plan: Slot[]): QuestionSlot[] {
  const end = plan.findIndex((x) => x.kind === "summary" && x.pos.node === s.position.node);
  return plan
    .slice(0, end < 0 ? plan.length : end)
    .filter((x): x is QuestionSlot => x.kind === "question" && x.node.summary !== false && s.answers[x.key] !== undefined);
}

function answerText(turn: Turn, flow: CompiledFlow, s: SessionState, slot: QuestionSlot): string {
  const a = s.answers[slot.key] as Answer;
  return a.skipped ? turn.t("engine.summary.skipped") : turn.display(flow, s, slot, a.value);
}

export function summaryMessage(turn: Turn, flow: CompiledFlow, s: SessionState, plan: Slot[], node: SummaryNode): Outbound {
  const lines: string[] = [];
  let item = "";
  for (const slot of editable(s, plan)) {
    const here = slot.group ? `${slot.group.id}.${slot.pos.index}` : "";
    if (here !== item && slot.group) lines.push(turn.t(slot.group.label, { ...itemParams(slot.item), n: (slot.pos.index ?? 0) + 1 }));
    item = here;
    lines.push(turn.t("engine.summary.item", { label: turn.t(slot.node.label), answer: clip(answerText(turn, flow, s, slot), 300) }));
  }
  return {
    type: "text",
    text: [turn.t(node.title, turn.varParams(s)), lines.join("\n"), turn.t("engine.summary.hint")].filter((x) => x !== "").join("\n\n"),
    choices: summaryChoices(turn),
  };
}

export function summaryChoices(turn: Turn): Choice[] {
  return [
    { id: C.submit, label: turn.t("engine.button.submit") },
    { id: C.edit, label: turn.t("engine.button.edit") },
    { id: C.cancel, label: turn.t("engine.button.cancel") },
  ];
}

/** The choice id of a line of the "ubah" list. */
export function editChoiceId(slot: QuestionSlot): string {
  return `edit:${slot.key}`.slice(0, 64);
}

export function editMessage(turn: Turn, flow: CompiledFlow, s: SessionState): Outbound {
  const plan = turn.plan(flow, s);
  const list = editable(s, plan);
  const lines = list.map((slot, i) => `${i + 1}. ${editLabel(turn, slot)}: ${clip(answerText(turn, flow, s, slot), 60)}`);
  return {
    type: "text",
    text: `${turn.t("engine.edit.prompt")}\n\n${lines.join("\n")}`,
    choices: list.map((slot, i) => ({ id: editChoiceId(slot), label: clip(`${i + 1}. ${editLabel(turn, slot)}`, 60) })),
  };
}

export function editLabel(turn: Turn, slot: QuestionSlot): string {
  const label = turn.t(slot.node.label);
  return slot.group ? `${label} (${turn.t(slot.group.label, { ...itemParams(slot.item), n: (slot.pos.index ?? 0) + 1 })})` : label;
}
