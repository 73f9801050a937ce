/** GET /health: the process answers and the database is reachable (503 when it is not). */
import type { FastifyPluginAsync } from "fastify";
import { pingDatabase, type Db, type Provider } from "../db/client.js";

export function healthPlugin(deps: { db: Db; provider: Provider }): FastifyPluginAsync {
  return async (app) => {
    app.get("/health", async (_req, reply) => {
      const started = performance.now();
      try {
        await pingDatabase(deps.db);
        return { status: "ok", database: { provider: deps.provider, reachable: true, latencyMs: Math.round(performance.now() - started) } };
      } catch {
        return reply.code(503).send({ status: "error", database: { provider: deps.provider, reachable: false } });
      }
    });
  };
}
