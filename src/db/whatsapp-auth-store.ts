/** Baileys' auth state (creds and signal keys) in the database: every key update in one transaction. */
import type { AuthKeyValueStore } from "../channels/whatsapp/auth-state.js";
import type { Db } from "./client.js";

export function prismaAuthStore(db: Db): AuthKeyValueStore {
  return {
    async get(key) {
      const row = await db.whatsAppAuth.findUnique({ where: { key } });
      return row?.value ?? null;
    },
    async setMany(entries) {
      await db.$transaction(async (tx) => {
        for (const [key, value] of Object.entries(entries)) {
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
