/**
 * The WhatsApp Cloud API channel beyond the shared contract: the webhook's doors (handshake,
 * signature, bad bodies), every kind of message people send, how choices and documents go out,
 * Meta's error codes, and the 24-hour window with templates (on a fixed clock).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { loadTemplates, type WhatsAppCloudChannelOptions } from "../../src/channels/whatsapp-cloud/index.js";
import { RESUME_PAYLOAD } from "../../src/channels/whatsapp-cloud/templates.js";
import { MemoryWindowStore, WINDOW_MS } from "../../src/channels/whatsapp-cloud/window.js";
import type { Inbound, Outbound } from "../../src/messaging/model.js";
import type { DeliveryUpdate } from "../../src/messaging/delivery.js";
import { FixedClock } from "../../src/shared/clock.js";
import { noFiles, sendError } from "./contract.js";
import { handOver, startCloudRig, until, VERIFY_TOKEN, type CloudRig } from "./whatsapp-cloud-harness.js";

const WA = "6281234567890";
const A = `${WA}@s.whatsapp.net`;
const OTHER = "6285550001111";
const TEMPLATES = loadTemplates(readFileSync("conversations/whatsapp-templates.yaml", "utf8"));

const rigs: CloudRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

/** A started channel whose handler records what it gets; `hold` runs inside the handler. */
async function rig(over: Partial<WhatsAppCloudChannelOptions> = {}, hold?: (m: Inbound) => Promise<void>) {
  const r = await startCloudRig(over);
  rigs.push(r);
  const got: Inbound[] = [];
  await r.channel.start(async (m) => {
    got.push(m);
    await hold?.(m);
  });
  return { ...r, got };
}

