/**
 * The JSON text columns of prisma/schema.prisma, one zod schema each, and the only way to read or
 * write them: `readJson(ZStaffAreas, row.areasJson)`, `writeJson(ZStaffAreas, ["pemasaran"])`.
 *
 * Each schema knows its column (`column(name, schema)`), so a stored value that is not JSON or
 * not of the column's shape fails loudly as a JsonColumnError naming the column, instead of being
 * read as empty. The message names the column and what is wrong, never the stored text (it may
 * hold personal data).
 *
 * The schemas import only leaf libraries (messaging/), so every layer may read its columns here.
 */
import { z } from "zod";
import { ZChoice, ZOutbound } from "../messaging/model.js";

const COLUMN: unique symbol = Symbol("json column");

/** A zod schema bound to one JSON column ("Model.field"); made by `column()`. */
export type ColumnSchema<S extends z.ZodType = z.ZodType> = S & { readonly [COLUMN]: string };

/** Binds `schema` (a copy of it: a schema may serve two columns) to the column `name`. */
export function column<S extends z.ZodType>(name: string, schema: S): ColumnSchema<S> {
  return Object.assign(schema.clone(), { [COLUMN]: name });
}

export function columnName(schema: ColumnSchema): string {
  return schema[COLUMN];
}

/** A JSON column held something that is not JSON, or not of the column's shape. */
export class JsonColumnError extends Error {
  constructor(
    readonly column: string,
    readonly problem: string,
  ) {
    super(`${column}: ${problem}`);
    this.name = "JsonColumnError";
  }
}

/** Parses and validates a stored value; throws JsonColumnError (with the column's name) if it is bad. */
export function readJson<S extends z.ZodType>(schema: ColumnSchema<S>, text: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the stored text.
    throw new JsonColumnError(schema[COLUMN], "not JSON");
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new JsonColumnError(schema[COLUMN], `not of the column's shape: ${z.prettifyError(r.error).replace(/\n/g, "; ")}`);
  return r.data;
}

/** Validates a value before it is stored; throws JsonColumnError for a value of another shape. */
export function writeJson<S extends z.ZodType>(schema: ColumnSchema<S>, value: z.input<S>): string {
  const r = schema.safeParse(value);
  if (!r.success) throw new JsonColumnError(schema[COLUMN], `refused to store a value of another shape: ${z.prettifyError(r.error).replace(/\n/g, "; ")}`);
  return JSON.stringify(r.data);
}

// ---------------------------------------------------------------------------------------------
// The columns, in the order of prisma/schema.prisma.

/** An area code of conversations/areas.yaml ("pemasaran", "sdm", ...). */
const ZAreaCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "an area code (lower-case letters, digits and _)");

/** Business.marketingJson: the channel codes the business sells through (offline, marketplace, ...). */
export const ZBusinessMarketing = column("Business.marketingJson", z.array(z.string()));
export type TBusinessMarketing = z.infer<typeof ZBusinessMarketing>;

/** Staff.areasJson: a consultant's areas; empty for admins and the head. */
export const ZStaffAreas = column("Staff.areasJson", z.array(ZAreaCode));
export type TStaffAreas = z.infer<typeof ZStaffAreas>;

/** StaffInvite.areasJson: the areas the invited consultant will have. */
export const ZStaffInviteAreas = column("StaffInvite.areasJson", z.array(ZAreaCode));
export type TStaffInviteAreas = z.infer<typeof ZStaffInviteAreas>;

/** AssessmentAnswer.valueJson: the parsed answer of any question type (text, number, options, items, ...). */
export const ZAssessmentAnswerValue = column("AssessmentAnswer.valueJson", z.json());
export type TAssessmentAnswerValue = z.infer<typeof ZAssessmentAnswerValue>;

/** RoutingDecision.rankedJson: the router's areas, best first (src/domain/routing/router.ts RankedArea). */
export const ZRoutingRanked = column(
  "RoutingDecision.rankedJson",
  z.array(z.object({ area: z.string(), score: z.number(), reasons: z.array(z.string()) })),
);
export type TRoutingRanked = z.infer<typeof ZRoutingRanked>;

/** ConsultationNote.servicesJson: the service codes of a note of kind "service" (empty otherwise). */
export const ZNoteServices = column("ConsultationNote.servicesJson", z.array(z.string()));
export type TNoteServices = z.infer<typeof ZNoteServices>;

