/**
 * An announcement with sign-up reaching registered clients on WhatsApp, both ways an office may run
 * it, through the whole service on a fixed clock (the reminder sweep, the outbox's bulk lane, the
 * channel), answered as people answer on their phones:
 * - Baileys: the "Ikut" / "Tidak bisa" choices come as a numbered list; the client types "1" (signs
 *   up), another types "2" (cannot come), a third types "1" when the one place is taken (waiting
 *   list). Baileys' socket is the channel tests' stand-in, messages built as Baileys emits them.
 * - Cloud API: inside the 24-hour window the announcement comes with reply buttons and a tap signs
 *   up; outside it the approved template `plut_pengumuman` goes as a notice, the full announcement
 *   waits, and the tap on "Baca pengumuman" brings it; its "Ikut" button then signs up. Meta's side
 *   is the Graph API stand-in on loopback (signed webhooks in, sends out).
 * Runs on SQLite, and on PostgreSQL with TEST_POSTGRES_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESUME_PAYLOAD } from "../../src/channels/whatsapp-cloud/templates.js";
import type { Db } from "../../src/db/client.js";
import { confirmAndSend, createDraft } from "../../src/domain/announcements/index.js";
import { createLogger } from "../../src/logging/logger.js";
import { JOB_IDS } from "../../src/scheduler/jobs.js";
import type { RunningService } from "../../src/service.js";
import { FixedClock } from "../../src/shared/clock.js";
import type { SentRecord } from "../fixtures/whatsapp/fake-socket.js";
import * as P from "../fixtures/whatsapp/payloads.js";
import { FakeGraphApi, type CloudSent } from "../support/fake-graph-api.js";
import { waStored } from "../support/whatsapp-address.js";
import { startBaileysService, startCloudService, type BaileysService } from "../support/whatsapp-service.js";

const HOUR = 60 * 60 * 1000;
const silent = createLogger({ level: "silent" });

/** The person who wrote from `address` becomes a registered client (the registration itself is tested elsewhere). */
async function register(db: Db, address: string, name: string): Promise<string> {
  const identity = await db.identity.findUniqueOrThrow({ where: { channel_address: { channel: "whatsapp", address: waStored(address) } } });
  const client = await db.client.create({ data: { fullName: name, language: "id", kecamatan: "510401" } });
  await db.business.create({ data: { clientId: client.id, name: `Usaha ${name}`, sector: "kuliner", products: "-", legalForm: "perorangan" } });
  await db.identity.update({ where: { id: identity.id }, data: { clientId: client.id, consentedAt: new Date() } });
  return client.id;
}

/** An admin drafts and confirms an announcement with `quota` places (composing it in chat is tested over Telegram). */
async function announce(db: Db, now: Date, quota: number): Promise<string> {
  const admin = await db.staff.create({ data: { name: "Ni Luh Admin", role: "admin" } });
  const { id } = await createDraft(db, {
    staffId: admin.id,
    title: "Pelatihan foto produk",
    text: "Pelatihan gratis di aula PLUT, Jumat pukul 10.00.",
    rsvp: { quota, closesAt: new Date(now.getTime() + 72 * HOUR) },
    eventAt: new Date(now.getTime() + 96 * HOUR),
    filter: {},
    now,
  });
  await confirmAndSend(db, id, admin.id, now);
  return id;
}

async function rsvpOf(db: Db, announcementId: string, clientId: string): Promise<string | null> {
  const r = await db.announcementRecipient.findUniqueOrThrow({ where: { announcementId_clientId: { announcementId, clientId } } });
  return r.rsvp;
}

