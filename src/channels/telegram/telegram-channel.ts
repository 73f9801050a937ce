/**
 * The Telegram channel: grammY for the Bot API, @grammyjs/runner for long polling, or webhook
 * updates handed in by the HTTP layer (see webhook.ts). Updates of one chat are handled one after
 * another in the order they arrived; different chats are handled in parallel.
 */
import { BodyInterruptedError, readBoundedBody } from "../bounded-body.js";
import { Bot, BotError, GrammyError, HttpError, InputFile } from "grammy";
import type { Update } from "grammy/types";
import { sequentialize } from "@grammyjs/runner";
import type { Channel, ChannelLimits, InboundHandler } from "../channel.js";
import { ChannelSendError, type InboundBody, type Outbound, type SendReceipt } from "../../messaging/model.js";
import { describeError, TelegramChannelError, toChannelSendError } from "./errors.js";
import { chatKeyOf, planUpdate, toInbound, type FileToFetch } from "./inbound.js";
import { planDocument, planText, TELEGRAM_MAX_TEXT, TELEGRAM_MAX_UPLOAD_BYTES, type SendPart } from "./outbound.js";
import { SendProgress } from "../send-progress.js";

type LogFn = (obj: Record<string, unknown>, msg?: string) => void;
/** The part of a pino logger the channel uses. */
export interface TelegramLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
}

interface CommonOptions {
  /** The bot token from BotFather. Never logged. */
  token: string;
  /** Bot API server; default https://api.telegram.org. No trailing slash. */
  apiRoot?: string;
  logger: TelegramLogger;
  /** Largest inbound file to download; default (and Telegram's own limit for bots) 20 MB. */
  maxFileBytes?: number;
  /** Long-polling timeout for getUpdates, seconds; default 30. */
  pollTimeoutSeconds?: number;
  /** While an update is still being handled, how often other chats' updates are fetched; default 200 ms. */
  busyPollMs?: number;
  /** Long polling: the waits before each new try of an update whose handling failed (HANDLE_RETRY_MS). */
  handleRetryMs?: readonly number[];
  /** Clock for `receivedAt`; default the system clock. */
  now?: () => Date;
  /** Sending pace (the outbox reads it from `limits`); default Telegram's: 1 message a second per chat, 30 overall. */
  pace?: { perChatPerSecond?: number; globalPerSecond?: number };
}

export type TelegramChannelOptions =
  | (CommonOptions & { mode: "polling" })
  | (CommonOptions & {
      mode: "webhook";
      /** Registered with setWebhook on start. `secretToken` must be the one given to telegramWebhookPlugin. */
      webhook: { url: string; secretToken: string };
    });

/** What handleWebhookUpdate did with an update. */
export type WebhookOutcome = "processed" | "malformed" | "not_ready";

export interface TelegramChannel extends Channel {
  readonly name: "telegram";
  readonly mode: "polling" | "webhook";
  /**
   * Webhook mode: handles one update body as Telegram posted it. Resolves "processed" once the
   * inbound handler resolved (or the update was nothing for us), "malformed" when the body is no
   * update, "not_ready" before start() or after stop(); rejects when the handler failed.
   */
  handleWebhookUpdate(body: unknown): Promise<WebhookOutcome>;
}

export const TELEGRAM_MAX_FILE_BYTES = 20 * 1024 * 1024;
const ALLOWED_UPDATES = ["message", "callback_query"] as const;
const DOWNLOAD_ATTEMPTS = 3;
const DOWNLOAD_BACKOFF_MS = [250, 1_000];
/**
 * An update whose handling failed (the database did not start a transaction in time, a restart of
 * PostgreSQL) is tried again in its chat's order, with these waits (about five minutes in all):
 * confirming it to Telegram after one failure would lose what the person wrote. Handling is
 * idempotent (ProcessedInbound), so a retry of an update that did commit does nothing twice.
 */
const HANDLE_RETRY_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000, 60_000, 60_000, 60_000];
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** A download failure worth another attempt (network trouble, Telegram 5xx). */
class TransientDownloadError extends TelegramChannelError {
  override name = "TransientDownloadError";
}

