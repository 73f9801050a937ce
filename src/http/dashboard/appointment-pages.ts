/** The appointments page: the week's booked appointments per day, and the weekly availability. */
import type { AvailabilityWindow, WeekAppointment } from "../../domain/appointments/index.js";
import { placeLine } from "../../domain/appointments/index.js";
import { clockTime, intlLocale } from "../../i18n/index.js";
import { localParts } from "../../shared/time.js";
import { csrfField, html, page, qs, type Html } from "./html.js";
import { navFor, type Ctx } from "./pages.js";

export interface WeekDay {
  /** "YYYY-MM-DD" */
  date: string;
  label: string;
  holiday?: string;
  closed: boolean;
  appointments: WeekAppointment[];
}

export interface AppointmentsView {
  title: string;
  weekStart: string;
  prevWeek: string;
  nextWeek: string;
  days: WeekDay[];
  /** The signed-in consultant's own week (a form), or every consultant's (admins and the head). */
  own?: { windows: AvailabilityWindow[]; typed: string; saved: boolean; error?: string };
  team?: Array<{ name: string; windows: AvailabilityWindow[] }>;
  /** The viewer may move and cancel the appointments shown (admins; a consultant their own). */
  manage: boolean;
  /** After a move or a cancellation. */
  notice?: string;
  /** A move or cancellation refused: why, and the next free slots to pick instead. */
  refused?: { appointmentId: string; message: string; next: Array<{ date: string; time: string; label: string }> };
}

function hm(ctx: Ctx, s: string): string {
  return clockTime(Number(s.slice(0, 2)), Number(s.slice(3, 5)), ctx.t.lang);
}

function weekLines(ctx: Ctx, windows: readonly AvailabilityWindow[]): Html {
  if (windows.length === 0) return html`<span class="muted">${ctx.t.t("appt.avail.none")}</span>`;
  return html`${windows.map((w, i) => html`${i > 0 ? ", " : ""}${ctx.t.t(`appt.weekday.${w.weekday}`)} ${hm(ctx, w.start)}–${hm(ctx, w.end)}`)}`;
}

/** A refused move or cancellation: why, and the next free slots, each a button that moves it there. */
function refusal(ctx: Ctx, r: NonNullable<AppointmentsView["refused"]>): Html {
  const { t } = ctx;
  const moveTo = (n: { date: string; time: string; label: string }) =>
    html`<form method="post" action="/staff/appointments/${r.appointmentId}/move" class="inline">${csrfField(ctx.csrf)}<input type="hidden" name="date" value="${n.date}"><input type="hidden" name="time" value="${n.time}"><button type="submit" class="btn light small">${n.label}</button></form>`;
  return html`<div class="section" id="appointment-refused"><p class="notice">${r.message}</p>${
    r.next.length ? html`<p class="small">${t.t("appt.dash.next_free")}</p><div class="actions next-free">${r.next.map(moveTo)}</div>` : html`<p class="small">${t.t("appt.dash.no_free")}</p>`
  }</div>`;
}

/** Move (a day and an hour) and cancel (with a reason) forms under an appointment. */
function manageForms(ctx: Ctx, a: WeekAppointment, v: AppointmentsView): Html {
  const { t } = ctx;
  return html`<details class="manage" data-appointment="${a.id}"${v.refused?.appointmentId === a.id ? " open" : ""}><summary>${t.t("appt.dash.manage")}</summary>
<form method="post" action="/staff/appointments/${a.id}/move" class="move">${csrfField(ctx.csrf)}<label>${t.t("appt.dash.move_date")} <input type="date" name="date" required></label> <label>${t.t("appt.dash.move_time")} <input type="time" name="time" step="3600" required></label> <button type="submit">${t.t("appt.dash.move")}</button></form>
<form method="post" action="/staff/appointments/${a.id}/cancel" class="cancel">${csrfField(ctx.csrf)}<label>${t.t("appt.dash.cancel_reason")} <input type="text" name="reason" required maxlength="300"></label> <button type="submit">${t.t("appt.dash.cancel")}</button></form>
</details>`;
}

