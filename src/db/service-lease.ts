/**
 * A database lease: one row per name says which instance holds a login that only one may use at
 * a time (the WhatsApp login), until when. Taking and renewing are one conditional UPDATE (held by
 * me, or lapsed), so two instances racing on one PostgreSQL database never both win; the first
 * take of a name is an INSERT whose unique key settles the same race.
 */
import type { Db } from "./client.js";

export interface ServiceLeaseStore {
  /** Take or renew the lease until `now + ttlMs` if free, lapsed or already `holder`'s; true when held. */
  hold(holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Give it up now (a clean stop), so another instance need not wait for it to lapse. */
  release(holder: string, now: Date): Promise<void>;
  /** Who holds it at `now` (null: nobody). */
  holder(now: Date): Promise<string | null>;
}

export function prismaServiceLease(db: Db, name: string): ServiceLeaseStore {
  return {
    async hold(holder, now, ttlMs) {
      const expiresAt = new Date(now.getTime() + ttlMs);
      const renewed = await db.serviceLease.updateMany({ where: { name, holder }, data: { expiresAt } });
      if (renewed.count > 0) return true;
      const taken = await db.serviceLease.updateMany({ where: { name, expiresAt: { lte: now } }, data: { holder, expiresAt, acquiredAt: now } });
      if (taken.count > 0) return true;
      if ((await db.serviceLease.count({ where: { name } })) > 0) return false;
      try {
        await db.serviceLease.create({ data: { name, holder, expiresAt, acquiredAt: now } });
        return true;
      } catch {
        // Another instance created it first (unique name): it holds it.
        return false;
      }
    },
    async release(holder, now) {
      await db.serviceLease.updateMany({ where: { name, holder }, data: { expiresAt: now } });
    },
    async holder(now) {
      const row = await db.serviceLease.findUnique({ where: { name } });
      return row && row.expiresAt > now ? row.holder : null;
    },
  };
}
