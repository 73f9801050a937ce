/**
 * /staff/appointments: the week's appointments (a consultant's own; admins and the head see all)
 * and the weekly availability, which a consultant sets here as in chat (`jadwal`).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { weekdayOf } from "../../domain/calendar/office-calendar.js";
import { availabilityOf, checkAgainstOffice, parseAvailability, setAvailability, weekOf, type AvailabilityProblem, type AvailabilityWindow } from "../../domain/appointments/index.js";
import { addDays } from "../../shared/time.js";
import { sendHtml, type DashboardArea } from "./area.js";
import { appointmentsPage, dayRowLabel, type AppointmentsView } from "./appointment-pages.js";
import type { Ctx } from "./pages.js";
import { ZAppointmentCancelForm, ZAppointmentMoveForm, ZAppointmentParams, ZAppointmentsQuery, ZAvailabilityForm } from "./schemas.js";
import { slotLabel } from "../../domain/appointments/index.js";
import { localParts } from "../../shared/time.js";
import { signedIn } from "./signed-in-staff.js";

/** The week as typed in chat, so the form shows what the consultant would type ("senin 09-12"). */
function typedWeek(ctx: Ctx, windows: readonly AvailabilityWindow[]): string {
  return windows.map((w) => `${ctx.t.t(`appt.weekday.${w.weekday}`).toLowerCase()} ${w.start.slice(0, 2)}-${w.end.slice(0, 2)}`).join(", ");
}

function problemText(ctx: Ctx, p: AvailabilityProblem): string {
  const params = { ...p.params };
  if (typeof params.day === "number") params.day = ctx.t.t(`appt.weekday.${params.day}`);
  return ctx.t.t(p.key, params);
}

