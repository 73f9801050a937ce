/**
 * registration_incomplete: the admin found the registration incomplete (SOP step 2) and the client
 * has not completed it: a reminder, then a last one. Sent only while the case is still `incomplete`.
 */
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { writeJson } from "../../db/json-columns.js";
import { addDays } from "../../shared/time.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { cancelReminders, CLIENT_REMINDER_TIME, planReminder, REGISTRATION_LAST_AFTER_DAYS, type ScheduledReminder } from "../reminders.js";
import { caseHeader, clientName } from "./common.js";
import { reminderPayload, type ReminderKind } from "./types.js";

export const ZMissingField = z.enum(["identity_document", "full_name", "nik", "phone", "address", "business", "problem"]);
export type MissingField = z.infer<typeof ZMissingField>;

export const ZRegistrationIncompletePayload = reminderPayload({ stage: z.enum(["first", "last"]), missing: z.array(ZMissingField) });
export type TRegistrationIncompletePayload = z.infer<typeof ZRegistrationIncompletePayload>;

/**
 * A registration found incomplete (SOP step 2): a reminder the next day at 09:00 and a last one
 * three days later. Each checks, when due, that the case is still `incomplete`.
 */
export async function planRegistrationReminders(
  tx: Tx,
  input: {
    caseId: string;
    clientIdentityId: string;
    clientId?: string | null;
    missing: readonly MissingField[];
    /** When the admin (or the intake) found it incomplete. */
    since: Date;
    calendar: OfficeCalendar;
  },
): Promise<ScheduledReminder[]> {
  const first = addDays(input.calendar.localDate(input.since), 1);
  const stages: Array<{ stage: "first" | "last"; date: string }> = [
    { stage: "first", date: first },
    { stage: "last", date: addDays(first, REGISTRATION_LAST_AFTER_DAYS) },
  ];
  const keys = stages.map((s) => `registration_incomplete:${input.caseId}:${input.since.toISOString()}:${s.stage}`);
  await cancelReminders(tx, { caseId: input.caseId, kinds: ["registration_incomplete"], exceptKeys: keys }, "replanned");
  const out: ScheduledReminder[] = [];
  for (const [i, s] of stages.entries()) {
    out.push(
      await planReminder(tx, {
        kind: "registration_incomplete",
        dueAt: input.calendar.at(s.date, CLIENT_REMINDER_TIME),
        identityId: input.clientIdentityId,
        clientId: input.clientId ?? null,
        caseId: input.caseId,
        payloadJson: writeJson(ZRegistrationIncompletePayload, { stage: s.stage, missing: [...input.missing] }),
        idempotencyKey: keys[i]!,
      }),
    );
  }
  return out;
}

export const registrationIncomplete: ReminderKind<TRegistrationIncompletePayload> = {
  kind: "registration_incomplete",
  audience: "client",
  payload: ZRegistrationIncompletePayload,
  async render(ctx) {
    const { tx, reminder, payload, t } = ctx;
    const c = await caseHeader(tx, reminder.caseId);
    if (!c || c.closedAt || c.status !== "incomplete") return ctx.skip("resolved");
    const missing = payload.missing.map((m) => t.t(`reminder.missing.${m}`));
    const recipient = ctx.recipient!;
    const last = payload.stage === "last";
    const params = {
      name: await clientName(tx, reminder, recipient, t),
      regNumber: c.regNumber,
      missing: missing.length > 0 ? missing.join(", ") : t.t("reminder.missing.unspecified"),
    };
    const text = t.t(last ? "reminder.registration.last" : "reminder.registration.first", params);
    return [{ identityId: recipient.id, message: { type: "text", text, params } }];
  },
};
