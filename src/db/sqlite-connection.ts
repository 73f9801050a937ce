/**
 * The embedded database's one connection, shared by Prisma and by the inbox's hot path. It is ours:
 * opened here and handed to Prisma through the public driver-adapter interface
 * (src/db/sqlite-adapter.ts), so nothing of Prisma's own adapter is patched.
 *
 * Why not Prisma's adapter as it comes: a Prisma interactive transaction costs ~0.2 ms and each model
 * query ~0.4 ms here, against ~0.01 ms for a prepared better-sqlite3 statement; a conversation turn
 * needs about ten statements. So a turn runs its own BEGIN IMMEDIATE … COMMIT on this connection,
 * does its frequent reads and writes (dedupe, identity, session, outbox) with prepared statements,
 * and hands the rest of its work (a submission, the workflow) to `turnClient`, a second Prisma client
 * on the same connection that runs inside the open transaction (its own transactions become
 * savepoints). Turns that arrive together share one commit (`transaction`). Prisma's transactions,
 * groups of turns and bare writes take the same first-come first-served gate, so only one
 * transaction is open on the connection at a time and nothing joins one it does not belong to.
 */
import Database from "better-sqlite3";
import type { Transaction } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "../generated/sqlite/client.js";
import { PrismaStatements, sqliteAdapterFactory, sqliteTransaction } from "./sqlite-adapter.js";
import { SqliteCheckpointer } from "./sqlite-checkpointer.js";
import { markProvider } from "./provider.js";
import { secureDelete } from "./sqlite-privacy.js";
import { PRISMA_OPTIONS } from "./prisma-options.js";

type Db = PrismaClient;

interface PendingWork {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** Works per group commit at most, so a long queue still commits (and answers) regularly. */
const MAX_GROUP = 32;

/**
 * First-come first-served lock for "a transaction is open on the connection". A waiter is let in
 * on the next turn of the event loop, so file writes and sockets are served between transactions
 * (the connection answers synchronously and back-to-back turns would otherwise starve them).
 */
export class TransactionGate {
  private held = false;
  private readonly waiting: Array<{ enter: () => void }> = [];

  get isHeld(): boolean {
    return this.held;
  }

  /** How many wait for the gate now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with the release function once the gate is ours; rejects after `timeoutMs` if given. */
  async acquire(timeoutMs?: number): Promise<() => void> {
    if (this.held || this.waiting.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          enter: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer =
          timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                const at = this.waiting.indexOf(waiter);
                if (at >= 0) this.waiting.splice(at, 1);
                reject(new Error(`the database stayed busy for ${timeoutMs} ms (a write outside a transaction was used inside one?)`));
              }, timeoutMs);
        this.waiting.push(waiter);
      });
    } else {
      this.held = true;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) setImmediate(next.enter);
      else this.held = false;
    };
  }
}

/** Statements that only read: they run at once, whatever is open. */
const READ_ONLY = /^\s*(SELECT|WITH|PRAGMA|EXPLAIN)\b/i;

/** How long a write outside a transaction waits for the connection before it gives up. */
const ALONE_WRITE_WAIT_MS = 15_000;

/** The embedded database's page cache, KiB. */
const PAGE_CACHE_KIB = 4096;

/**
 * How the service's connection is set up (after WAL is on). Exported for `npm run bench:engine`,
 * whose raw baseline must pay what the service pays per write (secure delete, the page cache) and
 * be spared what it is spared (checkpoints in commits), or the comparison is not like for like.
 */
export function applyConnectionSettings(raw: Database.Database): void {
  raw.pragma("synchronous = NORMAL");
  raw.pragma("foreign_keys = ON");
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection. After a burst of 10,000
  // people it was full and malloc kept it (RSS +36 MB, npm run bench:memory); 4 MB holds the hot
  // index pages of a turn, and the rest comes from the operating system's cache.
  raw.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  secureDelete(raw);
  // Most checkpointing runs in a worker thread (src/db/sqlite-checkpointer.ts), not in commits.
  raw.pragma("wal_autocheckpoint = 10000");
}

export class SqliteConnection {
  readonly gate = new TransactionGate();
  /** True while a turn (not a Prisma transaction) holds the gate. */
  private turnOpen = false;
  private savepoints = 0;
  checkpointer!: SqliteCheckpointer;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepointWork: Database.Statement;
  private readonly releaseWork: Database.Statement;
  private readonly rollbackWork: Database.Statement;
  private readonly pending: PendingWork[] = [];
  private draining = false;

  private constructor(
    /** The connection itself, for prepared statements of the hot path. */
    readonly raw: Database.Database,
    private readonly statements: PrismaStatements,
    /** The application's client: its transactions take the gate. */
    readonly db: Db,
    /** Only for use inside `transaction`: runs in the open transaction. */
    readonly turnClient: Db,
  ) {
    this.begin = raw.prepare("BEGIN IMMEDIATE");
    this.commit = raw.prepare("COMMIT");
    this.rollback = raw.prepare("ROLLBACK");
    this.savepointWork = raw.prepare("SAVEPOINT work");
    this.releaseWork = raw.prepare("RELEASE work");
    this.rollbackWork = raw.prepare("ROLLBACK TO work");
  }

