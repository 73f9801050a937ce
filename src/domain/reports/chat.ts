/**
 * Chat answers to staff commands (/laporan, /kasus, /cari, /konsultan, /sla) and the weekly
 * summary to the head of UPT: plain text, at most 4096 characters (Telegram's limit; WhatsApp's
 * is larger), every word from the texts (`report.*`).
 */
import type { OfficeReport } from "../../documents/index.js";
import { formatFullDate } from "../../i18n/dates.js";
import { intlLocale, type Translator } from "../../i18n/index.js";
import type { Regions } from "../../flows/questions/region.js";
import type { Db } from "../../db/client.js";
import { makeLabeler, type Labeler } from "./labels.js";
import { computeOfficeReport, type ReportOptions } from "./office-report.js";
import { lastWeek } from "./period.js";
import type { CaseListResult, ClientSearchResult, ConsultantLoad, LateCase } from "./queries.js";

export const CHAT_LIMIT = 4096;

function numberFmt(t: Translator) {
  const loc = intlLocale(t.lang);
  const one = new Intl.NumberFormat(loc, { maximumFractionDigits: 1 });
  const two = new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(loc, { style: "percent", maximumFractionDigits: 0 });
  return { one: (n: number) => one.format(n), two: (n: number) => two.format(n), pct: (n: number) => pct.format(n) };
}

/** "45 mnt", "2 j 5 mnt", "3 hr 4 j": a duration in minutes as staff read it. */
export function formatMinutes(minutes: number, t: Translator): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return t.t("report.dur.minutes", { m });
  if (m < 24 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest ? t.t("report.dur.hours_minutes", { h, m: rest }) : t.t("report.dur.hours", { h });
  }
  const d = Math.floor(m / (24 * 60));
  const h = Math.floor((m % (24 * 60)) / 60);
  return h ? t.t("report.dur.days_hours", { d, h }) : t.t("report.dur.days", { d });
}

/**
 * Joins a header, lines and a footer into one message of at most `limit` characters; lines that do
 * not fit are replaced by "... and N more".
 */
export function fitMessage(t: Translator, header: string, lines: readonly string[], footer = "", limit = CHAT_LIMIT): string {
  const join = (body: string[], more: number) =>
    [header, ...body, ...(more > 0 ? [t.t("report.more", { n: more })] : []), ...(footer ? ["", footer] : [])].join("\n").trim();
  let n = lines.length;
  let text = join([...lines], 0);
  while (text.length > limit && n > 0) {
    n -= 1;
    text = join(lines.slice(0, n), lines.length - n);
  }
  return text.length > limit ? `${text.slice(0, limit - 1)}\u2026` : text;
}

function top(items: OfficeReport["byArea"], max = 3): string {
  return items
    .slice(0, max)
    .map((i) => `${i.label} ${i.count}`)
    .join(", ");
}

function skmLine(report: OfficeReport, t: Translator): string {
  const n = numberFmt(t);
  if (report.skm.index === null || report.skm.respondents === 0) return t.t("report.chat.skm_none");
  return t.t("report.chat.skm", {
    index: n.two(report.skm.index),
    category: report.skm.category ?? "-",
    quality: report.skm.category ? t.t(`report.skm.category.${report.skm.category.toLowerCase()}`) : "-",
    n: report.skm.respondents,
  });
}

