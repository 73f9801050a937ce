/**
 * WhatsApp's customer-service window per person (model WhatsAppWindow), for the Cloud API channel;
 * the person's language comes from their identity on the "whatsapp" channel.
 */
import type { WindowState, WindowStore } from "../channels/whatsapp-cloud/window.js";
import type { Db } from "./client.js";

export function prismaWindowStore(db: Db): WindowStore {
  const upsert = (address: string, data: { lastInboundAt?: Date | null; noticeSentAt?: Date | null }) =>
    // Writes in a transaction: on SQLite a bare statement would join a transaction open on the connection.
    db.$transaction((tx) => tx.whatsAppWindow.upsert({ where: { address }, create: { address, ...data }, update: data }));
  return {
    async get(address): Promise<WindowState> {
      const [row, identity] = await Promise.all([
        db.whatsAppWindow.findUnique({ where: { address } }),
        db.identity.findUnique({ where: { channel_address: { channel: "whatsapp", address } }, select: { language: true } }),
      ]);
      return { lastInboundAt: row?.lastInboundAt ?? null, noticeSentAt: row?.noticeSentAt ?? null, language: identity?.language ?? null };
    },
    async personWrote(address, at) {
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
