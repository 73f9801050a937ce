/** sla_admin_confirm: a case not confirmed and routed by an admin within SOP step 3's standard time. */
import { renderSla, ZSlaPayload, type TSlaPayload } from "./sla-common.js";
import type { ReminderKind } from "./types.js";

export const slaAdminConfirm: ReminderKind<TSlaPayload> = {
  kind: "sla_admin_confirm",
  audience: "staff",
  payload: ZSlaPayload,
  render: (ctx) => renderSla(ctx, 3),
};
