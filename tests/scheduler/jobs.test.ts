/**
 * The jobs and the scheduler: the morning lists are written once per consultant and working day,
 * never on a day off, before 07:30 or after hours; session nudges are scheduled; one process
 * never runs a job twice at once; the CLI's run-once runs jobs in order.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { JOB_IDS, reminderJobs, writeMorningReminders, type Job } from "../../src/scheduler/jobs.js";
import { runJobsOnce, startScheduler } from "../../src/scheduler/scheduler.js";
import { FixedClock } from "../../src/shared/clock.js";
import { useTestDatabase } from "../support/db.js";
import * as s from "./support.js";

const t = useTestDatabase();
beforeEach(async () => {
  await s.resetDb(t.db);
});

const cal = s.calendar();

describe("morning lists", () => {
  it("one digest row per active consultant on a working day from 07:30, idempotent", async () => {
    const a = await s.staff(t.db, { role: "consultant" });
    const b = await s.staff(t.db, { role: "consultant" });
    const off = await s.staff(t.db, { role: "consultant" });
    await t.db.staff.update({ where: { id: off.staff.id }, data: { active: false } });
    await s.staff(t.db, { role: "admin" });
    expect(await writeMorningReminders(t.db, cal, s.wita("2026-03-16 07:29"), "consultant_digest")).toEqual({ skipped: "before 07:30", created: 0 });
    expect(await writeMorningReminders(t.db, cal, s.wita("2026-03-16 07:30"), "consultant_digest")).toEqual({ date: "2026-03-16", created: 2 });
    expect(await writeMorningReminders(t.db, cal, s.wita("2026-03-16 09:45"), "consultant_digest")).toEqual({ date: "2026-03-16", created: 0 });
    const rows = await t.db.reminder.findMany({ orderBy: { staffId: "asc" } });
    expect(rows.map((r) => r.staffId).sort()).toEqual([a.staff.id, b.staff.id].sort());
    expect(rows.every((r) => r.dueAt.getTime() === s.wita("2026-03-16 07:30").getTime())).toBe(true);
    expect(await writeMorningReminders(t.db, cal, s.wita("2026-03-16 16:00"), "consultant_digest")).toEqual({ skipped: "after working hours", created: 0 });
  });

  it("nothing on Sundays, holidays or Nyepi", async () => {
    await s.staff(t.db, { role: "consultant" });
    for (const day of ["2026-03-15 08:00", "2026-03-19 08:00", "2026-08-17 08:00", "2027-03-08 08:00"]) {
      expect(await writeMorningReminders(t.db, cal, s.wita(day), "consultant_digest")).toEqual({ skipped: "day off", created: 0 });
    }
    expect(await t.db.reminder.count()).toBe(0);
  });

  it("today's monitoring: only consultants with a visit today", async () => {
    const c = await s.client(t.db);
    const withVisit = await s.staff(t.db, { role: "consultant" });
    const viaVisit = await s.staff(t.db, { role: "consultant" });
    await s.staff(t.db, { role: "consultant" });
    const k1 = await s.consultationCase(t.db, { clientId: c.client.id, status: "monitoring", step: 6, consultantId: withVisit.staff.id });
    const k2 = await s.consultationCase(t.db, { clientId: c.client.id, status: "monitoring", step: 6, consultantId: withVisit.staff.id });
    await t.db.monitoringVisit.create({ data: { caseId: k1.id, scheduledFor: new Date("2026-03-16T00:00:00.000Z") } });
    // A visit at 10:00 WITA, assigned to another consultant on the visit itself.
    await t.db.monitoringVisit.create({ data: { caseId: k2.id, scheduledFor: s.wita("2026-03-16 10:00"), consultantId: viaVisit.staff.id } });
    await t.db.monitoringVisit.create({ data: { caseId: k2.id, scheduledFor: new Date("2026-03-17T00:00:00.000Z") } });
    const r = await writeMorningReminders(t.db, cal, s.wita("2026-03-16 07:30"), "monitoring_today");
    expect(r.created).toBe(2);
    const staffIds = (await t.db.reminder.findMany()).map((x) => x.staffId).sort();
    expect(staffIds).toEqual([withVisit.staff.id, viaVisit.staff.id].sort());
  });
});

describe("jobs", () => {
  it("the job list: sweep every minute, morning lists, nudges every 5 minutes when given", () => {
    const sweeper = s.sweeper(t, { calendar: cal });
    const ids = reminderJobs({ db: t.db, sweeper, calendar: cal }).map((j) => `${j.id} ${j.schedule}`);
    expect(ids).toEqual([
      `${JOB_IDS.digest} */15 7-23 * * *`,
      `${JOB_IDS.monitoringToday} */15 7-23 * * *`,
      `${JOB_IDS.adminDigest} */15 7-23 * * *`,
      `${JOB_IDS.slaSteps} */5 * * * *`,
      `${JOB_IDS.sweep} * * * * *`,
    ]);
    const withNudges = reminderJobs({ db: t.db, sweeper, calendar: cal, nudgeSessions: async () => 0 });
    expect(withNudges.map((j) => j.id)).toContain(JOB_IDS.nudges);
    expect(withNudges.find((j) => j.id === JOB_IDS.nudges)!.schedule).toBe("*/5 * * * *");
  });

  it("session nudges get the time of the tick, in quiet hours too (the callback decides what it may send)", async () => {
    const calls: Date[] = [];
    const jobs = reminderJobs({ db: t.db, sweeper: s.sweeper(t), calendar: cal, nudgeSessions: async (now) => calls.push(now) });
    const clock = new FixedClock(s.wita("2026-03-16 22:00"));
    await runJobsOnce(jobs, { ids: [JOB_IDS.nudges], clock, logger: s.logger });
    clock.set(s.wita("2026-03-17 07:00"));
    await runJobsOnce(jobs, { ids: [JOB_IDS.nudges], clock, logger: s.logger });
    expect(calls.map((d) => d.getTime())).toEqual([s.wita("2026-03-16 22:00").getTime(), s.wita("2026-03-17 07:00").getTime()]);
  });

  it("run once: all jobs in order, the morning rows swept in the same run", async () => {
    const c = await s.client(t.db);
    const cons = await s.staff(t.db, { role: "consultant" });
    await s.consultationCase(t.db, { clientId: c.client.id, status: "in_consultation", step: 4, consultantId: cons.staff.id });
    const jobs = reminderJobs({ db: t.db, sweeper: s.sweeper(t, { calendar: cal }), calendar: cal });
    const runs = await runJobsOnce(jobs, { clock: new FixedClock(s.wita("2026-03-16 07:30")), logger: s.logger });
    expect(runs.map((r) => [r.id, r.ok])).toEqual([
      [JOB_IDS.digest, true],
      [JOB_IDS.monitoringToday, true],
      [JOB_IDS.adminDigest, true],
      [JOB_IDS.slaSteps, true],
      [JOB_IDS.sweep, true],
    ]);
    expect(await t.db.outboxMessage.count({ where: { identityId: cons.identity.id } })).toBe(1);
    await expect(runJobsOnce(jobs, { ids: ["nope"], logger: s.logger })).rejects.toThrow(/no such job/);
  });
});

describe("scheduler", () => {
  it("never runs the same job twice at once in one process, and reports failures", async () => {
    let release!: () => void;
    let runs = 0;
    const slow: Job = {
      id: "slow",
      schedule: "* * * * *",
      run: async () => {
        runs += 1;
        await new Promise<void>((r) => (release = r));
        return "done";
      },
    };
    const failing: Job = { id: "failing", schedule: "0 7 * * *", run: async () => Promise.reject(new Error("nope")) };
    const sch = startScheduler({ jobs: [slow, failing], tz: "Asia/Makassar", logger: s.logger });
    try {
      const first = sch.runNow("slow");
      const second = await sch.runNow("slow");
      expect(second).toMatchObject({ skipped: "already running" });
      expect(sch.running()).toEqual(["slow"]);
      release();
      expect(await first).toMatchObject({ ok: true, result: "done" });
      expect(runs).toBe(1);
      expect(await sch.runNow("failing")).toMatchObject({ ok: false, error: "nope" });
    } finally {
      await sch.stop();
    }
  });

  it("refuses a wrong cron expression and a job listed twice", () => {
    const job: Job = { id: "x", schedule: "every minute", run: async () => undefined };
    expect(() => startScheduler({ jobs: [job], tz: "Asia/Makassar", logger: s.logger })).toThrow(/not a cron expression/);
    const ok: Job = { id: "y", schedule: "* * * * *", run: async () => undefined };
    expect(() => startScheduler({ jobs: [ok, ok], tz: "Asia/Makassar", logger: s.logger })).toThrow(/twice/);
  });
});
