/**
 * Pure helpers that read Baileys messages: which ones we take, what their content is, who sent
 * them, what a shared contact means. No socket, no I/O (receiver.ts does the receiving).
 */
import { createHash } from "node:crypto";
import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isHostedLidUser,
  isHostedPnUser,
  isJidNewsletter,
  isLidUser,
  isPnUser,
  jidDecode,
  jidNormalizedUser,
  normalizeMessageContent,
  type proto,
  type WAMessage,
} from "@whiskeysockets/baileys";
import type { InboundBody } from "../../messaging/model.js";

/** What a message's content turns into, before any download. */
export type ClassifiedContent =
  | { kind: "ignore"; reason: string }
  | { kind: "text"; text: string }
  | {
      kind: "media";
      mediaKind: "photo" | "document";
      mimeType: string;
      fileName?: string;
      caption?: string;
      /** Declared size (fileLength), when the message carries it. */
      size?: number;
    }
  | { kind: "contact"; cards: { displayName?: string; vcard?: string }[] }
  | { kind: "location"; latitude: number; longitude: number }
  | { kind: "unsupported"; what: string };

/** Message kinds that are bookkeeping, not something a person "said": dropped silently. */
const IGNORED_TYPES = new Set<string>([
  "protocolMessage", // revoke, edit, ephemeral setting, history sync, app-state keys ...
  "reactionMessage",
  "encReactionMessage",
  "pollUpdateMessage",
  "keepInChatMessage",
  "pinInChatMessage",
  "senderKeyDistributionMessage",
  "fastRatchetKeySenderKeyDistributionMessage",
  "messageContextInfo",
  "deviceSentMessage",
  "albumMessage", // announces an album; its photos arrive as separate image messages
  "placeholderMessage",
  "encEventResponseMessage",
  "encCommentMessage",
  "commentMessage",
  "callLogMesssage",
  "messageHistoryBundle",
  "messageHistoryNotice",
  "secretEncryptedMessage",
  "stickerSyncRmrMessage",
  "botInvokeMessage",
  "statusMentionMessage",
  "groupStatusMentionMessage",
  "statusNotificationMessage",
  "statusAddYours",
  "statusQuotedMessage",
  "statusStickerInteractionMessage",
  "statusQuestionAnswerMessage",
  "requestPhoneNumberMessage",
  "pollResultSnapshotMessage",
  "pollResultSnapshotMessageV3",
  "limitSharingMessage",
  "newsletterAdminInviteMessage",
  "newsletterFollowerInviteMessageV2",
]);

/** Things a person sends that the assistant cannot take; `what` names it for the reply. */
const UNSUPPORTED_TYPES: Record<string, string> = {
  stickerMessage: "sticker",
  lottieStickerMessage: "sticker",
  stickerPackMessage: "sticker",
  videoMessage: "video",
  ptvMessage: "video_note",
  pollCreationMessage: "poll",
  pollCreationMessageV2: "poll",
  pollCreationMessageV3: "poll",
  pollCreationMessageV4: "poll",
  pollCreationMessageV5: "poll",
  pollCreationOptionImageMessage: "poll",
  eventMessage: "event",
  eventCoverImage: "event",
  groupInviteMessage: "group_invite",
  productMessage: "product",
  orderMessage: "order",
  invoiceMessage: "invoice",
  sendPaymentMessage: "payment",
  requestPaymentMessage: "payment",
  declinePaymentRequestMessage: "payment",
  cancelPaymentRequestMessage: "payment",
  paymentInviteMessage: "payment",
  bcallMessage: "call",
  call: "call",
  scheduledCallCreationMessage: "call",
  scheduledCallEditMessage: "call",
  questionMessage: "question",
  questionReplyMessage: "question",
  questionResponseMessage: "question",
  listMessage: "list",
  buttonsMessage: "buttons",
  templateMessage: "template",
  interactiveMessage: "interactive",
  highlyStructuredMessage: "template",
  richResponseMessage: "bot_response",
  botTaskMessage: "bot_response",
  botForwardedMessage: "bot_response",
};

/** A protobuf uint64 (number or Long) as a number. */
export function longToNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "object" && typeof (value as { toNumber?: unknown }).toNumber === "function") {
    return (value as { toNumber(): number }).toNumber();
  }
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function nonEmpty(s: string | null | undefined): string | undefined {
  return typeof s === "string" && s.trim().length > 0 ? s : undefined;
}

/**
 * Why a message is not for us, or undefined when it is a one-to-one message from someone else.
 * Groups, broadcast lists, status updates, newsletters, our own messages and content-less stubs
 * (decryption placeholders, notifications) are skipped.
 */
export function skipReason(msg: WAMessage): string | undefined {
  const key = msg.key;
  const remoteJid = key?.remoteJid;
  if (!remoteJid || !key.id) return "no_key";
  if (key.fromMe) return "from_me";
  if (isJidGroup(remoteJid)) return "group";
  if (isJidBroadcast(remoteJid) || msg.broadcast) return "broadcast"; // status@broadcast included
  if (isJidNewsletter(remoteJid)) return "newsletter";
  if (!personJid(remoteJid)) return "not_a_person";
  if (!msg.message) return "no_content";
  return undefined;
}

