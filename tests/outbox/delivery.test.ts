/**
 * What a channel reports after a send reaches the outbox row: the vendor's message id, a message
 * held until the person writes, delivery statuses (src/outbox/delivery.ts), and a message the
 * channel refuses while the person stays reachable (the sender's "refused").
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Channel } from "../../src/channels/channel.js";
import { ChannelSendError, type Outbound, type SendReceipt } from "../../src/messaging/model.js";
import { markDelivery, releaseHeld, type DeliveryUpdate } from "../../src/outbox/delivery.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { OutboxSender } from "../../src/outbox/sender.js";
import { FixedClock } from "../../src/shared/clock.js";
import { useTestDatabase } from "../support/db.js";
import * as s from "../scheduler/support.js";

const t = useTestDatabase();
const T0 = new Date("2026-11-23T01:00:00.000Z");
let clock: FixedClock;

beforeEach(async () => {
  await s.resetDb(t.db);
  clock = new FixedClock(T0);
});

/** A WhatsApp-like channel whose answer per message the test decides. */
class ReceiptChannel implements Channel {
  readonly name = "whatsapp" as const;
  readonly limits = { maxTextLength: 4096, maxInboundFileBytes: 1, perChatPerSecond: 1000, globalPerSecond: 1000 };
  readonly sent: string[] = [];
  constructor(private readonly answer: (text: string) => Promise<SendReceipt | void>) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(_to: string, msg: Outbound): Promise<SendReceipt | void> {
    const text = msg.type === "text" ? msg.text : msg.fileName;
    const r = await this.answer(text);
    this.sent.push(text);
    return r;
  }
}

async function person() {
  const { identity } = await s.client(t.db, { channel: "whatsapp" });
  return identity;
}

async function queue(identityId: string, texts: string[]) {
  await t.db.$transaction((tx) => new Outbox(t).enqueue(tx, texts.map((text) => ({ identityId, message: { type: "text", text, kind: "notification" }, idempotencyKey: `${identityId}:${text}` })), clock.now()));
}

function sender(channel: Channel, hooks: Partial<ConstructorParameters<typeof OutboxSender>[0]> = {}) {
  return new OutboxSender({ db: t.db, provider: t.provider, ...(t.sqlite ? { sqlite: t.sqlite } : {}), channels: { whatsapp: channel }, readFile: async () => Buffer.alloc(0), clock, logger: s.logger, ...hooks });
}

/** Drain until nothing is claimed (PostgreSQL claims a person's next message only once the one before went). */
async function drainAll(snd: OutboxSender) {
  const total = { claimed: 0, sent: 0, retried: 0, failed: 0 };
  for (let i = 0; i < 10; i++) {
    const r = await snd.drainOnce();
    if (r.claimed === 0) break;
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
  }
  return total;
}

const row = (identityId: string, text: string) => t.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `${identityId}:${text}` } });
const failedWith = (id: string, kind: NonNullable<DeliveryUpdate["failure"]>["kind"], reason = "x"): DeliveryUpdate => ({ channel: "whatsapp", providerMessageId: id, state: "failed", at: clock.now(), failure: { kind, reason } });

describe("the sender and a channel's receipts", () => {
  it("keeps the vendor's message id on the sent row", async () => {
    const p = await person();
    await queue(p.id, ["satu"]);
    await sender(new ReceiptChannel(async () => ({ providerMessageId: "wamid.1" }))).drainOnce();
    expect(await row(p.id, "satu")).toMatchObject({ status: "sent", providerMessageId: "wamid.1" });
  });

  it("holds a message the channel could not send yet, lets the next ones go, and sends it once the person writes", async () => {
    const p = await person();
    await queue(p.id, ["ditahan", "berikutnya"]);
    let hold = true;
    const ch = new ReceiptChannel(async (text) => (text === "ditahan" && hold ? { held: true, providerMessageId: "wamid.notice" } : { providerMessageId: `wamid.${text}` }));
    const snd = sender(ch);
    await drainAll(snd);
    expect(await row(p.id, "ditahan")).toMatchObject({ status: "held", providerMessageId: "wamid.notice", sentAt: null });
    expect((await row(p.id, "berikutnya")).status).toBe("sent");
    // Held rows are not claimed again, however often the sender runs.
    await drainAll(snd);
    expect(ch.sent).toEqual(["ditahan", "berikutnya"]);

    hold = false;
    expect(await releaseHeld(new Outbox(t), "whatsapp", p.address, clock.now())).toBe(1);
    expect(await releaseHeld(new Outbox(t), "whatsapp", p.address, clock.now())).toBe(0);
    await drainAll(snd);
    expect(await row(p.id, "ditahan")).toMatchObject({ status: "sent", providerMessageId: "wamid.ditahan" });
    expect(ch.sent).toEqual(["ditahan", "berikutnya", "ditahan"]);
  });

  it("gives up only a refused message: the person stays reachable, their next message goes, and the refusal is reported", async () => {
    const p = await person();
    await queue(p.id, ["ditolak", "lanjut"]);
    const refused: Array<{ id: string; reason: string }> = [];
    const unreachable: string[] = [];
    const ch = new ReceiptChannel(async (text) => {
      if (text === "ditolak") throw new ChannelSendError("WhatsApp Cloud API send failed: HTTP 400 code 132001 (template does not exist)", "refused");
    });
    const r = await drainAll(sender(ch, { onRefused: async (x, reason) => void refused.push({ id: x.id, reason }), onUnreachable: async (id) => void unreachable.push(id) }));
    expect(r).toMatchObject({ sent: 1, failed: 1 });
    expect(await row(p.id, "ditolak")).toMatchObject({ status: "failed", lastError: expect.stringContaining("132001") });
    expect((await row(p.id, "lanjut")).status).toBe("sent");
    expect(refused).toEqual([{ id: (await row(p.id, "ditolak")).id, reason: expect.stringContaining("132001") }]);
    expect(unreachable).toEqual([]);
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: p.id } })).unreachableAt).toBeNull();
  });

  it("does not mark a row sent that a delivery status failed while its send was being recorded", async () => {
    const p = await person();
    await queue(p.id, ["pertama", "kedua"]);
    const ch = new ReceiptChannel(async (text) => {
      // The status of the first message arrives while the sender is still busy with the second.
      if (text === "kedua") await markDelivery(new Outbox(t), failedWith("wamid.pertama", "refused", "131051: unsupported"), clock.now());
      return { providerMessageId: `wamid.${text}` };
    });
    await drainAll(sender(ch));
    expect(await row(p.id, "pertama")).toMatchObject({ status: "failed", lastError: "131051: unsupported" });
    expect((await row(p.id, "kedua")).status).toBe("sent");
  });
});

