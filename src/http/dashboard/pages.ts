/** The dashboard's pages as HTML strings. Every word comes from the texts (dash.*, report.*). */
import { readJson, ZNoteServices } from "../../db/json-columns.js";
import { intlLocale, type Translator } from "../../i18n/index.js";
import { formatDateTime, formatShortDate } from "../../i18n/dates.js";
import { CASE_STATUSES, SOP_STEPS } from "../../domain/cases/steps.js";
import type { StepTime } from "../../domain/cases/timing.js";
import type { Labeler } from "../../domain/reports/labels.js";
import type { OfficeStats } from "../../domain/reports/office-report.js";
import type { Period } from "../../domain/reports/period.js";
import type { CaseFilter, CaseListResult, ClientSearchResult, ConsultantLoad, LateCase } from "../../domain/reports/queries.js";
import { formatMinutes } from "../../domain/reports/chat.js";
import { maskNik } from "../../domain/reports/queries.js";
import { barChart, columnChart, timelineBar, type Tone } from "./charts.js";
import type { CaseDetail, Viewer } from "./data.js";
import { csrfField, html, options, page, qs, raw, type Html, type NavItem } from "./html.js";

export interface Ctx {
  t: Translator;
  L: Labeler;
  tz: string;
  viewer: Viewer;
  csrf: string;
  now: Date;
}

const IDENTITY_TYPES = new Set(["ktp", "kk", "passport", "sim", "plut_card"]);

export function fmtDateTime(ctx: { t: Translator; tz: string }, d: Date | null | undefined): string {
  return d ? formatDateTime(d, ctx.t.lang, ctx.tz) : "-";
}

export function fmtDate(ctx: { t: Translator; tz: string }, d: Date | null | undefined): string {
  return d ? formatShortDate(d, ctx.t.lang, ctx.tz) : "-";
}

/** A calendar date stored as 00:00 UTC (action-plan targets). */
function fmtCalendarDate(ctx: { t: Translator }, d: Date | null | undefined): string {
  return d ? formatShortDate(d, ctx.t.lang, "UTC") : "-";
}

function nf(t: Translator) {
  const loc = intlLocale(t.lang);
  return {
    int: new Intl.NumberFormat(loc),
    one: new Intl.NumberFormat(loc, { maximumFractionDigits: 1 }),
    two: new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    pct: new Intl.NumberFormat(loc, { style: "percent", maximumFractionDigits: 0 }),
  };
}

export function navFor(t: Translator, viewer: Viewer): NavItem[] {
  const all = viewer.role === "admin" || viewer.role === "head";
  return [
    { key: "overview", href: "/staff", label: t.t("dash.nav.overview") },
    { key: "cases", href: "/staff/cases", label: t.t("dash.nav.cases") },
    { key: "late", href: "/staff/late", label: t.t("dash.nav.late") },
    { key: "consultants", href: "/staff/consultants", label: t.t("dash.nav.consultants") },
    { key: "search", href: "/staff/search", label: t.t("dash.nav.search") },
    { key: "appointments", href: "/staff/appointments", label: t.t("dash.nav.appointments") },
    ...(all
      ? [
          { key: "team", href: "/staff/team", label: t.t("dash.nav.team") },
          { key: "whatsapp", href: "/staff/whatsapp", label: t.t("dash.nav.whatsapp") },
          { key: "audit", href: "/staff/audit", label: t.t("duty.nav.audit") },
          { key: "complaints", href: "/staff/complaints", label: t.t("duty.nav.complaints") },
          { key: "announcements", href: "/staff/announcements", label: t.t("dash.nav.announcements") },
        ]
      : []),
  ];
}

export function frame(ctx: Ctx, active: string, title: string, body: Html, refresh?: number): string {
  return page({
    title,
    lang: ctx.t.lang,
    staff: { name: ctx.viewer.name, roleLabel: ctx.L.role(ctx.viewer.role), csrf: ctx.csrf },
    nav: navFor(ctx.t, ctx.viewer),
    active,
    labels: { brand: ctx.t.t("dash.brand"), logout: ctx.t.t("dash.logout") },
    ...(refresh ? { refresh } : {}),
    body,
  });
}

function bare(t: Translator, title: string, body: Html): string {
  return page({ title, lang: t.lang, labels: { brand: t.t("dash.brand"), logout: t.t("dash.logout") }, body });
}

function statusTone(status: string): string {
  if (status === "closed" || status === "reported") return "ok";
  if (status === "incomplete" || status === "referred") return "warn";
  return "";
}

function statusBadge(ctx: { L: Labeler }, status: string, step: number): Html {
  return html`<span class="badge ${statusTone(status)}">${step}. ${ctx.L.status(status)}</span>`;
}

// ---------------------------------------------------------------------------------------------
// Sign-in

export function loginHelpPage(t: Translator, reason: "required" | "logged_out" | "invalid" = "required"): string {
  return bare(
    t,
    t.t("dash.login.title"),
    html`<div class="center card"><h1>${t.t("dash.login.title")}</h1>
${reason === "invalid" ? html`<p class="notice">${t.t("dash.login.invalid")}</p>` : reason === "logged_out" ? html`<p class="notice">${t.t("dash.login.logged_out")}</p>` : ""}
<p>${t.t("dash.login.how")}</p><ol><li>${t.t("dash.login.step1")}</li><li>${t.t("dash.login.step2")}</li><li>${t.t("dash.login.step3")}</li></ol>
<p class="muted small">${t.t("dash.login.note")}</p></div>`,
  );
}

