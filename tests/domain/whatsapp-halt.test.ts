/**
 * A WhatsApp halt (logged out, banned, replaced, bad session) reaches every active admin through a
 * channel that is not WhatsApp, once per reason and hour, and is audited.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tellAdminsWhatsAppHalted } from "../../src/domain/staff/whatsapp-halt.js";
import { loadConversations } from "../../src/flows/load.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { useTestDatabase } from "../support/db.js";

const t = useTestDatabase();
const texts = loadConversations(path.resolve("conversations")).texts;

describe("tellAdminsWhatsAppHalted", () => {
  it("writes one notice per admin identity off WhatsApp, in their language, once per hour", async () => {
    const now = new Date("2026-03-16T01:02:03Z");
    const admin = await t.db.staff.create({ data: { name: "Ni Kadek Dwi", role: "admin" } });
    const gone = await t.db.staff.create({ data: { name: "Mantan Admin", role: "admin", active: false } });
    const consultant = await t.db.staff.create({ data: { name: "I Wayan", role: "consultant" } });
    const tg = await t.db.identity.create({ data: { channel: "telegram", address: "7001", staffId: admin.id, language: "en" } });
    const web = await t.db.identity.create({ data: { channel: "web", address: "w-1", staffId: admin.id } });
    await t.db.identity.create({ data: { channel: "whatsapp", address: "6281100000001@s.whatsapp.net", staffId: admin.id } });
    await t.db.identity.create({ data: { channel: "telegram", address: "7002", staffId: gone.id } });
    await t.db.identity.create({ data: { channel: "telegram", address: "7003", staffId: consultant.id } });

    expect(await tellAdminsWhatsAppHalted({ db: t.db, outbox: new Outbox(t) }, texts, "banned", 403, now)).toBe(2);
    // The same halt again within the hour (a restart that halts again) tells nobody twice.
    expect(await tellAdminsWhatsAppHalted({ db: t.db, outbox: new Outbox(t) }, texts, "banned", 403, new Date(now.getTime() + 60_000))).toBe(0);

    const rows = await t.db.outboxMessage.findMany({ orderBy: { address: "asc" } });
    expect(rows.map((r) => [r.identityId, r.channel])).toEqual([
      [tg.id, "telegram"],
      [web.id, "web"],
    ]);
    const [en, id] = rows.map((r) => (JSON.parse(r.payloadJson) as { text: string }).text);
    expect(en).toContain("WhatsApp refuses the office number");
    expect(id).toContain("WhatsApp menolak nomor kantor");
    const audit = await t.db.auditLog.findMany({ where: { action: "whatsapp.halted" } });
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[0]!.detailJson!)).toEqual({ reason: "banned", code: 403, told: 2 });
  });
});
