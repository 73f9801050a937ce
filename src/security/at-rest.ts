/**
 * Sealing personal text kept in database columns (Client phone, e-mail, address; the conversation
 * session's state; outbox bodies): AES-256-GCM with the office key (crypto.ts), as
 * `enc1.<key id>.<base64>`. The key id (8 hex characters of a keyed hash of the key, never the key)
 * says which key sealed a value, so `npm run keys:rotate` can tell what it has re-encrypted already
 * and resume where it stopped.
 *
 * Why a process-wide key ring rather than a key passed to every call: the values are sealed deep in
 * code that has no business knowing about keys (the session store, the outbox's enqueue, the turn
 * stores of both databases). The service registers its key once at start (`useAtRestKey`); every
 * key registered stays able to open what it sealed, so two services in one test process, or a
 * rotation that holds the old and the new key, both work.
 */
import crypto from "node:crypto";
import { decryptText, encryptText } from "./crypto.js";

const PREFIX = "enc1.";
const SEALED = /^enc1\.([0-9a-f]{8})\.([A-Za-z0-9+/=]+)$/;

const ring = new Map<string, Buffer>();
let current: { id: string; key: Buffer } | undefined;

/** A short public name of a key (not reversible): which key sealed a value. */
export function keyId(key: Buffer): string {
  return crypto.createHmac("sha256", key).update("plut key id").digest("hex").slice(0, 8);
}

/** Register a key to open values with; `current` (default) also makes it the one new values are sealed with. */
export function useAtRestKey(key: Buffer, o: { current?: boolean } = {}): string {
  if (key.length !== 32) throw new Error("the encryption key must be 32 bytes (64 hex characters)");
  const id = keyId(key);
  ring.set(id, key);
  if (o.current !== false) current = { id, key };
  return id;
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** Which key sealed a value (undefined for clear text). */
export function sealedWith(value: string): string | undefined {
  return SEALED.exec(value)?.[1];
}

/** Seal with the given key, or the current one. Throws when there is none: nothing personal is written in clear. */
export function seal(text: string, key?: Buffer): string {
  const k = key ? { id: keyId(key), key } : current;
  if (!k) throw new Error("no encryption key is configured for data at rest");
  return `${PREFIX}${k.id}.${encryptText(k.key, text)}`;
}

/**
 * Open a sealed value; clear text (rows written before values were sealed) is returned as it is,
 * and `npm run keys:rotate` seals it.
 */
export function unseal(value: string, key?: Buffer): string {
  const m = SEALED.exec(value);
  if (!m) {
    if (isSealed(value)) throw new Error("a sealed value is damaged");
    return value;
  }
  const k = key && keyId(key) === m[1] ? key : ring.get(m[1]!);
  if (!k) throw new Error(`the value was sealed with key ${m[1]}, which this process does not have (ENCRYPTION_KEY)`);
  return decryptText(k, m[2]!);
}

export function unsealOpt(value: string | null | undefined, key?: Buffer): string | null {
  return value === null || value === undefined ? null : unseal(value, key);
}

/**
 * Seal when a key is configured. Only for modules that are also used alone, without a running
 * service (the outbox in its own tests): the service and every command register the key at start,
 * so in the running system this always seals.
 */
export function sealIfKeyed(text: string): string {
  return current ? seal(text) : text;
}
