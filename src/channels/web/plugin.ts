/**
 * The HTTP side of the web chat: the page (GET /chat) and its API under /chat/api. A browser is a
 * person: a random id in a signed, httpOnly, SameSite=Lax cookie (`plut_web`), created by the page.
 * The API never creates a person: without the cookie it answers 401 and the page reloads.
 *
 *   POST /chat/api/messages   JSON { clientMessageId, text } | { clientMessageId, choiceId } -> 202
 *   POST /chat/api/upload     multipart, one file (+ clientMessageId field or query)     -> 202 | 413 | 415
 *   GET  /chat/api/events     Server-Sent Events of the person's entries (Last-Event-ID / ?after=<seq>)
 *   GET  /chat/api/history    { entries, lastSeq, truncated } (?after=<seq> for the ones after)
 *   GET  /chat/api/files/:id  a document sent to this person
 *
 * 202 is answered after the handler resolved, so a browser that retries after a network drop
 * sends the same clientMessageId and the app drops the repeat.
 */
import crypto from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fastifyCookie, { Signer } from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import multipart from "@fastify/multipart";
import { validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { pageHeaders } from "../../security/page-headers.js";
import type { InboundBody } from "../../messaging/model.js";
import { attachmentHeader, cleanFileName, formatMb, kindOf, sniffType, SNIFF_BYTES, WEB_UPLOAD_TYPES, type WebUploadType } from "./files.js";
import type { WebEntry } from "./history.js";
import { renderChatPage } from "./page.js";
import { fillText, loadWebTexts, webTable, type WebTexts, type WebTextKey } from "./texts.js";
import { toLang, type Lang } from "../../i18n/index.js";
import { newPersonId, WEB_MAX_TEXT, WEB_PERSON_ID, WebInboundError, type ClientEntryDraft, type WebChannel } from "./web-channel.js";

export const WEB_COOKIE = "plut_web";
export const WEB_CHAT_PATH = "/chat";
const COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;
const HEARTBEAT_MS = 20_000;
const MAX_STREAMS_PER_PERSON = 5;

export interface WebChatPluginOptions {
  /** Signs the person cookie (SESSION_SECRET); at least 16 characters. */
  cookieSecret: string;
  /** Mark the cookie Secure (PUBLIC_URL is https). */
  secure: boolean;
  /** The page's texts (web.* keys) per language, or a getter; default conversations/texts/<lang>/web.yaml. */
  texts?: WebTexts | (() => WebTexts);
  /** Reads a sent document for its download link once it is no longer in memory (the file store's get). */
  resolveFile?: (storageKey: string) => Promise<Buffer>;
}

const ZClientMessageId = z.uuid();
const ZMessageBody = z.union([
  z.strictObject({
    clientMessageId: ZClientMessageId,
    text: z
      .string()
      .max(WEB_MAX_TEXT)
      .refine((s) => s.trim() !== "", "empty text"),
  }),
  z.strictObject({ clientMessageId: ZClientMessageId, choiceId: z.string().min(1).max(64) }),
]);
const ZSeq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/**
 * What the routes read from the query string. Only its shape is checked here (a repeated key is a
 * 400); the values are checked in the handlers, after the person is known, so a request without
 * the cookie is a 401 whatever it carries.
 */
const ZLangQuery = z.object({ lang: z.string().optional() });
const ZAfterQuery = ZLangQuery.extend({ after: z.string().optional() });
const ZUploadQuery = ZLangQuery.extend({ clientMessageId: z.string().optional() });

/** A Fastify plugin for app.register (buildApp's `plugins`: `plugins: [webChatPlugin(channel, { ... })]`). */
export function webChatPlugin(channel: WebChannel, opts: WebChatPluginOptions): FastifyPluginAsync {
  if (opts.cookieSecret.length < 16) throw new Error("web chat: cookieSecret must have at least 16 characters");
  const signer = personCookieSigner(opts.cookieSecret);
  const textsOf = typeof opts.texts === "function" ? opts.texts : (() => {
    const fixed = opts.texts ?? loadWebTexts();
    return () => fixed;
  })();
  const maxUpload = channel.maxUploadBytes;

  // The page's inline <style> and <script> carry this response's nonces (helmet makes them).
  const pageHelmet = {
    enableCSPNonces: true,
    ...pageHeaders({
      secure: opts.secure,
      referrer: "no-referrer",
      directives: { "script-src": [], "style-src": [], "img-src": ["'self'", "blob:", "data:"], "connect-src": ["'self'"], "form-action": ["'self'"] },
    }),
  };

  return async (plain) => {
    // Registered here unless the app has them already; encapsulated, so other areas are unaffected.
    if (!plain.hasDecorator("parseCookie")) await plain.register(fastifyCookie);
    if (!plain.hasRequestDecorator("parts")) await plain.register(multipart);
    // Security headers on the page only (the API answers JSON and events to the page's script).
    await plain.register(fastifyHelmet, { global: false });
    plain.setValidatorCompiler(validatorCompiler);
    const scope = plain.withTypeProvider<ZodTypeProvider>();

    /** Open streams per person, oldest first. */
    const streams = new Map<string, Set<() => void>>();
    scope.addHook("preClose", async () => {
      channel.closeStreams();
    });

    const requestLang = (req: FastifyRequest): Lang => toLang(ZLangQuery.safeParse(req.query).data?.lang);
    const text = (req: FastifyRequest, key: WebTextKey, params?: Record<string, string | number>): string =>
      fillText(webTable(textsOf(), requestLang(req))[key], params);

    function personOf(req: FastifyRequest): string | undefined {
      const header = req.headers.cookie;
      if (!header) return undefined;
      const raw = scope.parseCookie(header)[WEB_COOKIE];
      if (!raw) return undefined;
      const r = signer.unsign(raw);
      return r.valid && WEB_PERSON_ID.test(r.value) ? r.value : undefined;
    }

    /** The API's person, or a 401 already sent. A cross-origin POST is refused too. */
    function requirePerson(req: FastifyRequest, reply: FastifyReply): string | undefined {
      const origin = req.headers.origin;
      if (req.method === "POST" && origin !== undefined && origin !== "null" && !sameOrigin(origin, req)) {
        void reply.code(403).send({ error: "forbidden" });
        return undefined;
      }
      const person = personOf(req);
      if (!person) void reply.code(401).send({ error: "no_session", message: text(req, "web.session_lost") });
      return person;
    }

    function failInbound(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
      if (err instanceof WebInboundError) {
        if (err.reason === "busy") return reply.code(429).header("retry-after", "2").send({ error: "busy", message: text(req, "web.error.busy") });
        return reply.code(503).header("retry-after", "5").send({ error: "not_ready" });
      }
      req.log.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, "web chat: inbound handling failed");
      return reply.code(500).send({ error: "failed" });
    }

    // ------------------------------------------------------------------ the page
    scope.get(WEB_CHAT_PATH, { schema: { querystring: ZLangQuery }, helmet: pageHelmet }, async (req, reply) => {
      let person = personOf(req);
      if (!person) person = newPersonId();
      // Set on every visit: the person stays for 400 days after their last visit.
      void reply.header(
        "set-cookie",
        scope.serializeCookie(WEB_COOKIE, signer.sign(person), {
          path: WEB_CHAT_PATH,
          httpOnly: true,
          sameSite: "lax",
          secure: opts.secure,
          maxAge: COOKIE_MAX_AGE_S,
        }),
      );
      const lang = requestLang(req);
      return reply
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(
          renderChatPage({
            lang,
            texts: webTable(textsOf(), lang),
            maxUploadBytes: maxUpload,
            limitMb: formatMb(maxUpload, lang),
            maxTextLength: WEB_MAX_TEXT,
            nonces: reply.cspNonce,
          }),
        );
    });

    // ------------------------------------------------------------------ a typed answer or a tap
    scope.post(`${WEB_CHAT_PATH}/api/messages`, { bodyLimit: 64 * 1024 }, async (req, reply) => {
      const person = requirePerson(req, reply);
      if (!person) return reply;
      const parsed = ZMessageBody.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({ error: "malformed", message: text(req, "web.error.rejected") });
      const m = parsed.data;
      let body: InboundBody;
      let entry: ClientEntryDraft;
      if ("text" in m) {
        body = { type: "text", text: m.text };
        entry = { role: "client", kind: "text", messageId: m.clientMessageId, text: m.text };
      } else {
        body = { type: "choice", choiceId: m.choiceId };
        const label = await channel.choiceLabel(person, m.choiceId);
        entry = { role: "client", kind: "choice", messageId: m.clientMessageId, choiceId: m.choiceId, ...(label !== undefined ? { label } : {}) };
      }
      try {
        await channel.receive(person, m.clientMessageId, body, entry);
      } catch (err) {
        return failInbound(req, reply, err);
      }
      return reply.code(202).send({ ok: true });
    });

    // ------------------------------------------------------------------ a photo or a document
    scope.post(`${WEB_CHAT_PATH}/api/upload`, { schema: { querystring: ZUploadQuery } }, async (req, reply) => {
      const person = requirePerson(req, reply);
      if (!person) return reply;
      if (!req.isMultipart()) return reply.code(400).send({ error: "malformed", message: text(req, "web.upload.failed") });

      let clientMessageId: unknown = req.query.clientMessageId;
      let upload: ReadUpload | undefined;
      try {
        // Over the limit the bytes are counted (to report the size) but not kept; far over it busboy stops counting.
        const parts = req.parts({
          limits: { files: 1, fields: 4, fieldSize: 200, parts: 6, fileSize: Math.max(maxUpload * 4, maxUpload + 16 * 1024 * 1024) },
          // Read by @fastify/multipart per call, though its types list it for the plugin options only.
          ...({ throwFileSizeLimit: false } as object),
        });
        for await (const part of parts) {
          if (part.type === "field") {
            if (part.fieldname === "clientMessageId") clientMessageId ??= part.value;
            continue;
          }
          upload = await readUpload(part.file, part.filename, maxUpload);
        }
      } catch (err) {
        req.log.info({ err: err instanceof Error ? err.name : "error" }, "web chat: malformed upload");
        return reply.code(400).send({ error: "malformed", message: text(req, "web.upload.failed") });
      }
      const id = ZClientMessageId.safeParse(clientMessageId);
      if (!id.success || upload === undefined) return reply.code(400).send({ error: "malformed", message: text(req, "web.upload.failed") });
      const messageId = id.data;
      const limitMb = formatMb(maxUpload, requestLang(req));

      if (upload.size === 0) return reply.code(400).send({ error: "empty", message: text(req, "web.upload.empty") });
      if (upload.bytes === undefined) {
        // Too large: the assistant is told too (it explains and asks again in the conversation).
        const body: InboundBody = {
          type: "rejected_media",
          reason: "too_large",
          ...(upload.truncated ? {} : { size: upload.size }),
          limitBytes: maxUpload,
        };
        try {
          await channel.receive(person, messageId, body, null);
        } catch (err) {
          return failInbound(req, reply, err);
        }
        return reply.code(413).send({ error: "too_large", limitMb: maxUpload / (1024 * 1024), limitBytes: maxUpload, message: text(req, "web.upload.too_large", { limitMb }) });
      }
      if (upload.type === undefined) {
        try {
          await channel.receive(person, messageId, { type: "rejected_media", reason: "wrong_type", size: upload.size, limitBytes: maxUpload }, null);
        } catch (err) {
          return failInbound(req, reply, err);
        }
        return reply.code(415).send({ error: "wrong_type", allowed: WEB_UPLOAD_TYPES, message: text(req, "web.upload.wrong_type", { limitMb }) });
      }
      const kind = kindOf(upload.type);
      const fileName = cleanFileName(upload.fileName, upload.type);
      try {
        await channel.receive(
          person,
          messageId,
          { type: "media", media: { kind, mimeType: upload.type, fileName, bytes: upload.bytes } },
          { role: "client", kind: "file", messageId, fileKind: kind, fileName, mimeType: upload.type, size: upload.size },
        );
      } catch (err) {
        return failInbound(req, reply, err);
      }
      return reply.code(202).send({ ok: true });
    });

    // ------------------------------------------------------------------ what was said so far
    scope.get(`${WEB_CHAT_PATH}/api/history`, { schema: { querystring: ZAfterQuery } }, async (req, reply) => {
      const person = requirePerson(req, reply);
      if (!person) return reply;
      let after: number | undefined;
      if (req.query.after !== undefined) {
        const r = ZSeq.safeParse(req.query.after);
        if (!r.success) return reply.code(400).send({ error: "malformed" });
        after = r.data;
      }
      const h = await channel.history(person, after);
      return reply.header("cache-control", "no-store").send({ entries: h.entries.map(toPublic), lastSeq: h.lastSeq, truncated: h.truncated });
    });

    // ------------------------------------------------------------------ the live stream
    scope.get(`${WEB_CHAT_PATH}/api/events`, { schema: { querystring: ZAfterQuery } }, async (req, reply) => {
      const person = requirePerson(req, reply);
      if (!person) return reply;
      const lastEventId = req.headers["last-event-id"];
      const fromQuery = req.query.after;
      const r = ZSeq.safeParse(typeof lastEventId === "string" && lastEventId !== "" ? lastEventId : (fromQuery ?? 0));
      if (!r.success) return reply.code(400).send({ error: "malformed" });
      const after = r.data;

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-store, no-transform",
        // The socket goes with the stream: nothing lingers as an idle keep-alive when the app closes.
        connection: "close",
        "x-accel-buffering": "no",
      });
      res.write("retry: 3000\n\n");

      let closed = false;
      let unsubscribe: (() => void) | undefined;
      const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
      const mine = streams.get(person) ?? new Set<() => void>();
      streams.set(person, mine);
      const close = (): void => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe?.();
        mine.delete(close);
        if (mine.size === 0 && streams.get(person) === mine) streams.delete(person);
        res.end();
      };
      mine.add(close);
      // A person with many tabs keeps the newest streams.
      for (const old of [...mine]) {
        if (mine.size <= MAX_STREAMS_PER_PERSON) break;
        old();
      }
      res.on("close", close);
      try {
        unsubscribe = await channel.subscribe(person, after, {
          push: (e) => {
            if (!closed) res.write(`id: ${e.seq}\nevent: entry\ndata: ${JSON.stringify(toPublic(e))}\n\n`);
          },
          close,
        });
        if (closed) unsubscribe();
      } catch (err) {
        req.log.error({ err: err instanceof Error ? err.name : "error" }, "web chat: opening the event stream failed");
        close();
      }
    });

    // ------------------------------------------------------------------ a document sent to the person
    scope.get(`${WEB_CHAT_PATH}/api/files/:entryId`, { schema: { params: z.object({ entryId: z.string() }), querystring: ZLangQuery } }, async (req, reply) => {
      const person = requirePerson(req, reply);
      if (!person) return reply;
      const entryId = req.params.entryId;
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(entryId)) return reply.code(404).send({ error: "not_found" });
      const entry = await channel.findDocument(person, entryId);
      if (!entry) return reply.code(404).send({ error: "not_found" });
      let bytes = channel.cachedDocument(person, entryId);
      if (bytes === undefined && opts.resolveFile) {
        try {
          bytes = await opts.resolveFile(entry.storageKey);
        } catch (err) {
          req.log.warn({ err: err instanceof Error ? err.name : "error" }, "web chat: a sent document could not be read");
        }
      }
      if (bytes === undefined) return reply.code(410).send({ error: "gone", message: text(req, "web.file.missing") });
      return reply
        .header("content-type", safeMime(entry.mimeType))
        .header("content-disposition", attachmentHeader(entry.fileName))
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
        .send(bytes);
    });
  };
}

