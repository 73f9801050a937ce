/**
 * The Telegram channel against a fake Bot API server: real grammY over real HTTP on loopback.
 * Runs the shared channel contract in polling and in webhook mode, then Telegram specifics.
 */
import { afterEach, describe, expect, it } from "vitest";
import Fastify, { type FastifyInstance } from "fastify";
import { pino } from "pino";
import { channelContract, type ChannelHarness, type DeliveredMessage, type SendFailureKind, noFiles, sendError } from "./contract.js";
import { FakeTelegramServer, type InjectedFailure, type SentMessage, type TgUpdate } from "../support/fake-telegram-server.js";
import { createTelegramChannel, telegramWebhookPlugin, type TelegramChannel, type TelegramLogger } from "../../src/channels/telegram/index.js";
import { ChannelSendError, type Inbound } from "../../src/messaging/model.js";

const A = 5_550_001;
const B = 5_550_002;
const MB = 1024 * 1024;
const WEBHOOK_PATH = "/telegram/webhook";
const SECRET = "s3cret-Webhook_token";

// ------------------------------------------------------------------ helpers

interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg?: string;
}

function captureLogger() {
  const lines: LogLine[] = [];
  const listeners = new Set<() => void>();
  const at =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
      for (const l of [...listeners]) l();
    };
  const logger: TelegramLogger = { info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug") };
  /** Resolves once a line at `level` was logged. */
  const waitForLevel = (level: string, ms = 5_000): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = lines.find((l) => l.level === level);
        if (line === undefined) return;
        clearTimeout(t);
        listeners.delete(check);
        resolve(line);
      };
      const t = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for a ${level} log line`));
      }, ms);
      listeners.add(check);
      check();
    });
  return { logger, lines, waitForLevel, dump: () => JSON.stringify(lines) };
}

function toDelivered(s: SentMessage): DeliveredMessage {
  if (s.method === "sendDocument") {
    return { kind: "document", fileName: s.document!.fileName, bytes: s.document!.bytes, ...(s.caption !== undefined ? { caption: s.caption } : {}) };
  }
  const markup = s.reply_markup as
    | { inline_keyboard?: { text: string; callback_data?: string }[][]; keyboard?: { text: string; request_contact?: boolean }[][] }
    | undefined;
  const buttons = markup?.inline_keyboard?.flat().map((b) => ({ label: b.text, ...(b.callback_data !== undefined ? { id: b.callback_data } : {}) }));
  const requestsContact = markup?.keyboard?.flat().some((b) => b.request_contact === true) ?? false;
  return { kind: "text", text: s.text ?? "", ...(buttons ? { buttons } : {}), ...(requestsContact ? { requestsContact } : {}) };
}

function failureFor(kind: SendFailureKind): InjectedFailure {
  switch (kind) {
    case "rate_limited":
      return { error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } };
    case "retry":
      return { error_code: 500, description: "Internal Server Error" };
    case "permanent":
      return { error_code: 403, description: "Forbidden: bot was blocked by the user" };
  }
}

function injectors(server: FakeTelegramServer, deliver: (u: TgUpdate) => Promise<void>): ChannelHarness<TgUpdate>["inject"] {
  const push = async (u: TgUpdate): Promise<TgUpdate> => {
    await deliver(u);
    return u;
  };
  return {
    text: (p, text) => push(server.textFrom(Number(p), text)),
    choice: (p, id) => push(server.callbackFrom(Number(p), id)),
    photo: (p, bytes) => push(server.photoFrom(Number(p), bytes)),
    document: (p, bytes, fileName, mimeType) => push(server.documentFrom(Number(p), bytes, { fileName, mimeType })),
    contact: (p, phone) => push(server.contactFrom(Number(p), phone)),
    oversizedFile: (p) =>
      push(server.documentFrom(Number(p), Buffer.from("tiny stand-in"), { fileName: "video-usaha.mp4", mimeType: "video/mp4", claimedSize: 25 * MB })),
    duplicate: async (u) => {
      // In polling mode Telegram sends an update again only after it was confirmed or lost (a crash);
      // the channel skips copies of an update it is still handling, so re-send once it is done.
      if (server.getUpdatesCalls.length > 0) {
        await server.waitFor(() => server.getUpdatesCalls.some((c) => typeof c.offset === "number" && c.offset > u.update_id), "the update confirmed");
      }
      await deliver(u);
    },
  };
}

function harnessParts(server: FakeTelegramServer) {
  return {
    personA: String(A),
    personB: String(B),
    sentTo: (p: string) => server.sentTo(p).map(toDelivered),
    failNextSend: (kind: SendFailureKind, opts?: { after?: number }) => server.failNext(["sendMessage", "sendDocument"], failureFor(kind), opts),
    downloads: () => server.downloads.length,
  };
}

async function pollingHarness(): Promise<ChannelHarness<TgUpdate>> {
  const server = await FakeTelegramServer.start();
  const { logger } = captureLogger();
  // Short waits between tries of a failing update: the contract checks that later messages go on after a handler fails for good.
  const channel = createTelegramChannel({ token: server.token, apiRoot: server.apiRoot, mode: "polling", logger, pollTimeoutSeconds: 1, handleRetryMs: [50, 50] });
  return {
    channel,
    ...harnessParts(server),
    inject: injectors(server, async (u) => {
      server.pushUpdate(u);
    }),
    close: async () => {
      await channel.stop();
      await server.close();
    },
  };
}

function webhookChannel(server: FakeTelegramServer, logger: TelegramLogger): TelegramChannel {
  return createTelegramChannel({
    token: server.token,
    apiRoot: server.apiRoot,
    mode: "webhook",
    logger,
    webhook: { url: `https://plut.example.test${WEBHOOK_PATH}`, secretToken: SECRET },
  });
}

