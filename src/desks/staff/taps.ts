/**
 * What the buttons the office sent a staff member do when tapped (or picked by number on
 * WhatsApp). The id is decoded by the one codec (src/domain/buttons.ts); a button that asks for
 * text starts the matching input flow (inputs.ts).
 */
import { text } from "../../messaging/text.js";
import type { DeskTurn as Turn } from "../desk.js";
import type { Button } from "../../domain/buttons.js";
import { encodeButton } from "../../domain/buttons.js";
import { acceptCase, agreePlan, caseForStaff, recordServices, requestActionPlan, WorkflowError } from "../../domain/workflow/consultation.js";
import { closeCase, sendControlCard } from "../../domain/workflow/closing.js";
import { decideRoute } from "../../domain/workflow/routing-offer.js";
import { closeComplaint, complaintRef, startHandling } from "../../domain/complaints/handling.js";
import type { Role, StaffMember } from "../../domain/staff/directory.js";
import { showIdentityDocument } from "../../domain/staff/documents.js";
import { decideDeletion } from "../../domain/intake/data-requests.js";
import { openCase } from "./case-view.js";
import { evaluationConfirmedEarly, readyToEvaluate } from "../../domain/workflow/monitoring.js";
import { INPUT_FLOWS, startInput } from "./inputs.js";
import type { StaffDeskDeps } from "./command.js";
import { onAnnounceTap } from "./commands/announcement.js";

export function requireRole(staff: StaffMember, roles: readonly Role[]): void {
  if (!roles.includes(staff.role)) throw new WorkflowError("staff.not_allowed");
}

export async function onTap(turn: Turn, deps: StaffDeskDeps, staff: StaffMember, b: Button | null): Promise<void> {
  const areas = () => deps.workflow.setup().areas.areas;
  switch (b?.kind) {
    case "plan":
      if (b.action === "agree") return agreePlan(turn, deps.workflow, staff, b.planId);
      return startInput(turn, deps, "staff_plan_changes", { planId: b.planId });
    case "deletion":
      return decideDeletion(turn, staff, deps.workflow.files, b.requestId, b.decision === "confirm", deps.workflow.forgetChat);
    case "route":
      return confirmRoute(turn, deps, staff, b.caseId, b.area, b.overridden);
    case "refer_to":
      await caseForStaff(turn, staff, b.caseId);
      return startInput(turn, deps, "staff_referral", { caseId: b.caseId, areaCode: b.area, area: turn.t(`area.${b.area}`) });
    case "services":
      return onServices(turn, deps, staff, b);
    case "complaint":
      return onComplaint(turn, deps, staff, b);
    case "announce":
      return onAnnounceTap(turn, deps, staff, b);
    case "case":
      break;
    default:
      turn.reply(text(turn.t("staff.stale_button")));
      return;
  }
  const caseId = b.caseId;
  switch (b.action) {
    case "areas":
      requireRole(staff, ["admin"]);
      turn.reply(text(turn.t("staff.pick_area"), areas().map((a) => ({ id: encodeButton({ kind: "route", caseId, area: a.code, overridden: true }), label: turn.t(`area.${a.code}`) }))));
      return;
    case "doc": return showIdentityDocument(turn, staff, caseId);
    case "accept": return acceptCase(turn, staff, caseId);
    case "open": return openCase(turn, staff, caseId, deps.reports.regions());
    case "evaluate":
      // The client reports progress first; earlier, the consultant sees it so far and confirms.
      if (!(await readyToEvaluate(turn, staff, caseId))) return;
      return startInput(turn, deps, INPUT_FLOWS.evaluate, { caseId });
    case "evaluate_now":
      await evaluationConfirmedEarly(turn, staff, caseId);
      return startInput(turn, deps, INPUT_FLOWS.evaluate, { caseId });
    case "diagnosis": case "note": case "prescription": case "message": case "monitor": case "report":
      await caseForStaff(turn, staff, caseId);
      return startInput(turn, deps, INPUT_FLOWS[b.action], { caseId });
    case "services": return servicesPicker(turn, deps, staff, caseId, 0);
    case "plan": return requestActionPlan(turn, deps.workflow, staff, caseId);
    case "refer":
      await caseForStaff(turn, staff, caseId);
      turn.reply(text(turn.t("staff.pick_refer_area"), areas().map((a) => ({ id: encodeButton({ kind: "refer_to", caseId, area: a.code }), label: turn.t(`area.${a.code}`) }))));
      return;
    case "card": return sendControlCard(turn, deps.workflow, staff, caseId);
    case "close": return closeCase(turn, deps.workflow, staff, caseId);
  }
}

/** The services picker: each tap flips one service; the selection travels in the buttons' ids. */
async function onServices(turn: Turn, deps: StaffDeskDeps, staff: StaffMember, b: Extract<Button, { kind: "services" }>): Promise<void> {
  const services = deps.workflow.setup().areas.services;
  if (b.toggle === undefined) {
    const selected = services.filter((_, i) => (b.selected & (1 << i)) !== 0);
    if (selected.length === 0) {
      turn.reply(text(turn.t("staff.services_none")));
      return;
    }
    return recordServices(turn, staff, b.caseId, selected);
  }
  const i = services.indexOf(b.toggle);
  if (i < 0) throw new WorkflowError("staff.stale_button");
  return servicesPicker(turn, deps, staff, b.caseId, b.selected ^ (1 << i));
}

async function servicesPicker(turn: Turn, deps: StaffDeskDeps, staff: StaffMember, caseId: string, selected: number): Promise<void> {
  await caseForStaff(turn, staff, caseId);
  const services = deps.workflow.setup().areas.services;
  const on = (i: number) => (selected & (1 << i)) !== 0;
  const names = services.filter((_, i) => on(i)).map((s) => turn.t(`service.${s}`));
  turn.reply(
    text(turn.t("staff.pick_services", { selected: names.join(", ") || "-" }), [
      ...services.map((s, i) => ({ id: encodeButton({ kind: "services", caseId, selected, toggle: s }), label: `${on(i) ? "✅ " : ""}${turn.t(`service.${s}`)}` })),
      { id: encodeButton({ kind: "services", caseId, selected }), label: turn.t("staff.services_done") },
    ]),
  );
}

async function confirmRoute(turn: Turn, deps: StaffDeskDeps, staff: StaffMember, caseId: string, area: string, overridden: boolean): Promise<void> {
  const r = await decideRoute(turn, deps.workflow, staff, caseId, area, overridden);
  if (r.assigned) turn.reply(text(turn.t("staff.routed", { regNumber: r.regNumber, area: turn.t(`area.${area}`) })));
}

/** "Jawab" under a complaint notice starts the answer flow (the complaint is then being handled); "Tutup" closes it. */
async function onComplaint(turn: Turn, deps: StaffDeskDeps, staff: StaffMember, b: Extract<Button, { kind: "complaint" }>): Promise<void> {
  if (b.action === "close") return closeComplaint(turn, staff, b.complaintId);
  if (b.action !== "answer") {
    turn.reply(text(turn.t("staff.stale_button")));
    return;
  }
  const c = await startHandling(turn, staff, b.complaintId);
  return startInput(turn, deps, "staff_complaint_answer", { complaintId: c.id, ref: complaintRef(c.id), complaint: c.text });
}
