/** Who the staff are and how to reach them in chat. */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { readJson, ZStaffAreas } from "../../db/json-columns.js";

export const ZRole = z.enum(["admin", "consultant", "head"]);
export type Role = z.infer<typeof ZRole>;

export interface StaffMember {
  id: string;
  name: string;
  role: Role;
  areas: string[];
}

export async function getStaff(tx: Tx, staffId: string): Promise<StaffMember | null> {
  const s = await tx.staff.findUnique({ where: { id: staffId } });
  if (!s || !s.active) return null;
  return { id: s.id, name: s.name, role: ZRole.parse(s.role), areas: readJson(ZStaffAreas, s.areasJson) };
}

/** The identity a staff member used last: where messages to them go. */
export async function staffIdentityId(tx: Tx, staffId: string): Promise<string | null> {
  const i = await tx.identity.findFirst({ where: { staffId, unreachableAt: null }, orderBy: { updatedAt: "desc" }, select: { id: true } });
  return i?.id ?? null;
}

export async function identitiesOfRole(tx: Tx, role: Role): Promise<string[]> {
  const staff = await tx.staff.findMany({ where: { role, active: true }, select: { id: true } });
  const ids: string[] = [];
  for (const s of staff) {
    const id = await staffIdentityId(tx, s.id);
    if (id) ids.push(id);
  }
  return ids;
}

/** The client's identity to write to: the one they used last. */
export async function clientIdentityId(tx: Tx, clientId: string): Promise<string | null> {
  const i = await tx.identity.findFirst({ where: { clientId, unreachableAt: null }, orderBy: { updatedAt: "desc" }, select: { id: true } });
  return i?.id ?? null;
}

/** Consultants of an area with their open-case counts, fewest first (auto-assignment's choice). */
export async function consultantsByLoad(tx: Tx, area: string, exclude: string[] = []): Promise<Array<{ id: string; name: string; open: number }>> {
  const all = await tx.staff.findMany({ where: { role: "consultant", active: true }, select: { id: true, name: true, areasJson: true } });
  const inArea = all.filter((s) => readJson(ZStaffAreas, s.areasJson).includes(area) && !exclude.includes(s.id));
  const withLoad = await Promise.all(
    inArea.map(async (s) => ({
      id: s.id,
      name: s.name,
      open: await tx.consultationCase.count({ where: { consultantId: s.id, closedAt: null } }),
    })),
  );
  return withLoad.sort((a, b) => a.open - b.open || a.name.localeCompare(b.name));
}
