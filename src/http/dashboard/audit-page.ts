/** The audit trail page (admins and the head): the filter, a page of rows, and the CSV link. */
import type { Translator } from "../../i18n/index.js";
import type { AuditPage, AuditRow } from "../../domain/audit/query.js";
import { html, options, qs } from "./html.js";
import { fmtDateTime, frame, type Ctx } from "./pages.js";

/** The filter as typed, for the form and the links (dates as YYYY-MM-DD). */
export interface AuditFormValues {
  person?: string;
  case?: string;
  action?: string;
  from?: string;
  to?: string;
}

export function actionLabel(t: Translator, action: string): string {
  // Text keys are lower case: "setting.autoAssign" is duty.action.setting.auto_assign.
  const key = `duty.action.${action.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  return t.has(key) ? t.t(key) : action;
}

export function actorLabel(t: Translator, r: AuditRow): string {
  if (r.actorType === "staff") return r.actorName ?? t.t("duty.audit.actor.staff_unknown");
  return t.t(r.actorType === "client" ? "duty.audit.actor.client" : "duty.audit.actor.system");
}

/** What the row is about: the case number when it names one, else the kind of record. */
export function aboutLabel(r: AuditRow): string {
  return r.regNumber ?? `${r.entity}${r.entityId ? ` ${r.entityId.slice(-8)}` : ""}`;
}

/** Details but the case (shown as "about"): short key: value pairs. */
export function detailText(r: AuditRow): string {
  return Object.entries(r.detail)
    .filter(([k]) => k !== "caseId")
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

export interface AuditPageData {
  result: AuditPage;
  form: AuditFormValues;
  actions: string[];
  staff: Array<{ id: string; name: string }>;
  /** A text key: the filter could not be used as typed. */
  notice?: { key: string; params?: Record<string, string> };
}

export function auditPage(ctx: Ctx, d: AuditPageData): string {
  const { t } = ctx;
  const f = d.form;
  const base = { person: f.person, case: f.case, action: f.action, from: f.from, to: f.to };
  const pageLink = (p: number, label: string) => html`<a class="btn light small" href="/staff/audit${qs({ ...base, page: p })}">${label}</a>`;
  const rows = d.result.rows.map(
    (r) => html`<tr><td>${fmtDateTime(ctx, r.at)}</td><td>${actorLabel(t, r)}</td><td>${actionLabel(t, r.action)}</td><td>${aboutLabel(r)}</td><td class="hide-sm small muted">${detailText(r)}</td></tr>`,
  );
  const body = html`<h1>${t.t("duty.audit.title")}</h1>
<p class="muted small">${t.t("duty.audit.intro")}</p>
${d.notice ? html`<p class="notice" id="audit-notice">${t.t(d.notice.key, d.notice.params)}</p>` : ""}
<form class="filters" method="get" action="/staff/audit">
  <label>${t.t("duty.audit.person")}<select name="person">${options(d.staff.map((s) => ({ value: s.id, label: s.name })), f.person, t.t("duty.audit.all"))}</select></label>
  <label>${t.t("duty.audit.case")}<input name="case" value="${f.case ?? ""}" placeholder="PLUT-GIA-2026-000123"></label>
  <label>${t.t("duty.audit.action")}<select name="action">${options(d.actions.map((a) => ({ value: a, label: actionLabel(t, a) })), f.action, t.t("duty.audit.all"))}</select></label>
  <label>${t.t("duty.audit.from")}<input type="date" name="from" value="${f.from ?? ""}"></label>
  <label>${t.t("duty.audit.to")}<input type="date" name="to" value="${f.to ?? ""}"></label>
  <button type="submit">${t.t("duty.audit.filter")}</button>
</form>
<div class="actions"><span class="muted">${t.t("duty.audit.count", { n: d.result.total })}</span>
  <a class="btn light small" id="audit-csv" href="/staff/audit.csv${qs(base)}">${t.t("duty.audit.export_csv")}</a></div>
<div class="section scroll"><table id="audit" class="stack"><thead><tr><th>${t.t("duty.audit.when")}</th><th>${t.t("duty.audit.who")}</th><th>${t.t("duty.audit.what")}</th><th>${t.t("duty.audit.about")}</th><th class="hide-sm">${t.t("duty.audit.detail")}</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="5" class="muted">${t.t("duty.audit.none")}</td></tr>`}</tbody></table>
<div class="pager">${d.result.page > 1 ? pageLink(d.result.page - 1, t.t("duty.audit.newer")) : ""}<span class="muted small">${t.t("duty.audit.page", { page: d.result.page, pages: d.result.pages })}</span>${d.result.page < d.result.pages ? pageLink(d.result.page + 1, t.t("duty.audit.older")) : ""}</div></div>`;
  return frame(ctx, "audit", t.t("duty.audit.title"), body);
}
