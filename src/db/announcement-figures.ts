/**
 * How many recipients of an announcement have it sent, counted in the database (a join of the
 * recipients to their outbox rows by key) rather than by reading every row into the process: the
 * dashboard's list shows this for up to a hundred announcements of thousands of recipients each.
 * One SQL text, the same for both providers.
 */
import type { Db, Tx } from "./client.js";

export async function sentCount(db: Db | Tx, announcementId: string): Promise<number> {
  const rows = await db.$queryRaw<Array<{ n: number | bigint }>>`SELECT count(*) AS "n" FROM "AnnouncementRecipient" r
    JOIN "OutboxMessage" o ON o."idempotencyKey" = r."outboxKey"
    WHERE r."announcementId" = ${announcementId} AND r."status" = 'queued' AND o."status" = 'sent'`;
  return Number(rows[0]?.n ?? 0);
}
