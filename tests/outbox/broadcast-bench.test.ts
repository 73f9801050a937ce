/**
 * `npm run bench:broadcast` at small scale, so CI checks what the bench checks: an announcement to
 * 300 registered clients (every tenth opted out, a few more opting out after the confirmation) goes
 * through the service's own path (reminder sweep -> bulk outbox -> OutboxSender) into the stand-in
 * Telegram at ten times Telegram's limits; nobody gets it twice, nobody opted out gets it, nobody
 * is missed, no limit is broken. Then the sending process (a child) is killed with -9 while a
 * message is out: Telegram got it, the sender never heard back. A new process finishes the rest and
 * does not send that one again (an announcement goes at most once): nobody gets it twice, and the
 * progress counts it, and any other message out at that moment, as uncertain.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prepareBroadcast, readLog, runSending, startSendingProcess } from "../../scripts/bench-broadcast-run.js";
import { createEmptyDatabase } from "../support/db.js";

const PEOPLE = 300;
const SCALE = 10;
const cleanups: Array<() => Promise<void>> = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-broadcast-test-"));

afterAll(async () => {
  for (const c of cleanups) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function setUp() {
  const db = await createEmptyDatabase();
  cleanups.push(db.drop);
  return prepareBroadcast({ url: db.url, people: PEOPLE });
}

describe("the broadcast bench at small scale", () => {
  it("sends once to everyone who wants it and to nobody who opted out, within the limits", async () => {
    const setup = await setUp();
    expect(setup.recipients).toBe(270);
    expect(setup.optedOut.length).toBeGreaterThan(30);
    const logFile = path.join(dir, "run.log");
    const r = await runSending({ url: setup.url, announcementId: setup.announcementId, scale: SCALE, logFile });
    const f = readLog(logFile, setup);
    expect(r.breaches).toEqual([]);
    expect(f).toMatchObject({ duplicates: 0, toOptedOut: 0, missing: 0, delivered: setup.expected.length });
  }, 120_000);

  it("after kill -9 of the sending process part-way, a new one finishes and nobody gets a second copy", async () => {
    const setup = await setUp();
    const logFile = path.join(dir, "resume.log");
    const hangAt = Math.floor(setup.expected.length / 2);
    const first = startSendingProcess({ url: setup.url, announcementId: setup.announcementId, scale: SCALE, logFile, hangAt }, (m) => {
      if (m.hung !== undefined) first.child.kill("SIGKILL");
    });
    const died = await first.exited;
    expect(died.signal).toBe("SIGKILL");
    expect(readLog(logFile, setup).delivered).toBe(hangAt);

    const second = startSendingProcess({ url: setup.url, announcementId: setup.announcementId, scale: SCALE, logFile });
    const end = await second.exited;
    expect(end.code).toBe(0);
    expect(end.result?.breaches).toEqual([]);
    const f = readLog(logFile, setup);
    expect(f).toMatchObject({ duplicates: 0, toOptedOut: 0 });
    // Out with the channel at the kill: the one Telegram got, and any other person's that was asked
    // for side by side and never reached it. None is sent again; each is counted as uncertain, and
    // they are the only people missing.
    const uncertain = end.result!.uncertain;
    expect(uncertain).toBeGreaterThanOrEqual(1);
    expect(f.missing).toBe(uncertain - 1);
    expect(f.delivered).toBe(setup.expected.length - f.missing);
  }, 180_000);
});
