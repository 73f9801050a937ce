/**
 * Handing a case to a consultant of an area (end of step 3, or after a referral): the consultant of
 * that area with the fewest open cases. The consultant is told in their own chat and accepts there.
 */
import { text } from "../../messaging/text.js";
import type { TurnPort } from "../port.js";
import type { Actor } from "../cases/events.js";
import { advance } from "../cases/events.js";
import { clientIdentityId, consultantsByLoad, identitiesOfRole, staffIdentityId } from "../staff/directory.js";
import { caseCard } from "./case-card.js";
import { WorkflowError } from "./errors.js";
import type { WorkflowDeps } from "./context.js";
import { encodeButton } from "../buttons.js";

export async function assignConsultant(
  turn: TurnPort,
  deps: WorkflowDeps,
  caseId: string,
  area: string,
  actor: Actor,
  /** `referral`: the case is referred on (step 7); the client hears the area, consultant and reason in one message. */
  opts: { exclude?: string[]; fromStep?: number; referral?: { reason: string }; consultantId?: string } = {},
): Promise<boolean> {
  const { tx, now } = turn;
  const inArea = await consultantsByLoad(tx, area, opts.exclude ?? []);
  // An admin may name the consultant (the dashboard's case page); else the least loaded of the area.
  const named = opts.consultantId === undefined ? undefined : inArea.find((s) => s.id === opts.consultantId);
  if (opts.consultantId !== undefined && !named) throw new WorkflowError("duty.routing.not_in_area", { area: turn.t(`area.${area}`) });
  const consultant = named ?? inArea[0];
  if (!consultant) {
    for (const admin of await identitiesOfRole(tx, "admin")) {
      await turn.tellWith(admin, (t) => text(t.t("wf.admin.no_consultant", { area: t.t(`area.${area}`) })));
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
    const card = await caseCard(tx, caseId, deps.regions?.());
    await turn.tellWith(to, (t) =>
      text(`${t.t("wf.consultant.new_case")}\n\n${card(t)}`, [
        { id: encodeButton({ kind: "case", caseId: caseId, action: "accept" }), label: t.t("wf.btn.accept") },
        { id: encodeButton({ kind: "case", caseId: caseId, action: "doc" }), label: t.t("wf.btn.view_document") },
      ]),
    );
  }
  const c = await tx.consultationCase.findUniqueOrThrow({ where: { id: caseId }, select: { clientId: true, regNumber: true } });
  const clientTo = await clientIdentityId(tx, c.clientId);
  if (clientTo) {
    const referral = opts.referral;
    await turn.tellWith(clientTo, (t) =>
      referral
        ? text(t.t("relay.client.referred", { regNumber: c.regNumber, area: t.t(`area.${area}`), consultant: consultant.name, reason: referral.reason }))
        : text(t.t("wf.client.routed", { regNumber: c.regNumber, area: t.t(`area.${area}`) })),
    );
  }
  turn.audit({ action: "case.assign", entity: "ConsultationCase", entityId: caseId, detail: { area, consultantId: consultant.id } });
  return true;
}
