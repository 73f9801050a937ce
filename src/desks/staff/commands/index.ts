/**
 * The staff's command registry: one file per command in this folder, listed here in the order the
 * help text shows them. A word is looked up by name or alias, folded (case, accents, a leading "/").
 */
import type { Role } from "../../../domain/staff/directory.js";
import { foldCommand } from "../../../shared/fold.js";
import type { StaffCommand } from "../command.js";
import help from "./help.js";
import myCases from "./my-cases.js";
import open from "./open.js";
import cases from "./cases.js";
import share from "./share.js";
import search from "./search.js";
import consultants from "./consultants.js";
import late from "./late.js";
import report from "./report.js";
import dashboard from "./dashboard.js";
import invite from "./invite.js";
import autoAssign from "./auto-assign.js";
import availability from "./availability.js";
import appointments from "./appointments.js";
import announcement, { attendance } from "./announcement.js";

export const STAFF_COMMANDS: readonly StaffCommand[] = [help, myCases, open, cases, share, search, consultants, late, report, dashboard, invite, autoAssign, availability, appointments, announcement, attendance];

const byWord = new Map<string, StaffCommand>();
for (const c of STAFF_COMMANDS) {
  for (const w of [c.name, ...c.aliases]) {
    if (byWord.has(w)) throw new Error(`staff command word "${w}" is used twice`);
    byWord.set(w, c);
  }
}

/** The command a typed word names ("/kasus", "Kasus" and "cases" all name kasus), if any. */
export function findCommand(word: string): StaffCommand | undefined {
  return byWord.get(foldCommand(word).replace(/^\//, ""));
}

/** What a role's channel menu offers (Telegram's "/" list): command and description key, in registry order. */
export function menuCommandsFor(role: Role): Array<{ command: string; descriptionKey: string }> {
  return STAFF_COMMANDS.flatMap((c) => (c.menu !== undefined && c.roles.includes(role) ? [{ command: c.name, descriptionKey: c.menu }] : []));
}
