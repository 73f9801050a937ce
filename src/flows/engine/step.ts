/**
 * The conversation engine's entry: one inbound message in, the new session, the replies and the
 * effects out. Pure: no I/O, no clock (the time is passed in), no randomness. The host stores the
 * session, sends the replies and applies the effects in one transaction.
 */
import type { EngineMessage } from "../model.js";
import { parseYesNo } from "../questions/yesno.js";
import type { SessionState } from "../session.js";
import { onAnswer, onEditing, onSummary } from "./answers.js";
import { controlOf } from "./commands.js";
import { isYesNoOpen, offerResume, onControl, onOverlay } from "./controls.js";
import { onExpire, onNudge, onStart } from "./host.js";
import { onIdle } from "./idle.js";
import { repeatPrompt } from "./prompts.js";
import { type PersonMessage, type StepInput, type StepResult, Turn } from "./turn.js";
import { ensureVersion } from "./versioning.js";

/** Handles one message. */
export function step(input: StepInput): StepResult {
  const turn = new Turn(input);
  handle(turn, input.message);
  return { session: turn.session, replies: turn.replies, effects: turn.effects };
}

function handle(turn: Turn, msg: EngineMessage): void {
  if (msg.type === "start") return onStart(turn, msg.flowId, msg.vars);
  if (msg.type === "nudge") return onNudge(turn);
  if (msg.type === "expire") return onExpire(turn);
  const s = turn.session;
  if (!s) return onIdle(turn, msg);
  s.lastActivityAt = turn.now.toISOString();
  s.nudged = false;
  if (!ensureVersion(turn)) return;
  const cur = turn.session as SessionState;
  if (cur.expiredAt !== null) return offerResume(turn, msg);
  onInFlow(turn, msg);
}

function onInFlow(turn: Turn, msg: PersonMessage): void {
  const s = turn.session as SessionState;
  const flow = turn.flowOf(s);
  if (msg.type === "unsupported") {
    turn.say(turn.t("engine.unsupported"));
    return repeatPrompt(turn);
  }
  if (msg.type === "rejected_media") {
    const key = `engine.rejected.${msg.reason}`;
    turn.say(turn.t(key, { limitMb: Math.round((msg.limitBytes / 1048576) * 10) / 10 }));
    return repeatPrompt(turn);
  }
  if (msg.type === "media" && msg.media.storageKey === null) {
    turn.say(turn.t("engine.media.not_stored"));
    return repeatPrompt(turn);
  }
  let ctl = controlOf(turn.tr, msg);
  // "gak jadi" at a yes/no question is its answer, not a cancel.
  if (ctl === "cancel" && msg.type === "text" && !s.overlay && isYesNoOpen(turn, flow, s) && parseYesNo(msg.text).ok) ctl = undefined;
  if (msg.type === "media" && msg.media.storageKey !== null) {
    // A stored file nobody asked for is deleted again.
    const slot = turn.currentSlot(flow, s);
    if (s.overlay || s.mode !== "asking" || slot?.kind !== "question" || slot.node.type !== "media") {
      turn.effects.push({ type: "media_discarded", storageKey: msg.media.storageKey });
      turn.say(turn.t("engine.media.not_here"));
      return repeatPrompt(turn);
    }
  }
  if (s.overlay) return onOverlay(turn, flow, s, msg, ctl);
  if (ctl && onControl(turn, flow, s, ctl)) return;
  if (s.mode === "summary") return onSummary(turn, flow, s, msg);
  if (s.mode === "editing") return onEditing(turn, flow, s, msg);
  onAnswer(turn, flow, s, msg);
}
