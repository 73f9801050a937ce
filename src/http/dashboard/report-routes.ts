/** The overview (the office's figures of a period) and the report of that period as files. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { DEFAULT_OFFICE } from "../../documents/index.js";
import { renderReportFiles, reportFileBase, PDF_MIME, XLSX_MIME } from "../../domain/reports/attachments.js";
import { computeOfficeStats } from "../../domain/reports/office-report.js";
import { parsePeriod, type Period } from "../../domain/reports/period.js";
import { lateNow } from "../../domain/reports/queries.js";
import { download, sendHtml, type DashboardArea } from "./area.js";
import { casesPerMonth } from "./data.js";
import { reportTable } from "./exports.js";
import { errorPage, overviewPage, REPORT_TABLES, type Ctx } from "./pages.js";
import { ZPeriodQuery, ZReportTableParams } from "./schemas.js";
import { signedIn } from "./signed-in-staff.js";

export const reportRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db, deps } = area;

  /** The period asked for; one that does not read falls back to this month, with the reason. */
  const periodOf = (ctx: Ctx, input: string | undefined): { period: Period; input: string; error?: string } => {
    const text = input?.trim() || "bulan ini";
    const lang = ctx.t.lang;
    const r = parsePeriod(text, area.now(), deps.tz, lang);
    if (r.ok) return { period: r.period, input: text };
    const fallback = parsePeriod("bulan ini", area.now(), deps.tz, lang);
    if (!fallback.ok) throw new Error("this month is not a period");
    return { period: fallback.period, input: text, error: r.error };
  };
  const statsFor = (ctx: Ctx, period: Period) =>
    computeOfficeStats(db, period, deps.tz, {
      t: ctx.t,
      ...(deps.regions ? { regions: deps.regions } : {}),
      office: deps.office ?? { ...DEFAULT_OFFICE },
      generatedAt: area.now(),
      place: "Gianyar",
      ...(deps.calendar ? { calendar: deps.calendar } : {}),
      ...(ctx.viewer.role === "consultant" ? { consultantId: ctx.viewer.id } : {}),
    });

  app.get("/", { schema: { querystring: ZPeriodQuery } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const p = periodOf(ctx, req.query.periode);
    const own = ctx.viewer.role === "consultant" ? ctx.viewer.id : undefined;
    const [stats, months, late] = await Promise.all([
      statsFor(ctx, p.period),
      casesPerMonth(db, area.now(), deps.tz, own ? { consultantId: own } : {}),
      lateNow(db, area.now(), { ...(deps.calendar ? { calendar: deps.calendar } : {}), ...(own ? { viewerConsultantId: own } : {}) }),
    ]);
    return sendHtml(
      reply,
      overviewPage(ctx, { stats, period: p.period, periodInput: p.input, ...(p.error ? { periodError: p.error } : {}), months, lateCount: late.length }),
    );
  });

  for (const ext of ["xlsx", "pdf"] as const) {
    app.get(`/report.${ext}`, { schema: { querystring: ZPeriodQuery } }, async (req, reply) => {
      const { ctx } = signedIn(req);
      const p = periodOf(ctx, req.query.periode);
      const stats = await statsFor(ctx, p.period);
      const files = await renderReportFiles(stats.report, { lang: ctx.t.lang, tz: deps.tz });
      reply.header("Content-Disposition", `attachment; filename="${reportFileBase(stats.report, deps.tz)}.${ext}"`);
      return reply.type(ext === "pdf" ? PDF_MIME : XLSX_MIME).send(ext === "pdf" ? files.pdf : files.xlsx);
    });
  }

  app.get("/report/:table", { schema: { params: ZReportTableParams, querystring: ZPeriodQuery } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const m = /^([a-z]+)\.(csv|xlsx)$/.exec(req.params.table);
    const table = REPORT_TABLES.find((name) => name === m?.[1]);
    if (!m || !table) return sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);
    const p = periodOf(ctx, req.query.periode);
    const stats = await statsFor(ctx, p.period);
    return download(area, reply, reportTable(stats, table, ctx.t), m[2] === "csv" ? "csv" : "xlsx");
  });
};
