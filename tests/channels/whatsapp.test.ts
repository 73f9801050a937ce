/**
 * The WhatsApp channel against a fake Baileys socket (Baileys' own event emitter and types) fed
 * with real `messages.upsert` / `connection.update` payload shapes. No network, no real waiting.
 */
import { Boom } from "@hapi/boom";
import { DisconnectReason, initAuthCreds, proto, type WAMessage } from "@whiskeysockets/baileys";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import {
  MemoryAuthStore,
  useDatabaseAuthState,
} from "../../src/channels/whatsapp/auth-state.js";
import { classifyContent, parseVCard, toE164 } from "../../src/channels/whatsapp/inbound.js";
import {
  createWhatsAppChannel,
  toChannelSendError,
  type PairingStatus,
  type WhatsAppChannelOptions,
} from "../../src/channels/whatsapp/whatsapp-channel.js";
import type { Channel } from "../../src/channels/channel.js";
import { ChannelSendError, type Inbound } from "../../src/messaging/model.js";
import type { DeliveryUpdate } from "../../src/messaging/delivery.js";
import { channelContract, type ChannelHarness, type DeliveredMessage, type SendFailureKind } from "./contract.js";
import { AutoClock, FakeSocket, until, type SentRecord } from "../fixtures/whatsapp/fake-socket.js";
import * as P from "../fixtures/whatsapp/payloads.js";

function setup(over: Partial<WhatsAppChannelOptions> = {}) {
  const clock = new AutoClock();
  const store = new MemoryAuthStore();
  const sockets: FakeSocket[] = [];
  const sent: SentRecord[] = [];
  const logLines: string[] = [];
  const logger = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });
  const qrPrints: string[] = [];
  const downloads: WAMessage[] = [];
  const channel = createWhatsAppChannel({
    store,
    logger,
    clock,
    makeSocket: (config) => {
      const s = new FakeSocket(config, clock, sent);
      sockets.push(s);
      return s;
    },
    printQr: (t) => void qrPrints.push(t),
    downloadMedia: async (msg) => {
      downloads.push(msg);
      return Buffer.from(`bytes-of-${msg.key.id}`);
    },
    ...over,
  });
  const received: Inbound[] = [];
  const handler = vi.fn(async (m: Inbound) => {
    received.push(m);
  });
  const sock = (): FakeSocket => {
    const s = sockets.at(-1);
    if (!s) throw new Error("no socket yet");
    return s;
  };
  /** start + open the first socket */
  const startOpen = async () => {
    await channel.start(handler);
    sock().connecting();
    sock().open();
  };
  return { clock, store, sockets, sent, logLines, qrPrints, downloads, channel, received, handler, sock, startOpen };
}

const noFile = async (): Promise<Buffer> => {
  throw new Error("no file expected");
};