describe("webhook", () => {
  it("answers Meta's verification handshake with the challenge, and refuses a wrong token", async () => {
    const r = await rig();
    const ok = await fetch(`${r.url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    for (const q of [`hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`, `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`, `hub.mode=subscribe&hub.challenge=1`]) {
      expect((await fetch(`${r.url}?${q}`)).status, q).toBe(403);
    }
    expect(r.logLines.join("")).not.toContain(VERIFY_TOKEN);
  });

  it("refuses an unsigned or forged POST with 401 and changes nothing", async () => {
    const r = await rig();
    const body = r.graph.text(WA, "pesan palsu");
    expect(await r.graph.deliver(body, { signature: "none" })).toBe(401);
    expect(await r.graph.deliver(body, { signature: "wrong" })).toBe(401);
    // A valid signature of another body does not cover this one.
    const raw = JSON.stringify(body);
    const res = await fetch(r.url, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": r.graph.sign(`${raw} `) }, body: raw });
    expect(res.status).toBe(401);
    expect(r.got).toHaveLength(0);
    expect(await r.window.get(A)).toMatchObject({ lastInboundAt: null });
  });

  it("answers 400 to a signed body that is not a webhook", async () => {
    const r = await rig();
    for (const raw of ["{not json", "[]", "null", JSON.stringify({ object: "whatsapp_business_account" }), JSON.stringify({ entry: "x" })]) {
      expect(await r.graph.deliver(raw), raw).toBe(400);
    }
    expect(r.got).toHaveLength(0);
  });

  it("answers 503 before the channel started, so Meta keeps the update", async () => {
    const r = await startCloudRig();
    rigs.push(r);
    expect(await r.graph.deliver(r.graph.text(WA, "terlalu cepat"))).toBe(503);
  });

  it("answers 200 only once the inbox accepted the message, and 500 when it could not (Meta sends it again)", async () => {
    let fail = true;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = await rig({}, async (m) => {
      if (m.body.type === "text" && m.body.text === "tunggu") await gate;
      if (m.body.type === "text" && m.body.text === "gagal" && fail) throw new Error("database is down");
    });
    let answered = false;
    const pending = r.graph.deliver(r.graph.text(WA, "tunggu")).then((s) => {
      answered = true;
      return s;
    });
    await until("the message in the handler", () => r.got.length === 1);
    await new Promise((res) => setImmediate(res));
    expect(answered).toBe(false);
    release();
    expect(await pending).toBe(200);

    const body = r.graph.text(WA, "gagal");
    expect(await r.graph.deliver(body)).toBe(500);
    fail = false;
    expect(await r.graph.deliver(body)).toBe(200);
    const ids = r.got.filter((m) => m.body.type === "text" && m.body.text === "gagal").map((m) => m.messageId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    expect(r.logLines.join("")).not.toContain("gagal");
  });

  it("logs a template Meta paused or rejected (message_template_status_update), answering 200", async () => {
    const r = await rig();
    const body = { object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "message_template_status_update", value: { event: "PAUSED", message_template_id: 1, message_template_name: "plut_pesan_baru", message_template_language: "id", reason: "LOW_QUALITY" } }] }] };
    expect(await r.graph.deliver(body)).toBe(200);
    const line = r.logLines.map((l) => JSON.parse(l) as { level: number; msg: string; template?: string; event?: string }).find((l) => /template's status/.test(l.msg));
    expect(line).toMatchObject({ level: 40, template: "plut_pesan_baru", event: "PAUSED" });
    expect(r.got).toHaveLength(0);
  });

  it("ignores updates for another phone number of the same app", async () => {
    const r = await rig();
    const body = r.graph.text(WA, "nomor lain") as { entry: { changes: { value: { metadata: { phone_number_id: string } } }[] }[] };
    body.entry[0]!.changes[0]!.value.metadata.phone_number_id = "999";
    expect(await r.graph.deliver(body)).toBe(200);
    expect(r.got).toHaveLength(0);
  });
});

describe("inbound", () => {
  it("reads the sender's phone as address (the JID Baileys uses too), the profile name and the time the person wrote", async () => {
    const wrote = new Date("2026-11-23T01:00:00Z");
    const r = await startCloudRig({}, { now: () => wrote });
    rigs.push(r);
    const got: Inbound[] = [];
    await r.channel.start(async (m) => void got.push(m));
    expect(await r.graph.deliver(r.graph.text(WA, "Halo", { name: "Ni Made Ayu" }))).toBe(200);
    expect(got).toEqual([
      { from: { channel: "whatsapp", id: A }, messageId: expect.stringMatching(/^wamid\./), receivedAt: wrote, body: { type: "text", text: "Halo" }, profile: { displayName: "Ni Made Ayu", phone: `+${WA}` } },
    ]);
    expect((await r.window.get(A)).lastInboundAt).toEqual(wrote);
  });

  it("turns button, list and template quick-reply taps into choices, and typed text stays text", async () => {
    const r = await rig();
    await r.graph.deliver(r.graph.buttonReply(WA, "sector:kuliner", "Kuliner"));
    await r.graph.deliver(r.graph.listReply(WA, "kec:ubud", "Ubud"));
    await r.graph.deliver(r.graph.templateButton(WA, "rem:abc123:done", "Sudah"));
    await r.graph.deliver(r.graph.text(WA, "2"));
    expect(r.got.map((m) => m.body)).toEqual([
      { type: "choice", choiceId: "sector:kuliner" },
      { type: "choice", choiceId: "kec:ubud" },
      { type: "choice", choiceId: "rem:abc123:done" },
      { type: "text", text: "2" },
    ]);
    // A quoted reply carries the wamid it replies to (a consultant answering a relayed message).
    await r.graph.deliver(r.graph.message(WA, "text", { text: { body: "Baik" }, context: { from: "6281100000000", id: "wamid.RELAYED1" } }));
    expect(r.got.at(-1)?.replyTo).toEqual({ providerMessageId: "wamid.RELAYED1" });
    expect(r.got.slice(0, -1).every((m) => m.replyTo === undefined)).toBe(true);
  });

  it("reads locations and contact cards, telling the person's own number from someone else's", async () => {
    const r = await rig();
    await r.graph.deliver(r.graph.location(WA, -8.5069, 115.2625));
    await r.graph.deliver(r.graph.contact(WA, "+62 812-3456-7890", { cardWaId: WA, name: "Saya" }));
    await r.graph.deliver(r.graph.contact(WA, "+62 855-5000-1111", { cardWaId: OTHER, name: "Ketut" }));
    expect(r.got.map((m) => m.body)).toEqual([
      { type: "location", latitude: -8.5069, longitude: 115.2625 },
      { type: "contact", phone: "+62 812-3456-7890", name: "Saya", isOwn: true },
      { type: "contact", phone: "+62 855-5000-1111", name: "Ketut", isOwn: false },
    ]);
  });

  it("takes a voice note as an audio document, downloaded with the token", async () => {
    const r = await rig();
    await r.graph.deliver(r.graph.voice(WA));
    expect(r.got[0]!.body).toMatchObject({ type: "media", media: { kind: "document", fileName: "voice-note.ogg", bytes: Buffer.from("OggS") } });
    expect(r.got[0]!.body.type === "media" && r.got[0]!.body.media.mimeType).toMatch(/^audio\/ogg/);
  });

  it("names what it cannot take (sticker, a type Meta cannot read) and lets reactions pass in silence", async () => {
    const r = await rig();
    await r.graph.deliver(r.graph.sticker(WA));
    await r.graph.deliver(r.graph.unsupported(WA));
    await r.graph.deliver(r.graph.reaction(WA, "wamid.x"));
    expect(r.got.map((m) => m.body)).toEqual([
      { type: "unsupported", what: "sticker" },
      { type: "unsupported", what: "unsupported" },
    ]);
    expect(r.graph.downloads).toHaveLength(0);
  });

  it("downloads a document with the token, keeping its name, type and caption", async () => {
    const r = await rig();
    const pdf = Buffer.from("%PDF-1.7\nNIB usaha\n%%EOF");
    await r.graph.deliver(r.graph.document(WA, pdf, "NIB Warung Ayu.pdf", "application/pdf", { caption: "Ini NIB saya" }));
    expect(r.got[0]!.body).toEqual({ type: "media", media: { kind: "document", mimeType: "application/pdf", fileName: "NIB Warung Ayu.pdf", caption: "Ini NIB saya", bytes: pdf } });
    expect(r.graph.calls.map((c) => c.path)).toEqual([expect.stringMatching(/^\d+$/), expect.stringMatching(/^\/download\/\d+$/)]);
  });

  it("refuses a file type it does not take, or bytes that are not what the type says, without storing anything", async () => {
    const r = await rig();
    await r.graph.deliver(r.graph.image(WA, Buffer.from("GIF89a...."), { mimeType: "image/gif" }));
    await r.graph.deliver(r.graph.document(WA, Buffer.from("MZ\x90\x00"), "setup.exe", "application/x-msdownload"));
    await r.graph.deliver(r.graph.image(WA, Buffer.from("%PDF-1.4 not a photo")));
    expect(r.got.map((m) => m.body)).toEqual([
      { type: "rejected_media", reason: "wrong_type", limitBytes: r.channel.limits.maxInboundFileBytes },
      { type: "rejected_media", reason: "wrong_type", limitBytes: r.channel.limits.maxInboundFileBytes },
      { type: "rejected_media", reason: "wrong_type", limitBytes: r.channel.limits.maxInboundFileBytes },
    ]);
    expect(r.graph.downloads).toHaveLength(1);
  });

  it("asks the person to send a file again when it cannot be fetched: 200 to Meta, never a 500, never silence", async () => {
    // The pause between the two attempts passes on a fixed clock.
    const r = await rig({ clock: new FixedClock("2026-11-23T01:00:00Z") });
    r.graph.failNext("download", { httpStatus: 500, code: 1, message: "unavailable" });
    r.graph.failNext("download", "network");
    expect(await r.graph.deliver(r.graph.image(WA, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2])))).toBe(200);
    r.graph.failNext("media", { httpStatus: 404, code: 100, message: "media expired" });
    r.graph.failNext("media", { httpStatus: 404, code: 100, message: "media expired" });
    expect(await r.graph.deliver(r.graph.document(WA, Buffer.from("%PDF-1.4"), "a.pdf", "application/pdf"))).toBe(200);
    expect(r.got.map((m) => m.body)).toEqual([
      { type: "rejected_media", reason: "download_failed", limitBytes: r.channel.limits.maxInboundFileBytes },
      { type: "rejected_media", reason: "download_failed", limitBytes: r.channel.limits.maxInboundFileBytes },
    ]);
    // One retry each, then the person is asked.
    expect(r.graph.calls.filter((c) => c.failed)).toHaveLength(4);
    expect(r.logLines.join("")).not.toContain(r.graph.token);
  });

  it("keeps one person's messages in order across concurrent webhooks while another person goes ahead", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = await rig({}, async (m) => {
      if (m.body.type === "text" && m.body.text === "A1") await gate;
    });
    await handOver(r, r.graph.text(WA, "A1"));
    await handOver(r, r.graph.text(WA, "A2"));
    expect(await r.graph.deliver(r.graph.text(OTHER, "B1"))).toBe(200);
    expect(r.got.map((m) => (m.body as { text: string }).text)).toEqual(["A1", "B1"]);
    release();
    await r.channel.idle();
    expect(r.got.map((m) => (m.body as { text: string }).text)).toEqual(["A1", "B1", "A2"]);
  });
});

describe("outbound", () => {
  const opened = async () => {
    const r = await rig();
    await r.window.personWrote(A, new Date());
    return r;
  };
  const choices = (n: number, label = (i: number) => `Pilihan ${i}`) => Array.from({ length: n }, (_, i) => ({ id: `c:${i + 1}`, label: label(i + 1) }));

  it("offers up to three short choices as reply buttons", async () => {
    const r = await opened();
    await r.channel.send(A, { type: "text", text: "Apakah data sudah benar?", choices: [{ id: "yes", label: "Ya, benar" }, { id: "no", label: "Ubah" }] }, noFiles);
    expect(r.graph.sent[0]!.payload).toMatchObject({
      to: WA,
      type: "interactive",
      interactive: { type: "button", body: { text: "Apakah data sudah benar?" }, action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Ya, benar" } }, { type: "reply", reply: { id: "no", title: "Ubah" } }] } },
    });
  });

  it("offers four to ten choices as a list, a label too long for a row title shortened with the rest below", async () => {
    const r = await opened();
    const long = "Koperasi simpan pinjam dan pembiayaan syariah";
    await r.channel.send(A, { type: "text", text: "Bentuk usaha Anda?", choices: [...choices(6), { id: "ksp", label: long }] }, noFiles);
    const i = r.graph.sent[0]!.payload.interactive as { type: string; action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] } };
    expect(i.type).toBe("list");
    expect(i.action.button.length).toBeLessThanOrEqual(20);
    const rows = i.action.sections[0]!.rows;
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      expect(row.title.length).toBeLessThanOrEqual(24);
      expect((row.description ?? "").length).toBeLessThanOrEqual(72);
    }
    expect(rows[6]!.id).toBe("ksp");
    expect(`${rows[6]!.title.replace(/…$/, "")} ${rows[6]!.description}`.replace(/\s+/g, " ")).toBe(long);
  });

  it("falls back to a numbered list beyond ten choices, so a typed number answers", async () => {
    const r = await opened();
    await r.channel.send(A, { type: "text", text: "Pilih desa:", choices: choices(12) }, noFiles);
    expect(r.graph.sent[0]!.type).toBe("text");
    const body = (r.graph.sent[0]!.payload.text as { body: string }).body;
    expect(body.startsWith("Pilih desa:\n\n1. Pilihan 1\n2. Pilihan 2")).toBe(true);
    expect(body).toContain("12. Pilihan 12");
  });

  it("sends a text over 1,024 characters first and puts the buttons under its last part", async () => {
    const r = await opened();
    const text = `${"Ringkasan pendaftaran Anda. ".repeat(60)}Kirim sekarang?`;
    await r.channel.send(A, { type: "text", text, choices: [{ id: "send", label: "Kirim" }] }, noFiles);
    const [first, last] = r.graph.sent;
    expect(first!.type).toBe("text");
    expect(last!.type).toBe("interactive");
    const body = (last!.payload.interactive as { body: { text: string } }).body.text;
    expect(body.length).toBeLessThanOrEqual(1024);
    expect(`${(first!.payload.text as { body: string }).body} ${body}`.replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
  });

  it("uploads a PDF and sends it as a document with its name and caption; a long caption follows as text", async () => {
    const r = await opened();
    const pdf = Buffer.from("%PDF-1.4\nBerita Acara\n%%EOF");
    const receipt = await r.channel.send(A, { type: "document", fileName: "BAP PLUT-GIA-2026-000123.pdf", mimeType: "application/pdf", storageKey: "k", caption: "Berita acara kasus Anda" }, async () => pdf);
    expect(r.graph.uploads[0]).toMatchObject({ mimeType: "application/pdf", fileName: "BAP PLUT-GIA-2026-000123.pdf", bytes: pdf });
    expect(r.graph.sent[0]!.payload).toMatchObject({ type: "document", document: { id: r.graph.uploads[0]!.id, filename: "BAP PLUT-GIA-2026-000123.pdf", caption: "Berita acara kasus Anda" } });
    expect(receipt).toEqual({ providerMessageId: r.graph.sent[0]!.id });
    await r.channel.send(A, { type: "document", fileName: "a.pdf", mimeType: "application/pdf", storageKey: "k", caption: "catatan ".repeat(200) }, async () => pdf);
    expect(r.graph.sent.slice(1).map((s) => s.type)).toEqual(["document", "text"]);
  });

  it.each<[string, number, number, string, number | undefined]>([
    ["131026 undeliverable", 400, 131026, "permanent", undefined],
    ["131030 not in the test number's list", 400, 131030, "permanent", undefined],
    ["130429 throughput", 400, 130429, "rate_limited", 60],
    ["131056 one person too often", 400, 131056, "rate_limited", 10],
    ["132001 template missing", 400, 132001, "refused", undefined],
    ["100 invalid parameter", 400, 100, "refused", undefined],
    ["131000 something went wrong", 500, 131000, "retry", undefined],
    ["190 token expired (the office must act)", 401, 190, "rate_limited", 900],
  ])("maps %s", async (_label, httpStatus, code, kind, retryAfter) => {
    const r = await opened();
    r.graph.failNext("messages", { httpStatus, code, message: `error ${code} for ${WA}` });
    const err = await sendError(r.channel.send(A, { type: "text", text: "isi pesan rahasia" }, noFiles));
    expect(err.kind).toBe(kind);
    expect(err.retryAfterSeconds).toBe(retryAfter);
    expect(err.message).not.toContain(r.graph.token);
    expect(err.message).not.toContain(WA);
    const log = r.logLines.join("");
    expect(log).not.toContain(r.graph.token);
    expect(log).not.toContain("rahasia");
  });

  it("maps a dropped connection to retry", async () => {
    const r = await opened();
    r.graph.failNext("messages", "network");
    expect((await sendError(r.channel.send(A, { type: "text", text: "halo" }, noFiles))).kind).toBe("retry");
  });

  it("refuses an address that is neither a phone number nor a WhatsApp user id", async () => {
    const r = await opened();
    expect((await sendError(r.channel.send("not-a-number", { type: "text", text: "x" }, noFiles))).kind).toBe("permanent");
  });

  it("sends to a person known only by a business-scoped user id in `recipient`", async () => {
    const r = await rig();
    await r.window.personWrote("ID.1502576394655843", new Date());
    await r.channel.send("ID.1502576394655843", { type: "text", text: "Halo" }, noFiles);
    expect(r.graph.sent[0]!.payload).toMatchObject({ recipient: "ID.1502576394655843", type: "text" });
    expect(r.graph.sent[0]!.payload.to).toBeUndefined();
  });
});

describe("the 24-hour customer-service window (fixed clock)", () => {
  const T0 = new Date("2026-11-23T01:00:00Z");
  async function windowRig(opts: { templates?: boolean; language?: string } = {}) {
    const clock = new FixedClock(T0);
    const window = new MemoryWindowStore(opts.language ? { [A]: opts.language } : {});
    const statuses: DeliveryUpdate[] = [];
    const opened: string[] = [];
    const r = await rig({
      clock,
      window,
      ...(opts.templates === false ? {} : { templates: TEMPLATES }),
      onStatus: async (u) => void statuses.push(u),
      onWindowOpened: async (a) => void opened.push(a),
    });
    return { ...r, clock, statuses, opened };
  }
  const reminder: Outbound = {
    type: "text",
    text: "Halo Ayu, besok target rencana tindakan Anda...",
    kind: "action_item_due",
    params: { name: "Ni Made Ayu", action: "Membuat pembukuan\nsederhana   harian", date: "Selasa, 24 November 2026" },
    choices: [
      { id: "rem:r1:done", label: "Sudah" },
      { id: "rem:r1:not_yet", label: "Belum" },
      { id: "rem:r1:help", label: "Butuh bantuan" },
    ],
  };

  it("sends free text within 24 hours of the person's last message and a template after", async () => {
    const r = await windowRig();
    await r.window.personWrote(A, T0);
    r.clock.advance(WINDOW_MS - 60 * 60 * 1000);
    await r.channel.send(A, reminder, noFiles);
    expect(r.graph.sent[0]!.type).toBe("interactive");
    r.clock.advance(2 * 60 * 60 * 1000);
    const receipt = await r.channel.send(A, reminder, noFiles);
    const t = r.graph.sent[1]!;
    expect(t.type).toBe("template");
    expect(t.payload.template).toEqual({
      name: "plut_pengingat_rencana_tindakan",
      language: { policy: "deterministic", code: "id" },
      components: [
        { type: "body", parameters: [{ type: "text", text: "Ni Made Ayu" }, { type: "text", text: "Membuat pembukuan sederhana harian" }, { type: "text", text: "Selasa, 24 November 2026" }] },
        { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "rem:r1:done" }] },
        { type: "button", sub_type: "quick_reply", index: "1", parameters: [{ type: "payload", payload: "rem:r1:not_yet" }] },
        { type: "button", sub_type: "quick_reply", index: "2", parameters: [{ type: "payload", payload: "rem:r1:help" }] },
      ],
    });
    // The template delivers the reminder: nothing waits.
    expect(receipt).toEqual({ providerMessageId: t.id });
  });

  it("uses the person's language for the template", async () => {
    const r = await windowRig({ language: "en" });
    await r.channel.send(A, reminder, noFiles);
    expect(r.graph.sent[0]!.payload.template).toMatchObject({ name: "plut_pengingat_rencana_tindakan", language: { code: "en" } });
  });

  it("sends one notice for messages that wait, holds them, and the person's answer opens the window again", async () => {
    const r = await windowRig();
    const note: Outbound = { type: "text", text: "Konsultan membalas: silakan datang Senin.", kind: "notification" };
    const first = await r.channel.send(A, note, noFiles);
    const second = await r.channel.send(A, { ...note, text: "Pesan kedua" }, noFiles);
    expect(r.graph.sent).toHaveLength(1);
    expect(r.graph.sent[0]!.payload.template).toEqual({
      name: "plut_pesan_baru",
      language: { policy: "deterministic", code: "id" },
      components: [{ type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: RESUME_PAYLOAD }] }],
    });
    expect(first).toEqual({ held: true, providerMessageId: r.graph.sent[0]!.id });
    expect(second).toEqual({ held: true });

    // The tap on "Lihat pesan" opens the window and is no answer to anything.
    r.clock.advance(3 * 60 * 60 * 1000);
    await r.graph.deliver(r.graph.templateButton(WA, RESUME_PAYLOAD, "Lihat pesan"));
    expect(r.opened).toEqual([A]);
    expect(r.got).toHaveLength(0);
    await r.channel.send(A, note, noFiles);
    expect(r.graph.sent[1]!.type).toBe("text");
  });

  it("falls back to the notification notice for a kind without a template, and holds a message with no template at all", async () => {
    const r = await windowRig();
    const book = loadTemplates(readFileSync("conversations/whatsapp-templates.yaml", "utf8").replace(/\n {2}survey:[\s\S]*?(?=\n {2}monitoring_today:)/, ""));
    const r2 = await rig({ clock: r.clock, window: new MemoryWindowStore(), templates: book });
    await r2.channel.send(A, { type: "text", text: "Survei", kind: "survey" }, noFiles);
    expect(r2.graph.sent[0]!.payload.template).toMatchObject({ name: "plut_pesan_baru" });

    const bare = await windowRig({ templates: false });
    expect(await bare.channel.send(A, { type: "text", text: "Balasan lama", kind: "notification" }, noFiles)).toEqual({ held: true });
    expect(bare.graph.sent).toHaveLength(0);
  });

  it("never sends an alert to admins as a template: it waits for them to write", async () => {
    const r = await windowRig();
    expect(await r.channel.send(A, { type: "text", text: "⚠️ pesan gagal", kind: "delivery_alert" }, noFiles)).toEqual({ held: true });
    expect(r.graph.sent).toHaveLength(0);
  });

  it("resends as a template when WhatsApp says the window closed (131047), and remembers it", async () => {
    const r = await windowRig();
    await r.window.personWrote(A, T0);
    r.graph.failNext("messages", { httpStatus: 400, code: 131047, message: "Re-engagement message" });
    const receipt = await r.channel.send(A, reminder, noFiles);
    expect(r.graph.calls.filter((c) => c.failed)).toHaveLength(1);
    expect(r.graph.sent.map((s) => s.type)).toEqual(["template"]);
    expect(receipt).toEqual({ providerMessageId: r.graph.sent[0]!.id });
    expect((await r.window.get(A)).lastInboundAt).toBeNull();
  });

  it("reports delivery statuses with Meta's failure codes read, and a late 131047 closes the window", async () => {
    const r = await windowRig();
    await r.window.personWrote(A, T0);
    await r.channel.send(A, { type: "text", text: "satu" }, noFiles);
    const id = r.graph.sent[0]!.id;
    for (const body of [
      r.graph.status(id, "sent"),
      r.graph.status(id, "delivered"),
      r.graph.status(id, "read"),
      r.graph.status(id, "failed", { code: 131047, title: "Re-engagement message" }),
      r.graph.status(id, "failed", { code: 131026, title: "Message undeliverable" }),
      r.graph.status(id, "failed", { code: 130429, title: "Rate limit hit" }),
      r.graph.status(id, "failed", { code: 132001, title: "Template name does not exist in the translation" }),
    ]) {
      expect(await r.graph.deliver(body)).toBe(200);
    }
    expect(r.statuses.map((s) => [s.state, s.failure?.kind, s.failure?.retryAfterSeconds])).toEqual([
      ["sent", undefined, undefined],
      ["delivered", undefined, undefined],
      ["read", undefined, undefined],
      ["failed", "window_closed", undefined],
      ["failed", "unreachable", undefined],
      ["failed", "rate_limited", 60],
      ["failed", "template_refused", undefined],
    ]);
    expect(r.statuses.every((s) => s.providerMessageId === id && s.channel === "whatsapp")).toBe(true);
    expect(r.statuses[6]!.failure!.reason).toContain("132001");
    expect((await r.window.get(A)).lastInboundAt).toBeNull();
  });
});