export function loginConfirmPage(t: Translator, token: string, staffName: string): string {
  return bare(
    t,
    t.t("dash.login.title"),
    html`<div class="center card"><h1>${t.t("dash.login.confirm_title", { name: staffName })}</h1>
<p>${t.t("dash.login.confirm_text")}</p>
<form method="post" action="/staff/login"><input type="hidden" name="token" value="${token}"><button type="submit" id="signin">${t.t("dash.login.button")}</button></form>
<p class="muted small">${t.t("dash.login.note")}</p></div>`,
  );
}

export function tooManyPage(t: Translator, seconds: number): string {
  return bare(t, t.t("dash.login.title"), html`<div class="center card"><h1>${t.t("dash.error.too_many_title")}</h1><p>${t.t("dash.error.too_many", { seconds })}</p></div>`);
}

export function errorPage(t: Translator, ctx: Ctx | null, status: 403 | 404 | 500 | 400, messageKey?: string): string {
  const body = html`<div class="center card"><h1>${t.t(`dash.error.${status}_title`)}</h1><p>${t.t(messageKey ?? `dash.error.${status}`)}</p><p><a href="/staff">${t.t("dash.error.back")}</a></p></div>`;
  return ctx ? frame(ctx, "", t.t(`dash.error.${status}_title`), body) : bare(t, t.t(`dash.error.${status}_title`), body);
}

// ---------------------------------------------------------------------------------------------
// Overview

export interface OverviewData {
  stats: OfficeStats;
  period: Period;
  periodInput: string;
  periodError?: string;
  months: Array<{ year: number; month: number; count: number }>;
  lateCount: number;
}

function monthShort(t: Translator, year: number, month: number): string {
  const name = new Intl.DateTimeFormat(intlLocale(t.lang), { month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, 1)));
  return `${name.replace(/\.$/, "")}${month === 1 ? ` ${String(year).slice(2)}` : ""}`;
}

function slaTone(share: number | null): Tone {
  if (share === null) return "bar";
  return share >= 0.8 ? "ok" : share >= 0.5 ? "warn" : "bad";
}

export function overviewPage(ctx: Ctx, d: OverviewData): string {
  const { t } = ctx;
  const n = nf(t);
  const r = d.stats.report;
  const T = r.totals;
  const p = qs({ periode: d.periodInput });
  const stat = (value: string | number, label: string, href?: string) =>
    html`<div class="card stat"><div class="n">${href ? html`<a href="${href}">${value}</a>` : value}</div><div class="l">${label}</div></div>`;
  const quick = ["hari ini", "minggu ini", "bulan ini", "bulan lalu", "tahun ini"];
  const own = ctx.viewer.role === "consultant";
  const body = html`
<h1>${t.t(own ? "dash.overview.title_own" : "dash.overview.title")}</h1>
<form class="filters" method="get" action="/staff">
  <label>${t.t("dash.overview.period")}<input name="periode" value="${d.periodInput}" placeholder="${t.t("dash.overview.period_placeholder")}"></label>
  <button type="submit">${t.t("dash.show")}</button>
</form>
<div class="actions">${quick.map((q) => html`<a class="btn light small" href="/staff${qs({ periode: q })}">${t.t(`dash.overview.quick.${q.replace(" ", "_")}`)}</a>`)}</div>
${d.periodError ? html`<p class="notice">${t.t(d.periodError)} ${t.t("report.period.examples")}</p>` : ""}
<p class="muted">${t.t("dash.overview.period_is", { label: d.period.label })}</p>
<div class="cards">
  ${stat(T.clientsServed, t.t("dash.overview.clients", { new: T.newClients, returning: T.returningClients }))}
  ${stat(T.casesOpened, t.t("dash.overview.opened"))}
  ${stat(T.casesClosed, t.t("dash.overview.closed"))}
  ${stat(T.casesOpen, t.t("dash.overview.open"), `/staff/cases${qs({ open: "1" })}`)}
  ${stat(d.lateCount, t.t("dash.overview.late_now"), "/staff/late")}
  ${stat(T.referrals, t.t("dash.overview.referrals"))}
  ${stat(T.complaints, t.t("dash.overview.complaints"))}
  ${stat(r.skm.index === null ? "-" : n.two.format(r.skm.index), r.skm.category ? t.t("dash.overview.ikm_cat", { category: r.skm.category, quality: t.t(`report.skm.category.${r.skm.category.toLowerCase()}`), n: r.skm.respondents }) : t.t("dash.overview.ikm"))}
</div>
<div class="grid two">
${section(t.t("dash.overview.per_month"), columnChart(
    d.months.map((m) => ({ label: monthShort(t, m.year, m.month), value: m.count })),
    { title: t.t("dash.overview.per_month"), empty: t.t("dash.none") },
  ))}
${section(t.t("dash.overview.per_area"), barChart(
    d.stats.byArea.map((a) => ({ label: a.label, value: a.count, ...(a.code ? { href: `/staff/cases${qs({ area: a.code })}` } : {}) })),
    { empty: t.t("dash.none") },
  ))}
${section(t.t("dash.overview.per_kecamatan"), barChart(d.stats.byKecamatan.map((a) => ({ label: a.label, value: a.count })), { empty: t.t("dash.none") }))}
${own ? "" : section(t.t("dash.overview.per_consultant"), barChart(
    d.stats.byConsultant.map((a) => ({ label: a.label, value: a.count, ...(a.code ? { href: `/staff/cases${qs({ consultant: a.code })}` } : {}) })),
    { empty: t.t("dash.none") },
  ))}
${section(t.t("dash.overview.sla"), html`<p class="muted small">${t.t("dash.overview.sla_hint")}</p>${barChart(
    r.sla.map((s) => ({
      label: `${s.step}. ${s.name}`,
      value: s.withinStandardShare ?? 0,
      tone: slaTone(s.withinStandardShare),
      display:
        s.count === 0
          ? t.t("dash.none_short")
          : t.t("dash.overview.sla_val", {
              share: n.pct.format(s.withinStandardShare ?? 0),
              median: s.medianMinutes === null ? "-" : n.one.format(s.medianMinutes),
              standard: n.one.format(s.standardMinutes),
            }),
    })),
    { max: 1, empty: t.t("dash.none"), wide: true },
  )}`)}
${section(t.t("dash.overview.skm"), html`<p class="muted small">${
    r.skm.respondents === 0
      ? t.t("report.chat.skm_none")
      : t.t("report.chat.skm", {
          index: n.two.format(r.skm.index ?? 0),
          category: r.skm.category ?? "-",
          quality: r.skm.category ? t.t(`report.skm.category.${r.skm.category.toLowerCase()}`) : "-",
          n: r.skm.respondents,
        })
  }</p>${r.skm.respondents === 0 ? "" : barChart(
    r.skm.perElement.map((e) => ({
      label: `${e.code} ${e.label}`,
      value: e.average ?? 0,
      display: e.average === null ? "-" : n.two.format(e.average),
      tone: (e.average ?? 0) >= 3.25 ? "ok" : (e.average ?? 0) >= 2.6 ? "warn" : "bad",
    })),
    { max: 4, empty: t.t("dash.none") },
  )}`)}
${section(t.t("dash.overview.per_service"), barChart(d.stats.byService.map((a) => ({ label: a.label, value: a.count })), { empty: t.t("dash.none") }))}
${section(t.t("dash.overview.per_sector"), barChart(d.stats.bySector.map((a) => ({ label: a.label, value: a.count })), { empty: t.t("dash.none") }))}
</div>
<div class="section"><h2>${t.t("dash.overview.downloads")}</h2><div class="actions">
  <a class="btn light small" href="/staff/report.xlsx${p}">${t.t("dash.overview.download_xlsx")}</a>
  <a class="btn light small" href="/staff/report.pdf${p}">${t.t("dash.overview.download_pdf")}</a>
  ${REPORT_TABLES.map((k) => html`<a class="btn light small" href="/staff/report/${k}.csv${p}">CSV ${t.t(`dash.table.${k}`)}</a>`)}
</div></div>`;
  return frame(ctx, "overview", t.t("dash.nav.overview"), body);
}

