/** Writing the timestamped step events a case's timing is computed from. */
import type { Tx } from "../../db/client.js";
import { newId } from "../../db/sql-values.js";
import { Prisma } from "../../generated/sqlite/client.js";

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
  // One INSERT for both events, written by hand: Prisma's createMany took ~0.7 ms here and this runs
  // at every step of every case. The time goes in as a Date parameter, which the driver adapter
  // formats exactly as for Prisma's own writes (tests/domain/case-events.test.ts reads it back).
  const row = (step: number, kind: string) => Prisma.sql`(${newId()}, ${caseId}, ${step}, ${kind}, ${at}, ${actor.type}, ${actor.id ?? null})`;
  await tx.$executeRaw`INSERT INTO "CaseEvent" ("id", "caseId", "step", "kind", "at", "actorType", "actorId") VALUES ${Prisma.join([row(from, "completed"), row(to, "started")])}`;
}
