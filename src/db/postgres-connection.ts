/**
 * PostgreSQL through a pool that is ours, handed to Prisma's pg adapter (a `pg.Pool` is what its
 * public constructor takes). A turn runs in a Prisma interactive transaction, and its frequent
 * reads and writes (the person's lock, dedupe, identity, session, outbox) go as named prepared
 * statements on the very pool connection that transaction holds: parsed once per connection,
 * one round trip each, in the same transaction as everything Prisma writes for the turn.
 *
 * How the turn finds that connection: Prisma's adapter takes it with `pool.connect()` when the
 * transaction starts, in the async context of our `transaction` call, so the pool hands it to the
 * waiting turn through AsyncLocalStorage. No Prisma internals are read.
 *
 * Prisma's own statements are named too (the adapter's public `statementNameGenerator`), so
 * PostgreSQL plans each shape once per connection instead of on every query.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "../generated/postgresql/client.js";
import { PRISMA_OPTIONS } from "./prisma-options.js";
import type { Db, Tx } from "./types.js";
import { PgSession } from "./pg-statements.js";
import { markProvider } from "./provider.js";

/** The connection a transaction started in this async context got from the pool. */
interface TurnSlot {
  client?: pg.PoolClient;
}

const slots = new AsyncLocalStorage<TurnSlot>();

class TurnPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    // pool.query() (Prisma's statements outside a transaction) connects with a callback: not a turn's.
    if (callback) return super.connect(callback);
    const slot = slots.getStore();
    const connected = super.connect();
    if (!slot || slot.client) return connected;
    return connected.then((client) => {
      slot.client = client;
      return client;
    });
  }
}

/** Names Prisma's statements get: by their text, so one name is always one text. */
const MAX_NAMED = 2000;

function prismaStatementNames(): (q: { sql: string }) => string {
  const names = new Map<string, string>();
  return (q) => {
    let name = names.get(q.sql);
    if (name === undefined) {
      // Beyond this many shapes (IN lists of every length), the rest run unnamed ("" is pg's
      // unnamed statement) rather than growing every connection's prepared statements without bound.
      if (names.size >= MAX_NAMED) return "";
      name = `prisma_${crypto.createHash("sha1").update(q.sql).digest("hex").slice(0, 20)}`;
      names.set(q.sql, name);
    }
    return name;
  };
}

/** OIDs of `timestamp` (Prisma's DateTime: UTC without a zone). */
const TIMESTAMP = 1114;

/** pg would read a zone-less timestamp as local time; Prisma keeps UTC there. */
const utcTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP && format !== "binary" ? (v: string) => new Date(`${v.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

export interface PgTransactionOptions {
  maxWait: number;
  timeout: number;
}

export class PostgresConnection {
  private constructor(
    private readonly pool: TurnPool,
    readonly db: Db,
  ) {}

  static open(url: string, o: { max: number }): PostgresConnection {
    const pool = new TurnPool({ connectionString: url, max: o.max });
    // An idle connection the server ends (a restart, a failover, an administrator's terminate) is
    // reported by the pool as an "error" event; unhandled, it would crash the process. pg has already
    // dropped that client from the pool, and the next query opens a new one, so there is nothing to do.
    pool.on("error", () => undefined);
    const adapter = new PrismaPg(pool, { statementNameGenerator: prismaStatementNames() });
    const db = new PgClient({ adapter, ...PRISMA_OPTIONS }) as unknown as Db;
    markProvider(db, "postgresql");
    return new PostgresConnection(pool, db);
  }

  /**
   * `work` in a Prisma interactive transaction, with the pool connection it runs on as named
   * prepared statements (`session`). Both write into the one transaction.
   */
  transaction<T>(work: (tx: Tx, session: PgSession) => Promise<T>, options: PgTransactionOptions): Promise<T> {
    const slot: TurnSlot = {};
    return slots.run(slot, () =>
      this.db.$transaction(async (tx) => {
        if (!slot.client) throw new Error("the transaction's connection was not seen (did Prisma's pg adapter change how it connects?)");
        return work(tx, new PgSession(slot.client, utcTypes));
      }, options),
    );
  }

  async close(): Promise<void> {
    await this.db.$disconnect();
    await this.pool.end();
  }
}