/** /laporan: the short message; the full report goes along as XLSX and PDF (reportAttachments). */
export function renderReportMessage(report: OfficeReport, t: Translator): string {
  const n = numberFmt(t);
  const T = report.totals;
  const lines: string[] = [
    t.t("report.chat.clients", { served: T.clientsServed, new: T.newClients, returning: T.returningClients }),
    t.t("report.chat.cases", { opened: T.casesOpened, closed: T.casesClosed, open: T.casesOpen }),
    t.t("report.chat.referrals_complaints", { referrals: T.referrals, complaints: T.complaints }),
    ...complaintLine(report, t),
  ];
  const breakdowns: Array<[string, OfficeReport["byArea"]]> = [
    ["report.chat.top_area", report.byArea],
    ["report.chat.top_service", report.byService],
    ["report.chat.top_kecamatan", report.byKecamatan],
    ["report.chat.top_sector", report.bySector],
  ];
  for (const [key, items] of breakdowns) if (items.length) lines.push(t.t(key, { items: top(items) }));
  const timed = report.sla.filter((s) => s.count > 0);
  if (timed.length) {
    lines.push("", t.t("report.chat.sla_title"));
    for (const s of timed) {
      lines.push(
        t.t("report.chat.sla_row", {
          step: s.step,
          name: s.name,
          median: s.medianMinutes === null ? "-" : n.one(s.medianMinutes),
          p90: s.p90Minutes === null ? "-" : n.one(s.p90Minutes),
          standard: n.one(s.standardMinutes),
          within: s.withinStandardShare === null ? "-" : n.pct(s.withinStandardShare),
        }),
      );
    }
  }
  lines.push("", skmLine(report, t));
  const impact = report.impact;
  if (impact && impact.total.due > 0) {
    lines.push(
      t.t("impact.report.chat", {
        answered: impact.total.answered,
        due: impact.total.due,
        up: impact.total.turnoverUp,
        workers: impact.workersAfter - impact.workersBefore >= 0 ? `+${impact.workersAfter - impact.workersBefore}` : String(impact.workersAfter - impact.workersBefore),
        financed: impact.total.financed,
      }),
    );
  }
  return fitMessage(t, t.t("report.chat.title", { label: report.period.label }), lines, t.t("report.chat.attached"));
}

/**
 * The weekly summary for the head of UPT, ready to send: last week's report (Monday to Sunday
 * before `now`) and its text. The scheduler's weekly job calls this and sends the text.
 */
export async function weeklySummary(
  db: Db,
  now: Date,
  tz: string,
  t: Translator,
  opts: Omit<ReportOptions, "t" | "consultantId"> = {},
): Promise<{ report: OfficeReport; text: string }> {
  const period = lastWeek(now, tz, t.lang);
  const report = await computeOfficeReport(db, period, tz, { ...opts, t });
  return { report, text: weeklySummaryText(report, t) };
}

/** The weekly summary the scheduler sends the head of UPT (the period is usually lastWeek(now)). */
export function weeklySummaryText(report: OfficeReport, t: Translator): string {
  const n = numberFmt(t);
  const T = report.totals;
  const lines = [
    t.t("report.chat.clients", { served: T.clientsServed, new: T.newClients, returning: T.returningClients }),
    t.t("report.chat.cases", { opened: T.casesOpened, closed: T.casesClosed, open: T.casesOpen }),
    t.t("report.chat.referrals_complaints", { referrals: T.referrals, complaints: T.complaints }),
    ...complaintLine(report, t),
  ];
  const timed = report.sla.filter((s) => s.count > 0 && s.withinStandardShare !== null);
  const overall = timed.reduce((a, s) => a + s.count, 0);
  if (overall > 0) {
    const within = timed.reduce((a, s) => a + (s.withinStandardShare ?? 0) * s.count, 0) / overall;
    lines.push(t.t("report.weekly.within", { share: n.pct(within), n: overall }));
    const worst = [...timed].sort((a, b) => (a.withinStandardShare ?? 1) - (b.withinStandardShare ?? 1))[0];
    if (worst && (worst.withinStandardShare ?? 1) < 1) {
      lines.push(t.t("report.weekly.worst", { step: worst.step, name: worst.name, share: n.pct(worst.withinStandardShare ?? 0) }));
    }
  }
  lines.push(skmLine(report, t));
  return fitMessage(t, t.t("report.weekly.title", { label: report.period.label }), lines, t.t("report.weekly.footer"));
}

/** Dates people read in chat: "Sabtu, 28 November 2026" (the one formatter, src/i18n/dates.ts). */
function shortDate(d: Date, t: Translator, tz: string): string {
  return formatFullDate(d, t.lang, tz);
}

