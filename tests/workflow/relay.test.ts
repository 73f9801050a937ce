/**
 * The consultation as a conversation (issue 14, items 1, 2, 3 and 5): two clients register in chat
 * and both get the same consultant; they write at once, the consultant answers by replying to each
 * relayed message and after `buka`, and no answer reaches the wrong client. Commands stay commands,
 * files travel both ways (stored encrypted with the case), a client with two open cases is asked
 * once, and a message to a case closed meanwhile is kept and answered with the menu.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { readPdfText } from "../support/pdf-text.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { startTestService, type TestService } from "../support/service.js";

const AYU = "client-ayu";
const BUDI = "client-budi";
const ADMIN = "staff-admin";
const FINANCE = "staff-finance";
const MARKETING = "staff-marketing";
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("KTP-PHOTO-BYTES".repeat(100))]);
const NOTA = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("FOTO-NOTA-PENJUALAN".repeat(50))]);
const PDF = Buffer.from("%PDF-1.4\nLAPORAN-LABA-RUGI-CONTOH\n%%EOF");

let t: TestService;
const cases: Record<string, { id: string; reg: string }> = {};

async function say(who: string, what: string, opts: { replyTo?: string } = {}): Promise<string[]> {
  const before = t.channel.inbox(who).length;
  if (what.startsWith("#")) await t.channel.choice(who, what.slice(1));
  else await t.channel.receive(who, { type: "text", text: what }, opts);
  await t.flush();
  return t.channel.texts(who).slice(before);
}

async function send(who: string, bytes: Buffer, mimeType: string, opts: { replyTo?: string; fileName?: string; caption?: string } = {}): Promise<string[]> {
  const before = t.channel.inbox(who).length;
  const kind = mimeType.startsWith("image/") ? "photo" : "document";
  await t.channel.receive(who, { type: "media", media: { kind, mimeType, bytes, ...(opts.fileName ? { fileName: opts.fileName } : {}), ...(opts.caption ? { caption: opts.caption } : {}) } }, opts.replyTo ? { replyTo: opts.replyTo } : {});
  await t.flush();
  return t.channel.texts(who).slice(before);
}

/** The provider id of the last message `to` received that contains `needle` (what a reply refers to). */
function lastDeliveredId(to: string, needle: string | RegExp): string {
  const d = [...t.channel.delivered].reverse().find((x) => x.to === to && (x.message.type === "document" ? true : typeof needle === "string" ? x.message.text.includes(needle) : needle.test(x.message.text)));
  if (!d) throw new Error(`nothing with ${String(needle)} delivered to ${to}`);
  return d.providerMessageId;
}

async function linkStaff(who: string, role: "admin" | "consultant", name: string, areas: string[] = []): Promise<void> {
  const { code } = await t.service.database.db.$transaction((tx) => createInvite(tx, { role, name, areas, createdById: null, now: t.clock.now() }));
  await say(who, code);
}

async function register(who: string, name: string): Promise<{ id: string; reg: string }> {
  for (const step of REGISTRATION_SCRIPT) {
    if (step === "PHOTO") await t.channel.photo(who, KTP);
    else if (step === "Ni Made Ayu Lestari") await t.channel.text(who, name);
    else if (step.startsWith("#")) await t.channel.choice(who, step.slice(1));
    else await t.channel.text(who, step);
    await t.flush();
  }
  const reg = /PLUT-GIA-2026-\d{6}/.exec(t.channel.texts(who).join("\n"))?.[0];
  if (!reg) throw new Error(`no registration number for ${who}`);
  const c = await t.service.database.db.consultationCase.findUniqueOrThrow({ where: { regNumber: reg } });
  await say(ADMIN, `#c:${c.id}:route:pembiayaan`);
  await say(FINANCE, `#c:${c.id}:accept`);
  return { id: c.id, reg };
}

beforeAll(async () => {
  t = await startTestService();
  await linkStaff(ADMIN, "admin", "Ni Luh Admin");
  await linkStaff(FINANCE, "consultant", "I Wayan Keuangan", ["pembiayaan"]);
  await linkStaff(MARKETING, "consultant", "Kadek Pemasaran", ["pemasaran"]);
  cases.ayu = await register(AYU, "Ni Made Ayu Lestari");
  cases.budi = await register(BUDI, "I Made Budi Santosa");
}, 240_000);
afterAll(async () => t?.close());

