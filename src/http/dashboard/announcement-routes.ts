/**
 * /staff/announcements (registered inside adminRoutes: admins and the head see them; only an admin
 * writes, confirms, changes the quota or records attendance). Every rule on an announcement (an
 * empty audience, a closing date in the past, a quota below the RSVPs taken) is the domain's
 * (src/domain/announcements): its refusal is shown on the page with its reason, as in chat.
 *
 *   GET  /announcements                      the list
 *   GET  /announcements/new                  the compose form
 *   POST /announcements                      multipart: stores the file, writes the draft -> the check page
 *   GET  /announcements/:id                  a draft: the check page (count per channel, confirm); else the progress
 *   POST /announcements/:id/confirm          sends it -> the progress page
 *   POST /announcements/:id/quota            a new quota (RSVP)
 *   GET  /announcements/:id/attendance       who answered and who came
 *   POST /announcements/:id/attendance       one person came / did not come (audited)
 *   GET  /announcements/:id/attendance.xlsx  the same list as a spreadsheet
 */
import { knownKecamatanCodes } from "../../domain/reports/labels.js";
import { channelDisplayName } from "../../domain/reach.js";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { attendanceList, confirmAndSend, createDraft, getAnnouncement, listAnnouncements, progress, recordAttendance, updateQuota } from "../../domain/announcements/announcements.js";
import { countAudience, filterFromColumn, type AudienceFilter } from "../../domain/announcements/audience.js";
import { WorkflowError } from "../../domain/workflow/errors.js";
import { intlLocale } from "../../i18n/index.js";
import { addDays, zonedTime } from "../../shared/time.js";
import { cleanFileName, sniffType } from "../../shared/upload-types.js";
import {
  announcementsPage,
  attendancePage,
  attendedLabel,
  composePage,
  EMPTY_COMPOSE,
  previewPage,
  progressPage,
  rsvpLabel,
  type AnnouncementSummary,
  type AudienceChoices,
  type ComposeValues,
} from "./announcement-pages.js";
import { DEFAULT_MAX_UPLOAD_BYTES, download, sendHtml, type DashboardArea } from "./area.js";
import { knownAreas } from "./data.js";
import type { Table } from "./exports.js";
import { errorPage, type Ctx } from "./pages.js";
import { ZAnnouncementForm, ZAttendanceForm, ZIdParams, ZQuotaForm, ZStopForm, type TAnnouncementForm } from "./schemas.js";
import { signedIn } from "./signed-in-staff.js";

/** "stopped": cancelled after it was confirmed (some got it); "cancelled": a draft dropped. */
const shownStatus = (a: { status: string; confirmedAt: Date | null }): string => (a.status === "cancelled" && a.confirmedAt ? "stopped" : a.status);

type Announcement = NonNullable<Awaited<ReturnType<typeof getAnnouncement>>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/;

