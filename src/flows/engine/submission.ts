/** What a completed flow hands the host: its answers as stored data and as lines a person reads. */
import type { CompiledFlow, GroupNode } from "../definition.js";
import type { SubmittedAnswer } from "../effects.js";
import { forEachItems, type Slot } from "../plan.js";
import type { SessionState } from "../session.js";
import type { Turn } from "./turn.js";

export function collect(
  turn: Turn,
  flow: CompiledFlow,
  s: SessionState,
  plan: Slot[],
): { data: Record<string, unknown>; answers: SubmittedAnswer[] } {
  const data: Record<string, unknown> = {};
  const answers: SubmittedAnswer[] = [];
  const itemsOf = (g: GroupNode): Record<string, unknown>[] => {
    const store = g.store as string;
    if (!Array.isArray(data[store])) {
      const seed = g.forEach !== undefined ? forEachItems(g, s.vars).map((it) => ("id" in it ? { id: it.id } : {})) : [];
      data[store] = seed;
    }
    return data[store] as Record<string, unknown>[];
  };
  for (const slot of plan) {
    if (slot.kind !== "question") continue;
    const a = s.answers[slot.key];
    if (!a || a.skipped) continue;
    const node = slot.node;
    let store: string | undefined = node.store;
    if (slot.group && slot.group.store !== undefined) {
      const items = itemsOf(slot.group);
      const i = slot.pos.index ?? 0;
      while (items.length <= i) items.push({});
      if (node.store !== undefined) (items[i] as Record<string, unknown>)[node.store] = a.value;
      store = node.store !== undefined ? `${slot.group.store}[${i}].${node.store}` : undefined;
    } else if (store !== undefined) {
      data[store] = a.value;
    }
    answers.push({
      questionId: slot.key,
      ...(store !== undefined ? { store } : {}),
      value: a.value,
      display: turn.display(flow, s, slot, a.value),
      labelKey: node.label,
    });
  }
  return { data, answers };
}