export const REPORT_TABLES = ["area", "service", "kecamatan", "sector", "consultant", "sla", "skm"] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

// ---------------------------------------------------------------------------------------------
// Case list

export interface CasesPageData {
  result: CaseListResult;
  filter: CaseFilter;
  areas: string[];
  consultants: Array<{ id: string; name: string }>;
}

export function caseFilterQuery(f: CaseFilter): Record<string, string | undefined> {
  return {
    status: f.status,
    area: f.area,
    consultant: f.consultantId,
    open: f.open === true ? "1" : f.open === false ? "0" : undefined,
    q: f.q,
  };
}

export function casesPage(ctx: Ctx, d: CasesPageData): string {
  const { t, L } = ctx;
  const f = d.filter;
  const base = caseFilterQuery(f);
  const own = ctx.viewer.role === "consultant";
  const statusOpts = Object.keys(CASE_STATUSES).map((s) => ({ value: s, label: `${CASE_STATUSES[s as keyof typeof CASE_STATUSES]}. ${L.status(s)}` }));
  const rows = d.result.items.map(
    (c) => html`<tr>
  <td><a href="/staff/cases/${c.id}">${c.regNumber}</a><div class="small muted">${fmtDate(ctx, c.createdAt)}</div></td>
  <td>${c.clientName}<div class="small muted hide-sm">${c.businessName ?? ""}</div></td>
  <td>${statusBadge(ctx, c.status, c.step)}</td>
  <td class="hide-sm">${L.area(c.areaCode)}</td>
  <td class="hide-sm">${c.consultantName ?? t.t("report.unassigned")}</td>
  <td class="hide-sm">${L.kecamatan(c.kecamatan)}</td>
</tr>`,
  );
  const pageLink = (p: number, label: string) => html`<a class="btn light small" href="/staff/cases${qs({ ...base, page: p })}">${label}</a>`;
  const body = html`
<h1>${t.t(own ? "dash.cases.title_own" : "dash.cases.title")}</h1>
<form class="filters" method="get" action="/staff/cases">
  <label>${t.t("dash.cases.search")}<input name="q" value="${f.q ?? ""}" placeholder="${t.t("dash.cases.search_placeholder")}"></label>
  <label>${t.t("dash.cases.status")}<select name="status">${options(statusOpts, f.status, t.t("dash.all"))}</select></label>
  <label>${t.t("dash.cases.area")}<select name="area">${options(d.areas.map((a) => ({ value: a, label: L.area(a) })), f.area, t.t("dash.all"))}</select></label>
  ${own ? "" : html`<label>${t.t("dash.cases.consultant")}<select name="consultant">${options(d.consultants.map((c) => ({ value: c.id, label: c.name })), f.consultantId, t.t("dash.all"))}</select></label>`}
  <label>${t.t("dash.cases.state")}<select name="open">${options(
    [
      { value: "1", label: t.t("dash.cases.state_open") },
      { value: "0", label: t.t("dash.cases.state_closed") },
    ],
    f.open === true ? "1" : f.open === false ? "0" : undefined,
    t.t("dash.all"),
  )}</select></label>
  <button type="submit">${t.t("dash.show")}</button>
</form>
<div class="actions"><span class="muted">${t.t("dash.cases.count", { total: d.result.total })}</span>
  <a class="btn light small" href="/staff/cases.csv${qs(base)}">${t.t("dash.export_csv")}</a>
  <a class="btn light small" href="/staff/cases.xlsx${qs(base)}">${t.t("dash.export_xlsx")}</a></div>
<div class="section scroll"><table id="cases" class="stack"><thead><tr><th>${t.t("dash.cases.col_reg")}</th><th>${t.t("dash.cases.col_client")}</th><th>${t.t("dash.cases.col_status")}</th><th class="hide-sm">${t.t("dash.cases.col_area")}</th><th class="hide-sm">${t.t("dash.cases.col_consultant")}</th><th class="hide-sm">${t.t("dash.cases.col_kecamatan")}</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="6" class="muted">${t.t("report.cases.none")}</td></tr>`}</tbody></table>
<div class="pager">${d.result.page > 1 ? pageLink(d.result.page - 1, t.t("dash.prev")) : ""}<span class="muted small">${t.t("dash.page_of", { page: d.result.page, pages: d.result.pages })}</span>${d.result.page < d.result.pages ? pageLink(d.result.page + 1, t.t("dash.next")) : ""}</div></div>`;
  return frame(ctx, "cases", t.t("dash.nav.cases"), body);
}

// ---------------------------------------------------------------------------------------------
// One case

export interface CasePageData {
  c: CaseDetail;
  times: StepTime[];
  /** Running time of the current step (minutes), when it is running. */
  running: { step: number; elapsed: number } | null;
  /** The current step, when it is waiting on the client now. */
  waitingStep: number | null;
  staffNames: Map<string, string>;
  /** The routing actions while the case waits for an area (routing-panel.ts). */
  routingPanel?: Html;
}

function section(title: string, content: Html | string, id?: string): Html {
  return html`<div class="section"${raw(id ? ` id="${id}"` : "")}><h2>${title}</h2>${typeof content === "string" ? content : content}</div>`;
}

function kv(pairs: Array<[string, Html | string | number | null | undefined]>): Html {
  return html`<dl class="kv">${pairs.map(([k, v]) => html`<dt>${k}</dt><dd>${v === null || v === undefined || v === "" ? "-" : v}</dd>`)}</dl>`;
}

export function casePage(ctx: Ctx, d: CasePageData): string {
  const { t, L } = ctx;
  const c = d.c;
  const n = nf(t);
  const name = (id: string | null | undefined) => (id ? d.staffNames.get(id) ?? "-" : "-");
  const empty = html`<p class="muted small">${t.t("dash.none")}</p>`;

  const timeline = html`<div class="scroll"><table class="timeline"><thead><tr><th>${t.t("dash.case.step")}</th><th class="num">${t.t("dash.case.standard")}</th><th class="num">${t.t("dash.case.actual")}</th><th class="hide-sm">${t.t("dash.case.vs_standard")}</th></tr></thead><tbody>${SOP_STEPS.map((s) => {
    const st = d.times.find((x) => x.step === s.step);
    const running = d.running && d.running.step === s.step ? d.running.elapsed : null;
    const actual = st?.actualMinutes ?? running;
    const state =
      st?.actualMinutes !== null && st?.actualMinutes !== undefined
        ? st.withinStandard
          ? html`<span class="badge ok">${t.t("dash.case.within")}</span>`
          : html`<span class="badge bad">${t.t("dash.case.over")}</span>`
        : running !== null
          ? html`<span class="badge warn">${t.t("dash.case.running")}</span>`
          : d.waitingStep === s.step
            ? html`<span class="badge">${t.t("dash.case.waiting")}</span>`
          : st?.startedAt
            ? html`<span class="badge">${t.t("dash.case.started")}</span>`
            : html`<span class="muted small">${t.t("dash.case.not_yet")}</span>`;
    return html`<tr><td>${s.step}. ${L.step(s.step)}${st?.waitedMinutes ? html`<div class="small muted">${t.t("dash.case.waited", { time: formatMinutes(st.waitedMinutes, t) })}</div>` : ""}</td><td class="num">${formatMinutes(s.standardMinutes, t)}</td><td class="num">${actual === null ? "-" : formatMinutes(actual, t)}<div>${state}</div></td><td class="hide-sm">${timelineBar(actual, s.standardMinutes, running !== null)}</td></tr>`;
  })}</tbody></table></div><p class="muted small">${t.t("dash.case.timeline_hint")}</p>`;

  const answers = c.answers.length
    ? kv(c.answers.map((a) => [a.labelKey ? t.t(a.labelKey) : a.questionId, a.display]))
    : empty;

  const routing = c.routing.length
    ? html`<ul class="plain">${c.routing.map((r) => html`<li>${t.t("dash.case.routing_row", { recommended: r.recommended ? L.area(r.recommended) : "-", score: n.one.format(r.score), decided: r.decidedArea ? L.area(r.decidedArea) : "-", by: r.decidedBy ?? "-" })}<div class="small muted">${r.explanation}</div></li>`)}</ul>`
    : empty;

  const notes = c.notes.length
    ? html`<ul class="plain">${c.notes.map((x) => html`<li><span class="badge">${t.t(`dash.note.${x.kind}`)}</span> <span class="small muted">${fmtDateTime(ctx, x.createdAt)} · ${x.author.name}</span><div>${x.kind === "service" ? readJson(ZNoteServices, x.servicesJson).map((s) => L.service(s)).join(", ") || x.text : x.text}</div></li>`)}</ul>`
    : empty;

  const plans = c.plans.length
    ? html`${c.plans.map((p) => html`<p><span class="badge">${t.t(`dash.plan.${p.status}`)}</span> <span class="small muted">${p.agreedAt ? t.t("dash.case.agreed_at", { at: fmtDateTime(ctx, p.agreedAt) }) : p.submittedAt ? t.t("dash.case.submitted_at", { at: fmtDateTime(ctx, p.submittedAt) }) : ""}</span></p>${p.consultantComment ? html`<p class="small">${p.consultantComment}</p>` : ""}
<div class="scroll"><table><thead><tr><th>#</th><th>${t.t("dash.plan.action")}</th><th class="hide-sm">${t.t("dash.plan.who")}</th><th>${t.t("dash.plan.target")}</th><th>${t.t("dash.plan.progress")}</th></tr></thead><tbody>${p.items.map((i) => html`<tr><td>${i.position}</td><td>${i.action}<div class="small muted">${i.indicator}</div></td><td class="hide-sm">${i.who}</td><td>${fmtCalendarDate(ctx, i.targetDate)}</td><td><span class="badge ${i.progress === "done" ? "ok" : i.progress === "help" ? "bad" : i.progress === "not_yet" ? "warn" : ""}">${t.t(`dash.progress.${i.progress}`)}</span>${i.progressNote ? html`<div class="small muted">${i.progressNote}</div>` : ""}${i.evaluation ? html`<div class="small">${i.evaluation}</div>` : ""}</td></tr>`)}</tbody></table></div>`)}`
    : empty;

  const visits = c.visits.length
    ? html`<ul class="plain">${c.visits.map((v) => html`<li><strong>${fmtDateTime(ctx, v.scheduledFor)}</strong> · ${name(v.consultantId)}${v.clientReport ? html`<div>${t.t("dash.visit.client_report")}: ${v.clientReport}</div>` : ""}${v.evaluation ? html`<div>${t.t("dash.visit.evaluation")}: ${v.evaluation}</div>` : v.scheduledFor < ctx.now ? html`<div><span class="badge warn">${t.t("dash.visit.not_evaluated")}</span></div>` : ""}</li>`)}</ul>`
    : empty;

  const referrals = c.referrals.length
    ? html`<ul class="plain">${c.referrals.map((r) => html`<li>${fmtDateTime(ctx, r.createdAt)}: ${name(r.fromConsultantId)} → ${L.area(r.toAreaCode)}${r.toConsultantId ? ` (${name(r.toConsultantId)})` : ""}<div class="small muted">${r.reason}</div></li>`)}</ul>`
    : empty;

  const assignments = c.assignments.length
    ? html`<ul class="plain">${c.assignments.map((a) => html`<li>${a.consultant.name} · ${L.area(a.areaCode)} <span class="small muted">${fmtDateTime(ctx, a.assignedAt)}${a.acceptedAt ? ` · ${t.t("dash.case.accepted")} ${fmtDateTime(ctx, a.acceptedAt)}` : ""}${a.endedAt ? ` · ${t.t("dash.case.ended")} ${fmtDateTime(ctx, a.endedAt)}` : ""}</span></li>`)}</ul>`
    : empty;

  const control = c.control.length
    ? html`<div class="scroll"><table><thead><tr><th>${t.t("dash.control.at")}</th><th>${t.t("dash.control.kind")}</th><th>${t.t("dash.control.summary")}</th><th class="hide-sm">${t.t("dash.control.staff")}</th></tr></thead><tbody>${c.control.map((e) => html`<tr><td>${fmtDateTime(ctx, e.at)}</td><td>${t.t(`dash.contact.${e.contactKind}`)}</td><td>${e.summary}</td><td class="hide-sm">${e.staff?.name ?? "-"}</td></tr>`)}</tbody></table></div>`
    : empty;

  const docs = c.documents.length
    ? html`<ul class="plain">${c.documents.map((doc) => html`<li><a href="/staff/documents/${doc.id}" rel="noopener">${t.t(`dash.doc.${doc.type}`)}</a> <span class="small muted">${doc.mimeType} · ${n.int.format(Math.ceil(doc.size / 1024))} KB · ${fmtDateTime(ctx, doc.createdAt)}</span>${IDENTITY_TYPES.has(doc.type) ? html` <span class="badge warn">${t.t("dash.doc.audited")}</span>` : ""}</li>`)}</ul>`
    : empty;

  const finals = c.reports.length
    ? html`${c.reports.map((r) => html`<p class="small muted">${fmtDateTime(ctx, r.createdAt)} · ${name(r.authorId)}</p>${kv([[t.t("dash.final.summary"), r.summary], [t.t("dash.final.results"), r.results], [t.t("dash.final.recommendations"), r.recommendations]])}`)}`
    : empty;

  const complaints = c.complaints.length
    ? html`<ul class="plain">${c.complaints.map((x) => html`<li><span class="badge ${x.status === "new" || x.status === "being_handled" ? "warn" : "ok"}">${t.t(`dash.complaint.${x.status}`)}</span> ${fmtDateTime(ctx, x.createdAt)}<div>${x.text}</div>${x.response ? html`<div class="small muted">${x.response}</div>` : ""}</li>`)}</ul>`
    : empty;

  // The client was told the survey is anonymous: its answers count only in the SKM aggregates
  // (overview, reports); the case says no more than whether it was filled.
  const surveyHtml = html`<p id="survey-state">${t.t(c.surveys.length > 0 ? "dash.case.survey_filled" : "dash.case.survey_not_filled")}</p>`;

  const reminders = c.reminders.length
    ? html`<ul class="plain">${c.reminders.map((r) => html`<li>${fmtDateTime(ctx, r.dueAt)} · <span class="small">${r.kind}</span></li>`)}</ul>`
    : empty;

  const head = kv([
    [t.t("dash.case.client"), html`${c.client.fullName} <span class="small muted">NIK ${maskNik(c.client.nikLast4)}</span>`],
    [t.t("dash.case.kecamatan"), L.kecamatan(c.client.kecamatan)],
    [t.t("dash.case.business"), c.business ? `${c.business.name} (${L.sector(c.business.sector)})` : "-"],
    [t.t("dash.case.area"), L.area(c.areaCode)],
    [t.t("dash.case.consultant"), c.consultantId ? name(c.consultantId) : t.t("report.unassigned")],
    [t.t("dash.case.channel"), c.channel ?? "-"],
    [t.t("dash.case.created"), fmtDateTime(ctx, c.createdAt)],
    [t.t("dash.case.closed"), c.closedAt ? fmtDateTime(ctx, c.closedAt) : "-"],
    [t.t("dash.case.problem"), c.problemText],
  ]);

  const body = html`
