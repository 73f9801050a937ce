/** konsultan: each consultant's open cases and what is late. */
import { text } from "../../../messaging/text.js";
import { consultantLoad, renderConsultantLoad } from "../../../domain/reports/index.js";
import { defineCommand } from "../command.js";
import { dbOf, translatorFor } from "./report-support.js";

export default defineCommand({
  name: "konsultan",
  aliases: ["consultants"],
  roles: ["admin", "head"],
  help: "staff.help.konsultan",
  menu: "cmdmenu.konsultan",
  async run({ turn, deps }) {
    const d = deps.reports;
    const load = await consultantLoad(dbOf(turn), turn.now, { tz: d.tz, ...(d.calendar ? { calendar: d.calendar } : {}) });
    turn.reply(text(renderConsultantLoad(load, translatorFor(turn, d))));
  },
});
