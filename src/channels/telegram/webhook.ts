/**
 * The Telegram webhook route for a Fastify app. Telegram re-sends an update until it gets a 2xx,
 * so the answer is 200 only after the inbound handler resolved.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import type { TelegramChannel } from "./telegram-channel.js";

const SECRET_HEADER = "x-telegram-bot-api-secret-token";

export interface TelegramWebhookOptions {
  /** Route path, e.g. "/telegram/webhook". Keep it free of secrets: paths get logged. */
  path: string;
  /** The secret_token given to setWebhook (1-256 characters A-Z a-z 0-9 _ -). */
  secretToken: string;
}

/** Compares in constant time; hashing first makes both sides the same length. */
function secretMatches(received: unknown, expectedDigest: Buffer): boolean {
  if (typeof received !== "string" || received.length === 0) return false;
  const digest = createHash("sha256").update(received, "utf8").digest();
  return timingSafeEqual(digest, expectedDigest);
}

/**
 * A Fastify plugin (for app.register) mounting POST `path`: 401 when the secret header is missing
 * or wrong (checked before the body is read), 400 for a body that is no update, 503 before the
 * channel started, 500 when handling failed (Telegram delivers again), 200 once the update was handled.
 */
export function telegramWebhookPlugin(channel: TelegramChannel, opts: TelegramWebhookOptions): FastifyPluginAsync {
  if (channel.mode !== "webhook") throw new Error("telegramWebhookPlugin needs a channel in webhook mode");
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(opts.secretToken)) {
    throw new Error("telegram webhook secretToken must be 1-256 characters of A-Z, a-z, 0-9, _ and -");
  }
  const expected = createHash("sha256").update(opts.secretToken, "utf8").digest();

  return async (app) => {
    app.post(
      opts.path,
      {
        onRequest: async (request, reply) => {
          // Returning the reply ends the request here: the body is never read, the handler never runs.
          if (!secretMatches(request.headers[SECRET_HEADER], expected)) return reply.code(401).send({ ok: false, error: "unauthorized" });
        },
      },
      async (request, reply) => {
        let outcome;
        try {
          outcome = await channel.handleWebhookUpdate(request.body);
        } catch {
          // Already logged by the channel, without personal data.
          return reply.code(500).send({ ok: false, error: "update handling failed" });
        }
        if (outcome === "malformed") return reply.code(400).send({ ok: false, error: "not an update" });
        if (outcome === "not_ready") return reply.code(503).send({ ok: false, error: "not ready" });
        return reply.code(200).send({ ok: true });
      },
    );
  };
}
