/**
 * Random bytes from the operating system's CSPRNG, drawn 4 KB at a time and handed out once each.
 * A `crypto.randomBytes` call for a few bytes cost ~40 µs here (each call goes to OpenSSL's
 * generator under a lock), and a turn needs several: ids (src/db/sql-values.ts) and the IV of every
 * sealed value (src/security/crypto.ts). Bytes drawn in bulk are exactly as random, and no byte is
 * ever handed out twice, so an AES-GCM IV taken from here is as unique as one drawn on its own.
 */
import crypto from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let at = POOL_BYTES;

/** Where the next `n` unused bytes start (the pool is refilled when fewer are left). */
function take(n: number): number {
  if (at + n > POOL_BYTES) {
    crypto.randomFillSync(pool);
    at = 0;
  }
  at += n;
  return at - n;
}

/** `n` fresh random bytes (a copy: the caller may keep it). */
export function randomBytesPooled(n: number): Buffer {
  if (n > POOL_BYTES) return crypto.randomBytes(n);
  const from = take(n);
  return Buffer.from(pool.subarray(from, from + n));
}

/** 8 fresh random bytes as an unsigned 64-bit integer (no copy). */
export function randomUint64(): bigint {
  return pool.readBigUInt64BE(take(8));
}
