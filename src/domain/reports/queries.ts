/**
 * What staff ask about the office: the case list (/kasus), finding a client (/cari), each
 * consultant's load (/konsultan) and what is late now (/sla). Read-only queries, the same on
 * SQLite and PostgreSQL (the case-insensitive name search is src/db/name-search.ts).
 */
import type { Db, Tx } from "../../db/client.js";
import { readJson, ZStaffAreas } from "../../db/json-columns.js";
import { businessIdsByName, clientIdsByName } from "../../db/name-search.js";
import { lookupHash, phoneLookupHash } from "../../security/crypto.js";
import { dateOnly, localDateString } from "../../shared/time.js";
import type { OfficeCalendar } from "../calendar/office-calendar.js";
import { CASE_STATUSES, sopStep, type SopStep } from "../cases/steps.js";
import { consultantCaseWhere } from "./office-report.js";

type Client = Db | Tx;

export const DEFAULT_PAGE_SIZE = 20;
const OFFICE_TZ = "Asia/Makassar";

// ---------------------------------------------------------------------------------------------
// Helpers

/** "************1234" from the last four digits; "-" when unknown. */
export function maskNik(last4: string | null | undefined): string {
  return last4 && /^\d{4}$/.test(last4) ? `${"*".repeat(12)}${last4}` : "-";
}

/** A 16-digit NIK in what was typed ("5104 0123 4567 0001", "5104.0123..."), else null. */
export function nikIn(q: string): string | null {
  const digits = q.replace(/[\s.-]/g, "");
  return /^\d{16}$/.test(digits) ? digits : null;
}

/**
 * An Indonesian phone number in what was typed ("0812-3456-7890", "+62 812 3456 7890"), as the E.164
 * the registration form stores, else null. Only whole numbers: the blind index finds exact ones.
 */
export function phoneIn(q: string): string | null {
  const s = q.trim().replace(/[\s().-]/g, "");
  const m = /^(?:\+?62|0)([1-9]\d{7,12})$/.exec(s);
  return m ? `+62${m[1]}` : null;
}

/** Looks like (part of) a registration number: PLUT-GIA-2026-000123, GIA-2026-12, 2026-000123, 000123. */
export function looksLikeRegNumber(q: string): boolean {
  const s = q.trim();
  return /^plut-/i.test(s) || /^([a-z]{2,6}-)?\d{4}-\d{1,6}$/i.test(s) || /^\d{1,6}$/.test(s);
}

// ---------------------------------------------------------------------------------------------
// /kasus: the case list

export interface CaseFilter {
  status?: string;
  /** Consultant-area code. */
  area?: string;
  consultantId?: string;
  /** Only cases with no consultant yet. */
  unassigned?: boolean;
  /** Name (client or business), registration number, or a full NIK (with lookupKey). */
  q?: string;
  /** true: not closed yet; false: closed. */
  open?: boolean;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  /** Only cases this consultant may see (a consultant's own view); not a filter a person chooses. */
  viewerConsultantId?: string;
}

