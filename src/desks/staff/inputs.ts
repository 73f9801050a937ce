/**
 * What a staff member types after tapping a button (a diagnosis, the final report in three parts, a
 * monitoring date ...) runs as a flow of conversations/flows/staff_*.yaml in the same engine as the
 * clients' forms: the desk starts the flow with its vars, passes the staff member's text to it, and
 * when the flow completes applies its answers with the same workflow functions as before.
 */
import type { DeskTurn as Turn } from "../desk.js";
import { text } from "../../messaging/text.js";
import { step } from "../../flows/engine.js";
import type { Effect } from "../../flows/effects.js";
import type { EngineMessage, PersonContext } from "../../flows/model.js";
import type { SessionState } from "../../flows/session.js";
import { addNote, askPlanChanges, evaluate, refer, scheduleMonitoring } from "../../domain/workflow/consultation.js";
import { consultantWrites, unfocus } from "../../domain/workflow/relay.js";
import { writeFinalReport } from "../../domain/workflow/closing.js";
import { answerComplaint } from "../../domain/complaints/handling.js";
import type { StaffMember } from "../../domain/staff/directory.js";
import { z } from "zod";
import type { StaffDeskDeps } from "./command.js";
import { applyAvailability } from "./availability.js";

/** The flow each case button that asks for text starts. */
export const INPUT_FLOWS = {
  diagnosis: "staff_diagnosis",
  note: "staff_note",
  prescription: "staff_prescription",
  message: "staff_message",
  evaluate: "staff_evaluation",
  monitor: "staff_monitoring_date",
  report: "staff_final_report",
} as const;

export type InputFlowId = (typeof INPUT_FLOWS)[keyof typeof INPUT_FLOWS] | "staff_referral" | "staff_plan_changes" | "appointment_availability" | "staff_complaint_answer";

function person(turn: Turn): PersonContext {
  // Staff flows ask for no consent and look nothing up on file: the person is the staff member.
  return { language: turn.lang, hasConsent: true, isClient: false, remindersOn: true };
}

/** Starts a staff flow, replacing any input left unfinished (as a new tap always did). */
export async function startInput(turn: Turn, deps: StaffDeskDeps, flowId: InputFlowId, vars: Record<string, string>): Promise<void> {
  await unfocus(turn, turn.identity.id);
  await run(turn, deps, null, { type: "start", flowId, vars });
}

/** The staff member's input flow, when one is waiting for their text. */
export async function openInput(turn: Turn): Promise<SessionState | null> {
  const { engine } = await turn.readSession(turn.identity.id);
  return engine && engine.expiredAt === null ? engine : null;
}

export async function cancelInput(turn: Turn): Promise<void> {
  await unfocus(turn, turn.identity.id);
  await turn.writeSession(turn.identity.id, { engine: null });
  turn.reply(text(turn.t("staff.cancelled")));
}

/**
 * The scheduler's nudge and expiry for an input left half typed. Staff are not nudged (the nudge is
 * only marked as done, so it is not due again); an expired input is forgotten without a word.
 */
export async function onSilence(turn: Turn, kind: "nudge" | "expire"): Promise<void> {
  const input = await openInput(turn);
  if (!input) return;
  // The staff member may have typed since the job looked: only a silence that is still due counts.
  const row = await turn.readSession(turn.identity.id);
  const due = kind === "nudge" ? row.nudgeDueAt : row.expireDueAt;
  if (!due || due > turn.now) return;
  if (kind === "expire") await turn.writeSession(turn.identity.id, { engine: null });
  else if (!input.nudged) await turn.writeSession(turn.identity.id, { engine: { ...input, nudged: true } });
}

/** One step of the open input flow; completes it with the workflow when the last answer came. */
export async function continueInput(turn: Turn, deps: StaffDeskDeps, staff: StaffMember, session: SessionState, message: EngineMessage): Promise<void> {
  const effects = await run(turn, deps, session, message);
  for (const e of effects) if (e.type === "submitted") await complete(turn, deps, staff, e);
}

async function run(turn: Turn, deps: StaffDeskDeps, session: SessionState | null, message: EngineMessage): Promise<Effect[]> {
  const result = step({ conversations: deps.conversations(), session, message, person: person(turn), now: turn.now });
  for (const reply of result.replies) turn.reply(reply);
  await turn.writeSession(turn.identity.id, { engine: result.session });
  return result.effects;
}

const ZVars = z.object({ caseId: z.string().min(1) });
const str = (v: unknown) => (typeof v === "string" ? v : "");

async function complete(turn: Turn, deps: StaffDeskDeps, staff: StaffMember, e: Extract<Effect, { type: "submitted" }>): Promise<void> {
  const wf = deps.workflow;
  switch (e.action) {
    case "diagnosis":
    case "note":
    case "prescription":
      return addNote(turn, staff, ZVars.parse(e.vars).caseId, e.action, str(e.data["note.text"]));
    case "client_message":
      return consultantWrites(turn, staff, ZVars.parse(e.vars).caseId, { text: str(e.data["relay.text"]) });
    case "evaluation":
      return evaluate(turn, staff, ZVars.parse(e.vars).caseId, str(e.data["evaluation.text"]));
    case "monitoring_date":
      return scheduleMonitoring(turn, wf, staff, ZVars.parse(e.vars).caseId, z.string().parse(e.data["monitoringVisit.date"]));
    case "referral": {
      const v = ZVars.extend({ areaCode: z.string().min(1) }).parse(e.vars);
      return refer(turn, wf, staff, v.caseId, v.areaCode, str(e.data["referral.reason"]));
    }
    case "complaint_answer":
      return answerComplaint(turn, staff, z.object({ complaintId: z.string().min(1) }).parse(e.vars).complaintId, str(e.data["complaint.response"]));
    case "plan_changes":
      return askPlanChanges(turn, wf, staff, z.object({ planId: z.string().min(1) }).parse(e.vars).planId, str(e.data["actionPlan.changes"]));
    case "final_report":
      return writeFinalReport(turn, wf, staff, ZVars.parse(e.vars).caseId, {
        summary: str(e.data["finalReport.summary"]),
        results: str(e.data["finalReport.results"]),
        recommendations: str(e.data["finalReport.recommendations"]),
      });
    case "availability":
      // Refused (a day the office is closed, hours outside office hours): asked again, nothing saved.
      if (!(await applyAvailability(turn, deps.appointments, staff, str(e.data["availability.text"])))) await startInput(turn, deps, "appointment_availability", {});
      return;
    default:
      throw new Error(`staff flow ${e.flowId} submitted an action the staff desk does not know: ${e.action}`);
  }
}
