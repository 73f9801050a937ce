/**
 * The office report of a period (SOP step 11, "report to the head of UPT"), computed from the
 * tables. Definitions (also in the report's README section of the lead's docs):
 * - a case is *active* in the period when it was created on or before its end and not closed
 *   before its start; clients served = distinct clients of active cases;
 * - a client is *new* when their first case ever was created in the period, otherwise *returning*;
 * - cases opened / closed = created / closed in the period; still open = active and not closed by
 *   the end of the period;
 * - by area and by consultant count active cases (current area and consultant);
 * - by service counts cases that were given the service in the period (service notes);
 * - by kecamatan and by sector count clients served (sector of the business of the client's
 *   latest active case, else of their first business);
 * - referrals and complaints are rows created in the period; of those complaints, the ones answered by
 *   their deadline (Complaint.dueAt), and the median working hours from receipt to answer;
 * - time per SOP step: every step whose completion falls in the period, timed by stepTimes
 *   (waiting on the client excluded); median and 90th percentile, and the share within standard;
 * - SKM: surveys submitted in the period (see stats.ts).
 */
import type { Db, Tx } from "../../db/client.js";
import { readJson, ZNoteServices, ZSurveyScores } from "../../db/json-columns.js";
import { DEFAULT_OFFICE, type OfficeInfo, type OfficeReport } from "../../documents/index.js";
import { SOP_STEPS } from "../cases/steps.js";
import { stepTimes, type StepEvent } from "../cases/timing.js";
import type { Translator } from "../../i18n/index.js";
import type { Regions } from "../../flows/questions/region.js";
import { makeLabeler, type Labeler } from "./labels.js";
import type { Period } from "./period.js";
import type { OfficeCalendar } from "../calendar/office-calendar.js";
import { computeSkm, quantile, round } from "./stats.js";
import { computeImpact } from "./impact.js";

type Client = Db | Tx;

export interface ReportOptions {
  /** Texts for labels (areas, services, steps, SKM elements); without it codes are shown. */
  t?: Translator;
  regions?: Regions;
  office?: OfficeInfo;
  generatedAt?: Date;
  place?: string;
  signatures?: OfficeReport["signatures"];
  /** Working time for the median time to answer complaints; without it that median is not given. */
  calendar?: OfficeCalendar;
  /** Only the cases of this consultant (current or earlier assignment): a consultant's own view. */
  consultantId?: string;
}

export interface CodedCount {
  code: string | null;
  label: string;
  count: number;
}

/** The report plus the codes behind each breakdown row (the dashboard links rows to filtered lists). */
export interface OfficeStats {
  report: OfficeReport;
  byArea: CodedCount[];
  byService: CodedCount[];
  byKecamatan: CodedCount[];
  bySector: CodedCount[];
  byConsultant: CodedCount[];
  /** Per SKM element: how many respondents scored it. */
  skmAnswers: Record<string, number>;
}

const CHUNK = 500;
function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

/** Prisma `where` for the cases a consultant may see: theirs now, assigned to them before, or shared with them by an admin. */
export function consultantCaseWhere(consultantId: string) {
  return { OR: [{ consultantId }, { assignments: { some: { consultantId } } }, { shares: { some: { staffId: consultantId } } }] };
}

function tally(keys: Array<string | null>, label: (code: string | null) => string): CodedCount[] {
  const m = new Map<string | null, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()]
    .map(([code, count]) => ({ code, label: label(code), count }))
    .sort((a, b) => b.count - a.count || (a.code === null ? 1 : b.code === null ? -1 : a.label.localeCompare(b.label)));
}

