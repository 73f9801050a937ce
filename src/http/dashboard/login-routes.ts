/**
 * The public scope of the dashboard: the sign-in pages. Opening a link and pressing "sign in" are
 * rate-limited per IP (@fastify/rate-limit, 10 a minute by default); the page that explains how to
 * get a link is not (every signed-out visit is sent there).
 */
import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { consumeLink, findUsableLink, loadSession, SESSION_HOURS } from "./auth.js";
import { readSessionToken, sendHtml, setSessionCookie, type DashboardArea } from "./area.js";
import { loginPostOrigin } from "./login-origin.js";
import { errorPage, loginConfirmPage, loginHelpPage } from "./pages.js";
import { ZLoginForm, ZLoginHelpQuery, ZLoginLinkParams } from "./schemas.js";

/** Thrown by the rate limiter; the dashboard's error handler answers it with its "too many" page. */
export class TooManySignIns extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super("too many sign-in attempts");
    this.name = "TooManySignIns";
  }
}

export const loginRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db } = area;
  const limit = area.deps.loginRateLimit ?? { max: 10, windowMs: 60_000 };
  await app.register(fastifyRateLimit, {
    max: limit.max,
    timeWindow: limit.windowMs,
    // Before the body is read: a flood of POSTs costs no parsing.
    hook: "onRequest",
    errorResponseBuilder: (_req, c) => new TooManySignIns(Math.max(1, Math.ceil(c.ttl / 1000))),
  });

  app.get("/login", { schema: { querystring: ZLoginHelpQuery }, config: { rateLimit: false } }, async (req, reply) => {
    const token = readSessionToken(area, req);
    if (token && (await loadSession(db, token, area.now()))) return reply.redirect("/staff", 302);
    return sendHtml(reply, loginHelpPage(area.plainT(), req.query.out ? "logged_out" : "required"));
  });

  app.get("/login/:token", { schema: { params: ZLoginLinkParams } }, async (req, reply) => {
    const link = await findUsableLink(db, req.params.token, area.now());
    if (!link) return sendHtml(reply, loginHelpPage(area.plainT(), "invalid"), 400);
    return sendHtml(reply, loginConfirmPage(area.plainT(), req.params.token, link.staff.name));
  });

  app.post(
    "/login",
    {
      schema: { body: ZLoginForm },
      // No session yet, so no CSRF token: only a post the browser says came from our own page
      // (login-origin.ts); a form posted from another site, or with nothing to tell, is refused.
      preValidation: async (req, reply) => {
        const verdict = loginPostOrigin(area.publicOrigin, req);
        if (!verdict.ok) {
          req.log.info({ reason: verdict.reason }, "sign-in post refused: not from the dashboard's own page");
          return sendHtml(reply, errorPage(area.plainT(), null, 403, "dash.error.csrf"), 403);
        }
      },
    },
    async (req, reply) => {
      const { token } = req.body;
      const opened = token ? await consumeLink(db, token, area.now(), area.deps.sessionHours ?? SESSION_HOURS) : null;
      if (!opened) return sendHtml(reply, loginHelpPage(area.plainT(), "invalid"), 400);
      setSessionCookie(area, reply, opened.sessionToken, opened.expiresAt);
      return reply.redirect("/staff", 303);
    },
  );
};