/** Posts an update to the webhook route; `secret: null` sends no secret header. */
function postUpdate(app: FastifyInstance, body: unknown, secret: string | null = SECRET) {
  return app.inject({
    method: "POST",
    url: WEBHOOK_PATH,
    headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/**
 * Webhook mode driven like Telegram drives it: one request per update, a person's next update
 * only after the previous one was answered, different people concurrently.
 */
async function webhookHarness(): Promise<ChannelHarness<TgUpdate>> {
  const server = await FakeTelegramServer.start();
  const { logger } = captureLogger();
  const channel = webhookChannel(server, logger);
  const app = Fastify({ logger: false });
  await app.register(telegramWebhookPlugin(channel, { path: WEBHOOK_PATH, secretToken: SECRET }));
  await app.ready();
  const chains = new Map<string, Promise<unknown>>();
  const deliver = async (u: TgUpdate): Promise<void> => {
    const chat = String((u.message as { chat: { id: number } } | undefined)?.chat.id ?? (u.callback_query as { from: { id: number } }).from.id);
    const prev = chains.get(chat) ?? Promise.resolve();
    chains.set(
      chat,
      prev.then(() => postUpdate(app, u)),
    );
  };
  return {
    channel,
    ...harnessParts(server),
    inject: injectors(server, deliver),
    close: async () => {
      await Promise.allSettled([...chains.values()]);
      await channel.stop();
      await app.close();
      await server.close();
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Collects inbound messages; `waitFor` resolves on the condition, no fixed sleeps. */
function recorder(hold: (m: Inbound) => Promise<void> = async () => {}) {
  const got: Inbound[] = [];
  const listeners = new Set<() => void>();
  const state = { hold };
  const handler = async (m: Inbound): Promise<void> => {
    got.push(m);
    for (const l of [...listeners]) l();
    await state.hold(m);
  };
  const waitFor = (cond: () => boolean, what: string, ms = 5_000): Promise<void> =>
    cond()
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const check = (): void => {
            if (cond()) {
              clearTimeout(t);
              listeners.delete(check);
              resolve();
            }
          };
          const t = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`timed out waiting for ${what}`));
          }, ms);
          listeners.add(check);
        });
  return { got, handler, state, waitFor, count: (n: number) => waitFor(() => got.length >= n, `${n} inbound`) };
}


// ------------------------------------------------------------------ the contract, twice

channelContract("telegram (long polling)", pollingHarness);
channelContract("telegram (webhook)", webhookHarness);

// ------------------------------------------------------------------ Telegram specifics

