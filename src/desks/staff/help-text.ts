/** The staff help text, from the command registry: a greeting, one line per command the role may run, a closing note. */
import type { DeskTurn as Turn } from "../desk.js";
import type { Role } from "../../domain/staff/directory.js";
import type { StaffCommand } from "./command.js";

export function staffHelp(turn: Turn, who: { name: string; role: Role }, commands: readonly StaffCommand[]): string {
  const lines = commands.flatMap((c) => (c.help !== undefined && c.roles.includes(who.role) ? [`• ${turn.t(c.help)}`] : []));
  return [turn.t("staff.help.intro", { name: who.name, role: turn.t(`role.${who.role}`) }), ...lines, turn.t(`staff.help.outro.${who.role}`)].join("\n");
}