describe("WhatsApp inbound", () => {
  it("turns a text into an Inbound with the phone JID as address, a dedupe id, the profile and the time", async () => {
    const t = setup();
    await t.startOpen();
    const msg = P.incoming(P.pnKey(), P.text("Halo, saya mau konsultasi"));
    t.sock().upsert([msg]);
    await t.channel.idle();
    expect(t.received).toEqual([
      {
        from: { channel: "whatsapp", id: P.PN },
        messageId: `${P.PN}:${msg.key.id}`,
        receivedAt: new Date(P.TS * 1000),
        body: { type: "text", text: "Halo, saya mau konsultasi" },
        profile: { displayName: "Ni Made Ayu", phone: "+6281234567890" },
      },
    ]);
    await t.channel.stop();
  });

  it("reads quoted replies, disappearing-mode texts and the numbered-choice answer as text", async () => {
    const t = setup();
    await t.startOpen();
    t.sock().upsert([
      P.incoming(P.pnKey(), P.replyText("2", "3EB0AAAA")),
      P.incoming(P.pnKey(), P.ephemeralText("3")),
    ]);
    await t.channel.idle();
    expect(t.received.map((m) => m.body)).toEqual([
      { type: "text", text: "2" },
      { type: "text", text: "3" },
    ]);
    // The quoted message's id is the reply reference (a consultant's reply to a relayed message).
    expect(t.received.map((m) => m.replyTo)).toEqual([{ providerMessageId: "3EB0AAAA" }, undefined]);
    await t.channel.stop();
  });

  it("downloads a photo with its caption and a document (with and without caption)", async () => {
    const t = setup();
    await t.startOpen();
    const photo = P.incoming(P.pnKey(), P.image("Foto KTP saya"));
    const docCaption = P.incoming(P.pnKey(), P.documentWithCaption("NIB_usaha.pdf", "application/pdf", "Ini NIB saya"));
    const doc = P.incoming(P.pnKey(), P.document("laporan.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    t.sock().upsert([photo, docCaption, doc]);
    await t.channel.idle();
    expect(t.downloads.map((m) => m.key.id)).toEqual([photo.key.id, docCaption.key.id, doc.key.id]);
    expect(t.received.map((m) => m.body)).toEqual([
      {
        type: "media",
        media: { kind: "photo", mimeType: "image/jpeg", caption: "Foto KTP saya", fileName: undefined, bytes: Buffer.from(`bytes-of-${photo.key.id}`) },
      },
      {
        type: "media",
        media: {
          kind: "document",
          mimeType: "application/pdf",
          fileName: "NIB_usaha.pdf",
          caption: "Ini NIB saya",
          bytes: Buffer.from(`bytes-of-${docCaption.key.id}`),
        },
      },
      {
        type: "media",
        media: {
          kind: "document",
          mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          fileName: "laporan.xlsx",
          caption: undefined,
          bytes: Buffer.from(`bytes-of-${doc.key.id}`),
        },
      },
    ]);
    await t.channel.stop();
  });

  it("refuses a file over the limit before downloading it", async () => {
    const t = setup({ maxInboundFileBytes: 5 * 1024 * 1024 });
    await t.startOpen();
    t.sock().upsert([P.incoming(P.pnKey(), P.document("scan.pdf", "application/pdf", 20 * 1024 * 1024))]);
    await t.channel.idle();
    expect(t.downloads).toHaveLength(0);
    expect(t.received[0]?.body).toEqual({
      type: "rejected_media",
      reason: "too_large",
      size: 20 * 1024 * 1024,
      limitBytes: 5 * 1024 * 1024,
    });
    expect(t.channel.limits.maxInboundFileBytes).toBe(5 * 1024 * 1024);
    await t.channel.stop();
  });

  it("reports a failed download as unsupported media instead of losing the message", async () => {
    const t = setup({
      downloadMedia: async () => {
        throw new Boom("Failed to fetch stream", { statusCode: 410 });
      },
    });
    await t.startOpen();
    t.sock().upsert([P.incoming(P.pnKey(), P.image(undefined))]);
    await t.channel.idle();
    expect(t.received[0]?.body).toEqual({ type: "unsupported", what: "media_download_failed" });
    await t.channel.stop();
  });

  it("parses vCards: the sender's own number (waid) and someone else's local number", async () => {
    const t = setup();
    await t.startOpen();
    t.sock().upsert([
      P.incoming(P.pnKey(), P.contact("Ni Made Ayu", P.vcardOwn)),
      P.incoming(P.pnKey(), P.contact("Wayan Sudarma", P.vcardLocalNumber)),
    ]);
    await t.channel.idle();
    expect(t.received.map((m) => m.body)).toEqual([
      { type: "contact", phone: "+6281234567890", name: "Ni Made Ayu", isOwn: true },
      { type: "contact", phone: "+6281337891234", name: "Wayan Sudarma", isOwn: false },
    ]);
    await t.channel.stop();
  });

  it("passes a location and names what it cannot take (sticker, video, poll)", async () => {
    const t = setup();
    await t.startOpen();
    t.sock().upsert([
      P.incoming(P.pnKey(), P.location()),
      P.incoming(P.pnKey(), P.sticker()),
      P.incoming(P.pnKey(), P.video()),
      P.incoming(P.pnKey(), P.poll()),
    ]);
    await t.channel.idle();
    expect(t.received.map((m) => m.body)).toEqual([
      { type: "location", latitude: -8.5426, longitude: 115.3256 },
      { type: "unsupported", what: "sticker" },
      { type: "unsupported", what: "video" },
      { type: "unsupported", what: "poll" },
    ]);
    expect(t.downloads).toHaveLength(0);
    await t.channel.stop();
  });

  it("takes a voice note like a document: downloaded, an audio file with a name", async () => {
    const t = setup();
    await t.startOpen();
    const voice = P.incoming(P.pnKey(), P.voiceNote());
    t.sock().upsert([voice]);
    await t.channel.idle();
    expect(t.downloads.map((m) => m.key.id)).toEqual([voice.key.id]);
    expect(t.received.map((m) => m.body)).toEqual([
      {
        type: "media",
        media: {
          kind: "document",
          mimeType: "audio/ogg; codecs=opus",
          fileName: "voice-note.ogg",
          caption: undefined,
          bytes: Buffer.from(`bytes-of-${voice.key.id}`),
        },
      },
    ]);
    await t.channel.stop();
  });

  it("treats hosted addresses as the person's own phone JID / LID", async () => {
    const t = setup();
    await t.startOpen();
    const hostedPn = P.incoming(
      { remoteJid: "6281234567890:99@hosted", remoteJidAlt: "123456789012345:99@hosted.lid", fromMe: false, id: P.messageId(), addressingMode: "pn" },
      P.text("dari perangkat hosted"),
    );
    const hostedLidOnly = P.incoming(
      { remoteJid: "123456789012345@hosted.lid", fromMe: false, id: P.messageId(), addressingMode: "lid" },
      P.text("hosted LID saja"),
    );
    t.sock().upsert([hostedPn, hostedLidOnly]);
    await t.channel.idle();
    expect(t.received.map((m) => [m.from.id, m.profile?.phone])).toEqual([
      [P.PN, "+6281234567890"],
      [P.PN, "+6281234567890"],
    ]);
    await t.channel.send("123456789012345@hosted.lid", { type: "text", text: "Halo" }, noFile);
    expect(t.sent.at(-1)?.jid).toBe(P.LID);
    await t.channel.stop();
  });

  it("ignores groups, status, broadcast lists, newsletters, own messages, stubs, reactions, revokes and edits", async () => {
    const t = setup();
    await t.startOpen();
    const last = P.incoming(P.pnKey(), P.text("only me"));
    t.sock().upsert([
      P.incoming(
        { remoteJid: "120363025246125888@g.us", participant: P.PN, participantAlt: P.LID, fromMe: false, id: P.messageId(), addressingMode: "pn" },
        P.text("di grup"),
      ),
      P.incoming({ remoteJid: "status@broadcast", participant: P.PN, fromMe: false, id: P.messageId() }, P.image("status"), { broadcast: true }),
      P.incoming({ remoteJid: "1732779000@broadcast", participant: P.PN, fromMe: false, id: P.messageId() }, P.text("broadcast list"), { broadcast: true }),
      P.incoming({ remoteJid: "120363144038483540@newsletter", fromMe: false, id: "1234", server_id: "1234" }, P.text("news")),
      P.incoming(P.pnKey({ fromMe: true }), P.text("sent from the office phone")),
      P.incoming(P.pnKey(), undefined, {
        messageStubType: proto.WebMessageInfo.StubType.CIPHERTEXT,
        messageStubParameters: ["No session found to decrypt message"],
      }),
      P.incoming(P.pnKey(), P.reaction("3EB0AAAA")),
      P.incoming(P.pnKey(), P.revoke("3EB0AAAA")),
      P.incoming(P.pnKey(), P.edit("3EB0AAAA", "diubah")),
      last,
    ]);
    await t.channel.idle();
    expect(t.received.map((m) => m.messageId)).toEqual([`${P.PN}:${last.key.id}`]);
    await t.channel.stop();
  });

  it("gives one address per person whether WhatsApp uses the LID or the phone JID", async () => {
    const t = setup();
    await t.startOpen();
    t.sock().lidToPn.set(P.LID_MAPPED, `${P.PN_OF_LID_MAPPED}:0@s.whatsapp.net`);
    const viaLid = P.incoming(P.lidKey(), P.text("lewat LID"));
    const viaPn = P.incoming(P.pnKey(), P.text("lewat nomor"));
    // Only the LID this time: learnt from the first message's remoteJidAlt.
    const lidOnly = P.incoming(P.lidKey({ remoteJidAlt: undefined }), P.text("LID saja"));
    // Another person, LID only, known to Baileys' LID mapping store.
    const mapped = P.incoming({ remoteJid: P.LID_MAPPED, fromMe: false, id: P.messageId(), addressingMode: "lid" }, P.text("x"), {
      pushName: "Komang",
    });
    // A LID nobody can map: the LID itself is the address, and no phone is offered.
    const unknown = P.incoming({ remoteJid: P.LID_UNKNOWN, fromMe: false, id: P.messageId(), addressingMode: "lid" }, P.text("y"), {
      pushName: "Putu",
    });
    t.sock().upsert([viaLid, viaPn, lidOnly, mapped, unknown]);
    await t.channel.idle();
    expect(t.received.map((m) => [m.from.id, m.messageId, m.profile?.phone])).toEqual([
      [P.PN, `${P.LID}:${viaLid.key.id}`, "+6281234567890"],
      [P.PN, `${P.PN}:${viaPn.key.id}`, "+6281234567890"],
      [P.PN, `${P.LID}:${lidOnly.key.id}`, "+6281234567890"],
      [`${P.PN_OF_LID_MAPPED}@s.whatsapp.net`, `${P.LID_MAPPED}:${mapped.key.id}`, `+${P.PN_OF_LID_MAPPED}`],
      [P.LID_UNKNOWN, `${P.LID_UNKNOWN}:${unknown.key.id}`, undefined],
    ]);
    await t.channel.stop();
  });

  it("keeps one person's messages in order and handles different persons in parallel", async () => {
    const t = setup();
    let releaseFirst!: () => void;
    const firstBlocked = new Promise<void>((r) => (releaseFirst = r));
    const log: string[] = [];
    const handler = async (m: Inbound) => {
      const body = m.body.type === "text" ? m.body.text : "?";
      log.push(`start ${body}`);
      if (body === "A1") await firstBlocked;
      log.push(`end ${body}`);
    };
    await t.channel.start(handler);
    t.sock().open();
    t.sock().upsert([
      P.incoming(P.pnKey(), P.text("A1")),
      P.incoming(P.pnKey(), P.text("A2")),
      P.incoming(P.pnKey({ remoteJid: P.PN_OTHER, remoteJidAlt: undefined }), P.text("B1")),
    ]);
    await until(() => log.includes("end B1"));
    expect(log).toEqual(["start A1", "start B1", "end B1"]);
    releaseFirst();
    await t.channel.idle();
    expect(log).toEqual(["start A1", "start B1", "end B1", "end A1", "start A2", "end A2"]);
    await t.channel.stop();
  });

  it("retries a failing handler, then logs without personal data", async () => {
    const t = setup();
    let calls = 0;
    await t.channel.start(async () => {
      calls += 1;
      throw new Error("database unavailable");
    });
    t.sock().open();
    t.sock().upsert([
      P.incoming(P.pnKey(), P.text("Nomor saya 081234567890, NIK 5104011234560001")),
      P.incoming(P.lidKey({ remoteJidAlt: undefined, remoteJid: P.LID_UNKNOWN }), P.contact("Ni Made Ayu", P.vcardOwn)),
    ]);
    await t.channel.idle();
    expect(calls).toBe(6);
    const logs = t.logLines.join("\n");
    expect(logs).toContain("message dropped");
    for (const secret of ["6281234567890", "081234567890", "5104011234560001", "123456789012345", "555444333222111", "Ni Made", "Nomor saya"]) {
      expect(logs).not.toContain(secret);
    }
    await t.channel.stop();
  });
});

describe("WhatsApp: one person under a LID and a phone number", () => {
  it("asks to merge once per pair learnt, after the LID's messages and before the phone number's next one", async () => {
    const order: string[] = [];
    const t = setup({
      samePerson: async (lid, pn) => void order.push(`merge ${lid} ${pn}`),
    });
    t.handler.mockImplementation(async (m: Inbound) => void order.push(`handle ${m.from.id}`));
    await t.startOpen();
    // Written under the LID only: no pair known yet.
    t.sock().upsert([P.incoming(P.lidKey({ remoteJidAlt: undefined }), P.text("halo"))]);
    await t.channel.idle();
    // The phone-number JID with the LID beside it (rc14 remoteJidAlt): merge first, then handle.
    t.sock().upsert([P.incoming(P.pnKey(), P.text("1")), P.incoming(P.pnKey(), P.text("2"))]);
    await t.channel.idle();
    expect(order).toEqual([`handle ${P.LID}`, `merge ${P.LID} ${P.PN}`, `handle ${P.PN}`, `handle ${P.PN}`]);
    // Baileys' lid-mapping event for another contact: asked once, repeats change nothing.
    t.sock().ev.emit("lid-mapping.update", { lid: P.LID_MAPPED, pn: `${P.PN_OF_LID_MAPPED}@s.whatsapp.net` });
    t.sock().ev.emit("lid-mapping.update", { lid: P.LID_MAPPED, pn: `${P.PN_OF_LID_MAPPED}@s.whatsapp.net` });
    await until(() => order.length === 5);
    await t.channel.idle();
    expect(order.slice(4)).toEqual([`merge ${P.LID_MAPPED} ${P.PN_OF_LID_MAPPED}@s.whatsapp.net`]);
    await t.channel.stop();
  });
});

describe("WhatsApp connection", () => {
  it("publishes the QR (once per new QR, printed for the terminal) and then open", async () => {
    const t = setup();
    const seen: PairingStatus[] = [];
    const unsubscribe = t.channel.pairing.subscribe((s) => seen.push(s));
    await t.channel.start(t.handler);
    t.sock().connecting();
    t.sock().qr("2@Xk8cQ0RzAAAA,abcdefgh==,ijklmnop==,qrstuvwx==,1");
    t.sock().qr("2@Xk8cQ0RzAAAA,abcdefgh==,ijklmnop==,qrstuvwx==,1");
    await until(() => t.qrPrints.length === 1);
    expect(t.channel.pairing.get()).toMatchObject({ state: "qr", qr: "2@Xk8cQ0RzAAAA,abcdefgh==,ijklmnop==,qrstuvwx==,1" });
    t.sock().qr("2@Yy9dR1SaBBBB,abcdefgh==,ijklmnop==,qrstuvwx==,1");
    await until(() => t.qrPrints.length === 2);
    expect(t.qrPrints[0]).toMatch(/[█▀▄]/);
    t.sock().open();
    expect(t.channel.pairing.get().state).toBe("open");
    expect(t.channel.pairing.get().qr).toBeUndefined();
    expect(seen.map((s) => s.state)).toEqual(["closed", "connecting", "qr", "qr", "open"]);
    unsubscribe();
    await t.channel.stop();
    expect(seen.at(-1)?.state).toBe("open");
    expect(t.channel.pairing.get().state).toBe("closed");
  });

  it("asks for a pairing code instead of showing the QR when a pairing phone is set", async () => {
    const t = setup({ pairingPhone: "6281100000000" });
    await t.channel.start(t.handler);
    t.sock().qr("2@Xk8cQ0RzAAAA,abc==,def==,ghi==,1");
    await until(() => t.channel.pairing.get().pairingCode !== undefined);
    expect(t.sock().pairingRequests).toEqual(["6281100000000"]);
    expect(t.channel.pairing.get()).toMatchObject({ state: "pairing_code", pairingCode: "K7QW2M9X" });
    t.sock().qr("2@second,abc==,def==,ghi==,1");
    await until(() => true, 5);
    expect(t.sock().pairingRequests).toHaveLength(1);
    expect(t.qrPrints).toHaveLength(0);
    await t.channel.stop();
  });

  it("saves credentials on creds.update and restarts at once after pairing (515)", async () => {
    const t = setup();
    await t.channel.start(t.handler);
    const first = t.sock();
    first.qr("2@Xk8cQ0RzAAAA,abc==,def==,ghi==,1");
    // What Baileys does on a successful pairing: update creds, emit creds.update, close with 515.
    first.config.auth.creds.me = { id: "6281100000000:7@s.whatsapp.net", lid: "88001100220033:7@lid", name: "UPT PLUT" };
    first.config.auth.creds.registered = true;
    first.ev.emit("creds.update", { me: first.config.auth.creds.me, registered: true });
    first.close(DisconnectReason.restartRequired, "Stream Errored (restart required)");
    await until(() => t.sockets.length === 2);
    expect(t.clock.sleeps).toEqual([0]);
    await until(() => t.store.map.has("creds"));
    const stored = await useDatabaseAuthState(t.store);
    expect(stored.state.creds.me?.id).toBe("6281100000000:7@s.whatsapp.net");
    expect(stored.state.creds.registered).toBe(true);
    t.sock().open();
    expect(t.channel.pairing.get().state).toBe("open");
    await t.channel.stop();
  });

  it("reconnects with doubling backoff, resets after open, and a replay keeps the message ids", async () => {
    const t = setup();
    await t.startOpen();
    const m1 = P.incoming(P.pnKey(), P.text("satu"));
    const m2 = P.incoming(P.lidKey(), P.image("dua"));
    t.sock().upsert([m1, m2]);
    await t.channel.idle();

    t.sock().close(DisconnectReason.connectionLost, "Connection Lost");
    expect(t.channel.pairing.get()).toMatchObject({ state: "closed", lastDisconnectCode: 408 });
    await until(() => t.sockets.length === 2);
    t.sock().close(DisconnectReason.connectionClosed, "Connection Closed");
    await until(() => t.sockets.length === 3);
    t.sock().close(DisconnectReason.unavailableService);
    await until(() => t.sockets.length === 4);
    expect(t.clock.sleeps).toEqual([1000, 2000, 4000]);

    t.sock().open();
    // Offline delivery after the reconnect: the same keys again, as "append".
    t.sock().upsert([m1, m2], "append");
    await t.channel.idle();
    const ids = t.received.map((m) => m.messageId);
    expect(ids).toEqual([`${P.PN}:${m1.key.id}`, `${P.LID}:${m2.key.id}`, `${P.PN}:${m1.key.id}`, `${P.LID}:${m2.key.id}`]);
    expect(new Set(t.received.map((m) => m.from.id))).toEqual(new Set([P.PN]));

    t.sock().close(DisconnectReason.connectionLost, "Connection Lost");
    await until(() => t.sockets.length === 5);
    expect(t.clock.sleeps.at(-1)).toBe(1000);
    await t.channel.stop();
  });

  it("caps the backoff at 60 s", async () => {
    const t = setup();
    await t.channel.start(t.handler);
    for (let i = 0; i < 9; i += 1) {
      const n = t.sockets.length;
      t.sock().close(DisconnectReason.timedOut, "QR refs attempts ended");
      await until(() => t.sockets.length === n + 1);
    }
    expect(t.clock.sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    await t.channel.stop();
  });

  it("stops for good on logout, says what to do, and can pair again with relink()", async () => {
    const t = setup();
    await t.startOpen();
    const auth = await useDatabaseAuthState(t.store);
    await auth.state.keys.set({ session: { "6281234567890.0": Buffer.from([1, 2, 3]) } });
    t.sock().loggedOut();
    await until(() => true, 20);
    expect(t.sockets).toHaveLength(1);
    expect(t.clock.pending).toBe(0);
    expect(t.channel.pairing.get()).toMatchObject({ state: "logged_out", lastDisconnectCode: 401 });
    const errorLine = t.logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.level === 50);
    expect(errorLine?.msg).toMatch(/STOPPED.*Relink/s);
    await expect(t.channel.send(P.PN, { type: "text", text: "hai" }, noFile)).rejects.toMatchObject({ kind: "retry" });

    await t.channel.relink();
    expect(t.sockets).toHaveLength(2);
    expect(t.sock().config.auth.creds.registered).toBe(false);
    expect(t.store.map.has("session/6281234567890.0")).toBe(false);
    expect(t.channel.pairing.get().state).toBe("connecting");
    t.sock().qr("2@fresh,abc==,def==,ghi==,1");
    expect(t.channel.pairing.get().state).toBe("qr");
    await t.channel.stop();
  });

  it("a restart after a logout does not reload the dead login: a new channel on the same store shows a fresh QR", async () => {
    const t = setup();
    await t.startOpen();
    const auth = await useDatabaseAuthState(t.store);
    auth.state.creds.registered = true;
    await auth.saveCreds();
    await auth.state.keys.set({ session: { "6281234567890.0": Buffer.from([1, 2, 3]) } });
    t.sock().loggedOut();
    await until(() => !t.store.map.has("session/6281234567890.0"));
    await t.channel.stop();

    const again = setup({ store: t.store });
    await again.channel.start(again.handler);
    expect(again.sock().config.auth.creds.registered).toBe(false);
    again.sock().qr("2@fresh-after-restart,abc==,def==,ghi==,1");
    expect(again.channel.pairing.get().state).toBe("qr");
    await again.channel.stop();
  });

  it("stops on banned (403), replaced (440) and bad session (500), keeps the login, tells the admins once", async () => {
    for (const [code, state] of [
      [DisconnectReason.forbidden, "banned"],
      [DisconnectReason.connectionReplaced, "replaced"],
      [DisconnectReason.badSession, "bad_session"],
    ] as const) {
      const halts: [string, number | undefined][] = [];
      const t = setup({ onHalt: (reason, c) => void halts.push([reason, c]) });
      await t.startOpen();
      const auth = await useDatabaseAuthState(t.store);
      await auth.state.keys.set({ session: { "6281234567890.0": Buffer.from([1, 2, 3]) } });
      t.sock().close(code);
      await until(() => true, 20);
      expect(t.sockets).toHaveLength(1);
      expect(t.clock.pending).toBe(0);
      expect(t.channel.pairing.get()).toMatchObject({ state, lastDisconnectCode: code });
      expect(halts).toEqual([[state, code]]);
      // Not a dead login: kept for a retry by restart or relink.
      expect(t.store.map.has("session/6281234567890.0")).toBe(true);
      await t.channel.relink();
      expect(t.sockets).toHaveLength(2);
      await t.channel.stop();
    }
  });

  it("relink() while not started forgets the stored login, so the next start pairs afresh", async () => {
    const t = setup();
    const auth = await useDatabaseAuthState(t.store);
    auth.state.creds.registered = true;
    await auth.saveCreds();
    await t.channel.relink();
    expect(t.sockets).toHaveLength(0);
    await t.channel.start(t.handler);
    expect(t.sock().config.auth.creds.registered).toBe(false);
    await t.channel.stop();
  });

  it("backs off on a second 515 in a row, and relink() during a pending reconnect makes one socket only", async () => {
    const t = setup();
    await t.channel.start(t.handler);
    t.sock().close(DisconnectReason.restartRequired);
    await until(() => t.sockets.length === 2);
    t.sock().close(DisconnectReason.restartRequired);
    await until(() => t.sockets.length === 3);
    expect(t.clock.sleeps).toEqual([0, 1000]);

    t.sock().close(DisconnectReason.connectionLost);
    const relinking = t.channel.relink();
    await relinking;
    expect(t.sockets).toHaveLength(4);
    await until(() => t.clock.pending === 0);
    await until(() => true, 20);
    expect(t.sockets).toHaveLength(4);
    await t.channel.stop();
  });

  it("does not reconnect after stop()", async () => {
    const t = setup();
    await t.startOpen();
    const first = t.sock();
    await t.channel.stop();
    expect(first.ended).toBe(true);
    await until(() => true, 20);
    expect(t.sockets).toHaveLength(1);
    expect(t.channel.pairing.get().state).toBe("closed");
  });
});

describe("WhatsApp outbound", () => {
  it("sends choices as a numbered list, ignores requestContact and splits long texts", async () => {
    const t = setup();
    await t.startOpen();
    await t.channel.send(
      P.PN,
      {
        type: "text",
        text: "Silakan pilih layanan:",
        choices: [
          { id: "konsultasi", label: "Konsultasi usaha" },
          { id: "pelatihan", label: "Pelatihan" },
        ],
        requestContact: true,
      },
      noFile,
    );
    expect(t.sent.map((s) => [s.jid, s.content])).toEqual([
      [P.PN, { text: "Silakan pilih layanan:\n\n1. Konsultasi usaha\n2. Pelatihan" }],
    ]);
    const long = Array.from({ length: 300 }, (_, i) => `Paragraf ${i} ${"isi ".repeat(10)}`).join("\n\n");
    const receipt = await t.channel.send(P.PN, { type: "text", text: long }, noFile);
    const parts = t.sent.slice(1).map((s) => ("text" in s.content ? s.content.text : ""));
    // The first part's key id is kept on the outbox row: receipts and errors of every part map to it
    // (the sent-message store remembers each part under it), and a quoted reply to it finds the case.
    expect(receipt).toEqual({ providerMessageId: `3EB0FAKE${String(t.sent.length - parts.length + 1).padStart(12, "0")}` });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(t.channel.limits.maxTextLength).toBe(4096);
    await t.channel.stop();
  });

  it("sends a document with its bytes, file name, type and caption", async () => {
    const t = setup();
    await t.startOpen();
    const pdf = Buffer.from("%PDF-1.7 surat rekomendasi");
    await t.channel.send(
      P.PN,
      { type: "document", fileName: "surat-rekomendasi.pdf", mimeType: "application/pdf", storageKey: "k/1", caption: "Surat Anda" },
      async (key) => {
        expect(key).toBe("k/1");
        return pdf;
      },
    );
    expect(t.sent[0]?.content).toEqual({ document: pdf, fileName: "surat-rekomendasi.pdf", mimetype: "application/pdf", caption: "Surat Anda" });
    await t.channel.stop();
  });

  it("paces sends: a global gap between any two sends and a longer gap per chat, in order", async () => {
    const t = setup({ sendIntervalMs: 1500, perChatIntervalMs: 4000 });
    await t.startOpen();
    const t0 = t.clock.t;
    await Promise.all([
      t.channel.send(P.PN, { type: "text", text: "A1" }, noFile),
      t.channel.send(P.PN, { type: "text", text: "A2" }, noFile),
      t.channel.send(P.PN_OTHER, { type: "text", text: "B1" }, noFile),
      t.channel.send(P.PN, { type: "text", text: "A3" }, noFile),
      t.channel.send(P.PN_OTHER, { type: "text", text: "B2" }, noFile),
    ]);
    const times = t.sent.map((s) => s.at - t0).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1500);
    for (const jid of [P.PN, P.PN_OTHER]) {
      const mine = t.sent.filter((s) => s.jid === jid);
      for (let i = 1; i < mine.length; i += 1) expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(4000);
    }
    expect(t.sent.filter((s) => s.jid === P.PN).map((s) => ("text" in s.content ? s.content.text : ""))).toEqual(["A1", "A2", "A3"]);
    // Whole run took virtual time only.
    expect(t.clock.t - t0).toBeLessThan(20_000);
    expect(t.channel.limits.globalPerSecond).toBeCloseTo(1 / 1.5);
    expect(t.channel.limits.perChatPerSecond).toBeCloseTo(1 / 4);
    await t.channel.stop();
  });

  it("classifies failures: not connected and connection loss retry, rate-overlimit is rate_limited", async () => {
    const t = setup();
    await t.channel.start(t.handler);
    await expect(t.channel.send(P.PN, { type: "text", text: "x" }, noFile)).rejects.toMatchObject({ kind: "retry" });
    expect(t.sent).toHaveLength(0);
    t.sock().open();

    t.sock().sendImpl = async () => {
      throw new Boom("Connection Closed", { statusCode: DisconnectReason.connectionClosed });
    };
    await expect(t.channel.send(P.PN, { type: "text", text: "x" }, noFile)).rejects.toMatchObject({ kind: "retry" });
    t.sock().sendImpl = async () => {
      throw new Boom("Timed Out", { statusCode: DisconnectReason.timedOut });
    };
    await expect(t.channel.send(P.PN, { type: "text", text: "x" }, noFile)).rejects.toMatchObject({ kind: "retry" });
    // What assertNodeErrorFree throws for <error code="429" text="rate-overlimit"/>.
    t.sock().sendImpl = async () => {
      throw new Boom("rate-overlimit", { data: 429 });
    };
    const err = await t.channel.send(P.PN, { type: "text", text: "x" }, noFile).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelSendError);
    expect(err).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 60 });
    expect(toChannelSendError(new Boom("item-not-found", { data: 404 })).kind).toBe("permanent");
    await t.channel.stop();
  });

  it("checks onWhatsApp only for numbers never seen, and a number without WhatsApp is permanent", async () => {
    const t = setup();
    await t.startOpen();
    t.sock().registeredNumbers = new Set([P.PN_OTHER]);
    // Wrote to us: no lookup.
    t.sock().upsert([P.incoming(P.pnKey(), P.text("halo"))]);
    await t.channel.idle();
    await t.channel.send(P.PN, { type: "text", text: "balasan" }, noFile);
    expect(t.sock().onWhatsAppCalls).toEqual([]);
    // Never seen, on WhatsApp: one lookup, then remembered.
    await t.channel.send("+62 857-3700-1122", { type: "text", text: "undangan" }, noFile);
    await t.channel.send(P.PN_OTHER, { type: "text", text: "pengingat" }, noFile);
    expect(t.sock().onWhatsAppCalls).toEqual([P.PN_OTHER]);
    // Never seen, not on WhatsApp.
    await expect(t.channel.send("6289999999999@s.whatsapp.net", { type: "text", text: "x" }, noFile)).rejects.toMatchObject({
      kind: "permanent",
    });
    // A LID address is sent as is (onWhatsApp cannot check LIDs).
    await t.channel.send(P.LID_UNKNOWN, { type: "text", text: "lid" }, noFile);
    // P.PN wrote with its LID beside the phone JID: sent to the LID.
    expect(t.sent.map((s) => s.jid)).toEqual([P.LID, P.PN_OTHER, P.PN_OTHER, P.LID_UNKNOWN]);
    await t.channel.stop();
  });

  it("sends to the LID when it is known: from a message key, from Baileys' LID store, else the phone JID", async () => {
    const t = setup();
    await t.startOpen();
    // Learnt from a message whose key carries both forms.
    t.sock().upsert([P.incoming(P.pnKey(), P.text("halo"))]);
    await t.channel.idle();
    await t.channel.send(P.PN, { type: "text", text: "a" }, noFile);
    await t.channel.send("+62 812-3456-7890", { type: "text", text: "b" }, noFile);
    // Never wrote here, but Baileys' LID mapping store knows the LID (the lookup is remembered).
    t.sock().lidToPn.set(P.LID_MAPPED, `${P.PN_OF_LID_MAPPED}:0@s.whatsapp.net`);
    await t.channel.send(`${P.PN_OF_LID_MAPPED}@s.whatsapp.net`, { type: "text", text: "c" }, noFile);
    t.sock().lidToPn.clear();
    await t.channel.send(`${P.PN_OF_LID_MAPPED}@s.whatsapp.net`, { type: "text", text: "d" }, noFile);
    // No LID anywhere: the phone JID.
    await t.channel.send(P.PN_OTHER, { type: "text", text: "e" }, noFile);
    expect(t.sent.map((s) => s.jid)).toEqual([P.LID, P.LID, P.LID_MAPPED, P.LID_MAPPED, P.PN_OTHER]);
    await t.channel.stop();
  });

  it("offers a delivery failure again while no outbox row has its id yet (the row is recorded after send returns)", async () => {
    const offered: DeliveryUpdate[] = [];
    const t = setup({ onStatus: async (u) => (offered.push(u), offered.length >= 3) });
    await t.startOpen();
    const receipt = await t.channel.send(P.PN, { type: "text", text: "pengingat" }, noFile);
    const id = (receipt as { providerMessageId: string }).providerMessageId;
    t.sock().ev.emit("messages.update", [{ key: { remoteJid: P.PN, fromMe: true, id }, update: { status: proto.WebMessageInfo.Status.ERROR, messageStubParameters: ["404"] } }]);
    await until(() => offered.length === 3);
    await t.channel.idle();
    expect(offered.map((u) => u.state)).toEqual(["failed", "failed", "failed"]);
    // Found on the third offer: no fourth.
    await until(() => t.clock.pending === 0);
    expect(offered).toHaveLength(3);
    await t.channel.stop();
  });

  it("reads receipts and delivery errors from messages.update (status ERROR, code in messageStubParameters) for our own sends only", async () => {
    const updates: DeliveryUpdate[] = [];
    const t = setup({ onStatus: async (u) => void updates.push(u) });
    await t.startOpen();
    const first = await t.channel.send(P.PN_OTHER, { type: "text", text: "pengingat" }, noFile);
    const second = await t.channel.send(P.PN, { type: "text", text: "lain" }, noFile);
    const id = "3EB0FAKE000000000001";
    // The send's receipt is the id WhatsApp gave the message: the outbox keeps it on the row.
    expect(first).toEqual({ providerMessageId: id });
    expect(second).toEqual({ providerMessageId: "3EB0FAKE000000000002" });
    expect(t.sock().attempts[0]?.jid).toBe(P.PN_OTHER);
    // What Baileys emits: the server ack and receipts (messages-recv handleReceipt), and from
    // handleBadAck for <ack class="message" error="463" .../> and a 404.
    t.sock().ev.emit("messages.update", [
      { key: { remoteJid: P.PN_OTHER, fromMe: true, id }, update: { status: proto.WebMessageInfo.Status.ERROR, messageStubParameters: ["463"] } },
      { key: { remoteJid: P.PN_OTHER, fromMe: true, id }, update: { status: proto.WebMessageInfo.Status.DELIVERY_ACK } },
      { key: { remoteJid: P.PN, fromMe: false, id: "3EB0FAKE000000000002" }, update: { status: proto.WebMessageInfo.Status.ERROR, messageStubParameters: ["404"] } },
      { key: { remoteJid: P.PN, fromMe: true, id: "3EB0UNKNOWN" }, update: { status: proto.WebMessageInfo.Status.ERROR, messageStubParameters: ["404"] } },
      { key: { remoteJid: P.PN, fromMe: true, id: "3EB0FAKE000000000002" }, update: { status: proto.WebMessageInfo.Status.ERROR, messageStubParameters: ["404"] } },
      { key: { remoteJid: P.PN, fromMe: true, id: "3EB0FAKE000000000002" }, update: { starred: true } },
    ]);
    const at = t.clock.now();
    await until(() => updates.length === 3);
    expect(updates).toEqual([
      { channel: "whatsapp", providerMessageId: id, state: "failed", at, failure: { kind: "refused", reason: "whatsapp error 463" } },
      { channel: "whatsapp", providerMessageId: id, state: "delivered", at },
      { channel: "whatsapp", providerMessageId: "3EB0FAKE000000000002", state: "failed", at, failure: { kind: "unreachable", reason: "whatsapp error 404" } },
    ]);
    await t.channel.stop();
  });

  it("after a restart still answers retry requests (getMessage) and does not ask onWhatsApp again", async () => {
    const t = setup();
    await t.startOpen();
    await t.channel.send(P.PN_OTHER, { type: "text", text: "pengingat kunjungan" }, noFile);
    expect(t.sock().onWhatsAppCalls).toEqual([P.PN_OTHER]);
    await t.channel.stop();
    await until(() => t.store.map.has("wa-sent/3EB0FAKE000000000001"));

    const again = setup({ store: t.store });
    await again.startOpen();
    const getMessage = again.sock().config.getMessage;
    const answer = await getMessage?.({ remoteJid: P.PN_OTHER, fromMe: true, id: "3EB0FAKE000000000001" });
    expect(answer?.extendedTextMessage?.text).toBe("pengingat kunjungan");
    expect(await getMessage?.({ remoteJid: P.PN_OTHER, fromMe: true, id: "3EB0NEVERSENT" })).toBeUndefined();
    await again.channel.send(P.PN_OTHER, { type: "text", text: "lagi" }, noFile);
    expect(again.sock().onWhatsAppCalls).toEqual([]);
    // A relink forgets both with the login.
    await again.channel.relink();
    expect([...again.store.map.keys()].filter((k) => k.startsWith("wa-"))).toEqual([]);
    await again.channel.stop();
  });

  it("keeps only the newest sends in the store", async () => {
    const { SentMessages } = await import("../../src/channels/whatsapp/outbound.js");
    const { MemoryAuthStore: Store } = await import("../../src/channels/whatsapp/auth-state.js");
    const store = new Store();
    const sent = new SentMessages(store, 2);
    for (const n of [1, 2, 3]) {
      sent.remember({ key: { remoteJid: P.PN, fromMe: true, id: `ID${n}` }, message: { conversation: `m${n}` } }, P.PN, new Date(0));
    }
    await sent.flushed();
    expect([...store.map.keys()].filter((k) => k.startsWith("wa-sent/")).sort()).toEqual(["wa-sent/ID2", "wa-sent/ID3"]);
    expect(JSON.parse(store.map.get("wa-sent-index")!)).toEqual(["ID2", "ID3"]);
  });

  it("does not resend the parts of a split message that already went out when the outbox retries", async () => {
    const t = setup({ maxTextLength: 50 });
    await t.startOpen();
    const msg = { type: "text" as const, text: `${"a".repeat(40)}\n\n${"b".repeat(40)}\n\n${"c".repeat(40)}` };
    let n = 0;
    t.sock().sendImpl = async () => {
      n += 1;
      if (n === 2) throw new Boom("Connection Closed", { statusCode: 428 });
      return undefined;
    };
    await expect(t.channel.send(P.PN, msg, noFile)).rejects.toMatchObject({ kind: "retry" });
    await t.channel.send(P.PN, msg, noFile);
    expect(t.sock().attempts.map((s) => ("text" in s.content ? s.content.text[0] : ""))).toEqual(["a", "b", "b", "c"]);
    expect(t.sent.map((s) => ("text" in s.content ? s.content.text[0] : ""))).toEqual(["a", "b", "c"]);
    await t.channel.stop();
  });
});

