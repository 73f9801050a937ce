/** kasusku: a consultant's open cases (their own and shared with them); admins and the head see all. */
import { text } from "../../../messaging/text.js";
import { encodeButton } from "../../../domain/buttons.js";
import { ALL_ROLES, defineCommand } from "../command.js";

export default defineCommand({
  name: "kasusku",
  aliases: ["mycases"],
  roles: ALL_ROLES,
  help: "staff.help.kasusku",
  menu: "cmdmenu.kasusku",
  async run({ turn, staff }) {
    const mine = staff.role === "consultant" ? { OR: [{ consultantId: staff.id }, { shares: { some: { staffId: staff.id } } }] } : {};
    const cases = await turn.tx.consultationCase.findMany({
      where: { closedAt: null, ...mine },
      orderBy: { createdAt: "asc" },
      take: 10,
      include: { client: { select: { fullName: true } } },
    });
    if (cases.length === 0) {
      turn.reply(text(turn.t("staff.no_cases")));
      return;
    }
    const buttons = cases.map((c) => ({ id: encodeButton({ kind: "case", caseId: c.id, action: "open" }), label: `${c.regNumber} · ${c.client.fullName}`.slice(0, 60) }));
    turn.reply(text(turn.t("staff.my_cases", { count: cases.length }), buttons));
  },
});
