/**
 * A WhatsApp person's address is their phone number (a Baileys JID "628…@s.whatsapp.net", a Cloud
 * API wa_id "628…"), so it is never stored in clear. What the database keeps as the address (the
 * routing key of Identity, OutboxMessage and WhatsAppWindow) is a blind index,
 * `wa1.` + base64url(HMAC-SHA256(index key, canonical form)); the real address, needed to send, is
 * sealed beside it (Identity.addressSealed, at-rest.ts).
 *
 * The canonical form of a phone number is its international digits ("pn:628123456789"), the same
 * whether it came as a Baileys JID, a Cloud API wa_id or a phone number a person shared as a
 * Telegram contact, so one number gives one index whatever carried it. A LID (WhatsApp's private id,
 * not a phone number) has its own namespace, so it never meets a number.
 *
 * Why a key of its own and not the encryption key: the index must stay the same when
 * `npm run keys:rotate` changes the encryption key, or every routing key (and the unique
 * (channel, address) of every identity) would have to be rewritten. The index key is random, made
 * once, and kept sealed with the encryption key in OfficeSetting (src/db/address-index-key.ts);
 * a rotation re-seals it, a backup carries it.
 *
 * Telegram chat ids and web chat session ids are not phone numbers: they stay as they are.
 */
import crypto from "node:crypto";

export const INDEX_PREFIX = "wa1.";
/** Channels whose addresses are phone numbers. Both WhatsApp channels (Baileys and the Cloud API) are "whatsapp". */
const PHONE_CHANNELS = new Set(["whatsapp"]);

let indexKey: Buffer | undefined;

/** Register the office's index key (the service and the commands do, at start). */
export function useAddressIndexKey(key: Buffer): void {
  if (key.length !== 32) throw new Error("the address index key must be 32 bytes");
  indexKey = key;
}

export function hasAddressIndexKey(): boolean {
  return indexKey !== undefined;
}

export function isIndexed(address: string): boolean {
  return address.startsWith(INDEX_PREFIX);
}

export function isPhoneChannel(channel: string): boolean {
  return PHONE_CHANNELS.has(channel);
}

/** International digits of a phone number; an Indonesian local "08…" becomes "628…". Undefined when it is not one. */
export function phoneDigits(phone: string): string | undefined {
  let d = phone.replace(/\D/g, "");
  if (d.startsWith("0")) d = `62${d.replace(/^0+/, "")}`;
  return d.length >= 7 && d.length <= 15 ? d : undefined;
}

/**
 * What is hashed for a WhatsApp address: "pn:<digits>" for a phone number (JID with or without a
 * device part, or bare digits), "lid:<user>" for a LID, "jid:<jid>" for anything else.
 */
export function canonicalWhatsAppAddress(address: string): string {
  const at = address.indexOf("@");
  if (at < 0) {
    const d = phoneDigits(address);
    return d ? `pn:${d}` : `jid:${address}`;
  }
  const user = address.slice(0, at).split(":")[0]!;
  const server = address.slice(at + 1);
  if ((server === "s.whatsapp.net" || server === "c.us") && /^\d{7,15}$/.test(user)) return `pn:${user}`;
  if (server === "lid") return `lid:${user}`;
  return `jid:${address}`;
}

function hmac(key: Buffer, text: string): string {
  return crypto.createHmac("sha256", key).update(text).digest("base64url");
}

/**
 * The address stored for (channel, address): the blind index on a WhatsApp channel, the address
 * itself elsewhere. An index stays as it is (callers pass stored addresses back in). Without a
 * registered key (modules used alone in their own tests, as sealIfKeyed) the address is returned as
 * it is; the running service always registers one.
 */
export function storedAddress(channel: string, address: string): string {
  if (!isPhoneChannel(channel) || isIndexed(address) || !indexKey) return address;
  return INDEX_PREFIX + hmac(indexKey, canonicalWhatsAppAddress(address));
}

/**
 * A key of Baileys' auth store ("session/628…", "lid-mapping/628…", "wa-onwhatsapp/628…@…") hashed
 * the same way, so the store's keys name nobody. Another label than the routing index: the two
 * never collide.
 */
export function authStoreKey(key: string): string {
  if (!indexKey) return key;
  return `k1.${hmac(indexKey, `auth:${key}`)}`;
}

export const MESSAGE_ID_PREFIX = "m1.";

/**
 * The id an inbound message is deduplicated by (ProcessedInbound, and the outbox keys of its
 * replies), as stored: on WhatsApp a keyed hash, because the channels' ids carry the number (a
 * Baileys id is "<JID>:<id>", a Cloud API wamid is base64 around the wa_id). Still unique and stable,
 * so a redelivered message is still recognised.
 */
export function storedMessageId(channel: string, messageId: string): string {
  if (!isPhoneChannel(channel) || messageId.startsWith(MESSAGE_ID_PREFIX) || !indexKey) return messageId;
  return MESSAGE_ID_PREFIX + hmac(indexKey, `msg:${messageId}`);
}
