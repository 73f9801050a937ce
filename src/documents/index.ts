/** Document renderers: pure functions from plain data to bytes (PDF, XLSX, CSV). */
export { DEFAULT_OFFICE, ZOfficeInfo, type OfficeInfo } from "./office.js";
export {
  LABELS,
  contactKindLabel,
  labelsFor,
  type ContactKind,
  type DocumentLabels,
  type NoteKind,
  type PlanProgress,
  type SkmCategory,
} from "./labels.js";
export {
  OFFICE_TIME_ZONE,
  formatDateTime,
  formatLongDate,
  formatWeekday,
  localIsoMinute,
} from "../i18n/dates.js";
export { sanitizePdfText, sanitizeXmlText } from "./text.js";
export {
  ZFinalReportData,
  bapSentence,
  renderFinalReportPdf,
  type FinalReportData,
  type FinalReportInput,
} from "./final-report-pdf.js";
export { ZRenderOptions, type RenderOptions } from "./options.js";
export {
  ZControlCardData,
  ZControlCardEntry,
  renderControlCardPdf,
  type ControlCardData,
  type ControlCardEntry,
} from "./control-card-pdf.js";
export {
  ZOfficeReport,
  renderOfficeReportPdf,
  renderOfficeReportXlsx,
  type OfficeReport,
  type OfficeReportInput,
} from "./office-report.js";
export {
  csvChunks,
  toCsv,
  toXlsx,
  type CsvOptions,
  type TableColumn,
  type XlsxColumn,
  type XlsxOptions,
  type XlsxSheet,
} from "./table-export.js";
