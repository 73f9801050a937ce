/**
 * `npm run bench:engine`: simulated clients complete the registration and assessment through the
 * inbox and the engine with persistence, on the database DATABASE_URL names: a temp SQLite file by
 * default, or, for a `postgresql://` URL, a fresh database on that server (created and dropped by
 * this script). Beside it, in the same run, a raw baseline writes exactly what the turns wrote.
 * Prints persisted turns per second, p50/p99 latency per turn, CPU time per turn and peak memory.
 *   BENCH_CLIENTS (default 200), BENCH_CONCURRENCY (default 32), BENCH_WARMUP clients (default 20)
 *
 * The raw baseline is like for like: while the service runs, every INSERT, UPDATE and DELETE it
 * sends (Prisma's and the hot path's, with their values) is recorded per turn (per transaction on
 * PostgreSQL; per turn's savepoint inside SQLite's group commit). Then a second database is
 * migrated with the same migrations (the same tables and indexes) and the recorded statements are
 * replayed with better-sqlite3 / raw `pg` as prepared statements, one transaction per turn (and
 * grouped), on SQLite with the service's own connection settings (src/db/sqlite-connection.ts).
 * Only the bench turns are timed; the warm-up's writes are replayed first, untimed.
 *
 * The warm-up clients register first and are not counted: a fresh process compiles every query
 * shape (Prisma's query compiler, V8's JIT) on first use, which is start-up cost, not turn cost.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { loadConfig } from "../src/config/config.js";
import { migrate } from "../src/db/migrate.js";
import { applyConnectionSettings } from "../src/db/sqlite-connection.js";
import { createLogger } from "../src/logging/logger.js";
import { startService } from "../src/service.js";
import { REGISTRATION_SCRIPT, type ScriptStep } from "../tests/support/registration-script.js";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const GROUP = Math.min(CONCURRENCY, 32);
const URL_GIVEN = process.env.DATABASE_URL ?? "";
const PROVIDER: "sqlite" | "postgresql" = /^postgres(ql)?:\/\//.test(URL_GIVEN) ? "postgresql" : "sqlite";

let peakRss = 0;
let walBytes = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Recording what the turns write

interface Write {
  sql: string;
  args: unknown[];
}
/** One committed unit of work (a turn), in commit order. */
const units: Write[][] = [];
const WRITE = /^\s*(INSERT|UPDATE|DELETE)\b/i;
/** Only the turns are recorded (not the migrations, not the replay itself). */
let recording = false;

/** better-sqlite3: every statement runs through Statement#run/get/all; a turn opens `SAVEPOINT work`. */
function recordSqlite(): void {
  const probe = new Database(":memory:");
  const proto = Object.getPrototypeOf(probe.prepare("SELECT 1")) as Record<"run" | "get" | "all", (...a: unknown[]) => unknown> & { source: string };
  probe.close();
  let current: Write[] | null = null;
  for (const m of ["run", "get", "all"] as const) {
    const original = proto[m];
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      if (!recording) return original.apply(this, args);
      const sql = this.source;
      if (sql === "SAVEPOINT work") units.push((current = []));
      else if (sql === "ROLLBACK TO work" && current) current.length = 0;
      else if (current && WRITE.test(sql)) current.push({ sql, args });
      return original.apply(this, args);
    };
  }
}

/** pg: every statement runs through Client#query; a transaction is BEGIN ... COMMIT on one client. */
function recordPostgres(): void {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  const open = new WeakMap<object, Write[]>();
  proto.query = function (this: object, ...a: unknown[]) {
    if (!recording) return original.apply(this, a);
    const first = a[0] as string | { text?: string; values?: unknown[] };
    const sql = typeof first === "string" ? first : (first?.text ?? "");
    const values = (typeof first === "string" ? a[1] : first?.values) as unknown[] | undefined;
    if (/^\s*BEGIN\b/i.test(sql)) open.set(this, []);
    else if (/^\s*COMMIT\b/i.test(sql)) {
      const unit = open.get(this);
      if (unit?.length) units.push(unit);
      open.delete(this);
    } else if (/^\s*ROLLBACK\b/i.test(sql)) open.delete(this);
    else if (WRITE.test(sql)) open.get(this)?.push({ sql, args: Array.isArray(values) ? [...values] : [] });
    return original.apply(this, a);
  };
}

