/**
 * The authenticated scope of the dashboard: every route registered here has a signed-in staff
 * member on its request (`signedIn(req)`), put there by this scope's hook from a live WebSession
 * whose token is in the signed cookie. Without one, a GET is sent to the sign-in help (302) and
 * anything else is refused (403). Every POST carries the session's CSRF token in a hidden field
 * and, when the browser sends an Origin, comes from this site (403 otherwise).
 *
 * The staff member is looked up in onRequest, not preHandler: before the route's schema is
 * checked, so a signed-out person gets the way to sign in rather than a 400 about the query; and
 * the CSRF field is checked in preValidation, on the form as posted (the route's schema then
 * drops the field).
 */
import multipart from "@fastify/multipart";
import { toLang } from "../../i18n/index.js";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { safeEqual } from "../../security/crypto.js";
import { makeLabeler } from "../../domain/reports/labels.js";
import { adminRoutes } from "./admin-routes.js";
import { DEFAULT_MAX_UPLOAD_BYTES } from "./area.js";
import { appointmentRoutes } from "./appointment-routes.js";
import { clearSessionCookie, readSessionToken, sameOrigin, sendHtml, type DashboardArea } from "./area.js";
import { loadSession, revokeSession } from "./auth.js";
import { caseRoutes } from "./case-routes.js";
import { listRoutes } from "./list-routes.js";
import { errorPage, type Ctx } from "./pages.js";
import { reportRoutes } from "./report-routes.js";
import { ZCsrfForm } from "./schemas.js";
import { SIGNED_IN, signedIn, type SignedIn } from "./signed-in-staff.js";

export const signedInRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db, deps } = area;

  app.addHook("onRequest", async (req, reply) => {
    const token = readSessionToken(area, req);
    const now = area.now();
    const session = token ? await loadSession(db, token, now) : null;
    if (!session) {
      if (req.method === "GET" || req.method === "HEAD") return reply.redirect("/staff/login", 302);
      return sendHtml(reply, errorPage(area.plainT(), null, 403, "dash.error.no_session"), 403);
    }
    const identity = await db.identity.findFirst({ where: { staffId: session.staff.id }, orderBy: { updatedAt: "desc" }, select: { language: true } });
    const t = area.translator(toLang(identity?.language));
    const ctx: Ctx = { t, L: makeLabeler(t, deps.regions), tz: deps.tz, viewer: session.staff, csrf: session.csrfToken, now };
    req.setDecorator<SignedIn>(SIGNED_IN, { session, ctx });
  });

  // Forms with a file (an announcement's photo or PDF) are multipart: their fields are read into the
  // body before the CSRF check below (this plugin's own preValidation hook, added first, runs
  // first), so those forms are checked like every other. A file is read up to the limit and handed
  // on with `truncated` set when it was larger, so the form can say so instead of a bare 413.
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    throwFileSizeLimit: false,
    limits: { files: 1, fields: 60, fieldSize: 64 * 1024, parts: 62, fileSize: deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES },
    onFile: async function (part) {
      const bytes = await part.toBuffer();
      (part as unknown as { value: unknown }).value = { bytes, truncated: part.file.truncated, fileName: part.filename };
    },
  });

  app.addHook("preValidation", async (req, reply) => {
    if (req.method !== "POST") return;
    const { session, ctx } = signedIn(req);
    const form = ZCsrfForm.safeParse(req.body);
    if (!sameOrigin(area, req) || !form.success || !safeEqual(form.data._csrf, session.csrfToken)) {
      return sendHtml(reply, errorPage(ctx.t, ctx, 403, "dash.error.csrf"), 403);
    }
  });

  app.post("/logout", async (req, reply) => {
    await revokeSession(db, signedIn(req).session.sessionId, area.now());
    clearSessionCookie(area, reply);
    return reply.redirect("/staff/login?out=1", 303);
  });

  await app.register(reportRoutes, { area });
  await app.register(caseRoutes, { area });
  await app.register(listRoutes, { area });
  await app.register(adminRoutes, { area });
  if (deps.calendar) await app.register(appointmentRoutes, { area, calendar: deps.calendar });
};