/**
 * CaseFocus.heldJson: a client's message kept while they are asked which of their cases it is about
 * (src/domain/workflow/relay.ts): its text and the relayed file (a Document of type "relay"), if any.
 */
export const ZCaseFocusHeld = column("CaseFocus.heldJson", z.object({ text: z.string(), documentId: z.string().optional(), fileName: z.string().optional() }));
export type TCaseFocusHeld = z.infer<typeof ZCaseFocusHeld>;

/**
 * Reminder.payloadJson: what the sweep keeps on every reminder (why it was cancelled, failed
 * attempts), beside the fields of its kind. Those fields belong to the kind and are read through
 * the kind's own schema (src/scheduler/kinds/<kind>.ts, built on this one), so this schema keeps
 * them as they are.
 */
export const ZReminderPayload = column(
  "Reminder.payloadJson",
  z.looseObject({
    cancelReason: z.string().optional(),
    attempts: z.number().int().min(0).optional(),
    lastError: z.string().optional(),
  }),
);
export type TReminderPayload = z.infer<typeof ZReminderPayload>;

/** OutboxMessage.payloadJson: the message to send, in the channel-neutral model. */
export const ZOutboxPayload = column("OutboxMessage.payloadJson", ZOutbound);
export type TOutboxPayload = z.infer<typeof ZOutboxPayload>;

/**
 * SatisfactionSurvey.scoresJson: SKM element code -> score. The survey asks 1..4; the report
 * ignores a score outside that range (src/domain/reports/stats.ts computeSkm), so it is not refused here.
 */
export const ZSurveyScores = column("SatisfactionSurvey.scoresJson", z.record(z.string(), z.number()));
export type TSurveyScores = z.infer<typeof ZSurveyScores>;

/**
 * ConversationSession.stateJson: the engine's session and the desk's small state, side by side.
 * Both parts change shape with the code (flow versions, desk inputs); their owners read them with
 * their own schemas and drop a part of an older shape on purpose (src/flows/session.ts
 * parseSession, src/conversation/session-store.ts). The envelope itself must be an object.
 */
export const ZConversationState = column("ConversationSession.stateJson", z.object({ engine: z.unknown().optional(), awaiting: z.unknown().optional() }));
export type TConversationState = z.infer<typeof ZConversationState>;

/** ConversationSession.offeredJson: the buttons last offered outside a flow (null column: none). */
export const ZOfferedChoices = column("ConversationSession.offeredJson", z.array(ZChoice));
export type TOfferedChoices = z.infer<typeof ZOfferedChoices>;

/** AuditLog.detailJson: what the audited action concerned (ids, codes; never personal data). */
export const ZAuditDetail = column("AuditLog.detailJson", z.record(z.string(), z.json()));
export type TAuditDetail = z.infer<typeof ZAuditDetail>;

/** ImpactFollowup.licencesJson: licence codes obtained since the consultation (options of opt.licence.*). */
export const ZImpactLicences = column("ImpactFollowup.licencesJson", z.array(z.string().regex(/^[a-z_]{1,30}$/)));
export type TImpactLicences = z.infer<typeof ZImpactLicences>;

/**
 * Announcement.filterJson: the audience an admin chose (src/domain/announcements/audience.ts).
 * Dates as ISO strings; an absent field does not narrow the audience.
 */
export const ZAnnouncementFilter = column(
  "Announcement.filterJson",
  z.object({
    sectors: z.array(z.string().min(1).max(60)).max(50).optional(),
    kecamatan: z.array(z.string().min(1).max(60)).max(50).optional(),
    areas: z.array(ZAreaCode).max(50).optional(),
    caseStatus: z.array(z.enum(["none", "open", "closed"])).max(3).optional(),
    registeredFrom: z.iso.datetime().optional(),
    registeredTo: z.iso.datetime().optional(),
  }),
);
export type TAnnouncementFilter = z.infer<typeof ZAnnouncementFilter>;

/** Every JSON column, for the test that checks each one against the Prisma schema. */
export const JSON_COLUMNS: readonly ColumnSchema[] = [
  ZBusinessMarketing,
  ZImpactLicences,
  ZStaffAreas,
  ZStaffInviteAreas,
  ZAssessmentAnswerValue,
  ZRoutingRanked,
  ZNoteServices,
  ZCaseFocusHeld,
  ZReminderPayload,
  ZOutboxPayload,
  ZSurveyScores,
  ZConversationState,
  ZOfferedChoices,
  ZAuditDetail,
  ZAnnouncementFilter,
];
