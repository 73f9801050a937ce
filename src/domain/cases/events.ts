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
  const event = { caseId, at, actorType: actor.type, actorId: actor.id ?? null, note: null };
  await tx.caseEvent.createMany({ data: [{ ...event, step: from, kind: "completed" }, { ...event, step: to, kind: "started" }] });
}
