/**
 * One Cloud API message -> what to hand the inbox: a body right away, a file to fetch first, a tap
 * on a notice's "continue" button (opens the window, is no answer), or nothing (a reaction).
 * Pure: the channel does the fetching.
 */
import type { InboundBody, MediaKind } from "../../messaging/model.js";
import type { CloudMessage, CloudValue, MediaRef } from "./webhook-payload.js";
import { RESUME_PAYLOAD } from "./templates.js";

export interface FileToFetch {
  kind: MediaKind;
  mediaId: string;
  mimeType: string;
  fileName?: string;
  caption?: string;
  announcedSize?: number;
}

export type InboundPlan =
  | { kind: "body"; body: InboundBody }
  | { kind: "fetch"; file: FileToFetch }
  | { kind: "resume" }
  | { kind: "ignore"; reason: string };

/** Images the office reads (identity photos); other images are refused before download. */
const PHOTO_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
/** Documents the office takes: PDFs, photos sent as files, office and OpenDocument files, plain text. */
const DOCUMENT_TYPES = new Set([
  "application/pdf",
  "image/jpeg",
  "image/png",
  "image/webp",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "text/plain",
  "text/csv",
]);

/** A person's address on this channel: the phone-number JID (as Baileys uses, so an office can switch channels and keep its people), else the business-scoped user id. */
export function addressOf(m: Pick<CloudMessage, "from" | "from_user_id">): string | undefined {
  if (m.from && /^\d{6,20}$/.test(m.from)) return `${m.from}@s.whatsapp.net`;
  if (m.from_user_id && /^[A-Z]{2}\.[A-Za-z0-9.]{1,160}$/.test(m.from_user_id)) return m.from_user_id;
  return undefined;
}

/** Who to send to, from an address: a phone number goes in `to`, a business-scoped user id in `recipient`. */
export function recipientOf(address: string): { to: string } | { recipient: string } | undefined {
  const phone = /^(\d{6,20})(@s\.whatsapp\.net)?$/.exec(address);
  if (phone) return { to: phone[1]! };
  if (/^[A-Z]{2}\.[A-Za-z0-9.]{1,160}$/.test(address)) return { recipient: address };
  return undefined;
}

function mimeOf(ref: MediaRef, fallback: string): string {
  return (ref.mime_type ?? fallback).split(";")[0]!.trim().toLowerCase();
}

