/**
 * The web chat channel through real HTTP on loopback: browsers are stand-ins with their own cookie
 * that post one message at a time (as the page does) and read what they received from the API.
 * Runs the shared channel contract, then the web specifics: cookies, history across reloads and
 * restarts, the event stream and its resume, uploads over the limit or of the wrong type,
 * malformed bodies, duplicates, downloads.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import Fastify, { type FastifyInstance } from "fastify";
import { parse as parseYaml } from "yaml";
import { Signer } from "@fastify/cookie";
import { channelContract, type ChannelHarness, type DeliveredMessage, type SendFailureKind } from "./contract.js";
import {
  createFileHistoryStore,
  createMemoryHistoryStore,
  createWebChannel,
  readPersonCookie,
  webChatPlugin,
  WEB_COOKIE,
  WEB_TEXT_KEYS,
  type WebChannel,
  type WebChannelLogger,
  type WebEntry,
  type WebHistoryStore,
} from "../../src/channels/web/index.js";
import type { Channel } from "../../src/channels/channel.js";
import type { HttpDeps } from "../../src/http/app.js";
import { ChannelSendError, type Inbound } from "../../src/messaging/model.js";

const SECRET = "web-chat-test-cookie-secret-0123456789";
const KB = 1024;
const MB = 1024 * KB;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 1, 2, 3, 4]);
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n");
const silent: WebChannelLogger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

// ------------------------------------------------------------------ a server and browsers

/** A store whose next appends of assistant entries fail the way a test asks. */
class FlakyStore implements WebHistoryStore {
  private failures: { kind: SendFailureKind; after: number }[] = [];
  constructor(readonly inner: WebHistoryStore) {}

  failNext(kind: SendFailureKind, after = 0): void {
    this.failures.push({ kind, after });
  }

  async append(personId: string, entry: WebEntry): Promise<void> {
    const f = entry.role === "assistant" ? this.failures[0] : undefined;
    if (f) {
      if (f.after > 0) f.after--;
      else {
        this.failures.shift();
        if (f.kind === "retry") throw new Error("ENOSPC: no space left on device");
        if (f.kind === "rate_limited") throw new ChannelSendError("slow down", "rate_limited", 3);
        throw new ChannelSendError("person forgotten", "permanent");
      }
    }
    await this.inner.append(personId, entry);
  }

  list(personId: string, afterSeq: number): Promise<WebEntry[]> {
    return this.inner.list(personId, afterSeq);
  }
}

interface Server {
  app: FastifyInstance;
  channel: WebChannel;
  store: FlakyStore;
  base: string;
  close(): Promise<void>;
}

async function startServer(o: { maxUploadBytes?: number; store?: WebHistoryStore; resolveFile?: (k: string) => Promise<Buffer> } = {}): Promise<Server> {
  const store = new FlakyStore(o.store ?? createMemoryHistoryStore());
  const channel = createWebChannel({ maxUploadBytes: o.maxUploadBytes ?? 256 * KB, logger: silent, historyStore: store });
  // Browsers and fetch open connections they may never use; closing must not wait for them.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  // The shape buildApp takes in `plugins`.
  const plugin: NonNullable<HttpDeps["plugins"]>[number] = webChatPlugin(channel, {
    cookieSecret: SECRET,
    secure: false,
    ...(o.resolveFile ? { resolveFile: o.resolveFile } : {}),
  });
  await app.register(plugin);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  if (addr === null || typeof addr === "string") throw new Error("no port");
  return {
    app,
    channel,
    store,
    base: `http://127.0.0.1:${addr.port}`,
    close: async () => {
      await channel.stop();
      await app.close();
    },
  };
}

interface ApiResult {
  status: number;
  body: Record<string, unknown> | null;
}

/** A browser: its own cookie jar, and (like the page) one message in flight at a time. */
class Browser {
  private chain: Promise<unknown> = Promise.resolve();
  readonly results: ApiResult[] = [];
  delivered: DeliveredMessage[] = [];
  private readonly docBytes = new Map<string, Buffer>();

  private constructor(
    readonly base: string,
    readonly cookie: string,
    readonly personId: string,
  ) {}

