/**
 * Monitoring with a photo (issue 14, item 6): on the agreed date the client reports progress on each
 * action (done / not yet / stuck) with a note or a photo. The photo is stored encrypted with the
 * case (a Document of type progress_photo), goes to the consultant with the progress, is named on
 * the control card and listed on the case page, and viewing it is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { cookieFrom, form, tokenOf } from "../dashboard/helpers.js";
import { startTestService, type TestService } from "../support/service.js";

const CONSULTANT = "mon-consultant";
const CLIENT = "mon-client";
const SHELF = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("FOTO-RAK-DISPLAY-BARU".repeat(80))]);
let t: TestService;
let caseId = "";
let itemIds: string[] = [];

const db = () => t.service.database.db;

async function say(who: string, what: string): Promise<string> {
  const before = t.channel.inbox(who).length;
  if (what.startsWith("#")) await t.channel.choice(who, what.slice(1));
  else await t.channel.text(who, what);
  await t.flush();
  return t.channel.texts(who).slice(before).join("\n");
}

beforeAll(async () => {
  t = await startTestService({ start: "2026-11-23T01:00:00.000Z" });
  const { code } = await db().$transaction((tx) => createInvite(tx, { role: "consultant", name: "Bu Komang", areas: ["pemasaran"], createdById: null, now: t.clock.now() }));
  await say(CONSULTANT, code);
  const consultant = await db().staff.findFirstOrThrow({ where: { name: "Bu Komang" } });
  const client = await db().client.create({ data: { fullName: "Made Sukerta", language: "id" } });
  await db().identity.create({ data: { channel: "web", address: CLIENT, clientId: client.id, language: "id", consentedAt: t.clock.now() } });
  const c = await db().consultationCase.create({ data: { regNumber: "PLUT-GIA-2026-000970", clientId: client.id, status: "monitoring", step: 6, consultantId: consultant.id, areaCode: "pemasaran" } });
  caseId = c.id;
  const plan = await db().actionPlan.create({
    data: {
      caseId, status: "agreed", submittedAt: t.clock.now(), agreedAt: t.clock.now(),
      items: { create: [
        { position: 1, action: "Membuat rak display baru", who: "saya", targetDate: new Date("2026-11-20"), indicator: "rak terpasang" },
        { position: 2, action: "Mengurus PIRT", who: "saya", targetDate: new Date("2026-11-21"), indicator: "PIRT terbit" },
      ] },
    },
    include: { items: { orderBy: { position: "asc" } } },
  });
  itemIds = plan.items.map((i) => i.id);
  await db().monitoringVisit.create({ data: { caseId, scheduledFor: new Date("2026-11-23"), consultantId: consultant.id } });
});
afterAll(async () => t?.close());

describe("the client's progress report with a photo", () => {
  it("asks per action for the progress, a note and a photo; the photo is stored with the case and sent to the consultant", async () => {
    const identity = await db().identity.findFirstOrThrow({ where: { address: CLIENT } });
    // The way the workflow starts a client's form inside a turn (startClientFlow), here on the agreed date.
    await t.service.inbox.runForIdentity(identity.id, "test:monitoring", {
      type: "start",
      flowId: "monitoring",
      vars: { caseId, regNumber: "PLUT-GIA-2026-000970", items: [{ id: itemIds[0], action: "Membuat rak display baru" }, { id: itemIds[1], action: "Mengurus PIRT" }] },
    });
    await t.flush();
    expect(t.channel.texts(CLIENT).join("\n")).toContain("Rencana 1: Membuat rak display baru");
    expect(await say(CLIENT, "sudah")).toContain("Ada catatan untuk rencana ini?");
    expect(await say(CLIENT, "Rak sudah terpasang di depan toko")).toContain("Ada foto perkembangannya?");
    const before = t.channel.inbox(CLIENT).length;
    await t.channel.photo(CLIENT, SHELF);
    await t.flush();
    expect(t.channel.texts(CLIENT).slice(before).join("\n")).toContain("Rencana 2: Mengurus PIRT");
    expect(await say(CLIENT, "butuh bantuan")).toContain("Ada catatan");
    expect(await say(CLIENT, "lewati")).toContain("Ada foto");
    expect(await say(CLIENT, "lewati")).toContain("Ada hal lain");
    expect(await say(CLIENT, "lewati")).toContain("Ini laporan perkembangan Anda");

    const toConsultant = t.channel.inbox(CONSULTANT).length;
    expect(await say(CLIENT, "kirim")).toContain("laporan perkembangan Anda sudah kami terima");
    const got = t.channel.delivered.filter((d) => d.to === CONSULTANT).slice(-2);
    const progress = t.channel.inbox(CONSULTANT).slice(toConsultant);
    expect(progress.map((m) => (m.type === "text" ? m.text : `[${m.type}]`)).join("\n")).toContain("PLUT-GIA-2026-000970");
    const photo = got.find((d) => d.message.type === "document");
    expect(photo?.bytes?.equals(SHELF)).toBe(true);
    expect(photo?.message.type === "document" && photo.message.caption).toBe("Foto perkembangan PLUT-GIA-2026-000970, rencana 1: Membuat rak display baru");

    const docs = await db().document.findMany({ where: { caseId, type: "progress_photo" } });
    expect(docs).toHaveLength(1);
    expect([docs[0]!.mimeType, docs[0]!.encrypted, docs[0]!.size]).toEqual(["image/jpeg", true, SHELF.length]);
    const item = await db().actionPlanItem.findUniqueOrThrow({ where: { id: itemIds[0]! } });
    expect([item.progress, item.progressNote]).toEqual(["done", "Rak sudah terpasang di depan toko"]);
    const card = await db().controlCardEntry.findFirstOrThrow({ where: { caseId, summary: { startsWith: "Laporan kemajuan klien" } } });
    expect(card.summary).toContain(`[foto ${docs[0]!.id.slice(-6)}]`);
    expect(await db().auditLog.count({ where: { action: "progress.photo", entityId: docs[0]!.id } })).toBe(1);
  });

  it("the case page lists the photo; opening it is audited", async () => {
    const staff = await db().staff.findFirstOrThrow({ where: { name: "Bu Komang" } });
    const link = await createLoginLink(db(), staff.id, t.clock.now(), "http://127.0.0.1:3000");
    const login = await t.service.app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link) }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" } });
    const cookie = cookieFrom(login.headers["set-cookie"]);
    const doc = await db().document.findFirstOrThrow({ where: { caseId, type: "progress_photo" } });
    const page = await t.service.app.inject({ method: "GET", url: `/staff/cases/${caseId}`, headers: { cookie } });
    expect(page.body).toContain(`href="/staff/documents/${doc.id}"`);
    expect(page.body).toContain("Foto laporan perkembangan (monitoring)");
    const file = await t.service.app.inject({ method: "GET", url: `/staff/documents/${doc.id}`, headers: { cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(SHELF)).toBe(true);
    expect(await db().auditLog.count({ where: { action: "document.view", entityId: doc.id, actorId: staff.id } })).toBe(1);
  });
});
