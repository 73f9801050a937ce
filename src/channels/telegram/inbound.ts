/**
 * Telegram update -> channel-neutral Inbound. The update is read through zod schemas of just the
 * fields used here, so a strange payload is ignored instead of crashing the handler.
 */
import { z } from "zod";
import type { Inbound, InboundBody } from "../../messaging/model.js";

const ZUser = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  language_code: z.string().optional(),
});

const ZChat = z.object({ id: z.number().int(), type: z.string() });

const ZFileRef = z.object({ file_id: z.string(), file_unique_id: z.string().optional(), file_size: z.number().optional() });
const ZPhotoSize = ZFileRef.extend({ width: z.number(), height: z.number() });
const ZDocument = ZFileRef.extend({ file_name: z.string().optional(), mime_type: z.string().optional() });

const ZMessage = z.object({
  message_id: z.number().int(),
  chat: ZChat,
  from: ZUser.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(ZPhotoSize).optional(),
  document: ZDocument.optional(),
  animation: z.unknown().optional(),
  /** A voice note (older owners speak rather than type): taken as an audio document, as on WhatsApp. */
  voice: z.object({ file_id: z.string(), mime_type: z.string().optional(), file_size: z.number().int().optional() }).optional(),
  contact: z
    .object({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional(), user_id: z.number().int().optional() })
    .optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  /** The message this one replies to (only its id is read: a reply to a relayed message). */
  reply_to_message: z.object({ message_id: z.number().int() }).optional(),
});

const ZCallbackQuery = z.object({
  id: z.string(),
  from: ZUser,
  data: z.string().optional(),
  message: z.object({ chat: ZChat }).optional(),
});

export const ZTelegramUpdate = z.object({
  update_id: z.number().int(),
  message: ZMessage.optional(),
  callback_query: ZCallbackQuery.optional(),
});
export type TelegramUpdate = z.infer<typeof ZTelegramUpdate>;
export type TelegramMessage = z.infer<typeof ZMessage>;
export type TelegramUser = z.infer<typeof ZUser>;

/** Message contents we cannot take; the value names them in `{ type: "unsupported", what }`. Order matters: an animation also carries `document`. */
const UNSUPPORTED_KINDS = [
  "animation",
  "sticker",
  "audio",
  "video",
  "video_note",
  "live_photo",
  "poll",
  "dice",
  "game",
  "story",
  "paid_media",
  "checklist",
  "invoice",
  "giveaway",
  "rich_message",
] as const;

/** A file to fetch before the message can be handed on. */
export interface FileToFetch {
  kind: "photo" | "document";
  fileId: string;
  /** The size Telegram announced in the message, if any. */
  announcedSize?: number;
  mimeType: string;
  fileName?: string;
  caption?: string;
}

/** What an update means for us, before any file is downloaded. */
export type UpdatePlan =
  | { kind: "ignore"; reason: string }
  | { kind: "deliver"; chatId: number; user: TelegramUser; body: InboundBody; callbackQueryId?: string; replyTo?: string }
  | { kind: "fetch"; chatId: number; user: TelegramUser; file: FileToFetch; replyTo?: string };

/**
 * Decides what an update is: a body ready to deliver, a file to fetch first, or nothing for us
 * (groups, channels, service messages, edits, malformed payloads).
 */
