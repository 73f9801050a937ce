/**
 * SOP steps 4-7 in chat: the consultant accepts, writes the diagnosis, notes, prescription and
 * services; asks the client for the action plan and agrees it; schedules monitoring and records the
 * evaluation; refers the case on. Every contact with the client adds a control-card line.
 */
import { writeJson, ZNoteServices } from "../../db/json-columns.js";
import { text } from "../../messaging/text.js";
import type { TellChoice, TurnPort } from "../port.js";
import { advance, recordStep } from "../cases/events.js";
import { clientIdentityId, staffIdentityId, type StaffMember } from "../staff/directory.js";
import { assignConsultant } from "./assign.js";
import type { WorkflowDeps } from "./context.js";
import { dateOnly } from "../../shared/time.js";
import { formatFullDate } from "../../i18n/index.js";
import { encodeButton, type CaseAction } from "../buttons.js";
import { cancelWithCase, offerOnAcceptance } from "../appointments/booking.js";

export type NoteKind = "diagnosis" | "note" | "prescription";

// In its own module so that assign.ts can refuse without importing this file (an import cycle).
export { WorkflowError } from "./errors.js";
import { WorkflowError } from "./errors.js";

/**
 * The case, if this staff member may work on it: admins and the head any, a consultant their own.
 * `read` also lets in a consultant an admin shared the case with (to open it and read the documents).
 */
export async function caseForStaff(turn: TurnPort, staff: StaffMember, caseId: string, opts: { read?: boolean } = {}) {
  const c = await turn.tx.consultationCase.findUnique({ where: { id: caseId } });
  if (!c) throw new WorkflowError("wf.err.no_case");
  if (staff.role === "consultant" && c.consultantId !== staff.id) {
    const shared = opts.read ? await turn.tx.caseShare.findUnique({ where: { caseId_staffId: { caseId, staffId: staff.id } } }) : null;
    if (!shared) throw new WorkflowError("wf.err.not_your_case");
  }
  return c;
}

/** An admin shares a case with another consultant, who may read it and advise; it stays with its consultant. */
export async function shareCase(turn: TurnPort, admin: StaffMember, caseId: string, consultantId: string): Promise<void> {
  if (admin.role !== "admin") throw new WorkflowError("staff.not_allowed");
  const c = await caseForStaff(turn, admin, caseId);
  const to = await turn.tx.staff.findUnique({ where: { id: consultantId } });
  if (!to || to.role !== "consultant" || !to.active) throw new WorkflowError("wf.err.no_consultant");
  await turn.tx.caseShare.upsert({
    where: { caseId_staffId: { caseId, staffId: consultantId } },
    create: { caseId, staffId: consultantId, sharedById: admin.id, createdAt: turn.now },
    update: {},
  });
  turn.audit({ action: "case.share", entity: "ConsultationCase", entityId: caseId, detail: { consultantId } });
  const identity = await staffIdentityId(turn.tx, consultantId);
  if (identity) {
    await turn.tell(identity, "wf.consultant.shared", { regNumber: c.regNumber, admin: admin.name }, [
      { id: encodeButton({ kind: "case", caseId: caseId, action: "open" }), key: "wf.btn.open_case" },
      { id: encodeButton({ kind: "case", caseId: caseId, action: "doc" }), key: "wf.btn.view_document" },
    ]);
  }
  turn.reply(text(turn.t("wf.admin.shared", { regNumber: c.regNumber, consultant: to.name })));
}

async function controlLine(turn: TurnPort, caseId: string, staffId: string | null, kind: string, summary: string): Promise<void> {
  await turn.tx.controlCardEntry.create({ data: { caseId, at: turn.now, staffId, contactKind: kind, summary: summary.slice(0, 500) } });
}

async function tellClient(turn: TurnPort, clientId: string, key: string, params: Record<string, string | number>, choices?: TellChoice[]) {
  const to = await clientIdentityId(turn.tx, clientId);
  if (to) await turn.tell(to, key, params, choices);
}