describe("telegram channel", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function polling(opts: { maxFileBytes?: number; busyPollMs?: number; handleRetryMs?: number[]; hold?: (m: Inbound) => Promise<void> } = {}) {
    const server = await FakeTelegramServer.start();
    const log = captureLogger();
    const channel = createTelegramChannel({
      token: server.token,
      apiRoot: server.apiRoot,
      mode: "polling",
      logger: log.logger,
      pollTimeoutSeconds: 1,
      ...(opts.maxFileBytes !== undefined ? { maxFileBytes: opts.maxFileBytes } : {}),
      ...(opts.busyPollMs !== undefined ? { busyPollMs: opts.busyPollMs } : {}),
      ...(opts.handleRetryMs !== undefined ? { handleRetryMs: opts.handleRetryMs } : {}),
    });
    const rec = recorder(opts.hold);
    cleanups.push(async () => {
      rec.state.hold = async () => {};
      await channel.stop();
      await server.close();
    });
    await channel.start(rec.handler);
    return { server, channel, rec, log };
  }

  describe("long polling", () => {
    it("removes any webhook without dropping updates and asks only for messages and button taps", async () => {
      const { server, rec } = await polling();
      server.pushUpdate(server.textFrom(A, "halo"));
      await rec.count(1);
      expect(server.deleteWebhookCalls).toEqual([{ drop_pending_updates: false }]);
      expect(server.getUpdatesCalls[0]).toMatchObject({ allowed_updates: ["message", "callback_query"], timeout: 1 });
    });

    it("starts even when a webhook was left registered", async () => {
      const server = await FakeTelegramServer.start();
      const channel = createTelegramChannel({ token: server.token, apiRoot: server.apiRoot, mode: "polling", logger: pino({ level: "silent" }) });
      cleanups.push(async () => {
        await channel.stop();
        await server.close();
      });
      server.webhook = { url: "https://old.example.test/hook" };
      const rec = recorder();
      await channel.start(rec.handler);
      server.pushUpdate(server.textFrom(A, "halo"));
      await rec.count(1);
      expect(server.webhook).toBeUndefined();
    });

    it("keeps each chat in order while chats run in parallel", async () => {
      let active = 0;
      let maxActive = 0;
      const perChatActive = new Map<string, number>();
      let overlapWithinChat = false;
      const { server, rec } = await polling({
        hold: async (m) => {
          active++;
          maxActive = Math.max(maxActive, active);
          const n = (perChatActive.get(m.from.id) ?? 0) + 1;
          perChatActive.set(m.from.id, n);
          if (n > 1) overlapWithinChat = true;
          const turns = Number((m.body as { text: string }).text.split("-")[1]) % 4;
          for (let i = 0; i < turns * 3 + 1; i++) await new Promise((r) => setImmediate(r));
          perChatActive.set(m.from.id, n - 1);
          active--;
        },
      });
      const chats = [A, B, 5_550_003];
      for (let i = 0; i < 10; i++) for (const c of chats) server.pushUpdate(server.textFrom(c, `${c}-${i}`));
      await rec.count(30);
      await server.waitForQueueDrained();
      for (const c of chats) {
        const texts = rec.got.filter((m) => m.from.id === String(c)).map((m) => (m.body as { text: string }).text);
        expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `${c}-${i}`));
      }
      expect(overlapWithinChat).toBe(false);
      expect(maxActive).toBeGreaterThan(1);
    });

    it("waits in stop() for handlers still running", async () => {
      const gate = deferred();
      const { server, channel, rec } = await polling({ hold: () => gate.promise });
      server.pushUpdate(server.textFrom(A, "lama"));
      await rec.count(1);
      let stopped = false;
      const stopping = channel.stop().then(() => {
        stopped = true;
      });
      await new Promise((r) => setImmediate(r));
      expect(stopped).toBe(false);
      gate.resolve();
      await stopping;
      expect(stopped).toBe(true);
    });

    it("tries a failing update again in its chat's order, logging without message contents, while other chats go on", async () => {
      let failures = 0;
      const { server, rec, log } = await polling({
        hold: async (m) => {
          if (m.body.type === "text" && m.body.text.startsWith("rahasia") && failures++ < 2) throw new Error(`cannot store ${m.body.text} from +62 812-3456-7890`);
        },
      });
      server.pushUpdate(server.textFrom(A, "rahasia pribadi saya"));
      server.pushUpdate(server.textFrom(A, "pesan berikutnya"));
      server.pushUpdate(server.textFrom(B, "chat lain"));
      await rec.count(5);
      const texts = (chat: number) => rec.got.filter((m) => m.from.id === String(chat)).map((m) => (m.body as { text: string }).text);
      // Tried three times (two failures), and only then the chat's next update.
      expect(texts(A)).toEqual(["rahasia pribadi saya", "rahasia pribadi saya", "rahasia pribadi saya", "pesan berikutnya"]);
      expect(texts(B)).toEqual(["chat lain"]);
      // The other chat did not wait for the retries.
      expect(rec.got.findIndex((m) => m.from.id === String(B))).toBeLessThan(3);
      const warn = await log.waitForLevel("warn");
      expect(warn.obj.updateId).toBe(Number(rec.got[0]!.messageId));
      expect(log.dump()).not.toContain("rahasia");
      expect(log.dump()).not.toContain("812-3456");
      expect(log.dump()).not.toContain(server.token);
    });

    it("gives a failing update up after its last try, logs it as an error and carries on", async () => {
      const { server, rec, log } = await polling({
        handleRetryMs: [10, 10],
        hold: async (m) => {
          if (m.body.type === "text" && m.body.text === "selalu gagal") throw new Error("broken");
        },
      });
      server.pushUpdate(server.textFrom(A, "selalu gagal"));
      server.pushUpdate(server.textFrom(A, "pesan berikutnya"));
      await rec.count(4);
      expect(rec.got.map((m) => (m.body as { text: string }).text)).toEqual(["selalu gagal", "selalu gagal", "selalu gagal", "pesan berikutnya"]);
      const err = await log.waitForLevel("error");
      expect(err.obj.updateId).toBe(Number(rec.got[0]!.messageId));
    });
  });

  describe("inbound", () => {
    it("maps update ids, profile and commands", async () => {
      const { server, rec } = await polling();
      server.setUser(A, { first_name: "Made", last_name: "Sudiarta", language_code: "id" });
      const u = server.pushUpdate(server.textFrom(A, "/start"));
      const [m] = await rec.count(1).then(() => rec.got);
      expect(m).toMatchObject({
        from: { channel: "telegram", id: String(A) },
        messageId: String(u.update_id),
        body: { type: "text", text: "/start" },
        profile: { displayName: "Made Sudiarta", languageCode: "id" },
      });
    });

    it("ignores groups, also their button taps", async () => {
      const { server, rec } = await polling();
      server.pushUpdate(server.textFrom(A, "di grup", { chat: "group" }));
      server.pushUpdate(server.callbackFrom(A, "x", { chat: "group" }));
      server.pushUpdate(server.textFrom(A, "pribadi"));
      await rec.count(1);
      await server.waitForQueueDrained();
      expect(rec.got.map((m) => m.body)).toEqual([{ type: "text", text: "pribadi" }]);
    });

    it("answers a button tap before the handler runs and delivers the choice", async () => {
      let answeredBeforeHandler = -1;
      const { server, rec } = await polling({
        hold: async () => {
          answeredBeforeHandler = server.answeredCallbacks.length;
        },
      });
      const u = server.pushUpdate(server.callbackFrom(A, "yes"));
      await rec.count(1);
      await rec.waitFor(() => answeredBeforeHandler >= 0, "handler ran");
      expect(answeredBeforeHandler).toBe(1);
      expect(server.answeredCallbacks[0]!.callback_query_id).toBe((u.callback_query as { id: string }).id);
      expect(rec.got[0]!.body).toEqual({ type: "choice", choiceId: "yes" });
    });

    it("delivers the choice even when answering the tap fails", async () => {
      const { server, rec } = await polling();
      server.failNext("answerCallbackQuery", { error_code: 400, description: "Bad Request: query is too old and response timeout expired or query ID is invalid" });
      server.pushUpdate(server.callbackFrom(A, "late"));
      await rec.count(1);
      expect(rec.got[0]!.body).toEqual({ type: "choice", choiceId: "late" });
    });

    it("downloads the largest photo size, with its caption", async () => {
      const { server, rec } = await polling();
      const bytes = Buffer.alloc(5000, 7);
      server.pushUpdate(server.photoFrom(A, bytes, { caption: "foto produk" }));
      await rec.count(1);
      const body = rec.got[0]!.body;
      if (body.type !== "media") throw new Error(body.type);
      expect(body.media).toMatchObject({ kind: "photo", mimeType: "image/jpeg", caption: "foto produk" });
      expect(body.media.bytes.length).toBe(5000);
      expect(server.downloads).toHaveLength(1);
    });

    it("tries the download again after a transient Telegram error", async () => {
      const { server, rec } = await polling();
      server.failNext("getFile", { error_code: 502, description: "Bad Gateway" });
      server.pushUpdate(server.documentFrom(A, Buffer.from("isi"), { fileName: "nib.pdf", mimeType: "application/pdf" }));
      await rec.count(1);
      expect(rec.got[0]!.body).toMatchObject({ type: "media", media: { fileName: "nib.pdf" } });
      expect(server.callsOf("getFile")).toHaveLength(2);
    });

    it("asks the person to send a file again when its download fails for good, and confirms the update", async () => {
      const { server, rec } = await polling();
      server.failNext("getFile", { error_code: 400, description: "Bad Request: wrong file_id or the file is temporarily unavailable" });
      server.pushUpdate(server.photoFrom(A, Buffer.alloc(100, 1)));
      await rec.count(1);
      expect(rec.got[0]!.body).toEqual({ type: "rejected_media", reason: "download_failed", limitBytes: 20 * MB });
      await server.waitForQueueDrained();
      expect(server.downloads).toHaveLength(0);
    });

    it("keeps no abort listener per polling round while a handler is busy", async () => {
      const warnings: Error[] = [];
      const onWarning = (w: Error) => warnings.push(w);
      process.on("warning", onWarning);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      try {
        const { server, rec } = await polling({ busyPollMs: 1, hold: (m) => (m.body.type === "text" && m.body.text === "lama" ? held : Promise.resolve()) });
        server.pushUpdate(server.textFrom(A, "lama"));
        await server.waitFor(() => server.getUpdatesCalls.length >= 60, "60 polling rounds while busy");
        release();
        await rec.count(1);
        await server.waitForQueueDrained();
      } finally {
        process.off("warning", onWarning);
      }
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    });

    it("rejects an oversized photo before calling getFile", async () => {
      const { server, rec } = await polling();
      server.pushUpdate(server.photoFrom(A, Buffer.from("x"), { claimedSize: 21 * MB }));
      await rec.count(1);
      expect(rec.got[0]!.body).toEqual({ type: "rejected_media", reason: "too_large", size: 21 * MB, limitBytes: 20 * MB });
      expect(server.callsOf("getFile")).toHaveLength(0);
      expect(server.downloads).toHaveLength(0);
    });

    it("rejects a file whose size only getFile tells, before downloading it", async () => {
      const { server, rec } = await polling({ maxFileBytes: 1000 });
      const u = server.documentFrom(A, Buffer.alloc(2000, 1), { fileName: "besar.pdf", mimeType: "application/pdf" });
      delete (u.message as { document: { file_size?: number } }).document.file_size;
      server.pushUpdate(u);
      await rec.count(1);
      expect(rec.got[0]!.body).toEqual({ type: "rejected_media", reason: "too_large", size: 2000, limitBytes: 1000 });
      expect(server.callsOf("getFile")).toHaveLength(1);
      expect(server.downloads).toHaveLength(0);
    });

    it("tells someone else's contact from the person's own", async () => {
      const { server, rec } = await polling();
      server.pushUpdate(server.contactFrom(A, "6281111111111", { ownerId: 999, firstName: "Ketut" }));
      server.pushUpdate(server.contactFrom(A, "6282222222222", { ownerId: null }));
      server.pushUpdate(server.contactFrom(A, "+6283333333333"));
      await rec.count(3);
      expect(rec.got.map((m) => m.body)).toEqual([
        { type: "contact", phone: "6281111111111", name: "Ketut", isOwn: false },
        { type: "contact", phone: "6282222222222", name: `User${A}`, isOwn: false },
        { type: "contact", phone: "+6283333333333", name: `User${A}`, isOwn: true },
      ]);
      expect(rec.got[2]!.profile?.phone).toBe("+6283333333333");
      expect(rec.got[0]!.profile?.phone).toBeUndefined();
    });

    it("takes a voice note as an audio document (downloaded like one), as the WhatsApp channel does", async () => {
      const { server, rec } = await polling();
      server.pushUpdate(server.voiceFrom(A));
      await rec.count(1);
      expect(rec.got[0]!.body).toMatchObject({ type: "media", media: { kind: "document", mimeType: "audio/ogg", fileName: "voice-note.ogg" } });
      expect(rec.got[0]!.body.type === "media" && rec.got[0]!.body.media.bytes).toEqual(Buffer.from("OggS"));
      expect(server.downloads).toHaveLength(1);
    });

    it("names what it cannot take and passes locations on", async () => {
      const { server, rec } = await polling();
      server.pushUpdate(server.stickerFrom(A));
      server.pushUpdate(server.messageFrom(A, { animation: { file_id: "a" }, document: { file_id: "a", file_unique_id: "a" } }));
      server.pushUpdate(server.messageFrom(A, { poll: { id: "p", question: "?" } }));
      server.pushUpdate(server.locationFrom(A, -8.5069, 115.2625));
      server.pushUpdate(server.messageFrom(A, { pinned_message: { message_id: 1 } }));
      server.pushUpdate(server.textFrom(A, "akhir"));
      await rec.count(5);
      await server.waitForQueueDrained();
      expect(rec.got.map((m) => m.body)).toEqual([
        { type: "unsupported", what: "sticker" },
        { type: "unsupported", what: "animation" },
        { type: "unsupported", what: "poll" },
        { type: "location", latitude: -8.5069, longitude: 115.2625 },
        { type: "text", text: "akhir" },
      ]);
      expect(server.downloads).toHaveLength(0);
    });
  });

  describe("outbound", () => {
    it("sends choices as an inline keyboard, one per row, and lists them in the text", async () => {
      const { server, channel } = await polling();
      await channel.send(
        String(A),
        { type: "text", text: "Pilih layanan:", choices: [{ id: "svc:konsultasi", label: "Konsultasi" }, { id: "svc:pelatihan", label: "Pelatihan" }] },
        noFiles,
      );
      const [s] = server.sentTo(A);
      expect(s!.text).toBe("Pilih layanan:\n\n1. Konsultasi\n2. Pelatihan");
      expect(s!.parse_mode).toBeUndefined();
      expect(s!.reply_markup).toEqual({
        inline_keyboard: [[{ text: "Konsultasi", callback_data: "svc:konsultasi" }], [{ text: "Pelatihan", callback_data: "svc:pelatihan" }]],
      });
    });

    it("marks every http(s) link as a url entity, so a sign-in link on the office's own address is clickable", async () => {
      const { server, channel } = await polling();
      const text = "Tautan masuk dasbor (berlaku 15 menit, sekali pakai):\nhttp://10.0.0.5:3000/staff/login/Ab_c-1\nJangan bagikan. 🙏 https://plut.example/x.";
      await channel.send(String(A), { type: "text", text }, noFiles);
      const [s] = server.sentTo(A);
      const entities = (s!.payload as { entities?: Array<{ type: string; offset: number; length: number }> }).entities;
      expect(entities?.map((e) => [e.type, s!.text!.slice(e.offset, e.offset + e.length)])).toEqual([
        ["url", "http://10.0.0.5:3000/staff/login/Ab_c-1"],
        ["url", "https://plut.example/x"],
      ]);
      await channel.send(String(A), { type: "text", text: "Tanpa tautan." }, noFiles);
      expect((server.sentTo(A)[1]!.payload as { entities?: unknown }).entities).toBeUndefined();
    });

    it("puts the keyboard on the last part of a long text", async () => {
      const { server, channel } = await polling();
      const text = "panjang ".repeat(1000).trim();
      await channel.send(String(A), { type: "text", text, choices: [{ id: "ok", label: "OK" }] }, noFiles);
      const sent = server.sentTo(A);
      expect(sent).toHaveLength(2);
      expect(sent[0]!.reply_markup).toBeUndefined();
      expect(sent[1]!.reply_markup).toEqual({ inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] });
      expect(sent[1]!.text!.endsWith("1. OK")).toBe(true);
    });

    it("refuses a choice id over 64 bytes without calling Telegram", async () => {
      const { server, channel } = await polling();
      const err = await sendError(channel.send(String(A), { type: "text", text: "?", choices: [{ id: "é".repeat(33), label: "x" }] }, noFiles));
      expect(err.kind).toBe("permanent");
      expect(server.callsOf("sendMessage")).toHaveLength(0);
    });

    it("asks for the phone number with a one-time contact keyboard, removed by the next plain text", async () => {
      const { server, channel } = await polling();
      await channel.send(
        String(A),
        { type: "text", text: "Boleh kami minta nomor HP Anda?", requestContact: true, contactButtonLabel: "Bagikan nomor HP" },
        noFiles,
      );
      await channel.send(String(A), { type: "text", text: "Terima kasih." }, noFiles);
      await channel.send(String(A), { type: "text", text: "Lanjut." }, noFiles);
      const sent = server.sentTo(A);
      expect(sent[0]!.reply_markup).toEqual({
        keyboard: [[{ text: "Bagikan nomor HP", request_contact: true }]],
        one_time_keyboard: true,
        resize_keyboard: true,
      });
      expect(sent[1]!.reply_markup).toEqual({ remove_keyboard: true });
      expect(sent[2]!.reply_markup).toBeUndefined();
    });

    it("uploads a document with its file name, bytes and caption", async () => {
      const { server, channel } = await polling();
      const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
      await channel.send(
        String(A),
        { type: "document", fileName: "Kartu Kendali – Ni Luh.pdf", mimeType: "application/pdf", storageKey: "k1", caption: "Kartu kendali Anda" },
        async () => bytes,
      );
      const [s] = server.sentTo(A);
      expect(s!.method).toBe("sendDocument");
      expect(s!.document!.fileName).toBe("Kartu Kendali – Ni Luh.pdf");
      expect(Buffer.compare(s!.document!.bytes, bytes)).toBe(0);
      expect(s!.caption).toBe("Kartu kendali Anda");
    });

    it("passes a storage failure through unchanged and sends nothing", async () => {
      const { server, channel } = await polling();
      const storageError = new Error("file missing in store");
      await expect(
        channel.send(String(A), { type: "document", fileName: "a.pdf", mimeType: "application/pdf", storageKey: "gone" }, async () => {
          throw storageError;
        }),
      ).rejects.toBe(storageError);
      expect(server.calls.filter((c) => c.method === "sendDocument")).toHaveLength(0);
    });

    it("sends a caption over 1024 characters as a text after the document", async () => {
      const { server, channel } = await polling();
      const caption = "catatan ".repeat(200).trim();
      await channel.send(String(A), { type: "document", fileName: "a.pdf", mimeType: "application/pdf", storageKey: "k", caption }, async () => Buffer.from("x"));
      const sent = server.sentTo(A);
      expect(sent.map((s) => s.method)).toEqual(["sendDocument", "sendMessage"]);
      expect(sent[0]!.caption).toBeUndefined();
      expect(sent[1]!.text).toBe(caption);
    });

    it("sets a person's command menu with a chat scope", async () => {
      const { server, channel } = await polling();
      await channel.setPersonCommands!(String(A), [{ command: "status", description: "Status kasus" }]);
      expect(server.commandCalls).toEqual([{ commands: [{ command: "status", description: "Status kasus" }], scope: { type: "chat", chat_id: A } }]);
    });

    it.each<[string, InjectedFailure, ChannelSendError["kind"], number | undefined]>([
      ["429 with retry_after", { error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } }, "rate_limited", 7],
      ["403 blocked", { error_code: 403, description: "Forbidden: bot was blocked by the user" }, "permanent", undefined],
      ["403 deactivated", { error_code: 403, description: "Forbidden: user is deactivated" }, "permanent", undefined],
      ["400 chat not found", { error_code: 400, description: "Bad Request: chat not found" }, "permanent", undefined],
      ["400 other refusal", { error_code: 400, description: "Bad Request: message text is empty" }, "permanent", undefined],
      ["500", { error_code: 500, description: "Internal Server Error" }, "retry", undefined],
      ["502", { error_code: 502, description: "Bad Gateway" }, "retry", undefined],
      ["network failure", "network", "retry", undefined],
    ])("maps %s", async (_label, failure, kind, retryAfter) => {
      const { server, channel, log } = await polling();
      server.failNext("sendMessage", failure);
      const err = await sendError(channel.send(String(A), { type: "text", text: "isi pesan rahasia" }, noFiles));
      expect(err.kind).toBe(kind);
      expect(err.retryAfterSeconds).toBe(retryAfter);
      expect(server.callsOf("sendMessage")).toHaveLength(1);
      expect(err.message).not.toContain(server.token);
      expect(log.dump()).not.toContain(server.token);
      expect(log.dump()).not.toContain("rahasia");
    });

    it("refuses an address that is no chat id", async () => {
      const { channel } = await polling();
      expect((await sendError(channel.send("not-a-chat", { type: "text", text: "x" }, noFiles))).kind).toBe("permanent");
    });

    it("maps failures of setMyCommands too", async () => {
      const { server, channel } = await polling();
      server.failNext("setMyCommands", { error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } });
      const err = await sendError(channel.setPersonCommands!(String(A), [{ command: "a", description: "b" }]));
      expect(err).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 3 });
    });
  });

  describe("webhook", () => {
    async function webhook(hold?: (m: Inbound) => Promise<void>) {
      const server = await FakeTelegramServer.start();
      const log = captureLogger();
      const channel = webhookChannel(server, log.logger);
      const app = Fastify({ logger: false });
      await app.register(telegramWebhookPlugin(channel, { path: WEBHOOK_PATH, secretToken: SECRET }));
      await app.ready();
      const rec = recorder(hold);
      cleanups.push(async () => {
        rec.state.hold = async () => {};
        await channel.stop();
        await app.close();
        await server.close();
      });
      return { server, channel, app, rec, log };
    }

    it("registers the webhook on start with the secret, message and callback updates, keeping pending ones", async () => {
      const { server, channel, rec } = await webhook();
      await channel.start(rec.handler);
      expect(server.webhook).toEqual({
        url: `https://plut.example.test${WEBHOOK_PATH}`,
        secret_token: SECRET,
        allowed_updates: ["message", "callback_query"],
        drop_pending_updates: false,
      });
      expect(server.callsOf("getUpdates")).toHaveLength(0);
    });

    it("answers 200 only after the handler resolved", async () => {
      const gate = deferred();
      const { server, channel, app, rec } = await webhook(() => gate.promise);
      await channel.start(rec.handler);
      let answered = false;
      const res = postUpdate(app, server.textFrom(A, "halo")).then((r) => {
        answered = true;
        return r;
      });
      await rec.count(1);
      await new Promise((r) => setImmediate(r));
      expect(answered).toBe(false);
      gate.resolve();
      expect((await res).statusCode).toBe(200);
      expect(rec.got[0]!.body).toEqual({ type: "text", text: "halo" });
    });

    it("refuses a missing or wrong secret with 401 and handles nothing", async () => {
      const { server, channel, app, rec } = await webhook();
      await channel.start(rec.handler);
      const u = server.textFrom(A, "palsu");
      expect((await postUpdate(app, u, null)).statusCode).toBe(401);
      expect((await postUpdate(app, u, "wrong")).statusCode).toBe(401);
      expect((await postUpdate(app, u, SECRET.replace("s", "S"))).statusCode).toBe(401);
      expect((await postUpdate(app, "{not json", "wrong")).statusCode).toBe(401);
      expect(rec.got).toHaveLength(0);
    });

    it("refuses a malformed body with 400 and handles nothing", async () => {
      const { channel, app, rec } = await webhook();
      await channel.start(rec.handler);
      for (const body of ["[1,2]", "{}", JSON.stringify({ update_id: "7" }), JSON.stringify({ update_id: 1.5 }), "{not json", "null"]) {
        expect((await postUpdate(app, body)).statusCode, body).toBe(400);
      }
      expect(rec.got).toHaveLength(0);
    });

    it("a photo whose download fails for good is answered 200 and the person asked to send it again", async () => {
      const { server, channel, app, rec } = await webhook();
      await channel.start(rec.handler);
      server.failNext("getFile", { error_code: 400, description: "Bad Request: wrong file_id or the file is temporarily unavailable" });
      expect((await postUpdate(app, server.photoFrom(A, Buffer.alloc(100, 1)))).statusCode).toBe(200);
      expect(rec.got.map((m) => m.body)).toEqual([{ type: "rejected_media", reason: "download_failed", limitBytes: 20 * MB }]);
    });

    it("answers 500 when the handler fails, so Telegram delivers the update again", async () => {
      let fail = true;
      const { server, channel, app, rec, log } = await webhook(async () => {
        if (fail) throw new Error("database is down");
      });
      await channel.start(rec.handler);
      const u = server.textFrom(A, "coba lagi nanti");
      expect((await postUpdate(app, u)).statusCode).toBe(500);
      fail = false;
      expect((await postUpdate(app, u)).statusCode).toBe(200);
      expect(rec.got.map((m) => m.messageId)).toEqual([String(u.update_id), String(u.update_id)]);
      expect(log.dump()).not.toContain("coba lagi");
    });

    it("answers 503 before start, so Telegram keeps the update", async () => {
      const { server, app } = await webhook();
      expect((await postUpdate(app, server.textFrom(A, "terlalu cepat"))).statusCode).toBe(503);
    });

    it("keeps one chat in order across concurrent requests while other chats go ahead", async () => {
      const gate = deferred();
      const { server, channel, app, rec } = await webhook(async (m) => {
        if (m.body.type === "text" && m.body.text === "A1") await gate.promise;
      });
      await channel.start(rec.handler);
      const r1 = postUpdate(app, server.textFrom(A, "A1"));
      await rec.count(1);
      const r2 = postUpdate(app, server.textFrom(A, "A2"));
      const r3 = await postUpdate(app, server.textFrom(B, "B1"));
      expect(r3.statusCode).toBe(200);
      expect(rec.got.map((m) => (m.body as { text: string }).text)).toEqual(["A1", "B1"]);
      gate.resolve();
      expect((await r1).statusCode).toBe(200);
      expect((await r2).statusCode).toBe(200);
      expect(rec.got.map((m) => (m.body as { text: string }).text)).toEqual(["A1", "B1", "A2"]);
    });

    it("cannot be mounted for a polling channel", async () => {
      const server = await FakeTelegramServer.start();
      cleanups.push(() => server.close());
      const channel = createTelegramChannel({ token: server.token, apiRoot: server.apiRoot, mode: "polling", logger: captureLogger().logger });
      expect(() => telegramWebhookPlugin(channel, { path: WEBHOOK_PATH, secretToken: SECRET })).toThrow(/webhook mode/);
    });
  });

  it("fails start() on a wrong token without logging it", async () => {
    const server = await FakeTelegramServer.start();
    cleanups.push(() => server.close());
    const log = captureLogger();
    const wrong = "999:WRONG-token_abc";
    const channel = createTelegramChannel({ token: wrong, apiRoot: server.apiRoot, mode: "polling", logger: log.logger });
    await expect(channel.start(async () => {})).rejects.toThrow(/401/);
    expect(log.dump()).not.toContain(wrong);
  });
});
