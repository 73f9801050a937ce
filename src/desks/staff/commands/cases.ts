/** kasus [status] [bidang] [konsultan ...]: the case list for admins and the head. */
import { text } from "../../../messaging/text.js";
import { findConsultants, listCases, parseCaseFilterArgs, renderCaseList } from "../../../domain/reports/index.js";
import { defineCommand } from "../command.js";
import { dbOf, translatorFor } from "./report-support.js";

export default defineCommand({
  name: "kasus",
  aliases: ["cases"],
  roles: ["admin", "head"],
  help: "staff.help.kasus",
  menu: "cmdmenu.kasus",
  async run({ turn, args, deps }) {
    const d = deps.reports;
    const filter = parseCaseFilterArgs(args);
    if (filter.consultantQuery) {
      const [c] = await findConsultants(dbOf(turn), filter.consultantQuery);
      if (c) filter.consultantId = c.id;
    }
    const result = await listCases(dbOf(turn), filter, { lookupKey: d.key });
    turn.reply(text(renderCaseList(result, translatorFor(turn, d), { tz: d.tz, regions: d.regions() })));
  },
});
