/**
 * One row per person (ConversationSession): the engine's session for their current flow, and the
 * desk's small state (what a staff member, or a client replying to their consultant, is typing).
 * The two live side by side in stateJson so neither overwrites the other.
 */
import { z } from "zod";
import type { Tx } from "../db/client.js";
import { parseSession, sessionTimers, type SessionState, type TimerPolicy } from "../flows/session.js";
import { ZChoice, type Choice } from "../messaging/model.js";

export const ZAwaiting = z.discriminatedUnion("kind", [
  z.object({ kind: z.enum(["diagnosis", "note", "prescription", "message", "evaluate", "monitor"]), caseId: z.string() }),
  z.object({ kind: z.literal("services"), caseId: z.string(), selected: z.array(z.string()) }),
  z.object({ kind: z.literal("refer_reason"), caseId: z.string(), area: z.string() }),
  z.object({ kind: z.literal("report"), caseId: z.string(), part: z.enum(["summary", "results", "recommendations"]), draft: z.record(z.string(), z.string()) }),
  z.object({ kind: z.literal("plan_changes"), planId: z.string() }),
  z.object({ kind: z.literal("client_reply"), caseId: z.string() }),
]);
export type Awaiting = z.infer<typeof ZAwaiting>;

const ZStored = z.object({ engine: z.unknown().optional(), awaiting: ZAwaiting.nullable().optional() });

export interface PersonSession {
  engine: SessionState | null;
  awaiting: Awaiting | null;
  offered: Choice[];
}

function parseStored(json: string | undefined): z.infer<typeof ZStored> {
  if (!json) return {};
  try {
    const r = ZStored.safeParse(JSON.parse(json));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}

export async function readSession(tx: Tx, identityId: string): Promise<PersonSession> {
  const row = await tx.conversationSession.findUnique({ where: { identityId } });
  const stored = parseStored(row?.stateJson);
  let offered: Choice[] = [];
  if (row?.offeredJson) {
    const r = z.array(ZChoice).safeParse(JSON.parse(row.offeredJson));
    if (r.success) offered = r.data;
  }
  return { engine: stored.engine ? parseSession(stored.engine) : null, awaiting: stored.awaiting ?? null, offered };
}

/** Save what changed; the other half of the state is kept as it was. */
export async function writeSession(
  tx: Tx,
  identityId: string,
  now: Date,
  change: { engine?: SessionState | null; awaiting?: Awaiting | null; offered?: Choice[] | null },
  policy?: TimerPolicy,
): Promise<void> {
  const row = await tx.conversationSession.findUnique({ where: { identityId } });
  const stored = parseStored(row?.stateJson);
  if (change.engine !== undefined) stored.engine = change.engine ?? undefined;
  if (change.awaiting !== undefined) stored.awaiting = change.awaiting;
  const engine = change.engine !== undefined ? change.engine : stored.engine ? parseSession(stored.engine) : null;
  // Timers move only when the engine's session does; other changes keep what is due.
  const timers = change.engine !== undefined || !row ? sessionTimers(engine, policy) : { nudgeAt: row.nudgeDueAt, expireAt: row.expireDueAt };
  const data = {
    stateJson: JSON.stringify(stored),
    flowId: engine?.flowId ?? null,
    flowVersion: engine?.flowVersion ?? null,
    status: !engine ? "idle" : engine.expiredAt ? "expired" : "active",
    lastActivityAt: engine ? new Date(engine.lastActivityAt) : now,
    nudgeDueAt: timers.nudgeAt,
    expireDueAt: timers.expireAt,
    ...(change.offered !== undefined ? { offeredJson: change.offered && change.offered.length > 0 ? JSON.stringify(change.offered) : null } : {}),
  };
  await tx.conversationSession.upsert({ where: { identityId }, create: { identityId, ...data }, update: data });
}
