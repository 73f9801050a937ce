/**
 * An office that upgrades has WhatsApp addresses (phone numbers) in clear in Identity, OutboxMessage,
 * WhatsAppWindow and Baileys' auth store. At start-up, before any channel runs, each such row is
 * turned into what is stored now (src/security/address-index.ts): the blind index as the address,
 * the real address sealed on the identity, auth keys hashed and their values sealed. Rows already
 * converted are left alone, so it runs at every start and does nothing after the first.
 *
 * Two old identities of one person (a Baileys JID and a Cloud API wa_id of the same number) meet at
 * one index: the second is merged into the first (src/db/identity-merge.ts), nothing is lost.
 */
import type { Db } from "./client.js";
import type { SqliteConnection } from "./sqlite-connection.js";
import { mergeIdentityInto } from "./identity-merge.js";
import { authStoreKey, hasAddressIndexKey, INDEX_PREFIX, MESSAGE_ID_PREFIX, storedAddress, storedMessageId } from "../security/address-index.js";
import { seal, unseal } from "../security/at-rest.js";

const CHANNEL = "whatsapp";
const AUTH_PREFIX = "k1.";

export interface ConversionResult {
  identities: number;
  merged: number;
  outboxRows: number;
  windows: number;
  authKeys: number;
  /** Handled message ids and outbox keys of their replies. */
  messageIds: number;
  total: number;
}

export interface ConversionOptions {
  now?: () => Date;
  /**
   * The embedded database's connection: after a conversion that changed something its WAL is
   * checkpointed and truncated, so the earlier page images with the numbers in clear go too (the
   * freed cells in the file itself are zeroed by secure_delete, src/db/sqlite-privacy.ts).
   */
  sqlite?: SqliteConnection | undefined;
}

