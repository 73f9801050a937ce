/**
 * buildApp(deps) returns the Fastify app; main.ts listens. Each area (health, webhooks, web chat,
 * dashboard) is a Fastify plugin, registered with app.register in its own encapsulated scope, so
 * its hooks, parsers and error pages stay its own; tests use app.inject() on the same app.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from "fastify";
import type { Logger } from "../logging/logger.js";
import { RequestLog } from "./request-log.js";
import type { Db, Provider } from "../db/client.js";
import { healthPlugin } from "./health.js";

export interface HttpDeps {
  db: Db;
  provider: Provider;
  logger: Logger;
  /** The other areas' plugins (channels' webhooks, web chat, dashboard), registered in this order. */
  plugins?: FastifyPluginAsync[];
  bodyLimitBytes?: number;
}

export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  // Fastify's own logger type, so the app is the default instance plugins are written for.
  const loggerInstance: FastifyBaseLogger = deps.logger.child({ area: "http" });
  const app = Fastify({
    loggerInstance,
    bodyLimit: deps.bodyLimitBytes ?? 1_048_576,
    trustProxy: true,
    logController: new RequestLog(),
  });

  await app.register(healthPlugin({ db: deps.db, provider: deps.provider }));
  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
}
