/**
 * Complaints on the dashboard (registered inside adminRoutes: admins and the head only): the list,
 * one complaint, and its answer and close forms, taken exactly as in chat (complaint-actions.ts).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { sendHtml, type DashboardArea } from "./area.js";
import { complaintPage, complaintsPage, type ComplaintRow } from "./complaint-page.js";
import { errorPage, type Ctx } from "./pages.js";
import { ZComplaintAnswerForm, ZIdParams } from "./schemas.js";
import { signedIn } from "./signed-in-staff.js";

const LIST_LIMIT = 200;

export const complaintRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db, deps } = area;
  const select = { id: true, text: true, status: true, response: true, createdAt: true, dueAt: true, answeredAt: true, closedAt: true, case: { select: { regNumber: true } } } as const;
  const row = (c: { case: { regNumber: string } | null } & Omit<ComplaintRow, "regNumber">): ComplaintRow => ({ ...c, regNumber: c.case?.regNumber ?? null });
  const one = async (id: string) => {
    const c = await db.complaint.findUnique({ where: { id }, select });
    return c ? row(c) : null;
  };
  const show = async (ctx: Ctx, id: string, notice: string | undefined, status: 200 | 409, reply: Parameters<typeof sendHtml>[0]) => {
    const c = await one(id);
    return c ? sendHtml(reply, complaintPage(ctx, c, notice), status) : sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);
  };

  app.get("/complaints", async (req, reply) => {
    const { ctx } = signedIn(req);
    // Open ones first (oldest first: the most overdue on top), then the rest newest first.
    const rows = await db.complaint.findMany({ select, orderBy: { createdAt: "desc" }, take: LIST_LIMIT });
    const open = rows.filter((r) => r.status === "new" || r.status === "being_handled").reverse();
    const done = rows.filter((r) => r.status !== "new" && r.status !== "being_handled");
    return sendHtml(reply, complaintsPage(ctx, [...open, ...done].map(row)));
  });

  app.get("/complaints/:id", { schema: { params: ZIdParams } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    // Opening a new complaint starts handling it (audited), as "Jawab" in chat does.
    const c = await db.complaint.findUnique({ where: { id: req.params.id }, select: { status: true } });
    if (c?.status === "new" && deps.complaints) await deps.complaints.open(ctx.viewer.id, req.params.id);
    return show(ctx, req.params.id, undefined, 200, reply);
  });

  app.post("/complaints/:id/answer", { schema: { params: ZIdParams, body: ZComplaintAnswerForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!deps.complaints) return sendHtml(reply, errorPage(ctx.t, ctx, 403), 403);
    const r = await deps.complaints.answer(ctx.viewer.id, req.params.id, req.body.answer);
    if (r.ok) return show(ctx, req.params.id, ctx.t.t("duty.complaints.sent"), 200, reply);
    return show(ctx, req.params.id, ctx.t.t(r.key, r.params), 409, reply);
  });

  app.post("/complaints/:id/close", { schema: { params: ZIdParams } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!deps.complaints) return sendHtml(reply, errorPage(ctx.t, ctx, 403), 403);
    const r = await deps.complaints.close(ctx.viewer.id, req.params.id);
    if (r.ok) return show(ctx, req.params.id, ctx.t.t("duty.complaints.closed"), 200, reply);
    return show(ctx, req.params.id, ctx.t.t(r.key, r.params), 409, reply);
  });
};
