/**
 * The ids of every button the office sends (to staff, and to clients outside a flow), through one
 * codec: `encodeButton({ kind: "case", caseId, action: "accept" })` -> "c:<caseId>:accept", and
 * `decodeButton(id)` back to the typed value, or null for an id that is not the office's (the
 * engine's own "menu:", "ctl:" ... ids, a button from an older release). Here in the domain because
 * the workflow writes the buttons and the desks read them.
 *
 * Telegram allows 64 bytes of callback_data; every id is checked against it when encoded.
 */
import { z } from "zod";

export const MAX_BUTTON_ID_BYTES = 64;

/** Row ids (cuid) and codes: no ":" or "." inside, so the parts split cleanly. */
const ZRef = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const ZCode = z.string().regex(/^[a-z0-9_]{1,30}$/);

/** What a staff member can do to a case with one tap. */
export const CASE_ACTIONS = [
  "open", "doc", "accept", "areas", "diagnosis", "note", "prescription", "message", "evaluate", "monitor",
  "services", "plan", "refer", "report", "card", "close",
  /** Evaluate before the client reported progress, after seeing what was reported so far. */
  "evaluate_now",
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const REMINDER_ANSWERS = ["done", "not_yet", "help"] as const;
export const APPOINTMENT_ACTIONS = ["move", "cancel"] as const;

export const COMPLAINT_ACTIONS = ["answer", "close", "resolved"] as const;
export const RSVP_BUTTON_ANSWERS = ["yes", "no", "cancel"] as const;
/**
 * Admin composing an announcement: open a picker (sector, kec, area, status), flip one value in it
 * (ts, tk, ta, tc + the code), everyone (all), the count and confirmation (count), send, drop;
 * staff recording attendance: att + the client's id flips "came".
 */
export const ANNOUNCE_ACTIONS = ["sector", "kec", "area", "status", "ts", "tk", "ta", "tc", "all", "count", "send", "drop", "att", "stop", "stopok"] as const;

export const ZButton = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("case"), caseId: ZRef, action: z.enum(CASE_ACTIONS) }),
  /** Admin: confirm the router's area, or another one picked from the list. */
  z.object({ kind: z.literal("route"), caseId: ZRef, area: ZCode, overridden: z.boolean() }),
  z.object({ kind: z.literal("refer_to"), caseId: ZRef, area: ZCode }),
  /**
   * The services picker carries its own selection (a bitmask over the office's service list), so
   * no state waits between taps: `toggle` flips one service, no toggle means "done".
   */
  z.object({ kind: z.literal("services"), caseId: ZRef, selected: z.number().int().min(0).max(2 ** 30), toggle: ZCode.optional() }),
  z.object({ kind: z.literal("plan"), planId: ZRef, action: z.enum(["agree", "changes"]) }),
  /** Client: "reply to the consultant" under a relayed message. */
  z.object({ kind: z.literal("reply"), caseId: ZRef }),
  z.object({ kind: z.literal("deletion"), requestId: ZRef, decision: z.enum(["confirm", "reject"]) }),
  /** Client: their answer to the final report and BAP sent to them. */
  z.object({ kind: z.literal("bap"), reportId: ZRef, answer: z.enum(["agree", "missing"]) }),
  z.object({ kind: z.literal("reminder"), reminderId: ZRef, answer: z.enum(REMINDER_ANSWERS) }),
  /** Client: start the impact follow-up now, or not this time. */
  z.object({ kind: z.literal("impact"), followupId: ZRef, answer: z.enum(["start", "decline"]) }),
  /** Client under the monitoring check-in (SOP step 6): open the progress report form now. */
  z.object({ kind: z.literal("monitoring"), visitId: ZRef, action: z.literal("report") }),
  /** Client: one slot of an appointment offer (its start as whole minutes since the epoch). */
  z.object({ kind: z.literal("slot"), offerId: ZRef, startMinute: z.number().int().min(0).max(36 ** 7) }),
  /** Client or consultant: move or cancel a booked appointment. */
  z.object({ kind: z.literal("appointment"), appointmentId: ZRef, action: z.enum(APPOINTMENT_ACTIONS) }),
  /** Admin under a complaint notice: answer or close it; client under the answer: "it is resolved". */
  z.object({ kind: z.literal("complaint"), complaintId: ZRef, action: z.enum(COMPLAINT_ACTIONS) }),
  /** Client under an announcement: "Ikut" (yes), "Tidak bisa" (no), or give a place back (cancel). */
  z.object({ kind: z.literal("rsvp"), announcementId: ZRef, answer: z.enum(RSVP_BUTTON_ANSWERS) }),
  z.object({ kind: z.literal("announce"), announcementId: ZRef, action: z.enum(ANNOUNCE_ACTIONS), value: ZRef.optional() }),
]);
export type Button = z.infer<typeof ZButton>;

