/**
 * The shared pool of random bytes (src/shared/random-pool.ts) hands each byte out once: every
 * AES-GCM IV of a sealed value is fresh, across refills of the pool, and ids stay distinct.
 */
import { describe, expect, it } from "vitest";
import { decrypt, encrypt } from "../../src/security/crypto.js";
import { newId } from "../../src/db/sql-values.js";
import { randomBytesPooled, randomUint64 } from "../../src/shared/random-pool.js";

describe("random bytes from the pool", () => {
  it("never gives the same IV twice, over many refills, and every sealed value opens", () => {
    const key = Buffer.alloc(32, 7);
    const plain = Buffer.from("5104015208850003");
    const ivs = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const sealed = encrypt(key, plain);
      ivs.add(sealed.subarray(1, 13).toString("hex"));
      if (i % 500 === 0) expect(decrypt(key, sealed).equals(plain)).toBe(true);
      // Draws of other sizes in between move the pool on too.
      randomUint64();
    }
    expect(ivs.size).toBe(5_000);
  });

  it("hands out copies: changing one does not change what comes next", () => {
    const a = randomBytesPooled(16);
    const snapshot = Buffer.from(a);
    a.fill(0);
    const b = randomBytesPooled(16);
    expect(b.equals(Buffer.alloc(16))).toBe(false);
    expect(b.equals(snapshot)).toBe(false);
    expect(randomBytesPooled(10_000)).toHaveLength(10_000);
  });

  it("ids stay distinct", () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newId()));
    expect(ids.size).toBe(20_000);
  });
});
