/**
 * `npm run bench:engine`: simulated clients complete the registration and assessment through the
 * inbox and the engine with persistence on the embedded database (a temp SQLite file), and the same
 * writes done with raw better-sqlite3 in the same run for comparison.
 * Prints persisted turns per second, p50/p99 latency per turn, CPU time per turn and peak memory.
 *   BENCH_CLIENTS (default 200), BENCH_CONCURRENCY (default 32), BENCH_WARMUP clients (default 20)
 *
 * The warm-up clients register first and are not counted: a fresh process compiles every query
 * shape (Prisma's query compiler, V8's JIT) on first use, which is start-up cost, not turn cost.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/logging/logger.js";
import { startService } from "../src/service.js";
import { REGISTRATION_SCRIPT, type ScriptStep } from "../tests/support/registration-script.js";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);

let peakRss = 0;
let walBytes = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function runEngine(dir: string): Promise<{ turns: number; seconds: number; latencies: number[]; outbox: number; cpuMicros: number }> {
  const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, "bench.db")}`, DATA_DIR: dir, SCHEDULER_ENABLED: "false", WEB_CHAT_ENABLED: "false", LOG_LEVEL: "silent" }, "/nonexistent");
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
  await run("warmup", WARMUP);
  latencies = [];
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await run("bench", CLIENTS);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cases = await service.database.db.consultationCase.count();
  if (cases !== WARMUP + CLIENTS) throw new Error(`expected ${WARMUP + CLIENTS} cases, got ${cases}: the script no longer completes the registration`);
  const outbox = await service.database.db.outboxMessage.count({ where: { address: { startsWith: "bench-" } } });
  const wal = path.join(dir, "bench.db-wal");
  walBytes = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
  await service.stop();
  return { turns: latencies.length, seconds, latencies: latencies.sort((a, b) => a - b), outbox, cpuMicros: cpu.user + cpu.system };
}

/**
 * The writes a turn needs, raw: mark the message seen, save the session, write the replies;
 * `perCommit` turns to a transaction (1, and the service's group commit for comparison).
 */
let rawRuns = 0;
function runRaw(dir: string, turns: number, repliesPerTurn: number, perCommit: number): number {
  const db = new Database(path.join(dir, `raw-${++rawRuns}.db`));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE seen (channel TEXT, id TEXT, PRIMARY KEY (channel, id));
           CREATE TABLE session (identity TEXT PRIMARY KEY, state TEXT, updated TEXT);
           CREATE TABLE outbox (id TEXT PRIMARY KEY, identity TEXT, payload TEXT, key TEXT UNIQUE, seq INTEGER)`);
  const seen = db.prepare("INSERT INTO seen VALUES (?, ?)");
  const session = db.prepare("INSERT INTO session VALUES (?, ?, ?) ON CONFLICT(identity) DO UPDATE SET state = excluded.state, updated = excluded.updated");
  const out = db.prepare("INSERT INTO outbox VALUES (?, ?, ?, ?, ?)");
  const state = JSON.stringify({ answers: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`q${i}`, { value: "jawaban", type: "text" }])) });
  const group = db.transaction((from: number) => {
    for (let i = from; i < Math.min(turns, from + perCommit); i++) {
      seen.run("web", `m${i}`);
      session.run(`p${i % CLIENTS}`, state, new Date().toISOString());
      for (let r = 0; r < repliesPerTurn; r++) out.run(crypto.randomUUID(), `p${i % CLIENTS}`, '{"type":"text","text":"Terima kasih"}', `k${i}#${r}`, i);
    }
  });
  const t0 = performance.now();
  for (let i = 0; i < turns; i += perCommit) group(i);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return turns / seconds;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-bench-"));
try {
  const r = await runEngine(dir);
  const replies = Math.max(1, Math.round(r.outbox / r.turns));
  const rawRate = runRaw(dir, r.turns, replies, 1);
  const rawGrouped = runRaw(dir, r.turns, replies, Math.min(CONCURRENCY, 32));
  const rate = r.turns / r.seconds;
  console.log(`clients ${CLIENTS} (after ${WARMUP} warm-up), concurrency ${CONCURRENCY}, turns ${r.turns}, replies written ${r.outbox}`);
  console.log(`persisted turns/s   ${rate.toFixed(0)}`);
  console.log(`latency per turn    p50 ${pct(r.latencies, 50).toFixed(1)} ms, p99 ${pct(r.latencies, 99).toFixed(1)} ms, max ${(r.latencies.at(-1) ?? 0).toFixed(1)} ms`);
  console.log(`CPU per turn        ${(r.cpuMicros / r.turns).toFixed(0)} µs (all threads: the turn, the sender, the WAL checkpointer)`);
  console.log(`raw same writes/s   ${rawRate.toFixed(0)} turns (better-sqlite3, one transaction per turn)`);
  console.log(`                    ${rawGrouped.toFixed(0)} turns (${Math.min(CONCURRENCY, 32)} turns per transaction, as the service groups them at most)`);
  console.log(`cost vs raw         ${(rawRate / rate).toFixed(1)}x one per commit, ${(rawGrouped / rate).toFixed(1)}x grouped`);
  const q = (globalThis as unknown as { __q?: Map<string, number> }).__q;
  if (q) for (const [k, v] of [...q.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(String(v).padStart(6), k);
  console.log(`WAL file at the end  ${(walBytes / 1e6).toFixed(0)} MB`);
  console.log(`peak RSS            ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
} finally {
  clearInterval(sampler);
  fs.rmSync(dir, { recursive: true, force: true });
}