describe("on Baileys: the choices as a numbered list, answered by typing the number", () => {
  // Each person's phone-number JID, and the LID WhatsApp pairs it with (replies go to the LID).
  const AYU = "6281200000001@s.whatsapp.net";
  const OKA = "6281200000002@s.whatsapp.net";
  const SARI = "6281200000003@s.whatsapp.net";
  const LIDS: Record<string, string> = { [AYU]: "200000000000001@lid", [OKA]: "200000000000002@lid", [SARI]: "200000000000003@lid" };
  const clock = new FixedClock("2026-11-23T02:00:00.000Z"); // Monday 10:00 in Gianyar
  const sent: SentRecord[] = [];
  let rig: BaileysService;
  let service: RunningService;
  const clients: Record<string, string> = {};
  let announcementId: string;

  const db = () => service.database.db;
  async function settle(): Promise<void> {
    const wa = service.channels.get("whatsapp") as unknown as { idle(): Promise<void> };
    await wa.idle();
    for (let i = 0; i < 20; i++) if ((await service.sender.drainOnce()).claimed === 0) break;
  }
  const textsTo = (jid: string): string[] => sent.filter((s) => s.jid === LIDS[jid] && "text" in s.content).map((s) => (s.content as { text: string }).text);
  async function write(jid: string, text: string): Promise<string> {
    const before = textsTo(jid).length;
    rig.sockets.at(-1)!.upsert([P.incoming(P.pnKey({ remoteJid: jid, remoteJidAlt: LIDS[jid] }), P.text(text), { pushName: "Klien" })]);
    await settle();
    return textsTo(jid).slice(before).join("\n");
  }

  beforeAll(async () => {
    rig = await startBaileysService(sent, { clock });
    service = rig.service;
    for (const [jid, name] of [[AYU, "Ni Made Ayu"], [OKA, "I Ketut Oka"], [SARI, "Ni Wayan Sari"]] as const) {
      await write(jid, "halo");
      clients[jid] = await register(db(), jid, name);
    }
    announcementId = await announce(db(), clock.now(), 1);
    await service.jobs.find((j) => j.id === JOB_IDS.sweep)!.run({ now: clock.now(), logger: silent });
    await settle();
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
  });

  it("arrives once to each client with the sign-up choices numbered", async () => {
    for (const jid of [AYU, OKA, SARI]) {
      const got = textsTo(jid).filter((t) => t.includes("Pelatihan foto produk"));
      expect(got).toHaveLength(1);
      expect(got[0]).toContain("Pelatihan gratis di aula PLUT");
      expect(got[0]).toMatch(/^1\. Ikut$/m);
      expect(got[0]).toMatch(/^2\. Tidak bisa$/m);
    }
  });

  it("\"1\" signs up, \"2\" declines, and \"1\" once the place is taken puts the next on the waiting list", async () => {
    expect(await write(AYU, "1")).toMatch(/terdaftar|tercatat/i);
    expect(await rsvpOf(db(), announcementId, clients[AYU]!)).toBe("yes");

    expect(await write(OKA, "2")).toMatch(/terima kasih|tidak bisa/i);
    expect(await rsvpOf(db(), announcementId, clients[OKA]!)).toBe("no");

    expect(await write(SARI, "1")).toMatch(/daftar tunggu/i);
    expect(await rsvpOf(db(), announcementId, clients[SARI]!)).toBe("waiting");
  });
});

