/**
 * Re-encrypting one value from an old key to a new one, for `npm run keys:rotate`. Each function
 * tells apart a value already under the new key (nothing to do: a resumed rotation skips it), one
 * under the old key (re-encrypted) and one neither opens (RekeyError: the old key is wrong, and the
 * rotation must change nothing). AES-GCM's tag makes "opens" a reliable test.
 */
import { decrypt, encrypt, encryptText } from "./crypto.js";
import { keyId, seal, sealedWith, unseal } from "./at-rest.js";

export class RekeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RekeyError";
  }
}

function opens(key: Buffer, sealed: Buffer): Buffer | undefined {
  try {
    return decrypt(key, sealed);
  } catch {
    return undefined;
  }
}

/** An encrypted blob (a file): the new bytes, or null when it is under the new key already. */
export function rekeyBlob(sealed: Buffer, from: Buffer, to: Buffer): Buffer | null {
  if (opens(to, sealed)) return null;
  const plain = opens(from, sealed);
  if (!plain) throw new RekeyError("neither the old nor the new key opens it");
  return encrypt(to, plain);
}

/** The plain text of a base64 blob (crypto.encryptText) under either key. */
export function openTextBlob(b64: string, from: Buffer, to: Buffer): { plain: string; under: "from" | "to" } {
  const bytes = Buffer.from(b64, "base64");
  const underTo = opens(to, bytes);
  if (underTo) return { plain: underTo.toString("utf8"), under: "to" };
  const underFrom = opens(from, bytes);
  if (underFrom) return { plain: underFrom.toString("utf8"), under: "from" };
  throw new RekeyError("neither the old nor the new key opens it");
}

/** A base64 blob (crypto.encryptText): the new text, or null when it is under the new key already. */
export function rekeyTextBlob(b64: string, from: Buffer, to: Buffer): string | null {
  const o = openTextBlob(b64, from, to);
  return o.under === "to" ? null : encryptText(to, o.plain);
}

/** The plain text of a sealed column value (at-rest.ts) under either key; clear text as it is. */
export function openSealed(value: string, from: Buffer, to: Buffer): { plain: string; under: "from" | "to" | "clear" } {
  const id = sealedWith(value);
  if (id === undefined) return { plain: unseal(value), under: "clear" };
  if (id === keyId(to)) return { plain: unseal(value, to), under: "to" };
  if (id === keyId(from)) return { plain: unseal(value, from), under: "from" };
  throw new RekeyError(`it was sealed with key ${id}, which is neither the old nor the new key`);
}

/** A sealed column value: sealed under the new key (clear text too), or null when it is already. */
export function rekeySealed(value: string, from: Buffer, to: Buffer): string | null {
  const o = openSealed(value, from, to);
  return o.under === "to" ? null : seal(o.plain, to);
}
