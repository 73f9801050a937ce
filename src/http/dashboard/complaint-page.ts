/** The complaints pages (admins and the head): the list, newest first, and one complaint with its answer form. */
import { csrfField, html } from "./html.js";
import { fmtDateTime, frame, type Ctx } from "./pages.js";

export interface ComplaintRow {
  id: string;
  text: string;
  status: string;
  response: string | null;
  createdAt: Date;
  dueAt: Date | null;
  answeredAt: Date | null;
  closedAt: Date | null;
  regNumber: string | null;
}

const badge = (ctx: Ctx, status: string) =>
  html`<span class="badge ${status === "new" || status === "being_handled" ? "warn" : "ok"}">${ctx.t.t(`dash.complaint.${status}`)}</span>`;

export function complaintsPage(ctx: Ctx, rows: ComplaintRow[]): string {
  const { t } = ctx;
  const body = html`<h1>${t.t("duty.complaints.title")}</h1>
<div class="section scroll"><table id="complaints" class="stack"><thead><tr><th>${t.t("duty.complaints.received")}</th><th>${t.t("duty.complaints.state")}</th><th>${t.t("duty.complaints.due")}</th><th>${t.t("duty.complaints.text")}</th></tr></thead>
<tbody>${rows.length
    ? rows.map((r) => html`<tr><td><a href="/staff/complaints/${r.id}">#${r.id.slice(-6)}</a> ${fmtDateTime(ctx, r.createdAt)}</td><td>${badge(ctx, r.status)}</td><td>${fmtDateTime(ctx, r.dueAt)}</td><td>${r.text.slice(0, 140)}</td></tr>`)
    : html`<tr><td colspan="4" class="muted">${t.t("duty.complaints.none")}</td></tr>`}</tbody></table></div>`;
  return frame(ctx, "complaints", t.t("duty.complaints.title"), body);
}

export function complaintPage(ctx: Ctx, c: ComplaintRow, notice?: string): string {
  const { t } = ctx;
  const open = c.status === "new" || c.status === "being_handled";
  const body = html`<h1>${t.t("duty.complaints.one", { id: c.id.slice(-6) })} ${badge(ctx, c.status)}</h1>
${notice ? html`<p class="notice" id="complaint-notice">${notice}</p>` : ""}
<div class="section"><p class="small muted">${t.t("duty.complaints.received")}: ${fmtDateTime(ctx, c.createdAt)} · ${t.t("duty.complaints.due")}: ${fmtDateTime(ctx, c.dueAt)}${c.regNumber ? html` · ${c.regNumber}` : ""}</p>
<p id="complaint-text">${c.text}</p>
${c.response ? html`<h2>${t.t("duty.complaints.answer")}</h2><p id="complaint-answer">${c.response}</p><p class="small muted">${fmtDateTime(ctx, c.answeredAt)}</p>` : ""}</div>
${open
    ? html`<form method="post" action="/staff/complaints/${c.id}/answer" id="complaint-answer-form">${csrfField(ctx.csrf)}
<label>${t.t("duty.complaints.answer")}<textarea name="answer" rows="5" required minlength="5" maxlength="2000"></textarea></label>
<button type="submit">${t.t("duty.complaints.send")}</button></form>`
    : ""}
${c.status !== "closed"
    ? html`<form method="post" action="/staff/complaints/${c.id}/close" class="inline">${csrfField(ctx.csrf)}<button type="submit" class="light">${t.t("duty.complaint.close_button")}</button></form>`
    : ""}
<p><a href="/staff/complaints">${t.t("duty.complaints.back")}</a></p>`;
  return frame(ctx, "complaints", t.t("duty.complaints.title"), body);
}
