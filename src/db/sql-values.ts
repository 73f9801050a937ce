/**
 * Values written by raw SQL in the formats Prisma itself uses, so Prisma reads them back unchanged
 * (tests/outbox/enqueue.test.ts and tests/conversation/turn-store.test.ts check it).
 */
import crypto from "node:crypto";

let counter = 0;
/** Random bytes drawn 4 KB at a time: one randomBytes call per id cost ~40 µs, a third of a turn's writes. */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/** A collision-resistant id shaped like Prisma's cuid() (25 characters, starting with "c"). */
export function newId(): string {
  counter = (counter + 1) % 1679616;
  if (poolAt + 8 > pool.length) {
    crypto.randomFillSync(pool);
    poolAt = 0;
  }
  const r = pool.readBigUInt64BE(poolAt);
  poolAt += 8;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const count = counter.toString(36).padStart(4, "0");
  const random = r.toString(36).padStart(12, "0").slice(-12);
  return `c${time}${count}${random}`;
}

/** A UTC instant for a PostgreSQL timestamp(3) column (no zone: Prisma keeps UTC there). */
export function pgTimestamp(d: Date): string {
  return d.toISOString().slice(0, 23).replace("T", " ");
}

/** DateTime as Prisma stores it in SQLite. */
export function sqliteDate(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

/** A DateTime column read raw from SQLite (null stays null). */
export function fromSqliteDate(v: unknown): Date | null {
  return typeof v === "string" ? new Date(v) : null;
}
