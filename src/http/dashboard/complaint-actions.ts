/**
 * Complaints answered or closed from the dashboard, the one way chat does it (src/domain/complaints/
 * handling.ts) in a turn of the admin's own chat identity (Inbox.runAsStaff): audited the same, the
 * client told the same, and a refusal (answered or closed already) comes back as the same text key.
 */
import { randomUUID } from "node:crypto";
import type { Inbox } from "../../conversation/inbox.js";
import { answerComplaint, closeComplaint, startHandling } from "../../domain/complaints/handling.js";
import { getStaff, type StaffMember } from "../../domain/staff/directory.js";
import { WorkflowError } from "../../domain/workflow/consultation.js";
import type { TurnPort } from "../../domain/port.js";
import type { ComplaintActions, ComplaintOutcome } from "./area.js";

export function complaintActions(inbox: Inbox): ComplaintActions {
  const run = async (staffId: string, what: string, complaintId: string, body: (turn: TurnPort, staff: StaffMember) => Promise<void>): Promise<ComplaintOutcome> => {
    try {
      const r = await inbox.runAsStaff(staffId, `dashboard:complaint:${what}:${complaintId}:${randomUUID()}`, async (turn) => {
        const staff = await getStaff(turn.tx, staffId);
        if (!staff) throw new WorkflowError("staff.not_allowed");
        await body(turn, staff);
        return true;
      });
      return r ? { ok: true } : { ok: false, key: "duty.routing.no_chat", params: {} };
    } catch (e) {
      if (e instanceof WorkflowError) return { ok: false, key: e.textKey, params: e.params };
      throw e;
    }
  };
  return {
    open: (staffId, complaintId) => run(staffId, "open", complaintId, async (turn, staff) => void (await startHandling(turn, staff, complaintId))),
    answer: (staffId, complaintId, text) =>
      run(staffId, "answer", complaintId, async (turn, staff) => {
        await startHandling(turn, staff, complaintId);
        await answerComplaint(turn, staff, complaintId, text);
      }),
    close: (staffId, complaintId) => run(staffId, "close", complaintId, (turn, staff) => closeComplaint(turn, staff, complaintId)),
  };
}
