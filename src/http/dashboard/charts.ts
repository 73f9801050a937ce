/**
 * Charts drawn on the server as inline SVG: horizontal bars (each bar its own tiny SVG stretched
 * to the row, so labels stay HTML text that wraps and reads well on a phone) and a column chart
 * for counts per month. No script, no style attributes (the page's CSP allows neither).
 */
import { html, raw, type Html } from "./html.js";

export type Tone = "bar" | "ok" | "warn" | "bad";
const FILL: Record<Tone, string> = { bar: "#2b6cb0", ok: "#2f855a", warn: "#d69e2e", bad: "#c0392b" };

export interface BarRow {
  label: string;
  value: number;
  /** What is written after the bar (default: the value). */
  display?: string;
  href?: string;
  tone?: Tone;
  /** A thin mark on the bar at this value (a target, e.g. the standard). */
  mark?: number;
}

function pct(x: number): string {
  return (Math.round(Math.max(0, Math.min(1, x)) * 1000) / 10).toString();
}

/** Horizontal bars; `max` defaults to the largest value. */
export function barChart(rows: readonly BarRow[], opts: { max?: number; empty: string; title?: string; wide?: boolean }): Html {
  if (rows.length === 0) return html`<p class="muted small">${opts.empty}</p>`;
  const max = opts.max ?? Math.max(1, ...rows.map((r) => r.value));
  return html`<div class="bars${opts.wide ? " wide" : ""}" role="list"${raw(opts.title ? ` aria-label="${opts.title.replace(/"/g, "&quot;")}"` : "")}>${rows.map((r) => {
    const w = pct(r.value / max);
    const mark = r.mark !== undefined ? pct(r.mark / max) : null;
    const label = r.href ? html`<a href="${r.href}">${r.label}</a>` : html`${r.label}`;
    return html`<div class="bar-row" role="listitem"><span class="lbl" title="${r.label}">${label}</span><svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect x="0" y="0" width="${w}" height="10" fill="${FILL[r.tone ?? "bar"]}"/>${mark !== null ? html`<rect x="${Math.max(0, Number(mark) - 0.6)}" y="0" width="1.2" height="10" fill="#1c2530"/>` : ""}</svg><span class="val">${r.display ?? String(r.value)}</span></div>`;
  })}</div>`;
}

/** Columns (counts per month): sized for a phone (360 units wide), scales up on a desktop. */
export function columnChart(points: ReadonlyArray<{ label: string; value: number }>, opts: { title: string; empty: string }): Html {
  if (points.length === 0) return html`<p class="muted small">${opts.empty}</p>`;
  const W = 360;
  const H = 170;
  const top = 16;
  const bottom = 24;
  const left = 6;
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = (W - left * 2) / points.length;
  const bw = Math.max(4, slot * 0.62);
  const ch = H - top - bottom;
  const cols = points.map((p, i) => {
    const h = (p.value / max) * ch;
    const x = left + i * slot + (slot - bw) / 2;
    const y = top + ch - h;
    const cx = left + i * slot + slot / 2;
    return html`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.max(h, p.value > 0 ? 1 : 0).toFixed(1)}" rx="2" fill="#2b6cb0"><title>${p.label}: ${p.value}</title></rect>
<text x="${cx.toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="10" fill="#1c2530">${p.value > 0 ? String(p.value) : ""}</text>
<text x="${cx.toFixed(1)}" y="${H - 8}" text-anchor="middle" font-size="9.5" fill="#5c6875">${p.label}</text>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${opts.title}"><title>${opts.title}</title><line x1="${left}" y1="${top + ch + 0.5}" x2="${W - left}" y2="${top + ch + 0.5}" stroke="#dbe1e7"/>${cols}</svg>`;
}

/** One step of the case timeline: the actual time against the standard (the dark mark). */
export function timelineBar(actual: number | null, standard: number, running: boolean): Html {
  if (actual === null) return html`<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"></svg>`;
  const scale = Math.max(actual, standard) * 1.15 || 1;
  const tone: Tone = actual <= standard ? (running ? "warn" : "ok") : "bad";
  const w = pct(actual / scale);
  const m = Number(pct(standard / scale));
  return html`<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect x="0" y="0" width="${w}" height="10" fill="${FILL[tone]}"/><rect x="${Math.max(0, m - 0.6)}" y="0" width="1.2" height="10" fill="#1c2530"/></svg>`;
}