/** Creates the Telegram channel. Nothing talks to Telegram before start(). */
export function createTelegramChannel(opts: TelegramChannelOptions): TelegramChannel {
  const { token, logger } = opts;
  const apiRoot = (opts.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  const maxFileBytes = opts.maxFileBytes ?? TELEGRAM_MAX_FILE_BYTES;
  const now = opts.now ?? (() => new Date());
  const limits: ChannelLimits = {
    maxTextLength: TELEGRAM_MAX_TEXT,
    maxInboundFileBytes: maxFileBytes,
    perChatPerSecond: opts.pace?.perChatPerSecond ?? 1,
    globalPerSecond: opts.pace?.globalPerSecond ?? 30,
  };

  const bot = new Bot(token, { client: { apiRoot } });
  const progress = new SendProgress();
  /** Chats that were last shown the contact reply keyboard; the next plain text removes it. */
  const contactKeyboardShown = new Set<string>();

  let handler: InboundHandler | undefined;
  let accepting = false;
  let polling: { stop(): Promise<void> } | undefined;

  /**
   * Long polling that never loses an update. getUpdates(offset) tells Telegram that every update
   * below `offset` is done, so the offset never passes an update that is still being handled: after
   * a crash Telegram sends it again, and the app deduplicates what it had already accepted
   * (update_id). Each chat's updates run in order, chats in parallel; while some handler is still
   * running, polling goes on every 200 ms (Telegram returns the unfinished updates at once, which are
   * skipped) so other chats are not held up.
   */
  function startPolling(): { stop(): Promise<void> } {
    const abort = new AbortController();
    const inFlightIds = new Map<number, Promise<void>>();
    const chains = new Map<string, Promise<unknown>>();
    /** Handled, but not yet confirmed to Telegram because an earlier update is still running. */
    const doneUnconfirmed = new Set<number>();
    // Updates still failing when polling stopped: the confirmation at stop stays below them.
    const unhandledAtStop = new Set<number>();
    let maxSeen = -1;
    let failures = 0;
    /** Waits `ms`, or less when `alsoWhen` settles or polling stops; leaves no listener behind. */
    const pause = (ms: number, alsoWhen?: Promise<unknown>) =>
      new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(t);
          abort.signal.removeEventListener("abort", finish);
          resolve();
        };
        const t = setTimeout(finish, ms);
        void alsoWhen?.then(finish, finish);
        abort.signal.addEventListener("abort", finish, { once: true });
      });
    const dispatch = (u: Update) => {
      const key = chatKeyOf(u) ?? `u${u.update_id}`;
      const handle = async (): Promise<boolean> => {
        for (let attempt = 1; ; attempt++) {
          try {
            await bot.handleUpdate(u);
            return true;
          } catch (err) {
            const wait = (opts.handleRetryMs ?? HANDLE_RETRY_MS)[attempt - 1];
            const e = describeError(err instanceof BotError ? err.error : err, token);
            if (wait === undefined || abort.signal.aborted) {
              // Given up (or stopping): never confirmed past it while stopping, so a restart brings it back.
              logger.error({ updateId: u.update_id, attempt, err: e }, "telegram update handling failed");
              return false;
            }
            logger.warn({ updateId: u.update_id, attempt, err: e }, "telegram update handling failed; trying again");
            await pause(wait);
            if (abort.signal.aborted) return false;
          }
        }
      };
      const run = (chains.get(key) ?? Promise.resolve()).then(handle);
      chains.set(key, run);
      const tracked = run.then((handled) => {
        inFlightIds.delete(u.update_id);
        if (handled || !abort.signal.aborted) doneUnconfirmed.add(u.update_id);
        else unhandledAtStop.add(u.update_id);
        if (chains.get(key) === run) chains.delete(key);
      });
      inFlightIds.set(u.update_id, tracked);
    };
    const done = (async () => {
      while (!abort.signal.aborted) {
        const busy = inFlightIds.size > 0;
        const offset = busy ? Math.min(...inFlightIds.keys()) : maxSeen + 1;
        for (const id of doneUnconfirmed) if (id < offset) doneUnconfirmed.delete(id);
        let updates: Update[];
        try {
          const timeout = busy ? 0 : opts.pollTimeoutSeconds ?? 30;
          updates = await bot.api.getUpdates({ offset, timeout, allowed_updates: [...ALLOWED_UPDATES] }, abort.signal as never);
          failures = 0;
        } catch (err) {
          if (abort.signal.aborted) break;
          const code = err instanceof GrammyError ? err.error_code : undefined;
          if (code === 401 || code === 409) {
            logger.error({ err: describeError(err, token) }, "telegram polling stopped: the token was revoked or another instance polls this bot");
            break;
          }
          failures++;
          await pause(Math.min(30_000, 250 * 2 ** failures));
          continue;
        }
        // A re-sent update that is not running is passed on again (same id): the app deduplicates.
        const fresh = updates.filter((u) => !inFlightIds.has(u.update_id) && !doneUnconfirmed.has(u.update_id));
        for (const u of fresh) {
          maxSeen = Math.max(maxSeen, u.update_id);
          dispatch(u);
        }
        if (fresh.length === 0 && inFlightIds.size > 0) await pause(opts.busyPollMs ?? 200, Promise.race(inFlightIds.values()));
      }
      await Promise.all(inFlightIds.values());
      // Confirm what was handled, so a restart does not fetch it again (it would be deduplicated anyway).
      const confirmUpTo = unhandledAtStop.size > 0 ? Math.min(...unhandledAtStop) : maxSeen + 1;
      if (maxSeen >= 0 && confirmUpTo > 0) await bot.api.getUpdates({ offset: confirmUpTo, timeout: 0, limit: 1 }).catch(() => undefined);
    })();
    return {
      async stop() {
        abort.abort();
        await done;
      },
    };
  }

  // Updates between arrival and the end of their handling, so stop() can wait for them.
  let inFlight = 0;
  let drained: (() => void)[] = [];
  const whenDrained = (): Promise<void> =>
    inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve));

  // The runner's own retry loop is silenced (it prints raw errors, whose URLs hold the token); log here instead.
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (err) {
      if (method === "getUpdates" && !(signal?.aborted ?? false)) {
        logger.warn({ err: describeError(err, token) }, "telegram getUpdates failed; the runner retries");
      }
      throw err;
    }
  });

  bot.use(async (_ctx, next) => {
    inFlight++;
    try {
      await next();
    } finally {
      if (--inFlight === 0) {
        const waiting = drained;
        drained = [];
        for (const resolve of waiting) resolve();
      }
    }
  });
  bot.use(sequentialize((ctx) => chatKeyOf(ctx.update)));
  bot.use(async (ctx) => {
    await processUpdate(ctx.update);
  });
  // Long polling: a failed update is logged and the runner goes on with the next one.
  bot.catch((err: BotError) => {
    logger.error({ updateId: err.ctx.update.update_id, err: describeError(err.error, token) }, "telegram update handling failed");
  });

  async function processUpdate(update: Update): Promise<void> {
    const plan = planUpdate(update);
    const updateId = update.update_id;
    if (plan.kind === "ignore") {
      logger.debug({ updateId, reason: plan.reason }, "telegram update ignored");
      return;
    }
    const onInbound = handler;
    if (onInbound === undefined) throw new TelegramChannelError("telegram channel is not started");

    let body: InboundBody;
    if (plan.kind === "fetch") {
      body = await fetchMedia(plan.file, updateId);
    } else {
      body = plan.body;
      if (plan.callbackQueryId !== undefined) {
        // Stop the button's spinner first; the handler may take a while.
        try {
          await bot.api.answerCallbackQuery(plan.callbackQueryId);
        } catch (err) {
          logger.warn({ updateId, err: describeError(err, token) }, "telegram answerCallbackQuery failed");
        }
      }
    }
    await onInbound(toInbound(updateId, plan.chatId, plan.user, body, now(), plan.replyTo));
  }

  /** Downloads a photo or document, unless it is over the limit (checked before any download). */
  async function fetchMedia(file: FileToFetch, updateId: number): Promise<InboundBody> {
    const tooLarge = (size?: number): InboundBody => ({
      type: "rejected_media",
      reason: "too_large",
      ...(size !== undefined ? { size } : {}),
      limitBytes: maxFileBytes,
    });
    if (file.announcedSize !== undefined && file.announcedSize > maxFileBytes) return tooLarge(file.announcedSize);

    for (let attempt = 1; ; attempt++) {
      try {
        let info;
        try {
          info = await bot.api.getFile(file.fileId);
        } catch (err) {
          if (err instanceof GrammyError && err.error_code === 400 && /too big/i.test(err.description)) return tooLarge(file.announcedSize);
          if (err instanceof HttpError || (err instanceof GrammyError && err.error_code >= 500)) {
            throw new TransientDownloadError(`getFile failed: ${describeError(err, token).description ?? "network"}`);
          }
          throw err;
        }
        const size = info.file_size ?? file.announcedSize;
        if (size !== undefined && size > maxFileBytes) return tooLarge(size);
        if (info.file_path === undefined) throw new TelegramChannelError("telegram getFile returned no file_path");
        const bytes = await download(info.file_path);
        if (bytes === "too_large") return tooLarge(size);
        return {
          type: "media",
          media: {
            kind: file.kind,
            mimeType: file.mimeType,
            fileName: file.fileName ?? info.file_path.split("/").pop() ?? file.kind,
            bytes,
            ...(file.caption !== undefined ? { caption: file.caption } : {}),
          },
        };
      } catch (err) {
        if (!(err instanceof TransientDownloadError) || attempt >= DOWNLOAD_ATTEMPTS) {
          // For good (an expired file id, a refused download, retries used up): the person is asked
          // to send it again, and the update counts as handled, so neither long polling nor a
          // webhook's retries bring it back forever.
          logger.warn({ updateId, attempt, err: describeError(err, token) }, "telegram file download failed; the person is asked to send it again");
          return { type: "rejected_media", reason: "download_failed", limitBytes: maxFileBytes };
        }
        logger.warn({ updateId, attempt, err: describeError(err, token) }, "telegram file download failed; trying again");
        await new Promise((r) => setTimeout(r, DOWNLOAD_BACKOFF_MS[attempt - 1] ?? 1_000));
      }
    }
  }

  /** Fetches a file's bytes, stopping as soon as it exceeds the limit. Errors never carry the URL (it holds the token). */
  async function download(filePath: string): Promise<Buffer | "too_large"> {
    const url = `${apiRoot}/file/bot${token}/${filePath.split("/").map(encodeURIComponent).join("/")}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    } catch (err) {
      throw new TransientDownloadError(`file download failed: ${err instanceof Error ? err.name : "error"}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      if (res.status >= 500 || res.status === 429) throw new TransientDownloadError(`file download failed: HTTP ${res.status}`);
      throw new TelegramChannelError(`telegram file download failed: HTTP ${res.status}`);
    }
    try {
      return await readBoundedBody(res, maxFileBytes);
    } catch (err) {
      if (err instanceof BodyInterruptedError) throw new TransientDownloadError(`file download interrupted: ${err.what}`);
      throw err;
    }
  }

  function chatIdOf(to: string): number {
    if (!/^-?\d{1,20}$/.test(to)) throw new ChannelSendError("telegram: address is not a chat id", "permanent");
    return Number(to);
  }

  async function callApi<T>(call: () => Promise<T>, what: Record<string, unknown>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const e = toChannelSendError(err, token);
      logger.warn({ ...what, kind: e.kind, err: describeError(err, token) }, "telegram send failed");
      throw e;
    }
  }

  async function send(to: string, msg: Outbound, resolveFile: (storageKey: string) => Promise<Buffer>): Promise<SendReceipt> {
    const chatId = chatIdOf(to);
    let parts: SendPart[];
    if (msg.type === "text") {
      if (msg.requestContact && msg.contactButtonLabel === undefined) {
        logger.warn({ chat: to }, "telegram: requestContact without contactButtonLabel; using a symbol as label");
      }
      parts = planText(msg, { removeKeyboard: contactKeyboardShown.has(to) });
    } else {
      parts = planDocument(msg);
    }

    const key = progress.key(to, msg);
    const first = progress.delivered(key);
    let bytes: Buffer | undefined;
    // The id of the last part sent: a consultant's Telegram reply to a relayed message names it.
    let lastId: number | undefined;
    for (let i = first; i < parts.length; i++) {
      const part = parts[i]!;
      const what = { chat: to, method: part.method, part: i + 1, parts: parts.length };
      if (part.method === "sendMessage") {
        lastId = (await callApi(() => bot.api.sendMessage(chatId, part.text, { ...(part.replyMarkup ? { reply_markup: part.replyMarkup } : {}), ...(part.entities ? { entities: part.entities } : {}) }), what)).message_id;
        if (part.replyMarkup !== undefined && "keyboard" in part.replyMarkup) contactKeyboardShown.add(to);
        if (part.replyMarkup !== undefined && "remove_keyboard" in part.replyMarkup) contactKeyboardShown.delete(to);
      } else {
        if (msg.type !== "document") throw new Error("unreachable: document part of a text message");
        // Storage errors are the caller's, not the channel's: they pass through unchanged.
        bytes ??= await resolveFile(msg.storageKey);
        if (bytes.length > TELEGRAM_MAX_UPLOAD_BYTES) {
          throw new ChannelSendError(`telegram: document over ${TELEGRAM_MAX_UPLOAD_BYTES} bytes`, "permanent");
        }
        const file = new InputFile(bytes, part.fileName);
        lastId = (await callApi(() => bot.api.sendDocument(chatId, file, part.caption !== undefined ? { caption: part.caption } : {}), what)).message_id;
      }
      progress.record(key, i + 1);
    }
    progress.finish(key);
    logger.debug({ chat: to, parts: parts.length, resumedAt: first }, "telegram message sent");
    return lastId !== undefined ? { providerMessageId: String(lastId) } : {};
  }

  const channel: TelegramChannel = {
    name: "telegram",
    mode: opts.mode,
    limits,

    async start(onInbound) {
      if (handler !== undefined) throw new Error("telegram channel already started");
      handler = onInbound;
      try {
        // One attempt each: a wrong token or unreachable API fails start() instead of hanging in it.
        bot.botInfo = await bot.api.getMe();
        if (opts.mode === "webhook") {
          await bot.api.setWebhook(opts.webhook.url, {
            secret_token: opts.webhook.secretToken,
            allowed_updates: [...ALLOWED_UPDATES],
            drop_pending_updates: false,
          });
          accepting = true;
          logger.info({ mode: "webhook" }, "telegram channel started");
          return;
        }
        // getUpdates fails with 409 while a webhook is set; pending updates are kept.
        await bot.api.deleteWebhook({ drop_pending_updates: false });
      } catch (err) {
        handler = undefined;
        throw new Error(`telegram start failed: ${JSON.stringify(describeError(err, token))}`);
      }
      accepting = true;
      polling = startPolling();
      logger.info({ mode: "polling" }, "telegram channel started");
    },

    async stop() {
      accepting = false;
      const p = polling;
      polling = undefined;
      // Resolves once the loop ended: every fetched update was handled, or will be fetched again.
      if (p !== undefined) await p.stop();
      await whenDrained();
      handler = undefined;
      logger.info({}, "telegram channel stopped");
    },

    send,

    async setPersonCommands(to, commands) {
      const chatId = chatIdOf(to);
      await callApi(() => bot.api.setMyCommands(commands, { scope: { type: "chat", chat_id: chatId } }), {
        chat: to,
        method: "setMyCommands",
      });
    },

    async handleWebhookUpdate(body) {
      if (opts.mode !== "webhook") throw new Error("telegram channel runs in polling mode");
      if (!accepting || handler === undefined) return "not_ready";
      if (!isUpdate(body)) return "malformed";
      try {
        await bot.handleUpdate(body);
      } catch (err) {
        const inner = err instanceof BotError ? err.error : err;
        logger.error({ updateId: body.update_id, err: describeError(inner, token) }, "telegram webhook update handling failed");
        throw new TelegramChannelError(`telegram update ${body.update_id} failed`);
      }
      return "processed";
    },
  };
  return channel;
}

/** The minimum a webhook body needs to be taken as an update: an object with an integer update_id. */
export function isUpdate(body: unknown): body is Update {
  return (
    typeof body === "object" &&
    body !== null &&
    !Array.isArray(body) &&
    Number.isSafeInteger((body as { update_id?: unknown }).update_id)
  );
}