/** /kasus: one line per case, newest first, with the page and how to get the next one. */
export function renderCaseList(result: CaseListResult, t: Translator, opts: { tz?: string; regions?: Regions; nextCommand?: string } = {}): string {
  const tz = opts.tz ?? "Asia/Makassar";
  const L: Labeler = makeLabeler(t, opts.regions);
  if (result.total === 0) return t.t("report.cases.none");
  const lines = result.items.map((c) =>
    t.t("report.cases.row", {
      reg: c.regNumber,
      client: c.clientName,
      step: c.step,
      status: L.status(c.status),
      area: L.area(c.areaCode),
      consultant: c.consultantName ?? t.t("report.unassigned"),
      date: shortDate(c.createdAt, t, tz),
    }),
  );
  const footer =
    result.page < result.pages ? t.t("report.cases.next", { command: opts.nextCommand ?? `/kasus hal:${result.page + 1}` }) : "";
  return fitMessage(t, t.t("report.cases.title", { total: result.total, page: result.page, pages: result.pages }), lines, footer);
}

/** /cari: each client found with masked NIK and their cases. */
export function renderSearch(result: ClientSearchResult, t: Translator, opts: { tz?: string; regions?: Regions; query?: string } = {}): string {
  const tz = opts.tz ?? "Asia/Makassar";
  const L = makeLabeler(t, opts.regions);
  if (result.matchedBy === "none") return t.t("report.search.too_short");
  if (result.hits.length === 0) return t.t(`report.search.none_${result.matchedBy === "regNumber" ? "reg" : result.matchedBy}`, { q: opts.query ?? "" });
  const lines: string[] = [];
  for (const h of result.hits) {
    lines.push(
      t.t("report.search.client", {
        name: h.fullName,
        nik: h.nikMasked,
        kecamatan: L.kecamatan(h.kecamatan),
        businesses: h.businesses.length ? h.businesses.join(", ") : "-",
      }),
    );
    for (const c of h.cases.slice(0, 5)) {
      lines.push(t.t("report.search.case", { reg: c.regNumber, step: c.step, status: L.status(c.status), date: shortDate(c.createdAt, t, tz) }));
    }
    if (h.cases.length > 5) lines.push(t.t("report.more", { n: h.cases.length - 5 }));
  }
  return fitMessage(t, t.t("report.search.title", { n: result.hits.length }), lines, result.more ? t.t("report.search.more") : "");
}

/** /konsultan: each consultant's open cases, late cases and overdue items. */
export function renderConsultantLoad(load: ConsultantLoad, t: Translator): string {
  const L = makeLabeler(t);
  const lines = load.consultants.map((c) =>
    t.t("report.load.row", {
      name: c.name,
      areas: c.areas.length ? c.areas.map((a) => L.area(a)).join(", ") : "-",
      open: c.openCases,
      late: c.lateCases,
      items: c.overdueItems,
      visits: c.overdueVisits,
    }),
  );
  if (lines.length === 0) lines.push(t.t("report.load.none"));
  const footer = load.unassignedOpen > 0 ? t.t("report.load.unassigned", { n: load.unassignedOpen }) : "";
  return fitMessage(t, t.t("report.load.title"), lines, footer);
}

/** /sla: the cases whose current step is past its standard time now, the latest first. */
export function renderLateList(rows: readonly LateCase[], t: Translator): string {
  if (rows.length === 0) return t.t("report.late.none");
  const L = makeLabeler(t);
  const lines = rows.map((r) =>
    t.t("report.late.row", {
      reg: r.regNumber,
      client: r.clientName,
      step: r.step,
      name: L.step(r.step),
      elapsed: formatMinutes(r.elapsedMinutes, t),
      standard: formatMinutes(r.standardMinutes, t),
      over: formatMinutes(r.overMinutes, t),
      who: r.consultantName ?? t.t(`report.actor.${r.actor}`),
    }),
  );
  return fitMessage(t, t.t("report.late.title", { n: rows.length }), lines);
}

/** The answer to a period that could not be read (the error key of parsePeriod). */
export function renderPeriodError(error: string, t: Translator): string {
  return `${t.t(error)}\n${t.t("report.period.examples")}`;
}

/** How the complaints of the period were answered; nothing when none came. */
function complaintLine(report: OfficeReport, t: Translator): string[] {
  const T = report.totals;
  if (T.complaints === 0) return [];
  const hours = T.complaintMedianAnswerHours === null ? "-" : numberFmt(t).one(T.complaintMedianAnswerHours);
  return [t.t("duty.report.complaints", { inTime: T.complaintsAnsweredInTime, complaints: T.complaints, hours })];
}
