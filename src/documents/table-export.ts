/**
 * Tables to CSV and XLSX, for the dashboard's "download" buttons and the office report.
 *
 * CSV: RFC 4180 (fields quoted when needed, quotes doubled, CRLF line ends) with a UTF-8 byte-order
 * mark so Excel reads Indonesian text and names correctly. Dates are written as local office time
 * ("2026-11-28 14:05", WITA). Text that a spreadsheet would run as a formula (starting with
 * = + - @, or a tab or carriage return) is prefixed with ' (CSV/formula injection, OWASP).
 *
 * XLSX: one sheet per table, bold frozen header row with a filter, column widths, number formats.
 */
import type ExcelJS from "exceljs";
import { OFFICE_TIME_ZONE, localIsoMinute, wallClockAsUtc } from "../i18n/dates.js";
import { sanitizeXmlText } from "./text.js";

export interface TableColumn {
  key: string;
  header: string;
}

export interface CsvOptions {
  /** Zone for dates. Default "Asia/Makassar" (WITA). */
  timeZone?: string;
  /**
   * Field separator, default ",". Excel with Indonesian regional settings expects ";" when a file is
   * opened by double-click; pass ";" for such users.
   */
  delimiter?: "," | ";" | "\t";
  /** Prepend the UTF-8 byte-order mark (default true). */
  bom?: boolean;
}

const BOM = "\uFEFF";
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text of one value as it goes into a CSV cell (before quoting). */
export function csvCellText(value: unknown, timeZone: string = OFFICE_TIME_ZONE): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : localIsoMinute(value, timeZone);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  const text = textOf(value, timeZone);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function textOf(value: unknown, timeZone: string): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => csvCellText(v, timeZone).replace(/^'/, "")).join("; ");
  if (typeof value === "object") {
    try {
      return JSON.stringify(value) ?? "";
    } catch {
      return "";
    }
  }
  return String(value);
}

function quoteCsv(text: string, delimiter: string): string {
  const needsQuotes = text.includes('"') || text.includes(delimiter) || text.includes("\n") || text.includes("\r");
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: TableColumn[], rows: Record<string, unknown>[], opts: CsvOptions = {}): string {
  const timeZone = opts.timeZone ?? OFFICE_TIME_ZONE;
  const delimiter = opts.delimiter ?? ",";
  const line = (cells: string[]) => cells.map((c) => quoteCsv(c, delimiter)).join(delimiter);
  const out = [line(columns.map((c) => csvCellText(c.header, timeZone)))];
  for (const row of rows) out.push(line(columns.map((c) => csvCellText(row[c.key], timeZone))));
  return (opts.bom ?? true ? BOM : "") + out.map((l) => `${l}\r\n`).join("");
}

export interface XlsxColumn extends TableColumn {
  /** Width in characters; default from the content (8 to 60). */
  width?: number;
  /** Excel number format, e.g. "0.0%", "#,##0", "yyyy-mm-dd hh:mm". Dates default to "yyyy-mm-dd hh:mm". */
  numFmt?: string;
}

export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  rows: Record<string, unknown>[];
}

export interface XlsxOptions {
  timeZone?: string;
  creator?: string;
  /** Workbook creation time (document properties); default now. */
  created?: Date;
}

const DATE_FORMAT = "yyyy-mm-dd hh:mm";

/** Excel sheet names: at most 31 characters, none of \ / ? * [ ] :, not empty, unique. */
export function safeSheetName(name: string, taken: Set<string>): string {
  let base = sanitizeXmlText(name)
    .replace(/[\\/?*[\]:]/g, "-")
    .replace(/^'+|'+$/g, "")
    .trim()
    .slice(0, 31);
  if (base === "") base = "Sheet";
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    candidate = base.slice(0, 31 - suffix.length) + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** A value as exceljs should store it: numbers stay numbers, dates show office time. */
export function xlsxCellValue(value: unknown, timeZone: string): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : wallClockAsUtc(value, timeZone);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return sanitizeXmlText(value);
  return sanitizeXmlText(textOf(value, timeZone));
}