export async function computeOfficeStats(db: Client, period: Period, _tz: string, opts: ReportOptions = {}): Promise<OfficeStats> {
  const L: Labeler = makeLabeler(opts.t, opts.regions);
  const { from, to } = period;
  const inPeriod = { gte: from, lte: to };
  const scope = opts.consultantId ? consultantCaseWhere(opts.consultantId) : {};
  const caseScope = opts.consultantId ? { case: consultantCaseWhere(opts.consultantId) } : {};

  const active = await db.consultationCase.findMany({
    where: { AND: [{ createdAt: { lte: to } }, { OR: [{ closedAt: null }, { closedAt: { gte: from } }] }, scope] },
    select: { id: true, clientId: true, businessId: true, areaCode: true, consultantId: true, createdAt: true, closedAt: true },
    orderBy: { createdAt: "asc" },
  });
  const clientIds = [...new Set(active.map((c) => c.clientId))];

  // New clients: their first case ever (in any scope) was created in the period.
  const firstCase = new Map<string, Date>();
  for (const ids of chunks(clientIds)) {
    const rows = await db.consultationCase.groupBy({ by: ["clientId"], where: { clientId: { in: ids } }, _min: { createdAt: true } });
    for (const r of rows) if (r._min.createdAt) firstCase.set(r.clientId, r._min.createdAt);
  }
  const newClients = clientIds.filter((id) => {
    const first = firstCase.get(id);
    return first !== undefined && first >= from && first <= to;
  }).length;

  // Kecamatan and sector of each client served.
  const kecamatanOf = new Map<string, string | null>();
  const businesses: Array<{ id: string; clientId: string; sector: string; createdAt: Date }> = [];
  for (const ids of chunks(clientIds)) {
    const cs = await db.client.findMany({ where: { id: { in: ids } }, select: { id: true, kecamatan: true } });
    for (const c of cs) kecamatanOf.set(c.id, c.kecamatan);
    businesses.push(
      ...(await db.business.findMany({ where: { clientId: { in: ids } }, select: { id: true, clientId: true, sector: true, createdAt: true } })),
    );
  }
  const businessById = new Map(businesses.map((b) => [b.id, b]));
  const sectorOf = new Map<string, string | null>();
  for (const c of active) {
    // Cases come oldest first, so the latest active case with a business wins.
    const b = c.businessId ? businessById.get(c.businessId) : undefined;
    if (b) sectorOf.set(c.clientId, b.sector);
  }
  for (const id of clientIds) {
    if (sectorOf.has(id)) continue;
    const first = businesses.filter((b) => b.clientId === id).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
    sectorOf.set(id, first?.sector ?? null);
  }

  // Consultants' names.
  const consultantIds = [...new Set(active.map((c) => c.consultantId).filter((x): x is string => x !== null))];
  const staff = consultantIds.length
    ? await db.staff.findMany({ where: { id: { in: consultantIds } }, select: { id: true, name: true } })
    : [];
  const staffName = new Map(staff.map((s) => [s.id, s.name]));

  // Services given in the period: each (case, service) once.
  const serviceNotes = await db.consultationNote.findMany({
    where: { kind: "service", createdAt: inPeriod, ...caseScope },
    select: { caseId: true, servicesJson: true },
  });
  const servicePairs = new Set<string>();
  for (const n of serviceNotes) for (const code of readJson(ZNoteServices, n.servicesJson)) servicePairs.add(`${n.caseId}\u0000${code}`);
  const serviceCodes = [...servicePairs].map((p) => p.split("\u0000")[1] as string);

  const referrals = await db.referral.count({ where: { createdAt: inPeriod, ...caseScope } });
  const complaintRows = await db.complaint.findMany({ where: { createdAt: inPeriod, ...caseScope }, select: { createdAt: true, answeredAt: true, dueAt: true } });
  const complaints = complaintRows.length;
  const answeredComplaints = complaintRows.filter((c): c is typeof c & { answeredAt: Date } => c.answeredAt !== null);
  const complaintsAnsweredInTime = answeredComplaints.filter((c) => c.dueAt !== null && c.answeredAt <= c.dueAt).length;
  const answerHours = opts.calendar ? answeredComplaints.map((c) => opts.calendar!.workingMinutesBetween(c.createdAt, c.answeredAt) / 60) : [];
  const medianAnswer = answerHours.length > 0 ? quantile(answerHours, 0.5) : null;

  // Time per SOP step: cases with a step completed in the period, all their events.
  const timedCases = await db.caseEvent.findMany({
    where: { kind: "completed", at: inPeriod, ...caseScope },
    select: { caseId: true },
    distinct: ["caseId"],
  });
  const perStep = new Map<number, { actual: number[]; within: number }>();
  for (const ids of chunks(timedCases.map((c) => c.caseId))) {
    const events = await db.caseEvent.findMany({
      where: { caseId: { in: ids } },
      select: { caseId: true, step: true, kind: true, at: true },
      orderBy: { at: "asc" },
    });
    const byCase = new Map<string, StepEvent[]>();
    for (const e of events) {
      const list = byCase.get(e.caseId) ?? [];
      list.push({ step: e.step, kind: e.kind as StepEvent["kind"], at: e.at });
      byCase.set(e.caseId, list);
    }
    for (const evs of byCase.values()) {
      for (const st of stepTimes(evs)) {
        if (st.actualMinutes === null || !st.completedAt || st.completedAt < from || st.completedAt > to) continue;
        const s = perStep.get(st.step) ?? { actual: [], within: 0 };
        s.actual.push(st.actualMinutes);
        if (st.withinStandard) s.within += 1;
        perStep.set(st.step, s);
      }
    }
  }
  const sla = SOP_STEPS.map((s) => {
    const x = perStep.get(s.step);
    const n = x?.actual.length ?? 0;
    const med = x ? quantile(x.actual, 0.5) : null;
    const p90 = x ? quantile(x.actual, 0.9) : null;
    return {
      step: s.step,
      name: L.step(s.step),
      standardMinutes: s.standardMinutes,
      count: n,
      medianMinutes: med === null ? null : round(med, 1),
      p90Minutes: p90 === null ? null : round(p90, 1),
      withinStandardShare: n > 0 && x ? x.within / n : null,
    };
  });

  // SKM.
  const surveys = await db.satisfactionSurvey.findMany({ where: { createdAt: inPeriod, ...caseScope }, select: { scoresJson: true } });
  const skm = computeSkm(surveys.map((s) => readJson(ZSurveyScores, s.scoresJson)));

  const byArea = tally(active.map((c) => c.areaCode), (c) => L.area(c));
  const byConsultant = tally(active.map((c) => c.consultantId), (c) => (c ? staffName.get(c) ?? c : L.t("report.unassigned")));
  const byService = tally(serviceCodes, (c) => L.service(c ?? ""));
  const byKecamatan = tally(clientIds.map((id) => kecamatanOf.get(id) ?? null), (c) => L.kecamatan(c));
  const bySector = tally(clientIds.map((id) => sectorOf.get(id) ?? null), (c) => L.sector(c));
  const strip = (xs: CodedCount[]) => xs.map(({ label, count }) => ({ label, count }));

  const report: OfficeReport = {
    office: opts.office ?? { ...DEFAULT_OFFICE },
    period: { from: period.from, to: period.to, label: period.label },
    totals: {
      clientsServed: clientIds.length,
      newClients,
      returningClients: clientIds.length - newClients,
      casesOpened: active.filter((c) => c.createdAt >= from).length,
      casesClosed: active.filter((c) => c.closedAt !== null && c.closedAt >= from && c.closedAt <= to).length,
      casesOpen: active.filter((c) => c.closedAt === null || c.closedAt > to).length,
      referrals,
      complaints,
      complaintsAnsweredInTime,
      complaintMedianAnswerHours: medianAnswer === null ? null : round(medianAnswer, 1),
    },
    byArea: strip(byArea),
    byService: strip(byService),
    byKecamatan: strip(byKecamatan),
    bySector: strip(bySector),
    byConsultant: strip(byConsultant),
    sla,
    skm: {
      respondents: skm.respondents,
      index: skm.index,
      perElement: skm.perElement.map((e) => ({ code: e.no, label: L.skmElement(e.code), average: e.average })),
      category: skm.category,
    },
    impact: await computeImpact(db, period, {
      now: opts.generatedAt ?? period.to,
      ...(opts.t ? { t: opts.t } : {}),
      ...(opts.consultantId ? { consultantId: opts.consultantId } : {}),
    }),
    generatedAt: opts.generatedAt ?? null,
    place: opts.place ?? null,
    signatures: opts.signatures ?? null,
  };
  return {
    report,
    byArea,
    byService,
    byKecamatan,
    bySector,
    byConsultant,
    skmAnswers: Object.fromEntries(skm.perElement.map((e) => [e.no, e.answers])),
  };
}

