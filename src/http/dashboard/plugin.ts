/**
 * The staff dashboard under /staff: a Fastify plugin for app.register (buildApp's `plugins`).
 *
 * Two scopes share its cookie, form parsing, security headers, schemas and error pages: the
 * public sign-in pages (login-routes.ts, rate-limited per IP) and the signed-in pages
 * (signed-in.ts: the staff member on every request, CSRF on every POST). Admins and the head see
 * everything; a consultant sees their own cases only (others are 404) and no staff pages (403).
 * Every response is no-store. The HTML pages run no script: their CSP allows only the pages' own
 * inline stylesheet, by its hash (src/security/page-headers.ts).
 */
import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyHelmet from "@fastify/helmet";
import type { FastifyError, FastifyPluginAsync } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import { inlineHash, pageHeaders } from "../../security/page-headers.js";
import { dashboardArea, sendHtml, type DashboardDeps } from "./area.js";
import { CSS } from "./html.js";
import { loginRoutes, TooManySignIns } from "./login-routes.js";
import { errorPage, tooManyPage } from "./pages.js";
import { signedInRoutes } from "./signed-in.js";
import { SIGNED_IN, signedInOrNull } from "./signed-in-staff.js";

export type { DashboardDeps, WhatsAppStatus } from "./area.js";

export function dashboardPlugin(deps: DashboardDeps): FastifyPluginAsync {
  const area = dashboardArea(deps);
  const headers = pageHeaders({
    secure: area.secure,
    referrer: "same-origin",
    directives: { "style-src": [inlineHash(CSS)], "img-src": ["'self'", "data:"], "form-action": ["'self'"] },
  });

  return async (app) => {
    await app.register(
      async (staff) => {
        // Registered here unless the app has them already; encapsulated, so other areas are unaffected.
        if (!staff.hasReplyDecorator("setCookie")) await staff.register(fastifyCookie);
        if (!staff.hasContentTypeParser("application/x-www-form-urlencoded")) await staff.register(fastifyFormbody);
        await staff.register(fastifyHelmet, headers);
        staff.setValidatorCompiler(validatorCompiler);
        staff.decorateRequest(SIGNED_IN, null);

        staff.addHook("onSend", async (_req, reply, payload) => {
          reply.header("Cache-Control", "no-store, private");
          return payload;
        });

        staff.setErrorHandler(async (err: FastifyError, req, reply) => {
          if (err instanceof TooManySignIns) {
            reply.header("Retry-After", String(err.retryAfterSeconds));
            return sendHtml(reply, tooManyPage(area.plainT(), err.retryAfterSeconds), 429);
          }
          const ctx = signedInOrNull(req)?.ctx ?? null;
          const t = ctx?.t ?? area.plainT();
          if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
            // Input of another shape (a route's schema), a body too large: a short message, never a 500.
            // The route's pattern, never the URL: a sign-in link carries its token in the path.
            req.log.info({ err: err.message, route: req.routeOptions.url ?? "(no route)" }, "dashboard: request refused");
            return sendHtml(reply, errorPage(t, ctx, 400), 400);
          }
          req.log.error({ err }, "dashboard error");
          return sendHtml(reply, errorPage(t, ctx, 500), 500);
        });

        staff.setNotFoundHandler(async (_req, reply) => sendHtml(reply, errorPage(area.plainT(), null, 404), 404));

        await staff.register(loginRoutes, { area });
        await staff.register(signedInRoutes, { area });
      },
      { prefix: "/staff" },
    );
  };
}