export const announcementRoutes: FastifyPluginAsyncZod<{ area: DashboardArea }> = async (app, { area }) => {
  const { db, deps } = area;
  const maxBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const maxMb = (ctx: Ctx) => new Intl.NumberFormat(intlLocale(ctx.t.lang), { maximumFractionDigits: 1 }).format(maxBytes / (1024 * 1024));

  const choices = async (ctx: Ctx): Promise<AudienceChoices> => {
    const keys = Object.keys(ctx.t.texts.id);
    const sectors = keys.flatMap((k) => /^opt\.sector\.([a-z0-9_]+)$/.exec(k)?.[1] ?? []);
    // The office's regions file names them; without one, the kecamatan the labeler knows.
    const kecamatan = deps.regions ? [...deps.regions.kecamatan.map((k) => k.code), deps.regions.outside.code] : knownKecamatanCodes();
    const areas = await knownAreas(db, keys);
    return {
      sectors: sectors.map((s) => ({ value: s, label: ctx.L.sector(s) })),
      kecamatan: kecamatan.map((k) => ({ value: k, label: ctx.L.kecamatan(k) })),
      areas: areas.map((a) => ({ value: a, label: ctx.L.area(a) })),
    };
  };

  const summaryOf = (ctx: Ctx, a: Announcement): AnnouncementSummary => {
    const f = filterFromColumn(a.filterJson);
    const lines: string[] = [];
    const t = ctx.t;
    if (f.sectors?.length) lines.push(`${t.t("dash.announce.f_sectors")}: ${f.sectors.map((s) => ctx.L.sector(s)).join(", ")}`);
    if (f.kecamatan?.length) lines.push(`${t.t("dash.announce.f_kecamatan")}: ${f.kecamatan.map((k) => ctx.L.kecamatan(k)).join(", ")}`);
    if (f.areas?.length) lines.push(`${t.t("dash.announce.f_areas")}: ${f.areas.map((x) => ctx.L.area(x)).join(", ")}`);
    if (f.caseStatus?.length) lines.push(`${t.t("dash.announce.f_case_status")}: ${f.caseStatus.map((s) => t.t(`dash.announce.case_status.${s}`)).join(", ")}`);
    const day = (d: Date) => new Intl.DateTimeFormat(intlLocale(t.lang), { day: "numeric", month: "long", year: "numeric", timeZone: deps.tz }).format(d);
    if (f.registeredFrom) lines.push(`${t.t("dash.announce.f_registered_from")}: ${day(f.registeredFrom)}`);
    if (f.registeredTo) lines.push(`${t.t("dash.announce.f_registered_to")}: ${day(f.registeredTo)}`);
    return {
      id: a.id,
      title: a.title,
      text: a.text,
      status: shownStatus(a),
      attachmentName: a.attachmentName,
      eventAt: a.eventAt,
      rsvp: a.rsvpQuota !== null && a.rsvpClosesAt ? { quota: a.rsvpQuota, closesAt: a.rsvpClosesAt } : null,
      audienceLines: lines,
    };
  };

  const refusal = (ctx: Ctx, e: WorkflowError) => ctx.t.t("dash.announce.refused", { reason: ctx.t.t(e.textKey, e.params) });

  /** Only an admin writes; the head reads. */
  const adminOnly = (ctx: Ctx, reply: FastifyReply): boolean => {
    if (ctx.viewer.role === "admin") return true;
    void sendHtml(reply, errorPage(ctx.t, ctx, 403), 403);
    return false;
  };

  const showPreview = async (ctx: Ctx, a: Announcement, reply: FastifyReply, error?: string, code = 200) =>
    sendHtml(reply, previewPage(ctx, summaryOf(ctx, a), await countAudience(db, filterFromColumn(a.filterJson)), error), code);
  const showProgress = async (ctx: Ctx, a: Announcement, reply: FastifyReply, notice?: string, code = 200) =>
    sendHtml(reply, progressPage(ctx, summaryOf(ctx, a), await progress(db, a.id), notice), code);
  const notFound = (ctx: Ctx, reply: FastifyReply) => sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);

  app.get("/announcements", async (req, reply) => {
    const { ctx } = signedIn(req);
    const list = await listAnnouncements(db, { take: 100 });
    const rows = await Promise.all(
      list.map(async (a) => ({
        id: a.id,
        title: a.title,
        status: shownStatus(a),
        createdAt: a.createdAt,
        recipients: a._count.recipients,
        sent: a.status === "draft" ? 0 : (await progress(db, a.id)).sent,
      })),
    );
    return sendHtml(reply, announcementsPage(ctx, rows));
  });

  app.get("/announcements/new", async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!adminOnly(ctx, reply)) return reply;
    return sendHtml(reply, composePage(ctx, EMPTY_COMPOSE, await choices(ctx), maxMb(ctx)));
  });

  app.post("/announcements", { schema: { body: ZAnnouncementForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!adminOnly(ctx, reply)) return reply;
    const b = req.body;
    const typed: ComposeValues = {
      title: b.title.slice(0, 200),
      text: b.text.slice(0, 5000),
      eventAt: b.eventAt,
      rsvp: b.rsvp === "1",
      quota: b.quota,
      closesAt: b.closesAt,
      sectors: b.sectors,
      kecamatan: b.kecamatan,
      areas: b.areas,
      caseStatus: b.caseStatus,
      registeredFrom: b.registeredFrom,
      registeredTo: b.registeredTo,
    };
    const again = async (error: string) => sendHtml(reply, composePage(ctx, typed, await choices(ctx), maxMb(ctx), error), 400);

    const read = readForm(b, deps.tz);
    if (!read.ok) return again(ctx.t.t(read.key, { mb: maxMb(ctx) }));
    const file = b.attachment && (b.attachment.bytes.length > 0 || b.attachment.truncated) ? b.attachment : undefined;
    let attachment: { storageKey: string; mimeType: string; fileName: string } | null = null;
    if (file) {
      if (file.truncated || file.bytes.length > maxBytes) return again(ctx.t.t("dash.announce.error_file_size", { mb: maxMb(ctx) }));
      const type = sniffType(file.bytes);
      if (!type) return again(ctx.t.t("dash.announce.error_file_type"));
      const stored = await deps.files.put(file.bytes, "documents");
      attachment = { storageKey: stored.storageKey, mimeType: type, fileName: cleanFileName(file.fileName, type) };
    }
    try {
      const { id } = await createDraft(db, { staffId: ctx.viewer.id, title: read.title, text: read.text, attachment, rsvp: read.rsvp, eventAt: read.eventAt, filter: read.filter, now: area.now() });
      return reply.redirect(`/staff/announcements/${id}`, 303);
    } catch (e) {
      // A refused draft keeps no file: nothing points to it.
      if (attachment) await deps.files.remove(attachment.storageKey);
      if (e instanceof WorkflowError) return again(refusal(ctx, e));
      throw e;
    }
  });

  app.get("/announcements/:id", { schema: { params: ZIdParams } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const a = await getAnnouncement(db, req.params.id);
    if (!a) return notFound(ctx, reply);
    return a.status === "draft" ? showPreview(ctx, a, reply) : showProgress(ctx, a, reply);
  });

  app.post("/announcements/:id/confirm", { schema: { params: ZIdParams } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!adminOnly(ctx, reply)) return reply;
    const a = await getAnnouncement(db, req.params.id);
    if (!a) return notFound(ctx, reply);
    try {
      await confirmAndSend(db, a.id, ctx.viewer.id, area.now(), { tz: deps.tz });
    } catch (e) {
      if (!(e instanceof WorkflowError)) throw e;
      const now = await getAnnouncement(db, a.id);
      return now && now.status === "draft" ? showPreview(ctx, now, reply, refusal(ctx, e), 409) : showProgress(ctx, now ?? a, reply, refusal(ctx, e), 409);
    }
    // The sweep picks the reminders up; the sender wakes on its own schedule (or at once, in the service).
    await deps.announcementsQueued?.();
    return reply.redirect(`/staff/announcements/${a.id}`, 303);
  });

  app.post("/announcements/:id/quota", { schema: { params: ZIdParams, body: ZQuotaForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!adminOnly(ctx, reply)) return reply;
    const a = await getAnnouncement(db, req.params.id);
    if (!a) return notFound(ctx, reply);
    try {
      await updateQuota(db, a.id, req.body.quota, ctx.viewer.id, area.now());
    } catch (e) {
      if (!(e instanceof WorkflowError)) throw e;
      return showProgress(ctx, a, reply, refusal(ctx, e), 409);
    }
    await deps.announcementsQueued?.();
    return showProgress(ctx, (await getAnnouncement(db, a.id)) ?? a, reply, ctx.t.t("dash.announce.quota_saved"));
  });

  app.post("/announcements/:id/stop", { schema: { params: ZIdParams, body: ZStopForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!adminOnly(ctx, reply)) return reply;
    const a = await getAnnouncement(db, req.params.id);
    if (!a) return notFound(ctx, reply);
    if (!deps.announcements) return showProgress(ctx, a, reply, ctx.t.t("ann.err.not_sending"), 409);
    const r = await deps.announcements.stop(ctx.viewer.id, a.id);
    const now = (await getAnnouncement(db, a.id)) ?? a;
    if (!r.ok) return showProgress(ctx, now, reply, ctx.t.t(r.key, r.params), 409);
    return showProgress(ctx, now, reply, ctx.t.t("ann.stopped", { title: a.title, n: r.notSent }));
  });

  const attendanceRows = async (id: string) => attendanceList(db, id);

  app.get("/announcements/:id/attendance", { schema: { params: ZIdParams } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const a = await getAnnouncement(db, req.params.id);
    if (!a) return notFound(ctx, reply);
    return sendHtml(reply, attendancePage(ctx, summaryOf(ctx, a), (await attendanceRows(a.id)).map(row)));
  });

  app.post("/announcements/:id/attendance", { schema: { params: ZIdParams, body: ZAttendanceForm } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    if (!adminOnly(ctx, reply)) return reply;
    const a = await getAnnouncement(db, req.params.id);
    if (!a) return notFound(ctx, reply);
    let notice: string;
    let code = 200;
    try {
      await recordAttendance(db, a.id, req.body.personId, req.body.attended === "1", ctx.viewer.id, area.now());
      const who = (await attendanceRows(a.id)).find((r) => r.personId === req.body.personId);
      notice = ctx.t.t("dash.announce.attendance_saved", { name: who?.name ?? "" });
    } catch (e) {
      if (!(e instanceof WorkflowError)) throw e;
      notice = refusal(ctx, e);
      code = 409;
    }
    return sendHtml(reply, attendancePage(ctx, summaryOf(ctx, a), (await attendanceRows(a.id)).map(row), notice), code);
  });

  app.get("/announcements/:id/attendance.xlsx", { schema: { params: ZIdParams } }, async (req, reply) => {
    const { ctx } = signedIn(req);
    const a = await getAnnouncement(db, req.params.id);
    if (!a) return notFound(ctx, reply);
    return download(area, reply, attendanceTable(ctx, a.title, (await attendanceRows(a.id)).map(row)), "xlsx");
  });
};