describe("client and consultant talk freely", () => {
  it("passes a client's typed text on without a button, and says once to whom", async () => {
    const first = await say(AYU, "Selamat pagi pak, pembukuan saya baru mulai minggu ini.");
    expect(first.join("\n")).toContain("I Wayan Keuangan");
    expect(first.join("\n")).toContain(cases.ayu!.reg);
    expect(t.channel.texts(FINANCE).at(-1)).toContain("pembukuan saya baru mulai");
    expect(t.channel.texts(FINANCE).at(-1)).toContain(cases.ayu!.reg);
    // The next one goes quietly, as in any chat.
    expect(await say(AYU, "Apakah perlu nota juga?")).toEqual([]);
    expect(t.channel.texts(FINANCE).at(-1)).toContain("perlu nota juga");
    expect(t.channel.texts(FINANCE).join("\n")).not.toContain(AYU);
  });

  it("keeps commands as commands: status, bantuan, menu and hapus data saya never reach the consultant", async () => {
    const seen = t.channel.texts(FINANCE).length;
    expect((await say(AYU, "status")).join("\n")).toContain(cases.ayu!.reg);
    expect((await say(AYU, "bantuan")).length).toBeGreaterThan(0);
    expect((await say(AYU, "menu")).length).toBeGreaterThan(0);
    const del = (await say(AYU, "hapus data saya")).join("\n");
    expect(del).toMatch(/hapus/i);
    await say(AYU, "batal");
    await say(AYU, "ya");
    expect(t.channel.texts(FINANCE).slice(seen)).toEqual([]);
    expect(await t.service.database.db.dataRequest.count()).toBe(0);
    // After the commands, free text goes to the consultant again.
    await say(AYU, "Maaf pak, tadi salah pencet.");
    expect(t.channel.texts(FINANCE).at(-1)).toContain("salah pencet");
  });

  it("sends every answer to the right client when two clients write at once", async () => {
    const db = t.service.database.db;
    // Interleaved: Ayu, Budi, Ayu, and the consultant answers in the opposite order by replying.
    await say(AYU, "Pak, stok bahan habis, bagaimana?");
    const ayuMsg = lastDeliveredId(FINANCE, "stok bahan habis");
    await say(BUDI, "Pak, saya mau tanya soal KUR.");
    const budiMsg = lastDeliveredId(FINANCE, "soal KUR");
    await say(AYU, "Oh ya, juga soal harga.");
    const ayuSeen = t.channel.texts(AYU).length;
    const budiSeen = t.channel.texts(BUDI).length;

    const sent = await say(FINANCE, "Untuk KUR siapkan NIB dan catatan 3 bulan.", { replyTo: budiMsg });
    expect(sent.join("\n")).toContain(cases.budi!.reg);
    await say(FINANCE, "Catat dulu stok harian, Bu.", { replyTo: ayuMsg });

    const toAyu = t.channel.texts(AYU).slice(ayuSeen).join("\n");
    const toBudi = t.channel.texts(BUDI).slice(budiSeen).join("\n");
    expect(toBudi).toContain("siapkan NIB");
    expect(toBudi).not.toContain("stok harian");
    expect(toAyu).toContain("stok harian");
    expect(toAyu).not.toContain("siapkan NIB");

    // After `buka`, typed text goes to the open case, and the prompt says which case is open.
    const opened = (await say(FINANCE, `buka ${cases.budi!.reg}`)).join("\n");
    expect(opened).toContain(`Kasus terbuka: ${cases.budi!.reg}`);
    const typed = (await say(FINANCE, "Pak Budi, besok jam 10 bisa ke kantor?")).join("\n");
    expect(typed).toContain(cases.budi!.reg);
    expect(t.channel.texts(BUDI).at(-1)).toContain("besok jam 10");
    expect(t.channel.texts(AYU).join("\n")).not.toContain("besok jam 10");
    // A reply still wins over the open case.
    await say(FINANCE, "Harga ikut pasar dulu, Bu.", { replyTo: lastDeliveredId(FINANCE, "soal harga") });
    expect(t.channel.texts(AYU).at(-1)).toContain("ikut pasar");
    expect(t.channel.texts(BUDI).join("\n")).not.toContain("ikut pasar");

    const ayuRelays = await db.relayMessage.findMany({ where: { caseId: cases.ayu!.id }, orderBy: { createdAt: "asc" } });
    const budiRelays = await db.relayMessage.findMany({ where: { caseId: cases.budi!.id } });
    expect(ayuRelays.map((r) => r.text).join("|")).not.toMatch(/KUR|besok jam 10/);
    expect(budiRelays.map((r) => r.text).join("|")).not.toMatch(/stok|harga/);
    expect(await db.controlCardEntry.count({ where: { caseId: cases.budi!.id, contactKind: "relay" } })).toBe(budiRelays.length);
  });
});