<p class="small"><a href="/staff/cases">← ${t.t("dash.nav.cases")}</a></p>
<h1>${c.regNumber} ${statusBadge(ctx, c.status, c.step)}</h1>
<div class="section">${head}</div>
${d.routingPanel ?? ""}
${section(t.t("dash.case.timeline"), timeline, "timeline")}
<div class="grid two">${section(t.t("dash.case.assessment"), answers)}${section(t.t("dash.case.routing"), html`${routing}<h2>${t.t("dash.case.assignments")}</h2>${assignments}`)}</div>
${section(t.t("dash.case.notes"), notes)}
${section(t.t("dash.case.plan"), plans)}
<div class="grid two">${section(t.t("dash.case.monitoring"), visits)}${section(t.t("dash.case.referrals"), referrals)}</div>
${section(t.t("dash.case.control"), control)}
<div class="grid two">${section(t.t("dash.case.documents"), docs, "documents")}${section(t.t("dash.case.final"), finals)}</div>
<div class="grid two">${section(t.t("dash.case.complaints"), complaints)}${section(t.t("dash.case.survey"), surveyHtml)}</div>
${section(t.t("dash.case.reminders"), reminders)}`;
  return frame(ctx, "cases", c.regNumber, body);
}

// ---------------------------------------------------------------------------------------------
// Late now, consultants, search

export function latePage(ctx: Ctx, rows: readonly LateCase[]): string {
  const { t, L } = ctx;
  const body = html`<h1>${t.t("dash.late.title")}</h1><p class="muted">${t.t("dash.late.hint")}</p>
