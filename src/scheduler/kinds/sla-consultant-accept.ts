/** sla_consultant_accept: a case not accepted by its consultant within SOP step 4's standard time. */
import { renderSla, ZSlaPayload, type TSlaPayload } from "./sla-common.js";
import type { ReminderKind } from "./types.js";

export const slaConsultantAccept: ReminderKind<TSlaPayload> = {
  kind: "sla_consultant_accept",
  audience: "staff",
  payload: ZSlaPayload,
  render: (ctx) => renderSla(ctx, 4),
};
