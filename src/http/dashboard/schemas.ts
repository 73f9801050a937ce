/**
 * What each dashboard route accepts in its query, form body and path, as zod schemas the routes
 * declare (fastify-type-provider-zod): input of another shape is a 400 page with a short message
 * before any handler runs, and the handlers read typed values. Office rules on valid input (a
 * name too short, a consultant without an area) stay in the handlers, which answer them on the form.
 */
import { z } from "zod";
import { CASE_STATUSES } from "../../domain/cases/steps.js";

/** An empty field of a GET form ("all") is the same as no field. */
const field = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** Free text people type into a filter; the handlers trim it and keep the first 100 characters. */
const ZTyped = z.string().max(1000);

const ZAreaCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "an area code");
const CASE_STATUS_NAMES = Object.keys(CASE_STATUSES) as [keyof typeof CASE_STATUSES, ...Array<keyof typeof CASE_STATUSES>];

/** Row ids in paths (cuid); a longer one is no id of ours. */
const ZId = z.string().min(1).max(64);

export const ZIdParams = z.object({ id: ZId });

// --- sign-in -------------------------------------------------------------------------------------

export const ZLoginHelpQuery = z.object({ out: z.string().optional() });
export const ZLoginLinkParams = z.object({ token: z.string().max(200) });
export const ZLoginForm = z.object({ token: z.string().max(200).default("") });

/** Every POST of a signed-in page carries the session's CSRF token (checked before the route's schema). */
export const ZCsrfForm = z.object({ _csrf: z.string() });

// --- overview, report, lists ----------------------------------------------------------------------

/** A period as people write it ("bulan ini", "november 2026", "2026-Q3"). */
export const ZPeriodQuery = z.object({ periode: field(z.string().max(200)) });
export const ZReportTableParams = z.object({ table: z.string().max(40) });

export const ZCasesQuery = z.object({
  status: field(z.enum(CASE_STATUS_NAMES)),
  area: field(ZAreaCode),
  consultant: field(ZId),
  unassigned: field(z.literal("1")),
  open: field(z.enum(["1", "0"])),
  q: field(ZTyped),
  page: field(z.coerce.number().int().min(1).max(1_000_000)),
});
export type TCasesQuery = z.infer<typeof ZCasesQuery>;

export const ZSearchQuery = z.object({ q: field(ZTyped) });

// --- staff and invitations -----------------------------------------------------------------------

export const ZInviteForm = z.object({
  name: z.string().max(1000).default(""),
  role: z.string().max(40).default(""),
  /** Checkboxes: one ticked sends a string, several an array, none nothing. */
  areas: z
    .union([ZAreaCode, z.array(ZAreaCode)])
    .optional()
    .transform((v) => (v === undefined ? [] : typeof v === "string" ? [v] : v)),
});

// --- the audit trail -------------------------------------------------------------------------------

const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");

export const ZAuditQuery = z.object({
  person: field(ZId),
  case: field(ZTyped),
  action: field(z.string().regex(/^[A-Za-z0-9_.]{1,60}$/, "an action code")),
  from: field(ZDay),
  to: field(ZDay),
  page: field(z.coerce.number().int().min(1).max(1_000_000)),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

// --- routing from the case page ----------------------------------------------------------------------

/** The case page after a routing decision says it was done. */
export const ZCaseQuery = z.object({ routed: field(z.literal("1")) });
/** The answer to a complaint typed on the dashboard (the chat flow allows 5..2000 characters too). */
export const ZComplaintAnswerForm = z.object({ answer: z.string().trim().min(5).max(2000) });

export const ZRouteForm = z.object({
  area: ZAreaCode,
  overridden: z.enum(["0", "1"]).default("0"),
  /** A named consultant of the area ("" or absent: the least loaded). */
  consultant: field(ZId),
});
// --- appointments ----------------------------------------------------------------------------------

/** The week shown: any date in it (default this week); `saved` after the availability was saved. */
export const ZAppointmentsQuery = z.object({ week: field(z.iso.date()), saved: field(z.literal("1")), done: field(z.enum(["moved", "cancelled"])) });
/** A consultant's weekly availability as typed ("senin 09-12, rabu 13-15"); the handler reads and checks it. */
export const ZAvailabilityForm = z.object({ text: z.string().max(1000).default("") });
/** Moving an appointment: the day and the hour the staff member chose (a date and a time field, or a suggested slot). */
export const ZAppointmentMoveForm = z.object({ date: z.iso.date(), time: z.string().regex(/^\d{2}:\d{2}$/) });
/** Cancelling an appointment: the reason is required (the client reads it). */
export const ZAppointmentCancelForm = z.object({ reason: z.string().trim().min(1).max(300) });
export const ZAppointmentParams = z.object({ id: z.string().min(1).max(64) });


// --- announcements ---------------------------------------------------------------------------------

/** Checkboxes: one ticked sends a string, several an array, none nothing. */
const ticked = <T extends z.ZodType<string>>(item: T) =>
  z
    .union([item, z.array(item).max(200)])
    .optional()
    .transform((v): Array<z.infer<T>> => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** What @fastify/multipart hands over for the file field (signed-in.ts, `onFile`): the bytes read up to the limit. */
export const ZUploadedFile = z.object({ bytes: z.instanceof(Buffer), truncated: z.boolean(), fileName: z.string().max(1000) });
export type TUploadedFile = z.infer<typeof ZUploadedFile>;

/**
 * The compose form (multipart, for the optional photo or PDF). Dates come from the browser's date and
 * datetime-local inputs ("2026-12-10", "2026-12-10T09:00") and are read in the office's time zone by the handler.
 */
export const ZAnnouncementForm = z.object({
  title: z.string().max(1000).default(""),
  text: z.string().max(20_000).default(""),
  eventAt: z.string().max(40).default(""),
  rsvp: z.literal("1").optional(),
  quota: z.string().max(20).default(""),
  closesAt: z.string().max(40).default(""),
  sectors: ticked(z.string().regex(/^[a-z0-9_]{1,40}$/, "a sector code")),
  kecamatan: ticked(z.string().regex(/^[a-z0-9_]{1,20}$/, "a kecamatan code")),
  areas: ticked(ZAreaCode),
  caseStatus: ticked(z.enum(["none", "open", "closed"])),
  registeredFrom: z.string().max(20).default(""),
  registeredTo: z.string().max(20).default(""),
  attachment: ZUploadedFile.optional(),
});
export type TAnnouncementForm = z.infer<typeof ZAnnouncementForm>;

export const ZQuotaForm = z.object({ quota: z.coerce.number().int().min(0).max(100_000) });
/** Stopping a sending: the admin ticked that those not reached yet will not be. */
export const ZStopForm = z.object({ confirm: z.literal("yes") });
export const ZAttendanceForm = z.object({ personId: ZId, attended: z.enum(["1", "0"]) });
export const ZNoticeQuery = z.object({ saved: field(z.enum(["quota", "attendance"])), name: field(z.string().max(200)) });