<div class="actions"><span class="muted">${t.t("report.late.title", { n: rows.length })}</span><a class="btn light small" href="/staff/late.csv">${t.t("dash.export_csv")}</a><a class="btn light small" href="/staff/late.xlsx">${t.t("dash.export_xlsx")}</a></div>
<div class="section scroll"><table class="stack"><thead><tr><th>${t.t("dash.cases.col_reg")}</th><th>${t.t("dash.case.step")}</th><th class="num">${t.t("dash.late.elapsed")}</th><th class="num hide-sm">${t.t("dash.case.standard")}</th><th class="hide-sm">${t.t("dash.late.who")}</th></tr></thead><tbody>${
    rows.length
      ? rows.map((r) => html`<tr><td><a href="/staff/cases/${r.caseId}">${r.regNumber}</a><div class="small muted">${r.clientName}</div></td><td>${r.step}. ${L.step(r.step)}</td><td class="num"><span class="badge bad">+${formatMinutes(r.overMinutes, t)}</span><div class="small muted">${formatMinutes(r.elapsedMinutes, t)}</div></td><td class="num hide-sm">${formatMinutes(r.standardMinutes, t)}</td><td class="hide-sm">${r.consultantName ?? t.t(`report.actor.${r.actor}`)}</td></tr>`)
      : html`<tr><td colspan="5" class="muted">${t.t("report.late.none")}</td></tr>`
  }</tbody></table></div>`;
  return frame(ctx, "late", t.t("dash.nav.late"), body);
}

export function consultantsPage(ctx: Ctx, load: ConsultantLoad): string {
  const { t, L } = ctx;
  const body = html`<h1>${t.t("dash.consultants.title")}</h1>