// ---------------------------------------------------------------------------------------------
// Databases

interface BenchDb {
  url: string;
  drop(): Promise<void>;
}

async function freshDatabase(dir: string, label: string): Promise<BenchDb> {
  if (PROVIDER === "sqlite") {
    const file = path.join(dir, `${label}.db`);
    return { url: `file:${file}`, drop: async () => undefined };
  }
  const name = `plut_bench_${label}_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: URL_GIVEN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(URL_GIVEN);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: URL_GIVEN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The engine

async function runEngine(dir: string, url: string): Promise<{ turns: number; seconds: number; latencies: number[]; outbox: number; cpuMicros: number; benchFrom: number }> {
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dir, SCHEDULER_ENABLED: "false", WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" }, "/nonexistent");
  const { TestChannel } = await import("../tests/support/test-channel.js");
  const channel = new TestChannel();
  const service = await startService(config, createLogger({ level: "silent" }), { channels: [channel], listen: false });
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(40_000)]);
  let latencies: number[] = [];
  async function client(who: string) {
    for (const step of REGISTRATION_SCRIPT as ScriptStep[]) {
      const t0 = performance.now();
      if (step === "PHOTO") await channel.photo(who, photo);
      else if (step.startsWith("#")) await channel.choice(who, step.slice(1));
      else await channel.text(who, step);
      const ms = performance.now() - t0;
      latencies.push(ms);
      if (ms > 1000 && process.env.BENCH_DEBUG) console.error(`slow turn ${ms.toFixed(0)} ms: ${step.slice(0, 30)}`);
    }
  }
  async function run(prefix: string, clients: number) {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, clients) }, async () => {
        while (next < clients) await client(`${prefix}-${next++}`);
      }),
    );
  }
  recording = true;
  await run("warmup", WARMUP);
  latencies = [];
  const benchFrom = units.length;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await run("bench", CLIENTS);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  recording = false;
  const cases = await service.database.db.consultationCase.count();
  if (cases !== WARMUP + CLIENTS) throw new Error(`expected ${WARMUP + CLIENTS} cases, got ${cases}: the script no longer completes the registration`);
  const outbox = await service.database.db.outboxMessage.count({ where: { address: { startsWith: "bench-" } } });
  const wal = path.join(dir, "engine.db-wal");
  walBytes = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
  await service.stop();
  return { turns: latencies.length, seconds, latencies: latencies.sort((a, b) => a - b), outbox, cpuMicros: cpu.user + cpu.system, benchFrom };
}

// ---------------------------------------------------------------------------------------------
// The raw baseline: the recorded writes, replayed

/** Replays units[from..] in transactions of `perCommit` units; returns units per second. */
async function replay(dir: string, from: number, perCommit: number, label: string): Promise<number> {
  const target = await freshDatabase(dir, label);
  try {
    await migrate(target.url);
    return PROVIDER === "sqlite" ? replaySqlite(target.url.slice("file:".length), from, perCommit) : await replayPostgres(target.url, from, perCommit);
  } finally {
    await target.drop();
  }
}

function replaySqlite(file: string, from: number, perCommit: number): number {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // The service's own settings: secure delete and its page cache cost on every write, and its
  // checkpoints run in a worker, not in commits. With SQLite's defaults instead (a checkpoint with
  // two fsyncs inside every ~1,000th page's commit) the baseline measured the disk more than the
  // writes: 3,760-4,650 turns/s here against 7,235-8,214 on another machine of the same kind.
  applyConnectionSettings(db);
  const prepared = new Map<string, Database.Statement>();
  const exec = (w: Write) => {
    let s = prepared.get(w.sql);
    if (!s) prepared.set(w.sql, (s = db.prepare(w.sql)));
    if (s.reader) s.all(...w.args);
    else s.run(...w.args);
  };
  const group = db.transaction((list: Write[][]) => {
    for (const unit of list) for (const w of unit) exec(w);
  });
  group(units.slice(0, from)); // the warm-up's rows, untimed
  const timed = units.slice(from);
  const t0 = performance.now();
  for (let i = 0; i < timed.length; i += perCommit) group(timed.slice(i, i + perCommit));
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return timed.length / seconds;
}

async function replayPostgres(url: string, from: number, perCommit: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const names = new Map<string, string>();
  const name = (sql: string) => {
    let n = names.get(sql);
    if (!n) names.set(sql, (n = `raw_${names.size}`));
    return n;
  };
  const run = async (list: Write[][]) => {
    await client.query("BEGIN");
    for (const unit of list) for (const w of unit) await client.query({ name: name(w.sql), text: w.sql, values: w.args });
    await client.query("COMMIT");
  };
  await run(units.slice(0, from));
  const timed = units.slice(from);
  const t0 = performance.now();
  for (let i = 0; i < timed.length; i += perCommit) await run(timed.slice(i, i + perCommit));
  const seconds = (performance.now() - t0) / 1000;
  await client.end();
  return timed.length / seconds;
}

// ---------------------------------------------------------------------------------------------

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-bench-"));
const engineDb = await freshDatabase(dir, "engine");
try {
  if (PROVIDER === "sqlite") recordSqlite();
  else recordPostgres();
  if (PROVIDER === "postgresql") await migrate(engineDb.url);
  const r = await runEngine(dir, engineDb.url);
  const timedUnits = units.length - r.benchFrom;
  const writes = units.slice(r.benchFrom).reduce((n, u) => n + u.length, 0);
  const tables = new Set(units.flatMap((u) => u.map((w) => /(?:INTO|UPDATE|FROM)\s+(?:[`"]?\w+[`"]?\.)?[`"]?(\w+)/i.exec(w.sql)?.[1] ?? "?")));
  // Units per second of the replay, as turns per second (a unit is one turn's transaction).
  const rawRate = (await replay(dir, r.benchFrom, 1, "raw1")) * (r.turns / timedUnits);
  const rawGrouped = (await replay(dir, r.benchFrom, GROUP, "rawg")) * (r.turns / timedUnits);
  const rate = r.turns / r.seconds;
  const driver = PROVIDER === "sqlite" ? "better-sqlite3" : "pg";
  console.log(`provider ${PROVIDER}, clients ${CLIENTS} (after ${WARMUP} warm-up), concurrency ${CONCURRENCY}, turns ${r.turns}, replies written ${r.outbox}`);
  console.log(`persisted turns/s   ${rate.toFixed(0)}`);
  console.log(`latency per turn    p50 ${pct(r.latencies, 50).toFixed(1)} ms, p99 ${pct(r.latencies, 99).toFixed(1)} ms, max ${(r.latencies.at(-1) ?? 0).toFixed(1)} ms`);
  console.log(`CPU per turn        ${(r.cpuMicros / r.turns).toFixed(0)} µs (this process: the turn${PROVIDER === "sqlite" ? ", the WAL checkpointer" : ""}; not the database server)`);
  console.log(`raw same writes     ${writes} statements in ${timedUnits} transactions into ${tables.size} tables (recorded from the run, replayed into a database migrated the same way)`);
  console.log(`raw same writes/s   ${rawRate.toFixed(0)} turns (${driver}, prepared, one transaction per turn)`);
  console.log(`                    ${rawGrouped.toFixed(0)} turns (${GROUP} turns per transaction, as the service groups them at most)`);
  console.log(`x of raw            ${(rate / rawRate).toFixed(2)}x one per commit, ${(rate / rawGrouped).toFixed(2)}x grouped (cost ${(rawRate / rate).toFixed(1)}x, ${(rawGrouped / rate).toFixed(1)}x)`);
  const q = (globalThis as unknown as { __q?: Map<string, number> }).__q;
  if (q) for (const [k, v] of [...q.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(String(v).padStart(6), k);
  if (PROVIDER === "sqlite") console.log(`WAL file at the end  ${(walBytes / 1e6).toFixed(0)} MB`);
  console.log(`peak RSS            ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
} finally {
  clearInterval(sampler);
  await engineDb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