  /** Opens the page: gets a cookie (or keeps the one given). */
  static async open(base: string, cookie?: string): Promise<Browser> {
    const res = await fetch(`${base}/chat`, { headers: cookie ? { cookie } : {} });
    expect(res.status).toBe(200);
    await res.text();
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${WEB_COOKIE}=`));
    if (!set) throw new Error("no cookie set");
    const pair = set.split(";")[0]!;
    const value = decodeURIComponent(pair.slice(WEB_COOKIE.length + 1));
    const personId = readPersonCookie(SECRET, value);
    if (personId === undefined) throw new Error("cookie not signed with the secret");
    return new Browser(base, pair, personId);
  }

  async request(method: string, url: string, init: { json?: unknown; raw?: string; headers?: Record<string, string>; form?: FormData } = {}): Promise<ApiResult> {
    const headers: Record<string, string> = { cookie: this.cookie, ...(init.headers ?? {}) };
    let body: string | FormData | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.raw !== undefined) {
      headers["content-type"] ??= "application/json";
      body = init.raw;
    } else if (init.form) body = init.form;
    const res = await fetch(`${this.base}${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed };
  }

  postMessage(body: Record<string, unknown>): Promise<ApiResult> {
    return this.request("POST", "/chat/api/messages", { json: body });
  }

  upload(bytes: Buffer, fileName: string, mimeType: string, clientMessageId: string): Promise<ApiResult> {
    const form = new FormData();
    form.append("clientMessageId", clientMessageId);
    form.append("file", new Blob([new Uint8Array(bytes)], { type: mimeType }), fileName);
    return this.request("POST", "/chat/api/upload", { form });
  }

  /** Queue a request behind this browser's earlier ones; resolves at once. */
  enqueue(send: () => Promise<ApiResult>): void {
    this.chain = this.chain.then(send).then(
      (r) => this.results.push(r),
      (e: unknown) => this.results.push({ status: 0, body: { error: String(e) } }),
    );
  }

  settled(): Promise<unknown> {
    return this.chain;
  }

  async history(after?: number): Promise<{ entries: Record<string, unknown>[]; lastSeq: number; truncated: boolean }> {
    const r = await this.request("GET", `/chat/api/history${after !== undefined ? `?after=${after}` : ""}`);
    expect(r.status).toBe(200);
    return r.body as never;
  }

  /** Reads what the assistant sent so far, downloading documents, into `delivered`. */
  async sync(): Promise<void> {
    const { entries } = await this.history();
    const out: DeliveredMessage[] = [];
    for (const e of entries) {
      if (e.role !== "assistant") continue;
      if (e.kind === "text") {
        const choices = e.choices as { id: string; label: string }[] | undefined;
        out.push({ kind: "text", text: e.text as string, ...(choices ? { buttons: choices.map((c) => ({ label: c.label, id: c.id })) } : {}) });
      } else {
        const id = e.id as string;
        let bytes = this.docBytes.get(id);
        if (!bytes) {
          const res = await fetch(`${this.base}/chat/api/files/${id}`, { headers: { cookie: this.cookie } });
          expect(res.status).toBe(200);
          bytes = Buffer.from(await res.arrayBuffer());
          this.docBytes.set(id, bytes);
        }
        out.push({ kind: "document", fileName: e.fileName as string, bytes, ...(e.caption !== undefined ? { caption: e.caption as string } : {}) });
      }
    }
    this.delivered = out;
  }
}

/** Reads a Server-Sent Events response as it arrives. */
class EventReader {
  private buf = "";
  readonly events: { id?: string; event?: string; data: string }[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]> | undefined;

  constructor(
    res: Response,
    readonly abort: AbortController,
  ) {
    this.reader = res.body!.getReader();
  }

