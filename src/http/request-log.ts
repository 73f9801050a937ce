/**
 * How Fastify logs requests here: one line per request at debug (Fastify's default is two lines at
 * info, which buries the start-up lines a newcomer needs). Lines name the route pattern, never the
 * URL: sign-in links carry their token in the URL. A failed request is logged at error only when
 * the server is at fault (5xx); anything a caller caused (4xx) is info without a stack, so an
 * anonymous caller cannot flood the error log.
 */
import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

function describe(req: FastifyRequest, reply: FastifyReply) {
  return { method: req.method, route: req.routeOptions.url ?? "(no route)", status: reply.statusCode };
}

export class RequestLog extends LogController {
  override incomingRequest(): void {
    // The completed line says it all.
  }

  override requestCompleted(_error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    reply.log.debug({ ...describe(req, reply), ms: Math.round(reply.elapsedTime) }, "request");
  }

  override defaultErrorLog(error: Error, req: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) reply.log.error({ ...describe(req, reply), err: error }, "request failed");
    else reply.log.info({ ...describe(req, reply), error: error.message }, "request refused");
  }
}
