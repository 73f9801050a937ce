/** What the dashboard pages read, beyond the reports module: one case in full, counts per month, staff. */
import type { Db } from "../../db/client.js";
import { readJson, ZStaffAreas, ZStaffInviteAreas } from "../../db/json-columns.js";
import { localParts, zonedTime } from "../../shared/time.js";
import { consultantCaseWhere } from "../../domain/reports/office-report.js";
import type { SessionStaff } from "./auth.js";

export type Viewer = SessionStaff["staff"];

export const seesEverything = (v: Viewer) => v.role === "admin" || v.role === "head";

/** The case when this viewer may open it; null otherwise (shown as 404, so ids are not probed). */
export async function caseForViewer(db: Db, viewer: Viewer, caseId: string) {
  const where = seesEverything(viewer) ? { id: caseId } : { AND: [{ id: caseId }, consultantCaseWhere(viewer.id)] };
  return db.consultationCase.findFirst({
    where,
    include: {
      client: { select: { id: true, fullName: true, nikLast4: true, sex: true, kecamatan: true, desa: true, language: true, anonymisedAt: true, createdAt: true } },
      business: true,
      events: { orderBy: { at: "asc" } },
      answers: { orderBy: { questionId: "asc" } },
      routing: { orderBy: { createdAt: "asc" } },
      assignments: { orderBy: { assignedAt: "asc" }, include: { consultant: { select: { name: true } } } },
      referrals: { orderBy: { createdAt: "asc" } },
      notes: { orderBy: { createdAt: "asc" }, include: { author: { select: { name: true } } } },
      plans: { orderBy: { createdAt: "asc" }, include: { items: { orderBy: { position: "asc" } } } },
      visits: { orderBy: { scheduledFor: "asc" } },
      reports: { orderBy: { createdAt: "asc" } },
      control: { orderBy: { at: "asc" }, include: { staff: { select: { name: true } } } },
      documents: { where: { deletedAt: null }, orderBy: { createdAt: "asc" } },
      complaints: { orderBy: { createdAt: "asc" } },
      // Only that there is one: answers are anonymous (issue 16 item 7), never loaded for a case page.
      surveys: { select: { id: true } },
      reminders: { where: { status: "pending" }, orderBy: { dueAt: "asc" } },
    },
  });
}
export type CaseDetail = NonNullable<Awaited<ReturnType<typeof caseForViewer>>>;

/** A document this viewer may open: admins and the head any; a consultant those of clients of their cases. */
export async function documentForViewer(db: Db, viewer: Viewer, documentId: string) {
  const doc = await db.document.findUnique({ where: { id: documentId } });
  if (!doc || doc.deletedAt) return null;
  if (seesEverything(viewer)) return doc;
  const visible = await db.consultationCase.count({
    where: { AND: [doc.caseId ? { id: doc.caseId } : { clientId: doc.clientId }, consultantCaseWhere(viewer.id)] },
  });
  return visible > 0 ? doc : null;
}

/** Cases opened per local month, the last `months` months up to now (oldest first). */
export async function casesPerMonth(
  db: Db,
  now: Date,
  tz: string,
  opts: { months?: number; consultantId?: string } = {},
): Promise<Array<{ year: number; month: number; count: number }>> {
  const months = opts.months ?? 12;
  const p = localParts(now, tz);
  const slots: Array<{ year: number; month: number; count: number }> = [];
  for (let i = months - 1; i >= 0; i--) {
    const idx = p.year * 12 + (p.month - 1) - i;
    slots.push({ year: Math.floor(idx / 12), month: (idx % 12) + 1, count: 0 });
  }
  const first = slots[0]!;
  const from = zonedTime(`${first.year}-${String(first.month).padStart(2, "0")}-01`, "00:00", tz);
  const rows = await db.consultationCase.findMany({
    where: { AND: [{ createdAt: { gte: from, lte: now } }, opts.consultantId ? consultantCaseWhere(opts.consultantId) : {}] },
    select: { createdAt: true },
  });
  for (const r of rows) {
    const lp = localParts(r.createdAt, tz);
    const slot = slots.find((s) => s.year === lp.year && s.month === lp.month);
    if (slot) slot.count += 1;
  }
  return slots;
}

export async function staffWithInvites(db: Db, now: Date) {
  const staff = await db.staff.findMany({
    orderBy: [{ active: "desc" }, { role: "asc" }, { name: "asc" }],
    include: { identities: { select: { channel: true } } },
  });
  const lastLogin = await db.webSession.groupBy({ by: ["staffId"], _max: { createdAt: true } });
  const lastBy = new Map(lastLogin.map((l) => [l.staffId, l._max.createdAt]));
  const invites = await db.staffInvite.findMany({
    where: { usedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    include: { createdBy: { select: { name: true } } },
  });
  return {
    staff: staff.map((s) => ({
      id: s.id,
      name: s.name,
      role: s.role,
      areas: readJson(ZStaffAreas, s.areasJson),
      active: s.active,
      channels: [...new Set(s.identities.map((i) => i.channel))].sort(),
      createdAt: s.createdAt,
      lastLoginAt: lastBy.get(s.id) ?? null,
    })),
    invites: invites.map((i) => ({
      id: i.id,
      name: i.name,
      role: i.role,
      areas: readJson(ZStaffInviteAreas, i.areasJson),
      expiresAt: i.expiresAt,
      createdAt: i.createdAt,
      createdBy: i.createdBy?.name ?? null,
    })),
  };
}

/** Area codes the office uses: from the texts (area.*), the staff and the cases. */
/** The active consultants an admin may name when routing a case: their areas and open cases, least loaded first. */
export interface ConsultantChoice {
  id: string;
  name: string;
  areas: string[];
  open: number;
}

export async function consultantChoices(db: Db): Promise<ConsultantChoice[]> {
  const staff = await db.staff.findMany({ where: { role: "consultant", active: true }, select: { id: true, name: true, areasJson: true } });
  const open = await db.consultationCase.groupBy({ by: ["consultantId"], where: { closedAt: null, consultantId: { in: staff.map((s) => s.id) } }, _count: { _all: true } });
  const count = new Map(open.map((o) => [o.consultantId, o._count._all]));
  return staff
    .map((s) => ({ id: s.id, name: s.name, areas: readJson(ZStaffAreas, s.areasJson), open: count.get(s.id) ?? 0 }))
    .sort((a, b) => a.open - b.open || a.name.localeCompare(b.name));
}

export async function knownAreas(db: Db, textKeys: readonly string[]): Promise<string[]> {
  const codes = new Set<string>();
  for (const k of textKeys) {
    const m = /^area\.([a-z0-9_]+)$/.exec(k);
    if (m) codes.add(m[1]!);
  }
  for (const s of await db.staff.findMany({ where: { role: "consultant" }, select: { areasJson: true } })) for (const a of readJson(ZStaffAreas, s.areasJson)) codes.add(a);
  const used = await db.consultationCase.findMany({ where: { areaCode: { not: null } }, select: { areaCode: true }, distinct: ["areaCode"] });
  for (const u of used) if (u.areaCode) codes.add(u.areaCode);
  return [...codes].sort();
}
