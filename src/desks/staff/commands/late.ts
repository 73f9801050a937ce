/** sla: the steps that are late right now. */
import { text } from "../../../messaging/text.js";
import { lateNow, renderLateList } from "../../../domain/reports/index.js";
import { defineCommand } from "../command.js";
import { dbOf, translatorFor } from "./report-support.js";

export default defineCommand({
  name: "sla",
  aliases: ["terlambat", "late"],
  roles: ["admin", "head"],
  help: "staff.help.sla",
  menu: "cmdmenu.sla",
  async run({ turn, deps }) {
    const d = deps.reports;
    const rows = await lateNow(dbOf(turn), turn.now, d.calendar ? { calendar: d.calendar } : {});
    turn.reply(text(renderLateList(rows, translatorFor(turn, d))));
  },
});
