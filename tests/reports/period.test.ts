import { describe, expect, it } from "vitest";
import { lastWeek, parsePeriod, periodLabel } from "../../src/domain/reports/period.js";

const TZ = "Asia/Makassar";
// Saturday 28 November 2026, 10:00 WITA.
const NOW = new Date("2026-11-28T02:00:00Z");

describe("parsePeriod", () => {
  const cases: Array<[string, string, string, string]> = [
    // input, first day, last day, label
    ["hari ini", "2026-11-28", "2026-11-28", "28 November 2026"],
    ["today", "2026-11-28", "2026-11-28", "28 November 2026"],
    ["Hari Ini", "2026-11-28", "2026-11-28", "28 November 2026"],
    ["kemarin", "2026-11-27", "2026-11-27", "27 November 2026"],
    ["minggu ini", "2026-11-23", "2026-11-29", "23\u201329 November 2026"],
    ["this week", "2026-11-23", "2026-11-29", "23\u201329 November 2026"],
    ["minggu lalu", "2026-11-16", "2026-11-22", "16\u201322 November 2026"],
    ["last week", "2026-11-16", "2026-11-22", "16\u201322 November 2026"],
    ["bulan ini", "2026-11-01", "2026-11-30", "November 2026"],
    ["this month", "2026-11-01", "2026-11-30", "November 2026"],
    ["periode bulan ini", "2026-11-01", "2026-11-30", "November 2026"],
    ["bulan lalu", "2026-10-01", "2026-10-31", "Oktober 2026"],
    ["last month", "2026-10-01", "2026-10-31", "Oktober 2026"],
    ["tahun ini", "2026-01-01", "2026-12-31", "2026"],
    ["2026-11", "2026-11-01", "2026-11-30", "November 2026"],
    ["11/2026", "2026-11-01", "2026-11-30", "November 2026"],
    ["november 2026", "2026-11-01", "2026-11-30", "November 2026"],
    ["Nov 2026", "2026-11-01", "2026-11-30", "November 2026"],
    ["bulan november 2026", "2026-11-01", "2026-11-30", "November 2026"],
    ["februari 2024", "2024-02-01", "2024-02-29", "Februari 2024"],
    ["november", "2026-11-01", "2026-11-30", "November 2026"],
    // A month not reached yet this year means last year's.
    ["desember", "2025-12-01", "2025-12-31", "Desember 2025"],
    ["1-15 november", "2026-11-01", "2026-11-15", "1\u201315 November 2026"],
    ["1 - 15 nov 2026", "2026-11-01", "2026-11-15", "1\u201315 November 2026"],
    ["1 sampai 15 november", "2026-11-01", "2026-11-15", "1\u201315 November 2026"],
    ["1 s/d 15 november 2026", "2026-11-01", "2026-11-15", "1\u201315 November 2026"],
    ["2026-11-01..2026-11-15", "2026-11-01", "2026-11-15", "1\u201315 November 2026"],
    ["2026-11-01 - 2026-11-15", "2026-11-01", "2026-11-15", "1\u201315 November 2026"],
    ["2026-11-01 to 2026-11-15", "2026-11-01", "2026-11-15", "1\u201315 November 2026"],
    ["1/11/2026-15/11/2026", "2026-11-01", "2026-11-15", "1\u201315 November 2026"],
    ["20 oktober - 5 november", "2026-10-20", "2026-11-05", "20 Oktober \u2013 5 November 2026"],
    ["oktober - november 2026", "2026-10-01", "2026-11-30", "Oktober \u2013 November 2026"],
    ["20 des - 10 jan", "2025-12-20", "2026-01-10", "20 Desember 2025 \u2013 10 Januari 2026"],
    ["2026-11-05", "2026-11-05", "2026-11-05", "5 November 2026"],
    ["5 november", "2026-11-05", "2026-11-05", "5 November 2026"],
    ["november 5", "2026-11-05", "2026-11-05", "5 November 2026"],
    ["05/11/2026", "2026-11-05", "2026-11-05", "5 November 2026"],
    ["7 hari terakhir", "2026-11-22", "2026-11-28", "22\u201328 November 2026"],
    ["last 30 days", "2026-10-30", "2026-11-28", "30 Oktober \u2013 28 November 2026"],
  ];
  it.each(cases)("%s -> %s .. %s", (input, first, last, label) => {
    const r = parsePeriod(input, NOW, TZ);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.period.fromDate).toBe(first);
    expect(r.period.toDate).toBe(last);
    expect(r.period.label).toBe(label);
  });

  it("runs from local midnight to the last millisecond of the last day, in WITA", () => {
    const r = parsePeriod("november 2026", NOW, TZ);
    if (!r.ok) throw new Error("not ok");
    expect(r.period.from.toISOString()).toBe("2026-10-31T16:00:00.000Z");
    expect(r.period.to.toISOString()).toBe("2026-11-30T15:59:59.999Z");
  });

  it("writes English labels when asked", () => {
    const r = parsePeriod("bulan lalu", NOW, TZ, "en");
    if (!r.ok) throw new Error("not ok");
    expect(r.period.label).toBe("October 2026");
  });

  const errors: Array<[string, string]> = [
    ["", "report.period.empty"],
    ["   ", "report.period.empty"],
    ["kapan saja", "report.period.invalid"],
    ["31 februari 2026", "report.period.invalid"],
    ["2026-13", "report.period.invalid"],
    ["15-1 november 2026", "report.period.reversed"],
    ["2026-11-15..2026-11-01", "report.period.reversed"],
    ["desember 2026", "report.period.future"],
    ["2027", "report.period.future"],
    ["2024-01-01..2026-01-01", "report.period.too_long"],
    ["400 hari", "report.period.too_long"],
  ];
  it.each(errors)("%j -> %s", (input, error) => {
    expect(parsePeriod(input, NOW, TZ)).toEqual({ ok: false, error });
  });

  it("lastWeek is the whole Monday-Sunday week before this one", () => {
    const p = lastWeek(new Date("2026-11-30T01:00:00Z"), TZ); // Monday 30 Nov 09:00 WITA
    expect([p.fromDate, p.toDate]).toEqual(["2026-11-23", "2026-11-29"]);
    // Sunday night 23:30 WITA still belongs to the week of 23 Nov.
    const q = lastWeek(new Date("2026-11-29T15:30:00Z"), TZ);
    expect([q.fromDate, q.toDate]).toEqual(["2026-11-16", "2026-11-22"]);
  });

  it("labels", () => {
    expect(periodLabel("2026-01-01", "2026-12-31")).toBe("2026");
    expect(periodLabel("2026-11-01", "2026-11-30", "en")).toBe("November 2026");
  });
});
