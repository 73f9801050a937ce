/** bagikan <nomor> <nama konsultan>: an admin shares a case with another consultant (read only). */
import { text } from "../../../messaging/text.js";
import { caseByReg } from "../../../domain/workflow/case-card.js";
import { shareCase } from "../../../domain/workflow/consultation.js";
import { foldCommand } from "../../../shared/fold.js";
import { defineCommand } from "../command.js";

export default defineCommand({
  name: "bagikan",
  aliases: ["share"],
  roles: ["admin"],
  help: "staff.help.bagikan",
  menu: "cmdmenu.bagikan",
  async run({ turn, staff, args }) {
    const m = /^(\S+)\s+(.+)$/.exec(args.trim());
    const c = m ? await caseByReg(turn.tx, m[1]!) : null;
    if (!m || !c) {
      turn.reply(text(turn.t("staff.share_usage")));
      return;
    }
    const consultants = await turn.tx.staff.findMany({ where: { role: "consultant", active: true } });
    const wanted = foldCommand(m[2]!);
    const hits = consultants.filter((k) => foldCommand(k.name).includes(wanted));
    if (hits.length !== 1) {
      turn.reply(text(turn.t("staff.share_pick", { names: consultants.map((k) => k.name).join(", ") })));
      return;
    }
    return shareCase(turn, staff, c.id, hits[0]!.id);
  },
});