export async function acceptCase(turn: TurnPort, staff: StaffMember, caseId: string, deps?: WorkflowDeps): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  if (c.status !== "awaiting_acceptance") throw new WorkflowError("wf.err.not_awaiting_acceptance", { status: turn.t(`status.${c.status}`) });
  await turn.tx.assignment.updateMany({ where: { caseId, consultantId: staff.id, endedAt: null, acceptedAt: null }, data: { acceptedAt: turn.now } });
  await turn.tx.consultationCase.update({ where: { id: caseId }, data: { status: "in_consultation" } });
  await controlLine(turn, caseId, staff.id, "consultation", `Kasus diterima oleh ${staff.name}`);
  // After a referral the client already heard the new consultant's name, area and the reason, once.
  const referredHere = await turn.tx.referral.count({ where: { caseId, toConsultantId: staff.id } });
  if (referredHere === 0) await tellClient(turn, c.clientId, "wf.client.accepted", { regNumber: c.regNumber, consultant: staff.name });
  turn.reply(text(turn.t("wf.consultant.accepted", { regNumber: c.regNumber }), caseMenu(turn, caseId)));
  // A meeting is the next thing to agree: free slots matching the registration go to the client at once.
  if (deps?.appointments) await offerOnAcceptance(turn, deps.appointments, caseId);
}

export function caseMenu(turn: TurnPort, caseId: string): Array<{ id: string; label: string }> {
  const actions: CaseAction[] = ["diagnosis", "note", "prescription", "services", "message", "plan", "monitor", "evaluate", "refer", "report", "card", "close"];
  return actions.map((a) => ({ id: encodeButton({ kind: "case", caseId, action: a }), label: turn.t(`wf.btn.${a}`) }));
}

export async function addNote(turn: TurnPort, staff: StaffMember, caseId: string, kind: NoteKind, body: string): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  await turn.tx.consultationNote.create({ data: { caseId, authorId: staff.id, kind, text: body, createdAt: turn.now } });
  await controlLine(turn, caseId, staff.id, "consultation", `${turn.t(`wf.note.${kind}`, undefined, "id")}: ${body}`);
  turn.reply(text(turn.t("wf.consultant.note_saved", { regNumber: c.regNumber, kind: turn.t(`wf.note.${kind}`) }), caseMenu(turn, caseId)));
}

export async function recordServices(turn: TurnPort, staff: StaffMember, caseId: string, services: string[]): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  const labels = services.map((s) => turn.t(`service.${s}`, undefined, "id"));
  await turn.tx.consultationNote.create({
    data: { caseId, authorId: staff.id, kind: "service", text: labels.join(", "), servicesJson: writeJson(ZNoteServices, services), createdAt: turn.now },
  });
  await controlLine(turn, caseId, staff.id, "consultation", `Layanan: ${labels.join(", ")}`);
  turn.reply(text(turn.t("wf.consultant.services_saved", { regNumber: c.regNumber, services: services.map((s) => turn.t(`service.${s}`)).join(", ") }), caseMenu(turn, caseId)));
}

/** Step 4 ends when the consultant asks the client for the action plan (step 5, the client fills it). */
export async function requestActionPlan(turn: TurnPort, deps: WorkflowDeps, staff: StaffMember, caseId: string): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  const to = await clientIdentityId(turn.tx, c.clientId);
  if (!to) throw new WorkflowError("wf.err.client_unreachable");
  if (c.step === 4) await advance(turn.tx, caseId, 4, 5, turn.now, { type: "staff", id: staff.id });
  // The client fills the sheet: that time is theirs. The office's clock runs again when it arrives.
  await recordStep(turn.tx, caseId, 5, "waiting", turn.now, { type: "system" });
  await turn.tx.consultationCase.update({ where: { id: caseId }, data: { status: "action_plan", step: 5 } });
  await controlLine(turn, caseId, staff.id, "action_plan", "Klien diminta mengisi Lembar Rencana Tindakan dan Evaluasi");
  await turn.startClientFlow(to, "action_plan", { caseId, regNumber: c.regNumber });
  turn.reply(text(turn.t("wf.consultant.plan_requested", { regNumber: c.regNumber })));
}

export interface PlanItemInput {
  action: string;
  who: string;
  targetDate: string;
  indicator: string;
}