export function encodeButton(input: Button): string {
  const b = ZButton.parse(input);
  const id = render(b);
  if (Buffer.byteLength(id, "utf8") > MAX_BUTTON_ID_BYTES) throw new Error(`button id longer than ${MAX_BUTTON_ID_BYTES} bytes: ${id}`);
  return id;
}

function render(b: Button): string {
  switch (b.kind) {
    case "case": return `c:${b.caseId}:${b.action}`;
    case "route": return `c:${b.caseId}:${b.overridden ? "override" : "route"}:${b.area}`;
    case "refer_to": return `c:${b.caseId}:refer:${b.area}`;
    case "services": return `c:${b.caseId}.${b.selected.toString(36)}:${b.toggle === undefined ? "svcdone" : `svc:${b.toggle}`}`;
    case "plan": return `p:${b.planId}:${b.action}`;
    case "reply": return `r:${b.caseId}`;
    case "deletion": return `dr:${b.requestId}:${b.decision}`;
    case "bap": return `b:${b.reportId}:${b.answer}`;
    case "reminder": return `rem:${b.reminderId}:${b.answer}`;
    case "impact": return `imp:${b.followupId}:${b.answer}`;
    case "monitoring": return `mon:${b.visitId}:${b.action}`;
    case "slot": return `sl:${b.offerId}:${b.startMinute.toString(36)}`;
    case "appointment": return `ap:${b.appointmentId}:${b.action}`;
    case "complaint": return `k:${b.complaintId}:${b.action}`;
    case "rsvp": return `an:${b.announcementId}:${b.answer}`;
    case "announce": return `ad:${b.announcementId}:${b.action}${b.value === undefined ? "" : `:${b.value}`}`;
  }
}

/** The typed button, or null when the id is not one the office sends (or no longer valid). */
export function decodeButton(id: string): Button | null {
  const r = ZButton.safeParse(parse(id));
  return r.success ? r.data : null;
}

function parse(id: string): unknown {
  const [kind, ref = "", action = "", arg, ...more] = id.split(":");
  if (more.length > 0) return null;
  switch (kind) {
    case "c": {
      const [caseId, mask] = ref.split(".");
      if (mask !== undefined) {
        const selected = /^[0-9a-z]{1,7}$/.test(mask) ? parseInt(mask, 36) : NaN;
        if (action === "svcdone" && arg === undefined) return { kind: "services", caseId, selected };
        if (action === "svc" && arg !== undefined) return { kind: "services", caseId, selected, toggle: arg };
        return null;
      }
      if ((action === "route" || action === "override") && arg !== undefined) return { kind: "route", caseId, area: arg, overridden: action === "override" };
      if (action === "refer" && arg !== undefined) return { kind: "refer_to", caseId, area: arg };
      return arg === undefined ? { kind: "case", caseId, action } : null;
    }
    case "p": return arg === undefined ? { kind: "plan", planId: ref, action } : null;
    case "r": return action === "" && arg === undefined && !id.endsWith(":") ? { kind: "reply", caseId: ref } : null;
    case "dr": return arg === undefined ? { kind: "deletion", requestId: ref, decision: action } : null;
    case "b": return arg === undefined ? { kind: "bap", reportId: ref, answer: action } : null;
    case "rem": return arg === undefined ? { kind: "reminder", reminderId: ref, answer: action } : null;
    case "imp": return arg === undefined ? { kind: "impact", followupId: ref, answer: action } : null;
    case "mon": return arg === undefined ? { kind: "monitoring", visitId: ref, action } : null;
    case "sl": return arg === undefined && /^[0-9a-z]{1,7}$/.test(action) ? { kind: "slot", offerId: ref, startMinute: parseInt(action, 36) } : null;
    case "ap": return arg === undefined ? { kind: "appointment", appointmentId: ref, action } : null;
    case "k": return arg === undefined ? { kind: "complaint", complaintId: ref, action } : null;
    case "an": return arg === undefined ? { kind: "rsvp", announcementId: ref, answer: action } : null;
    case "ad": return { kind: "announce", announcementId: ref, action, ...(arg === undefined ? {} : { value: arg }) };
    default: return null;
  }
}