function row(r: Awaited<ReturnType<typeof attendanceList>>[number]) {
  return { personId: r.personId, name: r.name, channel: r.channel ?? "-", rsvp: r.rsvp, attended: r.attended };
}

/** The attendance list as a table (the XLSX download): names, never codes. */
export function attendanceTable(ctx: Pick<Ctx, "t">, title: string, rows: ReturnType<typeof row>[]): Table {
  const { t } = ctx;
  return {
    name: `${t.t("dash.announce.export_name")} ${title}`.slice(0, 80),
    columns: [
      { key: "no", header: "No", width: 6 },
      { key: "name", header: t.t("dash.announce.col_name") },
      { key: "channel", header: t.t("dash.announce.channel") },
      { key: "rsvp", header: t.t("dash.announce.col_rsvp") },
      { key: "attended", header: t.t("dash.announce.col_attended") },
    ],
    rows: rows.map((r, i) => ({ no: i + 1, name: r.name, channel: channelDisplayName(r.channel), rsvp: rsvpLabel(ctx, r.rsvp), attended: attendedLabel(ctx, r.attended) })),
  };
}

type ReadForm =
  | {
      ok: true;
      title: string;
      text: string;
      eventAt: Date | null;
      rsvp: { quota: number; closesAt: Date } | null;
      filter: AudienceFilter;
    }
  | { ok: false; key: string };

