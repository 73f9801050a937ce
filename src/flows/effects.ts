/**
 * What the engine asks the host to do, as data. The host applies them (rows, outbox, files) in the
 * same transaction as the new session. Small and typed: only what the host needs to write rows.
 */
import { z } from "zod";
import { ZLang } from "../i18n/index.js";
import { REQUEST_NAMES } from "./definition.js";

/** One answer as the host records it (AssessmentAnswer rows, the audit of a submission). */
export const ZSubmittedAnswer = z.object({
  /** The question id, or "<group>.<item>.<question>" inside a group ("items.0.action"). */
  questionId: z.string(),
  /** The full store path, "<group store>[<item>].<field>" inside a group. */
  store: z.string().optional(),
  value: z.unknown(),
  /** The answer as the person read it in the summary (NIK masked). */
  display: z.string(),
  /** Text key of the question's label. */
  labelKey: z.string(),
});
export type SubmittedAnswer = z.infer<typeof ZSubmittedAnswer>;

export const ZEffect = z.discriminatedUnion("type", [
  /** Consent given (UU PDP 27/2022): record it before storing anything. */
  z.object({ type: z.literal("consent_given"), consentVersion: z.string(), language: ZLang }),
  /** A flow was completed: write what it collected. */
  z.object({
    type: z.literal("submitted"),
    flowId: z.string(),
    flowVersion: z.number().int(),
    /** What the office does with it: registration, new_case, profile_update, complaint, action_plan, progress_report, survey. */
    action: z.string(),
    /** The vars the flow was started with (caseId, regNumber ...). */
    vars: z.record(z.string(), z.unknown()),
    /** Answers by store path; a group's store path holds an array of items (objects by field). */
    data: z.record(z.string(), z.unknown()),
    answers: z.array(ZSubmittedAnswer),
  }),
  z.object({ type: z.literal("language_changed"), language: ZLang }),
  z.object({ type: z.literal("reminders_toggled"), on: z.boolean() }),
  /** The person asked for something the host answers or records (a data request, a status lookup). */
  z.object({ type: z.literal("request"), name: z.enum(REQUEST_NAMES) }),
  /** The person cancelled a flow (or a new one replaced an expired one). */
  z.object({ type: z.literal("cancelled"), flowId: z.string() }),
  /** A stored file is not used after all (sent at the wrong moment, replaced, or its flow cancelled): delete it. */
  z.object({ type: z.literal("media_discarded"), storageKey: z.string() }),
]);
export type Effect = z.infer<typeof ZEffect>;
