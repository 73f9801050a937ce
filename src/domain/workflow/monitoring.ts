/**
 * Monitoring in the right order (SOP step 6): the client reports progress on each action first,
 * then the consultant evaluates. A consultant who starts the evaluation before the client's report
 * sees what was reported so far (the reminder answers per action) and is asked to confirm.
 */
import { text } from "../../messaging/text.js";
import type { TurnPort } from "../port.js";
import type { StaffMember } from "../staff/directory.js";
import { encodeButton } from "../buttons.js";
import { caseForStaff } from "./consultation.js";

/**
 * True when the evaluation may start now: the client has reported on the visit that waits for an
 * evaluation. Otherwise the consultant is shown the progress so far with a confirm button.
 */
export async function readyToEvaluate(turn: TurnPort, staff: StaffMember, caseId: string): Promise<boolean> {
  const c = await caseForStaff(turn, staff, caseId);
  const visit = await turn.tx.monitoringVisit.findFirst({ where: { caseId, evaluatedAt: null }, orderBy: { scheduledFor: "asc" } });
  if (visit?.reportedAt) return true;
  const items = await turn.tx.actionPlanItem.findMany({ where: { plan: { caseId, status: "agreed" } }, orderBy: { position: "asc" } });
  const lines = items.map((it) =>
    turn.t("monitor.item_line", {
      n: it.position,
      action: it.action,
      progress: turn.t(["done", "not_yet", "help"].includes(it.progress) ? `monitor.progress.${it.progress}` : "monitor.progress.none"),
      note: it.progressNote ? ` (${it.progressNote})` : "",
    }),
  );
  const body = [
    turn.t(visit ? "monitor.early.scheduled" : "monitor.early.unscheduled", { regNumber: c.regNumber, date: visit ? visit.scheduledFor.toISOString().slice(0, 10) : "" }),
    lines.length > 0 ? lines.join("\n") : turn.t("monitor.early.no_items"),
    turn.t("monitor.early.confirm"),
  ].join("\n\n");
  turn.reply(text(body, [{ id: encodeButton({ kind: "case", caseId, action: "evaluate_now" }), label: turn.t("monitor.btn.evaluate_now") }]));
  return false;
}

/** The consultant confirmed an evaluation before the client's report: the control card says so. */
export async function evaluationConfirmedEarly(turn: TurnPort, staff: StaffMember, caseId: string): Promise<void> {
  await caseForStaff(turn, staff, caseId);
  await turn.tx.controlCardEntry.create({ data: { caseId, at: turn.now, staffId: staff.id, contactKind: "monitoring", summary: "Evaluasi dimulai sebelum laporan kemajuan klien (dikonfirmasi konsultan)" } });
}
