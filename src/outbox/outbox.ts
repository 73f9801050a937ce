/**
 * The outbox: every message to send is a row written in the same transaction as what caused it (a
 * turn, a sweep of reminders), and the sender (src/outbox/sender.ts) drains it. This module is the
 * one way in: `enqueue` holds the rules of writing, `Outbox` picks the store of the database
 * (src/outbox/store.ts) and runs the sender's steps in transactions of their own.
 *
 * Rules: idempotency keys make a replayed cause write nothing twice; `seq` numbers one person's
 * messages in order (the sender never sends one while an earlier one of the same person waits).
 */
import { writeJson, ZOutboxPayload } from "../db/json-columns.js";
import type { Db, Provider, Tx } from "../db/client.js";
import { newId } from "../db/sql-values.js";
import { prismaStatements } from "../db/pg-statements.js";
import type { PostgresConnection } from "../db/postgres-connection.js";
import type { SqliteConnection } from "../db/sqlite-connection.js";
import type { Outbound } from "../messaging/model.js";
import { SENT_AT_MOST_ONCE } from "../messaging/kinds.js";
import { PostgresOutboxStore } from "./postgres-store.js";
import { SqliteOutboxStore } from "./sqlite-store.js";
import type { Lane, NewOutboxRow, OutboxStore, Recipient } from "./store.js";
import { sealIfKeyed } from "../security/at-rest.js";

export interface OutboxItem {
  identityId: string;
  message: Outbound;
  /** Unique per message: the cause (inbound message id, reminder id) plus its position. */
  idempotencyKey: string;
}

export interface EnqueueOptions {
  /** Recipients whose channel and address the caller has at hand (saves a read). */
  known?: readonly Recipient[];
  /**
   * PostgreSQL: take each recipient's per-person lock before numbering their messages, so that two
   * writers to one person (two sweep workers, a sweep and a turn) never give two messages the same
   * seq. The sweep does. A turn does not: it holds its own person's lock already, and taking other
   * people's locks after it would invert the order the sweep takes them in (a deadlock).
   */
  lockRecipients?: boolean;
  /** The sender's lane (src/outbox/store.ts Lane): `live` unless the caller says this is bulk work. */
  lane?: Lane;
}

/**
 * Write messages to send, due at `now`, inside the store's transaction. Items whose key has a row
 * already (or appeared earlier in `items`) are skipped. Returns how many rows were written.
 * Throws, before writing anything, for a message that is not a valid Outbound or an unknown identity.
 */
export async function enqueue(store: OutboxStore, items: readonly OutboxItem[], now: Date, o: EnqueueOptions = {}): Promise<number> {
  if (items.length === 0) return 0;
  const keys = new Set<string>();
  const unique = items.filter((i) => (keys.has(i.idempotencyKey) ? false : (keys.add(i.idempotencyKey), true)));
  // Without recipients to lock first, the keys and the last seqs are asked in one statement (the
  // seqs of everyone in `unique`: those of keys already written are not used).
  const both = o.lockRecipients ? null : await store.keysAndSeqs([...keys], [...new Set(unique.map((i) => i.identityId))]);
  const existing = both ? both.existing : await store.existingKeys([...keys]);
  const fresh = unique.filter((i) => !existing.has(i.idempotencyKey));
  if (fresh.length === 0) return 0;

  const identityIds = [...new Set(fresh.map((i) => i.identityId))];
  const recipients = new Map<string, Recipient>();
  for (const k of o.known ?? []) recipients.set(k.id, { id: k.id, channel: k.channel, address: k.address });
  const unknown = identityIds.filter((id) => !recipients.has(id));
  if (unknown.length > 0) for (const r of await store.recipients(unknown)) recipients.set(r.id, r);
  const payloads = fresh.map((item) => {
    if (!recipients.has(item.identityId)) throw new Error(`enqueue: identity ${item.identityId} does not exist`);
    // Sealed (src/security/at-rest.ts): replies quote what people typed (the registration summary).
    return sealIfKeyed(writeJson(ZOutboxPayload, item.message));
  });

  if (o.lockRecipients) await store.lockRecipients(identityIds.map((id) => recipients.get(id)!));
  const lastSeq = both ? both.lastSeq : await store.lastSeqs(identityIds);
  const rows: NewOutboxRow[] = fresh.map((item, n) => {
    const to = recipients.get(item.identityId)!;
    const seq = (lastSeq.get(to.id) ?? 0) + 1;
    lastSeq.set(to.id, seq);
    return { id: newId(), identityId: to.id, channel: to.channel, address: to.address, payloadJson: payloads[n]!, idempotencyKey: item.idempotencyKey, seq, lane: o.lane ?? "live", onceOnly: item.message.kind !== undefined && SENT_AT_MOST_ONCE.has(item.message.kind) };
  });
  return store.insert(rows, now);
}

/** The database the outbox lives in; on SQLite its connection is required (the store runs on it). */
export interface OutboxDatabase {
  db: Db;
  provider: Provider;
  sqlite?: SqliteConnection | undefined;
  /** PostgreSQL's pool: the sender's transactions run their statements prepared on its connection. */
  postgres?: PostgresConnection | undefined;
}

/** Prisma's defaults for an interactive transaction: the sender's are short. */
const SENDER_TX = { maxWait: 2_000, timeout: 5_000 } as const;

export class Outbox {
  private readonly sqliteStore: SqliteOutboxStore | undefined;

  constructor(private readonly database: OutboxDatabase) {
    if (database.provider === "sqlite" && !database.sqlite) throw new Error("the outbox on SQLite needs the database's connection (sqlite)");
    this.sqliteStore = database.sqlite ? SqliteOutboxStore.on(database.sqlite.raw) : undefined;
  }

  /**
   * The outbox inside `tx`, a transaction open on this database. On SQLite every transaction is on
   * the one connection, whichever client opened it, so the store is that connection's.
   */
  in(tx: Tx): OutboxStore {
    return this.sqliteStore ?? new PostgresOutboxStore(prismaStatements(tx));
  }

  /** `enqueue` inside `tx`. */
  enqueue(tx: Tx, items: readonly OutboxItem[], now: Date, o: EnqueueOptions = {}): Promise<number> {
    return enqueue(this.in(tx), items, now, o);
  }

  /**
   * One statement of the store on its own (the sender marking one row sent): on PostgreSQL straight
   * on the pool, without an interactive transaction's BEGIN and COMMIT round trips (a statement
   * commits by itself); on SQLite a transaction of its own, as `transaction`.
   */
  statement<T>(work: (store: OutboxStore) => Promise<T>): Promise<T> {
    if (this.sqliteStore) return this.transaction(work);
    // The client runs the same raw statements as a transaction client does.
    return work(new PostgresOutboxStore(prismaStatements(this.database.db)));
  }

  /**
   * `work` in a short transaction of its own (the sender's claims and outcomes). On SQLite it joins
   * the connection's group commit with the turns.
   */
  transaction<T>(work: (store: OutboxStore) => Promise<T>): Promise<T> {
    const { sqlite } = this.database;
    const store = this.sqliteStore;
    if (sqlite && store) return sqlite.transaction(() => work(store));
    const { postgres } = this.database;
    if (postgres) return postgres.transaction((_tx, session) => work(new PostgresOutboxStore(session)), SENDER_TX);
    return this.database.db.$transaction((tx) => work(new PostgresOutboxStore(prismaStatements(tx))));
  }
}
