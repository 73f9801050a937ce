/**
 * Monday morning: last week's summary to each head of UPT, with the full report attached, written to
 * the outbox once per head and week (the cause key). The closed cases it covers complete SOP step 11.
 */
import type { OfficeCalendar } from "../domain/calendar/office-calendar.js";
import type { Db } from "../db/client.js";
import type { Inbox } from "../conversation/inbox.js";
import { text } from "../messaging/text.js";
import { toLang, Translator, type Texts } from "../i18n/index.js";
import type { Regions } from "../flows/questions/region.js";
import type { FileStore } from "../storage/file-store.js";
import { markCasesReported, reportAttachments, weeklySummary } from "../domain/reports/index.js";
import type { ChannelName } from "../messaging/model.js";

export interface WeeklySummaryDeps {
  db: Db;
  inbox: Inbox;
  files: FileStore;
  tz: string;
  texts: () => Texts;
  regions: () => Regions | undefined;
  /** Working time for the median time to answer complaints. */
  calendar?: OfficeCalendar;
}

export async function sendWeeklySummaries(d: WeeklySummaryDeps, now: Date): Promise<number> {
  const heads = await d.db.staff.findMany({ where: { role: "head", active: true }, include: { identities: { orderBy: { updatedAt: "desc" }, take: 1 } } });
  let sent = 0;
  for (const head of heads) {
    const identity = head.identities[0];
    if (!identity) continue;
    const t = new Translator(d.texts(), toLang(identity.language));
    const { report, text: summary } = await weeklySummary(d.db, now, d.tz, t, { ...(d.regions() ? { regions: d.regions()! } : {}), ...(d.calendar ? { calendar: d.calendar } : {}), generatedAt: now });
    const files = await reportAttachments(report, d.files, { lang: t.lang, tz: d.tz });
    await d.inbox.inTurn({ channel: identity.channel as ChannelName, id: identity.address }, `weekly:${head.id}:${new Date(report.period.from).toISOString()}`, async (turn) => {
      // Sent by the office on its own: outside WhatsApp's window it goes as the weekly_summary template.
      const kind = { kind: "weekly_summary" as const, params: { name: head.name, period: report.period.label } };
      turn.reply({ ...text(summary), ...kind });
      for (const f of files) turn.reply({ type: "document", fileName: f.fileName, mimeType: f.mimeType, storageKey: f.storageKey, ...kind });
    }, { lane: "bulk" });
    await markCasesReported(d.db, { upTo: new Date(report.period.to), now, staffId: null });
    sent++;
  }
  return sent;
}
