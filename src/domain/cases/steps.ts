/**
 * The 11 steps of the service standard (Standar Pelayanan, UPT PLUT-KUMKM Gianyar) with their
 * standard times: 175 minutes in all. Names a person reads are text keys (`step.<n>`).
 */
export interface SopStep {
  step: number;
  code: string;
  /** Who acts: the clock of a step waiting on the client is not charged to the office. */
  actor: "client" | "admin" | "consultant" | "admin_consultant" | "admin_head";
  standardMinutes: number;
}

export const SOP_STEPS: readonly SopStep[] = [
  { step: 1, code: "registration", actor: "client", standardMinutes: 3 },
  { step: 2, code: "completeness_check", actor: "admin", standardMinutes: 7 },
  { step: 3, code: "assessment_routing", actor: "admin", standardMinutes: 15 },
  { step: 4, code: "consultation", actor: "consultant", standardMinutes: 20 },
  { step: 5, code: "action_plan", actor: "client", standardMinutes: 10 },
  { step: 6, code: "monitoring", actor: "consultant", standardMinutes: 45 },
  { step: 7, code: "referral", actor: "consultant", standardMinutes: 5 },
  { step: 8, code: "final_report", actor: "consultant", standardMinutes: 45 },
  { step: 9, code: "control_card", actor: "admin_consultant", standardMinutes: 10 },
  { step: 10, code: "archive", actor: "admin", standardMinutes: 10 },
  { step: 11, code: "report_to_head", actor: "admin_head", standardMinutes: 5 },
] as const;

export function sopStep(n: number): SopStep {
  const s = SOP_STEPS.find((x) => x.step === n);
  if (!s) throw new Error(`no SOP step ${n}`);
  return s;
}

/** Case statuses and the step each belongs to. The status text a person reads is `status.<status>`. */
export const CASE_STATUSES = {
  submitted: 1,
  incomplete: 2,
  awaiting_routing: 3,
  awaiting_acceptance: 4,
  in_consultation: 4,
  action_plan: 5,
  monitoring: 6,
  referred: 7,
  final_report: 8,
  control_card: 9,
  closed: 10,
  reported: 11,
} as const;
export type CaseStatus = keyof typeof CASE_STATUSES;