/**
 * The id of the message this one quotes (WhatsApp's "reply"), from the content's contextInfo:
 * a consultant's quoted reply to a relayed message goes to that message's client.
 */
export function quotedMessageId(message: proto.IMessage | null | undefined): string | undefined {
  const content = normalizeMessageContent(message);
  const type = getContentType(content);
  if (!content || !type) return undefined;
  const part = content[type] as { contextInfo?: { stanzaId?: string | null } | null } | null | undefined;
  return nonEmpty(typeof part === "object" && part !== null ? part.contextInfo?.stanzaId ?? undefined : undefined);
}

/** What the content of a (normalized) message is. */
export function classifyContent(message: proto.IMessage | null | undefined): ClassifiedContent {
  const content = normalizeMessageContent(message);
  const type = getContentType(content);
  if (!content || !type) return { kind: "ignore", reason: "empty" };

  switch (type) {
    case "conversation": {
      const text = nonEmpty(content.conversation);
      return text ? { kind: "text", text } : { kind: "ignore", reason: "empty_text" };
    }
    case "extendedTextMessage": {
      const text = nonEmpty(content.extendedTextMessage?.text);
      return text ? { kind: "text", text } : { kind: "ignore", reason: "empty_text" };
    }
    case "imageMessage": {
      const m = content.imageMessage!;
      return {
        kind: "media",
        mediaKind: "photo",
        mimeType: nonEmpty(m.mimetype) ?? "image/jpeg",
        caption: nonEmpty(m.caption),
        size: longToNumber(m.fileLength),
      };
    }
    case "documentMessage": {
      const m = content.documentMessage!;
      return {
        kind: "media",
        mediaKind: "document",
        mimeType: nonEmpty(m.mimetype) ?? "application/octet-stream",
        fileName: nonEmpty(m.fileName) ?? nonEmpty(m.title),
        caption: nonEmpty(m.caption),
        size: longToNumber(m.fileLength),
      };
    }
    case "contactMessage":
      return {
        kind: "contact",
        cards: [
          {
            displayName: nonEmpty(content.contactMessage?.displayName),
            vcard: nonEmpty(content.contactMessage?.vcard),
          },
        ],
      };
    case "contactsArrayMessage":
      return {
        kind: "contact",
        cards: (content.contactsArrayMessage?.contacts ?? []).map((c) => ({
          displayName: nonEmpty(c.displayName),
          vcard: nonEmpty(c.vcard),
        })),
      };
    case "locationMessage":
    case "liveLocationMessage": {
      const m = type === "locationMessage" ? content.locationMessage : content.liveLocationMessage;
      const latitude = m?.degreesLatitude;
      const longitude = m?.degreesLongitude;
      if (typeof latitude === "number" && typeof longitude === "number") {
        return { kind: "location", latitude, longitude };
      }
      return { kind: "unsupported", what: "location" };
    }
    case "audioMessage": {
      // Voice notes (older owners speak rather than type) are kept like a document: staff listen.
      const m = content.audioMessage!;
      const mimeType = nonEmpty(m.mimetype) ?? "audio/ogg; codecs=opus";
      return {
        kind: "media",
        mediaKind: "document",
        mimeType,
        fileName: `${m.ptt ? "voice-note" : "audio"}.${audioExtension(mimeType)}`,
        size: longToNumber(m.fileLength),
      };
    }
    case "videoMessage":
      return { kind: "unsupported", what: content.videoMessage?.gifPlayback ? "gif" : "video" };
    // Replies to interactive messages (we never send those, but old clients may): keep the text.
    case "buttonsResponseMessage": {
      const text = nonEmpty(content.buttonsResponseMessage?.selectedDisplayText);
      return text ? { kind: "text", text } : { kind: "unsupported", what: "button_reply" };
    }
    case "templateButtonReplyMessage": {
      const text = nonEmpty(content.templateButtonReplyMessage?.selectedDisplayText);
      return text ? { kind: "text", text } : { kind: "unsupported", what: "button_reply" };
    }
    case "listResponseMessage": {
      const text = nonEmpty(content.listResponseMessage?.title);
      return text ? { kind: "text", text } : { kind: "unsupported", what: "list_reply" };
    }
    default:
      break;
  }
  if (IGNORED_TYPES.has(type)) return { kind: "ignore", reason: type };
  const what = UNSUPPORTED_TYPES[type];
  if (what) return { kind: "unsupported", what };
  // A kind newer than this code: tell the person we cannot read it rather than stay silent.
  return { kind: "unsupported", what: type.replace(/Message(V\d+)?$/, "") || "message" };
}

/** Unfolded vCard properties we need: formatted name and the phone numbers. */
export interface ParsedVCard {
  name?: string;
  phones: { waid?: string; value: string }[];
}

