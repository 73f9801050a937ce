/**
 * End to end: the whole service (flows, inbox, outbox, the web chat channel) started as `npm start`
 * starts it with no Telegram or WhatsApp configured, and a real headless Chromium (Debian's
 * package, driven by playwright-core) that opens /chat and completes a client registration with
 * a KTP photo through the page: it reads each question the assistant asks and answers it by
 * typing or tapping a button, as a person would. Then the registration number reply, the
 * database rows and a reload of the page are checked.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { startService } from "../../src/service.js";
import { loadConversations } from "../../src/flows/load.js";
import { createEmptyDatabase } from "../support/db.js";
import Fastify, { type FastifyInstance } from "fastify";
import { createMemoryHistoryStore, createWebChannel, webChatPlugin, type WebChannel } from "../../src/channels/web/index.js";
import type { Inbound, Outbound } from "../../src/messaging/model.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const REG_NUMBER = /PLUT-[A-Z]{2,6}-\d{4}-\d{6}/;

// ------------------------------------------------------------------ what the person answers

const texts = loadConversations("conversations").texts.id;
const text = (key: string): string => {
  const t = texts[key];
  if (t === undefined) throw new Error(`no text ${key}`);
  return t;
};
/** The part of a text that identifies it in a message: up to its first placeholder, first line. */
const probe = (key: string): string => text(key).split("{")[0]!.split("\n")[0]!.trim().slice(0, 60);

type Action =
  | { do: "type"; value: string }
  /** Tap the button with this label; type the label when the question has no such button. */
  | { do: "choose"; label: string }
  | { do: "skip" }
  | { do: "upload" }
  | { do: "fail"; why: string };

const type = (value: string): Action => ({ do: "type", value });
const choose = (labelKey: string): Action => ({ do: "choose", label: text(labelKey) });

/** Checked against the newest assistant message first; in each message, in this order. */
const RULES: [string, Action][] = [
  ["engine.retry", { do: "fail", why: "an answer was not taken" }],
  ["engine.expect_media", { do: "fail", why: "the photo was not taken" }],
  ["engine.stale_button", { do: "fail", why: "a stale button was tapped" }],
  ["engine.multi.selected", choose("engine.multi.done")],
  ["engine.menu.guest", choose("menu.register")],
  ["consent.text", choose("consent.agree")],
  ["registration.full_name.prompt", type("Ni Made Sari Dewi")],
  ["registration.sex.prompt", choose("opt.sex.p")],
  ["registration.birth_date.prompt", type("17-08-1985")],
  // Kecamatan Ubud (510405), a woman (day + 40) born 17-08-1985.
  ["registration.nik.prompt", type("5104055708850001")],
  ["registration.phone.prompt", type("081234567890")],
  ["registration.address.prompt", type("Jl. Raya Ubud No. 10, Banjar Kaja")],
  ["registration.kecamatan.prompt", { do: "choose", label: "Ubud" }],
  ["registration.desa.prompt", { do: "choose", label: "Peliatan" }],
  ["registration.email.prompt", type("made.sari@example.com")],
  ["registration.plut_member.prompt", { do: "skip" }],
  ["registration.business_name.prompt", type("Warung Bu Made")],
  ["registration.sector_other.prompt", type("Kuliner")],
  ["registration.sector.prompt", choose("opt.sector.kuliner")],
  ["registration.legal_form.prompt", choose("opt.legal.perorangan")],
  ["registration.products.prompt", type("Keripik pisang dan kopi bubuk")],
  ["registration.has_nib.prompt", choose("q.yesno.no")],
  ["registration.year_started.prompt", type("2018")],
  ["registration.workers.prompt", type("3")],
  ["registration.turnover.prompt", choose("opt.turnover.r5_25jt")],
  ["registration.marketing.prompt", choose("opt.marketing.whatsapp")],
  ["registration.location.prompt", { do: "skip" }],
  ["registration.identity_type.prompt", choose("opt.doc.ktp")],
  ["registration.identity_doc.prompt", { do: "upload" }],
  ["registration.supporting_type.prompt", { do: "skip" }],
  ["assessment.problem.prompt", type("Penjualan keripik turun sejak ada pesaing baru di Ubud; saya ingin belajar jualan online.")],
  ["assessment.problem_areas.prompt", choose("opt.area.pemasaran")],
  ["assessment.needs_capital.prompt", choose("q.yesno.no")],
  ["assessment.bookkeeping.prompt", choose("opt.books.sebagian")],
  ["assessment.licences.prompt", choose("opt.licence.none")],
  ["assessment.channels_wanted.prompt", choose("opt.channel.medsos")],
  ["assessment.digital_use.prompt", choose("opt.digital.wa_bisnis")],
  ["assessment.services_wanted.prompt", choose("opt.service.konsultasi")],
  ["assessment.preferred_mode.prompt", choose("opt.mode.kantor")],
  ["assessment.preferred_time.prompt", choose("opt.time.bebas")],
  ["registration.summary.title", choose("engine.button.submit")],
];
const PROBES: [string, Action][] = RULES.map(([key, action]) => [probe(key), action]);

