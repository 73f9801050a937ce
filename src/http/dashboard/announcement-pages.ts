/**
 * The announcement pages (issue 18): the list, the compose form (message, optional photo or PDF,
 * optional RSVP and event date, the audience), the check before sending (how many people on which
 * channel, then an explicit confirm), the progress of the sending (refreshed by a meta refresh: the
 * dashboard runs no script), and the attendance list with its XLSX.
 */
import { channelDisplayName } from "../../domain/reach.js";
import type { AnnouncementProgress, AttendanceRow as DomainAttendanceRow } from "../../domain/announcements/announcements.js";
import { csrfField, html, raw, type Html } from "./html.js";
import { fmtDateTime, frame, type Ctx } from "./pages.js";

export interface AnnouncementListRow {
  id: string;
  title: string;
  status: string;
  createdAt: Date;
  recipients: number;
  sent: number;
}

/** What the admin typed, kept to show the form again after a refusal. */
export interface ComposeValues {
  title: string;
  text: string;
  eventAt: string;
  rsvp: boolean;
  quota: string;
  closesAt: string;
  sectors: string[];
  kecamatan: string[];
  areas: string[];
  caseStatus: string[];
  registeredFrom: string;
  registeredTo: string;
}

export const EMPTY_COMPOSE: ComposeValues = {
  title: "",
  text: "",
  eventAt: "",
  rsvp: false,
  quota: "",
  closesAt: "",
  sectors: [],
  kecamatan: [],
  areas: [],
  caseStatus: [],
  registeredFrom: "",
  registeredTo: "",
};

export interface AudienceChoices {
  sectors: Array<{ value: string; label: string }>;
  kecamatan: Array<{ value: string; label: string }>;
  areas: Array<{ value: string; label: string }>;
}

export const CASE_STATUS_CHOICES = ["none", "open", "closed"] as const;

export interface AnnouncementSummary {
  id: string;
  title: string;
  text: string;
  status: string;
  attachmentName: string | null;
  eventAt: Date | null;
  rsvp: { quota: number; closesAt: Date } | null;
  /** The audience in words ("Sektor usaha: Kuliner; Kecamatan: Ubud"). */
  audienceLines: string[];
}

export interface AudienceCount {
  total: number;
  byChannel: Record<string, number>;
  optedOut: number;
}

/** The figures the progress page shows: the domain's own. */
export type ProgressFigures = AnnouncementProgress;

/** A row of the attendance list as shown: its channel always named ("-" when it has none). */
export type AttendanceRow = Omit<DomainAttendanceRow, "channel" | "rsvpAt"> & { channel: string };


/** Seconds between refreshes of the progress page while messages are still waiting. */
export const PROGRESS_REFRESH_SECONDS = 5;

const statusBadge = (ctx: Ctx, status: string) =>
  html`<span class="badge ${status === "sending" ? "warn" : status === "sent" ? "ok" : ""}">${ctx.t.t(`dash.announce.status.${status}`)}</span>`;

export function announcementsPage(ctx: Ctx, rows: AnnouncementListRow[]): string {
  const { t } = ctx;
  const body = html`<h1>${t.t("dash.announce.title")}</h1>
${ctx.viewer.role === "admin" ? html`<div class="actions"><a class="btn" id="announcement-new" href="/staff/announcements/new">${t.t("dash.announce.new")}</a></div>` : ""}
<div class="section scroll"><table id="announcements" class="stack"><thead><tr><th>${t.t("dash.announce.col_title")}</th><th>${t.t("dash.announce.col_status")}</th><th>${t.t("dash.announce.col_created")}</th><th class="num">${t.t("dash.announce.col_recipients")}</th><th class="num">${t.t("dash.announce.col_sent")}</th></tr></thead>
<tbody>${rows.length
    ? rows.map(
        (r) =>
          html`<tr><td><a href="/staff/announcements/${r.id}">${r.title}</a></td><td>${statusBadge(ctx, r.status)}</td><td>${fmtDateTime(ctx, r.createdAt)}</td><td class="num">${r.recipients}</td><td class="num">${r.sent}</td></tr>`,
      )
    : html`<tr><td colspan="5" class="muted">${t.t("dash.announce.none")}</td></tr>`}</tbody></table></div>`;
  return frame(ctx, "announcements", t.t("dash.announce.title"), body);
}

