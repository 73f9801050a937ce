/**
 * laporan <periode>: the office report with its XLSX and PDF. SOP step 11: an admin's report goes to
 * the head of UPT too, and the cases it covers complete their last step.
 */
import { text } from "../../../messaging/text.js";
import { computeOfficeReport, markCasesReportedIn, parsePeriod, renderPeriodError, renderReportMessage, reportAttachments } from "../../../domain/reports/index.js";
import { identitiesOfRole } from "../../../domain/staff/directory.js";
import { defineCommand } from "../command.js";
import { dbOf, translatorFor } from "./report-support.js";

export default defineCommand({
  name: "laporan",
  aliases: ["report"],
  roles: ["admin", "head"],
  help: "staff.help.laporan",
  menu: "cmdmenu.laporan",
  async run({ turn, staff, args, deps }) {
    const d = deps.reports;
    const t = translatorFor(turn, d);
    const p = parsePeriod(args.trim() || "bulan ini", turn.now, d.tz, turn.lang);
    if (!p.ok) {
      turn.reply(text(renderPeriodError(p.error, t)));
      return;
    }
    const report = await computeOfficeReport(dbOf(turn), p.period, d.tz, { t, regions: d.regions(), generatedAt: turn.now, ...(d.calendar ? { calendar: d.calendar } : {}) });
    const message = text(renderReportMessage(report, t));
    const files = await reportAttachments(report, d.files, { lang: turn.lang, tz: d.tz });
    const attachments = files.map((f) => ({ type: "document" as const, fileName: f.fileName, mimeType: f.mimeType, storageKey: f.storageKey }));
    turn.reply(message);
    for (const a of attachments) turn.reply(a);
    // SOP step 11 ends when the head of UPT has the report: sent to a head's chat by an admin, or
    // read by the head here. With no head account yet nothing is claimed: the report is kept.
    const upTo = p.period.to < turn.now ? p.period.to : turn.now;
    if (staff.role === "admin") {
      const heads = await identitiesOfRole(turn.tx, "head");
      for (const head of heads) {
        turn.send(head, text(`${turn.t("staff.report_from_admin", { name: staff.name })}\n\n${message.type === "text" ? message.text : ""}`));
        for (const a of attachments) turn.send(head, a);
      }
      if (heads.length === 0) {
        turn.reply(text(turn.t("staff.report_kept_for_head")));
      } else {
        const reported = await markCasesReportedIn(turn.tx, { upTo, now: turn.now, staffId: staff.id });
        if (reported.length > 0) turn.reply(text(turn.t("staff.report_marked", { count: reported.length })));
      }
    } else if (staff.role === "head") {
      await markCasesReportedIn(turn.tx, { upTo, now: turn.now, staffId: staff.id });
    }
    turn.audit({ action: "report.generate", entity: "Report", detail: { from: p.period.fromDate, to: p.period.toDate } });
  },
});