<div class="actions">${load.unassignedOpen > 0 ? html`<a href="/staff/cases?open=1&amp;unassigned=1">${t.t("report.load.unassigned", { n: load.unassignedOpen })}</a>` : ""}<a class="btn light small" href="/staff/consultants.csv">${t.t("dash.export_csv")}</a><a class="btn light small" href="/staff/consultants.xlsx">${t.t("dash.export_xlsx")}</a></div>
<div class="section scroll"><table><thead><tr><th>${t.t("dash.consultants.name")}</th><th class="num">${t.t("dash.consultants.open")}</th><th class="num">${t.t("dash.consultants.late")}</th><th class="num">${t.t("dash.consultants.items")}</th><th class="num">${t.t("dash.consultants.visits")}</th></tr></thead><tbody>${load.consultants.map(
    (c) => html`<tr><td><a href="/staff/cases${qs({ consultant: c.staffId, open: "1" })}">${c.name}</a><div class="small muted">${c.areas.map((a) => L.area(a)).join(", ")}</div></td><td class="num">${c.openCases}</td><td class="num">${c.lateCases ? html`<span class="badge bad">${c.lateCases}</span>` : "0"}</td><td class="num">${c.overdueItems ? html`<span class="badge warn">${c.overdueItems}</span>` : "0"}</td><td class="num">${c.overdueVisits ? html`<span class="badge warn">${c.overdueVisits}</span>` : "0"}</td></tr>`,
  )}</tbody></table></div>