export interface CaseListItem {
  id: string;
  regNumber: string;
  clientId: string;
  clientName: string;
  businessName: string | null;
  kecamatan: string | null;
  sector: string | null;
  step: number;
  status: string;
  areaCode: string | null;
  consultantId: string | null;
  consultantName: string | null;
  channel: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface CaseListResult {
  items: CaseListItem[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  /** How `q` was read. */
  matchedBy: "none" | "nik" | "regNumber" | "name";
}

export async function listCases(db: Client, filter: CaseFilter = {}, opts: { lookupKey?: Buffer } = {}): Promise<CaseListResult> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? DEFAULT_PAGE_SIZE, 1), 500);
  const and: object[] = [];
  if (filter.status) and.push({ status: filter.status });
  if (filter.area) and.push({ areaCode: filter.area });
  if (filter.consultantId) and.push({ consultantId: filter.consultantId });
  if (filter.unassigned) and.push({ consultantId: null });
  if (filter.open === true) and.push({ closedAt: null });
  if (filter.open === false) and.push({ closedAt: { not: null } });
  if (filter.viewerConsultantId) and.push(consultantCaseWhere(filter.viewerConsultantId));
  let matchedBy: CaseListResult["matchedBy"] = "none";
  const q = filter.q?.trim() ?? "";
  if (q !== "") {
    const nik = nikIn(q);
    if (nik && opts.lookupKey) {
      matchedBy = "nik";
      and.push({ client: { nikHash: lookupHash(opts.lookupKey, nik) } });
    } else if (looksLikeRegNumber(q)) {
      matchedBy = "regNumber";
      and.push({ regNumber: { contains: q.toUpperCase() } });
    } else {
      matchedBy = "name";
      const [clientIds, businessIds] = await Promise.all([clientIdsByName(db, q), businessIdsByName(db, q)]);
      and.push({ OR: [{ clientId: { in: clientIds } }, { businessId: { in: businessIds } }, { regNumber: { contains: q.toUpperCase() } }] });
    }
  }
  const where = and.length ? { AND: and } : {};
  const total = await db.consultationCase.count({ where });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(Math.floor(filter.page ?? 1), 1), pages);
  const rows = await db.consultationCase.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { regNumber: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    include: {
      client: { select: { fullName: true, kecamatan: true, anonymisedAt: true } },
      business: { select: { name: true, sector: true } },
    },
  });
  const names = await staffNames(db, rows.map((r) => r.consultantId));
  return {
    items: rows.map((r) => ({
      id: r.id,
      regNumber: r.regNumber,
      clientId: r.clientId,
      clientName: r.client.fullName,
      businessName: r.business?.name ?? null,
      kecamatan: r.client.kecamatan,
      sector: r.business?.sector ?? null,
      step: r.step,
      status: r.status,
      areaCode: r.areaCode,
      consultantId: r.consultantId,
      consultantName: r.consultantId ? names.get(r.consultantId) ?? null : null,
      channel: r.channel,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      closedAt: r.closedAt,
    })),
    total,
    page,
    pageSize,
    pages,
    matchedBy,
  };
}