describe("WhatsApp auth state in a key-value store", () => {
  it("round-trips creds and keys with Buffers intact, one setMany per keys.set, null deletes", async () => {
    const store = new MemoryAuthStore();
    const first = await useDatabaseAuthState(store);
    const creds = first.state.creds;
    creds.me = { id: "6281100000000:7@s.whatsapp.net", name: "UPT PLUT" };
    await first.saveCreds();

    const preKey = { public: Buffer.alloc(32, 1), private: Buffer.alloc(32, 2) };
    const session = new Uint8Array([9, 8, 7, 6]);
    const syncKey = { keyData: Buffer.alloc(32, 3), fingerprint: { rawId: 7, currentIndex: 1, deviceIndexes: [0, 1] }, timestamp: 1732780000 };
    const writesBefore = store.writes.length;
    await first.state.keys.set({
      "pre-key": { "1": preKey, "2": preKey },
      session: { "6281234567890.0": session },
      "app-state-sync-key": { AAAAAGzz: syncKey },
      "lid-mapping": { "6281234567890": "123456789012345", "123456789012345_reverse": "6281234567890" },
      "device-list": { "6281234567890": ["0", "2"] },
    });
    expect(store.writes.length - writesBefore).toBe(1);

    const second = await useDatabaseAuthState(store);
    expect(second.state.creds.me?.id).toBe("6281100000000:7@s.whatsapp.net");
    expect(Buffer.isBuffer(second.state.creds.noiseKey.private)).toBe(true);
    expect(Buffer.compare(Buffer.from(second.state.creds.noiseKey.private), Buffer.from(creds.noiseKey.private))).toBe(0);
    expect(Buffer.compare(Buffer.from(second.state.creds.signedIdentityKey.public), Buffer.from(creds.signedIdentityKey.public))).toBe(0);
    expect(second.state.creds.signedPreKey.keyId).toBe(creds.signedPreKey.keyId);
    expect(second.state.creds.advSecretKey).toBe(creds.advSecretKey);

    const pre = await second.state.keys.get("pre-key", ["1", "3"]);
    expect(Object.keys(pre)).toEqual(["1"]);
    expect(Buffer.isBuffer(pre["1"]?.private)).toBe(true);
    expect(Buffer.from(pre["1"]!.private).equals(preKey.private)).toBe(true);
    const sessions = await second.state.keys.get("session", ["6281234567890.0"]);
    expect(Buffer.from(sessions["6281234567890.0"]!).equals(Buffer.from(session))).toBe(true);
    const sync = await second.state.keys.get("app-state-sync-key", ["AAAAAGzz"]);
    expect(sync.AAAAAGzz).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(sync.AAAAAGzz!.keyData!).equals(syncKey.keyData)).toBe(true);
    expect(await second.state.keys.get("lid-mapping", ["123456789012345_reverse"])).toEqual({ "123456789012345_reverse": "6281234567890" });
    expect(await second.state.keys.get("device-list", ["6281234567890"])).toEqual({ "6281234567890": ["0", "2"] });

    await second.state.keys.set({ "pre-key": { "1": null } });
    expect(await second.state.keys.get("pre-key", ["1", "2"])).toHaveProperty("2");
    expect(await second.state.keys.get("pre-key", ["1"])).toEqual({});
    expect(store.map.has("pre-key/1")).toBe(false);

    await second.reset();
    const third = await useDatabaseAuthState(store);
    expect(third.state.creds.me).toBeUndefined();
    expect(third.state.creds.registered).toBe(false);
    expect([...store.map.keys()]).toEqual(["creds"]);
  });

  it("reads see writes requested before them", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const inner = new MemoryAuthStore();
    const slow = {
      get: (k: string) => inner.get(k),
      setMany: async (e: Record<string, string | null>) => {
        await gate;
        await inner.setMany(e);
      },
    };
    const auth = await useDatabaseAuthState(slow);
    const write = auth.state.keys.set({ session: { a: Buffer.from([1]) } });
    const read = auth.state.keys.get("session", ["a"]);
    release();
    await write;
    expect(Buffer.from((await read).a!).equals(Buffer.from([1]))).toBe(true);
    expect(initAuthCreds().registered).toBe(false);
  });
});

