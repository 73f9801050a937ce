/**
 * The client's progress report starts on the agreed date (issue 14 item 6, SOP step 6): the
 * check-in at 09:00 offers "Laporkan perkembangan", and the client opens the report form from it
 * (here by typing "lapor", as a WhatsApp client without buttons would), answers per action item,
 * and the visit is recorded as reported before the consultant evaluates. The old button then says
 * the report is already in. Runs on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { createLogger } from "../../src/logging/logger.js";
import { startTestService, type TestService } from "../support/service.js";

const CONSULTANT = "mon-start-consultant";
const CLIENT = "mon-start-client";
const silent = createLogger({ level: "silent" });
let t: TestService;
let visitId = "";

const db = () => t.service.database.db;

async function say(who: string, what: string): Promise<string> {
  const before = t.channel.inbox(who).length;
  if (what.startsWith("#")) await t.channel.choice(who, what.slice(1));
  else await t.channel.text(who, what);
  await t.flush();
  return t.channel.texts(who).slice(before).join("\n");
}

beforeAll(async () => {
  // Monday 23 November 2026, 08:30 WITA.
  t = await startTestService({ start: "2026-11-23T00:30:00.000Z" });
  const { code } = await db().$transaction((tx) => createInvite(tx, { role: "consultant", name: "Bu Komang", areas: ["pemasaran"], createdById: null, now: t.clock.now() }));
  await say(CONSULTANT, code);
  const consultant = await db().staff.findFirstOrThrow({ where: { name: "Bu Komang" } });
  const client = await db().client.create({ data: { fullName: "Made Sukerta", language: "id" } });
  const identity = await db().identity.create({ data: { channel: "web", address: CLIENT, clientId: client.id, language: "id", consentedAt: t.clock.now() } });
  const c = await db().consultationCase.create({ data: { regNumber: "PLUT-GIA-2026-000971", clientId: client.id, status: "monitoring", step: 6, consultantId: consultant.id, areaCode: "pemasaran" } });
  await db().actionPlan.create({
    data: {
      caseId: c.id, status: "agreed", submittedAt: t.clock.now(), agreedAt: t.clock.now(),
      items: { create: [{ position: 1, action: "Membuat rak display baru", who: "saya", targetDate: new Date("2026-11-20"), indicator: "rak terpasang" }] },
    },
  });
  const visit = await db().monitoringVisit.create({ data: { caseId: c.id, scheduledFor: new Date("2026-11-23"), consultantId: consultant.id } });
  visitId = visit.id;
  // The check-in the consultant's monitoring date planned (planMonitoringReminders), due at 09:00 WITA.
  await db().reminder.create({
    data: { kind: "monitoring_checkin", dueAt: new Date("2026-11-23T01:00:00.000Z"), identityId: identity.id, clientId: client.id, caseId: c.id, refId: visit.id, payloadJson: JSON.stringify({ date: "2026-11-23" }), idempotencyKey: `monitoring_checkin:${visit.id}:2026-11-23` },
  });
}, 60_000);
afterAll(async () => t?.close());

describe("the progress report starts from the check-in", () => {
  it("asks at 09:00 on the agreed date with a Laporkan perkembangan button", async () => {
    t.clock.set("2026-11-23T01:00:00.000Z");
    await t.service.jobs.find((j) => j.id === "reminders.sweep")!.run({ now: t.clock.now(), logger: silent });
    await t.flush();
    expect(t.channel.texts(CLIENT).join("\n")).toMatch(/hari ini, .*23 November 2026.*monitoring dan evaluasi untuk kasus PLUT-GIA-2026-000971/);
    expect(t.channel.lastChoices(CLIENT).map((c) => c.label)).toEqual(["Laporkan perkembangan"]);
  });

  it("a typed 'lapor' opens the form over the agreed action items; sending it records the visit as reported", async () => {
    expect(await say(CLIENT, "lapor")).toContain("Rencana 1: Membuat rak display baru");
    expect(await say(CLIENT, "sudah")).toContain("Ada catatan untuk rencana ini?");
    expect(await say(CLIENT, "Rak sudah terpasang")).toContain("Ada foto");
    expect(await say(CLIENT, "lewati")).toContain("Ada hal lain");
    expect(await say(CLIENT, "lewati")).toContain("Ini laporan perkembangan Anda");
    expect(await say(CLIENT, "kirim")).toContain("laporan perkembangan Anda sudah kami terima");
    const visit = await db().monitoringVisit.findUniqueOrThrow({ where: { id: visitId } });
    expect(visit.reportedAt?.toISOString().slice(0, 10)).toBe("2026-11-23");
    expect(visit.clientReport).toContain("Rak sudah terpasang");
    expect(t.channel.texts(CONSULTANT).join("\n")).toContain("PLUT-GIA-2026-000971");
  });

  it("the check-in's button after the report says it is already in, and 'lapor' is ordinary words again", async () => {
    const tap = `#mon:${visitId}:report`;
    expect(await say(CLIENT, tap)).toContain("Laporan perkembangan untuk PLUT-GIA-2026-000971 sudah kami terima");
    expect(await say(CLIENT, "lapor")).not.toContain("Rencana 1");
  });
});
