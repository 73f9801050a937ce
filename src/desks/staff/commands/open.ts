/** buka <nomor>: open a case by its registration number. */
import { caseByReg } from "../../../domain/workflow/case-card.js";
import { WorkflowError } from "../../../domain/workflow/consultation.js";
import { openCase } from "../case-view.js";
import { ALL_ROLES, defineCommand } from "../command.js";

export default defineCommand({
  name: "buka",
  aliases: ["open"],
  roles: ALL_ROLES,
  help: "staff.help.buka",
  menu: "cmdmenu.buka",
  async run({ turn, staff, args, deps }) {
    const c = await caseByReg(turn.tx, args.trim());
    if (!c) throw new WorkflowError("wf.err.no_case");
    return openCase(turn, staff, c.id, deps.reports.regions());
  },
});
