/**
 * WhatsApp's customer-service window per person (model WhatsAppWindow), for the Cloud API channel;
 * the person's language comes from their identity on the "whatsapp" channel.
 */
import type { WindowState, WindowStore } from "../channels/whatsapp-cloud/window.js";
import type { Db } from "./client.js";
import { storedAddress } from "../security/address-index.js";

/**
 * The channel speaks in wa_ids; the table and the identity keep the number's blind index
 * (src/security/address-index.ts), so each method turns the one into the other first.
 */
const indexed = (address: string) => storedAddress("whatsapp", address);

export function prismaWindowStore(db: Db): WindowStore {
  const upsert = (waId: string, data: { lastInboundAt?: Date | null; noticeSentAt?: Date | null }, address = indexed(waId)) =>
    // Writes in a transaction: on SQLite a bare statement would join a transaction open on the connection.
    db.$transaction((tx) => tx.whatsAppWindow.upsert({ where: { address }, create: { address, ...data }, update: data }));
  return {
    async get(waId): Promise<WindowState> {
      const address = indexed(waId);
      const [row, identity] = await Promise.all([
        db.whatsAppWindow.findUnique({ where: { address } }),
        db.identity.findUnique({ where: { channel_address: { channel: "whatsapp", address } }, select: { language: true } }),
      ]);
      return { lastInboundAt: row?.lastInboundAt ?? null, noticeSentAt: row?.noticeSentAt ?? null, language: identity?.language ?? null };
    },
    async personWrote(waId, at) {
      const address = indexed(waId);
      await db.$transaction(async (tx) => {
        const row = await tx.whatsAppWindow.findUnique({ where: { address }, select: { lastInboundAt: true } });
        // Someone who writes can be written to: an earlier "unreachable" (a failed delivery) no longer holds.
        await tx.identity.updateMany({ where: { channel: "whatsapp", address, unreachableAt: { not: null } }, data: { unreachableAt: null } });
        if (row?.lastInboundAt && row.lastInboundAt >= at) return;
        await tx.whatsAppWindow.upsert({ where: { address }, create: { address, lastInboundAt: at }, update: { lastInboundAt: at } });
      });
    },
    async noticeSent(address, at) {
      await upsert(address, { noticeSentAt: at });
    },
    async closed(address) {
      await upsert(address, { lastInboundAt: null, noticeSentAt: null });
    },
  };
}
