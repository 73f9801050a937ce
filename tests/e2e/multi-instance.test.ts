/**
 * Several instances on one PostgreSQL database (issue 15 item 7): two whole services, each with its
 * own DATA_DIR and port. Instance A sends (its outbox sender runs) and has the staff's Telegram;
 * instance B only serves HTTP. A real headless Chromium opens the web chat on B and keeps its live
 * event stream there, while the client registers through A over real HTTP (texts, taps and the KTP
 * photo upload). Every reply is written by A and must reach the page on B live; the staff open the
 * photo through B's dashboard, a PDF generated on A is read through B, the web chat history is read
 * from B, and a consultant's message from Telegram on A reaches the browser on B. Nothing is on A's
 * or B's disk: files and history are in the database.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { createInvite } from "../../src/domain/staff/invites.js";
import { startService, type RunningService } from "../../src/service.js";
import { loadConversations } from "../../src/flows/load.js";
import type { WebChannel } from "../../src/channels/web/index.js";
import { createEmptyDatabase, testProvider } from "../support/db.js";
import { FakeTelegramServer } from "../support/fake-telegram-server.js";
import { REGISTRATION_SCRIPT } from "../support/registration-script.js";
import { readPdfText } from "../support/pdf-text.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const REG_NUMBER = /PLUT-[A-Z]{2,6}-\d{4}-\d{6}/;
const ADMIN = 8100;
const CONSULTANT = 8101;
const KEY = crypto.randomBytes(32).toString("hex");
const SECRET = crypto.randomBytes(32).toString("base64url");
const texts = loadConversations("conversations").texts.id;

/** A small real JPEG, drawn and encoded by the browser itself. */
async function makeJpeg(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 320;
    c.height = 200;
    const g = c.getContext("2d")!;
    g.fillStyle = "#cfe3f5";
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = "#123";
    g.font = "20px sans-serif";
    g.fillText("KARTU TANDA PENDUDUK", 20, 40);
    return c.toDataURL("image/jpeg", 0.8);
  });
  return Buffer.from(dataUrl.split(",")[1]!, "base64");
}