export const appointmentRoutes: FastifyPluginAsyncZod<{ area: DashboardArea; calendar: OfficeCalendar }> = async (app, { area, calendar }) => {
  const { db, deps } = area;

  const view = async (ctx: Ctx, weekOfDate: string | undefined, own?: { typed?: string; saved?: boolean; error?: string }, extra?: Pick<AppointmentsView, "notice" | "refused">): Promise<AppointmentsView> => {
    const anyDay = weekOfDate ?? calendar.localDate(area.now());
    const weekStart = addDays(anyDay, 1 - weekdayOf(anyDay));
    const from = calendar.at(weekStart, "00:00");
    const to = calendar.at(addDays(weekStart, 7), "00:00");
    const consultantId = ctx.viewer.role === "consultant" ? ctx.viewer.id : undefined;
    const list = await weekOf(db, { from, to, ...(consultantId ? { consultantId } : {}) });
    const days = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i)).map((date) => {
      const holiday = calendar.holiday(date);
      return {
        date,
        label: dayRowLabel(ctx, date),
        ...(holiday ? { holiday: holiday.name } : {}),
        closed: !calendar.isWorkingDay(date),
        appointments: list.filter((a) => calendar.localDate(a.startsAt) === date),
      };
    });
    // The case's consultant (their own week) and admins move or cancel; the head only looks.
    const manage = ctx.viewer.role === "admin" || ctx.viewer.role === "consultant";
    const base = { title: ctx.t.t("appt.dash.title", { date: dayRowLabel(ctx, weekStart) }), weekStart, prevWeek: addDays(weekStart, -7), nextWeek: addDays(weekStart, 7), days, manage, ...extra };
    if (consultantId) {
      const windows = await availabilityOf(db, consultantId);
      return { ...base, own: { windows, typed: own?.typed ?? typedWeek(ctx, windows), saved: own?.saved ?? false, ...(own?.error ? { error: own.error } : {}) } };
    }
    const consultants = await db.staff.findMany({ where: { role: "consultant", active: true }, orderBy: { name: "asc" }, select: { id: true, name: true } });
    const team = await Promise.all(consultants.map(async (s) => ({ name: s.name, windows: await availabilityOf(db, s.id) })));
    return { ...base, team };
  };

  app.get("/appointments", { schema: { querystring: ZAppointmentsQuery } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const notice = req.query.done ? ctx.t.t(`appt.dash.done_${req.query.done}`) : undefined;
    return sendHtml(reply, appointmentsPage(ctx, await view(ctx, req.query.week, { saved: req.query.saved === "1" }, notice ? { notice } : {})));
  });

  app.post("/appointments/availability", { schema: { body: ZAvailabilityForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (ctx.viewer.role !== "consultant") return reply.redirect("/staff/appointments", 303);
    const typed = req.body.text.trim().slice(0, 500);
    const weekday = (w: string) => [1, 2, 3, 4, 5, 6, 7].find((d) => ctx.t.words(`appt.weekday.${d}.words`).includes(w));
    const parsed = parseAvailability(typed, weekday, ctx.t.words("appt.avail.clear.words"));
    const problem = parsed.ok ? checkAgainstOffice(parsed.windows, calendar) : parsed.problem;
    if (!parsed.ok || problem) {
      const error = problemText(ctx, problem ?? { key: "appt.avail.usage" });
      return sendHtml(reply, appointmentsPage(ctx, await view(ctx, undefined, { typed, error })), 400);
    }
    // In a turn of the consultant's chat, as `jadwal` is: waiting clients are offered slots at once.
    if (deps.appointments && (await deps.appointments.saveAvailability(ctx.viewer.id, parsed.windows))) return reply.redirect("/staff/appointments?saved=1", 303);
    const at = area.now();
    await db.$transaction(async (tx) => {
      await setAvailability(tx, ctx.viewer.id, parsed.windows, at);
      await tx.auditLog.create({ data: { at, actorType: "staff", actorId: ctx.viewer.id, action: "availability.set", entity: "Staff", entityId: ctx.viewer.id, detailJson: JSON.stringify({ windows: parsed.windows.length, via: "dashboard" }) } });
    });
    return reply.redirect("/staff/appointments?saved=1", 303);
  });

  /** A refusal: the page again, the reason beside the appointment and the next free slots to pick. */
  const refused = async (ctx: Ctx, appointmentId: string, r: { key: string; params: Record<string, string | number>; next: Date[] }) => {
    const a = await db.appointment.findUnique({ where: { id: appointmentId }, select: { startsAt: true } });
    const message = ctx.t.t(r.key, r.params);
    const next = r.next.map((at) => {
      const p = localParts(at, calendar.tz);
      return { date: calendar.localDate(at), time: `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`, label: slotLabel(at, ctx.t, calendar.tz) };
    });
    return appointmentsPage(ctx, await view(ctx, a ? calendar.localDate(a.startsAt) : undefined, undefined, { refused: { appointmentId, message, next } }));
  };

  app.post("/appointments/:id/move", { schema: { params: ZAppointmentParams, body: ZAppointmentMoveForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!deps.appointments) return reply.code(404).send();
    const at = calendar.at(req.body.date, req.body.time);
    const r = await deps.appointments.move(ctx.viewer.id, req.params.id, at);
    if (!r.ok) return sendHtml(reply, await refused(ctx, req.params.id, r), 409);
    return reply.redirect(`/staff/appointments?week=${req.body.date}&done=moved`, 303);
  });

  app.post("/appointments/:id/cancel", { schema: { params: ZAppointmentParams, body: ZAppointmentCancelForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!deps.appointments) return reply.code(404).send();
    const a = await db.appointment.findUnique({ where: { id: req.params.id }, select: { startsAt: true } });
    const r = await deps.appointments.cancel(ctx.viewer.id, req.params.id, req.body.reason);
    if (!r.ok) return sendHtml(reply, await refused(ctx, req.params.id, r), 409);
    return reply.redirect(`/staff/appointments?${a ? `week=${calendar.localDate(a.startsAt)}&` : ""}done=cancelled`, 303);
  });
};
