/**
 * What the person is asked: the menu, a question (with its hints, buttons and an error when the
 * answer did not fit), an overlay (cancel? language? resume? the in-flow menu), help, and the
 * prompt of wherever the session stands now.
 */
import type { Choice, Outbound } from "../../messaging/model.js";
import type { CompiledFlow } from "../definition.js";
import { typeHelpKey } from "../engine-texts.js";
import { menuFor, menuInFlow } from "../menu.js";
import { findSlot, firstOpen, isAnswered, type Slot } from "../plan.js";
import { getType } from "../registry.js";
import type { SessionState } from "../session.js";
import { editMessage, summaryChoices, summaryMessage } from "./summary.js";
import { C, clip, type Turn } from "./turn.js";

export function showMenu(turn: Turn): void {
  const items = menuFor(turn.c, turn.person);
  const intro = turn.person.isClient ? "engine.menu.client" : "engine.menu.guest";
  turn.say(turn.t(intro), items.map((m) => ({ id: `menu:${m.id}`, label: turn.t(m.label) })));
}

export function languageChoices(turn: Turn): Choice[] {
  return [
    { id: "lang:id", label: turn.t("engine.button.lang_id") },
    { id: "lang:en", label: turn.t("engine.button.lang_en") },
  ];
}

/** Sends again whatever the person is being asked now (after help, a command, a language change). */
export function repeatPrompt(turn: Turn): void {
  if (!turn.session) return;
  turn.replies.push(currentPrompt(turn));
}

export function currentPrompt(turn: Turn): Outbound {
  const s = turn.session as SessionState;
  const flow = turn.flowOf(s);
  if (s.overlay) return overlayPrompt(turn, flow, s);
  const plan = turn.plan(flow, s);
  if (s.mode === "editing") return editMessage(turn, flow, s);
  const idx = findSlot(plan, s.position);
  const slot = idx >= 0 ? plan[idx] : undefined;
  if (s.mode === "summary" && slot?.kind === "summary") return summaryMessage(turn, flow, s, plan, slot.node);
  if (slot && (slot.kind === "question" || slot.kind === "more")) return questionMessage(turn, flow, s, slot);
  // The place vanished (answers changed); move to what is open.
  const open = firstOpen(plan, s);
  const target = open >= 0 ? plan[open] : undefined;
  if (target && (target.kind === "question" || target.kind === "more")) {
    s.position = target.pos;
    s.mode = "asking";
    return questionMessage(turn, flow, s, target);
  }
  if (target?.kind === "summary") {
    s.position = target.pos;
    s.mode = "summary";
    return summaryMessage(turn, flow, s, plan, target.node);
  }
  return { type: "text", text: turn.t("engine.summary.hint"), choices: summaryChoices(turn) };
}

export function overlayPrompt(turn: Turn, flow: CompiledFlow, s: SessionState): Outbound {
  const title = turn.t(flow.def.title);
  switch (s.overlay) {
    case "confirm_cancel":
      return {
        type: "text",
        text: turn.t("engine.cancel.confirm", { flow: title }),
        choices: [
          { id: C.cancelYes, label: turn.t("engine.button.yes_cancel") },
          { id: C.cancelNo, label: turn.t("engine.button.no_continue") },
        ],
      };
    case "choose_language":
      return { type: "text", text: turn.t("engine.language.ask"), choices: languageChoices(turn) };
    case "resume_offer":
      return {
        type: "text",
        text: turn.t("engine.resume.offer", { flow: title }),
        choices: [
          { id: C.resume, label: turn.t("engine.button.resume") },
          { id: C.restart, label: turn.t("engine.button.restart") },
        ],
      };
    default: {
      const items = menuInFlow(turn.c, turn.person);
      return {
        type: "text",
        text: turn.t("engine.menu.in_flow", { flow: title }),
        choices: [
          { id: C.continue, label: turn.t("engine.button.continue") },
          ...items.map((m) => ({ id: `menu:${m.id}`, label: turn.t(m.label) })),
        ],
      };
    }
  }
}

export function questionMessage(
  turn: Turn,
  flow: CompiledFlow,
  s: SessionState,
  slot: Extract<Slot, { kind: "question" | "more" }>,
  error?: { key: string; params: Record<string, string | number> },
  /** The flow laid out for the answers as they are now, when the caller has it. */
  plan: Slot[] = turn.plan(flow, s),
): Outbound {
  const answered = isAnswered(slot, s, plan);
  const keep = answered ? [{ id: C.keep, label: turn.t("engine.button.keep") }] : [];
  if (slot.kind === "more") {
    const more = slot.group.repeat?.more as string;
    const head = error
      ? `${turn.t(error.key, error.params)}\n${turn.t("engine.retry", { label: turn.t(more, { n: slot.index + 1 }) })}`
      : turn.t(more, { ...turn.varParams(s), n: slot.index + 1 });
    return {
      type: "text",
      text: head,
      choices: [{ id: C.yes, label: turn.t("q.yesno.yes") }, { id: C.no, label: turn.t("q.yesno.no") }, ...keep],
    };
  }
  const node = slot.node;
  const type = getType(node.type);
  const ctx = turn.qctx(flow, s, slot);
  const parts = type?.prompt(node, ctx) ?? {};
  const lines: string[] = [];
  if (error) {
    lines.push(turn.t(error.key, error.params));
    lines.push(node.retry ? turn.t(node.retry, ctx.params) : turn.t("engine.retry", { label: turn.t(node.label, ctx.params) }));
  } else {
    lines.push(turn.t(node.prompt, ctx.params));
    if (parts.extra?.length) lines.push(parts.extra.join("\n"));
    const hints: string[] = [];
    const a = s.answers[slot.key];
    if (a) hints.push(turn.t("engine.hint.previous", { answer: clip(a.skipped ? turn.t("engine.summary.skipped") : turn.display(flow, s, slot, a.value), 120) }));
    else if (ctx.params.current !== undefined) hints.push(turn.t("engine.hint.current", { answer: clip(String(ctx.params.current), 120) }));
    if (node.optional) hints.push(turn.t("engine.hint.optional"));
    if (hints.length) lines.push(hints.join("\n"));
  }
  const skip = node.optional ? [{ id: C.skip, label: turn.t("engine.button.skip") }] : [];
  const choices = [...(parts.choices ?? []), ...keep, ...skip];
  return {
    type: "text",
    text: lines.join("\n\n"),
    ...(choices.length ? { choices } : {}),
    ...(parts.requestContact ? { requestContact: true } : {}),
    ...(parts.contactButtonLabel ? { contactButtonLabel: parts.contactButtonLabel } : {}),
  };
}

export function helpText(turn: Turn, flow: CompiledFlow, s: SessionState): string {
  const controls = turn.t("engine.help.controls");
  if (s.overlay || s.mode !== "asking") return `${turn.t("engine.summary.hint")}\n\n${controls}`;
  const slot = turn.currentSlot(flow, s);
  if (slot?.kind === "question") {
    const key = slot.node.help ?? typeHelpKey(slot.node.type);
    return `${turn.t(key, turn.qctx(flow, s, slot).params)}\n\n${controls}`;
  }
  return `${turn.t("engine.help.generic")}\n\n${controls}`;
}
