/**
 * The registry of reminder kinds: one file per kind (its payload schema, its plan and its
 * rendering). tests/scheduler/kinds.test.ts covers each.
 */
import { REMINDER_KINDS } from "../reminders.js";
import { actionItemDue } from "./action-item-due.js";
import { appointmentReminder, appointmentReminderStaff } from "./appointment-reminder.js";
import { consultantDigest } from "./consultant-digest.js";
import { impactFollowup } from "./impact-followup.js";
import { complaintOverdue } from "./complaint-overdue.js";
import { adminDigest } from "./admin-digest.js";
import { announcementEventKind, announcementKind, announcementPromotedKind } from "./announcement.js";
import { monitoringCheckin } from "./monitoring-checkin.js";
import { monitoringToday } from "./monitoring-today.js";
import { registrationIncomplete } from "./registration-incomplete.js";
import { slaAdminConfirm } from "./sla-admin-confirm.js";
import { slaConsultantAccept } from "./sla-consultant-accept.js";
import { slaStep } from "./sla-step.js";
import type { ReminderKind } from "./types.js";

export type { ReminderKind, RenderContext, RenderedMessage, ReminderRow, Recipient } from "./types.js";
export { planActionItemReminders, ZActionItemDuePayload, type TActionItemDuePayload } from "./action-item-due.js";
export { planConsultantDigests } from "./consultant-digest.js";
export { planImpactFollowups } from "./impact-followup.js";
export { APPOINTMENT_KINDS, cancelAppointmentReminders, planAppointmentReminders, ZAppointmentReminderPayload } from "./appointment-reminder.js";
export { planComplaintOverdue, complaintDeadline } from "./complaint-overdue.js";
export { planAdminDigests } from "./admin-digest.js";
export { cancelChoice, rsvpChoices } from "./announcement.js";
export { planMonitoringReminders } from "./monitoring-checkin.js";
export { planMonitoringToday } from "./monitoring-today.js";
export { planRegistrationReminders, ZMissingField, type MissingField } from "./registration-incomplete.js";
export { planSlaReminders, SLA_KIND_OF_STEP } from "./sla-common.js";
export { planStepEscalations } from "./sla-step.js";

export const REMINDER_KIND_DEFS: readonly ReminderKind[] = [
  registrationIncomplete,
  actionItemDue,
  monitoringCheckin,
  monitoringToday,
  slaAdminConfirm,
  slaConsultantAccept,
  slaStep,
  consultantDigest,
  impactFollowup,
  appointmentReminder,
  appointmentReminderStaff,
  complaintOverdue,
  adminDigest,
  announcementKind,
  announcementPromotedKind,
  announcementEventKind,
];

export function kindRegistry(kinds: readonly ReminderKind[] = REMINDER_KIND_DEFS): ReadonlyMap<string, ReminderKind> {
  const map = new Map<string, ReminderKind>();
  for (const k of kinds) {
    if (map.has(k.kind)) throw new Error(`reminder kind ${k.kind} is registered twice`);
    map.set(k.kind, k);
  }
  return map;
}

// Every name in REMINDER_KINDS has a definition (and nothing else is registered by default).
const registered = new Set(REMINDER_KIND_DEFS.map((k) => k.kind));
for (const k of REMINDER_KINDS) if (!registered.has(k)) throw new Error(`reminder kind ${k} has no definition in src/scheduler/kinds`);