export function planUpdate(raw: unknown): UpdatePlan {
  const parsed = ZTelegramUpdate.safeParse(raw);
  if (!parsed.success) return { kind: "ignore", reason: "malformed" };
  const update = parsed.data;

  const cq = update.callback_query;
  if (cq !== undefined) {
    const chat = cq.message?.chat;
    // A button under a message in a private chat; without a message (inline mode) it is not ours.
    if (chat === undefined || chat.type !== "private") return { kind: "ignore", reason: "callback_not_private" };
    if (cq.data === undefined) return { kind: "ignore", reason: "callback_without_data" };
    return { kind: "deliver", chatId: chat.id, user: cq.from, body: { type: "choice", choiceId: cq.data }, callbackQueryId: cq.id };
  }

  const msg = update.message;
  if (msg === undefined) return { kind: "ignore", reason: "not_a_message" };
  if (msg.chat.type !== "private") return { kind: "ignore", reason: "not_private" };
  if (msg.from === undefined) return { kind: "ignore", reason: "no_sender" };
  const base = { chatId: msg.chat.id, user: msg.from, ...(msg.reply_to_message ? { replyTo: String(msg.reply_to_message.message_id) } : {}) };
  const raw0 = (raw as { message: Record<string, unknown> }).message;

  const unsupported = UNSUPPORTED_KINDS.find((k) => raw0[k] !== undefined && raw0[k] !== null);
  if (unsupported !== undefined) return { kind: "deliver", ...base, body: { type: "unsupported", what: unsupported } };

  if (msg.text !== undefined) return { kind: "deliver", ...base, body: { type: "text", text: msg.text } };

  if (msg.voice !== undefined) {
    const v = msg.voice;
    return {
      kind: "fetch",
      ...base,
      file: {
        kind: "document",
        fileId: v.file_id,
        mimeType: v.mime_type ?? "audio/ogg",
        fileName: "voice-note.ogg",
        ...(v.file_size !== undefined ? { announcedSize: v.file_size } : {}),
        ...(msg.caption !== undefined ? { caption: msg.caption } : {}),
      },
    };
  }

  if (msg.photo !== undefined && msg.photo.length > 0) {
    const largest = msg.photo.reduce((a, b) => (b.width * b.height >= a.width * a.height ? b : a));
    return {
      kind: "fetch",
      ...base,
      file: {
        kind: "photo",
        fileId: largest.file_id,
        mimeType: "image/jpeg",
        ...(largest.file_size !== undefined ? { announcedSize: largest.file_size } : {}),
        ...(msg.caption !== undefined ? { caption: msg.caption } : {}),
      },
    };
  }

  if (msg.document !== undefined) {
    const d = msg.document;
    return {
      kind: "fetch",
      ...base,
      file: {
        kind: "document",
        fileId: d.file_id,
        mimeType: d.mime_type ?? "application/octet-stream",
        ...(d.file_size !== undefined ? { announcedSize: d.file_size } : {}),
        ...(d.file_name !== undefined ? { fileName: d.file_name } : {}),
        ...(msg.caption !== undefined ? { caption: msg.caption } : {}),
      },
    };
  }

  if (msg.contact !== undefined) {
    const c = msg.contact;
    const name = [c.first_name, c.last_name].filter(Boolean).join(" ").trim();
    return {
      kind: "deliver",
      ...base,
      body: { type: "contact", phone: c.phone_number, ...(name ? { name } : {}), isOwn: c.user_id !== undefined && c.user_id === msg.from.id },
    };
  }

  // A venue carries its location too.
  if (msg.location !== undefined) {
    return { kind: "deliver", ...base, body: { type: "location", latitude: msg.location.latitude, longitude: msg.location.longitude } };
  }

  // Service messages (pinned, write access allowed, payments ...) are not the person talking to us.
  return { kind: "ignore", reason: "service_or_unknown" };
}

/** Builds the Inbound for a planned update once its body is known. */
export function toInbound(updateId: number, chatId: number, user: TelegramUser, body: InboundBody, receivedAt: Date, replyTo?: string): Inbound {
  const displayName = [user.first_name, user.last_name].filter(Boolean).join(" ").trim();
  const profile: NonNullable<Inbound["profile"]> = {
    ...(displayName ? { displayName } : {}),
    ...(user.language_code ? { languageCode: user.language_code } : {}),
    ...(body.type === "contact" && body.isOwn ? { phone: body.phone } : {}),
  };
  return {
    from: { channel: "telegram", id: String(chatId) },
    messageId: String(updateId),
    receivedAt,
    body,
    ...(replyTo !== undefined ? { replyTo: { providerMessageId: replyTo } } : {}),
    ...(Object.keys(profile).length > 0 ? { profile } : {}),
  };
}

/** The chat an update belongs to, for per-chat ordering (undefined: no ordering needed). */
export function chatKeyOf(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const u = raw as { message?: { chat?: { id?: unknown } }; callback_query?: { message?: { chat?: { id?: unknown } }; from?: { id?: unknown } } };
  const id = u.message?.chat?.id ?? u.callback_query?.message?.chat?.id ?? u.callback_query?.from?.id;
  return typeof id === "number" ? String(id) : undefined;
}