async function staffNames(db: Client, ids: Array<string | null>): Promise<Map<string, string>> {
  const uniq = [...new Set(ids.filter((x): x is string => !!x))];
  if (uniq.length === 0) return new Map();
  const rows = await db.staff.findMany({ where: { id: { in: uniq } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Reads "/kasus" arguments: `status:monitoring`, `bidang:pemasaran` (or area:), `konsultan:<name
 * part>` (or consultant:), `buka`/`open`, `selesai`/`closed`, `hal:2` (or page:); the rest is a
 * search text. Consultant names are resolved by the caller (consultantQuery).
 */
export function parseCaseFilterArgs(args: string): CaseFilter & { consultantQuery?: string } {
  const out: CaseFilter & { consultantQuery?: string } = {};
  const rest: string[] = [];
  for (const token of args.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([a-z]+)[:=](.+)$/i.exec(token);
    const key = m?.[1]?.toLowerCase();
    const value = m?.[2] ?? "";
    if (key === "status") out.status = value.toLowerCase();
    else if (key === "bidang" || key === "area") out.area = value.toLowerCase();
    else if (key === "konsultan" || key === "consultant") out.consultantQuery = value;
    else if (key === "hal" || key === "halaman" || key === "page") out.page = Math.max(1, parseInt(value, 10) || 1);
    else if (/^(buka|berjalan|open)$/i.test(token)) out.open = true;
    else if (/^(selesai|tutup|closed)$/i.test(token)) out.open = false;
    else if (/^(belum-ditugaskan|unassigned)$/i.test(token)) out.unassigned = true;
    else rest.push(token);
  }
  if (out.status && !(out.status in CASE_STATUSES)) {
    rest.unshift(out.status);
    delete out.status;
  }
  if (rest.length) out.q = rest.join(" ");
  return out;
}

/** Active consultants whose name contains `q` (any case): for "/kasus konsultan:made". */
export async function findConsultants(db: Client, q: string): Promise<Array<{ id: string; name: string }>> {
  const needle = q.trim().toLowerCase();
  if (!needle) return [];
  const all = await db.staff.findMany({ where: { role: "consultant", active: true }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  return all.filter((s) => s.name.toLowerCase().includes(needle));
}

// ---------------------------------------------------------------------------------------------
// /cari: find a client

export interface ClientHit {
  clientId: string;
  fullName: string;
  nikMasked: string;
  kecamatan: string | null;
  businesses: string[];
  cases: Array<{ id: string; regNumber: string; status: string; step: number; createdAt: Date; closedAt: Date | null; consultantId: string | null }>;
}

export interface ClientSearchResult {
  matchedBy: "nik" | "phone" | "regNumber" | "name" | "none";
  hits: ClientHit[];
  /** More clients matched than were returned. */
  more: boolean;
}

/**
 * By full NIK or phone number (exact, through keyed hashes: neither is stored in clear), by registration
 * number (contains), or by name (contains, any case). NIK is only ever shown masked.
 */
export async function searchClients(
  db: Client,
  key: Buffer,
  q: string,
  opts: { limit?: number; viewerConsultantId?: string } = {},
): Promise<ClientSearchResult> {
  const limit = opts.limit ?? 10;
  const text = q.trim();
  if (text.length < 2) return { matchedBy: "none", hits: [], more: false };
  const caseScope = opts.viewerConsultantId ? consultantCaseWhere(opts.viewerConsultantId) : undefined;
  let matchedBy: ClientSearchResult["matchedBy"];
  let where: object;
  const nik = nikIn(text);
  if (nik) {
    matchedBy = "nik";
    where = { nikHash: lookupHash(key, nik) };
  } else if (phoneIn(text)) {
    matchedBy = "phone";
    where = { phoneHash: phoneLookupHash(key, phoneIn(text)!) };
  } else if (looksLikeRegNumber(text)) {
    matchedBy = "regNumber";
    where = { cases: { some: { regNumber: { contains: text.toUpperCase() } } } };
  } else {
    matchedBy = "name";
    where = { id: { in: await clientIdsByName(db, text) } };
  }
  const scoped = caseScope ? { AND: [where, { cases: { some: caseScope } }, { anonymisedAt: null }] } : { AND: [where, { anonymisedAt: null }] };
  const rows = await db.client.findMany({
    where: scoped,
    orderBy: [{ fullName: "asc" }, { createdAt: "asc" }],
    take: limit + 1,
    include: {
      businesses: { select: { name: true }, orderBy: { createdAt: "asc" } },
      cases: {
        ...(caseScope ? { where: caseScope } : {}),
        orderBy: { createdAt: "desc" },
        select: { id: true, regNumber: true, status: true, step: true, createdAt: true, closedAt: true, consultantId: true },
      },
    },
  });
  return {
    matchedBy,
    more: rows.length > limit,
    hits: rows.slice(0, limit).map((c) => ({
      clientId: c.id,
      fullName: c.fullName,
      nikMasked: maskNik(c.nikLast4),
      kecamatan: c.kecamatan,
      businesses: c.businesses.map((b) => b.name),
      cases: c.cases,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// /sla: what is late now

export interface LateCase {
  caseId: string;
  regNumber: string;
  clientName: string;
  status: string;
  step: number;
  actor: SopStep["actor"];
  areaCode: string | null;
  consultantId: string | null;
  consultantName: string | null;
  /** When the current run of the step started. */
  startedAt: Date;
  /** Time charged to the step so far (working minutes with a calendar, else plain minutes), without waiting on the client. */
  elapsedMinutes: number;
  standardMinutes: number;
  overMinutes: number;
}

export interface LateOptions {
  /** Count working minutes of the office calendar instead of plain elapsed minutes. */
  calendar?: OfficeCalendar;
  viewerConsultantId?: string;
}

interface Ev {
  step: number;
  kind: string;
  at: Date;
}

/**
 * The running time of a step: from its last "started" to now, without the time waiting on the
 * client. Null when the step is not running (not started, completed, or waiting on the client now).
 */
export function runningStep(events: readonly Ev[], step: number, now: Date, minutes: (a: Date, b: Date) => number): { startedAt: Date; elapsed: number } | null {
  const run = currentRun(events, step, now);
  if (!run || run.some((e) => e.kind === "completed")) return null;
  const startedAt = run[0]!.at;
  let elapsed = minutes(startedAt, now);
  let waitingSince: Date | null = null;
  for (const e of run.slice(1)) {
    if (e.kind === "waiting" && !waitingSince) waitingSince = e.at;
    else if (e.kind === "resumed" && waitingSince) {
      elapsed -= minutes(waitingSince, e.at);
      waitingSince = null;
    }
  }
  if (waitingSince) return null;
  return { startedAt, elapsed: Math.max(0, elapsed) };
}

/** Same instant: started, then waiting, resumed, completed (events written together share a time). */
const KIND_ORDER: Record<string, number> = { started: 0, waiting: 1, resumed: 2, completed: 3 };

/** The events of the latest run of a step (from its last "started"), in order; null if it never started. */
function currentRun(events: readonly Ev[], step: number, now: Date): Ev[] | null {
  const evs = events
    .filter((e) => e.step === step && e.at <= now)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9));
  let startIdx = -1;
  evs.forEach((e, i) => {
    if (e.kind === "started") startIdx = i;
  });
  return startIdx < 0 ? null : evs.slice(startIdx);
}

/** The step is running now but its clock is stopped: waiting on the client. */
export function stepIsWaiting(events: readonly Ev[], step: number, now: Date): boolean {
  const run = currentRun(events, step, now);
  if (!run || run.some((e) => e.kind === "completed")) return false;
  let waiting = false;
  for (const e of run) {
    if (e.kind === "waiting") waiting = true;
    else if (e.kind === "resumed") waiting = false;
  }
  return waiting;
}

export async function lateNow(db: Client, now: Date, opts: LateOptions = {}): Promise<LateCase[]> {
  const minutes = opts.calendar
    ? (a: Date, b: Date) => opts.calendar!.workingMinutesBetween(a, b)
    : (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;
  const cases = await db.consultationCase.findMany({
    where: {
      AND: [{ status: { not: "reported" } }, { archivedAt: null }, opts.viewerConsultantId ? consultantCaseWhere(opts.viewerConsultantId) : {}],
    },
    select: { id: true, regNumber: true, status: true, step: true, areaCode: true, consultantId: true, client: { select: { fullName: true } } },
  });
  const out: LateCase[] = [];
  for (let i = 0; i < cases.length; i += 500) {
    const batch = cases.slice(i, i + 500);
    const events = await db.caseEvent.findMany({
      where: { caseId: { in: batch.map((c) => c.id) } },
      select: { caseId: true, step: true, kind: true, at: true },
    });
    const byCase = new Map<string, Ev[]>();
    for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
    for (const c of batch) {
      if (c.step < 1 || c.step > 11) continue;
      const run = runningStep(byCase.get(c.id) ?? [], c.step, now, minutes);
      if (!run) continue;
      const std = sopStep(c.step);
      if (run.elapsed <= std.standardMinutes) continue;
      out.push({
        caseId: c.id,
        regNumber: c.regNumber,
        clientName: c.client.fullName,
        status: c.status,
        step: c.step,
        actor: std.actor,
        areaCode: c.areaCode,
        consultantId: c.consultantId,
        consultantName: null,
        startedAt: run.startedAt,
        elapsedMinutes: Math.round(run.elapsed),
        standardMinutes: std.standardMinutes,
        overMinutes: Math.round(run.elapsed - std.standardMinutes),
      });
    }
  }
  const names = await staffNames(db, out.map((o) => o.consultantId));
  for (const o of out) o.consultantName = o.consultantId ? names.get(o.consultantId) ?? null : null;
  return out.sort((a, b) => b.overMinutes - a.overMinutes || a.regNumber.localeCompare(b.regNumber));
}

// ---------------------------------------------------------------------------------------------
// /konsultan: each consultant's load

export interface OverdueThing {
  kind: "action_item" | "visit";
  caseId: string;
  regNumber: string;
  /** Target date of the item (a calendar date at 00:00 UTC) or the visit's scheduled time. */
  dueAt: Date;
  text: string;
}

export interface ConsultantLoadRow {
  staffId: string;
  name: string;
  areas: string[];
  openCases: number;
  /** Open cases whose current step is past its standard time now. */
  lateCases: number;
  overdueItems: number;
  overdueVisits: number;
  /** The overdue things, oldest first (at most 20). */
  overdue: OverdueThing[];
}

export interface ConsultantLoad {
  consultants: ConsultantLoadRow[];
  /** Open cases with no consultant yet. */
  unassignedOpen: number;
}

/**
 * Open cases per active consultant, with action-plan items past their target date (agreed plans,
 * not done) and monitoring visits past their time and not yet evaluated, on open cases. A target
 * date is overdue from the day after it (office calendar days); no working-time rules.
 */
export async function consultantLoad(
  db: Client,
  now: Date,
  opts: { tz?: string; calendar?: OfficeCalendar; onlyStaffId?: string } = {},
): Promise<ConsultantLoad> {
  const tz = opts.tz ?? opts.calendar?.tz ?? OFFICE_TZ;
  const today = dateOnly(localDateString(now, tz));
  const consultants = await db.staff.findMany({
    where: { role: "consultant", active: true, ...(opts.onlyStaffId ? { id: opts.onlyStaffId } : {}) },
    orderBy: { name: "asc" },
    select: { id: true, name: true, areasJson: true },
  });
  const ids = consultants.map((c) => c.id);
  const open = await db.consultationCase.groupBy({ by: ["consultantId"], where: { closedAt: null }, _count: { _all: true } });
  const openBy = new Map(open.map((o) => [o.consultantId, o._count._all]));
  const items = await db.actionPlanItem.findMany({
    where: {
      targetDate: { lt: today },
      progress: { in: ["open", "not_yet", "help"] },
      plan: { status: "agreed", case: { closedAt: null, consultantId: { in: ids } } },
    },
    select: { action: true, targetDate: true, plan: { select: { case: { select: { id: true, regNumber: true, consultantId: true } } } } },
    orderBy: { targetDate: "asc" },
  });
  const visits = await db.monitoringVisit.findMany({
    where: { scheduledFor: { lt: now }, evaluatedAt: null, case: { closedAt: null } },
    select: { scheduledFor: true, consultantId: true, case: { select: { id: true, regNumber: true, consultantId: true } } },
    orderBy: { scheduledFor: "asc" },
  });
  const late = await lateNow(db, now, opts.calendar ? { calendar: opts.calendar } : {});
  const rows: ConsultantLoadRow[] = consultants.map((c) => {
    const myItems = items.filter((i) => i.plan.case.consultantId === c.id);
    const myVisits = visits.filter((v) => (v.consultantId ?? v.case.consultantId) === c.id);
    const overdue: OverdueThing[] = [
      ...myItems.map((i) => ({ kind: "action_item" as const, caseId: i.plan.case.id, regNumber: i.plan.case.regNumber, dueAt: i.targetDate, text: i.action })),
      ...myVisits.map((v) => ({ kind: "visit" as const, caseId: v.case.id, regNumber: v.case.regNumber, dueAt: v.scheduledFor, text: "" })),
    ].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    return {
      staffId: c.id,
      name: c.name,
      areas: readJson(ZStaffAreas, c.areasJson),
      openCases: openBy.get(c.id) ?? 0,
      lateCases: late.filter((l) => l.consultantId === c.id).length,
      overdueItems: myItems.length,
      overdueVisits: myVisits.length,
      overdue: overdue.slice(0, 20),
    };
  });
  return { consultants: rows, unassignedOpen: openBy.get(null) ?? 0 };
}
