/**
 * A fake Telegram Bot API server for tests: a real HTTP server on 127.0.0.1 (random port) that speaks
 * enough of the Bot API for grammY and the Telegram channel, records what the bot sends and lets a
 * test push updates and inject failures. No external libraries, no grammY import: it sees only HTTP.
 */
import { waitForChange } from "./wait.js";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EventEmitter } from "node:events";

export type Json = Record<string, unknown>;
export interface TgUpdate {
  update_id: number;
  [key: string]: unknown;
}

/** An error the fake answers instead of the next call of a method; "network" drops the connection. */
export type InjectedFailure =
  | { error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } }
  | "network";

/** One successful outbound message (sendMessage or sendDocument), in the order the server got it. */
export interface SentMessage {
  method: "sendMessage" | "sendDocument";
  chat_id: string;
  message_id: number;
  text?: string;
  caption?: string;
  parse_mode?: string;
  reply_markup?: Json;
  document?: { fileName: string; bytes: Buffer };
  payload: Json;
}

/** Every API call the server got, failed ones included. */
export interface ApiCall {
  method: string;
  payload: Json;
  failed: boolean;
}

export interface FileEntry {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  /** What Telegram claims the file's size is (may exceed the stored bytes, to fake huge files). */
  file_size: number;
  bytes: Buffer;
}

export interface FakeTelegramOptions {
  /** Longest a getUpdates call waits when nothing is queued (the request's own timeout is honoured up to this). */
  maxLongPollMs?: number;
  /** Files larger than this fail getFile with "file is too big", as on the real Bot API. */
  maxDownloadBytes?: number;
}

interface QueuedUpdate {
  update: TgUpdate;
  delivered: boolean;
}

interface UserInfo {
  first_name: string;
  last_name?: string;
  language_code?: string;
  username?: string;
}

const DEFAULT_WAIT_MS = 5_000;

export class FakeTelegramServer {
  readonly token: string;
  readonly botId = 7_000_000_001;
  /** Successful sendMessage / sendDocument calls. */
  readonly sent: SentMessage[] = [];
  readonly calls: ApiCall[] = [];
  readonly answeredCallbacks: { callback_query_id: string; text?: string }[] = [];
  readonly commandCalls: { commands: unknown; scope?: Json; language_code?: string }[] = [];
  readonly getUpdatesCalls: Json[] = [];
  webhook: { url: string; secret_token?: string; allowed_updates?: unknown; drop_pending_updates?: unknown } | undefined;
  readonly deleteWebhookCalls: Json[] = [];
  /** Paths downloaded through /file/bot<token>/<path>. */
  readonly downloads: string[] = [];

  private server: Server | undefined;
  private port = 0;
  private readonly queue: QueuedUpdate[] = [];
  private readonly failures: { methods: string[]; failure: InjectedFailure; skip: number }[] = [];
  private readonly files = new Map<string, FileEntry>();
  private readonly users = new Map<number, UserInfo>();
  private readonly events = new EventEmitter();
  private readonly pollWaiters = new Set<() => void>();
  private nextUpdateId = 100_001;
  private nextMessageId = 1;
  private nextFileId = 1;
  private readonly maxLongPollMs: number;
  private readonly maxDownloadBytes: number;

  constructor(opts: FakeTelegramOptions & { token?: string } = {}) {
    this.token = opts.token ?? "123456789:TEST-token_FakeFakeFakeFakeFakeFakeX";
    this.maxLongPollMs = opts.maxLongPollMs ?? 1_000;
    this.maxDownloadBytes = opts.maxDownloadBytes ?? 20 * 1024 * 1024;
    this.events.setMaxListeners(0);
  }

  /** Starts listening on 127.0.0.1 on a random port. */
  static async start(opts: FakeTelegramOptions & { token?: string } = {}): Promise<FakeTelegramServer> {
    const fake = new FakeTelegramServer(opts);
    await fake.listen();
    return fake;
  }

