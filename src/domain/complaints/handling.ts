/**
 * Complaints (Pengaduan Layanan) handled by the office: an admin or the head answers one, the client
 * receives the answer in their own language, and the complaint is closed by the client ("sudah
 * selesai") or by an admin. The states:
 *
 *   new -> being_handled (an admin started answering it) -> answered -> closed
 *
 * The same functions serve the chat buttons and the dashboard, so both refuse the same things with
 * the same words: an answer to a complaint that is already answered or closed names its state.
 * Every change is audited.
 */
import type { TurnPort } from "../port.js";
import type { StaffMember } from "../staff/directory.js";
import { WorkflowError } from "../workflow/consultation.js";
import { encodeButton } from "../buttons.js";
import { text } from "../../messaging/text.js";

export const COMPLAINT_STATES = ["new", "being_handled", "answered", "closed"] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

/** Who answers complaints: the office's admins and its head. */
const HANDLERS: readonly StaffMember["role"][] = ["admin", "head"];

/** The short reference people read ("#a1b2c3"): the end of the row id, as in the admins' notice. */
export const complaintRef = (id: string) => id.slice(-6);

function requireHandler(staff: StaffMember): void {
  if (!HANDLERS.includes(staff.role)) throw new WorkflowError("staff.not_allowed");
}

async function load(turn: TurnPort, complaintId: string) {
  const c = await turn.tx.complaint.findUnique({ where: { id: complaintId } });
  if (!c) throw new WorkflowError("duty.complaint.err.none");
  return c;
}

/** Refuses an answer to a complaint that is past answering, naming its state in the reader's language. */
function refuseIfDone(turn: TurnPort, c: { id: string; status: string }): void {
  if (c.status === "answered" || c.status === "closed") {
    throw new WorkflowError("duty.complaint.err.done", { id: complaintRef(c.id), state: turn.t(`duty.complaint.state.${c.status}`) });
  }
}

/**
 * An admin starts answering (taps "Jawab", or opens it on the dashboard): a new complaint becomes
 * being handled. Refused when it was already answered or closed, before anything is typed.
 */
export async function startHandling(turn: TurnPort, staff: StaffMember, complaintId: string): Promise<{ id: string; text: string; status: string }> {
  requireHandler(staff);
  const c = await load(turn, complaintId);
  refuseIfDone(turn, c);
  if (c.status === "new") {
    await turn.tx.complaint.update({ where: { id: c.id }, data: { status: "being_handled" } });
    turn.audit({ action: "complaint.handle", entity: "Complaint", entityId: c.id });
  }
  return { id: c.id, text: c.text, status: c.status === "new" ? "being_handled" : c.status };
}

/** The answer: stored, sent to the client in their language with a "resolved" button, audited. */
export async function answerComplaint(turn: TurnPort, staff: StaffMember, complaintId: string, answer: string): Promise<void> {
  requireHandler(staff);
  const body = answer.trim();
  if (body.length === 0) throw new WorkflowError("duty.complaint.err.empty");
  const c = await load(turn, complaintId);
  refuseIfDone(turn, c);
  // Only a row still open for answers is written: a second admin answering at the same moment gets the refusal.
  const done = await turn.tx.complaint.updateMany({
    where: { id: c.id, status: { in: ["new", "being_handled"] } },
    data: { status: "answered", response: body, answeredAt: turn.now, answeredById: staff.id },
  });
  if (done.count !== 1) throw new WorkflowError("duty.complaint.err.done", { id: complaintRef(c.id), state: turn.t("duty.complaint.state.answered") });
  turn.audit({ action: "complaint.answer", entity: "Complaint", entityId: c.id, detail: { caseId: c.caseId } });
  await turn.tell(c.identityId, "duty.complaint.answer_to_client", { id: complaintRef(c.id), answer: body }, [
    { id: encodeButton({ kind: "complaint", complaintId: c.id, action: "resolved" }), key: "duty.complaint.resolved_button" },
  ]);
  turn.reply(text(turn.t("duty.complaint.answered", { id: complaintRef(c.id) })));
}

/** An admin closes a complaint (answered, or settled by telephone). Refused when it is already closed. */
export async function closeComplaint(turn: TurnPort, staff: StaffMember, complaintId: string): Promise<void> {
  requireHandler(staff);
  const c = await load(turn, complaintId);
  if (c.status === "closed") throw new WorkflowError("duty.complaint.err.closed", { id: complaintRef(c.id) });
  await turn.tx.complaint.update({ where: { id: c.id }, data: { status: "closed", closedAt: turn.now } });
  turn.audit({ action: "complaint.close", entity: "Complaint", entityId: c.id, detail: { by: "staff", from: c.status } });
  turn.reply(text(turn.t("duty.complaint.closed", { id: complaintRef(c.id) })));
}

/**
 * The client says the answer settled it. Only their own complaint, and only once answered: a tap
 * on an old button of a closed complaint just says it is closed.
 */
export async function resolveByClient(turn: TurnPort, complaintId: string): Promise<void> {
  const c = await turn.tx.complaint.findUnique({ where: { id: complaintId } });
  if (!c || c.identityId !== turn.identity.id) {
    turn.reply(text(turn.t("duty.complaint.client_unknown")));
    return;
  }
  if (c.status !== "answered") {
    turn.reply(text(turn.t(c.status === "closed" ? "duty.complaint.client_already_closed" : "duty.complaint.client_not_answered")));
    return;
  }
  await turn.tx.complaint.update({ where: { id: c.id }, data: { status: "closed", closedAt: turn.now } });
  turn.audit({ action: "complaint.close", entity: "Complaint", entityId: c.id, detail: { by: "client" } });
  turn.reply(text(turn.t("duty.complaint.client_thanks")));
}