// ------------------------------------------------------------------ reading and using the page

interface Shown {
  seq: number | null;
  role: "assistant" | "client";
  pending: boolean;
  text: string;
  buttons: { label: string; disabled: boolean }[];
}

/** The conversation as the page shows it (bubble text without the screen-reader prefix and time). */
function readPage(page: Page): Promise<Shown[]> {
  return page.$$eval("#list > li.msg", (items) =>
    items.map((li) => {
      const bubble = li.querySelector(".bubble")!.cloneNode(true) as HTMLElement;
      bubble.querySelectorAll(".sr-only, .meta").forEach((n) => n.remove());
      const el = li as HTMLElement;
      return {
        seq: el.dataset.seq ? Number(el.dataset.seq) : null,
        role: el.classList.contains("assistant") ? ("assistant" as const) : ("client" as const),
        pending: el.classList.contains("pending"),
        text: (bubble.textContent ?? "").trim(),
        buttons: [...li.querySelectorAll("button.choice")].map((b) => ({ label: (b.textContent ?? "").trim(), disabled: (b as HTMLButtonElement).disabled })),
      };
    }),
  );
}

/** Waits until the assistant said something after `afterSeq` and then nothing more for a moment. */
async function settle(page: Page, afterSeq: number, quietMs = 600, timeoutMs = 20_000): Promise<Shown[]> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  let since = Date.now();
  for (;;) {
    const shown = await readPage(page);
    const sig = JSON.stringify(shown);
    if (sig !== last) {
      last = sig;
      since = Date.now();
    }
    const answered = shown.some((m) => m.role === "assistant" && (m.seq ?? 0) > afterSeq);
    if (answered && !shown.some((m) => m.pending) && Date.now() - since >= quietMs) return shown;
    if (Date.now() > deadline) throw new Error(`the assistant did not answer after seq ${afterSeq}:\n${transcript(shown)}`);
    await page.waitForTimeout(100);
  }
}

function transcript(shown: Shown[]): string {
  return shown
    .map((m) => `${m.role === "client" ? "  >" : "<"} ${m.text.replace(/\s+/g, " ").slice(0, 160)}${m.buttons.length ? ` [${m.buttons.map((b) => b.label).join(" | ")}]` : ""}`)
    .join("\n");
}

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
    g.fillText("NIK 5104055708850001", 20, 80);
    return c.toDataURL("image/jpeg", 0.8);
  });
  return Buffer.from(dataUrl.split(",")[1]!, "base64");
}

// ------------------------------------------------------------------ the test

