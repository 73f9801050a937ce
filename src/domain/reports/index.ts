/** Reports and staff look-ups: what /laporan, /kasus, /cari, /konsultan, /sla and the dashboard use. */
export * from "./period.js";
export * from "./stats.js";
export * from "./labels.js";
export * from "./office-report.js";
export * from "./queries.js";
export * from "./chat.js";
export * from "./attachments.js";
