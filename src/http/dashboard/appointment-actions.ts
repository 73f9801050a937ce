/**
 * Moving and cancelling an appointment from the dashboard, the way chat does it: in a turn of the
 * staff member's own chat identity (Inbox.runAsStaff), so the client and the consultant are told
 * in their chats, the control card and the audit log get their lines, and a refusal (a past hour,
 * outside office hours, taken meanwhile) comes back as the same text key with the next free slots.
 */
import { randomUUID } from "node:crypto";
import type { Inbox } from "../../conversation/inbox.js";
import { AppointmentError, cancelAppointment, moveAppointmentTo, offerToWaitingClients, setAvailability, type AppointmentDeps, type AvailabilityWindow } from "../../domain/appointments/index.js";
import { getStaff } from "../../domain/staff/directory.js";
import type { AppointmentActions, AppointmentOutcome } from "./area.js";

export function appointmentActions(inbox: Inbox, deps: AppointmentDeps): AppointmentActions {
  const run = async (staffId: string, cause: string, body: Parameters<Inbox["runAsStaff"]>[2]): Promise<AppointmentOutcome> => {
    try {
      const done = await inbox.runAsStaff(staffId, `dashboard:${cause}:${randomUUID()}`, body);
      if (done === null) return { ok: false, key: "appt.dash.no_chat", params: {}, next: [] };
      return { ok: true };
    } catch (e) {
      if (e instanceof AppointmentError) return { ok: false, key: e.textKey, params: e.params, next: e.next };
      throw e;
    }
  };
  const actor = async (tx: Parameters<typeof getStaff>[0], staffId: string) => {
    const staff = await getStaff(tx, staffId);
    if (!staff) throw new AppointmentError("appt.err.not_yours");
    return { type: "staff" as const, staff };
  };
  return {
    move: (staffId, appointmentId, at) =>
      run(staffId, `appointment-move:${appointmentId}`, async (turn) => {
        await moveAppointmentTo(turn, deps, await actor(turn.tx, staffId), appointmentId, at);
        return true;
      }),
    cancel: (staffId, appointmentId, reason) =>
      run(staffId, `appointment-cancel:${appointmentId}`, async (turn) => {
        await cancelAppointment(turn, deps, await actor(turn.tx, staffId), appointmentId, reason);
        return true;
      }),
    saveAvailability: async (staffId: string, windows: AvailabilityWindow[]) =>
      (await inbox.runAsStaff(staffId, `dashboard:availability:${randomUUID()}`, async (turn) => {
        await setAvailability(turn.tx, staffId, windows, turn.now);
        turn.audit({ action: "availability.set", entity: "Staff", entityId: staffId, detail: { windows: windows.length, via: "dashboard" } });
        await offerToWaitingClients(turn, deps, staffId);
        return true;
      })) === true,
  };
}