/** The form's own rules (lengths, dates that parse, an RSVP with its quota and date); the office's rules are the domain's. */
function readForm(b: TAnnouncementForm, tz: string): ReadForm {
  const title = b.title.trim().replace(/\s+/g, " ");
  const text = b.text.trim();
  if (title.length < 3 || title.length > 120) return { ok: false, key: "dash.announce.error_title" };
  if (text.length < 1 || text.length > 3000) return { ok: false, key: "dash.announce.error_text" };
  const at = (v: string): Date | null | "bad" => {
    if (v.trim() === "") return null;
    const m = DAY_TIME.exec(v.trim());
    return m ? zonedTime(m[1]!, m[2]!, tz) : "bad";
  };
  const day = (v: string): string | null | "bad" => (v.trim() === "" ? null : DAY.test(v.trim()) ? v.trim() : "bad");
  const eventAt = at(b.eventAt);
  const closesAt = at(b.closesAt);
  const from = day(b.registeredFrom);
  const to = day(b.registeredTo);
  if (eventAt === "bad" || closesAt === "bad" || from === "bad" || to === "bad") return { ok: false, key: "dash.announce.error_date" };
  let rsvp: { quota: number; closesAt: Date } | null = null;
  if (b.rsvp === "1") {
    const quota = Number(b.quota);
    if (!Number.isInteger(quota) || quota < 1 || quota > 100_000 || !closesAt) return { ok: false, key: "dash.announce.error_rsvp" };
    rsvp = { quota, closesAt };
  }
  if (from && to && from > to) return { ok: false, key: "dash.announce.error_dates" };
  const filter: AudienceFilter = {
    ...(b.sectors.length ? { sectors: b.sectors } : {}),
    ...(b.kecamatan.length ? { kecamatan: b.kecamatan } : {}),
    ...(b.areas.length ? { areas: b.areas } : {}),
    ...(b.caseStatus.length ? { caseStatus: b.caseStatus } : {}),
    // Whole days in the office's time zone: from the start of the first to the end of the last.
    ...(from ? { registeredFrom: zonedTime(from, "00:00", tz) } : {}),
    ...(to ? { registeredTo: new Date(zonedTime(addDays(to, 1), "00:00", tz).getTime() - 1) } : {}),
  };
  return { ok: true, title, text, eventAt, rsvp, filter };
}