/**
 * The cookie is signed with a key derived from the secret, so the same secret may sign other
 * cookies (the dashboard's) without one ever passing for the other.
 */
function personCookieSigner(secret: string): Signer {
  return new Signer(crypto.createHmac("sha256", secret).update("plut web chat person cookie v1").digest("base64url"));
}

/** The person id in a `plut_web` cookie value, when it is validly signed with this secret. */
export function readPersonCookie(cookieSecret: string, value: string): string | undefined {
  const r = personCookieSigner(cookieSecret).unsign(value);
  return r.valid && WEB_PERSON_ID.test(r.value) ? r.value : undefined;
}

/** What the browser may see of an entry: everything but the storage key. */
export function toPublic(e: WebEntry): Record<string, unknown> {
  if (e.kind === "document") {
    const { storageKey: _hidden, ...rest } = e;
    return rest;
  }
  return e;
}

function sameOrigin(origin: string, req: FastifyRequest): boolean {
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

function safeMime(m: string): string {
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i.test(m) ? m : "application/octet-stream";
}

interface ReadUpload {
  fileName: string;
  /** The accepted type read from the bytes, or undefined. */
  type: WebUploadType | undefined;
  /** Bytes counted (all of them unless `truncated`). */
  size: number;
  /** The bytes, when within the limit. */
  bytes: Buffer | undefined;
  /** Busboy stopped counting: the file is far over the limit. */
  truncated: boolean;
}

/** Reads one file part to its end, keeping at most `max` bytes. */
async function readUpload(stream: AsyncIterable<Buffer> & { truncated?: boolean }, fileName: string, max: number): Promise<ReadUpload> {
  const chunks: Buffer[] = [];
  let size = 0;
  let keep = true;
  let head = Buffer.alloc(0);
  for await (const chunk of stream) {
    size += chunk.length;
    if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
    if (!keep) continue;
    if (size > max) {
      keep = false;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  return { fileName, type: sniffType(head), size, bytes: keep ? Buffer.concat(chunks, size) : undefined, truncated: stream.truncated === true };
}
