/**
 * A consultant's weekly availability as typed in chat: read, checked against the office's days and
 * hours, saved, and shown back. Shared by the `jadwal` command (typed after the word) and its flow
 * (appointment_availability, typed after the prompt).
 */
import type { DeskTurn as Turn } from "../desk.js";
import { text } from "../../messaging/text.js";
import type { StaffMember } from "../../domain/staff/directory.js";
import { availabilityOf, checkAgainstOffice, offerToWaitingClients, parseAvailability, setAvailability, type AppointmentDeps, type AvailabilityProblem, type AvailabilityWindow } from "../../domain/appointments/index.js";
import { clockTime } from "../../i18n/index.js";

/** "Senin 09.00–12.00" per line, or "belum ada". */
export function describeWeek(turn: Turn, windows: readonly AvailabilityWindow[]): string {
  if (windows.length === 0) return turn.t("appt.avail.none");
  const hm = (s: string) => clockTime(Number(s.slice(0, 2)), Number(s.slice(3, 5)), turn.lang);
  return windows.map((w) => turn.t("appt.avail.line", { day: turn.t(`appt.weekday.${w.weekday}`), start: hm(w.start), end: hm(w.end) })).join("\n");
}

function problemText(turn: Turn, p: AvailabilityProblem): string {
  const params = { ...p.params };
  if (typeof params.day === "number") params.day = turn.t(`appt.weekday.${params.day}`);
  return [turn.t(p.key, params), turn.t("appt.avail.example_line", { example: turn.t("appt.avail.example") })].join("\n");
}

/** Saves what was typed; a problem is explained and nothing changes. True when saved. */
export async function applyAvailability(turn: Turn, deps: AppointmentDeps, staff: StaffMember, typed: string): Promise<boolean> {
  const calendar = deps.calendar;
  const t = turn.translator();
  const weekday = (w: string) => [1, 2, 3, 4, 5, 6, 7].find((d) => t.words(`appt.weekday.${d}.words`).includes(w));
  const parsed = parseAvailability(typed, weekday, t.words("appt.avail.clear.words"));
  const problem = parsed.ok ? checkAgainstOffice(parsed.windows, calendar) : parsed.problem;
  if (!parsed.ok || problem) {
    turn.reply(text(problemText(turn, problem ?? { key: "appt.avail.usage" })));
    return false;
  }
  await setAvailability(turn.tx, staff.id, parsed.windows, turn.now);
  turn.audit({ action: "availability.set", entity: "Staff", entityId: staff.id, detail: { windows: parsed.windows.length } });
  turn.reply(text([turn.t("appt.avail.saved"), describeWeek(turn, await availabilityOf(turn.tx, staff.id))].join("\n")));
  // Clients of accepted cases who were told the consultant would propose a time get slots now.
  await offerToWaitingClients(turn, deps, staff.id);
  return true;
}
