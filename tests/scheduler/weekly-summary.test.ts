/** The weekly summary reaches each head of UPT once per week, with the report attached. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { sendWeeklySummaries } from "../../src/scheduler/weekly-summary.js";
import { startTestService, type TestService } from "../support/service.js";

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ start: "2026-11-30T00:00:00.000Z" }); // Monday 08:00 WITA
});
afterAll(async () => t?.close());

it("sends last week's summary and report files to the head once, however often the job runs", async () => {
  const { code } = await t.service.database.db.$transaction((tx) => createInvite(tx, { role: "head", name: "Kepala UPT", areas: [], createdById: null, now: t.clock.now() }));
  await t.channel.text("head-1", code);
  await t.flush();
  const before = t.channel.inbox("head-1").length;
  const deps = { db: t.service.database.db, inbox: t.service.inbox, files: t.service.files, tz: "Asia/Makassar", texts: () => t.service.conversations.texts, regions: () => t.service.conversations.regions };
  expect(await sendWeeklySummaries(deps, t.clock.now())).toBe(1);
  await sendWeeklySummaries(deps, t.clock.now());
  await t.flush();
  const got = t.channel.inbox("head-1").slice(before);
  expect(got.filter((m) => m.type === "text")).toHaveLength(1);
  expect(got.filter((m) => m.type === "document").map((m) => (m.type === "document" ? m.mimeType : ""))).toEqual(
    expect.arrayContaining(["application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]),
  );
  expect(got.filter((m) => m.type === "document")).toHaveLength(2);
});
