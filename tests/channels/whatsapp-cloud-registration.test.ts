/**
 * A whole registration with an identity photo over the WhatsApp Cloud API channel: the real
 * service listening on loopback, Meta's side played by the Graph API stand-in (signed webhooks in,
 * sends, uploads and media downloads out), the outbox sender running as in production. Runs on
 * SQLite, and on PostgreSQL with TEST_POSTGRES_URL (npm run test:postgres).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { startCloudService } from "../support/whatsapp-service.js";
import { FakeGraphApi, type CloudSent } from "../support/fake-graph-api.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { serviceSettled, until } from "../support/wait.js";
import { waStored } from "../support/whatsapp-address.js";

const CLIENT = "6281234567890";
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("whatsapp-cloud-ktp".repeat(200))]);

let graph: FakeGraphApi;
let service: RunningService;
let close: () => Promise<void>;

const settled = (handled: number): Promise<void> => serviceSettled(service.database.db, handled);

/** How the latest message that offered `id` showed it: a reply button or a list row. */
function offered(id: string): "button" | "list" | undefined {
  for (const s of [...graph.sentTo(CLIENT)].reverse()) {
    if (s.type !== "interactive") continue;
    const i = s.payload.interactive as { type: string; action: { buttons?: { reply: { id: string } }[]; sections?: { rows: { id: string }[] }[] } };
    if (i.type === "button" && i.action.buttons?.some((b) => b.reply.id === id)) return "button";
    if (i.type === "list" && i.action.sections?.some((sec) => sec.rows.some((r) => r.id === id))) return "list";
  }
  return undefined;
}

const textOf = (s: CloudSent): string =>
  s.type === "text" ? (s.payload.text as { body: string }).body : s.type === "interactive" ? (s.payload.interactive as { body: { text: string } }).body.text : "";

beforeAll(async () => {
  graph = await FakeGraphApi.start();
  // As in production: real time, the scheduler and the sender running.
  ({ service, close } = await startCloudService(graph, { env: { SCHEDULER_ENABLED: "true" } }));
}, 60_000);

afterAll(async () => {
  await close?.();
  await graph?.close();
});