  static async open(base: string, cookie: string, query = "", headers: Record<string, string> = {}): Promise<EventReader> {
    const abort = new AbortController();
    const res = await fetch(`${base}/chat/api/events${query}`, { headers: { cookie, ...headers }, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    return new EventReader(res, abort);
  }

  /** Reads until `n` entry events arrived (or fails after `ms`). */
  async entries(n: number, ms = 5_000): Promise<{ seq: number; entry: Record<string, unknown> }[]> {
    const deadline = Date.now() + ms;
    while (this.events.filter((e) => e.event === "entry").length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${n} events, got ${this.events.length}`);
      // A read that lost the race stays pending and is awaited next time (no chunk is dropped).
      this.pending ??= this.reader.read();
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([this.pending, new Promise<"timeout">((res) => (timer = setTimeout(() => res("timeout"), left)))]);
      clearTimeout(timer);
      if (r === "timeout") continue;
      this.pending = undefined;
      if (r.done) throw new Error("event stream ended");
      this.buf += this.decoder.decode(r.value, { stream: true });
      let cut: number;
      while ((cut = this.buf.indexOf("\n\n")) >= 0) {
        const block = this.buf.slice(0, cut);
        this.buf = this.buf.slice(cut + 2);
        const ev: { id?: string; event?: string; data: string } = { data: "" };
        for (const line of block.split("\n")) {
          if (line.startsWith("id: ")) ev.id = line.slice(4);
          else if (line.startsWith("event: ")) ev.event = line.slice(7);
          else if (line.startsWith("data: ")) ev.data += line.slice(6);
        }
        if (ev.event) this.events.push(ev);
      }
    }
    return this.events.filter((e) => e.event === "entry").map((e) => ({ seq: Number(e.id), entry: JSON.parse(e.data) as Record<string, unknown> }));
  }

  close(): void {
    this.abort.abort();
  }
}

const noFiles = async (): Promise<Buffer> => {
  throw new Error("no file expected");
};

/** Records inbound messages; waitFor polls a condition (no fixed sleeps). */
function recorder(hold: (m: Inbound) => Promise<void> = async () => {}) {
  const got: Inbound[] = [];
  const handler = async (m: Inbound): Promise<void> => {
    got.push(m);
    await hold(m);
  };
  return { got, handler };
}

// ------------------------------------------------------------------ the contract

async function webHarness(): Promise<ChannelHarness<{ browser: Browser; send: () => Promise<ApiResult> }>> {
  const server = await startServer({ maxUploadBytes: 64 * KB });
  const a = await Browser.open(server.base);
  const b = await Browser.open(server.base);
  const browsers = new Map([a, b].map((x) => [x.personId, x]));
  const browser = (p: string): Browser => browsers.get(p) ?? (() => { throw new Error(`no browser for ${p}`); })();
  const push = (p: string, send: () => Promise<ApiResult>) => {
    const br = browser(p);
    br.enqueue(send);
    return Promise.resolve({ browser: br, send });
  };
  // What the person received is what their browser reads back over HTTP after each send.
  const real = server.channel;
  const channel: Channel = {
    name: real.name,
    limits: real.limits,
    start: (h) => real.start(h),
    stop: () => real.stop(),
    send: async (to, msg, resolveFile) => {
      try {
        await real.send(to, msg, resolveFile);
      } finally {
        await Promise.all([a.sync(), b.sync()]);
      }
    },
  };
  return {
    channel,
    personA: a.personId,
    personB: b.personId,
    inject: {
      // The body (and its clientMessageId) is fixed here, so a duplicate repeats the very same request.
      text: (p, text) => {
        const body = { clientMessageId: crypto.randomUUID(), text };
        return push(p, () => browser(p).postMessage(body));
      },
      choice: (p, choiceId) => {
        const body = { clientMessageId: crypto.randomUUID(), choiceId };
        return push(p, () => browser(p).postMessage(body));
      },
      photo: (p, bytes) => {
        const id = crypto.randomUUID();
        return push(p, () => browser(p).upload(bytes, "foto-ktp.jpg", "image/jpeg", id));
      },
      document: (p, bytes, fileName, mimeType) => {
        const id = crypto.randomUUID();
        return push(p, () => browser(p).upload(bytes, fileName, mimeType, id));
      },
      oversizedFile: (p) => {
        const id = crypto.randomUUID();
        const bytes = Buffer.concat([JPEG, Buffer.alloc(64 * KB)]);
        return push(p, () => browser(p).upload(bytes, "foto-besar.jpg", "image/jpeg", id));
      },
      duplicate: async (ref) => {
        ref.browser.enqueue(ref.send);
      },
    },
    sentTo: (p) => browser(p).delivered,
    failNextSend: (kind, opts) => server.store.failNext(kind, opts?.after ?? 0),
    close: async () => {
      await Promise.all([a.settled(), b.settled()]);
      await server.close();
    },
  };
}

channelContract("web", webHarness);

// ------------------------------------------------------------------ web specifics

const open: Server[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});
async function server(o: Parameters<typeof startServer>[0] = {}): Promise<Server> {
  const s = await startServer(o);
  open.push(s);
  return s;
}

describe("web chat: people and cookies", () => {
  it("gives each browser its own person in a signed, httpOnly, SameSite=Lax cookie, kept on reload", async () => {
    const s = await server();
    const res = await fetch(`${s.base}/chat`);
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${WEB_COOKIE}=`))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\/chat/);
    expect(set).toMatch(/Max-Age=\d{6,}/);
    expect(set).not.toMatch(/Secure/i);

    const a = await Browser.open(s.base);
    const b = await Browser.open(s.base);
    expect(a.personId).not.toBe(b.personId);
    expect(a.personId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const again = await Browser.open(s.base, a.cookie);
    expect(again.personId).toBe(a.personId);
  });