describe.skipIf(testProvider() !== "postgresql")("two instances on one PostgreSQL database (needs TEST_POSTGRES_URL: on SQLite the service is one process on one machine)", () => {
  let a: RunningService;
  let b: RunningService;
  let tg: FakeTelegramServer;
  let context: BrowserContext;
  let page: Page;
  let drop: () => Promise<void>;
  const dirs = {
    a: fs.mkdtempSync(path.join(os.tmpdir(), "plut-multi-a-")),
    b: fs.mkdtempSync(path.join(os.tmpdir(), "plut-multi-b-")),
    profile: fs.mkdtempSync(path.join(os.tmpdir(), "plut-multi-chromium-")),
  };
  /** Requests the page made for its live stream (it must keep one, on B). */
  const streams: string[] = [];
  let cookie = "";
  let personId = "";
  let reg = "";
  let caseId = "";
  let jpeg: Buffer = Buffer.alloc(0);

  /** Polls until `cond` holds (vi.waitFor also works in beforeAll, where expect.poll does not). */
  const until = (cond: () => Promise<boolean>, what: string) =>
    vi.waitFor(async () => expect(await cond(), what).toBe(true), { timeout: 20_000, interval: 20 });
  const outboxIdle = () => until(async () => (await a.database.db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0, "the outbox sent everything");
  let handled = 0;
  async function staff(update: ReturnType<FakeTelegramServer["textFrom"]>): Promise<void> {
    const before = await a.database.db.processedInbound.count();
    tg.pushUpdate(update);
    handled = before + 1;
    await until(async () => (await a.database.db.processedInbound.count()) >= handled, "the staff's update handled");
    await outboxIdle();
  }
  /** The page's conversation text on B. */
  const shownOnB = () => page.locator("#list").innerText();

  /** One answer of the client, posted to instance A as the page would post it. */
  async function postToA(step: string): Promise<void> {
    const headers = { cookie, origin: a.url };
    let res: Response;
    if (step === "PHOTO") {
      const form = new FormData();
      form.set("clientMessageId", crypto.randomUUID());
      form.set("file", new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), "ktp-ayu.jpg");
      res = await fetch(`${a.url}/chat/api/upload`, { method: "POST", headers, body: form });
    } else {
      const body = step.startsWith("#") ? { clientMessageId: crypto.randomUUID(), choiceId: step.slice(1) } : { clientMessageId: crypto.randomUUID(), text: step };
      res = await fetch(`${a.url}/chat/api/messages`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
    }
    expect(res.status, `${step}: ${await res.clone().text()}`).toBe(202);
    await outboxIdle();
  }

  beforeAll(async () => {
    tg = await FakeTelegramServer.start({ maxLongPollMs: 50 });
    const db = await createEmptyDatabase();
    drop = db.drop;
    const common = { DATABASE_URL: db.url, ENCRYPTION_KEY: KEY, SESSION_SECRET: SECRET, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "silent", CONVERSATIONS_DIR: "conversations" };
    const logger = createLogger({ level: "silent" });
    a = await startService(loadConfig({ ...common, DATA_DIR: dirs.a, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot }, "/nonexistent"), logger, {
      paceOverride: { telegram: { perChatPerSecond: 1000, globalPerSecond: 1000 }, web: { perChatPerSecond: 1000, globalPerSecond: 1000 } },
    });
    // B sends nothing itself (no sender, no scheduler): whatever reaches the page on B was written by A.
    b = await startService(loadConfig({ ...common, DATA_DIR: dirs.b, SCHEDULER_ENABLED: "false" }, "/nonexistent"), logger);
    expect(a.url).not.toBe(b.url);
    for (const [user, role, name, areas] of [[ADMIN, "admin", "Ni Luh Admin", []], [CONSULTANT, "consultant", "I Wayan Keuangan", ["pembiayaan"]]] as const) {
      const { code } = await a.database.db.$transaction((tx) => createInvite(tx, { role, name, areas: [...areas], createdById: null, now: new Date() }));
      await staff(tg.textFrom(user, code));
    }
    context = await chromium.launchPersistentContext(dirs.profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, locale: "id-ID" });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (r) => {
      if (r.url().includes("/chat/api/events")) streams.push(r.url());
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await b?.stop();
    await a?.stop();
    await tg?.close();
    await drop?.();
    for (const d of Object.values(dirs)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("registers through A with a photo while the page on B gets every reply live", async () => {
    expect((await page.goto(`${b.url}/chat`))?.status()).toBe(200);
    const c = (await context.cookies()).find((x) => x.name === "plut_web")!;
    cookie = `plut_web=${c.value}`;
    personId = decodeURIComponent(c.value).split(".")[0]!;
    const webB = b.channels.get("web") as WebChannel;
    const webA = a.channels.get("web") as WebChannel;
    // The page's live stream is held by B, not A.
    await expect.poll(() => webB.openStreams(personId), { timeout: 10_000, interval: 20 }).toBe(1);
    expect(webA.openStreams(personId)).toBe(0);
    jpeg = await makeJpeg(page);

    for (const step of REGISTRATION_SCRIPT) await postToA(step === "/start" ? texts["web.start_text"]! : step);

    // A wrote the registration number; the page on B shows it without a reload, on its one stream.
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector("#list")?.textContent ?? ""), REG_NUMBER.source, { timeout: 20_000 });
    reg = REG_NUMBER.exec(await shownOnB())![0];
    expect(streams.every((u) => u.startsWith(b.url))).toBe(true);
    expect(streams).toHaveLength(1);
    expect(await shownOnB()).toContain("ktp-ayu.jpg");
    expect(webA.openStreams(personId)).toBe(0);

    const kase = await a.database.db.consultationCase.findUniqueOrThrow({ where: { regNumber: reg } });
    caseId = kase.id;
    expect(kase.channel).toBe("web");
  }, 180_000);

  it("keeps files and history in the database, on neither instance's disk", async () => {
    const db = b.database.db;
    const ktp = await db.document.findFirstOrThrow({ where: { type: "ktp" } });
    const row = await db.storedBlob.findUniqueOrThrow({ where: { storageKey: ktp.storageKey } });
    // Sealed as on disk: the JPEG's bytes are not in the row.
    expect(Buffer.from(row.sealed).includes(jpeg.subarray(0, 64))).toBe(false);
    expect(await b.files.get(ktp.storageKey)).toEqual(jpeg);
    expect(await db.webChatEntry.count({ where: { personId } })).toBeGreaterThan(REGISTRATION_SCRIPT.length);
    const entries = await db.webChatEntry.findMany({ where: { personId } });
    // What the person typed is not there in clear (a needle long enough not to turn up in ciphertext
    // by chance: "Ayu" alone did, once, in base64).
    for (const typed of ["Ni Made Ayu Lestari", "5104015208850003", "Jl. Raya Ubud No. 5"]) expect(entries.some((e) => e.sealed.includes(typed)), typed).toBe(false);
    for (const d of [dirs.a, dirs.b]) {
      expect(fs.existsSync(path.join(d, "files"))).toBe(false);
      expect(fs.existsSync(path.join(d, "webchat"))).toBe(false);
    }
  });

  it("reads the web chat history from B", async () => {
    const res = await fetch(`${b.url}/chat/api/history`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const h = (await res.json()) as { entries: Array<{ role: string; kind: string; text?: string; fileName?: string; seq: number }>; lastSeq: number };
    expect(h.entries.some((e) => e.role === "client" && e.kind === "file" && e.fileName === "ktp-ayu.jpg")).toBe(true);
    expect(h.entries.some((e) => e.role === "assistant" && (e.text ?? "").includes(reg))).toBe(true);
    expect(h.entries.map((e) => e.seq)).toEqual(h.entries.map((_, i) => h.entries[0]!.seq + i));
  });

  it("lets the staff open the photo in B's dashboard and read a PDF generated on A", async () => {
    await staff(tg.callbackFrom(ADMIN, `c:${caseId}:route:pembiayaan`));
    await staff(tg.callbackFrom(CONSULTANT, `c:${caseId}:accept`));
    await staff(tg.textFrom(ADMIN, "dashboard"));
    const token = /\/staff\/login\/(\S+)/.exec(tg.sentTo(ADMIN).map((m) => m.text ?? "").join("\n"))?.[1];
    expect(token).toBeDefined();
    // The login link was made on A; B signs in with it (the same database and session secret).
    const login = await b.app.inject({
      method: "POST",
      url: "/staff/login",
      payload: new URLSearchParams({ token: token! }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" },
    });
    expect(login.statusCode).toBe(303);
    const staffCookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const ktp = await b.database.db.document.findFirstOrThrow({ where: { type: "ktp" } });
    const view = await fetch(`${b.url}/staff/documents/${ktp.id}`, { headers: { cookie: staffCookie } });
    expect(view.status).toBe(200);
    expect(view.headers.get("content-type")).toContain("image/jpeg");
    expect(Buffer.from(await view.arrayBuffer())).toEqual(jpeg);

    // The consultant asks A for the case's control card: a PDF rendered and stored by A.
    await staff(tg.callbackFrom(CONSULTANT, `c:${caseId}:card`));
    const keys = await b.database.db.storedBlob.findMany({ where: { storageKey: { startsWith: "reports/" } }, select: { storageKey: true } });
    expect(keys.length).toBeGreaterThan(0);
    const pdfs = await Promise.all(keys.map(async (k) => readPdfText(await b.files.get(k.storageKey))));
    expect(pdfs.some((p) => p.flat.includes(reg))).toBe(true);
  });

  it("brings a consultant's message from Telegram on A to the browser on B, and its PDF download too", async () => {
    await staff(tg.textFrom(CONSULTANT, `buka ${reg}`));
    await staff(tg.textFrom(CONSULTANT, "Bu Ayu, besok jam 10 bisa ke kantor?"));
    await page.waitForFunction(() => (document.querySelector("#list")?.textContent ?? "").includes("besok jam 10"), undefined, { timeout: 20_000 });

    // A PDF the consultant sends goes out from A (the open case's client); the browser downloads it from B,
    // which never had it in memory: B reads it from the database.
    const pdf = Buffer.from("%PDF-1.4\nCONTOH-LABA-RUGI\n%%EOF");
    await staff(tg.documentFrom(CONSULTANT, pdf, { fileName: "contoh-laba-rugi.pdf", mimeType: "application/pdf", caption: "Contoh laporan" }));
    await page.waitForFunction(() => (document.querySelector("#list")?.textContent ?? "").includes("contoh-laba-rugi.pdf"), undefined, { timeout: 20_000 });
    const res = await fetch(`${b.url}/chat/api/history`, { headers: { cookie } });
    const h = (await res.json()) as { entries: Array<{ id: string; kind: string; fileName?: string }> };
    const doc = h.entries.find((e) => e.kind === "document" && e.fileName === "contoh-laba-rugi.pdf")!;
    const download = await fetch(`${b.url}/chat/api/files/${doc.id}`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf);
    expect(streams).toHaveLength(1);
  });
});
