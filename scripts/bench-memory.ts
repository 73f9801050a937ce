/**
 * `npm run bench:memory`: the memory of the production service (`npm start`: the compiled build in
 * dist/, no TypeScript compiler) idle and with many people in the middle of a form. It starts the
 * real service as a child process, on a temp SQLite file by default or, for a `postgresql://`
 * DATABASE_URL, a fresh database on that server (created and dropped here), with Telegram pointed
 * at the loopback Bot API (tests/support/fake-telegram-server.ts) and the web chat on. The child's
 * RSS is read from /proc/<pid>/status (VmRSS; VmHWM is the peak over its whole life).
 *
 * Then BENCH_PEOPLE people (default 10,000) each send BENCH_TURNS real Telegram updates (default 5:
 * /start, the registration button, consent, a name, the gender button), BENCH_BATCH people at a
 * time (default 500), which leaves every one of them mid-form in the registration. A batch is done
 * when the service has recorded all its updates as handled (ProcessedInbound, read from the
 * database). The replies go out at Telegram's own pace (30 a second), so most of them are still
 * waiting in the outbox when the second figure is taken: that is what a burst looks like.
 *
 *   BENCH_SETTLE_MS: how long to let the process settle before each figure (default 15,000).
 *   BENCH_NODE_ARGS: extra node options for the service (to try V8 flags: "--max-semi-space-size=4").
 *
 * Heap figures come from a small probe loaded with `--import` (scripts/bench-memory-probe.mjs),
 * which answers over the IPC channel; it adds nothing else to the process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ensureBuilt, ROOT } from "./build.mjs";
import { FakeTelegramServer, type TgUpdate } from "../tests/support/fake-telegram-server.js";
import pkg from "../package.json" with { type: "json" };

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const TURNS = Number(process.env.BENCH_TURNS ?? 5);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 15_000);
const URL_GIVEN = process.env.DATABASE_URL ?? "";
const PROVIDER: "sqlite" | "postgresql" = /^postgres(ql)?:\/\//.test(URL_GIVEN) ? "postgresql" : "sqlite";
/** The first turns of the registration (tests/support/registration-script.ts): "#id" is a button tap. */
const SCRIPT = ["/start", "#menu:registration", "#agree", "Ni Made Ayu Lestari", "#P", "12-08-1985"];
const FIRST_USER = 600_000_000;
/** The node options `npm start` runs the service with ("node <options> scripts/run.mjs src/main"): measured as run. */
const START_OPTIONS = /^node\s+(.*?)\s*scripts\/run\.mjs src\/main$/.exec(pkg.scripts.start)?.[1]?.split(/\s+/).filter(Boolean) ?? [];

const MB = 1024 * 1024;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The child's memory

interface ProcMemory {
  rss: number;
  peak: number;
}

/**
 * Where the RSS is, from /proc/<pid>/smaps: anonymous memory (V8's heap, WebAssembly, thread
 * arenas), malloc's main heap, the node binary's own pages (code, ICU data), everything else.
 */
function whereRss(pid: number): string {
  const by: Record<string, number> = { anon: 0, "malloc heap": 0, "node binary": 0, other: 0 };
  let name = "";
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) {
      const file = m[1]!.trim();
      name = file === "" ? "anon" : file === "[heap]" ? "malloc heap" : file === process.execPath || file.endsWith("/bin/node") ? "node binary" : "other";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) by[name] = (by[name] ?? 0) + Number(rss[1]) * 1024;
  }
  return Object.entries(by).map(([k, v]) => `${k} ${mb(v)}`).join(", ");
}

function readProc(pid: number): ProcMemory {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

interface HeapFigures {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Heap used after a full collection: what is really kept. */
  heapUsedAfterGc: number;
  rssAfterGc: number;
}

function askHeap(child: ChildProcess): Promise<HeapFigures> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("the probe did not answer")), 30_000);
    child.once("message", (m) => {
      clearTimeout(t);
      resolve(m as HeapFigures);
    });
    child.send("memory");
  });
}

// ---------------------------------------------------------------------------------------------
// The database: the service's own, and a way to count what it handled

interface BenchDb {
  url: string;
  handled(): Promise<number>;
  midForm(): Promise<number>;
  drop(): Promise<void>;
}

