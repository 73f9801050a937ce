/**
 * `npm run bench:broadcast`: one announcement to 10,000 registered clients (every tenth opted out of
 * announcements, 50 more opting out after the confirmation), sent by the service's own path (the
 * reminder sweep into the outbox's bulk lane, the OutboxSender) in a child process, into the
 * stand-in Telegram of tests/outbox/stand-in-telegram.ts, which enforces Telegram's limits (30
 * messages in any second overall, per chat a burst of 3 then 1 a second) and counts every breach.
 *
 *   run     wall time from the start of the sending process to the last message, against the floor
 *           the limits allow (recipients / 30 per second): it must be within 5%; duplicates 0, sends
 *           to opted-out people 0, nobody missing, no breach.
 *   resume  the sending process is killed with -9 half-way, another is started: nobody gets a
 *           second copy, nobody opted out gets it, and nobody is missed but those whose message
 *           was out at the kill (reported as uncertain: an announcement goes at most once).
 *
 * SQLite by default (a temporary file); with DATABASE_URL=postgresql://... a fresh database on that
 * server (created and dropped). BENCH_PEOPLE (10000), BENCH_SCALE (1: Telegram's own limits; 10
 * runs ten times faster at ten times the limits), BENCH_MODES (run,resume), BENCH_KILL_AT (half).
 * On a shared, loaded machine the figures are indicative.
 */
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { TELEGRAM_LIMITS } from "../tests/outbox/stand-in-telegram.js";
import { freshDatabase, prepareBroadcast, readLog, startSendingProcess } from "./bench-broadcast-run.js";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const MODES = (process.env.BENCH_MODES ?? "run,resume").split(",").map((s) => s.trim());
const DB_URL = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;
const RATE = TELEGRAM_LIMITS.globalPerSecond * SCALE;
const target = DB_URL ? "postgresql" : "sqlite";
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function run(): Promise<boolean> {
  const fresh = await freshDatabase(DB_URL);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-broadcast-log-"));
  try {
    const t0 = performance.now();
    const setup = await prepareBroadcast({ url: fresh.url, people: PEOPLE });
    const prepMs = performance.now() - t0;
    const logFile = path.join(dir, "sent.log");
    const proc = startSendingProcess({ url: fresh.url, announcementId: setup.announcementId, scale: SCALE, logFile });
    const end = await proc.exited;
    const f = readLog(logFile, setup);
    const startedAt = end.result?.startedAt ?? f.firstAt;
    const wallMs = f.lastAt - startedAt;
    const floorMs = (setup.expected.length / RATE) * 1000;
    const over = ((wallMs - floorMs) / floorMs) * 100;
    const breaches = end.result?.breaches.length ?? -1;
    const ok = end.code === 0 && f.duplicates === 0 && f.toOptedOut === 0 && f.missing === 0 && breaches === 0 && over <= 5;
    console.log(`\n== run on ${target}: ${PEOPLE.toLocaleString("en")} clients, ${setup.optedOut.length} opted out (before or after the confirmation), stand-in Telegram x${SCALE} (${RATE}/s overall)`);
    console.log(`  seed + draft + confirm  ${s(prepMs)}  (${setup.recipients} recipient rows with a reminder)`);
    console.log(`  wall                    ${s(wallMs)}  vs floor ${s(floorMs)} (${setup.expected.length} / ${RATE}/s): ${over >= 0 ? "+" : ""}${over.toFixed(1)}% (limit +5%)`);
    console.log(`  messages/s              ${((f.delivered / wallMs) * 1000).toFixed(1)}`);
    console.log(`  delivered ${f.delivered}, missing ${f.missing}, duplicates ${f.duplicates}, to opted-out ${f.toOptedOut}, breaches ${breaches}`);
    showBreaches(end.result?.breaches);
    console.log(`  ${ok ? "OK" : "FAILED"}`);
    return ok;
  } finally {
    await fresh.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function showBreaches(breaches: string[] | undefined): void {
  for (const b of (breaches ?? []).slice(0, 5)) console.log(`  breach: ${b}`);
}

async function resume(): Promise<boolean> {
  const fresh = await freshDatabase(DB_URL);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-broadcast-log-"));
  try {
    const setup = await prepareBroadcast({ url: fresh.url, people: PEOPLE });
    const logFile = path.join(dir, "sent.log");
    const killAt = Number(process.env.BENCH_KILL_AT ?? Math.floor(setup.expected.length / 2));
    const first = startSendingProcess({ url: fresh.url, announcementId: setup.announcementId, scale: SCALE, logFile, reportEvery: 1 }, (m) => {
      if ((m.sent ?? 0) >= killAt) first.child.kill("SIGKILL");
    });
    const died = await first.exited;
    const before = readLog(logFile, setup).delivered;
    const t0 = performance.now();
    const second = startSendingProcess({ url: fresh.url, announcementId: setup.announcementId, scale: SCALE, logFile });
    const end = await second.exited;
    const f = readLog(logFile, setup);
    const breaches = end.result?.breaches.length ?? -1;
    // An announcement goes at most once: what was out at the kill is reported uncertain, not sent
    // again, so a person it never reached may be missing, never more of them than that.
    const uncertain = end.result?.uncertain ?? -1;
    const ok = died.signal === "SIGKILL" && end.code === 0 && f.duplicates === 0 && f.toOptedOut === 0 && f.missing <= uncertain && breaches === 0;
    console.log(`\n== resume on ${target}: kill -9 of the sending process after ${before} of ${setup.expected.length} messages, then a new one`);
    console.log(`  first process    ended by ${died.signal ?? `exit ${died.code}`} with ${before} delivered`);
    console.log(`  second process   ${s(performance.now() - t0)} to deliver the remaining ${f.delivered - before}`);
    console.log(`  delivered ${f.delivered}, missing ${f.missing}, second copies ${f.duplicates}, to opted-out ${f.toOptedOut}, breaches ${breaches}`);
    showBreaches(end.result?.breaches);
    console.log(`  uncertain ${uncertain} (out with Telegram at the kill: reported on the progress page, not sent again; missing must be at most this)`);
    console.log(`  ${ok ? "OK" : "FAILED"}`);
    return ok;
  } finally {
    await fresh.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let allOk = true;
for (const mode of MODES) {
  if (mode === "run") allOk = (await run()) && allOk;
  else if (mode === "resume") allOk = (await resume()) && allOk;
  else throw new Error(`unknown mode ${mode} (run, resume)`);
}
console.log("\n(indicative: a shared, loaded machine)");
process.exit(allOk ? 0 : 1);
