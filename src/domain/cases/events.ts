/** Writing the timestamped step events a case's timing is computed from. */
import { insertCaseEvents } from "../../db/case-writes.js";
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
  await tx.caseEvent.create({ data: { caseId, step, kind, at, actorType: actor.type, actorId: actor.id ?? null, note: note ?? null }, select: { id: true } });
}

/** Complete one step and start the next, at the same moment. */
export async function advance(tx: Tx, caseId: string, from: number, to: number, at: Date, actor: Actor): Promise<void> {
  // One INSERT for both events (src/db/case-writes.ts): this runs at every step of every case.
  const row = (step: number, kind: string) => ({ caseId, step, kind, at, actorType: actor.type, actorId: actor.id ?? null });
  await insertCaseEvents(tx, [row(from, "completed"), row(to, "started")]);
}
