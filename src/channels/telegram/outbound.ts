/**
 * Outbound -> the Bot API calls that deliver it. Pure: no I/O, so the plan is easy to test and
 * the same plan is rebuilt when the outbox retries a send.
 */
import { splitText } from "../channel.js";
import { ChannelSendError, type Outbound } from "../../messaging/model.js";

export const TELEGRAM_MAX_TEXT = 4096;
export const TELEGRAM_MAX_CAPTION = 1024;
export const TELEGRAM_MAX_CALLBACK_DATA_BYTES = 64;
/** Bots upload at most 50 MB. */
export const TELEGRAM_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Used only when a message asks for the contact button but carries no label (a bug upstream; logged). */
export const FALLBACK_CONTACT_LABEL = "📱";

export type ReplyMarkup =
  | { inline_keyboard: { text: string; callback_data: string }[][] }
  | { keyboard: { text: string; request_contact: true }[][]; one_time_keyboard: true; resize_keyboard: true }
  | { remove_keyboard: true };

/** A span of a text Telegram shows as a link (offset and length in UTF-16 units, as JS strings count). */
export interface UrlEntity {
  type: "url";
  offset: number;
  length: number;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g;

/**
 * Every http(s) URL of a text as a "url" entity. Telegram finds links by itself only for names it
 * knows; a sign-in link on the office's own host or address (http://10.0.0.5:3000/staff/login/...)
 * would stay plain text, so the links are marked explicitly.
 */
export function urlEntities(text: string): UrlEntity[] {
  return [...text.matchAll(URL_IN_TEXT)].map((m) => ({ type: "url" as const, offset: m.index, length: m[0].length }));
}

/** One Bot API call of a send. */
export type SendPart =
  | { method: "sendMessage"; text: string; replyMarkup?: ReplyMarkup; entities?: UrlEntity[] }
  | { method: "sendDocument"; fileName: string; caption?: string };

type TextOutbound = Extract<Outbound, { type: "text" }>;
type DocumentOutbound = Extract<Outbound, { type: "document" }>;

/**
 * Plans a text message. Choices become an inline keyboard (one button per row) on the last part
 * and are also listed, numbered, in the text so it reads well without buttons (notification
 * previews, clients without inline keyboards, a person who types the number). requestContact
 * becomes a one-time reply keyboard; a message can carry only one keyboard, so when a message
 * asks for both, the contact keyboard wins and the choices stay in the text.
 */
export function planText(msg: TextOutbound, opts: { removeKeyboard: boolean }): SendPart[] {
  const choices = msg.choices ?? [];
  for (const c of choices) {
    if (Buffer.byteLength(c.id, "utf8") > TELEGRAM_MAX_CALLBACK_DATA_BYTES) {
      throw new ChannelSendError(`telegram: choice id longer than ${TELEGRAM_MAX_CALLBACK_DATA_BYTES} bytes`, "permanent");
    }
  }
  const list = choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n");
  const body = list ? `${msg.text}\n\n${list}` : msg.text;
  const texts = splitText(body, TELEGRAM_MAX_TEXT);

  let markup: ReplyMarkup | undefined;
  if (msg.requestContact) {
    markup = {
      keyboard: [[{ text: msg.contactButtonLabel ?? FALLBACK_CONTACT_LABEL, request_contact: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    };
  } else if (choices.length > 0) {
    markup = { inline_keyboard: choices.map((c) => [{ text: c.label, callback_data: c.id }]) };
  } else if (opts.removeKeyboard) {
    markup = { remove_keyboard: true };
  }
  return texts.map((text, i) => {
    const entities = urlEntities(text);
    return {
      method: "sendMessage" as const,
      text,
      ...(i === texts.length - 1 && markup !== undefined ? { replyMarkup: markup } : {}),
      ...(entities.length > 0 ? { entities } : {}),
    };
  });
}

/** Plans a document: the file with its caption, or, for a caption over 1024 characters, the file followed by the caption as text. */
export function planDocument(msg: DocumentOutbound): SendPart[] {
  const fileName = safeFileName(msg.fileName);
  const caption = msg.caption?.trim() ? msg.caption : undefined;
  if (caption === undefined) return [{ method: "sendDocument", fileName }];
  if (caption.length <= TELEGRAM_MAX_CAPTION) return [{ method: "sendDocument", fileName, caption }];
  return [{ method: "sendDocument", fileName }, ...splitText(caption, TELEGRAM_MAX_TEXT).map((text) => ({ method: "sendMessage" as const, text }))];
}

/**
 * grammY writes the file name unquoted into the multipart header and refuses line breaks, so
 * characters that would break that header are replaced.
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f";\\]/g, "_").trim();
  return cleaned === "" ? "document" : cleaned;
}
