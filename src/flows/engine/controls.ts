/**
 * Controls inside a flow: "kembali" (back), "batal" (cancel, after a confirmation), "bantuan"
 * (help), "lewati" (skip an optional question), "tetap" (keep the answer given), "menu", "bahasa"
 * (language), and the overlays they open: confirm cancel, choose a language, resume or restart
 * after a pause, the in-flow menu.
 */
import type { CompiledFlow } from "../definition.js";
import { menuInFlow, type MenuEntry } from "../menu.js";
import type { EngineMessage } from "../model.js";
import { findSlot, firstOpen, isAnswered, type Slot } from "../plan.js";
import { parseChoice } from "../questions/choice.js";
import { parseYesNo } from "../questions/yesno.js";
import type { Position, SessionState } from "../session.js";
import { foldCommand } from "../../shared/fold.js";
import { afterChange } from "./answers.js";
import { commandWords, type Control } from "./commands.js";
import { globalControl, setLanguage } from "./global-controls.js";
import { helpText, overlayPrompt, repeatPrompt } from "./prompts.js";
import { C, type Turn } from "./turn.js";
import { advance, arrive, next, startFlow } from "./walk.js";

/** Controls inside a flow; false when the message is not a control here (it is then an answer). */
export function onControl(turn: Turn, flow: CompiledFlow, s: SessionState, ctl: Control): boolean {
  switch (ctl) {
    case "cancel":
      s.overlay = "confirm_cancel";
      turn.replies.push(overlayPrompt(turn, flow, s));
      return true;
    case "help":
      turn.say(helpText(turn, flow, s));
      repeatPrompt(turn);
      return true;
    case "menu":
      s.overlay = "menu";
      turn.replies.push(overlayPrompt(turn, flow, s));
      return true;
    case "back":
      goBack(turn, flow, s);
      return true;
    case "skip":
      return skip(turn, flow, s);
    case "keep":
      return keep(turn, flow, s);
    case "language":
      s.overlay = "choose_language";
      turn.replies.push(overlayPrompt(turn, flow, s));
      return true;
    default:
      if (!globalControl(turn, ctl)) return false;
      repeatPrompt(turn);
      return true;
  }
}

/** Is the person being asked a yes/no question ("gak jadi" then answers it rather than cancels)? */
export function isYesNoOpen(turn: Turn, flow: CompiledFlow, s: SessionState): boolean {
  if (s.mode !== "asking") return false;
  const slot = turn.currentSlot(flow, s);
  return slot?.kind === "more" || (slot?.kind === "question" && slot.node.type === "yes_no");
}

function goBack(turn: Turn, flow: CompiledFlow, s: SessionState): void {
  const plan = turn.plan(flow, s);
  if (s.mode === "editing" || (s.returnToSummary && s.mode === "asking")) {
    // Changing from the summary: "kembali" returns to it unchanged.
    s.returnToSummary = false;
    s.scratch = undefined;
    return arrive(turn, flow, s, plan, firstOpen(plan, s));
  }
  while (s.history.length) {
    const pos = s.history.pop() as Position;
    const idx = findSlot(plan, pos);
    if (idx >= 0 && (plan[idx] as Slot).kind !== "summary") return arrive(turn, flow, s, plan, idx);
  }
  turn.say(turn.t("engine.back.first"));
  repeatPrompt(turn);
}

function skip(turn: Turn, flow: CompiledFlow, s: SessionState): boolean {
  const slot = s.mode === "asking" ? turn.currentSlot(flow, s) : undefined;
  if (!slot || slot.kind !== "question") return false;
  if (!slot.node.optional) {
    turn.say(turn.t("engine.skip.required"));
    repeatPrompt(turn);
    return true;
  }
  turn.discardMedia(s.answers[slot.key]);
  s.answers[slot.key] = { value: null, type: slot.node.type, skipped: true };
  advance(turn, flow, s, slot.pos, afterChange(turn, flow, s, slot));
  return true;
}

function keep(turn: Turn, flow: CompiledFlow, s: SessionState): boolean {
  const plan = turn.plan(flow, s);
  const slot = s.mode === "asking" ? turn.currentSlot(flow, s, plan) : undefined;
  if (!slot || (slot.kind !== "question" && slot.kind !== "more") || !isAnswered(slot, s, plan)) return false;
  advance(turn, flow, s, slot.pos);
  return true;
}

