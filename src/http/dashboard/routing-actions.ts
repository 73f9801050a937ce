/**
 * The dashboard's routing decision, the one way chat takes it: decideRoute (src/domain/workflow/
 * routing-offer.ts) in a turn of the admin's own chat identity (Inbox.runAsStaff), so it is
 * audited the same, the consultant and the client are told the same, and a refusal (routed
 * already) comes back as the same text key.
 */
import { randomUUID } from "node:crypto";
import type { Inbox } from "../../conversation/inbox.js";
import { getStaff } from "../../domain/staff/directory.js";
import { WorkflowError } from "../../domain/workflow/consultation.js";
import type { WorkflowDeps } from "../../domain/workflow/context.js";
import { decideRoute } from "../../domain/workflow/routing-offer.js";
import type { RoutingActions, RoutingOutcome } from "./area.js";

export function routingActions(inbox: Inbox, workflow: WorkflowDeps): RoutingActions {
  return {
    async decide(staffId, caseId, area, overridden, consultantId): Promise<RoutingOutcome> {
      try {
        const r = await inbox.runAsStaff(staffId, `dashboard:route:${caseId}:${randomUUID()}`, async (turn) => {
          const staff = await getStaff(turn.tx, staffId);
          if (!staff) throw new WorkflowError("staff.not_allowed");
          return decideRoute(turn, workflow, staff, caseId, area, overridden, consultantId);
        });
        if (!r) return { ok: false, key: "duty.routing.no_chat", params: {} };
        return { ok: true, assigned: r.assigned };
      } catch (e) {
        if (e instanceof WorkflowError) return { ok: false, key: e.textKey, params: e.params };
        throw e;
      }
    },
  };
}