  get apiRoot(): string {
    if (this.server === undefined) throw new Error("fake Telegram server is not listening");
    return `http://127.0.0.1:${this.port}`;
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: `Internal fake error: ${String(err)}` }));
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    // Idle keep-alive connections stay open longer than a client keeps them (Node's agent: 5 s), so
    // the client always closes first: when both timed out at the same moment, a request sent on a
    // socket the server was closing failed with "socket hang up" (seen with grammY under load).
    server.keepAliveTimeout = 60_000;
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const wake of this.pollWaiters) wake();
    this.pollWaiters.clear();
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- test API: updates

  /** Queues an update for getUpdates. Pushing the same update twice re-delivers it (same update_id). */
  pushUpdate<U extends TgUpdate>(update: U): U {
    this.queue.push({ update, delivered: false });
    for (const wake of this.pollWaiters) wake();
    this.pollWaiters.clear();
    return update;
  }

  /** Sets the name and language a fake user's updates carry. */
  setUser(userId: number, info: UserInfo): void {
    this.users.set(userId, info);
  }

  textFrom(userId: number, text: string, opts: { chat?: "private" | "group" } = {}): TgUpdate {
    const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }] : undefined;
    return this.messageUpdate(userId, { text, ...(entities ? { entities } : {}) }, opts.chat);
  }

  /** A photo message; Telegram sends several sizes, the largest last. `claimedSize` fakes a huge file. */
  photoFrom(userId: number, bytes: Buffer, opts: { caption?: string; claimedSize?: number } = {}): TgUpdate {
    const big = this.addFile("photos", "jpg", bytes, opts.claimedSize);
    const thumb = this.addFile("photos", "jpg", bytes.subarray(0, Math.min(bytes.length, 16)));
    const photo = [
      { file_id: thumb.file_id, file_unique_id: thumb.file_unique_id, width: 90, height: 60, file_size: thumb.file_size },
      { file_id: big.file_id, file_unique_id: big.file_unique_id, width: 1280, height: 853, file_size: big.file_size },
    ];
    return this.messageUpdate(userId, { photo, ...(opts.caption !== undefined ? { caption: opts.caption } : {}) });
  }

  documentFrom(
    userId: number,
    bytes: Buffer,
    opts: { fileName: string; mimeType: string; caption?: string; claimedSize?: number },
  ): TgUpdate {
    const ext = opts.fileName.includes(".") ? opts.fileName.split(".").pop()! : "dat";
    const file = this.addFile("documents", ext, bytes, opts.claimedSize);
    const document = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_name: opts.fileName,
      mime_type: opts.mimeType,
      file_size: file.file_size,
    };
    return this.messageUpdate(userId, { document, ...(opts.caption !== undefined ? { caption: opts.caption } : {}) });
  }

  /** A shared contact; by default the sender's own (as Telegram's request_contact button sends it). */
  contactFrom(userId: number, phone: string, opts: { ownerId?: number | null; firstName?: string } = {}): TgUpdate {
    const ownerId = opts.ownerId === undefined ? userId : opts.ownerId;
    const contact = {
      phone_number: phone,
      first_name: opts.firstName ?? this.user(userId).first_name,
      ...(ownerId !== null ? { user_id: ownerId } : {}),
    };
    return this.messageUpdate(userId, { contact });
  }

  /** A tap on an inline button with `data` under a message the bot sent earlier. */
  callbackFrom(userId: number, data: string, opts: { chat?: "private" | "group" } = {}): TgUpdate {
    const chat = this.chatFor(userId, opts.chat);
    return {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: `cbq-${this.nextUpdateId}`,
        from: this.from(userId),
        chat_instance: `ci-${userId}`,
        data,
        message: {
          message_id: this.nextMessageId++,
          date: now(),
          chat,
          from: { id: this.botId, is_bot: true, first_name: "Test Bot", username: "test_bot" },
          text: "(question)",
        },
      },
    };
  }

  stickerFrom(userId: number): TgUpdate {
    const file = this.addFile("stickers", "webp", Buffer.from("RIFF....WEBP"));
    return this.messageUpdate(userId, {
      sticker: { file_id: file.file_id, file_unique_id: file.file_unique_id, type: "regular", width: 512, height: 512, is_animated: false, is_video: false, emoji: "👍" },
    });
  }

  voiceFrom(userId: number): TgUpdate {
    const file = this.addFile("voice", "oga", Buffer.from("OggS"));
    return this.messageUpdate(userId, {
      voice: { file_id: file.file_id, file_unique_id: file.file_unique_id, duration: 3, mime_type: "audio/ogg", file_size: 4 },
    });
  }

  locationFrom(userId: number, latitude: number, longitude: number): TgUpdate {
    return this.messageUpdate(userId, { location: { latitude, longitude } });
  }

  /** Any other message: `fields` are the message's content fields. */
  messageFrom(userId: number, fields: Json, opts: { chat?: "private" | "group" } = {}): TgUpdate {
    return this.messageUpdate(userId, fields, opts.chat);
  }

  // ---------------------------------------------------------------- test API: failures and waits

  /**
   * The next call of `method` (or of any of several methods) fails with this error. Rules are
   * queued: call several times for several failures. `after` lets that many matching calls
   * succeed first (to fail the second part of a split message, say).
   */
  failNext(method: string | string[], failure: InjectedFailure, opts: { after?: number } = {}): void {
    this.failures.push({ methods: Array.isArray(method) ? method : [method], failure, skip: opts.after ?? 0 });
  }

  sentTo(chatId: number | string): SentMessage[] {
    return this.sent.filter((s) => s.chat_id === String(chatId));
  }

  /**
   * Calls `listener` with each message the moment the server got it (a benchmark's many users
   * follow their own chats this way, without scanning `sent` on every call). Returns the unsubscribe.
   */
  onSent(listener: (sent: SentMessage) => void): () => void {
    this.events.on("sent", listener);
    return () => this.events.off("sent", listener);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `condition()` holds (checked after every API call and download), or rejects after `timeoutMs`. */
  waitFor(condition: () => boolean, what = "condition", timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return waitForChange(this.events, "change", condition, `fake Telegram: ${what}`, timeoutMs);
  }

  /** Resolves when at least `n` messages were sent (to `chatId` if given). */
  async waitForSent(n: number, chatId?: number | string, timeoutMs = DEFAULT_WAIT_MS): Promise<SentMessage[]> {
    const list = (): SentMessage[] => (chatId === undefined ? this.sent : this.sentTo(chatId));
    await this.waitFor(() => list().length >= n, `${n} sent message(s)`, timeoutMs);
    return list();
  }

  /** Resolves when `method` was called at least `n` times. */
  async waitForCalls(method: string, n = 1, timeoutMs = DEFAULT_WAIT_MS): Promise<ApiCall[]> {
    await this.waitFor(() => this.callsOf(method).length >= n, `${n} call(s) of ${method}`, timeoutMs);
    return this.callsOf(method);
  }

  /** Resolves when every queued update was delivered and confirmed by a later getUpdates offset. */
  waitForQueueDrained(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitFor(() => this.queue.every((q) => q.delivered), "all updates delivered", timeoutMs);
  }

  // ---------------------------------------------------------------- internals: builders

  private user(userId: number): UserInfo {
    return this.users.get(userId) ?? { first_name: `User${userId}`, last_name: "Test", language_code: "id" };
  }

  private from(userId: number): Json {
    const u = this.user(userId);
    return { id: userId, is_bot: false, ...u };
  }

  private chatFor(userId: number, kind: "private" | "group" = "private"): Json {
    if (kind === "group") return { id: -1_000_000_000 - userId, type: "group", title: "Some group" };
    const u = this.user(userId);
    return { id: userId, type: "private", first_name: u.first_name, ...(u.last_name ? { last_name: u.last_name } : {}) };
  }

  private messageUpdate(userId: number, fields: Json, chat: "private" | "group" = "private"): TgUpdate {
    return {
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: now(),
        chat: this.chatFor(userId, chat),
        from: this.from(userId),
        ...fields,
      },
    };
  }

  private addFile(folder: string, ext: string, bytes: Buffer, claimedSize?: number): FileEntry {
    const n = this.nextFileId++;
    const entry: FileEntry = {
      file_id: `FILE-${n}-${folder}`,
      file_unique_id: `U${n}`,
      file_path: `${folder}/file_${n}.${ext}`,
      file_size: claimedSize ?? bytes.length,
      bytes: Buffer.from(bytes),
    };
    this.files.set(entry.file_id, entry);
    return entry;
  }

  // ---------------------------------------------------------------- internals: HTTP

  private changed(): void {
    this.events.emit("change");
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const filePrefix = `/file/bot${this.token}/`;
    if (req.method === "GET" && url.pathname.startsWith(filePrefix)) {
      const path = decodeURIComponent(url.pathname.slice(filePrefix.length));
      const entry = [...this.files.values()].find((f) => f.file_path === path);
      this.downloads.push(path);
      this.changed();
      if (entry === undefined) {
        res.writeHead(404).end("Not Found");
        return;
      }
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(entry.bytes.length) });
      res.end(entry.bytes);
      return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (m === null) {
      reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    if (m[1] !== this.token) {
      reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const method = m[2]!;
    const payload = await readPayload(req, url);
    const failure = this.takeFailure(method);
    if (failure !== undefined) {
      this.calls.push({ method, payload, failed: true });
      this.changed();
      if (failure === "network") {
        req.socket.destroy();
        return;
      }
      reply(res, failure.error_code, { ok: false, ...failure });
      return;
    }
    const result = await this.handle(method, payload, res);
    if (result.ok) {
      this.calls.push({ method, payload, failed: false });
      reply(res, 200, { ok: true, result: result.value });
    } else {
      this.calls.push({ method, payload, failed: true });
      reply(res, result.error.error_code, { ok: false, ...result.error });
    }
    this.changed();
  }

  private takeFailure(method: string): InjectedFailure | undefined {
    const i = this.failures.findIndex((f) => f.methods.includes(method));
    if (i === -1) return undefined;
    const rule = this.failures[i]!;
    if (rule.skip > 0) {
      rule.skip--;
      return undefined;
    }
    this.failures.splice(i, 1);
    return rule.failure;
  }

  private async handle(
    method: string,
    p: Json,
    res: ServerResponse,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: { error_code: number; description: string } }> {
    const bad = (description: string) => ({ ok: false as const, error: { error_code: 400, description: `Bad Request: ${description}` } });
    switch (method) {
      case "getMe":
        return {
          ok: true,
          value: {
            id: this.botId,
            is_bot: true,
            first_name: "Test Bot",
            username: "test_bot",
            can_join_groups: false,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
            can_connect_to_business: false,
            has_main_web_app: false,
          },
        };
      case "getUpdates":
        if (this.webhook !== undefined) {
          return {
            ok: false,
            error: { error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" },
          };
        }
        this.getUpdatesCalls.push(p);
        return { ok: true, value: await this.getUpdates(p, res) };
      case "sendMessage": {
        if (p.chat_id === undefined) return bad("chat_id is empty");
        const text = typeof p.text === "string" ? p.text : "";
        if (text.trim() === "") return bad("message text is empty");
        if (text.length > 4096) return bad("message is too long");
        const markupError = checkMarkup(p.reply_markup);
        if (markupError) return bad(markupError);
        const sent: SentMessage = {
          method: "sendMessage",
          chat_id: String(p.chat_id),
          message_id: this.nextMessageId++,
          text,
          payload: p,
          ...(typeof p.parse_mode === "string" ? { parse_mode: p.parse_mode } : {}),
          ...(isObject(p.reply_markup) ? { reply_markup: p.reply_markup } : {}),
        };
        this.sent.push(sent);
        this.events.emit("sent", sent);
        return { ok: true, value: this.messageResult(sent) };
      }
      case "sendDocument": {
        if (p.chat_id === undefined) return bad("chat_id is empty");
        const doc = p.document;
        const file = isUpload(doc) ? doc : undefined;
        if (file === undefined) return bad("there is no document in the request");
        const caption = typeof p.caption === "string" ? p.caption : undefined;
        if (caption !== undefined && caption.length > 1024) return bad("message caption is too long");
        const sent: SentMessage = {
          method: "sendDocument",
          chat_id: String(p.chat_id),
          message_id: this.nextMessageId++,
          document: { fileName: file.fileName, bytes: file.bytes },
          payload: { ...p, document: `<${file.bytes.length} bytes>` },
          ...(caption !== undefined ? { caption } : {}),
          ...(typeof p.parse_mode === "string" ? { parse_mode: p.parse_mode } : {}),
          ...(isObject(p.reply_markup) ? { reply_markup: p.reply_markup } : {}),
        };
        this.sent.push(sent);
        this.events.emit("sent", sent);
        return { ok: true, value: this.messageResult(sent) };
      }
      case "answerCallbackQuery":
        if (typeof p.callback_query_id !== "string") return bad("query id is empty");
        this.answeredCallbacks.push({ callback_query_id: p.callback_query_id, ...(typeof p.text === "string" ? { text: p.text } : {}) });
        return { ok: true, value: true };
      case "getFile": {
        const entry = typeof p.file_id === "string" ? this.files.get(p.file_id) : undefined;
        if (entry === undefined) return bad("invalid file_id");
        if (entry.file_size > this.maxDownloadBytes) return bad("file is too big");
        return {
          ok: true,
          value: { file_id: entry.file_id, file_unique_id: entry.file_unique_id, file_size: entry.file_size, file_path: entry.file_path },
        };
      }
      case "setMyCommands":
        if (!Array.isArray(p.commands)) return bad("commands must be an array");
        this.commandCalls.push({
          commands: p.commands,
          ...(isObject(p.scope) ? { scope: p.scope } : {}),
          ...(typeof p.language_code === "string" ? { language_code: p.language_code } : {}),
        });
        return { ok: true, value: true };
      case "setWebhook":
        if (typeof p.url !== "string") return bad("bad webhook: URL is empty");
        this.webhook = {
          url: p.url,
          ...(typeof p.secret_token === "string" ? { secret_token: p.secret_token } : {}),
          allowed_updates: p.allowed_updates,
          drop_pending_updates: p.drop_pending_updates,
        };
        return { ok: true, value: true };
      case "deleteWebhook":
        this.webhook = undefined;
        this.deleteWebhookCalls.push(p);
        if (p.drop_pending_updates === true) this.queue.splice(0, this.queue.length);
        return { ok: true, value: true };
      case "getWebhookInfo":
        return { ok: true, value: { url: this.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: this.queue.length } };
      default:
        return { ok: false, error: { error_code: 404, description: "Not Found: method not found" } };
    }
  }

  private messageResult(sent: SentMessage): Json {
    return {
      message_id: sent.message_id,
      date: now(),
      chat: { id: Number(sent.chat_id), type: "private" },
      from: { id: this.botId, is_bot: true, first_name: "Test Bot", username: "test_bot" },
      ...(sent.text !== undefined ? { text: sent.text } : {}),
      ...(sent.caption !== undefined ? { caption: sent.caption } : {}),
      ...(sent.document ? { document: { file_id: `SENT-${sent.message_id}`, file_unique_id: `S${sent.message_id}`, file_name: sent.document.fileName } } : {}),
    };
  }

  /** Telegram's getUpdates: `offset` confirms every delivered update below it; waits when nothing is queued. */
  private async getUpdates(p: Json, res: ServerResponse): Promise<TgUpdate[]> {
    const offset = typeof p.offset === "number" ? p.offset : 0;
    const limit = typeof p.limit === "number" ? Math.max(1, Math.min(100, p.limit)) : 100;
    const allowed = Array.isArray(p.allowed_updates) && p.allowed_updates.length > 0 ? (p.allowed_updates as string[]) : undefined;
    const timeoutMs = Math.min(this.maxLongPollMs, (typeof p.timeout === "number" ? p.timeout : 0) * 1000);

    const take = (): TgUpdate[] => {
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const q = this.queue[i]!;
        const notAllowed = allowed !== undefined && !Object.keys(q.update).some((k) => allowed.includes(k));
        if ((q.delivered && q.update.update_id < offset) || notAllowed) this.queue.splice(i, 1);
      }
      const batch = this.queue.slice(0, limit);
      for (const q of batch) q.delivered = true;
      return batch.map((q) => q.update);
    };

    let batch = take();
    if (batch.length > 0 || timeoutMs <= 0) return batch;
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.pollWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.pollWaiters.add(wake);
      // The client gave up (grammY aborts the poll on stop): do not mark anything as delivered.
      res.once("close", wake);
    });
    batch = this.server === undefined || res.destroyed || res.socket === null || res.socket.destroyed ? [] : take();
    this.changed();
    return batch;
  }
}

