/**
 * The office's address index key (src/security/address-index.ts): 32 random bytes made the first
 * time the service starts, kept in OfficeSetting sealed with the encryption key. It is data of the
 * office, not configuration: a backup carries it with the rows it indexes, and `npm run keys:rotate`
 * re-seals it (src/cli/key-rotation.ts) instead of changing it, so every routing key stays valid.
 */
import crypto from "node:crypto";
import type { Db } from "./client.js";
import { seal, unseal } from "../security/at-rest.js";
import { useAddressIndexKey } from "../security/address-index.js";

export const ADDRESS_INDEX_SETTING = "address.indexKey";

/** Read (or make, once) the index key and register it for this process. Needs the at-rest key registered. */
export async function loadAddressIndexKey(db: Db): Promise<Buffer> {
  let row = await db.officeSetting.findUnique({ where: { key: ADDRESS_INDEX_SETTING } });
  if (!row) {
    const value = seal(crypto.randomBytes(32).toString("hex"));
    try {
      await db.officeSetting.create({ data: { key: ADDRESS_INDEX_SETTING, value } });
    } catch (e) {
      // Another instance made it at the same moment: theirs is the one.
      if ((e as { code?: string }).code !== "P2002") throw e;
    }
    row = await db.officeSetting.findUniqueOrThrow({ where: { key: ADDRESS_INDEX_SETTING } });
  }
  const hex = unseal(row.value);
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`OfficeSetting ${ADDRESS_INDEX_SETTING} is damaged`);
  const key = Buffer.from(hex, "hex");
  useAddressIndexKey(key);
  return key;
}
