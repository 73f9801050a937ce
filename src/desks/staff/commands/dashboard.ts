/** dashboard: a one-time sign-in link to the dashboard, for anyone on staff. */
import { text } from "../../../messaging/text.js";
import { ALL_ROLES, defineCommand } from "../command.js";

export default defineCommand({
  name: "dashboard",
  aliases: ["dasbor"],
  roles: ALL_ROLES,
  help: "staff.help.dashboard",
  menu: "cmdmenu.dashboard",
  async run({ turn, staff, deps }) {
    const url = await deps.reports.loginLink(turn.tx, staff.id, turn.now);
    turn.audit({ action: "staff.login_link", entity: "Staff", entityId: staff.id });
    turn.reply(text(turn.t("staff.dashboard_link", { url })));
  },
});
