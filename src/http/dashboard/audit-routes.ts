/**
 * The audit trail for admins and the head (registered inside adminRoutes, whose hook answers anyone
 * else 403): the page, and the CSV of every matching row streamed as it is read, so the export of
 * a long period never holds the whole log in memory. Downloading it is itself audited.
 */
import { Readable } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { writeJson, ZAuditDetail } from "../../db/json-columns.js";
import { csvChunks } from "../../documents/index.js";
import { localIsoDate } from "../../i18n/dates.js";
import { appendAuditAlone } from "../../domain/audit/chain.js";
import { auditChoices, auditPage as readAuditPage, auditRows, type AuditFilter, type AuditRow } from "../../domain/audit/query.js";
import { addDays, zonedTime } from "../../shared/time.js";
import { sendHtml, type DashboardArea } from "./area.js";
import { aboutLabel, actionLabel, actorLabel, auditPage, detailText, type AuditFormValues } from "./audit-page.js";
import { fileName } from "./exports.js";
import type { Ctx } from "./pages.js";
import { ZAuditQuery, type TAuditQuery } from "./schemas.js";
import { signedIn } from "./signed-in-staff.js";

type Resolved = { filter: AuditFilter; form: AuditFormValues; notice?: { key: string; params?: Record<string, string> } };

export const auditRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db, deps } = area;

  /** The query as a filter: dates are whole local days; a case by its registration number. */
  const resolve = async (q: TAuditQuery): Promise<Resolved> => {
    const reg = q.case?.trim().toUpperCase().slice(0, 40);
    const form: AuditFormValues = { ...(q.person ? { person: q.person } : {}), ...(reg ? { case: reg } : {}), ...(q.action ? { action: q.action } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
    const filter: AuditFilter = {};
    if (q.person) filter.actorId = q.person;
    if (q.action) filter.action = q.action;
    if (q.from) filter.from = zonedTime(q.from, "00:00", deps.tz);
    if (q.to) filter.to = zonedTime(addDays(q.to, 1), "00:00", deps.tz);
    if (q.from && q.to && q.from > q.to) return { filter: { ...filter, from: filter.to!, to: filter.to! }, form, notice: { key: "duty.audit.range_reversed" } };
    if (reg) {
      const c = await db.consultationCase.findUnique({ where: { regNumber: reg }, select: { id: true } });
      // An unknown number shows nothing rather than everything.
      if (!c) return { filter: { ...filter, caseId: `unknown:${reg}` }, form, notice: { key: "duty.audit.case_unknown", params: { reg } } };
      filter.caseId = c.id;
    }
    return { filter, form };
  };

  app.get("/audit", { schema: { querystring: ZAuditQuery } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const r = await resolve(req.query);
    const [result, choices] = await Promise.all([readAuditPage(db, r.filter, req.query.page ?? 1), auditChoices(db)]);
    return sendHtml(reply, auditPage(ctx, { result, form: r.form, ...choices, ...(r.notice ? { notice: r.notice } : {}) }));
  });

  app.get("/audit.csv", { schema: { querystring: ZAuditQuery } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const r = await resolve(req.query);
    await appendAuditAlone(db, [
      { at: area.now(), actorType: "staff", actorId: ctx.viewer.id, action: "audit.export", entity: "AuditLog", entityId: null, detailJson: writeJson(ZAuditDetail, { ...r.form }) },
    ]);
    const name = fileName("audit", localIsoDate(area.now(), deps.tz), "csv");
    reply.header("Content-Disposition", `attachment; filename="${name}"`);
    return reply.type("text/csv; charset=utf-8").send(Readable.from(csvChunks(auditColumns(ctx), exportRows(ctx, auditRows(db, r.filter)), { timeZone: deps.tz })));
  });
};

function auditColumns(ctx: Ctx) {
  const t = ctx.t;
  return [
    { key: "seq", header: t.t("duty.audit.col.seq") },
    { key: "at", header: t.t("duty.audit.when") },
    { key: "who", header: t.t("duty.audit.who") },
    { key: "actorId", header: t.t("duty.audit.col.actor_id") },
    { key: "what", header: t.t("duty.audit.what") },
    { key: "about", header: t.t("duty.audit.about") },
    { key: "entity", header: t.t("duty.audit.col.entity") },
    { key: "entityId", header: t.t("duty.audit.col.entity_id") },
    { key: "detail", header: t.t("duty.audit.detail") },
  ];
}

async function* exportRows(ctx: Ctx, rows: AsyncIterable<AuditRow>): AsyncGenerator<Record<string, unknown>> {
  for await (const r of rows) {
    yield { seq: r.seq, at: r.at, who: actorLabel(ctx.t, r), actorId: r.actorId, what: actionLabel(ctx.t, r.action), about: aboutLabel(r), entity: r.entity, entityId: r.entityId, detail: detailText(r) };
  }
}
