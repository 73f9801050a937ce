/**
 * Server-rendered HTML for the staff dashboard: escaping, the page frame (header, navigation, a
 * small inline stylesheet that works from a 360-pixel phone to a desktop) and a few components.
 * No script runs on these pages (the Content-Security-Policy allows none); no external asset.
 */

/** Text for HTML content and attribute values. */
export function esc(value: unknown): string {
  if (value === null || value === undefined) return "";
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A string already escaped (or built from escaped parts). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolations are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join("");
  if (v === false || v === null || v === undefined) return "";
  return esc(v);
}

export function raw(s: string): Html {
  return new Html(s);
}

export const CSS = `
:root{--fg:#1c2530;--muted:#5c6875;--bg:#f3f5f7;--card:#fff;--line:#dbe1e7;--accent:#0b6e4f;--accent2:#13795b;--warn:#b7791f;--bad:#c0392b;--ok:#2f855a;--bar:#2b6cb0}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
a{color:#0b5cab}
header.top{background:var(--accent);color:#fff;padding:.5rem .9rem;display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .9rem}
header.top .brand{font-weight:700;white-space:nowrap}
header.top .who{margin-left:auto;font-size:.85rem;opacity:.9;display:flex;gap:.5rem;align-items:center}
header.top .who button{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;padding:.2rem .55rem;font-size:.85rem}
nav.main{display:flex;flex-wrap:wrap;gap:.2rem;width:100%;padding-bottom:.15rem}
nav.main a{color:#fff;text-decoration:none;padding:.3rem .6rem;border-radius:6px;white-space:nowrap;font-size:.93rem}
nav.main a.on{background:rgba(255,255,255,.22);font-weight:600}
main{max-width:1120px;margin:0 auto;padding:.9rem}
h1{font-size:1.3rem;margin:.2rem 0 .8rem}
h2{font-size:1.05rem;margin:0 0 .6rem}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(125px,1fr));gap:.6rem;margin-bottom:1rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.75rem .9rem;min-width:0}
.stat .n{font-size:1.6rem;font-weight:700;line-height:1.1}
.stat .l{font-size:.82rem;color:var(--muted)}
.grid{display:grid;gap:.9rem;grid-template-columns:minmax(0,1fr);margin-bottom:.9rem}
@media(min-width:820px){.grid.two{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.grid>.section{margin-bottom:0}
.section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.8rem .9rem;margin-bottom:.9rem;min-width:0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{padding:.42rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.02em;color:var(--muted);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
tr:last-child td{border-bottom:0}
td .badge{white-space:normal}
@media(max-width:640px){.hide-sm{display:none}
table.stack thead{display:none}table.stack tr{display:block;padding:.45rem 0;border-bottom:1px solid var(--line)}table.stack tr:last-child{border-bottom:0}
table.stack td{display:block;border:0;padding:.1rem 0}table.stack td.num{text-align:left}table.stack td.hide-sm{display:none}}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:.8rem}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);gap:.15rem;flex:1 1 9rem}
form.stack{display:grid;gap:.6rem;max-width:32rem}
form.stack label{display:flex;flex-direction:column;font-size:.85rem;gap:.2rem}
form.stack fieldset{border:1px solid var(--line);border-radius:7px;display:flex;flex-wrap:wrap;gap:.35rem .9rem;padding:.5rem .7rem}
form.stack fieldset label{flex-direction:row;align-items:center;gap:.45rem;min-height:2.4rem;cursor:pointer}
input[type=checkbox]{width:1.25rem;height:1.25rem;min-height:0;padding:0;margin:0;flex:none;accent-color:var(--accent)}
input,select,button{font:inherit;padding:.45rem .6rem;border:1px solid var(--line);border-radius:7px;background:#fff;color:var(--fg);min-height:2.4rem}
button,.btn{background:var(--accent);color:#fff;border:0;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center;justify-content:center;border-radius:7px;padding:.45rem .9rem;min-height:2.4rem}
.btn.light{background:#fff;color:var(--accent);border:1px solid var(--accent)}
.btn.small,button.small{min-height:auto;padding:.2rem .55rem;font-size:.85rem}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0 .8rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.78rem;background:#e6eef6;color:#234;white-space:nowrap}
.badge.ok{background:#e3f4ea;color:#1f5e3a}.badge.warn{background:#fdf1dc;color:#7a4d0b}.badge.bad{background:#fbe3e1;color:#8a231a}
.bars{display:grid;gap:.35rem}
.bar-row{display:grid;grid-template-columns:minmax(5.5rem,36%) minmax(0,1fr) 3rem;gap:.5rem;align-items:center;font-size:.88rem}
.bars.wide .bar-row{grid-template-columns:minmax(5.5rem,36%) minmax(0,1fr) 9.5rem}
.bar-row .lbl{overflow-wrap:anywhere;line-height:1.25}
.bar-row svg{width:100%;height:.9rem;display:block;background:#eef1f4;border-radius:3px}
.bar-row .val{font-variant-numeric:tabular-nums;white-space:nowrap;font-size:.84rem;color:var(--muted);text-align:right}
@media(max-width:640px){.bar-row,.bars.wide .bar-row{grid-template-columns:minmax(0,1fr) 3rem;gap:.1rem .5rem}.bars.wide .bar-row{grid-template-columns:minmax(0,1fr) 9.5rem}.bar-row .lbl{grid-column:1/-1;white-space:normal}}
svg.chart{width:100%;height:auto;max-height:320px;display:block}
.timeline td svg{width:100%;min-width:5rem;height:.8rem;display:block;background:#eef1f4;border-radius:3px}
.kv{display:grid;grid-template-columns:minmax(7rem,34%) minmax(0,1fr);gap:.25rem .8rem;margin:0}
.kv dt{color:var(--muted);font-size:.86rem}.kv dd{margin:0}
.notice{background:#fff8e6;border:1px solid #f0d9a0;border-radius:10px;padding:.7rem .9rem;margin-bottom:.9rem}
.code{font:600 1.6rem/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.08em}
.pager{display:flex;gap:.4rem;align-items:center;flex-wrap:wrap;margin-top:.6rem}
.center{max-width:30rem;margin:3rem auto;text-align:left}
.qr svg{width:min(300px,80vw);height:auto;background:#fff;padding:.4rem;border:1px solid var(--line);border-radius:8px}
form.inline{display:inline}.pre{white-space:pre-line}
ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:.35rem 0;border-bottom:1px solid var(--line)}ul.plain li:last-child{border-bottom:0}
`;

