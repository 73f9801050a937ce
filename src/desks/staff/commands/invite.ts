/** undang <admin|konsultan|kepala> <nama ...> [bidang a,b]: an admin invites a staff member with a one-time code. */
import { text } from "../../../messaging/text.js";
import { ZRole, type Role } from "../../../domain/staff/directory.js";
import { createInvite } from "../../../domain/staff/invites.js";
import { foldCommand } from "../../../shared/fold.js";
import { defineCommand } from "../command.js";

const ROLE_WORDS: Record<string, Role> = { admin: "admin", konsultan: "consultant", consultant: "consultant", kepala: "head", head: "head" };

export default defineCommand({
  name: "undang",
  aliases: ["invite"],
  roles: ["admin"],
  help: "staff.help.undang",
  menu: "cmdmenu.undang",
  async run({ turn, staff, args, deps }) {
    const m = /^(\S+)\s+(.+?)(?:\s+bidang[:\s]+(.+))?$/i.exec(args.trim());
    const role = m?.[1] ? ROLE_WORDS[foldCommand(m[1])] : undefined;
    if (!m || !role) {
      turn.reply(text(turn.t("staff.invite_usage")));
      return;
    }
    const known = new Set(deps.workflow.setup().areas.areas.map((a) => a.code));
    const areas = (m[3] ?? "").split(/[,\s]+/).map((a) => foldCommand(a)).filter((a) => a !== "");
    const unknown = areas.filter((a) => !known.has(a));
    if (unknown.length > 0 || (role === "consultant" && areas.length === 0)) {
      turn.reply(text(turn.t("staff.invite_areas", { areas: [...known].join(", ") })));
      return;
    }
    const name = m[2]!.trim();
    const { code, expiresAt } = await createInvite(turn.tx, { role: ZRole.parse(role), name, areas, createdById: staff.id, now: turn.now });
    turn.audit({ action: "staff.invite", entity: "StaffInvite", detail: { role, areas } });
    const hours = Math.round((expiresAt.getTime() - turn.now.getTime()) / 3600_000);
    turn.reply(text(turn.t("staff.invite_created", { code, name, role: turn.t(`role.${role}`), hours })));
  },
});
