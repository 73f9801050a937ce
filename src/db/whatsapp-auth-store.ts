/**
 * Baileys' auth state (creds and signal keys) in the database: every key update in one transaction.
 *
 * Nothing in it names a person in clear: Baileys keys its signal sessions, LID mappings and our
 * onWhatsApp cache by phone number ("session/628….0", "lid-mapping/628…"), and its values hold
 * numbers too (the LID <-> phone mappings, the office's own number in `creds`). So each key is
 * stored as its keyed hash (authStoreKey, src/security/address-index.ts: the store is only ever
 * read by key, never listed) and each value sealed (at-rest.ts; `npm run keys:rotate` re-seals them).
 */
import type { AuthKeyValueStore } from "../channels/whatsapp/auth-state.js";
import type { Db } from "./client.js";
import { authStoreKey } from "../security/address-index.js";
import { sealIfKeyed, unseal } from "../security/at-rest.js";

export function prismaAuthStore(db: Db): AuthKeyValueStore {
  return {
    async get(key) {
      const row = await db.whatsAppAuth.findUnique({ where: { key: authStoreKey(key) } });
      return row ? unseal(row.value) : null;
    },
    async setMany(entries) {
      const rows = Object.entries(entries).map(([key, value]) => ({ key: authStoreKey(key), value: value === null ? null : sealIfKeyed(value) }));
      await db.$transaction(async (tx) => {
        for (const { key, value } of rows) {
          if (value === null) await tx.whatsAppAuth.deleteMany({ where: { key } });
          else await tx.whatsAppAuth.upsert({ where: { key }, create: { key, value }, update: { value } });
        }
      });
    },
    async clear() {
      await db.whatsAppAuth.deleteMany({});
    },
  };
}
