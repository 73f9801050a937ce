/** Booked appointments between two instants (a week on the dashboard, a day in the digest). */
import type { Tx } from "../../db/client.js";

export interface WeekAppointment {
  id: string;
  startsAt: Date;
  endsAt: Date;
  mode: string;
  link: string | null;
  place: string | null;
  caseId: string;
  regNumber: string;
  clientName: string;
  consultantId: string;
  consultantName: string;
}

export async function weekOf(tx: Tx, input: { from: Date; to: Date; consultantId?: string }): Promise<WeekAppointment[]> {
  const rows = await tx.appointment.findMany({
    where: { status: "booked", startsAt: { gte: input.from, lt: input.to }, ...(input.consultantId ? { consultantId: input.consultantId } : {}) },
    orderBy: [{ startsAt: "asc" }, { consultantId: "asc" }],
    select: {
      id: true, startsAt: true, endsAt: true, mode: true, link: true, place: true, caseId: true, consultantId: true,
      consultant: { select: { name: true } },
      case: { select: { regNumber: true, client: { select: { fullName: true, anonymisedAt: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id, startsAt: r.startsAt, endsAt: r.endsAt, mode: r.mode, link: r.link, place: r.place, caseId: r.caseId,
    regNumber: r.case.regNumber,
    clientName: r.case.client.anonymisedAt ? "-" : r.case.client.fullName,
    consultantId: r.consultantId,
    consultantName: r.consultant.name,
  }));
}
