/** Messages from the host and the scheduler: start a flow, nudge a quiet person, expire a session. */
import type { PendingFlow, SessionState } from "../session.js";
import { currentPrompt } from "./prompts.js";
import { EngineError, type Turn } from "./turn.js";
import { ensureVersion } from "./versioning.js";
import { startChecked } from "./walk.js";

export function onStart(turn: Turn, flowId: string, vars: Record<string, unknown>): void {
  const flow = turn.c.flows.get(flowId);
  if (!flow) throw new EngineError("unknown_flow", `no flow "${flowId}"`);
  for (const v of flow.def.vars ?? []) {
    const value = vars[v.name];
    if (value === undefined) {
      if (v.required) throw new EngineError("bad_vars", `flow "${flowId}" needs var "${v.name}"`);
      continue;
    }
    const ok =
      v.type === "list" ? Array.isArray(value) : v.type === "number" ? typeof value === "number" : typeof value === v.type;
    if (!ok) throw new EngineError("bad_vars", `var "${v.name}" of flow "${flowId}" must be a ${v.type}`);
  }
  const s = turn.session;
  if (s && s.expiredAt === null) {
    const same = (f: PendingFlow) => f.flowId === flowId && JSON.stringify(f.vars) === JSON.stringify(vars);
    if (same({ flowId: s.flowId, vars: s.vars }) || s.queue.some(same)) return;
    // Never interrupt the person: the new flow starts when the current one ends.
    s.queue.push({ flowId, vars, fromHost: true });
    return;
  }
  if (s) turn.dropSession(s);
  turn.session = null;
  startChecked(turn, flowId, vars, true, s?.queue.filter((q) => q.fromHost) ?? []);
}

export function onNudge(turn: Turn): void {
  const s = turn.session;
  if (!s || s.expiredAt !== null || s.nudged) return;
  if (!ensureVersion(turn)) return;
  const cur = turn.session as SessionState;
  cur.nudged = true;
  const prompt = currentPrompt(turn);
  if (prompt.type === "text") turn.replies.push({ ...prompt, text: `${turn.t("engine.nudge")}\n\n${prompt.text}` });
}

export function onExpire(turn: Turn): void {
  const s = turn.session;
  if (!s || s.expiredAt !== null) return;
  s.expiredAt = turn.now.toISOString();
  s.overlay = null;
}
