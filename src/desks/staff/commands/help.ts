/** menu / bantuan / start: the commands this staff member may run, one line each, from the registry. */
import { text } from "../../../messaging/text.js";
import { ALL_ROLES, defineCommand } from "../command.js";
import { staffHelp } from "../help-text.js";

export default defineCommand({
  name: "menu",
  aliases: ["start", "bantuan", "help"],
  roles: ALL_ROLES,
  menu: "cmdmenu.menu",
  async run({ turn, staff, commands }) {
    turn.reply(text(staffHelp(turn, staff, commands)));
  },
});
