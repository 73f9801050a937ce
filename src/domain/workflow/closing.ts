/**
 * SOP steps 8-10: the final report and BAP as a PDF stored with the case and sent to the consultant
 * and the admins; the control card as a PDF; closing archives the case and offers the client the
 * satisfaction survey (SKM).
 */
import { cancelWithCase } from "../appointments/booking.js";
import { text } from "../../messaging/text.js";
import type { TurnPort } from "../port.js";
import { DEFAULT_OFFICE } from "../../documents/office.js";
import { renderFinalReportPdf } from "../../documents/final-report-pdf.js";
import { renderControlCardPdf, type ControlCardData } from "../../documents/control-card-pdf.js";
import { advance, recordStep } from "../cases/events.js";
import { SOP_STEPS } from "../cases/steps.js";
import { stepTimes, type StepEvent } from "../cases/timing.js";
import { clientIdentityId, identitiesOfRole, staffIdentityId, type StaffMember } from "../staff/directory.js";
import type { WorkflowDeps } from "./context.js";
import { caseForStaff, caseMenu, WorkflowError } from "./consultation.js";
import { readJson, ZNoteServices, writeJson, ZSurveyScores } from "../../db/json-columns.js";
import { encodeButton } from "../buttons.js";
import { unsealOpt } from "../../security/at-rest.js";
import { makeLabeler } from "../reports/labels.js";
import type { Regions } from "../../flows/questions/region.js";
import type { Tx } from "../../db/client.js";
import type { Translator } from "../../i18n/index.js";

function maskedNik(last4: string | null): string {
  return last4 ? `************${last4}` : "-";
}

export interface FinalReportInput {
  summary: string;
  results: string;
  recommendations: string;
}

interface Endorsements {
  clientAgreement?: { channel: string; at: Date } | null;
  archivedByName?: string | null;
}

/** What the office's records need to read a case: the transaction, the instant, Indonesian texts. */
export interface RecordSource {
  tx: Tx;
  now: Date;
  /** The office's records are in Indonesian. */
  tr: Translator;
  regions: Regions | undefined;
}