function appointmentItem(ctx: Ctx, a: WeekAppointment, showConsultant: boolean, v: AppointmentsView): Html {
  const p = localParts(a.startsAt, ctx.tz);
  return html`<li data-appointment="${a.id}"><strong>${clockTime(p.hour, p.minute, ctx.t.lang)}</strong> · <a href="/staff/cases/${a.caseId}">${a.regNumber}</a> · ${a.clientName}${showConsultant ? html` · <span class="muted">${a.consultantName}</span>` : ""}
<div class="small">${placeLine(a, ctx.t, "staff")}</div>${v.manage ? manageForms(ctx, a, v) : ""}</li>`;
}

export function appointmentsPage(ctx: Ctx, v: AppointmentsView): string {
  const { t } = ctx;
  const all = ctx.viewer.role !== "consultant";
  const body = html`<h1>${v.title}</h1>
${v.notice ? html`<p class="notice" id="appointment-done">${v.notice}</p>` : ""}${v.refused ? refusal(ctx, v.refused) : ""}
<div class="actions"><a class="btn light small" id="prev-week" href="/staff/appointments${qs({ week: v.prevWeek })}">${t.t("appt.dash.prev")}</a><a class="btn light small" href="/staff/appointments">${t.t("appt.dash.this_week")}</a><a class="btn light small" id="next-week" href="/staff/appointments${qs({ week: v.nextWeek })}">${t.t("appt.dash.next")}</a></div>
<div class="section scroll"><table id="week" class="stack"><thead><tr><th>${t.t("appt.dash.day")}</th><th>${t.t("appt.dash.appointments")}</th></tr></thead><tbody>${v.days.map(
    (d) => html`<tr data-date="${d.date}"><td><strong>${d.label}</strong>${d.holiday ? html` <span class="badge warn">${d.holiday}</span>` : d.closed ? html` <span class="badge">${t.t("appt.dash.closed")}</span>` : ""}</td><td>${
      d.appointments.length ? html`<ul class="plain">${d.appointments.map((a) => appointmentItem(ctx, a, all, v))}</ul>` : html`<span class="muted">-</span>`
    }</td></tr>`,
  )}</tbody></table></div>
${v.own ? html`<div class="section" id="availability"><h2>${t.t("appt.dash.my_week")}</h2>
${v.own.saved ? html`<p class="notice">${t.t("appt.avail.saved")}</p>` : ""}${v.own.error ? html`<p class="notice" id="availability-error">${v.own.error}</p>` : ""}
<p>${weekLines(ctx, v.own.windows)}</p>
<form method="post" action="/staff/appointments/availability">${csrfField(ctx.csrf)}<label>${t.t("appt.dash.type_week")} <input type="text" name="text" value="${v.own.typed}" placeholder="${t.t("appt.avail.example")}"></label> <button type="submit">${t.t("appt.dash.save")}</button></form>
<p class="muted small">${t.t("appt.dash.week_hint")}</p></div>` : ""}
${v.team ? html`<div class="section"><h2>${t.t("appt.dash.team_week")}</h2><ul class="plain">${v.team.map((s) => html`<li><strong>${s.name}</strong>: ${weekLines(ctx, s.windows)}</li>`)}</ul></div>` : ""}`;
  return page({
    title: v.title,
    lang: t.lang,
    staff: { name: ctx.viewer.name, roleLabel: ctx.L.role(ctx.viewer.role), csrf: ctx.csrf },
    nav: navFor(t, ctx.viewer),
    active: "appointments",
    labels: { brand: t.t("dash.brand"), logout: t.t("dash.logout") },
    body,
  });
}

/** "Senin, 23 Nov" of a calendar date, for the day rows. */
export function dayRowLabel(ctx: Ctx, date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(intlLocale(ctx.t.lang), { weekday: "long", day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}
