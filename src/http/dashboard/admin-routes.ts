/**
 * What only admins and the head see: the staff and their invitations, and WhatsApp pairing. This
 * scope's hook answers anyone else 403 before a route runs.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { writeJson, ZAuditDetail } from "../../db/json-columns.js";
import { appendAudit } from "../../domain/audit/chain.js";
import { ZRole } from "../../domain/staff/directory.js";
import { createInvite } from "../../domain/staff/invites.js";
import { announcementRoutes } from "./announcement-routes.js";
import { auditRoutes } from "./audit-routes.js";
import { complaintRoutes } from "./complaint-routes.js";
import { download, sendHtml, type DashboardArea } from "./area.js";
import { knownAreas, seesEverything, staffWithInvites } from "./data.js";
import { teamTable } from "./exports.js";
import { errorPage, teamPage, whatsappPage, type Ctx } from "./pages.js";
import { ZCsrfForm, ZIdParams, ZInviteForm } from "./schemas.js";
import { signedIn } from "./signed-in-staff.js";

export const adminRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db, deps } = area;

  app.addHook("onRequest", async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!seesEverything(ctx.viewer)) return sendHtml(reply, errorPage(ctx.t, ctx, 403), 403);
  });

  await app.register(auditRoutes, { area });
  await app.register(complaintRoutes, { area });
  await app.register(announcementRoutes, { area });

  const teamData = async (ctx: Ctx) => {
    const [team, areas] = await Promise.all([staffWithInvites(db, area.now()), knownAreas(db, Object.keys(ctx.t.texts.id))]);
    return { ...team, areas };
  };

  app.get("/team", async (req, reply) => {
    const { ctx } = signedIn(req);
    return sendHtml(reply, teamPage(ctx, await teamData(ctx)));
  });
  for (const ext of ["csv", "xlsx"] as const) {
    app.get(`/team.${ext}`, async (req, reply) => {
      const { ctx } = signedIn(req);
      return download(area, reply, teamTable((await staffWithInvites(db, area.now())).staff, ctx.t, ctx.L), ext);
    });
  }

  app.post("/team/invites", { schema: { body: ZInviteForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const name = req.body.name.trim().replace(/\s+/g, " ").slice(0, 100);
    const role = ZRole.safeParse(req.body.role);
    const areas = [...new Set(req.body.areas)];
    // The office's rules on the form, answered on the form.
    let error: string | undefined;
    if (name.length < 2) error = "dash.team.error_name";
    else if (!role.success) error = "dash.team.error_role";
    else if (role.data === "consultant" && areas.length === 0) error = "dash.team.error_areas";
    if (error || !role.success) return sendHtml(reply, teamPage(ctx, { ...(await teamData(ctx)), ...(error ? { error } : {}) }), 400);
    const at = area.now();
    const created = await db.$transaction(async (tx) => {
      const inv = await createInvite(tx, { role: role.data, name, areas: role.data === "consultant" ? areas : [], createdById: ctx.viewer.id, now: at });
      await appendAudit(tx, [
        {
          at,
          actorType: "staff",
          actorId: ctx.viewer.id,
          action: "invite.create",
          entity: "StaffInvite",
          entityId: null,
          detailJson: writeJson(ZAuditDetail, { role: role.data, via: "dashboard" }),
        },
      ]);
      return inv;
    });
    // The code is shown this once; only its hash is stored.
    return sendHtml(reply, teamPage(ctx, { ...(await teamData(ctx)), created: { code: created.code, name, expiresAt: created.expiresAt } }));
  });

  app.post("/team/invites/:id/revoke", { schema: { params: ZIdParams } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const at = area.now();
    await db.$transaction(async (tx) => {
      const r = await tx.staffInvite.updateMany({ where: { id: req.params.id, usedAt: null, expiresAt: { gt: at } }, data: { expiresAt: at } });
      if (r.count > 0) {
        await appendAudit(tx, [{ at, actorType: "staff", actorId: ctx.viewer.id, action: "invite.revoke", entity: "StaffInvite", entityId: req.params.id, detailJson: "{}" }]);
      }
    });
    return reply.redirect("/staff/team", 303);
  });

  app.get("/whatsapp", async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!deps.whatsapp) return sendHtml(reply, whatsappPage(ctx, { enabled: false }));
    const st = deps.whatsapp.status();
    // qrcode loads only here: only an office pairing WhatsApp by QR code ever needs it.
    const qrSvg = st.qr && !st.pairingCode ? await (await import("qrcode")).default.toString(st.qr, { type: "svg", margin: 1, errorCorrectionLevel: "M" }) : undefined;
    return sendHtml(
      reply,
      whatsappPage(ctx, {
        enabled: true,
        // On standby another server holds the login: only that one may throw it away.
        canRelink: deps.whatsapp.relink !== undefined && ctx.viewer.role === "admin" && st.state !== "standby",
        state: st.state,
        updatedAt: st.updatedAt,
        ...(qrSvg ? { qrSvg } : {}),
        ...(st.pairingCode ? { pairingCode: st.pairingCode } : {}),
      }),
    );
  });

  // Pair again without SQL: forget the stored login; the page then shows the fresh QR or code.
  app.post("/whatsapp/relink", { schema: { body: ZCsrfForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const relink = deps.whatsapp?.relink;
    // The head sees the page but only an admin changes the office's WhatsApp.
    if (ctx.viewer.role !== "admin" || !relink) return sendHtml(reply, errorPage(ctx.t, ctx, 403), 403);
    await db.auditLog.create({ data: { at: area.now(), actorType: "staff", actorId: ctx.viewer.id, action: "whatsapp.relink", entity: "WhatsAppConnection", entityId: null } });
    await relink();
    return reply.redirect("/staff/whatsapp", 303);
  });
};