function checks(name: string, items: Array<{ value: string; label: string }>, selected: readonly string[]): Html {
  return html`${items.map(
    (o) => html`<label><input type="checkbox" name="${name}" value="${o.value}"${raw(selected.includes(o.value) ? " checked" : "")}> ${o.label}</label>`,
  )}`;
}

export function composePage(ctx: Ctx, v: ComposeValues, choices: AudienceChoices, maxMb: string, error?: string): string {
  const { t } = ctx;
  const caseStatuses = CASE_STATUS_CHOICES.map((s) => ({ value: s, label: t.t(`dash.announce.case_status.${s}`) }));
  const body = html`<h1>${t.t("dash.announce.compose_title")}</h1>
${error ? html`<p class="notice" id="announcement-error" role="alert">${error}</p>` : ""}
<form method="post" action="/staff/announcements" enctype="multipart/form-data" class="stack" id="announcement-form">${csrfField(ctx.csrf)}
<div class="section"><h2>${t.t("dash.announce.message")}</h2>
<label>${t.t("dash.announce.f_title")}<input type="text" name="title" value="${v.title}" required minlength="3" maxlength="120"></label>
<label>${t.t("dash.announce.f_text")}<textarea name="text" rows="6" required maxlength="3000">${v.text}</textarea></label>
<label>${t.t("dash.announce.f_attachment", { mb: maxMb })}<input type="file" name="attachment" accept="image/jpeg,image/png,image/webp,application/pdf"></label>
<label>${t.t("dash.announce.f_event_at")}<input type="datetime-local" name="eventAt" value="${v.eventAt}"></label></div>
<div class="section"><h2>${t.t("dash.announce.rsvp")}</h2>
<fieldset><label><input type="checkbox" name="rsvp" value="1"${raw(v.rsvp ? " checked" : "")}> ${t.t("dash.announce.f_rsvp")}</label></fieldset>
<label>${t.t("dash.announce.f_quota")}<input type="number" name="quota" min="1" max="100000" value="${v.quota}"></label>
<label>${t.t("dash.announce.f_closes")}<input type="datetime-local" name="closesAt" value="${v.closesAt}"></label></div>
<div class="section"><h2>${t.t("dash.announce.audience")}</h2><p class="small muted">${t.t("dash.announce.audience_hint")}</p>
<p class="small">${t.t("dash.announce.f_sectors")}</p><fieldset id="f-sectors">${checks("sectors", choices.sectors, v.sectors)}</fieldset>
<p class="small">${t.t("dash.announce.f_kecamatan")}</p><fieldset id="f-kecamatan">${checks("kecamatan", choices.kecamatan, v.kecamatan)}</fieldset>
<p class="small">${t.t("dash.announce.f_areas")}</p><fieldset id="f-areas">${checks("areas", choices.areas, v.areas)}</fieldset>
<p class="small">${t.t("dash.announce.f_case_status")}</p><fieldset id="f-case-status">${checks("caseStatus", caseStatuses, v.caseStatus)}</fieldset>
<label>${t.t("dash.announce.f_registered_from")}<input type="date" name="registeredFrom" value="${v.registeredFrom}"></label>
<label>${t.t("dash.announce.f_registered_to")}<input type="date" name="registeredTo" value="${v.registeredTo}"></label></div>
<button type="submit" id="announcement-count">${t.t("dash.announce.count_button")}</button></form>
<p><a href="/staff/announcements">${t.t("dash.announce.back")}</a></p>`;
  return frame(ctx, "announcements", t.t("dash.announce.compose_title"), body);
}

function summary(ctx: Ctx, a: AnnouncementSummary): Html {
  const { t } = ctx;
  return html`<div class="section" id="announcement-summary"><h2>${a.title}</h2><p class="pre">${a.text}</p>
<dl class="kv">${a.attachmentName ? html`<dt>${t.t("dash.announce.attachment")}</dt><dd>${a.attachmentName}</dd>` : ""}${a.eventAt ? html`<dt>${t.t("dash.announce.event_at")}</dt><dd>${fmtDateTime(ctx, a.eventAt)}</dd>` : ""}${a.rsvp
    ? html`<dt>${t.t("dash.announce.rsvp")}</dt><dd>${t.t("dash.announce.rsvp_line", { quota: a.rsvp.quota, closes: fmtDateTime(ctx, a.rsvp.closesAt) })}</dd>`
    : ""}<dt>${t.t("dash.announce.audience")}</dt><dd id="audience-lines">${a.audienceLines.length ? a.audienceLines.map((l, i) => html`${i > 0 ? html`<br>` : ""}${l}`) : t.t("dash.announce.filter_all")}</dd></dl></div>`;
}