export async function convertWhatsAppAddresses(db: Db, o: ConversionOptions = {}): Promise<ConversionResult> {
  const now = o.now ?? (() => new Date());
  if (!hasAddressIndexKey()) throw new Error("the address index key is not loaded (loadAddressIndexKey)");
  const r: ConversionResult = { identities: 0, merged: 0, outboxRows: 0, windows: 0, authKeys: 0, messageIds: 0, total: 0 };
  const notIndexed = { NOT: { address: { startsWith: INDEX_PREFIX } } };

  // The outbox first: an identity merged below moves its unsent rows to the index already.
  const outboxAddresses = await db.outboxMessage.findMany({ where: { channel: CHANNEL, ...notIndexed }, distinct: ["address"], select: { address: true } });
  for (const { address } of outboxAddresses) {
    const done = await db.$transaction((tx) => tx.outboxMessage.updateMany({ where: { channel: CHANNEL, address }, data: { address: storedAddress(CHANNEL, address) } }));
    r.outboxRows += done.count;
  }

  const identities = await db.identity.findMany({ where: { channel: CHANNEL, ...notIndexed }, orderBy: { createdAt: "asc" }, select: { id: true, address: true } });
  for (const old of identities) {
    const index = storedAddress(CHANNEL, old.address);
    await db.$transaction(async (tx) => {
      const same = await tx.identity.findUnique({ where: { channel_address: { channel: CHANNEL, address: index } }, select: { id: true } });
      if (same) {
        await mergeIdentityInto(tx, { channel: CHANNEL, fromAddress: old.address, into: { id: same.id, address: index }, now: now() });
        r.merged++;
      } else {
        await tx.identity.update({ where: { id: old.id }, data: { address: index, addressSealed: seal(old.address) } });
        r.identities++;
      }
    });
  }

  const windows = await db.whatsAppWindow.findMany({ where: notIndexed });
  for (const w of windows) {
    const address = storedAddress(CHANNEL, w.address);
    await db.$transaction(async (tx) => {
      const there = await tx.whatsAppWindow.findUnique({ where: { address } });
      const later = (a: Date | null, b: Date | null | undefined) => (a && b ? (a > b ? a : b) : (a ?? b ?? null));
      const data = { lastInboundAt: later(w.lastInboundAt, there?.lastInboundAt), noticeSentAt: later(w.noticeSentAt, there?.noticeSentAt) };
      await tx.whatsAppWindow.upsert({ where: { address }, create: { address, ...data }, update: data });
      await tx.whatsAppWindow.delete({ where: { address: w.address } });
    });
    r.windows++;
  }

  // Message ids carry the number (Baileys: "<JID>:<id>"): the handled ones and the outbox keys of
  // their replies ("whatsapp:<id>#<n>") are keyed hashes now (storedMessageId).
  const handled = await db.processedInbound.findMany({ where: { channel: CHANNEL, NOT: { messageId: { startsWith: MESSAGE_ID_PREFIX } } }, select: { messageId: true } });
  for (let i = 0; i < handled.length; i += 200) {
    const ids = handled.slice(i, i + 200).map((h) => h.messageId);
    await db.$transaction(async (tx) => {
      for (const messageId of ids) await tx.processedInbound.update({ where: { channel_messageId: { channel: CHANNEL, messageId } }, data: { messageId: storedMessageId(CHANNEL, messageId) } });
    });
    r.messageIds += ids.length;
  }
  const keyed = await db.outboxMessage.findMany({
    where: { idempotencyKey: { startsWith: `${CHANNEL}:` }, NOT: { idempotencyKey: { startsWith: `${CHANNEL}:${MESSAGE_ID_PREFIX}` } } },
    select: { id: true, idempotencyKey: true },
  });
  for (let i = 0; i < keyed.length; i += 200) {
    const rows = keyed.slice(i, i + 200);
    await db.$transaction(async (tx) => {
      for (const row of rows) {
        const hash = row.idempotencyKey.lastIndexOf("#");
        const mid = row.idempotencyKey.slice(CHANNEL.length + 1, hash < 0 ? undefined : hash);
        const rest = hash < 0 ? "" : row.idempotencyKey.slice(hash);
        await tx.outboxMessage.update({ where: { id: row.id }, data: { idempotencyKey: `${CHANNEL}:${storedMessageId(CHANNEL, mid)}${rest}` } });
      }
    });
    r.messageIds += rows.length;
  }

  // The ids the channel gave what we sent (a Cloud API wamid is base64 around the wa_id) are kept
  // as keyed hashes too; delivery statuses and replies are looked up by the same hash.
  const sentIds = await db.outboxMessage.findMany({
    where: { channel: CHANNEL, providerMessageId: { not: null }, NOT: { providerMessageId: { startsWith: MESSAGE_ID_PREFIX } } },
    select: { id: true, providerMessageId: true },
  });
  for (let i = 0; i < sentIds.length; i += 200) {
    const rows = sentIds.slice(i, i + 200);
    await db.$transaction(async (tx) => {
      for (const row of rows) await tx.outboxMessage.update({ where: { id: row.id }, data: { providerMessageId: storedMessageId(CHANNEL, row.providerMessageId!) } });
    });
    r.messageIds += rows.length;
  }

  const auth = await db.whatsAppAuth.findMany({ where: { NOT: { key: { startsWith: AUTH_PREFIX } } }, select: { key: true } });
  for (let i = 0; i < auth.length; i += 200) {
    const keys = auth.slice(i, i + 200).map((a) => a.key);
    await db.$transaction(async (tx) => {
      for (const row of await tx.whatsAppAuth.findMany({ where: { key: { in: keys } } })) {
        const key = authStoreKey(row.key);
        const value = seal(unseal(row.value));
        await tx.whatsAppAuth.upsert({ where: { key }, create: { key, value }, update: { value } });
        await tx.whatsAppAuth.delete({ where: { key: row.key } });
      }
    });
    r.authKeys += keys.length;
  }
  r.total = r.identities + r.merged + r.outboxRows + r.windows + r.authKeys + r.messageIds;
  if (r.total > 0 && o.sqlite) {
    // TRUNCATE reports busy while the checkpoint worker (src/db/sqlite-checkpointer.ts) reads: again.
    for (let i = 0; i < 100; i++) {
      const [res] = o.sqlite.raw.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
      if (!res || res.busy === 0) break;
    }
  }
  return r;
}
