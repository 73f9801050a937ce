/**
 * Booking a slot by hand: `INSERT ... ON CONFLICT DO NOTHING` against the unique index on
 * (consultantId, heldStart). Prisma's create would raise on the conflict, and on PostgreSQL a failed
 * statement aborts the whole transaction, so the turn could not go on to offer the client the next
 * free slots. With DO NOTHING a second booking of the same slot (even one racing ours in another
 * transaction: PostgreSQL waits for it to commit) simply writes no row, on both databases.
 */
import { sqltag as sql } from "@prisma/client/runtime/client";
import type { Tx } from "./client.js";
import { newId } from "./sql-values.js";

export interface AppointmentRow {
  caseId: string;
  consultantId: string;
  startsAt: Date;
  endsAt: Date;
  mode: string;
  link: string | null;
  place: string | null;
  offerId: string | null;
  movedFromId: string | null;
  now: Date;
}

/** The new appointment's id, or null when the consultant already holds that start. */
export async function claimSlot(tx: Tx, r: AppointmentRow): Promise<string | null> {
  const id = newId();
  const written = await tx.$executeRaw(sql`INSERT INTO "Appointment"
    ("id", "caseId", "consultantId", "startsAt", "endsAt", "mode", "link", "place", "status", "heldStart", "offerId", "movedFromId", "createdAt", "updatedAt")
    VALUES (${id}, ${r.caseId}, ${r.consultantId}, ${r.startsAt}, ${r.endsAt}, ${r.mode}, ${r.link}, ${r.place}, 'booked', ${r.startsAt}, ${r.offerId}, ${r.movedFromId}, ${r.now}, ${r.now})
    ON CONFLICT ("consultantId", "heldStart") DO NOTHING`);
  return written === 1 ? id : null;
}
