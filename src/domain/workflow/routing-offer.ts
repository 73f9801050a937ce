/**
 * The admins' routing choice for a case waiting at step 3: a tap on the recommended area (or on
 * each of two when the router was unsure), another area, the identity document. The same buttons
 * go out when the router has recommended (open-case.ts) and when an admin joins while cases wait:
 * a case registered before the office had any admin, or one nobody confirmed yet, is offered to
 * every admin as they join, so no case stays unrouted for want of someone to ask.
 */
import { text } from "../../messaging/text.js";
import type { Translator } from "../../i18n/index.js";
import { encodeButton } from "../buttons.js";
import type { TurnPort } from "../port.js";
import { ZRankedJson } from "../routing/explain.js";
import type { StaffMember } from "../staff/directory.js";
import { assignConsultant } from "./assign.js";
import { caseCard } from "./case-card.js";
import { WorkflowError } from "./consultation.js";
import type { WorkflowDeps } from "./context.js";

/** Offered one message each; more are counted and left to the case list. */
export const OFFER_LIMIT = 10;

export function routingChoices(t: Translator, caseId: string, candidates: readonly string[]) {
  return [
    ...candidates.map((area) => ({ id: encodeButton({ kind: "route", caseId, area, overridden: false }), label: t.t("wf.btn.confirm_area", { area: t.t(`area.${area}`) }) })),
    { id: encodeButton({ kind: "case", caseId, action: "areas" }), label: t.t("wf.btn.other_area") },
    { id: encodeButton({ kind: "case", caseId, action: "doc" }), label: t.t("wf.btn.view_document") },
  ];
}

/** The areas an admin is asked about, from a stored decision: the recommendation, or the two most likely. */
export function candidatesOf(decision: { recommended: string; rankedJson: string } | null): string[] {
  if (!decision) return [];
  if (decision.recommended) return [decision.recommended];
  const ranked = ZRankedJson.safeParse(safeJson(decision.rankedJson));
  return ranked.success ? ranked.data.slice(0, 2).map((r) => r.area) : [];
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/** Every case waiting for an area, oldest first, to the admin who just joined. Returns how many wait. */
export async function offerUnroutedCases(turn: TurnPort, adminIdentityId: string): Promise<number> {
  const { tx } = turn;
  const where = { status: "awaiting_routing", closedAt: null };
  const [total, cases] = await Promise.all([
    tx.consultationCase.count({ where }),
    tx.consultationCase.findMany({ where, orderBy: { createdAt: "asc" }, take: OFFER_LIMIT, select: { id: true } }),
  ]);
  if (total === 0) return 0;
  await turn.tell(adminIdentityId, "duty.routing.waiting", { n: total });
  for (const c of cases) {
    const decision = await tx.routingDecision.findFirst({ where: { caseId: c.id }, orderBy: { createdAt: "desc" }, select: { recommended: true, rankedJson: true } });
    const card = await caseCard(tx, c.id);
    const candidates = candidatesOf(decision);
    await turn.tellWith(adminIdentityId, (t) => text(card(t), routingChoices(t, c.id, candidates)));
  }
  if (total > cases.length) await turn.tell(adminIdentityId, "duty.routing.waiting_more", { n: total - cases.length });
  return total;
}

/**
 * An admin's routing decision, from a tap in chat or the dashboard's case page alike: the area is
 * recorded on the router's decision (overridden when it is not the recommended one), audited, and
 * the case goes to that area's least-loaded consultant. Refused with the case's state when it was
 * routed already.
 */
export async function decideRoute(
  turn: TurnPort,
  deps: WorkflowDeps,
  staff: StaffMember,
  caseId: string,
  area: string,
  overridden: boolean,
  /** A consultant of the area the admin named (the dashboard); else the least loaded. */
  consultantId?: string,
): Promise<{ regNumber: string; assigned: boolean }> {
  if (staff.role !== "admin") throw new WorkflowError("staff.not_allowed");
  if (!deps.setup().areas.areas.some((a) => a.code === area)) throw new WorkflowError("staff.stale_button");
  const c = await turn.tx.consultationCase.findUnique({ where: { id: caseId } });
  if (!c) throw new WorkflowError("wf.err.no_case");
  if (c.status !== "awaiting_routing") throw new WorkflowError("wf.err.already_routed", { regNumber: c.regNumber, status: turn.t(`status.${c.status}`) });
  const decision = await turn.tx.routingDecision.findFirst({ where: { caseId }, orderBy: { createdAt: "desc" } });
  if (decision) {
    await turn.tx.routingDecision.update({
      where: { id: decision.id },
      data: { decidedArea: area, decidedById: staff.id, decidedBy: "admin", decidedAt: turn.now, overridden: overridden && area !== decision.recommended, overrideNote: overridden ? `${decision.recommended || "-"} -> ${area}` : null },
    });
  }
  turn.audit({ action: overridden ? "routing.override" : "routing.confirm", entity: "ConsultationCase", entityId: caseId, detail: { area } });
  const assigned = await assignConsultant(turn, deps, caseId, area, { type: "staff", id: staff.id }, consultantId === undefined ? {} : { consultantId });
  return { regNumber: c.regNumber, assigned };
}
