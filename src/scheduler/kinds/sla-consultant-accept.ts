/** sla_consultant_accept: a case not accepted by its consultant within SOP step 4's standard time. */
import { renderSla } from "./sla-common.js";
import type { ReminderKind } from "./types.js";

export const slaConsultantAccept: ReminderKind = {
  kind: "sla_consultant_accept",
  audience: "staff",
  render: (ctx) => renderSla(ctx, 4),
};