export function planMessage(m: CloudMessage, maxBytes: number): InboundPlan {
  const tooLarge = (size: number): InboundPlan => ({ kind: "body", body: { type: "rejected_media", reason: "too_large", size, limitBytes: maxBytes } });
  const wrongType: InboundPlan = { kind: "body", body: { type: "rejected_media", reason: "wrong_type", limitBytes: maxBytes } };
  switch (m.type) {
    case "text":
      return m.text ? { kind: "body", body: { type: "text", text: m.text.body } } : { kind: "ignore", reason: "text without body" };
    case "interactive": {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      if (reply?.id) return reply.id === RESUME_PAYLOAD ? { kind: "resume" } : { kind: "body", body: { type: "choice", choiceId: reply.id } };
      return { kind: "body", body: { type: "unsupported", what: `interactive:${m.interactive?.type ?? "?"}` } };
    }
    case "button": {
      // A template's quick reply: its payload is the choice id we put there (or the notice's "continue").
      const payload = m.button?.payload;
      if (payload === RESUME_PAYLOAD) return { kind: "resume" };
      if (payload) return { kind: "body", body: { type: "choice", choiceId: payload } };
      return m.button?.text ? { kind: "body", body: { type: "text", text: m.button.text } } : { kind: "ignore", reason: "button without payload" };
    }
    case "image": {
      if (!m.image) return { kind: "ignore", reason: "image without media" };
      const mimeType = mimeOf(m.image, "image/jpeg");
      if (!PHOTO_TYPES.has(mimeType)) return wrongType;
      if (m.image.file_size !== undefined && m.image.file_size > maxBytes) return tooLarge(m.image.file_size);
      return {
        kind: "fetch",
        file: { kind: "photo", mediaId: m.image.id, mimeType, ...(m.image.caption ? { caption: m.image.caption } : {}), ...(m.image.file_size !== undefined ? { announcedSize: m.image.file_size } : {}) },
      };
    }
    case "document": {
      if (!m.document) return { kind: "ignore", reason: "document without media" };
      const mimeType = mimeOf(m.document, "application/octet-stream");
      if (!DOCUMENT_TYPES.has(mimeType)) return wrongType;
      if (m.document.file_size !== undefined && m.document.file_size > maxBytes) return tooLarge(m.document.file_size);
      return {
        kind: "fetch",
        file: {
          kind: "document",
          mediaId: m.document.id,
          mimeType,
          ...(m.document.filename ? { fileName: m.document.filename } : {}),
          ...(m.document.caption ? { caption: m.document.caption } : {}),
          ...(m.document.file_size !== undefined ? { announcedSize: m.document.file_size } : {}),
        },
      };
    }
    case "location":
      return m.location ? { kind: "body", body: { type: "location", latitude: m.location.latitude, longitude: m.location.longitude } } : { kind: "ignore", reason: "location without coordinates" };
    case "contacts": {
      const card = m.contacts?.[0];
      const phone = card?.phones?.find((p) => p.wa_id || p.phone);
      if (!card || !phone) return { kind: "body", body: { type: "unsupported", what: "contact" } };
      const number = phone.wa_id ?? phone.phone!;
      const digits = number.replace(/\D/g, "");
      // The person's own number: WhatsApp knows the card's account (wa_id) is the sender's.
      const isOwn = m.from !== undefined && (phone.wa_id === m.from || digits === m.from);
      const name = card.name?.formatted_name ?? card.name?.first_name;
      return { kind: "body", body: { type: "contact", phone: phone.phone ?? `+${digits}`, ...(name ? { name } : {}), isOwn } };
    }
    case "audio": {
      // A voice note (older owners speak rather than type) is kept like a document, as on the other
      // channels; other audio (music files) is not the office's business.
      if (!m.audio?.voice) return { kind: "body", body: { type: "unsupported", what: "audio" } };
      const mimeType = mimeOf(m.audio, "audio/ogg");
      if (!mimeType.startsWith("audio/")) return wrongType;
      if (m.audio.file_size !== undefined && m.audio.file_size > maxBytes) return tooLarge(m.audio.file_size);
      return {
        kind: "fetch",
        file: { kind: "document", mediaId: m.audio.id, mimeType, fileName: "voice-note.ogg", ...(m.audio.file_size !== undefined ? { announcedSize: m.audio.file_size } : {}) },
      };
    }
    case "video":
    case "sticker":
      return { kind: "body", body: { type: "unsupported", what: m.type } };
    // A reaction to one of our messages, a deleted or changed number notice: nothing to answer.
    case "reaction":
    case "system":
    case "request_welcome":
      return { kind: "ignore", reason: m.type };
    default:
      // "unsupported" (Meta could not read it), "order", polls ... : the person is told we cannot read it.
      return { kind: "body", body: { type: "unsupported", what: m.type } };
  }
}

/** The profile name WhatsApp sent with the message, and the phone for a sender known by number. */
export function profileOf(value: CloudValue, m: CloudMessage): { displayName?: string; phone?: string } {
  const contact = value.contacts?.find((c) => (m.from ? c.wa_id === m.from : c.user_id === m.from_user_id)) ?? value.contacts?.[0];
  const displayName = contact?.profile?.name?.trim();
  return { ...(displayName ? { displayName } : {}), ...(m.from ? { phone: `+${m.from}` } : {}) };
}

/** Magic bytes of the types people send most, so a file that is not what it says is refused. */
export function looksLike(mimeType: string, bytes: Buffer): boolean {
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  switch (mimeType) {
    case "image/jpeg":
      return starts(0xff, 0xd8, 0xff);
    case "image/png":
      return starts(0x89, 0x50, 0x4e, 0x47);
    case "application/pdf":
      return bytes.subarray(0, 1024).includes("%PDF-");
    case "audio/ogg":
      return bytes.subarray(0, 4).toString("latin1") === "OggS";
    default:
      return true;
  }
}
