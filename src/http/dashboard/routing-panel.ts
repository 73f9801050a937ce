/**
 * The routing actions on a case page while the case waits for an area (admins only): the router's
 * explanation as the chat card gives it, one button per likely area, and another area to choose.
 */
import { recommendationText } from "../../domain/routing/explain.js";
import { candidatesOf } from "../../domain/workflow/routing-offer.js";
import type { CaseDetail, ConsultantChoice } from "./data.js";
import { csrfField, html, options, type Html } from "./html.js";
import type { Ctx } from "./pages.js";

export function routingPanel(ctx: Ctx, c: CaseDetail, areas: string[], consultants: ConsultantChoice[], notice?: string): Html | undefined {
  const { t, L } = ctx;
  const noticeHtml = notice ? html`<p class="notice" id="routing-notice">${notice}</p>` : "";
  if (c.status !== "awaiting_routing" || ctx.viewer.role !== "admin") return notice ? html`<div class="section">${noticeHtml}</div>` : undefined;
  const decision = c.routing.at(-1) ?? null;
  const explanation = decision ? recommendationText(decision, (k, p) => t.t(k, p)) : t.t("wf.card.no_recommendation");
  const action = `/staff/cases/${c.id}/route`;
  const candidates = candidatesOf(decision);
  return html`<div class="section" id="routing-actions"><h2>${t.t("duty.routing.title")}</h2>${noticeHtml}
<p class="small">${explanation.split("\n").map((line, i) => html`${i > 0 ? html`<br>` : ""}${line}`)}</p>
<div class="actions">${candidates.map(
    (a) => html`<form method="post" action="${action}" class="inline">${csrfField(ctx.csrf)}<input type="hidden" name="area" value="${a}"><input type="hidden" name="overridden" value="0"><button type="submit">${t.t("wf.btn.confirm_area", { area: L.area(a) })}</button></form>`,
  )}</div>
<form method="post" action="${action}" class="filters">${csrfField(ctx.csrf)}<input type="hidden" name="overridden" value="1">
<label>${t.t("duty.routing.other")}<select name="area">${options(areas.map((a) => ({ value: a, label: L.area(a) })), undefined)}</select></label>
<button type="submit" class="light">${t.t("duty.routing.choose")}</button></form>
<form method="post" action="${action}" class="filters" id="assign-consultant">${csrfField(ctx.csrf)}<input type="hidden" name="overridden" value="1">
<label>${t.t("duty.routing.area")}<select name="area">${options(areas.map((a) => ({ value: a, label: L.area(a) })), candidates[0])}</select></label>
<label>${t.t("duty.routing.consultant")}<select name="consultant">${options(
    consultants.map((s) => ({ value: s.id, label: t.t("duty.routing.consultant_option", { name: s.name, areas: s.areas.map((a) => L.area(a)).join(", ") || "-", open: s.open }) })),
    undefined,
  )}</select></label>
<button type="submit" class="light">${t.t("duty.routing.assign")}</button></form></div>`;
}
