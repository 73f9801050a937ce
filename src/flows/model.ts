/**
 * What the engine is given: the inbound message (after the host stored any media), who the person
 * is, and the time. All zod schemas, so hosts and transcripts can validate what they pass in.
 */
import { z } from "zod";
import { LANGS } from "./texts.js";

export const ZLang = z.enum(LANGS);

/** A file the host has already stored (encrypted) under `storageKey`; null when nothing may be stored yet. */
export const ZIncomingMedia = z.object({
  kind: z.enum(["photo", "document"]),
  mimeType: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().min(1),
  fileName: z.string().optional(),
  storageKey: z.string().min(1).nullable(),
});
export type IncomingMedia = z.infer<typeof ZIncomingMedia>;

/** A media answer as kept in the session and handed to the host in `submitted`. */
export const ZStoredMedia = ZIncomingMedia.extend({ storageKey: z.string().min(1) });
export type StoredMedia = z.infer<typeof ZStoredMedia>;

export const ZEngineMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("choice"), choiceId: z.string() }),
  z.object({ type: z.literal("media"), media: ZIncomingMedia }),
  z.object({ type: z.literal("contact"), phone: z.string(), isOwn: z.boolean() }),
  z.object({ type: z.literal("location"), latitude: z.number(), longitude: z.number() }),
  z.object({ type: z.literal("unsupported"), what: z.string() }),
  z.object({
    type: z.literal("rejected_media"),
    reason: z.enum(["too_large", "wrong_type", "download_failed"]),
    limitBytes: z.number().int().nonnegative(),
  }),
  /** The host starts a flow for the person (the workflow asks for an action plan, a survey ...). */
  z.object({ type: z.literal("start"), flowId: z.string().min(1), vars: z.record(z.string(), z.unknown()) }),
  /** The scheduler says the person went quiet: the engine answers with the nudge, or nothing. */
  z.object({ type: z.literal("nudge") }),
  /** The scheduler says the session is too old: answers are kept, the person is offered to continue later. */
  z.object({ type: z.literal("expire") }),
]);
export type EngineMessage = z.infer<typeof ZEngineMessage>;

export const ZCaseSummary = z.object({
  regNumber: z.string().min(1),
  /** Text key of the status, e.g. "status.submitted". */
  statusKey: z.string().min(1),
  /** Text key of the consultant area, e.g. "area.pemasaran". */
  areaKey: z.string().min(1).optional(),
  createdAt: z.union([z.date(), z.iso.datetime({ offset: true })]),
});
export type CaseSummary = z.infer<typeof ZCaseSummary>;

export const ZPersonContext = z.object({
  language: ZLang,
  hasConsent: z.boolean(),
  isClient: z.boolean(),
  /** What is on file, keyed by store path ("client.fullName", "business.name"), so it is not asked again. */
  client: z.record(z.string(), z.unknown()).optional(),
  /** The phone number the channel knows (E.164), offered for the phone question. */
  channelPhone: z.string().optional(),
  cases: z.array(ZCaseSummary).optional(),
  remindersOn: z.boolean(),
});
export type PersonContext = z.infer<typeof ZPersonContext>;
