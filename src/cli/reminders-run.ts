/**
 * `npm run reminders:run`: run the reminder jobs once against DATABASE_URL (the morning lists, when
 * it is a working day between 07:30 and the end of working hours, then the sweep) and print what
 * went to the outbox. Sending needs the channels, which belong to the running service: this command
 * only writes the outbox, and the service's sender delivers what it wrote.
 *
 *   npm run reminders:run                      all reminder jobs
 *   npm run reminders:run -- --job reminders.sweep
 *   npm run reminders:run -- --list
 */
import { ConfigError, loadConfig } from "../config/config.js";
import { DatabaseError, openDatabase, redactUrl } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { createLogger } from "../logging/logger.js";
import { reminderJobs, JOB_IDS } from "../scheduler/jobs.js";
import { HolidaysFileError, OfficeCalendar } from "../domain/calendar/office-calendar.js";
import { runJobsOnce } from "../scheduler/scheduler.js";
import { Sweeper, type SweepResult } from "../scheduler/sweeper.js";
import { readTextsDir } from "../scheduler/texts.js";
import { systemClock } from "../shared/clock.js";
import { useAtRestKey } from "../security/at-rest.js";
import { loadKeyRing } from "../security/crypto.js";

function usage(): never {
  console.error("usage: reminders-run [--job <id>]... [--list]");
  process.exit(2);
}

const args = process.argv.slice(2);
const ids: string[] = [];
let list = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--job" && args[i + 1]) ids.push(args[++i]!);
  else if (args[i] === "--list") list = true;
  else usage();
}

try {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL });
  const calendar = OfficeCalendar.fromConfig(config);
  const texts = readTextsDir(config.CONVERSATIONS_DIR);
  await migrate(config.DATABASE_URL);
  // Reminders written to the outbox are sealed with the office key, as the service does.
  useAtRestKey(loadKeyRing({ envKey: config.ENCRYPTION_KEY, dataDir: config.DATA_DIR }).key);
  const database = await openDatabase(config.DATABASE_URL);
  try {
    const sweeper = new Sweeper({ db: database.db, provider: database.provider, ...(database.sqlite ? { sqlite: database.sqlite } : {}), calendar, texts: () => texts, logger, instanceId: `cli-${process.pid}` });
    const jobs = reminderJobs({ db: database.db, sweeper, calendar });
    if (list) {
      for (const j of jobs) console.log(`${j.id.padEnd(22)} ${j.schedule}  (${config.TZ})`);
      process.exit(0);
    }
    const unknown = ids.filter((id) => !jobs.some((j) => j.id === id));
    if (unknown.length) {
      console.error(`no such job: ${unknown.join(", ")} (jobs: ${jobs.map((j) => j.id).join(", ")})`);
      process.exit(2);
    }
    const now = systemClock.now();
    console.log(`${redactUrl(config.DATABASE_URL)} at ${now.toISOString()} (${calendar.localDate(now)} ${config.TZ})`);
    const runs = await runJobsOnce(jobs, { ...(ids.length ? { ids } : {}), logger });
    let failed = false;
    for (const run of runs) {
      if (!run.ok) {
        failed = true;
        console.log(`${run.id}: FAILED: ${run.error}`);
        continue;
      }
      if (run.id !== JOB_IDS.sweep) {
        console.log(`${run.id}: ${JSON.stringify(run.result)}`);
        continue;
      }
      const r = run.result as SweepResult;
      const reasons = Object.entries(r.cancelReasons).map(([k, v]) => `${k} ${v}`).join(", ");
      console.log(
        `${run.id}: ${r.claimed} due, ${r.done} done, ${r.messages} message(s) written to the outbox, ` +
          `${r.deferred} deferred to the end of quiet hours, ${r.cancelled} cancelled${reasons ? ` (${reasons})` : ""}, ${r.failed} to retry (${run.ms} ms)`,
      );
    }
    if (runs.some((r) => r.id === JOB_IDS.sweep)) {
      const written = await database.db.outboxMessage.findMany({
        where: { idempotencyKey: { startsWith: "reminder:" }, createdAt: { gte: now } },
        select: { channel: true, idempotencyKey: true, status: true },
        orderBy: { createdAt: "asc" },
        take: 50,
      });
      const reminders = await database.db.reminder.findMany({
        where: { id: { in: written.map((w) => w.idempotencyKey.split(":")[1]!) } },
        select: { id: true, kind: true },
      });
      const kindOf = new Map(reminders.map((x) => [x.id, x.kind]));
      for (const w of written) console.log(`  ${w.channel.padEnd(9)} ${(kindOf.get(w.idempotencyKey.split(":")[1]!) ?? "?").padEnd(22)} ${w.idempotencyKey}`);
      console.log("Written to the outbox only: the running service's outbox sender delivers them (this command has no channels).");
    }
    process.exitCode = failed ? 1 : 0;
  } finally {
    await database.close();
  }
} catch (e) {
  if (e instanceof ConfigError || e instanceof DatabaseError || e instanceof HolidaysFileError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
