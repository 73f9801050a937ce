/** Every list of the dashboard as a table (columns + rows) for CSV and XLSX downloads. */
import type { Translator } from "../../i18n/index.js";
import type { XlsxColumn } from "../../documents/index.js";
import type { Labeler } from "../../domain/reports/labels.js";
import type { OfficeStats } from "../../domain/reports/office-report.js";
import type { CaseListItem, ConsultantLoad, LateCase } from "../../domain/reports/queries.js";
import type { ReportTable, TeamPageData } from "./pages.js";

export interface Table {
  /** Sheet and file name (without extension). */
  name: string;
  columns: XlsxColumn[];
  rows: Record<string, unknown>[];
}

export function casesTable(items: readonly CaseListItem[], t: Translator, L: Labeler): Table {
  return {
    name: t.t("dash.export.cases"),
    columns: [
      { key: "regNumber", header: t.t("dash.cases.col_reg") },
      { key: "clientName", header: t.t("dash.cases.col_client") },
      { key: "businessName", header: t.t("dash.case.business") },
      { key: "sector", header: t.t("dash.export.sector") },
      { key: "kecamatan", header: t.t("dash.cases.col_kecamatan") },
      { key: "step", header: t.t("dash.case.step"), width: 8 },
      { key: "status", header: t.t("dash.cases.col_status") },
      { key: "area", header: t.t("dash.cases.col_area") },
      { key: "consultant", header: t.t("dash.cases.col_consultant") },
      { key: "channel", header: t.t("dash.case.channel") },
      { key: "createdAt", header: t.t("dash.case.created") },
      { key: "closedAt", header: t.t("dash.case.closed") },
    ],
    rows: items.map((c) => ({
      regNumber: c.regNumber,
      clientName: c.clientName,
      businessName: c.businessName,
      sector: c.sector ? L.sector(c.sector) : null,
      kecamatan: c.kecamatan ? L.kecamatan(c.kecamatan) : null,
      step: c.step,
      status: L.status(c.status),
      area: c.areaCode ? L.area(c.areaCode) : null,
      consultant: c.consultantName,
      channel: c.channel,
      createdAt: c.createdAt,
      closedAt: c.closedAt,
    })),
  };
}

export function lateTable(rows: readonly LateCase[], t: Translator, L: Labeler): Table {
  return {
    name: t.t("dash.export.late"),
    columns: [
      { key: "regNumber", header: t.t("dash.cases.col_reg") },
      { key: "clientName", header: t.t("dash.cases.col_client") },
      { key: "step", header: t.t("dash.case.step"), width: 8 },
      { key: "stepName", header: t.t("dash.export.step_name") },
      { key: "startedAt", header: t.t("dash.export.started_at") },
      { key: "elapsedMinutes", header: t.t("dash.export.elapsed_min"), numFmt: "#,##0" },
      { key: "standardMinutes", header: t.t("dash.export.standard_min"), numFmt: "#,##0" },
      { key: "overMinutes", header: t.t("dash.export.over_min"), numFmt: "#,##0" },
      { key: "who", header: t.t("dash.late.who") },
    ],
    rows: rows.map((r) => ({
      regNumber: r.regNumber,
      clientName: r.clientName,
      step: r.step,
      stepName: L.step(r.step),
      startedAt: r.startedAt,
      elapsedMinutes: r.elapsedMinutes,
      standardMinutes: r.standardMinutes,
      overMinutes: r.overMinutes,
      who: r.consultantName ?? t.t(`report.actor.${r.actor}`),
    })),
  };
}

