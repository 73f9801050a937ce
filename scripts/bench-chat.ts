/**
 * `npm run bench:chat`: simulated Telegram users answer the first seven registration turns
 * (tests/support/registration-script.ts) through the loopback Bot API (tests/support/
 * fake-telegram-server.ts), once against the whole service (the real grammY channel, production
 * settings: Telegram's real pace, the outbox, the sender) and once against a trivial grammY echo bot,
 * in the same run; each bot in a process of its own (scripts/bench-chat-bot.ts), so memory and CPU
 * are each one's. A reply's time runs from the moment the update is queued at the Bot API to the
 * moment the Bot API got the bot's sendMessage for that chat.
 *
 *   --users N        simulated users (default 200)
 *   --think A-B      think time between a reply and the next answer, ms, uniform (default 1000-3000); 0 for none
 *   --runs R         runs; the figures printed are the medians (default 3)
 *   --echo-pace telegram|none   the echo bot keeps Telegram's limits (default) or goes as fast as it can
 *   DATABASE_URL     a postgresql:// server: the service runs on a fresh database there (dropped after);
 *                    otherwise on a temp SQLite file
 *   BENCH_NODE_ARGS  node options for both bots after those of `npm start` (package.json)
 *
 * Each run also measures a lone user (nobody else chatting): the time of the reply after "setuju",
 * which joins four texts into one message. Goals (issue 13): the lone user's reply within 100 ms;
 * with think time, reply p50 within 2x and p99 within 3x of the echo floor; with none, turns/s at
 * least 0.8x the echo floor.
 */
import { fork } from "node:child_process";
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { FakeTelegramServer } from "../tests/support/fake-telegram-server.js";
import { REGISTRATION_SCRIPT } from "../tests/support/registration-script.js";
import { seeded } from "../tests/support/seeded.js";
import pkg from "../package.json" with { type: "json" };

export type BotKind = "echo" | "service";

/**
 * Node's options for both bots: those `npm start` runs the service with (package.json), so the
 * figures are the production runtime's, then BENCH_NODE_ARGS (to try others).
 */
const NODE_ARGS = [
  ...(/^node\s+(.*?)\s*scripts\/run\.mjs src\/main$/.exec(pkg.scripts.start)?.[1]?.split(/\s+/).filter(Boolean) ?? []),
  ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
];

export interface BenchChatOptions {
  users: number;
  /** Think time range in ms, or null for none. */
  think: [number, number] | null;
  runs: number;
  /** A postgresql:// server URL: the service runs on a fresh database there. */
  postgresUrl?: string;
  echoPace: "telegram" | "none";
  /** Users who go through the turns first, not measured (a fresh process compiles every code path on first use). */
  warmupUsers?: number;
  /** Lone users measured one after another per run. */
  loneUsers?: number;
  /** Printed as it goes (each run's figures); silent when absent. */
  log?: (line: string) => void;
}

export interface BotFigures {
  turns: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  turnsPerSecond: number;
  /** The lone user's reply after "setuju" (ms, the median of `loneUsers`). */
  loneMs: number;
  peakRssMb: number;
  cpuMsPerTurn: number;
  /** Messages each user got, per user (one per turn when the bot joins a turn's texts). */
  messagesPerUser: number[];
}

export interface BenchChatResult {
  options: BenchChatOptions;
  /** Medians over the runs. */
  echo: BotFigures;
  service: BotFigures;
  perRun: Array<Record<BotKind, BotFigures>>;
  load: number[];
}

const TURNS = REGISTRATION_SCRIPT.slice(0, 7);
/** The turn whose reply joins four texts (consent noted, the form's title, part 1 of 4, the first question). */
const MULTI_PART_TURN = 2;
const TURN_TIMEOUT_MS = 120_000;