/** The client submitted the action plan: the consultant agrees or asks for changes. */
export async function actionPlanSubmitted(turn: TurnPort, clientId: string, caseId: string, items: PlanItemInput[]): Promise<void> {
  const c = await turn.tx.consultationCase.findUnique({ where: { id: caseId } });
  if (!c || c.clientId !== clientId) throw new WorkflowError("wf.err.no_case");
  const plan = await turn.tx.actionPlan.create({
    data: {
      caseId,
      status: "submitted",
      submittedAt: turn.now,
      createdAt: turn.now,
      items: { create: items.map((it, i) => ({ position: i + 1, action: it.action, who: it.who, targetDate: dateOnly(it.targetDate), indicator: it.indicator })) },
    },
  });
  await controlLine(turn, caseId, null, "action_plan", `Rencana tindakan diisi klien (${items.length} tindakan)`);
  // The sheet is in: the consultant's review runs on the office's clock.
  if (c.step === 5) await recordStep(turn.tx, caseId, 5, "resumed", turn.now, { type: "client", id: clientId });
  if (!c.consultantId) return;
  const to = await staffIdentityId(turn.tx, c.consultantId);
  if (!to) return;
  await turn.tellWith(to, (t) => {
    const list = items.map((it, i) => t.t("wf.plan.item", { n: i + 1, action: it.action, who: it.who, date: formatFullDate(it.targetDate, t.lang), indicator: it.indicator })).join("\n");
    return text(t.t("wf.consultant.plan_submitted", { regNumber: c.regNumber, items: list }), [
      { id: encodeButton({ kind: "plan", planId: plan.id, action: "agree" }), label: t.t("wf.btn.plan_agree") },
      { id: encodeButton({ kind: "plan", planId: plan.id, action: "changes" }), label: t.t("wf.btn.plan_changes") },
    ]);
  });
}

export async function agreePlan(turn: TurnPort, deps: WorkflowDeps, staff: StaffMember, planId: string): Promise<void> {
  const plan = await turn.tx.actionPlan.findUnique({ where: { id: planId }, include: { items: true } });
  if (!plan) throw new WorkflowError("wf.err.no_case");
  const c = await caseForStaff(turn, staff, plan.caseId);
  if (plan.status === "agreed") throw new WorkflowError("wf.err.plan_already_agreed");
  await turn.tx.actionPlan.update({ where: { id: planId }, data: { status: "agreed", agreedAt: turn.now } });
  await advance(turn.tx, c.id, 5, 6, turn.now, { type: "staff", id: staff.id });
  // Until the agreed monitoring date the case waits on the client: not charged to the office.
  await recordStep(turn.tx, c.id, 6, "waiting", turn.now, { type: "system" });
  await turn.tx.consultationCase.update({ where: { id: c.id }, data: { status: "monitoring", step: 6 } });
  await controlLine(turn, c.id, staff.id, "action_plan", "Rencana tindakan disepakati");
  const clientTo = await clientIdentityId(turn.tx, c.clientId);
  if (clientTo) {
    await deps.reminders.planActionItems?.(turn.tx, { caseId: c.id, clientIdentityId: clientTo, items: plan.items.map((i) => ({ id: i.id, targetDate: i.targetDate })) });
  }
  await tellClient(turn, c.clientId, "wf.client.plan_agreed", { regNumber: c.regNumber });
  turn.reply(text(turn.t("wf.consultant.plan_agreed", { regNumber: c.regNumber }), caseMenu(turn, c.id)));
}

export async function askPlanChanges(turn: TurnPort, deps: WorkflowDeps, staff: StaffMember, planId: string, comment: string): Promise<void> {
  const plan = await turn.tx.actionPlan.findUnique({ where: { id: planId } });
  if (!plan) throw new WorkflowError("wf.err.no_case");
  const c = await caseForStaff(turn, staff, plan.caseId);
  await turn.tx.actionPlan.update({ where: { id: planId }, data: { status: "changes_requested", consultantComment: comment } });
  await controlLine(turn, c.id, staff.id, "action_plan", `Perbaikan rencana diminta: ${comment}`);
  if (c.step === 5) await recordStep(turn.tx, c.id, 5, "waiting", turn.now, { type: "system" });
  const to = await clientIdentityId(turn.tx, c.clientId);
  if (to) {
    await turn.tell(to, "wf.client.plan_changes", { regNumber: c.regNumber, comment });
    await turn.startClientFlow(to, "action_plan", { caseId: c.id, regNumber: c.regNumber });
  }
  turn.reply(text(turn.t("wf.consultant.plan_changes_sent", { regNumber: c.regNumber })));
}