export function previewPage(ctx: Ctx, a: AnnouncementSummary, count: AudienceCount, error?: string): string {
  const { t } = ctx;
  const channels = Object.entries(count.byChannel).sort((x, y) => y[1] - x[1]);
  const body = html`<h1>${t.t("dash.announce.preview_title")}</h1>
${error ? html`<p class="notice" id="announcement-error" role="alert">${error}</p>` : ""}
${summary(ctx, a)}
<div class="section" id="audience-count"><p><strong id="audience-total">${t.t("dash.announce.will_reach", { total: count.total })}</strong></p>
<table id="audience-channels"><thead><tr><th>${t.t("dash.announce.channel")}</th><th class="num">${t.t("dash.announce.people")}</th></tr></thead>
<tbody>${channels.map(([ch, n]) => html`<tr data-channel="${ch}"><td>${channelDisplayName(ch)}</td><td class="num">${n}</td></tr>`)}</tbody></table>
${count.optedOut > 0 ? html`<p class="small muted" id="audience-opted-out">${t.t("dash.announce.opted_out", { n: count.optedOut })}</p>` : ""}</div>
${ctx.viewer.role === "admin" && a.status === "draft"
    ? html`<p class="small">${t.t("dash.announce.confirm_hint")}</p><form method="post" action="/staff/announcements/${a.id}/confirm">${csrfField(ctx.csrf)}<button type="submit" id="announcement-confirm">${t.t("dash.announce.confirm_button")}</button></form>`
    : ""}
<p><a href="/staff/announcements">${t.t("dash.announce.back")}</a></p>`;
  return frame(ctx, "announcements", t.t("dash.announce.preview_title"), body);
}

export function progressPage(ctx: Ctx, a: AnnouncementSummary, p: ProgressFigures, notice?: string): string {
  const { t } = ctx;
  const stat = (id: string, value: number, label: string) => html`<div class="card stat" id="${id}"><div class="n">${value}</div><div class="l">${label}</div></div>`;
  const going = p.pending > 0;
  const body = html`<h1>${t.t("dash.announce.progress_title", { title: a.title })} ${statusBadge(ctx, a.status)}</h1>
${notice ? html`<p class="notice" id="announcement-notice" role="status">${notice}</p>` : ""}
${going ? html`<p class="small muted" id="progress-refresh">${t.t("dash.announce.progress_refresh", { seconds: PROGRESS_REFRESH_SECONDS })}</p>` : ""}
<div class="cards" id="progress">
${stat("p-recipients", p.recipients, t.t("dash.announce.recipients"))}
${stat("p-sent", p.sent, t.t("dash.announce.sent"))}
${stat("p-failed", p.failed, t.t("dash.announce.failed"))}
${stat("p-pending", p.pending, t.t("dash.announce.pending"))}
${stat("p-skipped", p.optedOutSkipped, t.t("dash.announce.skipped"))}
</div>
${p.uncertain > 0 ? html`<p class="small muted" id="progress-uncertain">${t.t("dash.announce.uncertain", { n: p.uncertain })}</p>` : ""}
${a.rsvp
    ? html`<div class="cards" id="rsvp">
${stat("p-yes", p.rsvpYes, t.t("dash.announce.rsvp_yes"))}
${stat("p-no", p.rsvpNo, t.t("dash.announce.rsvp_no"))}
${stat("p-waiting", p.waiting, t.t("dash.announce.rsvp_waiting"))}
${stat("p-attended", p.attended, t.t("dash.announce.attended"))}
</div>`
    : html`<div class="cards">${stat("p-attended", p.attended, t.t("dash.announce.attended"))}</div>`}
<div class="actions"><a class="btn light" id="attendance-link" href="/staff/announcements/${a.id}/attendance">${t.t("dash.announce.attendance_link")}</a><a class="btn light" href="/staff/announcements/${a.id}/attendance.xlsx">${t.t("dash.announce.export_xlsx")}</a></div>
${ctx.viewer.role === "admin" && a.status === "sending" && p.pending > 0
    ? html`<div class="section"><h2>${t.t("dash.announce.stop")}</h2><form method="post" action="/staff/announcements/${a.id}/stop" id="stop-form">${csrfField(ctx.csrf)}<label><input type="checkbox" name="confirm" value="yes" required> ${t.t("dash.announce.stop_confirm", { pending: p.pending })}</label> <button type="submit" id="announcement-stop">${t.t("ann.btn.stop")}</button></form></div>`
    : ""}
${a.rsvp && ctx.viewer.role === "admin"
    ? html`<div class="section"><h2>${t.t("dash.announce.quota")}</h2><form method="post" action="/staff/announcements/${a.id}/quota" class="filters" id="quota-form">${csrfField(ctx.csrf)}<label>${t.t("dash.announce.f_quota")}<input type="number" name="quota" min="1" max="100000" value="${a.rsvp.quota}"></label><button type="submit">${t.t("dash.announce.quota_button")}</button></form></div>`
    : ""}
${summary(ctx, a)}
<p><a href="/staff/announcements">${t.t("dash.announce.back")}</a></p>`;
  return frame(ctx, "announcements", t.t("dash.announce.progress_title", { title: a.title }), body, going ? PROGRESS_REFRESH_SECONDS : undefined);
}

