/**
 * One person's turns in order across instances: a transaction-scoped advisory lock on PostgreSQL
 * (released when the transaction ends). On SQLite one process writes and one transaction is open at
 * a time, so there is nothing to take.
 */
import type { Tx } from "./client.js";
import { providerOf } from "./provider.js";
import { PERSON_LOCK_SQL } from "./turn-rows.js";

/** `key` is "channel:address" (the outbox's lockRecipients takes the same keys). */
export async function lockPerson(tx: Tx, key: string): Promise<void> {
  if (providerOf(tx) !== "postgresql") return;
  await tx.$queryRawUnsafe(PERSON_LOCK_SQL, key);
}