// ------------------------------------------------------------------ helpers

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

interface Upload {
  fileName: string;
  bytes: Buffer;
}

function isUpload(v: unknown): v is Upload {
  return isObject(v) && typeof v.fileName === "string" && Buffer.isBuffer(v.bytes);
}

function checkMarkup(markup: unknown): string | undefined {
  if (!isObject(markup)) return undefined;
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows)) return undefined;
  for (const row of rows) {
    if (!Array.isArray(row)) return "can't parse inline keyboard button: InlineKeyboardButton must be an Array";
    for (const b of row) {
      if (!isObject(b) || typeof b.text !== "string" || b.text === "") return "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
      if (typeof b.callback_data === "string" && Buffer.byteLength(b.callback_data, "utf8") > 64) return "BUTTON_DATA_INVALID";
    }
  }
  return undefined;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a Bot API call's parameters from the query string, a JSON body or a multipart/form-data body. */
async function readPayload(req: IncomingMessage, url: URL): Promise<Json> {
  const payload: Json = Object.fromEntries(url.searchParams.entries());
  const body = await readBody(req);
  if (body.length === 0) return payload;
  const type = req.headers["content-type"] ?? "";
  if (type.startsWith("application/json")) return { ...payload, ...(JSON.parse(body.toString("utf8")) as Json) };
  if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
    if (boundary === null) return payload;
    return { ...payload, ...parseMultipart(body, boundary[1] ?? boundary[2]!) };
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    return { ...payload, ...Object.fromEntries(new URLSearchParams(body.toString("utf8")).entries()) };
  }
  return payload;
}

