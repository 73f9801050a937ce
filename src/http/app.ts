/**
 * buildApp(deps) returns the Fastify app; main.ts listens. Each area (health, webhooks, web chat,
 * dashboard) is a plugin registered by whoever owns it, so tests use app.inject() on the same app.
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { Logger } from "../logging/logger.js";
import { RequestLog } from "./request-log.js";
import type { Db, Provider } from "../db/client.js";

export interface HttpDeps {
  db: Db;
  provider: Provider;
  logger: Logger;
  /** Plugins of the other areas (channels' webhooks, web chat, dashboard). */
  plugins?: Array<(app: FastifyInstance) => Promise<void> | void>;
  bodyLimitBytes?: number;
}

export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  // Typed as the default instance so plugins need not know our logger's type.
  const app = Fastify({
    loggerInstance: deps.logger.child({ area: "http" }),
    bodyLimit: deps.bodyLimitBytes ?? 1_048_576,
    trustProxy: true,
    logController: new RequestLog(),
  }) as unknown as FastifyInstance;

  app.get("/health", async (_req, reply) => {
    const started = performance.now();
    try {
      await deps.db.$queryRawUnsafe("SELECT 1");
      return { status: "ok", database: { provider: deps.provider, reachable: true, latencyMs: Math.round(performance.now() - started) } };
    } catch {
      return reply.code(503).send({ status: "error", database: { provider: deps.provider, reachable: false } });
    }
  });

  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}