${load.consultants.filter((c) => c.overdue.length).map(
    (c) => html`<div class="section"><h2>${t.t("dash.consultants.overdue_of", { name: c.name })}</h2><ul class="plain">${c.overdue.map(
      (o) => html`<li><a href="/staff/cases/${o.caseId}">${o.regNumber}</a> · ${o.kind === "visit" ? t.t("dash.consultants.visit_due", { at: fmtDateTime(ctx, o.dueAt) }) : t.t("dash.consultants.item_due", { action: o.text, date: fmtCalendarDate(ctx, o.dueAt) })}</li>`,
    )}</ul></div>`,
  )}`;
  return frame(ctx, "consultants", t.t("dash.nav.consultants"), body);
}

export function searchPage(ctx: Ctx, q: string, result: ClientSearchResult | null, nikEnabled: boolean): string {
  const { t, L } = ctx;
  const hits = result?.hits ?? [];
  const body = html`<h1>${t.t("dash.search.title")}</h1>
<form class="filters" method="get" action="/staff/search"><label>${t.t("dash.search.label")}<input name="q" value="${q}" placeholder="${t.t(nikEnabled ? "dash.search.placeholder" : "dash.search.placeholder_no_nik")}" autocomplete="off"></label><button type="submit">${t.t("dash.search.button")}</button></form>
${result === null ? "" : result.matchedBy === "none" ? html`<p class="notice">${t.t("report.search.too_short")}</p>` : hits.length === 0 ? html`<p class="notice">${t.t(`report.search.none_${result.matchedBy === "regNumber" ? "reg" : result.matchedBy}`, { q })}</p>` : ""}
${hits.map(
    (h) => html`<div class="section"><h2>${h.fullName}</h2>${kv([
      ["NIK", h.nikMasked],
      [t.t("dash.case.kecamatan"), L.kecamatan(h.kecamatan)],
      [t.t("dash.case.business"), h.businesses.join(", ")],
    ])}<ul class="plain">${h.cases.map((c) => html`<li><a href="/staff/cases/${c.id}">${c.regNumber}</a> ${statusBadge(ctx, c.status, c.step)} <span class="small muted">${fmtDate(ctx, c.createdAt)}</span></li>`)}</ul></div>`,
  )}${result?.more ? html`<p class="muted">${t.t("report.search.more")}</p>` : ""}`;
  return frame(ctx, "search", t.t("dash.nav.search"), body);
}

// ---------------------------------------------------------------------------------------------
// Staff and invitations; WhatsApp

export interface TeamPageData {
  staff: Array<{ id: string; name: string; role: string; areas: string[]; active: boolean; channels: string[]; createdAt: Date; lastLoginAt: Date | null }>;
  invites: Array<{ id: string; name: string; role: string; areas: string[]; expiresAt: Date; createdBy: string | null }>;
  areas: string[];
  created?: { code: string; name: string; expiresAt: Date };
  error?: string;
}

export function teamPage(ctx: Ctx, d: TeamPageData): string {
  const { t, L } = ctx;
  const roles = ["consultant", "admin", "head"].map((r) => ({ value: r, label: L.role(r) }));
  const body = html`<h1>${t.t("dash.team.title")}</h1>