describe("WhatsApp content helpers", () => {
  it("classifies by Baileys' content type after unwrapping view-once and ephemeral wrappers", () => {
    expect(classifyContent(P.wire({ viewOnceMessageV2: { message: { imageMessage: { mimetype: "image/jpeg", caption: "vo" } } } }))).toMatchObject({
      kind: "media",
      mediaKind: "photo",
      caption: "vo",
    });
    expect(classifyContent(P.wire({ messageContextInfo: { messageSecret: Buffer.alloc(4) } }))).toMatchObject({ kind: "ignore" });
    expect(classifyContent(P.wire({ senderKeyDistributionMessage: { groupId: "x" }, conversation: "hi" }))).toEqual({ kind: "text", text: "hi" });
    expect(classifyContent(P.wire({ liveLocationMessage: { degreesLatitude: -8.5, degreesLongitude: 115.3 } }))).toEqual({
      kind: "location",
      latitude: -8.5,
      longitude: 115.3,
    });
  });

  it("parses folded vCards and normalises phone numbers", () => {
    expect(parseVCard("BEGIN:VCARD\r\nFN:Gede\r\n Artawan\r\nTEL;waid=6281900000001:+62 819-0000-0001\r\nEND:VCARD")).toEqual({
      name: "GedeArtawan",
      phones: [{ waid: "6281900000001", value: "+62 819-0000-0001" }],
    });
    expect(toE164("0812-3456-7890", "62")).toBe("+6281234567890");
    expect(toE164("+62 812 3456 7890", "62")).toBe("+6281234567890");
    expect(toE164("0062 812 3456 7890", "62")).toBe("+6281234567890");
    expect(toE164("12", "62")).toBeUndefined();
  });
});