export interface NavItem {
  href: string;
  label: string;
  key: string;
}

export interface PageFrame {
  title: string;
  lang: string;
  /** Signed-in staff: shows navigation and the log-out button. */
  staff?: { name: string; roleLabel: string; csrf: string };
  nav?: NavItem[];
  active?: string;
  labels: { brand: string; logout: string };
  /** Seconds: reload the page (the WhatsApp pairing page while waiting). */
  refresh?: number;
  body: Html;
}

export function page(f: PageFrame): string {
  const nav = f.staff && f.nav
    ? html`<nav class="main" aria-label="menu">${f.nav.map((n) => html`<a href="${n.href}"${raw(n.key === f.active ? ' class="on" aria-current="page"' : "")}>${n.label}</a>`)}</nav>`
    : "";
  const who = f.staff
    ? html`<div class="who"><span>${f.staff.name} · ${f.staff.roleLabel}</span><form method="post" action="/staff/logout"><input type="hidden" name="_csrf" value="${f.staff.csrf}"><button type="submit">${f.labels.logout}</button></form></div>`
    : "";
  return `<!doctype html>
<html lang="${esc(f.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="same-origin">${f.refresh ? `<meta http-equiv="refresh" content="${f.refresh}">` : ""}
<title>${esc(f.title)} · ${esc(f.labels.brand)}</title><style>${CSS}</style></head>
<body><header class="top"><span class="brand">${esc(f.labels.brand)}</span>${who}${nav}</header>
<main>${f.body.value}</main></body></html>`;
}

/** A query string from the non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : "";
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function options(items: Array<{ value: string; label: string }>, selected: string | undefined, empty?: string): Html {
  return html`${empty !== undefined ? html`<option value="">${empty}</option>` : ""}${items.map(
    (o) => html`<option value="${o.value}"${raw(o.value === selected ? " selected" : "")}>${o.label}</option>`,
  )}`;
}
