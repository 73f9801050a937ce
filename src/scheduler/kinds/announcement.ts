/**
 * Announcements (src/domain/announcements) are sent by the reminder sweep, like every message the
 * office sends on its own: quiet hours, the outbox's bulk lane and the channels' pacing are theirs.
 *
 * - announcement: one row per recipient, written when the admin confirms. The person's
 *   announcements switch ("berhenti info") stops it, not their reminders switch. The file (image or
 *   PDF) goes first, then the text with "Ikut" / "Tidak bisa" when it takes sign-ups.
 * - announcement_promoted: a place came free and the first on the waiting list has it now.
 * - announcement_event: the day before the event at 09:00, to everyone signed up ("clients": one
 *   row for the announcement; each person's reminders switch applies).
 */
import { z } from "zod";
import type { Translator } from "../../i18n/index.js";
import { formatFullDateTime, toLang } from "../../i18n/index.js";
import type { Choice, Outbound } from "../../messaging/model.js";
import { encodeButton } from "../../domain/buttons.js";
import { ANNOUNCEMENT_EVENT_KIND, ANNOUNCEMENT_PROMOTED_KIND, ANNOUNCEMENT_REMINDER_KIND, pickChannel } from "../../domain/announcements/index.js";
import { reminderOutboxKey } from "../../messaging/outbox-keys.js";
import { clientName } from "./common.js";
import { reminderPayload, type ReminderKind, type RenderedMessage } from "./types.js";

const ZNoPayload = reminderPayload({});
type TNoPayload = z.infer<typeof ZNoPayload>;

export function rsvpChoices(announcementId: string, t: Translator): Choice[] {
  return [
    { id: encodeButton({ kind: "rsvp", announcementId, answer: "yes" }), label: t.t("ann.btn.yes") },
    { id: encodeButton({ kind: "rsvp", announcementId, answer: "no" }), label: t.t("ann.btn.no") },
  ];
}

export function cancelChoice(announcementId: string, t: Translator): Choice[] {
  return [{ id: encodeButton({ kind: "rsvp", announcementId, answer: "cancel" }), label: t.t("ann.btn.cancel") }];
}

export const announcementKind: ReminderKind<TNoPayload> = {
  kind: ANNOUNCEMENT_REMINDER_KIND,
  audience: "client",
  optOut: "announcements",
  payload: ZNoPayload,
  async render(ctx) {
    const { tx, reminder, t, now } = ctx;
    const recipient = ctx.recipient!;
    if (!reminder.refId || !reminder.clientId) return ctx.skip("bad_payload");
    const a = await tx.announcement.findUnique({ where: { id: reminder.refId } });
    if (!a || a.status === "cancelled") return ctx.skip("cancelled");
    const row = await tx.announcementRecipient.findUnique({ where: { announcementId_clientId: { announcementId: a.id, clientId: reminder.clientId } }, select: { id: true } });
    if (!row) return ctx.skip("resolved");
    const lang = toLang(recipient.language);
    const params = { title: a.title };
    const out: RenderedMessage[] = [];
    if (a.attachmentKey && a.attachmentMime && a.attachmentName) {
      out.push({ identityId: recipient.id, message: { type: "document", kind: "announcement", params, fileName: a.attachmentName, mimeType: a.attachmentMime, storageKey: a.attachmentKey, caption: a.title } });
    }
    const parts = [t.t("ann.message", { title: a.title, text: a.text })];
    let choices: Choice[] | undefined;
    if (a.rsvpQuota !== null) {
      const open = !a.rsvpClosesAt || a.rsvpClosesAt.getTime() > now.getTime();
      if (open) {
        if (a.eventAt) parts.push(t.t("ann.message.event", { date: formatFullDateTime(a.eventAt, lang, ctx.calendar.tz) }));
        parts.push(t.t("ann.message.rsvp", { quota: a.rsvpQuota, closes: a.rsvpClosesAt ? formatFullDateTime(a.rsvpClosesAt, lang, ctx.calendar.tz) : "-" }));
        choices = rsvpChoices(a.id, t);
      } else parts.push(t.t("ann.message.rsvp_closed"));
    }
    parts.push(t.t("ann.message.optout"));
    const text: Outbound = { type: "text", kind: "announcement", params, text: parts.join("\n\n"), ...(choices ? { choices } : {}) };
    out.push({ identityId: recipient.id, message: text });
    // Where it went, for the progress the dashboard shows (the outbox row of the text).
    await tx.announcementRecipient.update({
      where: { id: row.id },
      data: { status: "queued", identityId: recipient.id, channel: recipient.channel, outboxKey: reminderOutboxKey(reminder.id, recipient.id, out.length) },
    });
    return out;
  },
};

export const announcementPromotedKind: ReminderKind<TNoPayload> = {
  kind: ANNOUNCEMENT_PROMOTED_KIND,
  audience: "client",
  payload: ZNoPayload,
  async render(ctx) {
    const { tx, reminder, t } = ctx;
    if (!reminder.refId || !reminder.clientId) return ctx.skip("bad_payload");
    const row = await tx.announcementRecipient.findUnique({
      where: { announcementId_clientId: { announcementId: reminder.refId, clientId: reminder.clientId } },
      select: { rsvp: true, announcement: { select: { id: true, title: true, eventAt: true, status: true } } },
    });
    // Gave the place back meanwhile: nothing to tell.
    if (!row || row.rsvp !== "yes" || row.announcement.status === "cancelled") return ctx.skip("resolved");
    const recipient = ctx.recipient!;
    const params = { name: await clientName(tx, reminder, recipient, t), title: row.announcement.title };
    return [{ identityId: recipient.id, message: { type: "text", kind: "announcement_promoted", params, text: t.t("ann.promoted", params), choices: cancelChoice(row.announcement.id, t) } }];
  },
};

export const announcementEventKind: ReminderKind<TNoPayload> = {
  kind: ANNOUNCEMENT_EVENT_KIND,
  audience: "clients",
  payload: ZNoPayload,
  async render(ctx) {
    const { tx, reminder } = ctx;
    if (!reminder.refId) return ctx.skip("bad_payload");
    const a = await tx.announcement.findUnique({ where: { id: reminder.refId }, select: { id: true, title: true, eventAt: true, status: true } });
    if (!a || !a.eventAt || a.status === "cancelled") return ctx.skip("cancelled");
    const going = await tx.announcementRecipient.findMany({
      where: { announcementId: a.id, rsvp: "yes" },
      orderBy: { rsvpAt: "asc" },
      select: {
        client: {
          select: {
            fullName: true, anonymisedAt: true, remindersOn: true,
            identities: { select: { id: true, channel: true, language: true, remindersOn: true, unreachableAt: true, createdAt: true, staffId: true } },
          },
        },
      },
    });
    const out: RenderedMessage[] = [];
    for (const g of going) {
      if (!g.client.remindersOn || g.client.anonymisedAt) continue;
      const to = pickChannel(g.client.identities);
      if (!to || !to.remindersOn) continue;
      const lang = toLang(to.language);
      const t = ctx.translator(lang);
      const params = { name: g.client.fullName.trim() || t.t("reminder.name_fallback"), title: a.title, date: formatFullDateTime(a.eventAt, lang, ctx.calendar.tz) };
      out.push({ identityId: to.id, message: { type: "text", kind: "announcement_event", params, text: t.t("ann.event_reminder", params) } });
    }
    return out.length > 0 ? out : ctx.skip("nobody_attending");
  },
};
