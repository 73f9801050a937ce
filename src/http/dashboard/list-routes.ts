/** Cases late now, the consultants' load (both with exports), and the client search. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { consultantLoad, lateNow, searchClients } from "../../domain/reports/queries.js";
import { download, sendHtml, type DashboardArea } from "./area.js";
import { consultantsTable, lateTable } from "./exports.js";
import { consultantsPage, latePage, searchPage, type Ctx } from "./pages.js";
import { ZSearchQuery } from "./schemas.js";
import { signedIn } from "./signed-in-staff.js";

export const listRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db, deps } = area;
  const own = (ctx: Ctx) => (ctx.viewer.role === "consultant" ? ctx.viewer.id : undefined);

  const lateFor = (ctx: Ctx) => {
    const viewer = own(ctx);
    return lateNow(db, area.now(), { ...(deps.calendar ? { calendar: deps.calendar } : {}), ...(viewer ? { viewerConsultantId: viewer } : {}) });
  };
  app.get("/late", async (req, reply) => {
    const { ctx } = signedIn(req);
    return sendHtml(reply, latePage(ctx, await lateFor(ctx)));
  });
  for (const ext of ["csv", "xlsx"] as const) {
    app.get(`/late.${ext}`, async (req, reply) => {
      const { ctx } = signedIn(req);
      return download(area, reply, lateTable(await lateFor(ctx), ctx.t, ctx.L), ext);
    });
  }

  const loadFor = (ctx: Ctx) => {
    const viewer = own(ctx);
    return consultantLoad(db, area.now(), { tz: deps.tz, ...(deps.calendar ? { calendar: deps.calendar } : {}), ...(viewer ? { onlyStaffId: viewer } : {}) });
  };
  app.get("/consultants", async (req, reply) => {
    const { ctx } = signedIn(req);
    return sendHtml(reply, consultantsPage(ctx, await loadFor(ctx)));
  });
  for (const ext of ["csv", "xlsx"] as const) {
    app.get(`/consultants.${ext}`, async (req, reply) => {
      const { ctx } = signedIn(req);
      return download(area, reply, consultantsTable(await loadFor(ctx), ctx.t, ctx.L), ext);
    });
  }

  app.get("/search", { schema: { querystring: ZSearchQuery } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const q = (req.query.q ?? "").trim().slice(0, 100);
    const viewer = own(ctx);
    const result = q
      ? await searchClients(db, deps.lookupKey ?? Buffer.alloc(32), q, { limit: 20, ...(viewer ? { viewerConsultantId: viewer } : {}) })
      : null;
    return sendHtml(reply, searchPage(ctx, q, result, deps.lookupKey !== undefined));
  });
};
