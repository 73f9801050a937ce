/** Writing the timestamped step events a case's timing is computed from. */
import type { Tx } from "../../db/client.js";

export type Actor = { type: "client" | "staff" | "system"; id?: string };

export async function recordStep(
  tx: Tx,
  caseId: string,
  step: number,
  kind: "started" | "completed" | "waiting" | "resumed",
  at: Date,
  actor: Actor,
  note?: string,
): Promise<void> {
  await tx.caseEvent.create({ data: { caseId, step, kind, at, actorType: actor.type, actorId: actor.id ?? null, note: note ?? null } });
}

/** Complete one step and start the next, at the same moment. */
export async function advance(tx: Tx, caseId: string, from: number, to: number, at: Date, actor: Actor): Promise<void> {
  await recordStep(tx, caseId, from, "completed", at, actor);
  await recordStep(tx, caseId, to, "started", at, actor);
}
