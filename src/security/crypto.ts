/**
 * Encryption of identity photos and NIK at rest (AES-256-GCM), and keyed hashes for exact lookups
 * of encrypted values. The key comes from ENCRYPTION_KEY; in development a key file is generated
 * under DATA_DIR once, with a warning, so `npm start` works with no setup.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { randomBytesPooled } from "../shared/random-pool.js";

export interface KeyRing {
  key: Buffer;
  /** Where the key came from, for the start-up log (never the key itself). */
  source: "environment" | "generated-file" | "existing-file";
}

export function loadKeyRing(opts: { envKey?: string; dataDir: string }): KeyRing {
  if (opts.envKey) return { key: Buffer.from(opts.envKey, "hex"), source: "environment" };
  const file = path.join(opts.dataDir, "encryption.key");
  if (fs.existsSync(file)) {
    const hex = fs.readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} does not hold a 64-hex-character key`);
    return { key: Buffer.from(hex, "hex"), source: "existing-file" };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  // wx: never overwrite a key another process just wrote; losing the key loses every photo.
  fs.writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  return { key, source: "generated-file" };
}

const VERSION = 1;

/** version(1) | iv(12) | tag(16) | ciphertext */
export function encrypt(key: Buffer, plain: Buffer): Buffer {
  // A fresh random IV per message (never reused: the pool hands each byte out once).
  const iv = randomBytesPooled(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function decrypt(key: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < 29 || sealed[0] !== VERSION) throw new Error("not an encrypted blob of a known version");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, sealed.subarray(1, 13));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
}

export function encryptText(key: Buffer, text: string): string {
  return encrypt(key, Buffer.from(text, "utf8")).toString("base64");
}

export function decryptText(key: Buffer, sealed: string): string {
  return decrypt(key, Buffer.from(sealed, "base64")).toString("utf8");
}

/** A keyed hash: lets us find a client by NIK without storing the NIK in clear. */
export function lookupHash(key: Buffer, value: string): string {
  return crypto.createHmac("sha256", key).update(`lookup:${value}`).digest("hex");
}

/** The blind index of a phone number (E.164): finds a client by the number without storing it in clear. */
export function phoneLookupHash(key: Buffer, e164: string): string {
  return crypto.createHmac("sha256", key).update(`phone:${e164}`).digest("hex");
}

export function sha256(bytes: Buffer | string): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** A random token for links and invitations, and the hash we store instead of it. */
export function newToken(bytes = 24): { token: string; hash: string } {
  const token = crypto.randomBytes(bytes).toString("base64url");
  return { token, hash: sha256(token) };
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/** The secret that signs cookies: SESSION_SECRET, or a file generated under DATA_DIR once. */
export function loadSessionSecret(opts: { envSecret?: string; dataDir: string }): string {
  if (opts.envSecret) return opts.envSecret;
  const file = path.join(opts.dataDir, "session.secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}