export function rsvpLabel(ctx: Pick<Ctx, "t">, rsvp: AttendanceRow["rsvp"]): string {
  return rsvp === "yes" ? ctx.t.t("dash.announce.rsvp_yes") : rsvp === "no" ? ctx.t.t("dash.announce.rsvp_no") : rsvp === "waiting" ? ctx.t.t("dash.announce.rsvp_waiting") : "-";
}

export function attendedLabel(ctx: Pick<Ctx, "t">, attended: boolean | null): string {
  return attended === true ? ctx.t.t("dash.announce.attended_yes") : attended === false ? ctx.t.t("dash.announce.attended_no") : ctx.t.t("dash.announce.not_marked");
}

export function attendancePage(ctx: Ctx, a: AnnouncementSummary, rows: AttendanceRow[], notice?: string): string {
  const { t } = ctx;
  const canMark = ctx.viewer.role === "admin";
  const mark = (r: AttendanceRow, attended: "1" | "0", label: string) =>
    html`<form method="post" action="/staff/announcements/${a.id}/attendance" class="inline">${csrfField(ctx.csrf)}<input type="hidden" name="personId" value="${r.personId}"><input type="hidden" name="attended" value="${attended}"><button type="submit" class="small${attended === "0" ? " light" : ""}" data-mark="${attended}">${label}</button></form>`;
  const body = html`<h1>${t.t("dash.announce.attendance_title", { title: a.title })}</h1>
${notice ? html`<p class="notice" id="announcement-notice" role="status">${notice}</p>` : ""}
<div class="actions"><a class="btn light" href="/staff/announcements/${a.id}">${t.t("dash.announce.progress_title", { title: a.title })}</a><a class="btn light" id="attendance-xlsx" href="/staff/announcements/${a.id}/attendance.xlsx">${t.t("dash.announce.export_xlsx")}</a></div>
<div class="section scroll"><table id="attendance" class="stack"><thead><tr><th>${t.t("dash.announce.col_name")}</th><th>${t.t("dash.announce.channel")}</th><th>${t.t("dash.announce.col_rsvp")}</th><th>${t.t("dash.announce.col_attended")}</th>${canMark ? html`<th></th>` : ""}</tr></thead>
<tbody>${rows.length
    ? rows.map(
        (r) =>
          html`<tr data-person="${r.personId}"><td>${r.name}</td><td>${channelDisplayName(r.channel)}</td><td>${rsvpLabel(ctx, r.rsvp)}</td><td class="attended">${attendedLabel(ctx, r.attended)}</td>${canMark
            ? html`<td>${mark(r, "1", t.t("dash.announce.mark_yes"))} ${mark(r, "0", t.t("dash.announce.mark_no"))}</td>`
            : ""}</tr>`,
      )
    : html`<tr><td colspan="5" class="muted">${t.t("dash.announce.attendance_none")}</td></tr>`}</tbody></table></div>`;
  return frame(ctx, "announcements", t.t("dash.announce.attendance_title", { title: a.title }), body);
}
