/**
 * registration_incomplete: the admin found the registration incomplete (SOP step 2) and the client
 * has not completed it: a reminder, then a last one. Sent only while the case is still `incomplete`.
 */
import { ZMissingField } from "../reminders.js";
import { caseHeader, clientName } from "./common.js";
import type { ReminderKind } from "./types.js";

export const registrationIncomplete: ReminderKind = {
  kind: "registration_incomplete",
  audience: "client",
  async render(ctx) {
    const { tx, reminder, t } = ctx;
    const c = await caseHeader(tx, reminder.caseId);
    if (!c || c.closedAt || c.status !== "incomplete") return ctx.skip("resolved");
    const missing = (Array.isArray(reminder.payload.missing) ? reminder.payload.missing : [])
      .map((m) => ZMissingField.safeParse(m))
      .filter((r) => r.success)
      .map((r) => t.t(`reminder.missing.${r.data}`));
    const recipient = ctx.recipient!;
    const last = reminder.payload.stage === "last";
    const params = {
      name: await clientName(tx, reminder, recipient, t),
      regNumber: c.regNumber,
      missing: missing.length > 0 ? missing.join(", ") : t.t("reminder.missing.unspecified"),
    };
    const text = t.t(last ? "reminder.registration.last" : "reminder.registration.first", params);
    return [{ identityId: recipient.id, message: { type: "text", text, params } }];
  },
};