describe("web chat in a real browser", () => {
  let service: Awaited<ReturnType<typeof startService>>;
  let context: BrowserContext;
  let dropDb: () => Promise<void>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-e2e-web-"));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-e2e-chromium-"));

  beforeAll(async () => {
    const db = await createEmptyDatabase();
    dropDb = db.drop;
    const config = loadConfig(
      {
        NODE_ENV: "test",
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: "silent",
        CONVERSATIONS_DIR: "conversations",
      },
      "/nonexistent",
    );
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.WHATSAPP_ENABLED).toBe(false);
    service = await startService(config, createLogger({ level: "silent" }));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 390, height: 844 },
      locale: "id-ID",
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await service?.stop();
    await dropDb?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it("completes a registration with a KTP photo through /chat", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });

    const res = await page.goto(`${service.url}/chat`);
    expect(res?.status(), "GET /chat of the started service").toBe(200);
    await expect(page.title()).resolves.toBe(text("web.page_title"));
    await page.getByRole("button", { name: text("web.start_button") }).click();

    let handledSeq = 0;
    let uploaded = 0;
    let shown: Shown[] = [];
    for (let step = 0; ; step++) {
      if (step > 80) throw new Error(`no registration number after 80 answers:\n${transcript(shown)}`);
      shown = await settle(page, handledSeq);
      const fresh = shown.filter((m) => m.role === "assistant" && (m.seq ?? 0) > handledSeq);
      handledSeq = Math.max(...shown.map((m) => m.seq ?? 0));
      if (fresh.some((m) => REG_NUMBER.test(m.text))) break;

      let action: Action | undefined;
      let from: Shown | undefined;
      for (const m of [...fresh].reverse()) {
        const hit = PROBES.find(([p]) => m.text.includes(p));
        if (hit) {
          action = hit[1];
          from = m;
          break;
        }
      }
      const withButtons = [...fresh].reverse().find((m) => m.buttons.some((b) => !b.disabled));
      if (!action) {
        // A message we do not know (a confirmation, a note): wait for more unless it asks something.
        if (!withButtons) continue;
        action = { do: "choose", label: withButtons.buttons.find((b) => !b.disabled)!.label };
        from = withButtons;
      }
      if (action.do === "fail") throw new Error(`${action.why}:\n${transcript(shown)}`);

      const target = page.locator(`#list > li.msg.assistant[data-seq="${(from ?? withButtons)?.seq}"]`);
      switch (action.do) {
        case "type":
          await page.getByLabel(text("web.input_label")).fill(action.value);
          await page.getByLabel(text("web.input_label")).press("Enter");
          break;
        case "choose": {
          const label = action.label;
          const button = target.locator("button.choice:not([disabled])").filter({ hasText: label });
          if ((await button.count()) > 0) await button.first().click();
          else {
            await page.getByLabel(text("web.input_label")).fill(label);
            await page.getByLabel(text("web.input_label")).press("Enter");
          }
          break;
        }
        case "skip": {
          const button = target.locator("button.choice:not([disabled])").filter({ hasText: text("engine.button.skip") });
          if ((await button.count()) > 0) await button.first().click();
          else {
            await page.getByLabel(text("web.input_label")).fill("lewati");
            await page.getByLabel(text("web.input_label")).press("Enter");
          }
          break;
        }
        case "upload": {
          const jpeg = await makeJpeg(page);
          uploaded = jpeg.length;
          await page.locator("#file").setInputFiles({ name: "ktp-made.jpg", mimeType: "image/jpeg", buffer: jpeg });
          break;
        }
      }
    }

    // The registration number reached the page ...
    const all = transcript(shown);
    const regNumber = REG_NUMBER.exec(shown.map((m) => m.text).join("\n"))![0];
    expect(all).toContain(text("registration.done").split("\n")[0]!.slice(0, 40));
    expect(uploaded).toBeGreaterThan(0);
    expect(shown.some((m) => m.role === "client" && m.text.includes("ktp-made.jpg"))).toBe(true);

    // ... and the database holds the registration, for this browser's person.
    const cookie = (await context.cookies()).find((c) => c.name === "plut_web")!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    const personId = decodeURIComponent(cookie.value).split(".")[0]!;
    const db = service.database.db;
    const identity = await db.identity.findUniqueOrThrow({ where: { channel_address: { channel: "web", address: personId } } });
    expect(identity.clientId).not.toBeNull();
    const client = await db.client.findUniqueOrThrow({ where: { id: identity.clientId! } });
    expect(client.fullName).toBe("Ni Made Sari Dewi");
    expect(client.nikLast4).toBe("0001");
    expect(client.nikCipher ?? "").not.toContain("5104055708850001");
    const kase = await db.consultationCase.findUniqueOrThrow({ where: { regNumber } });
    expect(kase.clientId).toBe(client.id);
    expect(kase.channel).toBe("web");
    const docs = await db.document.findMany({ where: { clientId: client.id } });
    const ktp = docs.find((d) => d.type === "ktp");
    expect(ktp).toMatchObject({ mimeType: "image/jpeg", size: uploaded, encrypted: true });
    // As stored (sealed): under DATA_DIR on SQLite, in the database on PostgreSQL.
    const stored = await service.files.sealed(ktp!.storageKey);
    expect(stored.length).toBeGreaterThan(uploaded);
    expect(await db.consent.count({ where: { identityId: identity.id } })).toBe(1);

    // Reloading the page keeps the conversation.
    await page.reload();
    const again = await settle(page, 0, 300);
    expect(again.length).toBeGreaterThanOrEqual(shown.length);
    expect(again.map((m) => m.text).join("\n"), transcript(again)).toContain(regNumber);
    expect(again.every((m) => !m.pending)).toBe(true);

    expect(problems).toEqual([]);
  }, 240_000);
});

