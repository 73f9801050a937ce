/** The cases: the filtered list and its exports, one case in full, and its documents. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { writeJson, ZAuditDetail } from "../../db/json-columns.js";
import { appendAuditAlone } from "../../domain/audit/chain.js";
import { stepTimes, type StepEvent } from "../../domain/cases/timing.js";
import { listCases, runningStep, stepIsWaiting, type CaseFilter } from "../../domain/reports/queries.js";
import { download, sendHtml, type DashboardArea } from "./area.js";
import { caseForViewer, consultantChoices, documentForViewer, knownAreas, seesEverything } from "./data.js";
import { casesTable } from "./exports.js";
import { casePage, casesPage, errorPage, type Ctx } from "./pages.js";
import { routingPanel } from "./routing-panel.js";
import { ZCaseQuery, ZCasesQuery, ZIdParams, ZRouteForm, type TCasesQuery } from "./schemas.js";
import { signedIn } from "./signed-in-staff.js";

const INLINE_MIME = new Set(["image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"]);
const EXPORT_LIMIT = 10_000;

/** The list filter a query asks for, within what the viewer may see. */
function filterOf(ctx: Ctx, q: TCasesQuery): CaseFilter {
  const f: CaseFilter = {};
  if (q.status) f.status = q.status;
  if (q.area) f.area = q.area;
  if (q.consultant && seesEverything(ctx.viewer)) f.consultantId = q.consultant;
  if (q.unassigned) f.unassigned = true;
  if (q.open) f.open = q.open === "1";
  if (q.q?.trim()) f.q = q.q.trim().slice(0, 100);
  if (q.page) f.page = q.page;
  if (ctx.viewer.role === "consultant") f.viewerConsultantId = ctx.viewer.id;
  return f;
}

export const caseRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db, deps } = area;
  const lookup = deps.lookupKey ? { lookupKey: deps.lookupKey } : {};

  app.get("/cases", { schema: { querystring: ZCasesQuery } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const filter = filterOf(ctx, req.query);
    const [result, areas, consultants] = await Promise.all([
      listCases(db, filter, lookup),
      knownAreas(db, Object.keys(ctx.t.texts.id)),
      db.staff.findMany({ where: { role: "consultant" }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ]);
    return sendHtml(reply, casesPage(ctx, { result, filter, areas, consultants }));
  });

  for (const ext of ["csv", "xlsx"] as const) {
    app.get(`/cases.${ext}`, { schema: { querystring: ZCasesQuery } }, async (req, reply) => {
      const { ctx } = signedIn(req);
      const filter = { ...filterOf(ctx, req.query), page: 1, pageSize: EXPORT_LIMIT };
      const result = await listCases(db, filter, lookup);
      return download(area, reply, casesTable(result.items, ctx.t, ctx.L), ext);
    });
  }

  /** The case page; `notice` is a routing outcome already in words. */
  const renderCase = async (ctx: Ctx, caseId: string, notice?: string): Promise<string | null> => {
    const now = area.now();
    const c = await caseForViewer(db, ctx.viewer, caseId);
    if (!c) return null;
    const events: StepEvent[] = c.events.map((e) => ({ step: e.step, kind: e.kind as StepEvent["kind"], at: e.at }));
    const times = stepTimes(events);
    const run = runningStep(c.events, c.step, now, (a, b) => (b.getTime() - a.getTime()) / 60_000);
    const ids = new Set<string>();
    for (const x of [c.consultantId, ...c.visits.map((v) => v.consultantId), ...c.referrals.flatMap((r) => [r.fromConsultantId, r.toConsultantId]), ...c.reports.map((r) => r.authorId)]) {
      if (x) ids.add(x);
    }
    const names = await db.staff.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
    const panel = deps.routing ? routingPanel(ctx, c, await knownAreas(db, Object.keys(ctx.t.texts.id)), await consultantChoices(db), notice) : undefined;
    return casePage(ctx, {
      c,
      times,
      running: run ? { step: c.step, elapsed: Math.round(run.elapsed * 10) / 10 } : null,
      waitingStep: stepIsWaiting(c.events, c.step, now) ? c.step : null,
      staffNames: new Map(names.map((n) => [n.id, n.name])),
      ...(panel ? { routingPanel: panel } : {}),
    });
  };

  app.get("/cases/:id", { schema: { params: ZIdParams, querystring: ZCaseQuery } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const page = await renderCase(ctx, req.params.id, req.query.routed ? ctx.t.t("duty.routing.done") : undefined);
    if (!page) return sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);
    return sendHtml(reply, page);
  });

  // The admin's routing decision from the case page, taken exactly as the tap in chat takes it.
  app.post("/cases/:id/route", { schema: { params: ZIdParams, body: ZRouteForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!deps.routing || ctx.viewer.role !== "admin") return sendHtml(reply, errorPage(ctx.t, ctx, 403), 403);
    const c = await caseForViewer(db, ctx.viewer, req.params.id);
    if (!c) return sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);
    const r = await deps.routing.decide(ctx.viewer.id, c.id, req.body.area, req.body.overridden === "1", req.body.consultant);
    if (r.ok && r.assigned) return reply.redirect(`/staff/cases/${c.id}?routed=1`, 303);
    // No active consultant in that area: the case still waits, and the page says so.
    if (r.ok) return sendHtml(reply, (await renderCase(ctx, c.id, ctx.t.t("wf.admin.no_consultant", { area: ctx.L.area(req.body.area) })))!);
    // Refused (routed meanwhile, an unknown area): the page again, saying why and in what state.
    return sendHtml(reply, (await renderCase(ctx, c.id, ctx.t.t(r.key, r.params)))!, 409);
  });

  // An identity photo or a PDF shown in the browser: no CSP on it, so the browser's own image and
  // PDF viewers are not held to the pages' policy (nothing of ours runs in them).
  app.get("/documents/:id", { schema: { params: ZIdParams }, helmet: { contentSecurityPolicy: false } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const doc = await documentForViewer(db, ctx.viewer, req.params.id);
    if (!doc) return sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);
    let bytes: Buffer;
    try {
      bytes = await deps.files.get(doc.storageKey);
    } catch (e) {
      req.log.error({ err: e, documentId: doc.id }, "document could not be read");
      return sendHtml(reply, errorPage(ctx.t, ctx, 404, "dash.error.document_missing"), 404);
    }
    // Seeing an identity photo is processing specific personal data (UU PDP): who saw what, when.
    await appendAuditAlone(db, [
      {
        at: area.now(),
        actorType: "staff",
        actorId: ctx.viewer.id,
        action: "document.view",
        entity: "Document",
        entityId: doc.id,
        detailJson: writeJson(ZAuditDetail, { type: doc.type, caseId: doc.caseId, via: "dashboard" }),
      },
    ]);
    const inline = INLINE_MIME.has(doc.mimeType);
    reply.header("Content-Disposition", `${inline ? "inline" : "attachment"}; filename="${doc.type}-${doc.id}"`);
    return reply.type(inline ? doc.mimeType : "application/octet-stream").send(bytes);
  });
};