/** A message while an overlay is open: its answer, a control, or the overlay asked again. */
export function onOverlay(turn: Turn, flow: CompiledFlow, s: SessionState, msg: EngineMessage, ctl: Control | undefined): void {
  const choice = msg.type === "choice" ? msg.choiceId : undefined;
  const text = msg.type === "text" ? msg.text : undefined;
  const said = text !== undefined ? foldCommand(text) : "";
  const words = commandWords(turn.tr);
  const close = () => {
    s.overlay = null;
  };
  switch (s.overlay) {
    case "confirm_cancel": {
      const yn = text !== undefined ? parseYesNo(text) : undefined;
      if (choice === C.cancelYes || ctl === "cancel" || (yn?.ok && yn.value)) return cancel(turn, s);
      if (choice === C.cancelNo || ctl === "back" || (yn?.ok && !yn.value) || words.has("cmd.continue", said)) {
        close();
        turn.say(turn.t("engine.cancel.kept"));
        return repeatPrompt(turn);
      }
      break;
    }
    case "choose_language": {
      const pick =
        ctl === "lang_id" || ctl === "lang_en"
          ? ctl
          : text !== undefined
            ? pickText(turn, text, [
                ["lang_id", "engine.button.lang_id"],
                ["lang_en", "engine.button.lang_en"],
              ])
            : undefined;
      if (pick) {
        close();
        setLanguage(turn, pick === "lang_id" ? "id" : "en");
        return repeatPrompt(turn);
      }
      if (ctl === "back" || words.has("cmd.continue", said)) {
        close();
        return repeatPrompt(turn);
      }
      break;
    }
    case "resume_offer": {
      const pick =
        choice === C.resume || words.has("cmd.resume", said)
          ? "resume"
          : choice === C.restart || words.has("cmd.restart", said)
            ? "restart"
            : text !== undefined
              ? pickText(turn, text, [
                  ["resume", "engine.button.resume"],
                  ["restart", "engine.button.restart"],
                ])
              : undefined;
      if (pick === "resume") {
        close();
        return repeatPrompt(turn);
      }
      if (pick === "restart") {
        for (const a of Object.values(s.answers)) turn.discardMedia(a);
        turn.say(turn.t("engine.resume.restarted"));
        return startFlow(turn, s.flowId, s.vars, s.queue);
      }
      if (ctl === "cancel") return cancel(turn, s);
      break;
    }
    case "menu": {
      const items = menuInFlow(turn.c, turn.person);
      if (choice === C.continue || ctl === "back" || words.has("cmd.continue", said)) {
        close();
        return repeatPrompt(turn);
      }
      if (ctl === "cancel") {
        s.overlay = "confirm_cancel";
        turn.replies.push(overlayPrompt(turn, flow, s));
        return;
      }
      let picked: MenuEntry | undefined;
      if (choice) picked = items.find((m) => `menu:${m.id}` === choice);
      else if (text !== undefined) {
        const r = parseChoice(text, [
          { id: "continue", label: turn.t("engine.button.continue") },
          ...items.map((m) => ({ id: m.id, label: turn.t(m.label), synonyms: m.words ? [...turn.tr.wordsHere(m.words)] : [] })),
        ]);
        if (r.ok && r.value === "continue") {
          close();
          return repeatPrompt(turn);
        }
        if (r.ok) picked = items.find((m) => m.id === r.value);
      }
      if (!picked && ctl && ctl !== "menu") picked = items.find((m) => m.kind === "control" && m.control === ctl);
      if (picked && picked.kind === "control") {
        close();
        globalControl(turn, picked.control);
        if (picked.control !== "language") return repeatPrompt(turn);
        s.overlay = "choose_language";
        turn.replies.pop();
        turn.replies.push(overlayPrompt(turn, flow, s));
        return;
      }
      break;
    }
    default:
      break;
  }
  // Not an answer to the overlay: controls that are not about it still work, else ask again.
  if (ctl === "help") turn.say(helpText(turn, flow, s));
  turn.replies.push(overlayPrompt(turn, flow, s));
}

function pickText<T extends string>(turn: Turn, text: string, options: [T, string][]): T | undefined {
  const r = parseChoice(
    text,
    options.map(([id, key]) => ({ id, label: turn.t(key) })),
  );
  return r.ok ? (r.value as T) : undefined;
}

function cancel(turn: Turn, s: SessionState): void {
  turn.dropSession(s);
  turn.say(turn.t("engine.cancel.done"));
  next(turn, s.queue.filter((q) => q.fromHost));
}

/** The person writes after the session expired: offer to go on or start again. */
export function offerResume(turn: Turn, msg: EngineMessage): void {
  const s = turn.session as SessionState;
  s.expiredAt = null;
  s.overlay = "resume_offer";
  if (msg.type === "media" && msg.media.storageKey) turn.effects.push({ type: "media_discarded", storageKey: msg.media.storageKey });
  turn.replies.push(overlayPrompt(turn, turn.flowOf(s), s));
}