describe("markDelivery", () => {
  async function sentRow(text = "pesan") {
    const p = await person();
    await queue(p.id, [text]);
    await sender(new ReceiptChannel(async () => ({ providerMessageId: `wamid.${text}` }))).drainOnce();
    return { p, r: await row(p.id, text) };
  }

  it("ignores an id no row has", async () => {
    await sentRow();
    expect(await markDelivery(new Outbox(t), { channel: "whatsapp", providerMessageId: "wamid.other", state: "read", at: clock.now() }, clock.now())).toBeNull();
  });

  it("keeps the first delivered and read times; a late 'delivered' after 'read' changes nothing", async () => {
    const { r } = await sentRow();
    const at = (m: number) => new Date(T0.getTime() + m * 60_000);
    await markDelivery(new Outbox(t), { channel: "whatsapp", providerMessageId: "wamid.pesan", state: "read", at: at(5) }, clock.now());
    await markDelivery(new Outbox(t), { channel: "whatsapp", providerMessageId: "wamid.pesan", state: "delivered", at: at(6) }, clock.now());
    await markDelivery(new Outbox(t), { channel: "whatsapp", providerMessageId: "wamid.pesan", state: "read", at: at(7) }, clock.now());
    expect(await t.db.outboxMessage.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ status: "sent", deliveredAt: at(5), readAt: at(5) });
  });

  it("queues a message again at once when the window was closed, and a repeated status finds nothing", async () => {
    const { r } = await sentRow();
    expect(await markDelivery(new Outbox(t), failedWith("wamid.pesan", "window_closed", "131047: Re-engagement message"), clock.now())).toMatchObject({ action: "requeued", kind: "notification" });
    expect(await t.db.outboxMessage.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ status: "pending", nextAttemptAt: T0, providerMessageId: null, lastError: "131047: Re-engagement message" });
    expect(await markDelivery(new Outbox(t), failedWith("wamid.pesan", "window_closed"), clock.now())).toBeNull();
  });

  it("backs off a rate-limited message by the wait the channel read", async () => {
    const { r } = await sentRow();
    await markDelivery(new Outbox(t), { ...failedWith("wamid.pesan", "rate_limited"), failure: { kind: "rate_limited", reason: "130429", retryAfterSeconds: 60 } }, clock.now());
    expect(await t.db.outboxMessage.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ status: "pending", nextAttemptAt: new Date(T0.getTime() + 60_000) });
  });

  it("marks a person unreachable and stops what waits for them", async () => {
    const { p, r } = await sentRow();
    await queue(p.id, ["menunggu"]);
    await t.db.outboxMessage.updateMany({ where: { idempotencyKey: `${p.id}:menunggu` }, data: { status: "held" } });
    expect(await markDelivery(new Outbox(t), failedWith("wamid.pesan", "unreachable", "131026: Message undeliverable"), clock.now())).toMatchObject({ action: "unreachable", identityId: p.id });
    expect((await t.db.identity.findUniqueOrThrow({ where: { id: p.id } })).unreachableAt).toEqual(T0);
    expect((await t.db.outboxMessage.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("failed");
    expect(await row(p.id, "menunggu")).toMatchObject({ status: "failed", lastError: "recipient unreachable" });
  });

  it("records a refused template with its reason", async () => {
    const { r } = await sentRow();
    expect(await markDelivery(new Outbox(t), failedWith("wamid.pesan", "template_refused", "132015: Template is paused"), clock.now())).toMatchObject({ action: "failed", failure: "template_refused" });
    expect(await t.db.outboxMessage.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ status: "failed", lastError: "132015: Template is paused" });
  });
});