  it("refuses the API without a valid cookie (401) and gives a tampered cookie a new person", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const none = await fetch(`${s.base}/chat/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientMessageId: crypto.randomUUID(), text: "halo" }),
    });
    expect(none.status).toBe(401);
    const a = await Browser.open(s.base);
    const forged = `${WEB_COOKIE}=${encodeURIComponent(`${"A".repeat(22)}.${a.cookie.split(".").pop()}`)}`;
    const r = await fetch(`${s.base}/chat/api/history`, { headers: { cookie: forged } });
    expect(r.status).toBe(401);
    const page = await Browser.open(s.base, forged);
    expect(page.personId).not.toBe("A".repeat(22));
    // Signed with the secret itself (as another area's cookie would be): not a web chat cookie.
    const otherArea = `${WEB_COOKIE}=${encodeURIComponent(new Signer(SECRET).sign(a.personId))}`;
    expect((await fetch(`${s.base}/chat/api/history`, { headers: { cookie: otherArea } })).status).toBe(401);
    expect(inbox.got).toEqual([]);
  });

  it("refuses a POST from another origin (403) and handles nothing", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    const r = await a.request("POST", "/chat/api/messages", {
      json: { clientMessageId: crypto.randomUUID(), text: "halo" },
      headers: { origin: "http://localhost:4000" },
    });
    expect(r.status).toBe(403);
    const ok = await a.request("POST", "/chat/api/messages", { json: { clientMessageId: crypto.randomUUID(), text: "halo" }, headers: { origin: s.base } });
    expect(ok.status).toBe(202);
    expect(inbox.got).toHaveLength(1);
  });
});

describe("web chat: inbound", () => {
  it("answers 202 only after the handler resolved, with the clientMessageId as messageId", async () => {
    const s = await server();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const inbox = recorder(() => gate);
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    const id = crypto.randomUUID();
    let answered = false;
    const pending = a.postMessage({ clientMessageId: id, text: "Saya mau daftar" }).then((r) => {
      answered = true;
      return r;
    });
    while (inbox.got.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    release();
    expect((await pending).status).toBe(202);
    expect(inbox.got[0]).toMatchObject({ from: { channel: "web", id: a.personId }, messageId: id, body: { type: "text", text: "Saya mau daftar" } });
  });

  it("passes a repeated clientMessageId to the handler with the same messageId, and shows it once", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    const id = crypto.randomUUID();
    expect((await a.postMessage({ clientMessageId: id, text: "halo" })).status).toBe(202);
    expect((await a.postMessage({ clientMessageId: id, text: "halo" })).status).toBe(202);
    expect(inbox.got.map((m) => m.messageId)).toEqual([id, id]);
    const h = await a.history();
    expect(h.entries.filter((e) => e.role === "client")).toHaveLength(1);
  });

  it("answers 500 when the handler fails; the browser's retry with the same id reaches the handler again", async () => {
    const s = await server();
    let fail = true;
    const inbox = recorder(async () => {
      if (fail) throw new Error("database down");
    });
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    const id = crypto.randomUUID();
    expect((await a.postMessage({ clientMessageId: id, text: "halo" })).status).toBe(500);
    fail = false;
    expect((await a.postMessage({ clientMessageId: id, text: "halo" })).status).toBe(202);
    expect(inbox.got.map((m) => m.messageId)).toEqual([id, id]);
  });

  it("rejects malformed bodies with 400 and changes nothing", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    const id = crypto.randomUUID();
    const bad: Array<{ raw?: string; json?: unknown }> = [
      { raw: "{not json" },
      { raw: "" },
      { json: [] },
      { json: { text: "tanpa id" } },
      { json: { clientMessageId: "bukan-uuid", text: "halo" } },
      { json: { clientMessageId: id } },
      { json: { clientMessageId: id, text: "   " } },
      { json: { clientMessageId: id, text: "x".repeat(4097) } },
      { json: { clientMessageId: id, text: "halo", choiceId: "a" } },
      { json: { clientMessageId: id, choiceId: "" } },
      { json: { clientMessageId: id, text: 42 } },
    ];
    for (const b of bad) {
      const r = await a.request("POST", "/chat/api/messages", b);
      expect(r.status, JSON.stringify(b)).toBe(400);
    }
    const noFile = new FormData();
    noFile.append("clientMessageId", id);
    expect((await a.request("POST", "/chat/api/upload", { form: noFile })).status).toBe(400);
    const noId = new FormData();
    noId.append("file", new Blob([new Uint8Array(JPEG)], { type: "image/jpeg" }), "a.jpg");
    expect((await a.request("POST", "/chat/api/upload", { form: noId })).status).toBe(400);
    const broken = await fetch(`${s.base}/chat/api/upload`, {
      method: "POST",
      headers: { cookie: a.cookie, "content-type": "multipart/form-data; boundary=XYZ" },
      body: "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff",
    });
    expect(broken.status).toBe(400);
    expect((await a.request("GET", "/chat/api/history?after=-1")).status).toBe(400);
    expect(inbox.got).toEqual([]);
    expect((await a.history()).entries).toEqual([]);
  });

  it("answers 503 before the channel started", async () => {
    const s = await server();
    const a = await Browser.open(s.base);
    const r = await a.postMessage({ clientMessageId: crypto.randomUUID(), text: "halo" });
    expect(r.status).toBe(503);
  });

  it("records the label of a tapped choice", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    await s.channel.send(a.personId, { type: "text", text: "Bidang usaha?", choices: [{ id: "sector:kuliner", label: "Kuliner" }] }, noFiles);
    expect((await a.postMessage({ clientMessageId: crypto.randomUUID(), choiceId: "sector:kuliner" })).status).toBe(202);
    expect(inbox.got[0]!.body).toEqual({ type: "choice", choiceId: "sector:kuliner" });
    const h = await a.history();
    expect(h.entries[1]).toMatchObject({ role: "client", kind: "choice", choiceId: "sector:kuliner", label: "Kuliner", seq: 2 });
  });
});

describe("web chat: uploads", () => {
  it("takes a photo and a PDF by their bytes, whatever type the browser declared", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    const png = Buffer.concat([PNG_HEAD, Buffer.alloc(300, 7)]);
    expect((await a.upload(png, "C:\\Users\\made\\KTP.png", "application/octet-stream", crypto.randomUUID())).status).toBe(202);
    expect((await a.upload(PDF, "proposal.pdf", "application/pdf", crypto.randomUUID())).status).toBe(202);
    expect(inbox.got.map((m) => m.body)).toMatchObject([
      { type: "media", media: { kind: "photo", mimeType: "image/png", fileName: "KTP.png" } },
      { type: "media", media: { kind: "document", mimeType: "application/pdf", fileName: "proposal.pdf" } },
    ]);
    const h = await a.history();
    expect(h.entries).toMatchObject([
      { role: "client", kind: "file", fileKind: "photo", fileName: "KTP.png", size: png.length },
      { role: "client", kind: "file", fileKind: "document", fileName: "proposal.pdf" },
    ]);
  });

  it("refuses a file over the limit with 413 and the limit in MB; the assistant is told too", async () => {
    const s = await server({ maxUploadBytes: 1 * MB });
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    // Over the limit, and over the app's default 1 MB body limit too.
    const big = Buffer.concat([JPEG, Buffer.alloc(1 * MB + 200 * KB)]);
    const id = crypto.randomUUID();
    const r = await a.upload(big, "ktp.jpg", "image/jpeg", id);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error: "too_large", limitMb: 1, limitBytes: 1 * MB });
    expect(r.body!.message).toContain("1 MB");
    expect(inbox.got).toHaveLength(1);
    expect(inbox.got[0]).toMatchObject({ messageId: id, body: { type: "rejected_media", reason: "too_large", limitBytes: 1 * MB, size: big.length } });
    expect((await a.history()).entries).toEqual([]);
  });

  it("refuses a file of the wrong type with 415 and says what is accepted", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    const gif = Buffer.from("GIF89a\x01\x00\x01\x00", "latin1");
    const r = await a.upload(gif, "stiker.gif", "image/gif", crypto.randomUUID());
    expect(r.status).toBe(415);
    expect(r.body).toMatchObject({ error: "wrong_type", allowed: ["image/jpeg", "image/png", "image/webp", "application/pdf"] });
    expect(r.body!.message).toMatch(/JPG.*PDF/);
    const exe = await a.upload(Buffer.from("MZ\x90\x00 not a pdf"), "laporan.pdf", "application/pdf", crypto.randomUUID());
    expect(exe.status).toBe(415);
    expect(inbox.got.map((m) => m.body)).toMatchObject([
      { type: "rejected_media", reason: "wrong_type" },
      { type: "rejected_media", reason: "wrong_type" },
    ]);
    expect((await a.history()).entries).toEqual([]);
  });

  it("refuses an empty file with 400 and handles nothing", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    const r = await a.upload(Buffer.alloc(0), "kosong.jpg", "image/jpeg", crypto.randomUUID());
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: "empty" });
    expect(inbox.got).toEqual([]);
  });
});

describe("web chat: history and the event stream", () => {
  it("keeps the conversation across a reload: own messages and the assistant's, in order", async () => {
    const s = await server();
    const inbox = recorder();
    await s.channel.start(inbox.handler);
    const a = await Browser.open(s.base);
    await a.postMessage({ clientMessageId: crypto.randomUUID(), text: "Halo" });
    await s.channel.send(a.personId, { type: "text", text: "Selamat datang! Mau apa hari ini?", choices: [{ id: "menu:register", label: "Daftar" }] }, noFiles);
    const reloaded = await Browser.open(s.base, a.cookie);
    const h = await reloaded.history();
    expect(h.lastSeq).toBe(2);
    expect(h.truncated).toBe(false);
    expect(h.entries).toMatchObject([
      { seq: 1, role: "client", kind: "text", text: "Halo" },
      { seq: 2, role: "assistant", kind: "text", text: "Selamat datang! Mau apa hari ini?", choices: [{ id: "menu:register", label: "Daftar" }] },
    ]);
    const other = await Browser.open(s.base);
    expect((await other.history()).entries).toEqual([]);
  });

  it("keeps the conversation across a server restart (file store, encrypted lines)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-webchat-"));
    const key = crypto.randomBytes(32);
    try {
      const s1 = await startServer({ store: createFileHistoryStore({ dir, encryptionKey: key }) });
      await s1.channel.start(recorder().handler);
      const a = await Browser.open(s1.base);
      await a.postMessage({ clientMessageId: crypto.randomUUID(), text: "NIK saya 5104010101900001" });
      await s1.channel.send(a.personId, { type: "text", text: "Terima kasih, Bu Made." }, noFiles);
      await s1.close();
      const onDisk = fs.readFileSync(path.join(dir, `${a.personId}.jsonl`), "utf8");
      expect(onDisk).not.toContain("5104010101900001");
      expect(onDisk).not.toContain("Bu Made");

      const s2 = await server({ store: createFileHistoryStore({ dir, encryptionKey: key }) });
      await s2.channel.start(recorder().handler);
      const back = await Browser.open(s2.base, a.cookie);
      expect(back.personId).toBe(a.personId);
      await s2.channel.send(a.personId, { type: "text", text: "Ada lagi?" }, noFiles);
      const h = await back.history();
      expect(h.entries.map((e) => [e.seq, e.role, e.text])).toEqual([
        [1, "client", "NIK saya 5104010101900001"],
        [2, "assistant", "Terima kasih, Bu Made."],
        [3, "assistant", "Ada lagi?"],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("streams a person's entries in order, past ones first, and nobody else's", async () => {
    const s = await server();
    await s.channel.start(recorder().handler);
    const a = await Browser.open(s.base);
    const b = await Browser.open(s.base);
    await s.channel.send(a.personId, { type: "text", text: "pesan 1" }, noFiles);
    const stream = await EventReader.open(s.base, a.cookie);
    const streamB = await EventReader.open(s.base, b.cookie);
    try {
      for (let i = 2; i <= 6; i++) await s.channel.send(a.personId, { type: "text", text: `pesan ${i}` }, noFiles);
      await s.channel.send(b.personId, { type: "text", text: "untuk B" }, noFiles);
      const got = await stream.entries(6);
      expect(got.map((g) => g.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(got.map((g) => g.entry.text)).toEqual(["pesan 1", "pesan 2", "pesan 3", "pesan 4", "pesan 5", "pesan 6"]);
      const gotB = await streamB.entries(1);
      expect(gotB.map((g) => g.entry.text)).toEqual(["untuk B"]);
      // Own messages come through the stream too (other tabs of the same browser show them).
      await a.postMessage({ clientMessageId: crypto.randomUUID(), text: "dari tab lain" });
      const more = await stream.entries(7);
      expect(more[6]).toMatchObject({ seq: 7, entry: { role: "client", text: "dari tab lain" } });
    } finally {
      stream.close();
      streamB.close();
    }
  });

  it("resumes after a given seq (?after=) and prefers Last-Event-ID", async () => {
    const s = await server();
    await s.channel.start(recorder().handler);
    const a = await Browser.open(s.base);
    for (let i = 1; i <= 5; i++) await s.channel.send(a.personId, { type: "text", text: `pesan ${i}` }, noFiles);
    const fromQuery = await EventReader.open(s.base, a.cookie, "?after=3");
    const fromHeader = await EventReader.open(s.base, a.cookie, "?after=1", { "last-event-id": "4" });
    try {
      expect((await fromQuery.entries(2)).map((e) => e.seq)).toEqual([4, 5]);
      expect((await fromHeader.entries(1)).map((e) => e.seq)).toEqual([5]);
      await s.channel.send(a.personId, { type: "text", text: "pesan 6" }, noFiles);
      expect((await fromQuery.entries(3)).map((e) => e.seq)).toEqual([4, 5, 6]);
      expect((await fromHeader.entries(2)).map((e) => e.seq)).toEqual([5, 6]);
    } finally {
      fromQuery.close();
      fromHeader.close();
    }
    const h = await a.history(4);
    expect(h.entries.map((e) => e.seq)).toEqual([5, 6]);
  });

  it("resumes from the store when the seq is older than what is kept in memory", async () => {
    const store = createMemoryHistoryStore();
    const channel = createWebChannel({ maxUploadBytes: MB, logger: silent, historyStore: store, maxEntriesInMemory: 3 });
    for (let i = 1; i <= 6; i++) await channel.send("AAAAAAAAAAAAAAAAAAAAAA", { type: "text", text: `m${i}` }, noFiles);
    const full = await channel.history("AAAAAAAAAAAAAAAAAAAAAA");
    expect(full.entries.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(full.truncated).toBe(true);
    const seen: number[] = [];
    const stop = await channel.subscribe("AAAAAAAAAAAAAAAAAAAAAA", 1, { push: (e) => seen.push(e.seq), close: () => {} });
    await channel.send("AAAAAAAAAAAAAAAAAAAAAA", { type: "text", text: "m7" }, noFiles);
    stop();
    expect(seen).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it("drops idle persons from memory beyond the limit and reads them back from the store", async () => {
    const store = createMemoryHistoryStore();
    const channel = createWebChannel({ maxUploadBytes: MB, logger: silent, historyStore: store, maxPersonsInMemory: 2 });
    const people = ["P".repeat(22), "Q".repeat(22), "R".repeat(22)];
    for (const p of people) {
      await channel.send(p, { type: "text", text: `satu ${p[0]}` }, noFiles);
      await channel.send(p, { type: "text", text: `dua ${p[0]}` }, noFiles);
    }
    // P was dropped when R came; its numbering goes on from the store.
    await channel.send(people[0]!, { type: "text", text: "tiga P" }, noFiles);
    for (const p of people) {
      const h = await channel.history(p);
      expect(h.entries.map((e) => e.seq)).toEqual(p === people[0] ? [1, 2, 3] : [1, 2]);
    }
    expect((await store.list(people[0]!, 0)).map((e) => (e.kind === "text" ? e.text : ""))).toEqual(["satu P", "dua P", "tiga P"]);
  });

  it("keeps what is sent to a person with no page open, and ends streams when the app closes", async () => {
    const s = await startServer();
    await s.channel.start(recorder().handler);
    const a = await Browser.open(s.base);
    await s.channel.send(a.personId, { type: "text", text: "Dokumen Anda sudah siap." }, noFiles);
    const stream = await EventReader.open(s.base, a.cookie);
    expect((await stream.entries(1))[0]!.entry.text).toBe("Dokumen Anda sudah siap.");
    // Closing must not hang on the open stream.
    await s.close();
    await expect(stream.entries(2, 2_000)).rejects.toThrow(/ended|aborted|terminated/);
  });
});

describe("web chat: outbound", () => {
  it("rejects an address that is no web person as permanent", async () => {
    const s = await server();
    await expect(s.channel.send("12345", { type: "text", text: "halo" }, noFiles)).rejects.toMatchObject({ kind: "permanent" });
  });

  it("serves a document only to its person, without the storage key; later from resolveFile", async () => {
    const bytes = Buffer.from("%PDF-1.4\nkartu kendali\n%%EOF");
    const reads: string[] = [];
    const s = await server({
      resolveFile: async (k) => {
        reads.push(k);
        return bytes;
      },
    });
    await s.channel.start(recorder().handler);
    const a = await Browser.open(s.base);
    const b = await Browser.open(s.base);
    await s.channel.send(a.personId, { type: "document", fileName: "Kartu Kendali Ni Made.pdf", mimeType: "application/pdf", storageKey: "reports/2026/11/x" }, async () => bytes);
    const h = await a.history();
    const doc = h.entries[0]!;
    expect(doc).toMatchObject({ role: "assistant", kind: "document", fileName: "Kartu Kendali Ni Made.pdf", size: bytes.length });
    expect(JSON.stringify(h)).not.toContain("reports/2026");
    const mine = await fetch(`${s.base}/chat/api/files/${doc.id as string}`, { headers: { cookie: a.cookie } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-type")).toBe("application/pdf");
    expect(mine.headers.get("content-disposition")).toContain("filename*=UTF-8''Kartu%20Kendali%20Ni%20Made.pdf");
    expect(Buffer.from(await mine.arrayBuffer()).equals(bytes)).toBe(true);
    const theirs = await fetch(`${s.base}/chat/api/files/${doc.id as string}`, { headers: { cookie: b.cookie } });
    expect(theirs.status).toBe(404);
    expect(reads).toEqual([]);

    // A fresh channel over the same store has no bytes in memory: the plugin's resolveFile reads them.
    const store = createMemoryHistoryStore();
    const s2 = await server({ store, resolveFile: async (k) => (reads.push(k), bytes) });
    await s2.channel.send(a.personId, { type: "document", fileName: "x.pdf", mimeType: "application/pdf", storageKey: "reports/2026/11/y" }, async () => bytes);
    const fresh = createWebChannel({ maxUploadBytes: MB, logger: silent, historyStore: store });
    const app = Fastify({ logger: false });
    await app.register(webChatPlugin(fresh, { cookieSecret: SECRET, secure: false, resolveFile: async (k) => (reads.push(k), bytes) }));
    const entry = (await fresh.history(a.personId)).entries[0]!;
    const res = await app.inject({ method: "GET", url: `/chat/api/files/${entry.id}`, headers: { cookie: a.cookie } });
    expect(res.statusCode).toBe(200);
    expect(reads).toEqual(["reports/2026/11/y"]);
    await app.close();
  });
});

describe("web chat: the page", () => {
  it("is one self-contained HTML page with the Indonesian texts, a nonce CSP and no external assets", async () => {
    const s = await server({ maxUploadBytes: 10 * MB });
    const res = await fetch(`${s.base}/chat`);
    const html = await res.text();
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(html).toContain(`<script nonce="${nonce}">`);
    const styleNonce = /style-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(html).toContain(`<style nonce="${styleNonce}">`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    // A new nonce for every response.
    expect((await fetch(`${s.base}/chat`)).headers.get("content-security-policy")).not.toContain(nonce);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(html).toContain('<html lang="id">');
    expect(html).toContain("UPT PLUT-KUMKM Gianyar");
    expect(html).toContain('accept="image/*,application/pdf"');
    expect(html).toContain('"limitMb":"10"');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    const id = parseYaml(fs.readFileSync("conversations/texts/id/web.yaml", "utf8")) as Record<string, string>;
    expect(html).toContain(id["web.input_label"]!);
    const en = await (await fetch(`${s.base}/chat?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
  });

  it("has every web.* text in both languages, with the same placeholders", () => {
    const read = (lang: string) => parseYaml(fs.readFileSync(`conversations/texts/${lang}/web.yaml`, "utf8")) as Record<string, string>;
    const id = read("id");
    const en = read("en");
    expect(Object.keys(id).sort()).toEqual([...WEB_TEXT_KEYS].sort());
    expect(Object.keys(en).sort()).toEqual([...WEB_TEXT_KEYS].sort());
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of WEB_TEXT_KEYS) expect(ph(en[k]!), k).toEqual(ph(id[k]!));
    // And the code names each of them.
    const code = ["page.ts", "plugin.ts"].map((f) => fs.readFileSync(path.join("src/channels/web", f), "utf8")).join("\n");
    for (const k of WEB_TEXT_KEYS) expect(code, k).toContain(`"${k}"`);
  });
});