/** Step 6: the agreed monitoring date; the client gets the check-in on the day. */
export async function scheduleMonitoring(turn: TurnPort, deps: WorkflowDeps, staff: StaffMember, caseId: string, date: string): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  const visit = await turn.tx.monitoringVisit.create({ data: { caseId, scheduledFor: dateOnly(date), consultantId: staff.id } });
  await controlLine(turn, caseId, staff.id, "monitoring", `Monitoring dijadwalkan ${date}`);
  const clientTo = await clientIdentityId(turn.tx, c.clientId);
  if (clientTo) {
    await deps.reminders.planMonitoring?.(turn.tx, { caseId, visitId: visit.id, clientIdentityId: clientTo, consultantStaffId: staff.id, scheduledFor: visit.scheduledFor });
  }
  const to = await clientIdentityId(turn.tx, c.clientId);
  if (to) await turn.tellWith(to, (t) => text(t.t("wf.client.monitoring_scheduled", { regNumber: c.regNumber, date: formatFullDate(date, t.lang) })));
  turn.reply(text(turn.t("wf.consultant.monitoring_scheduled", { regNumber: c.regNumber, date: formatFullDate(date, turn.lang) }), caseMenu(turn, caseId)));
}

/** A photo the client attached to an action's progress, already stored encrypted by the inbox. */
export interface ProgressPhoto {
  mimeType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

export interface ProgressInput {
  items: Array<{ id: string; progress: "done" | "not_yet" | "help"; note?: string; photo?: ProgressPhoto }>;
  note?: string;
}

/**
 * The client's check-in: progress per action, with a note or a photo; the consultant is told (and
 * asked to help where asked) and gets the photos with it. Photos are kept with the case as
 * Documents of type progress_photo (listed on the case page, every view audited).
 */
export async function progressReported(turn: TurnPort, clientId: string, caseId: string, input: ProgressInput): Promise<void> {
  const c = await turn.tx.consultationCase.findUnique({ where: { id: caseId } });
  if (!c || c.clientId !== clientId) throw new WorkflowError("wf.err.no_case");
  const items = await turn.tx.actionPlanItem.findMany({ where: { id: { in: input.items.map((i) => i.id) }, plan: { caseId } }, select: { id: true, position: true, action: true } });
  const photos: Array<{ documentId: string; position: number; action: string; mimeType: string; storageKey: string }> = [];
  for (const it of input.items) {
    await turn.tx.actionPlanItem.updateMany({
      where: { id: it.id, plan: { caseId } },
      data: { progress: it.progress, progressNote: it.note ?? null, progressAt: turn.now },
    });
    const item = items.find((x) => x.id === it.id);
    if (!it.photo || !item) continue;
    const p = it.photo;
    const doc =
      (await turn.tx.document.findFirst({ where: { storageKey: p.storageKey } })) ??
      (await turn.tx.document.create({ data: { clientId, caseId, type: "progress_photo", mimeType: p.mimeType, size: p.size, sha256: p.sha256, storageKey: p.storageKey, createdAt: turn.now } }));
    photos.push({ documentId: doc.id, position: item.position, action: item.action, mimeType: doc.mimeType, storageKey: doc.storageKey });
  }
  const photoOf = (id: string) => {
    const item = items.find((x) => x.id === id);
    const p = item ? photos.find((x) => x.position === item.position) : undefined;
    return p ? ` [foto ${p.documentId.slice(-6)}]` : "";
  };
  const visit = await turn.tx.monitoringVisit.findFirst({ where: { caseId, reportedAt: null }, orderBy: { scheduledFor: "asc" } });
  const summary = input.items.map((i) => `${i.progress}${i.note ? ` (${i.note})` : ""}${photoOf(i.id)}`).join("; ");
  if (visit) await turn.tx.monitoringVisit.update({ where: { id: visit.id }, data: { clientReport: [summary, input.note].filter(Boolean).join(" — "), reportedAt: turn.now } });
  await recordStep(turn.tx, caseId, 6, "resumed", turn.now, { type: "client", id: clientId });
  await controlLine(turn, caseId, null, "monitoring", `Laporan kemajuan klien: ${summary}`);
  if (!c.consultantId) return;
  const to = await staffIdentityId(turn.tx, c.consultantId);
  if (!to) return;
  const help = input.items.filter((i) => i.progress === "help").length;
  await turn.tell(to, help > 0 ? "wf.consultant.progress_help" : "wf.consultant.progress", { regNumber: c.regNumber, summary, help }, [
    { id: encodeButton({ kind: "case", caseId: caseId, action: "evaluate" }), key: "wf.btn.evaluate" },
  ]);
  // Each photo follows, captioned with its action, so the consultant sees the progress it shows.
  for (const p of photos) {
    const ext = p.mimeType === "image/png" ? "png" : p.mimeType === "image/webp" ? "webp" : "jpg";
    await turn.tellWith(to, (t) => ({ type: "document", fileName: `${c.regNumber}-rencana-${p.position}.${ext}`, mimeType: p.mimeType, storageKey: p.storageKey, caption: t.t("wf.consultant.progress_photo", { regNumber: c.regNumber, n: p.position, action: p.action }) }));
    turn.audit({ action: "progress.photo", entity: "Document", entityId: p.documentId, detail: { caseId, to: "consultant" } });
  }
}

export async function evaluate(turn: TurnPort, staff: StaffMember, caseId: string, body: string): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  const visit = await turn.tx.monitoringVisit.findFirst({ where: { caseId, evaluatedAt: null }, orderBy: { scheduledFor: "asc" } });
  if (visit) await turn.tx.monitoringVisit.update({ where: { id: visit.id }, data: { evaluation: body, evaluatedAt: turn.now } });
  else await turn.tx.monitoringVisit.create({ data: { caseId, scheduledFor: turn.now, consultantId: staff.id, evaluation: body, evaluatedAt: turn.now } });
  if (c.step === 6) {
    await advance(turn.tx, caseId, 6, 8, turn.now, { type: "staff", id: staff.id });
    await turn.tx.consultationCase.update({ where: { id: caseId }, data: { status: "final_report", step: 8 } });
  }
  await controlLine(turn, caseId, staff.id, "monitoring", `Evaluasi: ${body}`);
  turn.reply(text(turn.t("wf.consultant.evaluation_saved", { regNumber: c.regNumber }), caseMenu(turn, caseId)));
}