describe("WhatsApp Cloud API end to end", () => {
  it("completes a registration with an identity photo, choices answered as reply buttons and list rows", async () => {
    let handled = 0;
    for (const step of REGISTRATION_SCRIPT) {
      let body;
      if (step === "PHOTO") body = graph.image(CLIENT, KTP);
      else if (step.startsWith("#")) {
        const id = step.slice(1);
        const how = offered(id);
        if (!how) throw new Error(`choice ${id} was not offered as a button or list row; last message: ${textOf(graph.sentTo(CLIENT).at(-1)!).slice(0, 300)}`);
        body = how === "button" ? graph.buttonReply(CLIENT, id) : graph.listReply(CLIENT, id);
      } else body = graph.text(CLIENT, step);
      expect(await graph.deliver(body), step).toBe(200);
      await settled(++handled);
    }
    const sent = graph.sentTo(CLIENT);
    const texts = sent.map(textOf).join("\n");
    const reg = /PLUT-GIA-\d{4}-\d{6}/.exec(texts);
    expect(reg, texts.slice(-500)).not.toBeNull();
    const kinds = new Set(sent.filter((s) => s.type === "interactive").map((s) => (s.payload.interactive as { type: string }).type));
    expect(kinds).toEqual(new Set(["button", "list"]));
    // Every message respected WhatsApp's limits (else Meta would have refused it).
    for (const s of sent) {
      if (s.type === "text") expect(textOf(s).length).toBeLessThanOrEqual(4096);
      if (s.type !== "interactive") continue;
      const i = s.payload.interactive as { type: string; body: { text: string }; action: { buttons?: { reply: { title: string } }[]; button?: string; sections?: { rows: { title: string; description?: string }[] }[] } };
      expect(i.body.text.length).toBeLessThanOrEqual(1024);
      for (const b of i.action.buttons ?? []) expect(b.reply.title.length).toBeLessThanOrEqual(20);
      if (i.type === "list") expect(i.action.button!.length).toBeLessThanOrEqual(20);
      const rows = (i.action.sections ?? []).flatMap((x) => x.rows);
      expect(rows.length).toBeLessThanOrEqual(10);
      for (const r of rows) {
        expect(r.title.length).toBeLessThanOrEqual(24);
        expect((r.description ?? "").length).toBeLessThanOrEqual(72);
      }
    }

    const db = service.database.db;
    const c = await db.consultationCase.findUniqueOrThrow({ where: { regNumber: reg![0] }, include: { client: true } });
    expect(c.channel).toBe("whatsapp");
    const doc = await db.document.findFirstOrThrow({ where: { clientId: c.clientId, type: "ktp" } });
    expect(await service.files.get(doc.storageKey)).toEqual(KTP);
    const identity = await db.identity.findFirstOrThrow({ where: { channel: "whatsapp", address: waStored(`${CLIENT}@s.whatsapp.net`) } });
    expect(identity.clientId).toBe(c.clientId);
    // Every sent row carries WhatsApp's message id (as a keyed hash: a wamid wraps the number), for the statuses that follow.
    const rows = await db.outboxMessage.findMany({ where: { identityId: identity.id } });
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.status === "sent" && r.providerMessageId?.startsWith("m1."))).toBe(true);
    expect(graph.downloads).toHaveLength(1);
  });

  it("handles a message Meta delivers twice once", async () => {
    const db = service.database.db;
    const before = graph.sentTo(CLIENT).length;
    const body = graph.text(CLIENT, "status");
    const handled = await db.processedInbound.count();
    expect(await graph.deliver(body)).toBe(200);
    await settled(handled + 1);
    expect(await graph.deliver(body)).toBe(200);
    await settled(handled + 1);
    expect(await db.processedInbound.count()).toBe(handled + 1);
    const after = graph.sentTo(CLIENT).slice(before);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => textOf(s).includes("PLUT-GIA")).length).toBe(1);
  });

  it("sends a PDF such as the control card as an uploaded document", async () => {
    const db = service.database.db;
    const identity = await db.identity.findFirstOrThrow({ where: { channel: "whatsapp", address: waStored(`${CLIENT}@s.whatsapp.net`) } });
    const pdf = Buffer.from("%PDF-1.4\nKartu kendali\n%%EOF");
    const stored = await service.files.put(pdf, "reports");
    await service.inbox.inTurn({ channel: "whatsapp", id: identity.address }, "pdf-test", async (turn) =>
      turn.reply({ type: "document", fileName: "Kartu-Kontrol.pdf", mimeType: "application/pdf", storageKey: stored.storageKey, caption: "Kartu kendali Anda" }),
    );
    await until("the document", async () => graph.sentTo(CLIENT).some((s) => s.type === "document"));
    const doc = graph.sentTo(CLIENT).find((s) => s.type === "document")!;
    expect(doc.document).toMatchObject({ fileName: "Kartu-Kontrol.pdf", caption: "Kartu kendali Anda", mimeType: "application/pdf" });
    expect(doc.document!.bytes).toEqual(pdf);
  });

  it("a rate limit while sending makes the message wait and go once", async () => {
    graph.failNext("messages", { httpStatus: 400, code: 131056, message: "(Business Account, Consumer Account) pair rate limit hit" });
    const db = service.database.db;
    const before = graph.sentTo(CLIENT).length;
    const handled = await db.processedInbound.count();
    expect(await graph.deliver(graph.text(CLIENT, "menu"))).toBe(200);
    await until("the message waits for the rate limit", async () => (await db.outboxMessage.count({ where: { status: "pending", lastError: { contains: "131056" } } })) === 1);
    const row = await db.outboxMessage.findFirstOrThrow({ where: { status: "pending", lastError: { contains: "131056" } } });
    expect(row.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(5_000);
    // Due now (instead of in ten seconds): it goes once.
    await db.$transaction((tx) => tx.outboxMessage.update({ where: { id: row.id }, data: { nextAttemptAt: new Date() } }));
    service.sender.wake();
    await settled(handled + 1);
    expect(graph.sentTo(CLIENT).slice(before)).toHaveLength(1);
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).attempts).toBe(2);
  });
});
