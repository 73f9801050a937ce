/**
 * A stand-in for Meta's Graph API (WhatsApp Cloud API) on loopback, for tests: a real HTTP server
 * on 127.0.0.1 that takes sends (POST /{phone-number-id}/messages), uploads (POST .../media,
 * multipart), media lookups (GET /{media-id}) and downloads (GET of the URL it hands out, bearer
 * token required), records what the office sent and answers with Meta's error shapes on demand.
 * It also plays Meta's side of the webhook: it builds `messages` webhook bodies (incoming messages,
 * delivery statuses) and POSTs them to the app with a real X-Hub-Signature-256.
 * No import from src/: it sees only HTTP.
 */
import { waitForChange } from "./wait.js";
import { createHmac, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Json = Record<string, unknown>;
export const GRAPH_VERSION = "v23.0";

/** An error the stand-in answers instead of the next matching call; "network" drops the connection. */
export type GraphFailure = { httpStatus: number; code: number; message?: string; details?: string } | "network";
export type FailTarget = "messages" | "upload" | "media" | "download";

/** One accepted POST /messages, in the order they came. */
export interface CloudSent {
  id: string;
  /** Phone number (wa_id) or business-scoped user id. */
  to: string;
  type: string;
  payload: Json;
  /** For documents sent by an uploaded media id: the upload. */
  document?: { fileName: string; caption?: string; bytes: Buffer; mimeType: string };
}

export interface ApiCall {
  method: string;
  path: string;
  failed: boolean;
}

interface MediaEntry {
  id: string;
  bytes: Buffer;
  mimeType: string;
  /** What the lookup claims (may exceed the bytes, to fake a huge file). */
  fileSize: number;
}

interface Upload {
  id: string;
  bytes: Buffer;
  mimeType: string;
  fileName: string;
}

export interface FakeGraphOptions {
  token?: string;
  appSecret?: string;
  phoneNumberId?: string;
  /** Timestamps of the messages it builds (a test's fixed clock); default the real time. */
  now?: () => Date;
}

const WAIT_MS = 5_000;

export class FakeGraphApi {
  readonly token: string;
  readonly appSecret: string;
  readonly phoneNumberId: string;
  readonly sent: CloudSent[] = [];
  readonly calls: ApiCall[] = [];
  readonly uploads: Upload[] = [];
  /** Media ids whose bytes were downloaded. */
  readonly downloads: string[] = [];
  /** Answers of the app to the webhooks posted. */
  readonly webhookAnswers: number[] = [];
  webhookUrl: string | undefined;

  private server: Server | undefined;
  private port = 0;
  private readonly media = new Map<string, MediaEntry>();
  private readonly failures: { target: FailTarget; failure: GraphFailure; skip: number }[] = [];
  private readonly events = new EventEmitter();
  private nextId = 1;
  private readonly now: () => Date;

  constructor(opts: FakeGraphOptions = {}) {
    this.token = opts.token ?? `EAAtest${randomBytes(24).toString("hex")}`;
    this.appSecret = opts.appSecret ?? randomBytes(16).toString("hex");
    this.phoneNumberId = opts.phoneNumberId ?? "109876543210987";
    this.now = opts.now ?? (() => new Date());
    this.events.setMaxListeners(0);
  }

  static async start(opts: FakeGraphOptions = {}): Promise<FakeGraphApi> {
    const fake = new FakeGraphApi(opts);
    await fake.listen();
    return fake;
  }

  get apiRoot(): string {
    return `${this.origin}/${GRAPH_VERSION}`;
  }

  private get origin(): string {
    if (this.server === undefined) throw new Error("fake Graph API is not listening");
    return `http://127.0.0.1:${this.port}`;
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) reply(res, 500, { error: { code: 1, message: `fake error: ${String(err)}` } });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ------------------------------------------------------------------ test API: outbound

  /** The next matching call fails this way; `after` lets that many matching calls succeed first. */
  failNext(target: FailTarget, failure: GraphFailure, opts: { after?: number } = {}): void {
    this.failures.push({ target, failure, skip: opts.after ?? 0 });
  }

  /** What was sent to a phone number (digits) or user id. */
  sentTo(to: string): CloudSent[] {
    return this.sent.filter((s) => s.to === to);
  }

  /** Resolves once `condition()` holds (checked after every call), or rejects after a while. */
  waitFor(condition: () => boolean, what = "condition", timeoutMs = WAIT_MS): Promise<void> {
    return waitForChange(this.events, "change", condition, `fake Graph API: ${what}`, timeoutMs);
  }

  // ------------------------------------------------------------------ test API: what people send

  /** Stores a file people can send; `claimedSize` is what the lookup reports. */
  addMedia(bytes: Buffer, mimeType: string, claimedSize?: number): string {
    const id = `${9_000_000_000 + this.nextId++}`;
    this.media.set(id, { id, bytes: Buffer.from(bytes), mimeType, fileSize: claimedSize ?? bytes.length });
    return id;
  }

  private messageId(): string {
    return `wamid.HBgL${Buffer.from(`in-${this.nextId++}-${randomBytes(6).toString("hex")}`).toString("base64")}`;
  }

  /** A `messages` webhook with one incoming message from `waId` (digits) of `type` with `fields`. */
  message(waId: string, type: string, fields: Json, opts: { name?: string; id?: string } = {}): Json {
    const message = { from: waId, id: opts.id ?? this.messageId(), timestamp: String(Math.floor(this.now().getTime() / 1000)), type, ...fields };
    return this.envelope({ contacts: [{ profile: { name: opts.name ?? `Pengguna ${waId.slice(-4)}` }, wa_id: waId }], messages: [message] });
  }

  text(waId: string, body: string, opts: { name?: string } = {}): Json {
    return this.message(waId, "text", { text: { body } }, opts);
  }

  buttonReply(waId: string, id: string, title = id): Json {
    return this.message(waId, "interactive", { interactive: { type: "button_reply", button_reply: { id, title } } });
  }

  listReply(waId: string, id: string, title = id): Json {
    return this.message(waId, "interactive", { interactive: { type: "list_reply", list_reply: { id, title, description: "" } } });
  }

  /** A tap on a template's quick-reply button. */
  templateButton(waId: string, payload: string, text: string): Json {
    return this.message(waId, "button", { button: { payload, text } });
  }

  image(waId: string, bytes: Buffer, opts: { caption?: string; mimeType?: string; claimedSize?: number } = {}): Json {
    const mimeType = opts.mimeType ?? "image/jpeg";
    const id = this.addMedia(bytes, mimeType, opts.claimedSize);
    return this.message(waId, "image", { image: { id, mime_type: mimeType, sha256: "x", ...(opts.caption ? { caption: opts.caption } : {}) } });
  }

  document(waId: string, bytes: Buffer, fileName: string, mimeType: string, opts: { caption?: string; claimedSize?: number } = {}): Json {
    const id = this.addMedia(bytes, mimeType, opts.claimedSize);
    return this.message(waId, "document", { document: { id, mime_type: mimeType, sha256: "x", filename: fileName, ...(opts.caption ? { caption: opts.caption } : {}) } });
  }

  /** A contact card; its account (wa_id) is `cardWaId` (the sender's own when it is their number). */
  contact(waId: string, phone: string, opts: { cardWaId?: string; name?: string } = {}): Json {
    const cardWaId = opts.cardWaId ?? phone.replace(/\D/g, "");
    return this.message(waId, "contacts", { contacts: [{ name: { formatted_name: opts.name ?? "Kontak", first_name: opts.name ?? "Kontak" }, phones: [{ phone, wa_id: cardWaId, type: "CELL" }] }] });
  }

  location(waId: string, latitude: number, longitude: number): Json {
    return this.message(waId, "location", { location: { latitude, longitude, name: "Pasar Ubud" } });
  }

  voice(waId: string): Json {
    const id = this.addMedia(Buffer.from("OggS"), "audio/ogg; codecs=opus");
    return this.message(waId, "audio", { audio: { id, mime_type: "audio/ogg; codecs=opus", voice: true } });
  }

  sticker(waId: string): Json {
    const id = this.addMedia(Buffer.from("RIFF....WEBP"), "image/webp");
    return this.message(waId, "sticker", { sticker: { id, mime_type: "image/webp", animated: false } });
  }

  /** A message type Meta itself cannot read. */
  unsupported(waId: string): Json {
    return this.message(waId, "unsupported", { errors: [{ code: 131051, title: "Message type unknown", message: "Message type unknown", error_data: { details: "Message type is currently not supported." } }] });
  }

  reaction(waId: string, messageId: string): Json {
    return this.message(waId, "reaction", { reaction: { message_id: messageId, emoji: "👍" } });
  }

  /** A `messages` webhook with a delivery status of a message the office sent. */
  status(wamid: string, status: "sent" | "delivered" | "read" | "failed", opts: { code?: number; title?: string } = {}): Json {
    const sent = this.sent.find((s) => s.id === wamid);
    const recipient = sent?.to ?? "0";
    const base = { id: wamid, status, timestamp: String(Math.floor(this.now().getTime() / 1000)), recipient_id: recipient };
    const extra =
      status === "failed"
        ? { errors: [{ code: opts.code ?? 131000, title: opts.title ?? "Something went wrong", message: opts.title ?? "Something went wrong", error_data: { details: opts.title ?? "failed" } }] }
        : { conversation: { id: "conv-1", origin: { type: "service" } }, pricing: { billable: true, pricing_model: "PMP", category: "service" } };
    return this.envelope({ statuses: [{ ...base, ...extra }] });
  }

  private envelope(value: Json): Json {
    return {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102290129340398",
          changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "6236100000", phone_number_id: this.phoneNumberId }, ...value } }],
        },
      ],
    };
  }

  /** The signature Meta puts on a body. */
  sign(raw: string | Buffer): string {
    return `sha256=${createHmac("sha256", this.appSecret).update(raw).digest("hex")}`;
  }

  /**
   * POSTs a webhook body to the app as Meta does, signed with the app secret (or with a wrong
   * signature, or none). Resolves with the app's HTTP status once it answered.
   */
  async deliver(body: Json | string, opts: { signature?: "valid" | "wrong" | "none"; url?: string } = {}): Promise<number> {
    const url = opts.url ?? this.webhookUrl;
    if (!url) throw new Error("fake Graph API: no webhook URL");
    const raw = typeof body === "string" ? body : JSON.stringify(body);
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "facebookexternalua" };
    const sig = opts.signature ?? "valid";
    if (sig === "valid") headers["x-hub-signature-256"] = this.sign(raw);
    if (sig === "wrong") headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", "not-the-secret").update(raw).digest("hex")}`;
    const res = await fetch(url, { method: "POST", headers, body: raw });
    await res.arrayBuffer();
    this.webhookAnswers.push(res.status);
    this.changed();
    return res.status;
  }

  // ------------------------------------------------------------------ internals

  private changed(): void {
    this.events.emit("change");
  }

  private takeFailure(target: FailTarget): GraphFailure | undefined {
    const i = this.failures.findIndex((f) => f.target === target);
    if (i < 0) return undefined;
    const f = this.failures[i]!;
    if (f.skip > 0) {
      f.skip--;
      return undefined;
    }
    this.failures.splice(i, 1);
    return f.failure;
  }

  /** Answers with the failure if one is due; true when it did. */
  private failed(target: FailTarget, req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const f = this.takeFailure(target);
    if (f === undefined) return false;
    this.calls.push({ method: req.method ?? "?", path, failed: true });
    this.changed();
    if (f === "network") {
      req.socket.destroy();
      return true;
    }
    reply(res, f.httpStatus, {
      error: { message: `(#${f.code}) ${f.message ?? "error"}`, type: "OAuthException", code: f.code, error_data: { messaging_product: "whatsapp", details: f.details ?? f.message ?? "error" }, fbtrace_id: "Atrace" },
    });
    return true;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const body = await readBody(req);
    const authorized = req.headers.authorization === `Bearer ${this.token}`;
    const dl = /^\/download\/(\d+)$/.exec(url.pathname);
    if (dl) {
      if (!authorized) return reply(res, 401, { error: { code: 190, message: "Invalid OAuth access token" } });
      if (this.failed("download", req, res, url.pathname)) return;
      const m = this.media.get(dl[1]!);
      if (!m) return reply(res, 404, { error: { code: 100, message: "not found" } });
      this.downloads.push(m.id);
      this.calls.push({ method: "GET", path: url.pathname, failed: false });
      this.changed();
      res.writeHead(200, { "content-type": m.mimeType, "content-length": String(m.bytes.length) });
      res.end(m.bytes);
      return;
    }
    const prefix = `/${GRAPH_VERSION}/`;
    if (!url.pathname.startsWith(prefix)) return reply(res, 404, { error: { code: 100, message: "Unknown path" } });
    const rest = url.pathname.slice(prefix.length);
    if (!authorized) return reply(res, 401, { error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 } });

    if (req.method === "POST" && rest === `${this.phoneNumberId}/messages`) {
      if (this.failed("messages", req, res, rest)) return;
      const payload = JSON.parse(body.toString("utf8")) as Json;
      if (payload.messaging_product !== "whatsapp") return reply(res, 400, { error: { code: 100, message: "messaging_product required" } });
      const to = typeof payload.to === "string" ? payload.to : typeof payload.recipient === "string" ? payload.recipient : undefined;
      if (!to) return reply(res, 400, { error: { code: 131008, message: "Required parameter is missing" } });
      const id = `wamid.OUT${this.nextId++}${randomBytes(4).toString("hex")}`;
      const record: CloudSent = { id, to, type: String(payload.type), payload };
      if (payload.type === "document") {
        const d = payload.document as { id?: string; filename?: string; caption?: string };
        const up = this.uploads.find((u) => u.id === d.id);
        if (!up) return reply(res, 400, { error: { code: 131053, message: "Media upload error: unknown media id" } });
        record.document = { fileName: d.filename ?? up.fileName, bytes: up.bytes, mimeType: up.mimeType, ...(d.caption ? { caption: d.caption } : {}) };
      }
      this.sent.push(record);
      this.calls.push({ method: "POST", path: rest, failed: false });
      this.changed();
      return reply(res, 200, { messaging_product: "whatsapp", contacts: [{ input: to, wa_id: to }], messages: [{ id }] });
    }
    if (req.method === "POST" && rest === `${this.phoneNumberId}/media`) {
      if (this.failed("upload", req, res, rest)) return;
      const form = await new Request("http://fake/upload", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body: new Uint8Array(body) }).formData();
      const file = form.get("file");
      if (form.get("messaging_product") !== "whatsapp" || !(file instanceof Blob)) return reply(res, 400, { error: { code: 100, message: "file and messaging_product required" } });
      const id = `${8_000_000_000 + this.nextId++}`;
      this.uploads.push({ id, bytes: Buffer.from(await file.arrayBuffer()), mimeType: file.type, fileName: (file as File).name });
      this.calls.push({ method: "POST", path: rest, failed: false });
      this.changed();
      return reply(res, 200, { id });
    }
    const mediaId = /^(\d+)$/.exec(rest);
    if (req.method === "GET" && mediaId) {
      if (this.failed("media", req, res, rest)) return;
      const m = this.media.get(mediaId[1]!);
      if (!m) return reply(res, 404, { error: { code: 100, message: "Unsupported get request" } });
      this.calls.push({ method: "GET", path: rest, failed: false });
      this.changed();
      return reply(res, 200, { messaging_product: "whatsapp", url: `${this.origin}/download/${m.id}`, mime_type: m.mimeType, sha256: "x", file_size: m.fileSize, id: m.id });
    }
    return reply(res, 404, { error: { code: 100, message: "Unknown path" } });
  }
}

function reply(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