describe("on the Cloud API: buttons inside the 24-hour window, the template notice outside it", () => {
  const INSIDE = "6281300000001";
  const OUTSIDE = "6281300000002";
  const clock = new FixedClock("2026-11-23T02:00:00.000Z");
  let graph: FakeGraphApi;
  let rig: Awaited<ReturnType<typeof startCloudService>>;
  let service: RunningService;
  const clients: Record<string, string> = {};
  let announcementId: string;

  const db = () => service.database.db;
  async function drain(): Promise<void> {
    for (let i = 0; i < 20; i++) if ((await service.sender.drainOnce()).claimed === 0) return;
  }
  async function deliver(body: Record<string, unknown>): Promise<void> {
    expect(await graph.deliver(body)).toBe(200);
    await drain();
  }
  const textOf = (s: CloudSent): string =>
    s.type === "text" ? (s.payload.text as { body: string }).body : s.type === "interactive" ? (s.payload.interactive as { body: { text: string } }).body.text : "";
  const buttonsOf = (s: CloudSent): Array<{ id: string; title: string }> =>
    s.type === "interactive" ? ((s.payload.interactive as { action: { buttons?: { reply: { id: string; title: string } }[] } }).action.buttons ?? []).map((b) => b.reply) : [];

  beforeAll(async () => {
    graph = await FakeGraphApi.start({ now: () => clock.now() });
    rig = await startCloudService(graph, { clock });
    service = rig.service;

    // One client wrote two days ago (the window is closed), the other this morning.
    clock.advance(-48 * HOUR);
    await deliver(graph.text(OUTSIDE, "halo", { name: "Komang" }));
    clients[OUTSIDE] = await register(db(), `${OUTSIDE}@s.whatsapp.net`, "I Komang Arta");
    clock.advance(47 * HOUR);
    await deliver(graph.text(INSIDE, "halo", { name: "Putu" }));
    clients[INSIDE] = await register(db(), `${INSIDE}@s.whatsapp.net`, "Ni Putu Rai");
    clock.advance(HOUR);

    announcementId = await announce(db(), clock.now(), 10);
    await service.jobs.find((j) => j.id === JOB_IDS.sweep)!.run({ now: clock.now(), logger: silent });
    await drain();
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
    await graph?.close();
  });

  it("inside the window: the announcement with Ikut / Tidak bisa buttons; a tap signs up", async () => {
    const got = graph.sentTo(INSIDE).filter((s) => textOf(s).includes("Pelatihan foto produk"));
    expect(got).toHaveLength(1);
    expect(got[0]!.type).toBe("interactive");
    const ikut = buttonsOf(got[0]!).find((b) => b.title === "Ikut");
    expect(buttonsOf(got[0]!).map((b) => b.title)).toEqual(["Ikut", "Tidak bisa"]);

    const before = graph.sentTo(INSIDE).length;
    await deliver(graph.buttonReply(INSIDE, ikut!.id, "Ikut"));
    expect(await rsvpOf(db(), announcementId, clients[INSIDE]!)).toBe("yes");
    expect(graph.sentTo(INSIDE).slice(before).map(textOf).join("\n")).toMatch(/terdaftar|tercatat/i);
  });

  it("outside the window: the template notice only; its tap brings the announcement, whose Ikut signs up", async () => {
    const notices = graph.sentTo(OUTSIDE).filter((s) => s.type === "template");
    expect(notices).toHaveLength(1);
    const template = notices[0]!.payload.template as { name: string; language: { code: string }; components: { type: string; parameters: { text?: string; payload?: string }[] }[] };
    expect(template.name).toBe("plut_pengumuman");
    expect(template.language.code).toBe("id");
    expect(template.components[0]!.parameters.map((p) => p.text)).toEqual(["Pelatihan foto produk"]);
    // The announcement itself waits for the person, once.
    expect(graph.sentTo(OUTSIDE).some((s) => textOf(s).includes("Pelatihan gratis"))).toBe(false);
    expect(await db().outboxMessage.count({ where: { status: "held", onceOnly: true } })).toBe(1);

    clock.advance(2 * HOUR);
    const before = graph.sentTo(OUTSIDE).length;
    await deliver(graph.templateButton(OUTSIDE, template.components[1]?.parameters[0]?.payload ?? RESUME_PAYLOAD, "Baca pengumuman"));
    const after = graph.sentTo(OUTSIDE).slice(before);
    const full = after.find((s) => textOf(s).includes("Pelatihan gratis"));
    expect(full?.type).toBe("interactive");
    expect(after.filter((s) => textOf(s).includes("Pelatihan gratis"))).toHaveLength(1);

    const ikut = buttonsOf(full!).find((b) => b.title === "Ikut")!;
    const n = graph.sentTo(OUTSIDE).length;
    await deliver(graph.buttonReply(OUTSIDE, ikut.id, "Ikut"));
    expect(await rsvpOf(db(), announcementId, clients[OUTSIDE]!)).toBe("yes");
    expect(graph.sentTo(OUTSIDE).slice(n).map(textOf).join("\n")).toMatch(/terdaftar|tercatat/i);
    // Nothing of the announcement went twice.
    expect(graph.sentTo(OUTSIDE).filter((s) => textOf(s).includes("Pelatihan gratis"))).toHaveLength(1);
  });
});