/** Step 7: refer to another area (and its consultant with the fewest open cases), with a reason. */
export async function refer(turn: TurnPort, deps: WorkflowDeps, staff: StaffMember, caseId: string, toArea: string, reason: string): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId);
  await turn.tx.referral.create({ data: { caseId, fromConsultantId: staff.id, toAreaCode: toArea, reason, createdAt: turn.now } });
  await recordStep(turn.tx, caseId, c.step, "completed", turn.now, { type: "staff", id: staff.id });
  await recordStep(turn.tx, caseId, 7, "started", turn.now, { type: "staff", id: staff.id });
  await controlLine(turn, caseId, staff.id, "referral", `Dirujuk ke bidang ${turn.t(`area.${toArea}`, undefined, "id")}: ${reason}`);
  const ok = await assignConsultant(turn, deps, caseId, toArea, { type: "staff", id: staff.id }, { exclude: [staff.id], fromStep: 7, referral: { reason } });
  // Meetings booked with the referring consultant no longer stand; the new one offers their own slots.
  if (deps.appointments) await cancelWithCase(turn, deps.appointments, caseId, "referral");
  // The referring consultant keeps read-only access (a share: they may open it and read, not change it).
  await turn.tx.caseShare.upsert({
    where: { caseId_staffId: { caseId, staffId: staff.id } },
    create: { caseId, staffId: staff.id, sharedById: staff.id, createdAt: turn.now },
    update: {},
  });
  const latest = await turn.tx.assignment.findFirst({ where: { caseId, endedAt: null }, orderBy: { assignedAt: "desc" } });
  if (latest) await turn.tx.referral.updateMany({ where: { caseId, toConsultantId: null }, data: { toConsultantId: latest.consultantId } });
  turn.reply(text(turn.t(ok ? "wf.consultant.referred" : "wf.consultant.referred_waiting", { regNumber: c.regNumber, area: turn.t(`area.${toArea}`) })));
}