/** The final report and BAP of a case as the PDF renders it, every code named (reports/labels.ts). */
export async function finalReportData(src: RecordSource, caseId: string, input: FinalReportInput, consultantName: string, endorsed: Endorsements = {}) {
  const turn = src;
  const c = await turn.tx.consultationCase.findUniqueOrThrow({
    where: { id: caseId },
    include: {
      client: true, business: true, answers: true, events: true,
      notes: { orderBy: { createdAt: "asc" } },
      plans: { include: { items: { orderBy: { position: "asc" } } }, orderBy: { createdAt: "desc" } },
      visits: { orderBy: { scheduledFor: "asc" } },
      referrals: { orderBy: { createdAt: "asc" } },
    },
  });
  const t = (k: string) => src.tr.t(k);
  const L = makeLabeler(src.tr, src.regions);
  const names = new Map((await turn.tx.staff.findMany({ select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  const plan = c.plans.find((p) => p.status === "agreed") ?? c.plans[0];
  const times = stepTimes(c.events.map((e) => ({ step: e.step, kind: e.kind as StepEvent["kind"], at: e.at })));
  const head = await turn.tx.staff.findFirst({ where: { role: "head", active: true } });
  return {
    c,
    data: {
      office: DEFAULT_OFFICE,
      case: {
        regNumber: c.regNumber,
        createdAt: c.createdAt,
        closedAt: c.closedAt,
        areaLabel: c.areaCode ? L.area(c.areaCode) : "-",
        consultantName,
        referrals: c.referrals.map((r) => ({
          at: r.createdAt, fromName: names.get(r.fromConsultantId) ?? "-", toAreaLabel: L.area(r.toAreaCode),
          toName: r.toConsultantId ? names.get(r.toConsultantId) ?? null : null, reason: r.reason,
        })),
      },
      client: { name: c.client.fullName, nikMasked: maskedNik(c.client.nikLast4), phone: unsealOpt(c.client.phone), address: unsealOpt(c.client.address), kecamatanLabel: c.client.kecamatan ? L.kecamatan(c.client.kecamatan) : null },
      business: {
        name: c.business?.name ?? "-", sector: c.business ? L.sector(c.business.sector) : "-", products: c.business?.products ?? "-",
        legalForm: c.business?.legalForm ? L.legalForm(c.business.legalForm) : "-", nib: c.business?.nibTdp, yearStarted: c.business?.yearStarted, workers: c.business?.workers,
        turnoverBand: c.business?.turnoverBand ? L.turnover(c.business.turnoverBand) : null,
      },
      problem: c.problemText,
      assessment: c.answers.filter((a) => a.questionId !== "case.problemText").map((a) => ({ question: a.labelKey ? t(a.labelKey) : a.questionId, answer: a.display })),
      diagnosis: c.notes.filter((n) => n.kind === "diagnosis").map((n) => n.text).join("\n") || "-",
      notes: c.notes.filter((n) => n.kind !== "diagnosis").map((n) => ({ at: n.createdAt, kind: n.kind as "note" | "prescription" | "service", text: n.text })),
      services: [...new Set(c.notes.flatMap((n) => readJson(ZNoteServices, n.servicesJson)))].map((s) => L.service(s)),
      actionPlan: (plan?.items ?? []).map((i) => ({ action: i.action, who: i.who, targetDate: i.targetDate, indicator: i.indicator, progress: i.progress as "open" | "done" | "not_yet" | "help", evaluation: i.evaluation })),
      monitoring: c.visits.map((v) => ({ scheduledFor: v.scheduledFor, clientReport: v.clientReport, evaluation: v.evaluation })),
      results: `${input.summary}\n\n${input.results}`,
      recommendations: input.recommendations,
      stepTimes: times.map((s) => ({ step: s.step, name: L.step(s.step), standardMinutes: SOP_STEPS[s.step - 1]!.standardMinutes, actualMinutes: s.actualMinutes })),
      signatures: { client: { name: c.client.fullName }, consultant: { name: consultantName }, head: { name: head?.name ?? null }, archivedBy: { name: endorsed.archivedByName ?? null } },
      clientAgreement: endorsed.clientAgreement ?? null,
      place: "Gianyar",
      date: turn.now,
    },
  };
}

/** Step 8: the final report and BAP. */
export async function writeFinalReport(turn: TurnPort, deps: WorkflowDeps, staff: StaffMember, caseId: string, input: FinalReportInput): Promise<void> {
  const c0 = await caseForStaff(turn, staff, caseId);
  const { c, data } = await finalReportData(recordSource(turn, deps), caseId, input, staff.name);
  const pdf = await renderFinalReportPdf(data, { lang: "id", timeZone: deps.tz });
  const stored = await deps.files.put(pdf, "reports");
  const doc = await turn.tx.document.create({
    data: { clientId: c.clientId, caseId, type: "final_report", mimeType: "application/pdf", size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey, createdAt: turn.now },
  });
  await turn.tx.finalReport.create({ data: { caseId, authorId: staff.id, summary: input.summary, results: input.results, recommendations: input.recommendations, documentId: doc.id, createdAt: turn.now } });
  if (c0.step < 8) await recordStep(turn.tx, caseId, c0.step, "completed", turn.now, { type: "staff", id: staff.id });
  if (c0.step <= 8) {
    if (c0.step < 8) await recordStep(turn.tx, caseId, 8, "started", turn.now, { type: "staff", id: staff.id });
    await advance(turn.tx, caseId, 8, 9, turn.now, { type: "staff", id: staff.id });
  }
  await turn.tx.consultationCase.update({ where: { id: caseId }, data: { status: "control_card", step: 9 } });
  await turn.tx.controlCardEntry.create({ data: { caseId, at: turn.now, staffId: staff.id, contactKind: "report", summary: "Laporan akhir dan BAP dibuat" } });
  const fileName = `Laporan-BAP-${c.regNumber}.pdf`;
  const doc0 = { type: "document" as const, fileName, mimeType: "application/pdf", storageKey: stored.storageKey };
  // The client receives the report in chat and agrees, or says what is missing (SOP step 8).
  const report = await turn.tx.finalReport.findFirstOrThrow({ where: { caseId, documentId: doc.id } });
  const clientTo = await clientIdentityId(turn.tx, c.clientId);
  if (clientTo) {
    await turn.tellWith(clientTo, (t) => [
      { ...doc0, caption: t.t("bap.client.caption", { regNumber: c.regNumber }) },
      text(t.t("bap.client.review", { regNumber: c.regNumber, consultant: staff.name }), [
        { id: encodeButton({ kind: "bap", reportId: report.id, answer: "agree" }), label: t.t("bap.btn.agree") },
        { id: encodeButton({ kind: "bap", reportId: report.id, answer: "missing" }), label: t.t("bap.btn.missing") },
      ]),
    ]);
  }
  turn.reply({ ...doc0, caption: turn.t("wf.report.caption", { regNumber: c.regNumber }) });
  turn.reply(text(turn.t("wf.consultant.report_done", { regNumber: c.regNumber }), caseMenu(turn, caseId)));
  for (const admin of await identitiesOfRole(turn.tx, "admin")) {
    if (admin === turn.identity.id) continue;
    await turn.tellWith(admin, (t) => [
      { ...doc0, caption: t.t("wf.report.caption_admin", { regNumber: c.regNumber, consultant: staff.name }) },
      text(t.t("wf.admin.ready_to_close", { regNumber: c.regNumber }), [{ id: encodeButton({ kind: "case", caseId: caseId, action: "close" }), label: t.t("wf.btn.close") }]),
    ]);
  }
}

function recordSource(turn: TurnPort, deps: WorkflowDeps): RecordSource {
  return { tx: turn.tx, now: turn.now, tr: turn.translator("id"), regions: deps.regions?.() };
}

/** The control card of a case as the PDF renders it. */
export async function controlCardData(src: RecordSource, caseId: string): Promise<ControlCardData> {
  const full = await src.tx.consultationCase.findUniqueOrThrow({
    where: { id: caseId },
    include: { client: true, business: true, control: { orderBy: { at: "asc" }, include: { staff: true } } },
  });
  const consultant = full.consultantId ? await src.tx.staff.findUnique({ where: { id: full.consultantId } }) : null;
  return {
    office: DEFAULT_OFFICE,
    case: { regNumber: full.regNumber, consultantName: consultant?.name ?? null, areaLabel: full.areaCode ? makeLabeler(src.tr, src.regions).area(full.areaCode) : null },
    client: { name: full.client.fullName, nikMasked: maskedNik(full.client.nikLast4) },
    business: full.business ? { name: full.business.name } : null,
    entries: full.control.map((e, i) => ({ no: i + 1, at: e.at, staffName: e.staff?.name ?? null, contactKind: src.tr.t(`wf.contact.${e.contactKind}`), summary: e.summary })),
    printedAt: src.now,
    place: "Gianyar",
  };
}

/** Step 9 output: the control card as a PDF (viewable and printable). */
export async function sendControlCard(turn: TurnPort, deps: WorkflowDeps, staff: StaffMember, caseId: string): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  const card = await controlCardData(recordSource(turn, deps), caseId);
  const pdf = await renderControlCardPdf(card, { lang: "id", timeZone: deps.tz });
  const stored = await deps.files.put(pdf, "reports");
  // Step 9 is done when the card is sent after the final report: the archive (step 10) starts now.
  if (c.step === 9 && !c.closedAt) {
    await advance(turn.tx, caseId, 9, 10, turn.now, { type: "staff", id: staff.id });
    await turn.tx.consultationCase.update({ where: { id: caseId }, data: { step: 10 } });
  }
  turn.reply({ type: "document", fileName: `Kartu-Kontrol-${c.regNumber}.pdf`, mimeType: "application/pdf", storageKey: stored.storageKey, caption: turn.t("wf.card_pdf.caption", { regNumber: c.regNumber, lines: card.entries.length }) });
}

/** Steps 9-10: the control card is complete and the admin archives the case; the client gets the SKM survey. */
export async function closeCase(turn: TurnPort, deps: WorkflowDeps, staff: StaffMember, caseId: string): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  if (staff.role !== "admin") throw new WorkflowError("wf.err.admin_only");
  if (c.closedAt) throw new WorkflowError("wf.err.already_closed", { regNumber: c.regNumber });
  const report = await turn.tx.finalReport.findFirst({ where: { caseId } });
  if (!report) throw new WorkflowError("wf.err.report_first", { regNumber: c.regNumber });
  const actor = { type: "staff" as const, id: staff.id };
  // Archived without the card sent first: the card is complete now, and step 10 took no time.
  if (c.step <= 9) await advance(turn.tx, caseId, 9, 10, turn.now, actor);
  await turn.tx.controlCardEntry.create({ data: { caseId, at: turn.now, staffId: staff.id, contactKind: "closing", summary: "Hasil konsultasi dicatat dan berkas diarsipkan" } });
  await advance(turn.tx, caseId, 10, 11, turn.now, actor);
  // Step 11 ends when the head of UPT receives the periodic report (markCasesReportedIn); until the
  // admin reports, the case waits for the reporting period and that wait is not the step's time.
  await recordStep(turn.tx, caseId, 11, "waiting", turn.now, { type: "system" });
  await turn.tx.consultationCase.update({ where: { id: caseId }, data: { status: "closed", step: 11, closedAt: turn.now, archivedAt: turn.now } });
  const latest = await turn.tx.finalReport.findFirstOrThrow({ where: { caseId }, orderBy: { createdAt: "desc" } });
  await turn.tx.finalReport.update({ where: { id: latest.id }, data: { archivedById: staff.id } });
  await rerenderBap(turn, deps, latest.id);
  await deps.reminders.cancelCase?.(turn.tx, caseId);
  if (deps.appointments) await cancelWithCase(turn, deps.appointments, caseId, "closing");
  turn.audit({ action: "case.close", entity: "ConsultationCase", entityId: caseId });
  const to = await clientIdentityId(turn.tx, c.clientId);
  if (to) await deps.reminders.planImpact?.(turn.tx, { caseId, clientIdentityId: to, closedAt: turn.now });
  if (to) await turn.startClientFlow(to, "survey", { caseId, regNumber: c.regNumber }, { kind: "survey", params: { regNumber: c.regNumber } });
  if (c.consultantId && c.consultantId !== staff.id) {
    const cons = await staffIdentityId(turn.tx, c.consultantId);
    if (cons) await turn.tell(cons, "wf.consultant.case_closed", { regNumber: c.regNumber });
  }
  turn.reply(text(turn.t("wf.admin.closed", { regNumber: c.regNumber })));
}

/** SKM answers, stored for reporting. */
export async function surveySubmitted(turn: TurnPort, clientId: string, caseId: string, scores: Record<string, number>, comment: string | undefined): Promise<void> {
  const c = await turn.tx.consultationCase.findUnique({ where: { id: caseId } });
  if (!c || c.clientId !== clientId) throw new WorkflowError("wf.err.no_case");
  const existing = await turn.tx.satisfactionSurvey.findUnique({ where: { caseId } });
  if (existing) return;
  await turn.tx.satisfactionSurvey.create({ data: { caseId, clientId, scoresJson: writeJson(ZSurveyScores, scores), comment: comment ?? null, createdAt: turn.now } });
}


/**
 * Renders the BAP again from its stored report, with the client's agreement and the archiving
 * admin as they are now; the new PDF replaces the report's document (the old file stays, audited).
 */
async function rerenderBap(turn: TurnPort, deps: WorkflowDeps, reportId: string): Promise<{ storageKey: string; regNumber: string }> {
  const r = await turn.tx.finalReport.findUniqueOrThrow({ where: { id: reportId } });
  const author = await turn.tx.staff.findUnique({ where: { id: r.authorId }, select: { name: true } });
  const admin = r.archivedById ? await turn.tx.staff.findUnique({ where: { id: r.archivedById }, select: { name: true } }) : null;
  const agreement = r.clientAgreedAt && r.clientAgreedChannel ? { channel: turn.t(`bap.channel.${r.clientAgreedChannel}`, undefined, "id"), at: r.clientAgreedAt } : null;
  const { c, data } = await finalReportData(recordSource(turn, deps), r.caseId, { summary: r.summary, results: r.results, recommendations: r.recommendations }, author?.name ?? "-", {
    clientAgreement: agreement,
    archivedByName: admin?.name ?? null,
  });
  const pdf = await renderFinalReportPdf(data, { lang: "id", timeZone: deps.tz });
  const stored = await deps.files.put(pdf, "reports");
  const doc = await turn.tx.document.create({
    data: { clientId: c.clientId, caseId: r.caseId, type: "final_report", mimeType: "application/pdf", size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey, createdAt: turn.now },
  });
  if (r.documentId) await turn.tx.document.update({ where: { id: r.documentId }, data: { deletedAt: turn.now } });
  await turn.tx.finalReport.update({ where: { id: reportId }, data: { documentId: doc.id } });
  return { storageKey: stored.storageKey, regNumber: c.regNumber };
}

async function reportOfClient(turn: TurnPort, clientId: string, reportId: string) {
  const r = await turn.tx.finalReport.findUnique({ where: { id: reportId }, include: { case: true } });
  if (!r || r.case.clientId !== clientId) throw new WorkflowError("wf.err.no_case");
  return r;
}

/** The client taps "Setuju": the agreement is recorded with its time and channel identity and printed on the BAP. */
export async function bapAgreed(turn: TurnPort, deps: WorkflowDeps, clientId: string, reportId: string): Promise<void> {
  const r = await reportOfClient(turn, clientId, reportId);
  if (r.clientAgreedAt) {
    turn.reply(text(turn.t("bap.client.already_agreed", { regNumber: r.case.regNumber })));
    return;
  }
  await turn.tx.finalReport.update({ where: { id: reportId }, data: { clientAgreedAt: turn.now, clientAgreedChannel: turn.identity.channel, clientAgreedIdentityId: turn.identity.id } });
  await turn.tx.controlCardEntry.create({ data: { caseId: r.caseId, at: turn.now, staffId: null, contactKind: "report", summary: `BAP disetujui pengguna jasa melalui ${turn.t(`bap.channel.${turn.identity.channel}`, undefined, "id")}` } });
  turn.audit({ action: "bap.agree", entity: "FinalReport", entityId: reportId, detail: { channel: turn.identity.channel } });
  const signed = await rerenderBap(turn, deps, reportId);
  turn.reply({ type: "document", fileName: `Laporan-BAP-${signed.regNumber}.pdf`, mimeType: "application/pdf", storageKey: signed.storageKey, caption: turn.t("bap.client.caption", { regNumber: signed.regNumber }) });
  turn.reply(text(turn.t("bap.client.thanks", { regNumber: signed.regNumber })));
  const to = r.case.consultantId ? await staffIdentityId(turn.tx, r.case.consultantId) : null;
  if (to) await turn.tell(to, "bap.consultant.agreed", { regNumber: signed.regNumber });
}

/** "Ada yang kurang": what the client says is missing goes to the consultant, who revises the report. */
export async function bapFeedback(turn: TurnPort, clientId: string, reportId: string, missing: string): Promise<void> {
  const r = await reportOfClient(turn, clientId, reportId);
  await turn.tx.finalReport.update({ where: { id: reportId }, data: { clientFeedback: missing, clientFeedbackAt: turn.now } });
  await turn.tx.controlCardEntry.create({ data: { caseId: r.caseId, at: turn.now, staffId: null, contactKind: "report", summary: `Pengguna jasa: ada yang kurang pada laporan/BAP: ${missing}`.slice(0, 500) } });
  const to = r.case.consultantId ? await staffIdentityId(turn.tx, r.case.consultantId) : null;
  if (to) {
    await turn.tell(to, "bap.consultant.missing", { regNumber: r.case.regNumber, missing }, [
      { id: encodeButton({ kind: "case", caseId: r.caseId, action: "report" }), key: "wf.btn.report" },
    ]);
  }
}