// ------------------------------------------------------------------ the page itself, with a scripted assistant

/**
 * The page's own behaviour in the same browser, without the flow engine: a scripted assistant
 * answers through the channel (as the outbox would, after the handler resolved).
 */
describe("the web chat page in a real browser", () => {
  let app: FastifyInstance;
  let channel: WebChannel;
  let url: string;
  let context: BrowserContext;
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-page-chromium-"));
  const received: Inbound[] = [];
  const report = Buffer.from("%PDF-1.4\nrencana aksi\n%%EOF\n");
  const shots = process.env.WEB_CHAT_SCREENSHOTS;

  const reply = (to: string, msg: Outbound): void => {
    setTimeout(() => void channel.send(to, msg, async () => report), 20);
  };

  beforeAll(async () => {
    channel = createWebChannel({ maxUploadBytes: 1024 * 1024, logger: createLogger({ level: "silent" }), historyStore: createMemoryHistoryStore() });
    await channel.start(async (m) => {
      received.push(m);
      const to = m.from.id;
      const b = m.body;
      if (b.type === "text" && /^tautan$/i.test(b.text)) {
        reply(to, { type: "text", text: "Tautan masuk dasbor:\nhttp://127.0.0.1:3000/staff/login/Ab_c-1.\n<b>Jangan</b> bagikan." });
      } else if (b.type === "text" && /^halo$/i.test(b.text)) {
        reply(to, { type: "text", text: "Halo, selamat datang di UPT PLUT-KUMKM Gianyar 🙏\nSilakan pilih:", choices: [{ id: "menu:register", label: "Daftar konsultasi" }, { id: "menu:status", label: "Cek status" }] });
      } else if (b.type === "choice") {
        reply(to, { type: "text", text: `Pilihan diterima: ${b.choiceId}` });
        reply(to, { type: "document", fileName: "Rencana Aksi.pdf", mimeType: "application/pdf", storageKey: "reports/x", caption: "Rencana aksi Anda" });
      } else if (b.type === "media") {
        reply(to, { type: "text", text: `Foto diterima (${b.media.bytes.length} byte).` });
      } else if (b.type === "rejected_media") {
        reply(to, { type: "text", text: `File ditolak: ${b.reason}` });
      } else if (b.type === "text") {
        reply(to, { type: "text", text: `Anda menulis: ${b.text}` });
      }
    });
    app = Fastify({ logger: false, forceCloseConnections: true });
    await app.register(webChatPlugin(channel, { cookieSecret: "page-test-cookie-secret-0123456789", secure: false }));
    url = await app.listen({ host: "127.0.0.1", port: 0 });
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 360, height: 740 },
      locale: "id-ID",
      acceptDownloads: true,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await channel?.stop();
    await app?.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it("shows a link in the assistant's text as a link, and nothing else as HTML", async () => {
    const page = await context.newPage();
    await page.goto(`${url}/chat`);
    await page.getByLabel(text("web.input_label")).fill("tautan");
    await page.getByRole("button", { name: text("web.send") }).click();
    const link = page.getByRole("link", { name: "http://127.0.0.1:3000/staff/login/Ab_c-1" });
    await link.waitFor();
    await expect(link.getAttribute("href")).resolves.toBe("http://127.0.0.1:3000/staff/login/Ab_c-1");
    await expect(page.getByText("<b>Jangan</b> bagikan.").isVisible()).resolves.toBe(true);
    await page.close();
    // The next test starts as a new person with an empty conversation, counting its own messages.
    await context.clearCookies();
    received.splice(0);
  });

  it("talks, offers buttons, uploads, refuses bad files, downloads, survives a reload and going offline", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // A style or script the page's CSP refused is reported on the console (the refused files' 4xx are too, and are expected).
    page.on("console", (m) => {
      if (m.type() === "error" && m.text().includes("Content Security Policy")) problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${url}/chat`);
    const input = page.getByLabel(text("web.input_label"));
    const log = page.getByRole("log", { name: text("web.log_label") });
    await expect(log.isVisible()).resolves.toBe(true);
    await expect(page.getByText(text("web.empty")).isVisible()).resolves.toBe(true);

    // Typing and sending; the assistant's choices as buttons.
    await input.fill("Halo");
    await page.getByRole("button", { name: text("web.send") }).click();
    const menu = page.getByRole("group", { name: text("web.choices_label") });
    await menu.waitFor();
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await menu.getByRole("button", { name: "Cek status" }).click();
    await page.getByText("Pilihan diterima: menu:status").waitFor();
    // Used choices are disabled, the tapped one marked.
    await expect(menu.getByRole("button", { name: "Daftar konsultasi" }).isDisabled()).resolves.toBe(true);
    await expect(menu.getByRole("button", { name: "Cek status" }).getAttribute("aria-pressed")).resolves.toBe("true");

    // A document arrives as a download link that gives its bytes.
    const link = page.getByRole("link", { name: text("web.download").replace("{name}", "Rencana Aksi.pdf") });
    await link.waitFor();
    await expect(page.getByText("Rencana aksi Anda").isVisible()).resolves.toBe(true);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("Rencana Aksi.pdf");
    expect(fs.readFileSync((await download.path())!).equals(report)).toBe(true);

    // A photo is uploaded; a file of the wrong type is refused with the server's explanation.
    const jpeg = await makeJpeg(page);
    await page.locator("#file").setInputFiles({ name: "ktp.jpg", mimeType: "image/jpeg", buffer: jpeg });
    await page.getByText(`Foto diterima (${jpeg.length} byte).`).waitFor();
    await page.locator("#file").setInputFiles({ name: "laporan.pdf", mimeType: "application/pdf", buffer: Buffer.from("bukan pdf sama sekali") });
    const status = page.getByRole("alert");
    await status.getByText(text("web.upload.wrong_type").replace("{limitMb}", "1")).waitFor();
    await page.getByText("File ditolak: wrong_type").waitFor();
    // Too large: refused in the page before any upload, with the limit.
    await page.locator("#file").setInputFiles({ name: "besar.jpg", mimeType: "image/jpeg", buffer: Buffer.concat([jpeg, Buffer.alloc(1024 * 1024)]) });
    await status.getByText(text("web.upload.too_large").replace("{limitMb}", "1")).waitFor();

    // 360 px wide: nothing scrolls sideways.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    if (shots) {
      await page.screenshot({ path: path.join(shots, "page-360.png") });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(shots, "page-390x844.png") });
      await page.setViewportSize({ width: 360, height: 740 });
    }

    // Offline: a notice, and what is typed meanwhile goes out once back online.
    await context.setOffline(true);
    await page.getByText(text("web.offline")).waitFor();
    await input.fill("pesan saat offline");
    await input.press("Enter");
    await page.waitForTimeout(500);
    expect(received.some((m) => m.body.type === "text" && m.body.text === "pesan saat offline")).toBe(false);
    await context.setOffline(false);
    await page.getByText("Anda menulis: pesan saat offline").waitFor({ timeout: 20_000 });
    await page.getByText(text("web.offline")).waitFor({ state: "hidden", timeout: 20_000 });

    // A reload shows the same conversation, answered buttons still disabled.
    const before = await readPage(page);
    await page.reload();
    await page.getByText("Anda menulis: pesan saat offline").waitFor();
    const after = await readPage(page);
    expect(after.map((m) => [m.role, m.text])).toEqual(before.map((m) => [m.role, m.text]));
    await expect(page.getByRole("button", { name: "Daftar konsultasi" }).isDisabled()).resolves.toBe(true);

    // Keyboard order: attach, text box, send.
    await page.getByRole("button", { name: text("web.attach") }).focus();
    await page.keyboard.press("Tab");
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: text("web.send") }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    // One person throughout, and each message reached the assistant once.
    expect(new Set(received.map((m) => m.from.id)).size).toBe(1);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(received.length);
    expect(problems).toEqual([]);
  }, 120_000);
});