  static async open(
    file: string,
    options: { timeout: number; log?: (query: string) => void; onCheckpointError?: (message: string) => void },
  ): Promise<SqliteConnection> {
    // `timeout` is SQLite's busy timeout: how long to wait for another process's write lock.
    const raw = new Database(file, { timeout: options.timeout });
    const statements = new PrismaStatements(raw);
    // The adapters' hooks need the connection object, which needs the clients made from them.
    const self: { conn?: SqliteConnection } = {};
    const beginPrisma = raw.prepare("BEGIN");
    const gated = sqliteAdapterFactory(statements, {
      // A write outside a transaction (the dashboard's audit rows, a sign-in link) must not land in
      // a transaction that is open on the connection: a turn rolled back would take it along. It
      // waits for the gate and runs alone. Reads run at once.
      route: async (q, run) => {
        const gate = self.conn!.gate;
        if (READ_ONLY.test(q.sql) || !gate.isHeld) return run();
        const release = await gate.acquire(ALONE_WRITE_WAIT_MS);
        try {
          return await run();
        } finally {
          release();
        }
      },
      startTransaction: async () => {
        const release = await self.conn!.gate.acquire();
        try {
          beginPrisma.run();
        } catch (e) {
          release();
          throw e;
        }
        return sqliteTransaction(statements, { usePhantomQuery: false, commit: async () => release(), rollback: async () => release() });
      },
      dispose: async () => void raw.close(),
    });
    const inTurn = sqliteAdapterFactory(statements, {
      route: (_q, run) => {
        self.conn!.assertTurnOpen();
        return run();
      },
      startTransaction: async () => self.conn!.savepoint(),
      dispose: async () => undefined,
    });
    const logOption = options.log ? { log: [{ emit: "event" as const, level: "query" as const }] } : {};
    const db = new PrismaClient({ adapter: gated, ...PRISMA_OPTIONS, ...logOption });
    const turnClient = new PrismaClient({ adapter: inTurn, ...PRISMA_OPTIONS, ...logOption });
    markProvider(db, "sqlite");
    markProvider(turnClient, "sqlite");
    if (options.log) {
      const log = options.log;
      for (const client of [db, turnClient]) (client as unknown as { $on(e: "query", f: (q: { query: string }) => void): void }).$on("query", (q) => log(q.query));
    }
    const conn = new SqliteConnection(raw, statements, db, turnClient);
    self.conn = conn;
    applyConnectionSettings(raw);
    conn.checkpointer = new SqliteCheckpointer(file, options.onCheckpointError ? { onError: options.onCheckpointError } : {});
    return conn;
  }

  /**
   * Runs `work` in a transaction on the connection: it may use `raw` statements and `turnClient`,
   * and everything it wrote is committed when it resolves, or undone when it throws. The returned
   * promise settles only after the commit.
   *
   * Group commit: works that arrive while others run share one transaction, each inside its own
   * savepoint (a failing one is rolled back alone), and one COMMIT ends the group. A commit writes
   * every page the transaction touched to the WAL, and consecutive turns touch the same index and
   * table pages, so a group of turns writes a fraction of the pages one commit per turn would.
   * Nothing is acknowledged before its group committed, so what is durable is what was answered.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        const release = await this.gate.acquire();
        const done: Array<{ item: PendingWork; value: unknown }> = [];
        let lost: unknown;
        try {
          this.begin.run();
          this.turnOpen = true;
          for (let n = 0; n < MAX_GROUP && this.pending.length > 0; n++) {
            const item = this.pending.shift()!;
            this.savepointWork.run();
            try {
              const value = await item.work();
              this.releaseWork.run();
              done.push({ item, value });
            } catch (e) {
              item.reject(e);
              if (!this.raw.inTransaction) {
                // SQLite ended the whole transaction (I/O error, disk full): the group is lost.
                lost = e;
                break;
              }
              this.rollbackWork.run();
              this.releaseWork.run();
            }
          }
          if (lost === undefined) this.commit.run();
        } catch (e) {
          lost = e;
          if (this.raw.inTransaction) this.rollback.run();
        } finally {
          this.turnOpen = false;
          release();
        }
        for (const { item, value } of done) {
          if (lost === undefined) item.resolve(value);
          else item.reject(lost);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  async close(): Promise<void> {
    await this.checkpointer.stop();
    await this.turnClient.$disconnect();
    await this.db.$disconnect();
  }

  private assertTurnOpen(): void {
    // A leaked reference used after its turn ended would write outside any transaction.
    if (!this.turnOpen) throw new Error("the turn's database client was used outside its turn");
  }

  /** A transaction Prisma starts inside a turn (a nested write): a savepoint of the turn's transaction. */
  private async savepoint(): Promise<Transaction> {
    this.assertTurnOpen();
    const name = `turn_sp_${++this.savepoints}`;
    this.raw.exec(`SAVEPOINT ${name}`);
    return sqliteTransaction(this.statements, {
      usePhantomQuery: true,
      commit: async () => void this.raw.exec(`RELEASE ${name}`),
      rollback: async () => void this.raw.exec(`ROLLBACK TO ${name}; RELEASE ${name}`),
    });
  }
}