async function freshDatabase(dir: string): Promise<BenchDb> {
  if (PROVIDER === "sqlite") {
    const file = path.join(dir, "bench.db");
    let conn: Database.Database | undefined;
    const q = (sql: string): number => {
      conn ??= new Database(file, { readonly: true, fileMustExist: true });
      return (conn.prepare(sql).get() as { n: number }).n;
    };
    return {
      url: `file:${file}`,
      handled: async () => q(`SELECT count(*) AS n FROM "ProcessedInbound"`),
      midForm: async () => q(`SELECT count(*) AS n FROM "ConversationSession" WHERE status = 'active' AND "flowId" IS NOT NULL`),
      drop: async () => void conn?.close(),
    };
  }
  const name = `plut_bench_memory_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: URL_GIVEN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(URL_GIVEN);
  u.pathname = `/${name}`;
  const reader = new pg.Client({ connectionString: u.toString() });
  await reader.connect();
  const q = async (sql: string): Promise<number> => Number(((await reader.query(sql)).rows[0] as { n: string }).n);
  return {
    url: u.toString(),
    handled: () => q(`SELECT count(*) AS n FROM "ProcessedInbound"`),
    midForm: () => q(`SELECT count(*) AS n FROM "ConversationSession" WHERE status = 'active' AND "flowId" IS NOT NULL`),
    drop: async () => {
      await reader.end();
      const c = new pg.Client({ connectionString: URL_GIVEN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}) while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (process.platform !== "linux") throw new Error("bench:memory reads /proc/<pid>/status: Linux only");
  ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-bench-memory-"));
  const db = await freshDatabase(dir);
  const fake = await FakeTelegramServer.start({ maxLongPollMs: 1_000 });
  const logFile = path.join(dir, "service.log");
  const log = fs.openSync(logFile, "w");
  // Run from an empty folder, so a developer's .env does not switch on WhatsApp or change the figures.
  const child = spawn(
    process.execPath,
    [...START_OPTIONS, ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), "--expose-gc", "--import", path.join(ROOT, "scripts", "bench-memory-probe.mjs"), path.join(ROOT, "scripts", "run.mjs"), "src/main"],
    {
      cwd: dir,
      stdio: ["ignore", log, log, "ipc"],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        TZ: "Asia/Makassar",
        DATABASE_URL: db.url,
        DATA_DIR: path.join(dir, "data"),
        CONVERSATIONS_DIR: path.join(ROOT, "conversations"),
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: "warn",
        ENCRYPTION_KEY: crypto.randomBytes(32).toString("hex"),
        SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        WEB_CHAT_ENABLED: "true",
      },
    },
  );
  const pid = child.pid!;
  let maxRss = 0;
  const sampler = setInterval(() => {
    if (child.exitCode === null) maxRss = Math.max(maxRss, readProc(pid).rss);
  }, 100);
  const lines: string[] = [];
  try {
    const t0 = Date.now();
    await until("the service to poll Telegram", () => fake.getUpdatesCalls.length > 0, 300_000, child);
    const startMs = Date.now() - t0;
    await sleep(SETTLE_MS);
    const idle = readProc(pid);
    const idleHeap = await askHeap(child);
    lines.push(`started in ${(startMs / 1000).toFixed(1)} s (${PROVIDER})`);
    lines.push(`idle:            RSS ${mb(idle.rss)}  heap used ${mb(idleHeap.heapUsed)} (${mb(idleHeap.heapUsedAfterGc)} after a full GC; RSS then ${mb(idleHeap.rssAfterGc)})  external ${mb(idleHeap.external)}`);
    lines.push(`  where:         ${whereRss(pid)}`);
    console.log(lines.at(-2));

    // People arrive BATCH at a time; each sends its turns in order (the channel keeps one chat's order).
    const tDrive = Date.now();
    let expected = 0;
    for (let first = 0; first < PEOPLE; first += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, PEOPLE - first) }, (_, i) => FIRST_USER + first + i);
      for (let t = 0; t < TURNS; t++) {
        const step = SCRIPT[t]!;
        for (const id of ids) {
          const u: TgUpdate = step.startsWith("#") ? fake.callbackFrom(id, step.slice(1)) : fake.textFrom(id, step);
          fake.pushUpdate(u);
        }
      }
      expected += ids.length * TURNS;
      await until(`${expected} handled updates`, async () => (await db.handled()) >= expected, 600_000, child);
      process.stdout.write(`\r${first + ids.length} people, ${expected} turns handled, RSS ${mb(readProc(pid).rss)}   `);
    }
    const driveMs = Date.now() - tDrive;
    process.stdout.write("\n");
    // The fake keeps every call it got; the bench does not need them (its own memory, not the service's).
    fake.sent.length = 0;
    fake.calls.length = 0;
    fake.getUpdatesCalls.length = 0;
    await sleep(SETTLE_MS);
    const busy = readProc(pid);
    const busyHeap = await askHeap(child);
    const midForm = await db.midForm();
    lines.push(`${PEOPLE} people, ${TURNS} turns each, handled in ${(driveMs / 1000).toFixed(0)} s (${((PEOPLE * TURNS) / (driveMs / 1000)).toFixed(0)} turns/s); ${midForm} sessions mid-form`);
    lines.push(`mid-form:        RSS ${mb(busy.rss)}  heap used ${mb(busyHeap.heapUsed)} (${mb(busyHeap.heapUsedAfterGc)} after a full GC; RSS then ${mb(busyHeap.rssAfterGc)})  external ${mb(busyHeap.external)}`);
    lines.push(`  where:         ${whereRss(pid)}`);
    lines.push(`peak:            RSS ${mb(Math.max(busy.peak, maxRss))} (VmHWM over the whole run)`);
    if (midForm < PEOPLE) lines.push(`warning: only ${midForm} of ${PEOPLE} sessions are mid-form; see ${logFile}`);
  } catch (e) {
    console.error(fs.readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n"));
    throw e;
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(30_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    await fake.close();
    await db.drop();
    fs.closeSync(log);
    if (process.env.BENCH_KEEP !== "1") fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nbench:memory (${PROVIDER}), the production build (dist/), Node ${process.version}, node options: ${[...START_OPTIONS, process.env.BENCH_NODE_ARGS ?? ""].join(" ").trim() || "none"}`);
  for (const l of lines) console.log(`  ${l}`);
  console.log("  (one run on this machine; RSS depends on its load and on when V8 last collected: indicative)");
}

await main();
