/**
 * The Prisma client types the application is written against. Both generated clients come from the
 * same model (prisma/schema.prisma), so the app is typed against the SQLite one and the PostgreSQL
 * one is used through the same type. Apart from src/db/client.ts so that the connections it opens
 * can name them without importing it back.
 */
import type { PrismaClient } from "../generated/sqlite/client.js";

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