/**
 * Parses multipart/form-data as grammY writes it: plain fields (objects are JSON strings) and file
 * parts referenced by `attach://<id>` from a field. Files are returned in place of their reference.
 */
function parseMultipart(body: Buffer, boundary: string): Json {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Json = {};
  const files = new Map<string, Upload>();
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    if (body.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    let part = body.subarray(start, next);
    if (part.subarray(part.length - 2).toString() === "\r\n") part = part.subarray(0, part.length - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const fileName = /filename=(?:"([^"]*)"|([^\r\n;]*))/i.exec(headers);
    if (name !== undefined) {
      if (fileName !== null) files.set(name, { fileName: fileName[1] ?? fileName[2] ?? "", bytes: Buffer.from(content) });
      else fields[name] = parseField(name, content.toString("utf8"));
    }
    pos = next;
  }
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string" && value.startsWith("attach://")) {
      const file = files.get(value.slice("attach://".length));
      if (file !== undefined) fields[key] = file;
    }
  }
  return fields;
}

/** Fields that carry JSON in form data; everything else stays a string, as the Bot API reads it. */
const JSON_FIELDS = new Set(["reply_markup", "reply_parameters", "caption_entities", "entities", "link_preview_options", "scope", "commands", "allowed_updates"]);

function parseField(name: string, value: string): unknown {
  if (!JSON_FIELDS.has(name)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