function displayLength(v: ExcelJS.CellValue, numFmt: string | undefined): number {
  if (v === null || v === undefined) return 0;
  if (v instanceof Date) return (numFmt ?? DATE_FORMAT).length;
  if (typeof v === "number") return Math.min(String(Math.round(v * 100) / 100).length + 2, 18);
  return Math.max(...String(v).split("\n").map((l) => l.length));
}

/** Add one formatted sheet to a workbook. Used by `toXlsx` and the office report. */
export function addSheet(wb: ExcelJS.Workbook, sheet: XlsxSheet, taken: Set<string>, timeZone: string): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(safeSheetName(sheet.name, taken), {
    views: [{ state: "frozen", ySplit: 1, xSplit: 0 }],
  });
  const values = sheet.rows.map((row) => sheet.columns.map((c) => xlsxCellValue(row[c.key], timeZone)));
  ws.columns = sheet.columns.map((c, i) => {
    const longest = Math.max(c.header.length, ...values.map((r) => displayLength(r[i] ?? null, c.numFmt)));
    return {
      key: c.key,
      header: sanitizeXmlText(c.header),
      width: c.width ?? Math.min(Math.max(longest + 2, 8), 60),
    };
  });
  for (const row of values) ws.addRow(row);
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: "middle", wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE4E4E4" } };
    cell.border = { bottom: { style: "thin", color: { argb: "FF7A7A7A" } } };
  });
  sheet.columns.forEach((c, i) => {
    values.forEach((row, r) => {
      const v = row[i];
      const fmt = v instanceof Date ? (c.numFmt ?? DATE_FORMAT) : typeof v === "number" ? c.numFmt : undefined;
      if (fmt) ws.getRow(r + 2).getCell(i + 1).numFmt = fmt;
    });
  });
  if (sheet.columns.length > 0) {
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  }
  return ws;
}

export async function workbookToBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

/**
 * exceljs (~25 MB resident with its zip and XML code) loads with the first spreadsheet a process
 * makes, not at start-up: downloads are rare next to chat turns.
 */
let exceljs: Promise<{ default: typeof ExcelJS }> | undefined;

export async function newWorkbook(opts: XlsxOptions = {}): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await (exceljs ??= import("exceljs"));
  const wb = new Excel.Workbook();
  wb.creator = opts.creator ?? "PLUT-KUMKM Gianyar";
  const created = opts.created ?? new Date();
  wb.created = created;
  wb.modified = created;
  return wb;
}

export async function toXlsx(sheets: XlsxSheet[], opts: XlsxOptions = {}): Promise<Buffer> {
  const timeZone = opts.timeZone ?? OFFICE_TIME_ZONE;
  const wb = await newWorkbook(opts);
  const taken = new Set<string>();
  for (const sheet of sheets) addSheet(wb, sheet, taken, timeZone);
  if (sheets.length === 0) addSheet(wb, { name: "Sheet1", columns: [], rows: [] }, taken, timeZone);
  return workbookToBuffer(wb);
}

/**
 * toCsv for rows that arrive over time (an export of a long period read page by page): the same
 * cells and quoting, yielded in chunks of lines, so the whole file never sits in memory.
 */
export async function* csvChunks(columns: TableColumn[], rows: AsyncIterable<Record<string, unknown>>, opts: CsvOptions = {}): AsyncGenerator<string> {
  const timeZone = opts.timeZone ?? OFFICE_TIME_ZONE;
  const delimiter = opts.delimiter ?? ",";
  const line = (cells: string[]) => `${cells.map((c) => quoteCsv(c, delimiter)).join(delimiter)}\r\n`;
  let chunk = (opts.bom ?? true ? BOM : "") + line(columns.map((c) => csvCellText(c.header, timeZone)));
  for await (const row of rows) {
    chunk += line(columns.map((c) => csvCellText(row[c.key], timeZone)));
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}