export function consultantsTable(load: ConsultantLoad, t: Translator, L: Labeler): Table {
  return {
    name: t.t("dash.export.consultants"),
    columns: [
      { key: "name", header: t.t("dash.consultants.name") },
      { key: "areas", header: t.t("dash.team.areas") },
      { key: "openCases", header: t.t("dash.consultants.open"), numFmt: "#,##0" },
      { key: "lateCases", header: t.t("dash.consultants.late"), numFmt: "#,##0" },
      { key: "overdueItems", header: t.t("dash.consultants.items"), numFmt: "#,##0" },
      { key: "overdueVisits", header: t.t("dash.consultants.visits"), numFmt: "#,##0" },
    ],
    rows: load.consultants.map((c) => ({ ...c, areas: c.areas.map((a) => L.area(a)).join(", ") })),
  };
}

export function teamTable(staff: TeamPageData["staff"], t: Translator, L: Labeler): Table {
  return {
    name: t.t("dash.export.team"),
    columns: [
      { key: "name", header: t.t("dash.team.name") },
      { key: "role", header: t.t("dash.team.role") },
      { key: "areas", header: t.t("dash.team.areas") },
      { key: "channels", header: t.t("dash.team.channels") },
      { key: "active", header: t.t("dash.team.status") },
      { key: "createdAt", header: t.t("dash.export.created") },
      { key: "lastLoginAt", header: t.t("dash.export.last_login") },
    ],
    rows: staff.map((s) => ({
      name: s.name,
      role: L.role(s.role),
      areas: s.areas.map((a) => L.area(a)).join(", "),
      channels: s.channels.join(", "),
      active: t.t(s.active ? "dash.team.active" : "dash.team.inactive"),
      createdAt: s.createdAt,
      lastLoginAt: s.lastLoginAt,
    })),
  };
}

/** One table of the office report (the whole report is /staff/report.xlsx). */
export function reportTable(stats: OfficeStats, table: ReportTable, t: Translator): Table {
  const r = stats.report;
  const name = `${t.t(`dash.table.${table}`)} ${r.period.label}`;
  if (table === "sla") {
    return {
      name,
      columns: [
        { key: "step", header: t.t("dash.case.step"), width: 8 },
        { key: "name", header: t.t("dash.export.step_name") },
        { key: "standardMinutes", header: t.t("dash.export.standard_min"), numFmt: "0.0" },
        { key: "count", header: t.t("dash.export.count"), numFmt: "#,##0" },
        { key: "medianMinutes", header: t.t("dash.export.median_min"), numFmt: "0.0" },
        { key: "p90Minutes", header: t.t("dash.export.p90_min"), numFmt: "0.0" },
        { key: "withinStandardShare", header: t.t("dash.export.within_share"), numFmt: "0.0%" },
      ],
      rows: r.sla.map((s) => ({ ...s })),
    };
  }
  if (table === "skm") {
    return {
      name,
      columns: [
        { key: "code", header: t.t("dash.export.code"), width: 8 },
        { key: "label", header: t.t("dash.export.element") },
        { key: "average", header: t.t("dash.export.average"), numFmt: "0.00" },
        { key: "answers", header: t.t("dash.export.answers"), numFmt: "#,##0" },
      ],
      rows: r.skm.perElement.map((e) => ({ ...e, answers: stats.skmAnswers[e.code] ?? 0 })),
    };
  }
  const source = { area: stats.byArea, service: stats.byService, kecamatan: stats.byKecamatan, sector: stats.bySector, consultant: stats.byConsultant }[table];
  const total = source.reduce((a, x) => a + x.count, 0);
  return {
    name,
    // Names only: a reader never sees a code (region codes, area keys; issue 16 item 6).
    columns: [
      { key: "label", header: t.t("dash.export.label") },
      { key: "count", header: t.t("dash.export.count"), numFmt: "#,##0" },
      { key: "share", header: t.t("dash.export.share"), numFmt: "0.0%" },
    ],
    rows: source.map((x) => ({ label: x.label, count: x.count, share: total > 0 ? x.count / total : null })),
  };
}

/** A safe download file name: "kasus-2026-11-28.csv". */
export function fileName(base: string, date: string, ext: string): string {
  const slug = base
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "data"}-${date}.${ext}`;
}