describe("WhatsApp with the real Baileys socket", () => {
  it("builds a socket from the database auth state; with no server it closes, backs off and stops cleanly", async () => {
    // A port that was just free: nothing listens there.
    const net = await import("node:net");
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const address = srv.address();
        srv.close(() => resolve(typeof address === "object" && address ? address.port : 9));
      });
    });
    const store = new MemoryAuthStore();
    const channel = createWhatsAppChannel({
      store,
      logger: pino({ level: "silent" }),
      socketConfig: { waWebSocketUrl: `ws://127.0.0.1:${port}/ws/chat`, connectTimeoutMs: 2000 },
      printQr: () => undefined,
    });
    const states: PairingStatus[] = [];
    channel.pairing.subscribe((s) => states.push(s));
    await channel.start(async () => undefined);
    const deadline = Date.now() + 10_000;
    while (!states.some((s) => s.state === "closed" && s.detail?.startsWith("reconnecting")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(states.map((s) => s.state)).toContain("connecting");
    expect(states.some((s) => s.state === "closed" && s.detail?.startsWith("reconnecting in 1 s"))).toBe(true);
    await channel.stop();
    expect(channel.pairing.get()).toMatchObject({ state: "closed", detail: "stopped" });
  });
});

// ---- the shared channel contract --------------------------------------------------------------

