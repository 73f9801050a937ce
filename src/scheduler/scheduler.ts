/**
 * Runs the jobs on their cron schedules (node-cron, in the office time zone). One process never
 * runs the same job twice at once: a tick that finds the previous run still busy is skipped. Across
 * instances, jobs are safe to run concurrently by design (row claims with SKIP LOCKED, idempotent
 * keys), so no instance needs to be elected.
 */
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logging/logger.js";
import { systemClock, type Clock } from "../shared/clock.js";
import type { Job } from "./jobs.js";

export interface SchedulerHandle {
  /** Ids of the jobs running now. */
  running(): string[];
  /** Run one job now (unless it is running), as a tick would. */
  runNow(id: string): Promise<JobRun>;
  /** Stop the schedules and wait for running jobs to finish. */
  stop(): Promise<void>;
}

export interface JobRun {
  id: string;
  ok: boolean;
  skipped?: "already running";
  result?: unknown;
  error?: string;
  ms: number;
}

class JobRunner {
  private readonly inFlight = new Map<string, Promise<JobRun>>();
  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  running(): string[] {
    return [...this.inFlight.keys()];
  }

  run(job: Job): Promise<JobRun> {
    if (this.inFlight.has(job.id)) {
      this.logger.debug({ job: job.id }, "job still running; tick skipped");
      return Promise.resolve({ id: job.id, ok: true, skipped: "already running", ms: 0 });
    }
    const p = this.execute(job).finally(() => this.inFlight.delete(job.id));
    this.inFlight.set(job.id, p);
    return p;
  }

  private async execute(job: Job): Promise<JobRun> {
    const started = performance.now();
    const log = this.logger.child({ job: job.id });
    try {
      const result = await job.run({ now: this.clock.now(), logger: log });
      const ms = Math.round(performance.now() - started);
      log.debug({ ms }, "job done");
      return { id: job.id, ok: true, result, ms };
    } catch (e) {
      const ms = Math.round(performance.now() - started);
      log.error({ err: e, ms }, "job failed");
      return { id: job.id, ok: false, error: e instanceof Error ? e.message : String(e), ms };
    }
  }

  async drain(): Promise<void> {
    await Promise.all([...this.inFlight.values()]);
  }
}

export function startScheduler(o: { jobs: readonly Job[]; tz: string; logger: Logger; clock?: Clock }): SchedulerHandle {
  const ids = new Set<string>();
  for (const job of o.jobs) {
    if (ids.has(job.id)) throw new Error(`job ${job.id} is listed twice`);
    ids.add(job.id);
    if (!cron.validate(job.schedule)) throw new Error(`job ${job.id}: "${job.schedule}" is not a cron expression`);
  }
  const runner = new JobRunner(o.clock ?? systemClock, o.logger);
  const tasks: ScheduledTask[] = o.jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        await runner.run(job);
      },
      { timezone: o.tz, name: job.id, noOverlap: true },
    ),
  );
  o.logger.info({ jobs: o.jobs.map((j) => `${j.id} (${j.schedule})`), tz: o.tz }, "scheduler started");
  return {
    running: () => runner.running(),
    runNow: (id) => {
      const job = o.jobs.find((j) => j.id === id);
      if (!job) throw new Error(`no job ${id}`);
      return runner.run(job);
    },
    async stop() {
      for (const t of tasks) await t.destroy();
      await runner.drain();
    },
  };
}

/** Run jobs once, one after another, in the order listed (all of them, or those named). */
export async function runJobsOnce(
  jobs: readonly Job[],
  o: { ids?: readonly string[]; clock?: Clock; logger: Logger },
): Promise<JobRun[]> {
  const unknown = (o.ids ?? []).filter((id) => !jobs.some((j) => j.id === id));
  if (unknown.length) throw new Error(`no such job: ${unknown.join(", ")} (jobs: ${jobs.map((j) => j.id).join(", ")})`);
  const runner = new JobRunner(o.clock ?? systemClock, o.logger);
  const out: JobRun[] = [];
  for (const job of jobs) {
    if (o.ids && !o.ids.includes(job.id)) continue;
    out.push(await runner.run(job));
  }
  return out;
}
