/**
 * Values written by raw SQL in the formats Prisma itself uses, so Prisma reads them back unchanged
 * (tests/outbox/enqueue.test.ts and tests/conversation/turn-store.test.ts check it).
 */
import { randomUint64 } from "../shared/random-pool.js";

let counter = 0;

/** A collision-resistant id shaped like Prisma's cuid() (25 characters, starting with "c"). */
export function newId(): string {
  counter = (counter + 1) % 1679616;
  // From the pool: one randomBytes call per id cost ~40 µs, a third of a turn's writes.
  const r = randomUint64();
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
