/**
 * One person across LID and phone number, through the whole service: a person starts the
 * registration form writing under their LID only (WhatsApp hid the number), then writes from
 * their phone-number JID (the key carries the LID in remoteJidAlt, as rc14 delivers it). The two
 * identities are one: the form goes on at the question it was at, the earlier answers kept, and
 * what was sent before is on the one person. Baileys' socket is the stand-in of the channel tests;
 * messages and keys are built as Baileys emits them. Runs on SQLite and, with TEST_POSTGRES_URL,
 * on PostgreSQL.
 */
import { unseal, unsealOpt } from "../../src/security/at-rest.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { startBaileysService, type BaileysService } from "../support/whatsapp-service.js";
import { FixedClock } from "../../src/shared/clock.js";
import type { SentRecord } from "../fixtures/whatsapp/fake-socket.js";
import * as P from "../fixtures/whatsapp/payloads.js";
import { mergeIdentityInto } from "../../src/db/identity-merge.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { useTestDatabase } from "../support/db.js";
import { waStored } from "../support/whatsapp-address.js";

const LID = "201987654321098@lid";
const PN = "6281398765432@s.whatsapp.net";

let service: RunningService;
let rig: BaileysService;
const sent: SentRecord[] = [];

beforeAll(async () => {
  rig = await startBaileysService(sent, { clock: new FixedClock("2026-11-23T01:00:00.000Z") });
  service = rig.service;
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

/** Everything the person wrote so far handled, and the outbox sent out. */
async function settle(): Promise<void> {
  const wa = service.channels.get("whatsapp") as unknown as { idle(): Promise<void> };
  await wa.idle();
  for (let i = 0; i < 20; i++) if ((await service.sender.drainOnce()).claimed === 0) break;
}

function textsTo(jid: string): string[] {
  return sent.filter((s) => s.jid === jid && "text" in s.content).map((s) => (s.content as { text: string }).text);
}

/** The number of the choice whose label matches, in the last numbered list sent to `jid`. */
function numberOf(jid: string, label: RegExp): string {
  const last = textsTo(jid).at(-1) ?? "";
  const line = last.split("\n").find((l) => /^\d+\. /.test(l) && label.test(l));
  if (!line) throw new Error(`no choice ${label} in: ${last.slice(-400)}`);
  return line.split(".")[0]!;
}

async function write(key: Parameters<typeof P.incoming>[0], text: string): Promise<void> {
  rig.sockets.at(-1)!.upsert([P.incoming(key, P.text(text), { pushName: "Ni Made Ayu" })]);
  await settle();
}

const lidOnly = () => P.lidKey({ remoteJid: LID, remoteJidAlt: undefined });
const fromPhone = () => P.pnKey({ remoteJid: PN, remoteJidAlt: LID });

describe("one person across LID and phone number", () => {
  it("starts the form under the LID, goes on from the phone number where it was", async () => {
    await write(lidOnly(), "halo");
    expect(textsTo(LID).length).toBeGreaterThan(0);
    await write(lidOnly(), numberOf(LID, /daftar/i));
    await write(lidOnly(), numberOf(LID, /setuju|agree/i));
    await write(lidOnly(), "Ni Made Ayu Lestari");
    const db = service.database.db;
    const before = await db.identity.findUniqueOrThrow({ where: { channel_address: { channel: "whatsapp", address: waStored(LID) } }, include: { session: true } });
    expect(before.session?.flowId).toBeTruthy();
    const askedUnderLid = textsTo(LID).at(-1)!;
    const textsBefore = textsTo(LID).length;
    const sentUnderLid = await db.outboxMessage.count({ where: { identityId: before.id } });

    // The same person, now from the phone-number JID: the next answer of the same question.
    await write(fromPhone(), numberOf(LID, /perempuan|female|^\d+\. P\b/i));

    const people = await db.identity.findMany({ where: { channel: "whatsapp" }, include: { session: true } });
    expect(people.map((p) => p.address)).toEqual([waStored(PN)]);
    // The real address, sealed, is the phone-number JID the replies go to.
    expect(people.map((p) => unseal(p.addressSealed!))).toEqual([PN]);
    const [person] = people;
    // The form went on: same flow, the name still answered, the next question asked (not the menu again).
    expect(person!.session?.flowId).toBe(before.session?.flowId);
    // The half-filled form came along (sealed at rest: read with the key).
    expect(unseal(person!.session!.stateJson)).toContain("Ni Made Ayu Lestari");
    expect(person!.consentedAt).toEqual(before.consentedAt);
    // Sends to a known LID go to the LID (rc14), so the reply is in the same chat on the phone.
    expect(textsTo(PN)).toEqual([]);
    expect(textsTo(LID).length).toBeGreaterThan(textsBefore);
    const next = textsTo(LID).at(-1)!;
    expect(next).not.toBe(askedUnderLid);
    expect(next).toMatch(/tanggal lahir|date of birth/i);
    // What was sent to the LID is the person's history, numbered before what came after.
    const rows = await db.outboxMessage.findMany({ where: { identityId: person!.id }, orderBy: { seq: "asc" } });
    expect(rows.length).toBeGreaterThan(sentUnderLid);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
    const audit = await db.auditLog.findMany({ where: { action: "identity.merged" } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detailJson!)).toMatchObject({ from: before.id, session: "from" });
  });
});

describe("mergeIdentityInto (both identities exist)", () => {
  const t = useTestDatabase();

  it("keeps the form in progress, the client, the earliest consent, and every row; the LID identity is gone", async () => {
    const at = (m: number) => new Date(Date.UTC(2026, 10, 23, 1, m));
    const client = await t.db.client.create({ data: { fullName: "Ni Made Ayu Lestari" } });
    const lid = await t.db.identity.create({ data: { channel: "whatsapp", address: LID, clientId: client.id, language: "en", consentedAt: at(1), unreachableAt: at(3) } });
    const pn = await t.db.identity.create({ data: { channel: "whatsapp", address: PN, displayName: "Ayu" } });
    await t.db.conversationSession.create({ data: { identityId: lid.id, flowId: "registration", status: "active", stateJson: '{"engine":{"answers":{"name":"Ni Made Ayu Lestari"}}}', lastActivityAt: at(2) } });
    await t.db.conversationSession.create({ data: { identityId: pn.id, status: "idle", lastActivityAt: at(5) } });
    const outbox = new Outbox(t);
    await t.db.$transaction(async (tx) => {
      await outbox.enqueue(tx, [{ identityId: pn.id, message: { type: "text", text: "menu" }, idempotencyKey: "pn#0" }], at(5));
      await outbox.enqueue(tx, ["nama?", "jenis kelamin?"].map((text, i) => ({ identityId: lid.id, message: { type: "text" as const, text }, idempotencyKey: `lid#${i}` })), at(2));
    });
    await t.db.outboxMessage.updateMany({ where: { idempotencyKey: "lid#0" }, data: { status: "sent", sentAt: at(2) } });
    const reminder = await t.db.reminder.create({ data: { kind: "registration_incomplete", dueAt: at(60), identityId: lid.id, idempotencyKey: "reg-incomplete:1" } });
    const consent = await t.db.consent.create({ data: { identityId: lid.id, clientId: client.id, textVersion: "v1", language: "en", acceptedAt: at(1) } });

    const result = await t.db.$transaction((tx) => mergeIdentityInto(tx, { channel: "whatsapp", fromAddress: LID, into: { id: pn.id, address: PN }, now: at(6) }));
    expect(result).toEqual({ merged: true, fromId: lid.id, keptSession: "from", movedMessages: 2 });

    expect(await t.db.identity.findUnique({ where: { id: lid.id } })).toBeNull();
    const kept = await t.db.identity.findUniqueOrThrow({ where: { id: pn.id }, include: { session: true } });
    expect(kept).toMatchObject({ clientId: client.id, displayName: "Ayu", language: "en", consentedAt: at(1), unreachableAt: null });
    expect(kept.session).toMatchObject({ flowId: "registration", status: "active" });
    expect(unsealOpt(kept.session!.stateJson)).toContain("Ni Made Ayu Lestari");
    const rows = await t.db.outboxMessage.findMany({ where: { identityId: pn.id }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.idempotencyKey, r.seq, r.status, r.address])).toEqual([
      ["pn#0", 1, "pending", PN],
      ["lid#0", 2, "sent", LID],
      ["lid#1", 3, "pending", PN],
    ]);
    expect((await t.db.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).identityId).toBe(pn.id);
    expect((await t.db.consent.findUniqueOrThrow({ where: { id: consent.id } })).identityId).toBe(pn.id);
    // Nothing to merge a second time.
    expect(await t.db.$transaction((tx) => mergeIdentityInto(tx, { channel: "whatsapp", fromAddress: LID, into: { id: pn.id, address: PN }, now: at(7) }))).toEqual({ merged: false });
  });
});