const PERSON_A = "6281234567890@s.whatsapp.net";
const PERSON_B = "6285737001122@s.whatsapp.net";

async function makeContractHarness(): Promise<ChannelHarness<WAMessage>> {
  const clock = new AutoClock();
  const sockets: FakeSocket[] = [];
  const sent: SentRecord[] = [];
  const mediaBytes = new Map<string, Buffer>();
  let downloads = 0;
  let failure: { kind: SendFailureKind; after: number } | undefined;
  const inner = createWhatsAppChannel({
    store: new MemoryAuthStore(),
    logger: pino({ level: "silent" }),
    clock,
    makeSocket: (config) => {
      const s = new FakeSocket(config, clock, sent);
      s.sendImpl = async () => {
        if (failure && failure.after > 0) {
          failure.after -= 1;
        } else if (failure) {
          const kind = failure.kind;
          failure = undefined;
          if (kind === "rate_limited") throw new Boom("rate-overlimit", { data: 429 });
          if (kind === "retry") throw new Boom("Connection Closed", { statusCode: DisconnectReason.connectionClosed });
        }
        return undefined;
      };
      sockets.push(s);
      return s;
    },
    downloadMedia: async (msg) => {
      downloads += 1;
      const bytes = mediaBytes.get(msg.key.id ?? "");
      if (!bytes) throw new Error("unknown media");
      return bytes;
    },
    printQr: () => undefined,
  });
  const sock = (): FakeSocket => {
    const s = sockets.at(-1);
    if (!s) throw new Error("channel not started");
    return s;
  };
  // An already-paired device: the socket opens as soon as the channel starts.
  const channel: Channel = {
    name: inner.name,
    limits: inner.limits,
    start: async (handler) => {
      await inner.start(handler);
      sock().connecting();
      sock().open();
    },
    stop: () => inner.stop(),
    send: (to, msg, resolveFile) => inner.send(to, msg, resolveFile),
  };
  const deliver = async (person: string, content: proto.IMessage): Promise<WAMessage> => {
    const msg = P.incoming(P.pnKey({ remoteJid: person, remoteJidAlt: undefined }), content);
    sock().upsert([msg]);
    return msg;
  };
  return {
    channel,
    personA: PERSON_A,
    personB: PERSON_B,
    inject: {
      text: (person, text) => deliver(person, P.text(text)),
      photo: async (person, bytes) => {
        const msg = P.incoming(P.pnKey({ remoteJid: person, remoteJidAlt: undefined }), P.image(undefined, bytes.length));
        mediaBytes.set(msg.key.id!, bytes);
        sock().upsert([msg]);
        return msg;
      },
      document: async (person, bytes, fileName, mimeType) => {
        const msg = P.incoming(P.pnKey({ remoteJid: person, remoteJidAlt: undefined }), P.document(fileName, mimeType, bytes.length));
        mediaBytes.set(msg.key.id!, bytes);
        sock().upsert([msg]);
        return msg;
      },
      contact: (person, phone) => {
        const digits = phone.replace(/\D/g, "");
        const vcard = `BEGIN:VCARD\nVERSION:3.0\nFN:Saya\nTEL;type=CELL;type=VOICE;waid=${digits}:${phone}\nEND:VCARD`;
        return deliver(person, P.contact("Saya", vcard));
      },
      oversizedFile: (person) =>
        deliver(person, P.document("besar.pdf", "application/pdf", inner.limits.maxInboundFileBytes + 1)),
      duplicate: async (ref) => {
        // A replay after a reconnect comes as an offline ("append") delivery of the same key.
        sock().upsert([ref], "append");
      },
    },
    sentTo: (person) =>
      sent
        .filter((s) => s.jid === person)
        .map((s): DeliveredMessage => {
          const c = s.content;
          if ("document" in c) {
            return {
              kind: "document",
              fileName: c.fileName ?? "",
              bytes: Buffer.isBuffer(c.document) ? c.document : Buffer.alloc(0),
              ...(c.caption ? { caption: c.caption } : {}),
            };
          }
          if ("text" in c) return { kind: "text", text: c.text };
          throw new Error("unexpected content");
        }),
    failNextSend: (kind, opts) => {
      if (kind === "permanent") {
        // How WhatsApp says "cannot be reached": the number has no WhatsApp account.
        sock().nobodyOnWhatsAppOnce = true;
        return;
      }
      failure = { kind, after: opts?.after ?? 0 };
    },
    downloads: () => downloads,
    close: () => inner.stop(),
  };
}

channelContract("whatsapp", makeContractHarness);