describe("files both ways", () => {
  it("relays a client's photo to the consultant, stored encrypted with the case", async () => {
    const db = t.service.database.db;
    await send(AYU, NOTA, "image/jpeg", { caption: "Ini nota kemarin" });
    const last = t.channel.delivered.filter((d) => d.to === FINANCE).at(-1)!;
    expect(last.message.type).toBe("document");
    expect(last.bytes).toEqual(NOTA);
    expect(t.channel.texts(FINANCE).at(-2)).toContain("Ini nota kemarin");
    const doc = await db.document.findFirstOrThrow({ where: { caseId: cases.ayu!.id, type: "relay" } });
    const onDisk = await t.service.files.sealed(doc.storageKey);
    expect(onDisk.includes(Buffer.from("FOTO-NOTA-PENJUALAN"))).toBe(false);
    const relay = await db.relayMessage.findFirstOrThrow({ where: { documentId: doc.id } });
    expect(relay.fromRole).toBe("client");
    // The consultant replies to the photo itself: the answer goes to Ayu.
    await say(FINANCE, "Notanya jelas, terima kasih.", { replyTo: last.providerMessageId });
    expect(t.channel.texts(AYU).at(-1)).toContain("Notanya jelas");
  });

  it("relays the consultant's PDF to the client of the open case", async () => {
    await say(FINANCE, `buka ${cases.budi!.reg}`);
    await send(FINANCE, PDF, "application/pdf", { fileName: "contoh-laba-rugi.pdf", caption: "Contoh laporan laba rugi" });
    const got = t.channel.delivered.filter((d) => d.to === BUDI).at(-1)!;
    expect(got.message.type === "document" && got.message.fileName).toBe("contoh-laba-rugi.pdf");
    expect(got.bytes).toEqual(PDF);
    expect(t.channel.texts(BUDI).at(-2)).toContain("Contoh laporan laba rugi");
    expect(await t.service.database.db.document.count({ where: { caseId: cases.budi!.id, type: "relay" } })).toBe(1);
    expect(await t.service.database.db.auditLog.count({ where: { action: "relay.file" } })).toBe(2);
    // The control card (a real PDF, read back) lists the file with the message.
    await say(FINANCE, `#c:${cases.budi!.id}:card`);
    const card = t.channel.delivered.filter((d) => d.to === FINANCE && d.message.type === "document").at(-1)!;
    expect((await readPdfText(card.bytes!)).flat).toContain("berkas: contoh-laba-rugi.pdf");
  });

  it("lists the relayed files on the case page of the dashboard, and audits every view", async () => {
    const db = t.service.database.db;
    const msg = (await say(FINANCE, "dashboard")).join("\n");
    const token = /\/staff\/login\/(\S+)/.exec(msg)?.[1];
    expect(token, msg).toBeDefined();
    const login = await t.service.app.inject({ method: "POST", url: "/staff/login", payload: new URLSearchParams({ token: token! }).toString(), headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(t.service.url || "http://127.0.0.1:3000").origin } });
    expect(login.statusCode).toBe(303);
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const page = await t.service.app.inject({ method: "GET", url: `/staff/cases/${cases.ayu!.id}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Berkas percakapan klien–konsultan");
    const doc = await db.document.findFirstOrThrow({ where: { caseId: cases.ayu!.id, type: "relay" } });
    expect(page.body).toContain(`/staff/documents/${doc.id}`);
    const before = await db.auditLog.count({ where: { action: "document.view", entityId: doc.id } });
    const view = await t.service.app.inject({ method: "GET", url: `/staff/documents/${doc.id}`, headers: { cookie } });
    expect(view.statusCode).toBe(200);
    expect(view.rawPayload).toEqual(NOTA);
    expect(await db.auditLog.count({ where: { action: "document.view", entityId: doc.id } })).toBe(before + 1);
  });

  it("relays a WhatsApp voice note (as the Baileys channel hands it on: an audio document) to the consultant", async () => {
    const db = t.service.database.db;
    const voice = Buffer.concat([Buffer.from("OggS"), Buffer.alloc(2000, 7)]);
    const before = await db.document.count({ where: { caseId: cases.ayu!.id, type: "relay" } });
    await send(AYU, voice, "audio/ogg; codecs=opus", { fileName: "voice-note.ogg" });
    const got = t.channel.delivered.filter((d) => d.to === FINANCE).at(-1)!;
    expect(got.message.type === "document" && got.message.fileName).toBe("voice-note.ogg");
    expect(got.message.type === "document" && got.message.mimeType).toMatch(/^audio\/ogg/);
    expect(got.bytes).toEqual(voice);
    expect(await db.document.count({ where: { caseId: cases.ayu!.id, type: "relay" } })).toBe(before + 1);
    // And back: the consultant answers with a voice note of their own, to the open case's client.
    await say(FINANCE, `buka ${cases.ayu!.reg}`);
    const answer = Buffer.concat([Buffer.from("OggS"), Buffer.alloc(1500, 3)]);
    await send(FINANCE, answer, "audio/ogg", { fileName: "voice-note.ogg" });
    const back = t.channel.delivered.filter((d) => d.to === AYU).at(-1)!;
    expect(back.message.type === "document" && back.message.fileName).toBe("voice-note.ogg");
    expect(back.bytes).toEqual(answer);
  });

  it("tells a client whose file is too large or of a refused type the limit and the allowed types", async () => {
    const seen = t.channel.texts(FINANCE).length;
    const big = (await t.channel.receive(AYU, { type: "rejected_media", reason: "too_large", size: 30 * 1048576, limitBytes: 10 * 1048576 }), await t.flush(), t.channel.texts(AYU).at(-1));
    expect(big).toContain("10 MB");
    expect(big).toMatch(/JPG\/PNG.*PDF/);
    await t.channel.receive(AYU, { type: "unsupported", what: "video" });
    await t.flush();
    expect(t.channel.texts(AYU).at(-1)).toMatch(/Video dan stiker belum bisa/);
    expect(t.channel.texts(FINANCE).slice(seen)).toEqual([]);
  });
});

describe("monitoring in the right order", () => {
  it("shows a consultant who evaluates before the client's report what was reported so far, and asks to confirm", async () => {
    const db = t.service.database.db;
    const finance = await db.staff.findFirstOrThrow({ where: { name: "I Wayan Keuangan" } });
    const caseId = cases.ayu!.id;
    await db.actionPlan.create({
      data: {
        caseId, status: "agreed", submittedAt: t.clock.now(), agreedAt: t.clock.now(),
        items: { create: [
          { position: 1, action: "Mencatat penjualan harian", who: "saya", targetDate: new Date("2026-12-20"), indicator: "buku kas terisi", progress: "done", progressNote: "sudah 2 minggu" },
          { position: 2, action: "Membuka toko Shopee", who: "anak saya", targetDate: new Date("2026-12-30"), indicator: "toko aktif" },
        ] },
      },
    });
    const visit = await db.monitoringVisit.create({ data: { caseId, scheduledFor: new Date("2027-01-15"), consultantId: finance.id } });

    const early = (await say(FINANCE, `#c:${caseId}:evaluate`)).join("\n");
    expect(early).toMatch(/belum melaporkan/);
    expect(early).toContain("2027-01-15");
    expect(early).toMatch(/Mencatat penjualan harian: sudah \(sudah 2 minggu\)/);
    expect(early).toMatch(/Membuka toko Shopee: belum ada kabar/);
    // No evaluation flow was started: a typed text is not taken as the evaluation.
    expect((await db.conversationSession.findFirst({ where: { identity: { address: FINANCE } } }))?.flowId ?? null).toBeNull();
    const confirmed = (await say(FINANCE, `#c:${caseId}:evaluate_now`)).join("\n");
    expect(confirmed.length).toBeGreaterThan(0);
    await say(FINANCE, "Pembukuan jalan; toko online belum dibuka.");
    expect((await db.monitoringVisit.findUniqueOrThrow({ where: { id: visit.id } })).evaluation).toContain("toko online belum dibuka");
    expect(await db.controlCardEntry.count({ where: { caseId, summary: { contains: "sebelum laporan kemajuan klien" } } })).toBe(1);

    // Once the client has reported, the evaluation starts straight away.
    const next = await db.monitoringVisit.create({ data: { caseId, scheduledFor: new Date("2027-02-15"), consultantId: finance.id, reportedAt: t.clock.now(), clientReport: "done; not_yet" } });
    const straight = (await say(FINANCE, `#c:${caseId}:evaluate`)).join("\n");
    expect(straight).not.toMatch(/belum melaporkan/);
    await say(FINANCE, "Evaluasi kedua.");
    expect((await db.monitoringVisit.findUniqueOrThrow({ where: { id: next.id } })).evaluation).toBe("Evaluasi kedua.");
    // The case is back in step 8 now; the client still talks to the consultant freely.
    await say(AYU, "Terima kasih pak.");
    expect(t.channel.texts(FINANCE).at(-1)).toContain("Terima kasih pak");
  });
});

describe("two open cases, and a case closed meanwhile", () => {
  it("asks once which case a message is about, and the choice sticks", async () => {
    const db = t.service.database.db;
    const marketing = await db.staff.findFirstOrThrow({ where: { name: "Kadek Pemasaran" } });
    const ayuCase = await db.consultationCase.findUniqueOrThrow({ where: { id: cases.ayu!.id } });
    // A second consultation of the same client, already with the marketing consultant.
    const second = await db.consultationCase.create({
      data: { regNumber: "PLUT-GIA-2026-009999", clientId: ayuCase.clientId, status: "in_consultation", step: 4, areaCode: "pemasaran", consultantId: marketing.id, problemText: "Penjualan online sepi" },
    });
    const financeSeen = t.channel.texts(FINANCE).length;
    const asked = (await say(AYU, "Bagaimana cara foto produk yang bagus?")).join("\n");
    expect(asked).toMatch(/yang mana/);
    expect(t.channel.lastChoices(AYU).map((c) => c.label).join("\n")).toContain("PLUT-GIA-2026-009999");
    expect(t.channel.texts(MARKETING).join("\n")).not.toContain("foto produk");

    // Picking by typed number (WhatsApp has no buttons) sends the held message.
    const pick = t.channel.lastChoices(AYU).findIndex((c) => c.id === `r:${second.id}`) + 1;
    const told = (await say(AYU, String(pick))).join("\n");
    expect(told).toContain("Kadek Pemasaran");
    expect(t.channel.texts(MARKETING).at(-1)).toContain("foto produk");
    expect(await say(AYU, "Pakai HP saja bisa?")).toEqual([]);
    expect(t.channel.texts(MARKETING).at(-1)).toContain("Pakai HP");
    expect(t.channel.texts(FINANCE).slice(financeSeen)).toEqual([]);

    // A reply to the finance consultant's message switches back to that case.
    await say(AYU, "Baik pak, nota sudah saya kumpulkan.", { replyTo: lastDeliveredId(AYU, "Notanya jelas") });
    expect(t.channel.texts(FINANCE).at(-1)).toContain("nota sudah saya kumpulkan");
    expect(t.channel.texts(MARKETING).join("\n")).not.toContain("nota sudah saya kumpulkan");
  });

  it("keeps a message to a case that was closed meanwhile, says so politely and shows the menu", async () => {
    const db = t.service.database.db;
    await db.consultationCase.update({ where: { id: cases.budi!.id }, data: { status: "closed", closedAt: t.clock.now() } });
    const financeSeen = t.channel.texts(FINANCE).length;
    const out = await say(BUDI, "Pak, saya sudah urus NIB.");
    expect(out.join("\n")).toMatch(/sudah selesai/);
    expect(t.channel.lastChoices(BUDI).some((c) => c.id.startsWith("menu:"))).toBe(true);
    expect(t.channel.texts(FINANCE).slice(financeSeen)).toEqual([]);
    const kept = await db.relayMessage.findFirstOrThrow({ where: { caseId: cases.budi!.id, text: "Pak, saya sudah urus NIB." } });
    expect(kept.undelivered).toBe(true);
    // The consultant cannot write to the closed case either.
    await say(FINANCE, `buka ${cases.budi!.reg}`);
    expect((await say(FINANCE, "Halo?")).join("\n")).toMatch(/sudah ditutup/);
  });
});
