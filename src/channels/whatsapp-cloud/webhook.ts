/**
 * The Cloud API webhook as a Fastify plugin (register it with app.register; it keeps its own
 * scope, so its raw-body parser touches no other route):
 * - GET: Meta's verification handshake (hub.mode=subscribe, hub.verify_token, hub.challenge);
 * - POST: only with a valid X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret,
 *   compared in constant time), else 401 before anything is read into the app; a body that is no
 *   webhook 400; 503 before the channel started; 500 when handling failed (Meta delivers again);
 *   200 once every message in it was durably accepted by the inbox.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import type { WhatsAppCloudChannel } from "./cloud-channel.js";

export const CLOUD_WEBHOOK_PATH = "/webhooks/whatsapp";
const SIGNATURE_HEADER = "x-hub-signature-256";
/** Meta batches at most a few hundred updates; anything far bigger is not from Meta. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface CloudWebhookOptions {
  channel: WhatsAppCloudChannel;
  appSecret: string;
  verifyToken: string;
  path?: string;
}

/** True when `header` is "sha256=<hex>" of the HMAC of `raw`. */
export function signatureValid(raw: Buffer, header: unknown, appSecret: string): boolean {
  if (typeof header !== "string") return false;
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return false;
  const expected = createHmac("sha256", appSecret).update(raw).digest();
  return timingSafeEqual(Buffer.from(m[1]!, "hex"), expected);
}

/** Constant-time equality of two strings of any length (hashed first to equal lengths). */
function sameSecret(received: unknown, expected: string): boolean {
  if (typeof received !== "string" || received.length === 0) return false;
  const a = createHash("sha256").update(received, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

export const whatsappCloudWebhook: FastifyPluginAsync<CloudWebhookOptions> = async (app, opts) => {
  const path = opts.path ?? CLOUD_WEBHOOK_PATH;
  // The signature covers the exact bytes Meta sent: keep them, parse JSON ourselves.
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer", bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));

  // The query holds the verify token: this route's requests are not logged.
  app.get(path, { logLevel: "warn" }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const challenge = q["hub.challenge"];
    if (q["hub.mode"] === "subscribe" && sameSecret(q["hub.verify_token"], opts.verifyToken) && typeof challenge === "string" && challenge.length > 0 && challenge.length <= 200) {
      return reply.code(200).type("text/plain").send(challenge);
    }
    return reply.code(403).send({ ok: false, error: "verification failed" });
  });

  app.post(
    path,
    {
      onRequest: async (request, reply) => {
        // Unsigned requests end here, before the body is read.
        if (typeof request.headers[SIGNATURE_HEADER] !== "string") return reply.code(401).send({ ok: false, error: "unsigned" });
      },
    },
    async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!signatureValid(raw, request.headers[SIGNATURE_HEADER], opts.appSecret)) return reply.code(401).send({ ok: false, error: "bad signature" });
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return reply.code(400).send({ ok: false, error: "not JSON" });
      }
      let outcome;
      try {
        outcome = await opts.channel.handleWebhook(body);
      } catch {
        // Logged by the channel, without personal data.
        return reply.code(500).send({ ok: false, error: "handling failed" });
      }
      if (outcome === "malformed") return reply.code(400).send({ ok: false, error: "not a WhatsApp webhook" });
      if (outcome === "not_ready") return reply.code(503).send({ ok: false, error: "not ready" });
      return reply.code(200).send({ ok: true });
    },
  );
};
