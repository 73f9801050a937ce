/**
 * Reading the audit log: who saw or changed what, filtered by person, case, action and period, for
 * the dashboard's audit page (a page at a time, newest first) and its CSV export (every matching
 * row, oldest first, read in pages so a year of rows never sits in memory at once).
 */
import type { Db } from "../../db/client.js";

export interface AuditFilter {
  /** A staff member's id (actorId). */
  actorId?: string;
  /** A case's id: rows about the case itself, and rows whose detail names it (a document viewed). */
  caseId?: string;
  action?: string;
  /** From this instant (inclusive) ... */
  from?: Date;
  /** ... to this one (exclusive). */
  to?: Date;
}

export interface AuditRow {
  id: string;
  seq: number | null;
  at: Date;
  actorType: string;
  actorId: string | null;
  /** The staff member's name when the actor is staff. */
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  /** The case the row concerns, when it names one. */
  regNumber: string | null;
  detail: Record<string, unknown>;
}

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_PAGE = 1000;

function where(f: AuditFilter) {
  const and: object[] = [];
  if (f.actorId) and.push({ actorId: f.actorId });
  if (f.action) and.push({ action: f.action });
  if (f.from) and.push({ at: { gte: f.from } });
  if (f.to) and.push({ at: { lt: f.to } });
  if (f.caseId) {
    // Detail is written by JSON.stringify (writeJson), so the case appears as "caseId":"<id>".
    and.push({ OR: [{ entity: "ConsultationCase", entityId: f.caseId }, { detailJson: { contains: `"caseId":${JSON.stringify(f.caseId)}` } }] });
  }
  return { AND: and };
}

function parseDetail(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

type Raw = { id: string; seq: number | null; at: Date; actorType: string; actorId: string | null; action: string; entity: string; entityId: string | null; detailJson: string };

/** Names of the staff and numbers of the cases a batch of rows mentions, in two queries. */
async function enrich(db: Db, rows: Raw[]): Promise<AuditRow[]> {
  const staffIds = new Set<string>();
  const caseIds = new Set<string>();
  const parsed = rows.map((r) => {
    const detail = parseDetail(r.detailJson);
    if (r.actorType === "staff" && r.actorId) staffIds.add(r.actorId);
    const caseId = r.entity === "ConsultationCase" ? r.entityId : typeof detail.caseId === "string" ? detail.caseId : null;
    if (caseId) caseIds.add(caseId);
    return { r, detail, caseId };
  });
  const [staff, cases] = await Promise.all([
    staffIds.size ? db.staff.findMany({ where: { id: { in: [...staffIds] } }, select: { id: true, name: true } }) : [],
    caseIds.size ? db.consultationCase.findMany({ where: { id: { in: [...caseIds] } }, select: { id: true, regNumber: true } }) : [],
  ]);
  const names = new Map(staff.map((s) => [s.id, s.name]));
  const numbers = new Map(cases.map((c) => [c.id, c.regNumber]));
  return parsed.map(({ r, detail, caseId }) => ({
    id: r.id,
    seq: r.seq,
    at: r.at,
    actorType: r.actorType,
    actorId: r.actorId,
    actorName: r.actorType === "staff" && r.actorId ? (names.get(r.actorId) ?? null) : null,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    regNumber: caseId ? (numbers.get(caseId) ?? null) : null,
    detail,
  }));
}

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  page: number;
  pages: number;
}

/** One page of matching rows, newest first. */
export async function auditPage(db: Db, f: AuditFilter, page = 1): Promise<AuditPage> {
  const w = where(f);
  const [total, rows] = await Promise.all([
    db.auditLog.count({ where: w }),
    db.auditLog.findMany({ where: w, orderBy: [{ at: "desc" }, { id: "desc" }], skip: (page - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE }),
  ]);
  return { rows: await enrich(db, rows), total, page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

/**
 * Every matching row, oldest first, read a page at a time by key (at, id), not by offset: the
 * export of a long period costs the same per row from the first page to the last.
 */
export async function* auditRows(db: Db, f: AuditFilter, pageSize = EXPORT_PAGE): AsyncGenerator<AuditRow> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const base = where(f);
    const w: { AND: object[] } = after
      ? { AND: [...base.AND, { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] }] }
      : base;
    const rows = await db.auditLog.findMany({ where: w, orderBy: [{ at: "asc" }, { id: "asc" }], take: pageSize });
    for (const r of await enrich(db, rows)) yield r;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}

/** What the filter offers: the actions that occur, and the staff. */
export async function auditChoices(db: Db): Promise<{ actions: string[]; staff: Array<{ id: string; name: string }> }> {
  const [actions, staff] = await Promise.all([
    db.auditLog.groupBy({ by: ["action"], orderBy: { action: "asc" } }),
    db.staff.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return { actions: actions.map((a) => a.action), staff };
}
