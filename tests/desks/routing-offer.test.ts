/**
 * Cases that reached step 3 before the office had an admin are offered to each admin as they join,
 * through the service's own door: the card with the router's explanation and one tap per likely
 * area; the tap routes the case as it would from the first offer. Cases past step 3 are not offered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { cookieFrom, csrfFrom, form, tokenOf } from "../dashboard/helpers.js";
import type { Outbound } from "../../src/messaging/model.js";
import { startTestService, type TestService } from "../support/service.js";

let t: TestService;
const ids: Record<string, string> = {};

async function link(who: string, role: "admin" | "consultant", name: string, areas: string[] = []): Promise<Outbound[]> {
  const db = t.service.database.db;
  const { code } = await db.$transaction((tx) => createInvite(tx, { role, name, areas, createdById: null, now: t.clock.now() }));
  const before = t.channel.inbox(who).length;
  await t.channel.text(who, code);
  await t.flush();
  return t.channel.inbox(who).slice(before);
}

const textOf = (m: Outbound) => (m.type === "text" ? m.text : "");

beforeAll(async () => {
  t = await startTestService();
  const db = t.service.database.db;
  await link("offer-consultant", "consultant", "I Wayan Pemasaran", ["pemasaran"]);
  const client = await db.client.create({ data: { fullName: "Ni Made Sari", kecamatan: "510405", language: "id" } });
  await db.identity.create({ data: { channel: "web", address: "offer-client", clientId: client.id, language: "id", consentedAt: t.clock.now() } });
  const mk = async (n: number, status: string, step: number, problemText: string) =>
    (await db.consultationCase.create({ data: { regNumber: `PLUT-GIA-2026-00080${n}`, clientId: client.id, status, step, problemText, createdAt: new Date(t.clock.now().getTime() - (10 - n) * 60_000) } })).id;
  ids.clear = await mk(1, "awaiting_routing", 3, "ingin jualan online");
  ids.tie = await mk(2, "awaiting_routing", 3, "modal dan pemasaran");
  ids.busy = await mk(3, "in_consultation", 4, "sudah jalan");
  await db.routingDecision.create({
    data: { caseId: ids.clear, rankedJson: JSON.stringify([{ area: "pemasaran", score: 3, reasons: ["kata 'online'"] }]), recommended: "pemasaran", score: 3, explanation: "kata 'online' -> pemasaran" },
  });
  await db.routingDecision.create({
    data: {
      caseId: ids.tie,
      rankedJson: JSON.stringify([{ area: "pembiayaan", score: 2, reasons: ["kata 'modal'"] }, { area: "pemasaran", score: 2, reasons: ["kata 'pemasaran'"] }]),
      recommended: "",
      score: 2,
      explanation: "dua bidang sama mungkin",
    },
  });
});
afterAll(async () => t?.close());

describe("unrouted cases offered when an admin joins", () => {
  it("sends the waiting cases, oldest first, each with the router's reasons and one tap per likely area", async () => {
    const got = await link("offer-admin", "admin", "Ni Luh Admin");
    const texts = got.map(textOf);
    // One turn's texts arrive joined (src/outbox/join.ts); a card with its buttons ends a message.
    const all = texts.join("\n");
    const order = ["Ni Luh Admin", "Ada 2 kasus yang menunggu penentuan bidang", "PLUT-GIA-2026-000801", "kata 'online' -> pemasaran", "PLUT-GIA-2026-000802"].map((s) => all.indexOf(s));
    expect(order.every((at) => at >= 0), all).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(all).not.toContain("PLUT-GIA-2026-000803");
    const withCase = (reg: string) => got.find((m) => textOf(m).includes(reg));
    const clear = withCase("PLUT-GIA-2026-000801");
    const tie = withCase("PLUT-GIA-2026-000802");
    expect(clear).not.toBe(tie);
    const clearChoices = clear?.type === "text" ? clear.choices ?? [] : [];
    const tieChoices = tie?.type === "text" ? tie.choices ?? [] : [];
    expect(clearChoices).toHaveLength(3);
    // A tie: both areas, then another area and the document.
    expect(tieChoices).toHaveLength(4);

    // The tap routes the case, exactly as from the first offer.
    await t.channel.choice("offer-admin", clearChoices[0]!.id);
    await t.flush();
    const c = await t.service.database.db.consultationCase.findUniqueOrThrow({ where: { id: ids.clear } });
    expect(c).toMatchObject({ status: "awaiting_acceptance", areaCode: "pemasaran", step: 4 });
    const audit = await t.service.database.db.auditLog.findFirst({ where: { action: "routing.confirm", entityId: ids.clear } });
    expect(audit).not.toBeNull();
  });

  it("a second admin joining is offered what still waits; a consultant joining is not", async () => {
    const consultant = await link("offer-consultant-2", "consultant", "Made Pembiayaan", ["pembiayaan"]);
    expect(consultant.map(textOf).join("\n")).not.toContain("menunggu penentuan bidang");
    const got = (await link("offer-admin-2", "admin", "Kadek Admin")).map(textOf);
    expect(got.join("\n")).toContain("Ada 1 kasus");
    expect(got.join("\n")).toContain("PLUT-GIA-2026-000802");
    expect(got.join("\n")).not.toContain("PLUT-GIA-2026-000801");
  });

  it("the dashboard case page routes the same way: the router's reasons, one button per area, audited, the client told", async () => {
    const db = t.service.database.db;
    const app = t.service.app;
    const admin = await db.staff.findFirstOrThrow({ where: { name: "Ni Luh Admin" } });
    const link = await createLoginLink(db, admin.id, t.clock.now(), "http://127.0.0.1:3000");
    const login = await app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link) }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" } });
    const cookie = cookieFrom(login.headers["set-cookie"]);
    const page = await app.inject({ method: "GET", url: `/staff/cases/${ids.tie}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="routing-actions"');
    expect(page.body).toContain("kata &#39;modal&#39;");
    expect(page.body).toContain("kata &#39;pemasaran&#39;");
    const csrf = csrfFrom(page.body);
    const clientBefore = t.channel.texts("offer-client").length;

    const post = (area: string, overridden: string) =>
      app.inject({ method: "POST", url: `/staff/cases/${ids.tie}/route`, payload: form({ _csrf: csrf, area, overridden }), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    const done = await post("pembiayaan", "0");
    expect(done.statusCode).toBe(303);
    await t.flush();
    const c = await db.consultationCase.findUniqueOrThrow({ where: { id: ids.tie }, include: { routing: true } });
    expect(c).toMatchObject({ status: "awaiting_acceptance", areaCode: "pembiayaan", step: 4 });
    expect(c.routing[0]).toMatchObject({ decidedArea: "pembiayaan", decidedBy: "admin", decidedById: admin.id });
    const audit = await db.auditLog.findFirst({ where: { action: "routing.confirm", entityId: ids.tie } });
    expect(audit).toMatchObject({ actorType: "staff", actorId: admin.id });
    expect(t.channel.texts("offer-client").slice(clientBefore).join("\n")).toContain("PLUT-GIA-2026-000802");
    expect(t.channel.texts("offer-consultant-2").join("\n")).toContain("PLUT-GIA-2026-000802");
    const after = await app.inject({ method: "GET", url: `/staff/cases/${ids.tie}?routed=1`, headers: { cookie } });
    expect(after.body).toContain("Bidang sudah ditentukan");
    expect(after.body).not.toContain('id="routing-actions"');

    // A second decision is refused with the case's state, and changes nothing.
    const again = await post("pemasaran", "1");
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('id="routing-notice"');
    expect((await db.consultationCase.findUniqueOrThrow({ where: { id: ids.tie } })).areaCode).toBe("pembiayaan");
  });

  it("the admin can name the consultant: one of the area, the least loaded otherwise; a consultant of another area is refused", async () => {
    const db = t.service.database.db;
    const app = t.service.app;
    // Two consultants of marketing: the least loaded would be chosen by default, the admin names the other.
    await link("offer-consultant-3", "consultant", "Kadek Pemasaran Dua", ["pemasaran"]);
    const busy = await db.staff.findFirstOrThrow({ where: { name: "I Wayan Pemasaran" } });
    const other = await db.staff.findFirstOrThrow({ where: { name: "Kadek Pemasaran Dua" } });
    const finance = await db.staff.findFirstOrThrow({ where: { name: "Made Pembiayaan" } });
    const client = await db.client.findFirstOrThrow({ where: { fullName: "Ni Made Sari" } });
    const waiting = await db.consultationCase.create({ data: { regNumber: "PLUT-GIA-2026-000804", clientId: client.id, status: "awaiting_routing", step: 3, problemText: "promosi" } });
    const admin = await db.staff.findFirstOrThrow({ where: { name: "Ni Luh Admin" } });
    const link0 = await createLoginLink(db, admin.id, t.clock.now(), "http://127.0.0.1:3000");
    const login = await app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link0) }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" } });
    const cookie = cookieFrom(login.headers["set-cookie"]);
    const page = await app.inject({ method: "GET", url: `/staff/cases/${waiting.id}`, headers: { cookie } });
    expect(page.body).toContain('id="assign-consultant"');
    expect(page.body).toContain("Kadek Pemasaran Dua (Pemasaran; 0 kasus berjalan)");
    const csrf = csrfFrom(page.body);
    const post = (consultant: string) =>
      app.inject({ method: "POST", url: `/staff/cases/${waiting.id}/route`, payload: form({ _csrf: csrf, area: "pemasaran", overridden: "1", consultant }), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });

    const refused = await post(finance.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain("tidak aktif di bidang Pemasaran");
    expect((await db.consultationCase.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe("awaiting_routing");

    expect((await post(busy.id)).statusCode).toBe(303);
    await t.flush();
    const c = await db.consultationCase.findUniqueOrThrow({ where: { id: waiting.id } });
    expect(c).toMatchObject({ status: "awaiting_acceptance", areaCode: "pemasaran", consultantId: busy.id });
    expect(t.channel.texts("offer-consultant").join("\n")).toContain("PLUT-GIA-2026-000804");
    expect(t.channel.texts("offer-consultant-3").join("\n")).not.toContain("PLUT-GIA-2026-000804");
    expect(other.id).not.toBe(busy.id);
  });
});
