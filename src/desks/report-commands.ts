/**
 * The staff's report commands in chat: laporan, kasus, cari, konsultan, sla, and the dashboard
 * sign-in link. SOP step 11: an admin's report goes to the head of UPT too, and the cases it covers
 * complete their last step.
 */
import { text } from "../messaging/text.js";
import type { Regions } from "../flows/questions/region.js";
import type { FileStore } from "../storage/file-store.js";
import type { Db, Tx } from "../db/client.js";
import {
  computeOfficeReport, consultantLoad, findConsultants, lateNow, listCases, markCasesReportedIn, parseCaseFilterArgs, parsePeriod,
  renderCaseList, renderConsultantLoad, renderLateList, renderPeriodError, renderReportMessage, renderSearch, reportAttachments, searchClients,
} from "../domain/reports/index.js";
import type { OfficeCalendar } from "../domain/calendar/office-calendar.js";
import { identitiesOfRole, type StaffMember } from "../domain/staff/directory.js";
import type { DeskTurn } from "./desk.js";
import type { StaffCommand } from "./staff-desk.js";

export interface ReportCommandDeps {
  regions: () => Regions | undefined;
  files: FileStore;
  key: Buffer;
  tz: string;
  /** A one-time sign-in link to the dashboard (the dashboard's own, given by the composition root). */
  loginLink(tx: Tx, staffId: string, now: Date): Promise<string>;
  calendar?: OfficeCalendar;
}

export function reportCommands(d: ReportCommandDeps): StaffCommand[] {
  const tr = (turn: DeskTurn) => turn.translator();
  const db = (turn: DeskTurn) => turn.tx as unknown as Db;
  return [
    {
      names: ["laporan", "report"],
      roles: ["admin", "head"],
      async run(turn, staff, args) {
        const t = tr(turn);
        const p = parsePeriod(args.trim() || "bulan ini", turn.now, d.tz, turn.lang);
        if (!p.ok) {
          turn.reply(text(renderPeriodError(p.error, t)));
          return;
        }
        const report = await computeOfficeReport(db(turn), p.period, d.tz, { t, regions: d.regions(), generatedAt: turn.now });
        const message = text(renderReportMessage(report, t));
        const files = await reportAttachments(report, d.files, { lang: turn.lang, tz: d.tz });
        const attachments = files.map((f) => ({ type: "document" as const, fileName: f.fileName, mimeType: f.mimeType, storageKey: f.storageKey }));
        turn.reply(message);
        for (const a of attachments) turn.reply(a);
        if (staff.role === "admin") {
          // Administrasi Layanan reports to the Kepala UPT (SOP step 11).
          // The report itself was computed once, in the language of the admin who asked for it.
          for (const head of await identitiesOfRole(turn.tx, "head")) {
            await turn.tellWith(head, (ht) => [text(`${ht.t("staff.report_from_admin", { name: staff.name })}\n\n${message.type === "text" ? message.text : ""}`), ...attachments]);
          }
          const upTo = p.period.to < turn.now ? p.period.to : turn.now;
          const reported = await markCasesReportedIn(turn.tx, { upTo, now: turn.now, staffId: staff.id });
          if (reported.length > 0) turn.reply(text(turn.t("staff.report_marked", { count: reported.length })));
        }
        turn.audit({ action: "report.generate", entity: "Report", detail: { from: p.period.fromDate, to: p.period.toDate } });
      },
    },
    {
      names: ["kasus", "cases"],
      roles: ["admin", "head"],
      async run(turn, _staff, args) {
        const filter = parseCaseFilterArgs(args);
        if (filter.consultantQuery) {
          const [c] = await findConsultants(db(turn), filter.consultantQuery);
          if (c) filter.consultantId = c.id;
        }
        const result = await listCases(db(turn), filter, { lookupKey: d.key });
        turn.reply(text(renderCaseList(result, tr(turn), { tz: d.tz, regions: d.regions() })));
      },
    },
    {
      names: ["cari", "search"],
      roles: ["admin", "head"],
      async run(turn, _staff: StaffMember, args) {
        const result = await searchClients(db(turn), d.key, args);
        turn.audit({ action: "client.search", entity: "Client", detail: { kind: /\d{16}/.test(args.replace(/\D/g, "")) ? "nik" : "text" } });
        turn.reply(text(renderSearch(result, tr(turn), { tz: d.tz, regions: d.regions(), query: args })));
      },
    },
    {
      names: ["konsultan", "consultants"],
      roles: ["admin", "head"],
      async run(turn) {
        const load = await consultantLoad(db(turn), turn.now, { tz: d.tz, ...(d.calendar ? { calendar: d.calendar } : {}) });
        turn.reply(text(renderConsultantLoad(load, tr(turn))));
      },
    },
    {
      names: ["sla", "terlambat"],
      roles: ["admin", "head"],
      async run(turn) {
        const rows = await lateNow(db(turn), turn.now, d.calendar ? { calendar: d.calendar } : {});
        turn.reply(text(renderLateList(rows, tr(turn))));
      },
    },
    {
      names: ["dashboard", "dasbor"],
      roles: ["admin", "head", "consultant"],
      async run(turn, staff) {
        const url = await d.loginLink(turn.tx, staff.id, turn.now);
        turn.audit({ action: "staff.login_link", entity: "Staff", entityId: staff.id });
        turn.reply(text(turn.t("staff.dashboard_link", { url })));
      },
    },
  ];
}
