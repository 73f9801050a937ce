/**
 * Finding clients and businesses by part of their name, ignoring case, on both databases: SQL with
 * LOWER ... LIKE, which SQLite and PostgreSQL share (Prisma's `mode: "insensitive"` exists on
 * PostgreSQL only). One SQL text per query, the same for both providers.
 */
import type { Db, Tx } from "./client.js";

function likePattern(q: string): string {
  return `%${q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Clients whose name contains `q`, ignoring case (anonymised ones left out), by name. */
export async function clientIdsByName(db: Db | Tx, q: string, limit = 500): Promise<string[]> {
  const pattern = likePattern(q);
  const rows = await db.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Client" WHERE LOWER("fullName") LIKE ${pattern} ESCAPE '\\' AND "anonymisedAt" IS NULL ORDER BY "fullName" LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/** Businesses whose name contains `q`, ignoring case. */
export async function businessIdsByName(db: Db | Tx, q: string, limit = 500): Promise<string[]> {
  const pattern = likePattern(q);
  const rows = await db.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Business" WHERE LOWER("name") LIKE ${pattern} ESCAPE '\\' LIMIT ${limit}`;
  return rows.map((r) => r.id);
}