function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function freshPostgres(admin: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `plut_benchchat_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

const ZChildMessage = z.union([
  z.object({ ready: z.literal(true) }),
  z.object({ stopped: z.object({ peakRssBytes: z.number(), cpuMs: z.number() }) }),
]);

/** One bot, one run: start its process, warm up, the lone users, the crowd, stop. */
async function runBot(kind: BotKind, o: BenchChatOptions, runIndex: number): Promise<BotFigures> {
  const fake = await FakeTelegramServer.start({ maxLongPollMs: 30_000 });
  const db = kind === "service" && o.postgresUrl ? await freshPostgres(o.postgresUrl) : undefined;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, BENCH_BOT: kind, BENCH_API_ROOT: fake.apiRoot, BENCH_TOKEN: fake.token, BENCH_ECHO_PACE: o.echoPace };
  delete childEnv.DATABASE_URL;
  if (db) childEnv.DATABASE_URL = db.url;
  const child = fork(fileURLToPath(new URL("./bench-chat-bot.ts", import.meta.url)), [], { execArgv: [...NODE_ARGS, "--import", "tsx"], env: childEnv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const messages: Array<z.infer<typeof ZChildMessage>> = [];
  const next = new Set<() => void>();
  child.on("message", (m) => {
    messages.push(ZChildMessage.parse(m));
    for (const w of [...next]) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const wait = async <T>(pick: (m: z.infer<typeof ZChildMessage>) => T | undefined, what: string): Promise<T> => {
    for (;;) {
      for (const m of messages) {
        const v = pick(m);
        if (v !== undefined) return v;
      }
      const code = await Promise.race([new Promise<"message">((r) => next.add(() => r("message"))), exited.then((c) => ({ c }))]);
      next.clear();
      if (typeof code === "object") throw new Error(`the ${kind} bot exited (code ${code.c}) before ${what}`);
    }
  };

  // Each chat's replies, as the Bot API gets them.
  const waiting = new Map<string, (at: number) => void>();
  const got = new Map<string, number>();
  const unsubscribe = fake.onSent((s) => {
    if (s.method !== "sendMessage") return;
    got.set(s.chat_id, (got.get(s.chat_id) ?? 0) + 1);
    const w = waiting.get(s.chat_id);
    if (w) {
      waiting.delete(s.chat_id);
      w(performance.now());
    }
  });
  const turn = async (user: number, step: string): Promise<number> => {
    const chat = String(user);
    if (waiting.has(chat)) throw new Error(`user ${user} answered before the previous reply came`);
    let timer!: NodeJS.Timeout;
    const reply = new Promise<number>((resolve, reject) => {
      waiting.set(chat, resolve);
      timer = setTimeout(() => reject(new Error(`no reply to user ${user} within ${TURN_TIMEOUT_MS} ms (${kind})`)), TURN_TIMEOUT_MS);
    });
    const t0 = performance.now();
    fake.pushUpdate(step.startsWith("#") ? fake.callbackFrom(user, step.slice(1)) : fake.textFrom(user, step));
    try {
      return (await reply) - t0;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await wait((m) => ("ready" in m ? true : undefined), "it was ready");
    const base = 1_000_000 * (runIndex + 1);
    // Warm-up: not measured.
    const warm = o.warmupUsers ?? Math.min(10, o.users);
    await Promise.all(Array.from({ length: warm }, async (_, i) => {
      for (const step of TURNS) await turn(base + 900_000 + i, step);
    }));
    await sleep(1500); // the warm-up's chats leave the pace's windows
    // The lone user: nobody else chatting; its first turns at a person's pace, then the measured one.
    const lone: number[] = [];
    for (let i = 0; i < (o.loneUsers ?? 5); i++) {
      const user = base + 800_000 + i;
      for (let t = 0; t < MULTI_PART_TURN; t++) await turn(user, TURNS[t]!);
      await sleep(1100);
      lone.push(await turn(user, TURNS[MULTI_PART_TURN]!));
    }
    // The crowd.
    const random = seeded(13 + runIndex);
    const think = () => (o.think ? o.think[0] + random() * (o.think[1] - o.think[0]) : 0);
    const latencies: number[] = [];
    let first = Infinity;
    let last = 0;
    const cpuBefore = await childCpuMs(child.pid);
    await Promise.all(Array.from({ length: o.users }, async (_, i) => {
      const user = base + i;
      if (o.think) await sleep(random() * o.think[1]);
      for (const step of TURNS) {
        first = Math.min(first, performance.now());
        latencies.push(await turn(user, step));
        last = performance.now();
        const t = think();
        if (t > 0) await sleep(t);
      }
    }));
    const cpuAfter = await childCpuMs(child.pid);
    latencies.sort((a, b) => a - b);
    const messagesPerUser = Array.from({ length: o.users }, (_, i) => got.get(String(base + i)) ?? 0);
    child.send("stop");
    const stopped = await wait((m) => ("stopped" in m ? m.stopped : undefined), "it stopped");
    await exited;
    return {
      turns: latencies.length,
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      p99: pct(latencies, 99),
      max: latencies.at(-1) ?? NaN,
      turnsPerSecond: latencies.length / ((last - first) / 1000),
      loneMs: median(lone),
      peakRssMb: stopped.peakRssBytes / 1024 / 1024,
      cpuMsPerTurn: cpuAfter !== undefined && cpuBefore !== undefined ? (cpuAfter - cpuBefore) / latencies.length : NaN,
      messagesPerUser,
    };
  } finally {
    unsubscribe();
    if (child.exitCode === null) child.kill();
    await fake.close();
    await db?.drop();
  }
}

/** The child's CPU time so far (Linux /proc; undefined elsewhere), to count the crowd's share only. */
async function childCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const { readFile } = await import("node:fs/promises");
    const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14 and 15)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

function medianFigures(list: BotFigures[]): BotFigures {
  const m = (k: keyof Omit<BotFigures, "messagesPerUser">) => median(list.map((f) => f[k]));
  return {
    turns: m("turns"), p50: m("p50"), p95: m("p95"), p99: m("p99"), max: m("max"), turnsPerSecond: m("turnsPerSecond"),
    loneMs: m("loneMs"), peakRssMb: m("peakRssMb"), cpuMsPerTurn: m("cpuMsPerTurn"), messagesPerUser: list[0]!.messagesPerUser,
  };
}

export function describeRun(f: Record<BotKind, BotFigures>): string {
  return (["echo", "service"] as const)
    .map((k) => `${k.padEnd(7)} p50 ${f[k].p50.toFixed(0)} p95 ${f[k].p95.toFixed(0)} p99 ${f[k].p99.toFixed(0)} ms, ${f[k].turnsPerSecond.toFixed(1)} turns/s, lone ${f[k].loneMs.toFixed(0)} ms, RSS ${f[k].peakRssMb.toFixed(0)} MB`)
    .join("; ");
}

export async function benchChat(o: BenchChatOptions): Promise<BenchChatResult> {
  const perRun: Array<Record<BotKind, BotFigures>> = [];
  const load: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    load.push(os.loadavg()[0]!);
    const echo = await runBot("echo", o, r);
    const service = await runBot("service", o, r);
    perRun.push({ echo, service });
    o.log?.(`run ${r + 1}: ${describeRun({ echo, service })} (load ${load.at(-1)!.toFixed(1)})`);
  }
  return { options: o, echo: medianFigures(perRun.map((p) => p.echo)), service: medianFigures(perRun.map((p) => p.service)), perRun, load };
}

/** The report: both bots side by side, and each goal's ratio. */
export function report(r: BenchChatResult): string[] {
  const { echo, service, options: o } = r;
  const row = (name: string, f: (b: BotFigures) => string) => `${name.padEnd(22)} ${f(echo).padStart(12)} ${f(service).padStart(12)}   ${(Number.parseFloat(f(service)) / Number.parseFloat(f(echo))).toFixed(2)}x`;
  const think = o.think ? `${o.think[0]}-${o.think[1]} ms` : "none";
  const lines = [
    `bench:chat  ${o.users} users x ${TURNS.length} turns, think ${think}, ${o.runs} run(s) (medians), service on ${o.postgresUrl ? "PostgreSQL" : "SQLite"}, echo ${o.echoPace === "telegram" ? "at Telegram's pace" : "unpaced"}`,
    `load ${r.load.map((l) => l.toFixed(1)).join(", ")} on ${os.cpus().length} cores (a busy machine stretches every figure)`,
    `${"".padEnd(22)} ${"echo".padStart(12)} ${"service".padStart(12)}   service/echo`,
    row("reply p50 (ms)", (b) => b.p50.toFixed(0)),
    row("reply p95 (ms)", (b) => b.p95.toFixed(0)),
    row("reply p99 (ms)", (b) => b.p99.toFixed(0)),
    row("turns/s", (b) => b.turnsPerSecond.toFixed(1)),
    row("lone user reply (ms)", (b) => b.loneMs.toFixed(0)),
    row("peak RSS (MB)", (b) => b.peakRssMb.toFixed(0)),
    row("CPU per turn (ms)", (b) => b.cpuMsPerTurn.toFixed(2)),
    "goals:",
    `  lone user's multi-part reply within 100 ms: ${service.loneMs.toFixed(0)} ms (${(service.loneMs / 100).toFixed(2)}x the goal) ${service.loneMs <= 100 ? "met" : "NOT met"}`,
  ];
  if (o.think) {
    const p50 = service.p50 / echo.p50;
    const p99 = service.p99 / echo.p99;
    lines.push(`  reply p50 within 2x the echo floor: ${p50.toFixed(2)}x ${p50 <= 2 ? "met" : "NOT met"}`);
    lines.push(`  reply p99 within 3x the echo floor: ${p99.toFixed(2)}x ${p99 <= 3 ? "met" : "NOT met"}`);
  } else {
    const tps = service.turnsPerSecond / echo.turnsPerSecond;
    lines.push(`  turns/s at least 0.8x the echo floor: ${tps.toFixed(2)}x ${tps >= 0.8 ? "met" : "NOT met"}`);
  }
  return lines;
}

const ZArgs = z.object({
  users: z.coerce.number().int().min(1).default(200),
  think: z
    .string()
    .regex(/^(0|\d+-\d+)$/, "--think is 0 or A-B (ms)")
    .default("1000-3000")
    .transform((s): [number, number] | null => (s === "0" ? null : (s.split("-").map(Number) as [number, number]))),
  runs: z.coerce.number().int().min(1).default(3),
  "echo-pace": z.enum(["telegram", "none"]).default("telegram"),
});

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { users: { type: "string" }, think: { type: "string" }, runs: { type: "string" }, "echo-pace": { type: "string" } } });
  const args = ZArgs.parse(values);
  const url = process.env.DATABASE_URL ?? "";
  const result = await benchChat({
    users: args.users,
    think: args.think,
    runs: args.runs,
    echoPace: args["echo-pace"],
    ...(/^postgres(ql)?:\/\//.test(url) ? { postgresUrl: url } : {}),
    log: (line) => console.log(line),
  });
  for (const line of report(result)) console.log(line);
}
