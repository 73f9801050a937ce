/**
 * Sessions on an old flow version: continued on the archived version, mapped onto the current one
 * (answers renamed, those that no longer fit dropped), or restarted, with a notice to the person.
 */
import { isQuestion } from "../definition.js";
import { firstOpen, isAnswered } from "../plan.js";
import type { Answer, SessionState } from "../session.js";
import { showMenu } from "./prompts.js";
import type { Turn } from "./turn.js";
import { arrive, startFlow } from "./walk.js";

/** Moves a session on an old flow version to one that runs; false when the session ended. */
export function ensureVersion(turn: Turn): boolean {
  const s = turn.session as SessionState;
  const current = turn.c.flows.get(s.flowId);
  if (!current) {
    turn.dropSession(s);
    turn.session = null;
    showMenu(turn);
    return false;
  }
  if (current.def.version === s.flowVersion) return true;
  const rule = (current.def.migrations ?? []).find((m) => m.from === s.flowVersion);
  if (!rule && turn.c.versions.get(s.flowId)?.has(s.flowVersion)) return true; // continue on the archived version
  const strategy = rule?.strategy ?? "restart";
  s.flowVersion = current.def.version;
  s.overlay = s.overlay === "resume_offer" ? "resume_offer" : null;
  s.returnToSummary = false;
  s.scratch = undefined;
  if (strategy === "map") {
    const rename = (id: string) => rule?.map?.[id] ?? id;
    const answers: Record<string, Answer> = {};
    for (const [key, a] of Object.entries(s.answers)) {
      const parts = key.split(".");
      const newKey = parts.length === 3 ? `${rename(parts[0] as string)}.${parts[1]}.${rename(parts[2] as string)}` : rename(key);
      const qid = newKey.split(".").pop() as string;
      const node = current.index.get(qid)?.node;
      if (node && isQuestion(node) && node.type === a.type) answers[newKey] = a;
      else turn.discardMedia(a);
    }
    s.answers = answers;
    s.groups = Object.fromEntries(Object.entries(s.groups).map(([g, v]) => [rename(g), v]));
    const plan = turn.plan(current, s);
    const open = firstOpen(plan, s);
    s.history = plan.slice(0, open < 0 ? plan.length : open).filter((x) => isAnswered(x, s, plan)).map((x) => x.pos);
    turn.say(turn.t(rule?.notice ?? "engine.flow_updated", { flow: turn.t(current.def.title) }));
    if (s.expiredAt !== null) return true;
    arrive(turn, current, s, plan, open);
    return false;
  }
  for (const a of Object.values(s.answers)) turn.discardMedia(a);
  turn.say(turn.t(rule?.notice ?? "engine.flow_restarted", { flow: turn.t(current.def.title) }));
  const queue = s.queue;
  turn.session = null;
  startFlow(turn, s.flowId, s.vars, queue);
  return false;
}