${d.created ? html`<div class="notice" id="invite-created"><p>${t.t("dash.team.created", { name: d.created.name, expires: fmtDateTime(ctx, d.created.expiresAt) })}</p><p class="code" id="invite-code">${d.created.code}</p><p class="small">${t.t("dash.team.created_hint")}</p></div>` : ""}
${d.error ? html`<p class="notice">${t.t(d.error)}</p>` : ""}
<div class="actions"><a class="btn light small" href="/staff/team.csv">${t.t("dash.export_csv")}</a><a class="btn light small" href="/staff/team.xlsx">${t.t("dash.export_xlsx")}</a></div>
<div class="section scroll"><table class="stack"><thead><tr><th>${t.t("dash.team.name")}</th><th>${t.t("dash.team.role")}</th><th class="hide-sm">${t.t("dash.team.areas")}</th><th class="hide-sm">${t.t("dash.team.channels")}</th><th>${t.t("dash.team.status")}</th></tr></thead><tbody>${d.staff.map(
    (s) => html`<tr><td>${s.name}<div class="small muted">${s.lastLoginAt ? t.t("dash.team.last_login", { at: fmtDateTime(ctx, s.lastLoginAt) }) : ""}</div></td><td>${L.role(s.role)}</td><td class="hide-sm">${s.areas.map((a) => L.area(a)).join(", ") || "-"}</td><td class="hide-sm">${s.channels.join(", ") || "-"}</td><td><span class="badge ${s.active ? "ok" : ""}">${t.t(s.active ? "dash.team.active" : "dash.team.inactive")}</span></td></tr>`,
  )}</tbody></table></div>
<div class="section"><h2>${t.t("dash.team.invites")}</h2>${
    d.invites.length
      ? html`<ul class="plain">${d.invites.map(
          (i) => html`<li>${i.name} · ${L.role(i.role)}${i.areas.length ? ` · ${i.areas.map((a) => L.area(a)).join(", ")}` : ""} <span class="small muted">${t.t("dash.team.expires", { at: fmtDateTime(ctx, i.expiresAt) })}${i.createdBy ? ` · ${i.createdBy}` : ""}</span>
<form method="post" action="/staff/team/invites/${i.id}/revoke" class="inline">${csrfField(ctx.csrf)}<button type="submit" class="small">${t.t("dash.team.revoke")}</button></form></li>`,
        )}</ul>`
      : html`<p class="muted small">${t.t("dash.team.no_invites")}</p>`
  }</div>
<div class="section"><h2>${t.t("dash.team.new_invite")}</h2><p class="muted small">${t.t("dash.team.invite_hint")}</p>
<form method="post" action="/staff/team/invites" class="stack">${csrfField(ctx.csrf)}
<label>${t.t("dash.team.name")}<input name="name" required maxlength="100"></label>
<label>${t.t("dash.team.role")}<select name="role">${options(roles, "consultant")}</select></label>
<fieldset><legend class="small">${t.t("dash.team.areas_hint")}</legend>${d.areas.map((a) => html`<label class="small"><input type="checkbox" name="areas" value="${a}"> ${L.area(a)}</label>`)}</fieldset>
<button type="submit">${t.t("dash.team.create")}</button></form></div>`;
  return frame(ctx, "team", t.t("dash.nav.team"), body);
}

/** Pairing states after which WhatsApp waits for an admin's Relink (the channel's HaltReason). */
const WA_HALTED = new Set(["logged_out", "bad_session", "banned", "replaced"]);

export interface WhatsAppView {
  enabled: boolean;
  /** The viewer may relink (admins, when the channel supports it). */
  canRelink?: boolean;
  state?: string;
  qrSvg?: string;
  pairingCode?: string;
  updatedAt?: Date;
}

export function whatsappPage(ctx: Ctx, w: WhatsAppView): string {
  const { t } = ctx;
  const connected = w.state === "open" || w.state === "connected";
  let content: Html;
  if (!w.enabled) content = html`<p>${t.t("dash.wa.disabled")}</p>`;
  else if (connected) content = html`<p><span class="badge ok">${t.t("dash.wa.connected")}</span></p>`;
  else if (w.state && WA_HALTED.has(w.state)) content = html`<p><span class="badge bad">${t.t("dash.wa.halted")}</span></p><p>${t.t(`dash.wa.halted.${w.state}`)}</p>`;
  else if (w.state === "standby") content = html`<p><span class="badge">${t.t("dash.wa.standby")}</span></p>`;
  else if (w.pairingCode) content = html`<p>${t.t("dash.wa.pairing_code_hint")}</p><p class="code" id="pairing-code">${w.pairingCode}</p>`;
  else if (w.qrSvg) content = html`<p>${t.t("dash.wa.qr_hint")}</p><div class="qr">${raw(w.qrSvg)}</div>`;
  else content = html`<p>${t.t("dash.wa.waiting")}</p>`;
  const body = html`<h1>${t.t("dash.wa.title")}</h1><div class="section">${content}
${w.enabled ? html`<p class="small muted">${t.t("dash.wa.state", { state: w.state ?? "-", at: fmtDateTime(ctx, w.updatedAt ?? null) })}</p>` : ""}${w.enabled && !connected ? html`<p class="small muted">${t.t("dash.wa.refresh")}</p>` : ""}</div>
${w.enabled && w.canRelink ? html`<div class="section"><h2>${t.t("dash.wa.relink")}</h2><p class="small">${t.t("dash.wa.relink_hint")}</p>
<form method="post" action="/staff/whatsapp/relink">${csrfField(ctx.csrf)}<button type="submit">${t.t("dash.wa.relink")}</button></form></div>` : ""}`;
  return frame(ctx, "whatsapp", t.t("dash.nav.whatsapp"), body, w.enabled && !connected ? 10 : undefined);
}