/** The report of a period, as the documents helper renders it (PDF, XLSX) and chat summarises it. */
export async function computeOfficeReport(db: Client, period: Period, tz: string, opts: ReportOptions = {}): Promise<OfficeReport> {
  return (await computeOfficeStats(db, period, tz, opts)).report;
}

/**
 * SOP step 11 done: the report reached the head of UPT. Every case closed (status "closed") by
 * `upTo` and not reported yet gets its step 11 completed now and the status "reported". Call it
 * after /laporan (or the weekly summary) went to the head; returns the registration numbers.
 */
export async function markCasesReported(db: Db, input: { upTo: Date; now: Date; staffId?: string | null }): Promise<string[]> {
  return db.$transaction((tx) => markCasesReportedIn(tx, input));
}

/** markCasesReported inside a transaction the caller already has (a chat turn). */
export async function markCasesReportedIn(tx: Tx, input: { upTo: Date; now: Date; staffId?: string | null }): Promise<string[]> {
  {
    const cases = await tx.consultationCase.findMany({
      where: { status: "closed", closedAt: { lte: input.upTo } },
      select: { id: true, regNumber: true },
      orderBy: { regNumber: "asc" },
    });
    for (const c of cases) {
      const done = await tx.consultationCase.updateMany({ where: { id: c.id, status: "closed" }, data: { status: "reported", step: 11 } });
      if (done.count !== 1) continue;
      const step11 = await tx.caseEvent.findMany({ where: { caseId: c.id, step: 11 }, orderBy: { at: "asc" }, select: { kind: true } });
      if (!step11.some((e) => e.kind === "started")) await tx.caseEvent.create({ data: { caseId: c.id, step: 11, kind: "started", at: input.now, actorType: "system" } });
      // Archived cases wait for the office's periodic report (closing.ts); that wait ends now.
      const waits = step11.filter((e) => e.kind === "waiting").length - step11.filter((e) => e.kind === "resumed").length;
      if (waits > 0) await tx.caseEvent.create({ data: { caseId: c.id, step: 11, kind: "resumed", at: input.now, actorType: "system" } });
      await tx.caseEvent.create({
        data: { caseId: c.id, step: 11, kind: "completed", at: input.now, actorType: input.staffId ? "staff" : "system", actorId: input.staffId ?? null },
      });
    }
    return cases.map((c) => c.regNumber);
  }
}
