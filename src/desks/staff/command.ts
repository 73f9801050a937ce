/**
 * One staff command: the word it is typed as (also its Telegram "/" command), the other words that
 * run it (Indonesian and English), who may run it, the text keys of its help line and of its
 * Telegram menu entry, and what it does. The registry (commands/index.ts) lists them; the desk, the
 * help text and the channel menus all read it.
 */
import type { Tx } from "../../db/client.js";
import type { DeskTurn as Turn } from "../desk.js";
import type { Role, StaffMember } from "../../domain/staff/directory.js";
import type { WorkflowDeps } from "../../domain/workflow/context.js";
import type { LoadedConversations } from "../../flows/load.js";
import type { Texts } from "../../i18n/index.js";
import type { Regions } from "../../flows/questions/region.js";
import type { FileStore } from "../../storage/file-store.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import type { AppointmentDeps } from "../../domain/appointments/index.js";

/** What the report commands need besides the workflow. */
export interface ReportCommandDeps {
  texts: () => Texts;
  regions: () => Regions | undefined;
  files: FileStore;
  key: Buffer;
  tz: string;
  /** A one-time dashboard sign-in link (made by the HTTP side; the desks do not import it). */
  loginLink(tx: Tx, staffId: string, now: Date): Promise<string>;
  calendar?: OfficeCalendar;
}

export interface StaffDeskDeps {
  workflow: WorkflowDeps;
  reports: ReportCommandDeps;
  /** The flows the staff's multi-step inputs run as. */
  conversations: () => LoadedConversations;
  /** Appointments: the office calendar and the reminders they plan. */
  appointments: AppointmentDeps;
}

export interface CommandContext {
  turn: Turn;
  staff: StaffMember;
  /** What follows the command word, as typed. */
  args: string;
  deps: StaffDeskDeps;
  /** The whole registry, for the help text. */
  commands: readonly StaffCommand[];
}

export interface StaffCommand {
  /** Lowercase a-z, as Telegram wants its commands. */
  name: string;
  aliases: readonly string[];
  roles: readonly Role[];
  /** Text key of its line in the help text; none for the words that only show the help. */
  help?: string;
  /** Text key of its description in the channel's command menu; none keeps it out of the menu. */
  menu?: string;
  run(ctx: CommandContext): Promise<void>;
}

export const ALL_ROLES: readonly Role[] = ["admin", "consultant", "head"];

export function defineCommand(c: StaffCommand): StaffCommand {
  return c;
}