function unescapeVCard(value: string): string {
  return value.replace(/\\([,;:\\nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

export function parseVCard(vcard: string): ParsedVCard {
  const unfolded = vcard.replace(/\r?\n[ \t]/g, "");
  const result: ParsedVCard = { phones: [] };
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    const [nameWithGroup = "", ...params] = head.split(";");
    const prop = (nameWithGroup.split(".").pop() ?? "").toUpperCase();
    if (prop === "FN" && value) result.name = unescapeVCard(value);
    if (prop === "TEL") {
      const waidParam = params.find((p) => p.toLowerCase().startsWith("waid="));
      const waid = waidParam?.slice(5).replace(/\D/g, "") || undefined;
      if (value || waid) result.phones.push({ waid, value });
    }
  }
  return result;
}

/**
 * A phone number as E.164 ("+62812..."). Numbers written the local way ("0812...") get
 * `defaultCountryCode`. Returns undefined for anything that is not plausibly a phone number.
 */
export function toE164(raw: string, defaultCountryCode: string): string | undefined {
  const trimmed = raw.trim();
  let digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) {
    // already international
  } else if (digits.startsWith("00")) {
    digits = digits.slice(2);
  } else if (digits.startsWith("0")) {
    digits = defaultCountryCode + digits.slice(1);
  }
  if (digits.length < 7 || digits.length > 15) return undefined;
  return `+${digits}`;
}

/**
 * Shared contact cards as the phone number the person meant: their own number when one of the
 * cards holds it, else the first number found.
 */
export function contactBody(
  cards: readonly { displayName?: string; vcard?: string }[],
  senderPhone: string | undefined,
  defaultCountryCode: string,
): InboundBody {
  const candidates: { phone: string; name?: string }[] = [];
  for (const card of cards) {
    const parsed = card.vcard ? parseVCard(card.vcard) : { phones: [] };
    for (const tel of parsed.phones) {
      const phone = tel.waid ? `+${tel.waid}` : toE164(tel.value, defaultCountryCode);
      if (phone) candidates.push({ phone, name: parsed.name ?? card.displayName });
    }
  }
  const own = senderPhone ? candidates.find((c) => c.phone === senderPhone) : undefined;
  const chosen = own ?? candidates[0];
  if (!chosen) return { type: "unsupported", what: "contact_without_phone" };
  return { type: "contact", phone: chosen.phone, name: chosen.name, isOwn: own !== undefined };
}

/** The phone number of a phone-number JID ("62812...@s.whatsapp.net" -> "+62812..."). */
export function phoneOfJid(jid: string | undefined): string | undefined {
  if (!jid || !isPnUser(jid)) return undefined;
  const user = jidDecode(jid)?.user;
  return user && /^\d+$/.test(user) ? `+${user}` : undefined;
}

/** "audio/ogg; codecs=opus" -> "ogg"; the file name of a voice note. */
function audioExtension(mimeType: string): string {
  const sub = mimeType.split(";")[0]?.split("/")[1]?.trim().toLowerCase() ?? "";
  const known: Record<string, string> = { ogg: "ogg", mpeg: "mp3", mp4: "m4a", aac: "aac", amr: "amr", wav: "wav" };
  return known[sub] ?? "ogg";
}

/**
 * A person's JID without device, or undefined when the JID is not a person's. Hosted addresses
 * (a person's account on a hosted / companion device: "<n>@hosted", "<lid>@hosted.lid") are the
 * same person as "<n>@s.whatsapp.net" / "<lid>@lid": one address per person.
 */
export function personJid(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const jid = jidNormalizedUser(raw);
  if (!jid) return undefined;
  if (isPnUser(jid) || isLidUser(jid)) return jid;
  const user = jidDecode(jid)?.user;
  if (!user) return undefined;
  if (isHostedPnUser(jid)) return `${user}@s.whatsapp.net`;
  if (isHostedLidUser(jid)) return `${user}@lid`;
  return undefined;
}

/** A JID we can send to, from an address id or a bare phone number. Undefined when unusable. */
export function toSendJid(to: string): string | undefined {
  if (to.includes("@")) return personJid(to);
  const digits = to.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return undefined;
  return `${digits}@s.whatsapp.net`;
}

/** The phone-number and LID forms a message key gives for its (one-to-one) sender. */
export function senderJids(key: WAMessage["key"]): { pn?: string; lid?: string } {
  const out: { pn?: string; lid?: string } = {};
  for (const raw of [key.remoteJid, key.remoteJidAlt]) {
    const jid = personJid(raw);
    if (!jid) continue;
    if (!out.pn && isPnUser(jid)) out.pn = jid;
    if (!out.lid && isLidUser(jid)) out.lid = jid;
  }
  return out;
}

/** A short stable pseudonym for logs: never log a JID or phone number in clear. */
export function redact(value: string | undefined | null): string {
  if (!value) return "-";
  return `wa#${createHash("sha256").update(value).digest("hex").slice(0, 10)}`;
}
