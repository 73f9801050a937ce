/**
 * Handing a case to a consultant of an area (end of step 3, or after a referral): the consultant of
 * that area with the fewest open cases. The consultant is told in their own chat and accepts there.
 */
import type { Turn } from "../../conversation/turn.js";
import { text } from "../../conversation/turn.js";
import type { Actor } from "../cases/events.js";
import { advance } from "../cases/events.js";
import { clientIdentityId, consultantsByLoad, identitiesOfRole, staffIdentityId } from "../staff/directory.js";
import { caseCard } from "./case-card.js";
import type { WorkflowDeps } from "./context.js";
import { langOf } from "./open-case.js";
import { encodeButton } from "../buttons.js";

export async function assignConsultant(
  turn: Turn,
  deps: WorkflowDeps,
  caseId: string,
  area: string,
  actor: Actor,
  opts: { exclude?: string[]; fromStep?: number } = {},
): Promise<boolean> {
  const { tx, now } = turn;
  const [consultant] = await consultantsByLoad(tx, area, opts.exclude ?? []);
  if (!consultant) {
    for (const admin of await identitiesOfRole(tx, "admin")) {
      const lang = await langOf(turn, admin);
      turn.send(admin, text(turn.t("wf.admin.no_consultant", { area: turn.t(`area.${area}`, undefined, lang) }, lang)));
    }
    return false;
  }
  await tx.assignment.updateMany({ where: { caseId, endedAt: null }, data: { endedAt: now, endReason: opts.fromStep === 7 ? "referred" : "reassigned" } });
  await tx.assignment.create({ data: { caseId, consultantId: consultant.id, areaCode: area, assignedById: actor.type === "staff" ? actor.id ?? null : null, assignedAt: now } });
  await tx.consultationCase.update({ where: { id: caseId }, data: { areaCode: area, consultantId: consultant.id, status: "awaiting_acceptance", step: 4 } });
  await advance(tx, caseId, opts.fromStep ?? 3, 4, now, actor);
  await deps.reminders.planSla?.(tx, { caseId, step: 4, startedAt: now });

  const to = await staffIdentityId(tx, consultant.id);
  if (to) {
    const lang = await langOf(turn, to);
    const card = await caseCard(turn, caseId, lang);
    turn.send(
      to,
      text(`${turn.t("wf.consultant.new_case", undefined, lang)}\n\n${card}`, [
        { id: encodeButton({ kind: "case", caseId, action: "accept" }), label: turn.t("wf.btn.accept", undefined, lang) },
        { id: encodeButton({ kind: "case", caseId, action: "doc" }), label: turn.t("wf.btn.view_document", undefined, lang) },
      ]),
    );
  }
  const c = await tx.consultationCase.findUniqueOrThrow({ where: { id: caseId }, select: { clientId: true, regNumber: true } });
  const clientTo = await clientIdentityId(tx, c.clientId);
  if (clientTo) {
    const lang = await langOf(turn, clientTo);
    turn.send(clientTo, text(turn.t("wf.client.routed", { regNumber: c.regNumber, area: turn.t(`area.${area}`, undefined, lang) }, lang)));
  }
  turn.audit({ action: "case.assign", entity: "ConsultationCase", entityId: caseId, detail: { area, consultantId: consultant.id } });
  return true;
}
