/**
 * pengumuman: an admin writes an announcement in chat.
 *
 *   pengumuman                       the latest announcements and how far their sending is
 *   pengumuman <judul>               first line: the title; next lines: the text; optional lines
 *   <isi ...>                        "kuota: 30", "tutup: 20-03-2026 17:00", "acara: 21-03-2026 09:00",
 *   kuota: 30 ...                    "terdaftar: 01-01-2025 - 31-12-2025" (registration dates)
 *
 * The draft is written at once (refused with the reason: no audience, dates past); the audience is
 * then chosen with buttons (sector, kecamatan, area of the last case, case status), each tap
 * flipping one value; "Lihat jumlah" shows how many people on which channel, and only "Kirim"
 * sends. A photo or PDF sent while the draft is open is attached to it.
 *
 * hadir: staff record who came to an announced event: the people signed up, one button each; a tap
 * flips "came" (audited).
 */
import { text } from "../../../messaging/text.js";
import type { Choice } from "../../../messaging/model.js";
import type { DeskTurn as Turn } from "../../desk.js";
import { encodeButton, type Button } from "../../../domain/buttons.js";
import { WorkflowError } from "../../../domain/workflow/errors.js";
import type { StaffMember } from "../../../domain/staff/directory.js";
import {
  attendanceList, cancelDraft, confirmAndSend, stopSending, countAudience, createDraft, filterFromColumn, getAnnouncement, listAnnouncements, progress,
  latestDraftOf, recordAttendance, updateDraft, type AudienceFilter, CASE_STATUS_FILTERS,
} from "../../../domain/announcements/index.js";
import { OFFICE_TIME_ZONE } from "../../../i18n/index.js";
import { zonedTime } from "../../../shared/time.js";
import { defineCommand, type StaffDeskDeps } from "../command.js";
import { channelDisplayName } from "../../../domain/reach.js";
import { WEB_UPLOAD_TYPES } from "../../../shared/upload-types.js";

/** "20-03-2026", "20/03/2026 17:00", "2026-03-20 17.00": a local date and time (else `defaultTime`). */
export function parseLocalDateTime(raw: string, defaultTime: string, tz = OFFICE_TIME_ZONE): Date | null {
  const s = raw.trim().replace(/\s+jam\s+/i, " ");
  const m = /^(?:(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?:\s+(\d{1,2})[.:](\d{2}))?$/.exec(s);
  if (!m) return null;
  const [d, mo, y] = m[1] ? [Number(m[1]), Number(m[2]), Number(m[3])] : [Number(m[6]), Number(m[5]), Number(m[4])];
  const hh = m[7] !== undefined ? Number(m[7]) : Number(defaultTime.slice(0, 2));
  const mm = m[8] !== undefined ? Number(m[8]) : Number(defaultTime.slice(3, 5));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59) return null;
  const date = `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const at = zonedTime(date, `${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}`, tz);
  return Number.isNaN(at.getTime()) ? null : at;
}

interface Composed {
  title: string;
  body: string;
  quota?: number;
  closesAt?: Date;
  eventAt?: Date;
  registeredFrom?: Date;
  registeredTo?: Date;
}

/** Title, text and option lines; a bad option line is refused with its usage. */
function compose(args: string, tz: string): Composed | { error: string } {
  const lines = args.split(/\r?\n/);
  const title = (lines.shift() ?? "").trim();
  const body: string[] = [];
  const out: Omit<Composed, "title" | "body"> = {};
  for (const line of lines) {
    const opt = /^\s*(kuota|quota|tutup|closes|acara|event|terdaftar|registered)\s*:\s*(.+)$/i.exec(line);
    if (!opt) {
      body.push(line);
      continue;
    }
    const [, key = "", value = ""] = opt;
    const k = key.toLowerCase();
    if (k === "kuota" || k === "quota") {
      if (!/^\d{1,6}$/.test(value.trim()) || Number(value) < 1) return { error: "ann.compose.bad_quota" };
      out.quota = Number(value.trim());
    } else if (k === "tutup" || k === "closes") {
      const d = parseLocalDateTime(value, "23:59", tz);
      if (!d) return { error: "ann.compose.bad_date" };
      out.closesAt = d;
    } else if (k === "acara" || k === "event") {
      const d = parseLocalDateTime(value, "09:00", tz);
      if (!d) return { error: "ann.compose.bad_date" };
      out.eventAt = d;
    } else {
      const [from = "", to = ""] = value.split(/\s+(?:-|s\/d|sampai|to)\s+/i);
      const f = parseLocalDateTime(from, "00:00", tz);
      const t = to ? parseLocalDateTime(to, "23:59", tz) : null;
      if (!f || (to && !t)) return { error: "ann.compose.bad_date" };
      out.registeredFrom = f;
      if (t) out.registeredTo = t;
    }
  }
  const text = body.join("\n").trim();
  if (!title || !text) return { error: "ann.compose.usage" };
  if ((out.quota === undefined) !== (out.closesAt === undefined)) return { error: "ann.compose.rsvp_pair" };
  return { title, body: text, ...out };
}

function tzOf(deps: StaffDeskDeps): string {
  return deps.reports.calendar?.tz ?? deps.reports.tz ?? OFFICE_TIME_ZONE;
}

/** Sector codes: the registration's options (opt.sector.<code> in the texts). */
function sectorCodes(deps: StaffDeskDeps): string[] {
  const table = deps.reports.texts().id;
  const codes = Object.keys(table).flatMap((k) => /^opt\.sector\.([a-z_]+)$/.exec(k)?.[1] ?? []);
  return [...codes, "lainnya"];
}

function sectorLabel(turn: Turn, code: string): string {
  return code === "lainnya" ? turn.t("opt.other") : turn.t(`opt.sector.${code}`);
}

function kecamatanOptions(deps: StaffDeskDeps): Array<{ code: string; name: string }> {
  const r = deps.reports.regions();
  return r ? [...r.kecamatan.map((k) => ({ code: k.code, name: k.name })), { code: r.outside.code, name: r.outside.label.id }] : [];
}

function btn(announcementId: string, action: Extract<Button, { kind: "announce" }>["action"], value?: string): string {
  return encodeButton({ kind: "announce", announcementId, action, ...(value === undefined ? {} : { value }) });
}

/** The audience chosen so far, in words. */
function describeFilter(turn: Turn, deps: StaffDeskDeps, f: AudienceFilter): string {
  const parts: string[] = [];
  if (f.sectors?.length) parts.push(turn.t("ann.filter.sectors", { list: f.sectors.map((c) => sectorLabel(turn, c)).join(", ") }));
  if (f.kecamatan?.length) {
    const names = new Map(kecamatanOptions(deps).map((k) => [k.code, k.name]));
    parts.push(turn.t("ann.filter.kecamatan", { list: f.kecamatan.map((c) => names.get(c) ?? c).join(", ") }));
  }
  if (f.areas?.length) parts.push(turn.t("ann.filter.areas", { list: f.areas.map((c) => turn.t(`area.${c}`)).join(", ") }));
  if (f.caseStatus?.length) parts.push(turn.t("ann.filter.status", { list: f.caseStatus.map((c) => turn.t(`ann.status.${c}`)).join(", ") }));
  if (f.registeredFrom || f.registeredTo) parts.push(turn.t("ann.filter.registered"));
  return parts.length > 0 ? parts.join("; ") : turn.t("ann.filter.everyone");
}

function pickerMenu(turn: Turn, id: string): Choice[] {
  return [
    { id: btn(id, "sector"), label: turn.t("ann.btn.by_sector") },
    { id: btn(id, "kec"), label: turn.t("ann.btn.by_kecamatan") },
    { id: btn(id, "area"), label: turn.t("ann.btn.by_area") },
    { id: btn(id, "status"), label: turn.t("ann.btn.by_status") },
    { id: btn(id, "all"), label: turn.t("ann.btn.everyone") },
    { id: btn(id, "count"), label: turn.t("ann.btn.count") },
    { id: btn(id, "drop"), label: turn.t("ann.btn.drop") },
  ];
}

async function showDraft(turn: Turn, deps: StaffDeskDeps, id: string, lead: string): Promise<void> {
  const a = await getAnnouncement(turn.tx, id);
  if (!a) throw new WorkflowError("ann.err.not_found");
  const f = filterFromColumn(a.filterJson);
  turn.reply(text(`${lead}\n\n${turn.t("ann.compose.audience", { audience: describeFilter(turn, deps, f) })}`, pickerMenu(turn, id)));
}

/** One picker: every value of one dimension, ✅ on those chosen; a tap flips one. */
async function showPicker(turn: Turn, deps: StaffDeskDeps, id: string, dim: "sector" | "kec" | "area" | "status"): Promise<void> {
  const a = await getAnnouncement(turn.tx, id);
  if (!a || a.status !== "draft") throw new WorkflowError("ann.err.not_draft");
  const f = filterFromColumn(a.filterJson);
  const opts: Array<{ code: string; label: string; on: boolean; action: "ts" | "tk" | "ta" | "tc" }> =
    dim === "sector" ? sectorCodes(deps).map((c) => ({ code: c, label: sectorLabel(turn, c), on: f.sectors?.includes(c) ?? false, action: "ts" }))
    : dim === "kec" ? kecamatanOptions(deps).map((k) => ({ code: k.code, label: k.name, on: f.kecamatan?.includes(k.code) ?? false, action: "tk" }))
    : dim === "area" ? deps.workflow.setup().areas.areas.map((x) => ({ code: x.code, label: turn.t(`area.${x.code}`), on: f.areas?.includes(x.code) ?? false, action: "ta" }))
    : CASE_STATUS_FILTERS.map((s) => ({ code: s, label: turn.t(`ann.status.${s}`), on: f.caseStatus?.includes(s) ?? false, action: "tc" }));
  const choices: Choice[] = opts.map((o) => ({ id: btn(id, o.action, o.code), label: `${o.on ? "✅ " : ""}${o.label}` }));
  choices.push({ id: btn(id, "count"), label: turn.t("ann.btn.count") });
  turn.reply(text(turn.t(`ann.pick.${dim}`), choices));
}

function flip(list: readonly string[] | undefined, code: string): string[] {
  const l = list ?? [];
  return l.includes(code) ? l.filter((x) => x !== code) : [...l, code];
}

/** What a tap on an announcement button does (from the staff desk's taps). */
export async function onAnnounceTap(turn: Turn, deps: StaffDeskDeps, staff: StaffMember, b: Extract<Button, { kind: "announce" }>): Promise<void> {
  const id = b.announcementId;
  if (b.action === "att") return flipAttendance(turn, staff, id, b.value);
  if (staff.role !== "admin" && staff.role !== "head") throw new WorkflowError("ann.err.admin_only");
  switch (b.action) {
    case "sector": case "kec": case "area": case "status":
      return showPicker(turn, deps, id, b.action);
    case "ts": case "tk": case "ta": case "tc": {
      const a = await getAnnouncement(turn.tx, id);
      if (!a || a.status !== "draft") throw new WorkflowError("ann.err.not_draft");
      const f = filterFromColumn(a.filterJson);
      const v = b.value ?? "";
      const next: AudienceFilter =
        b.action === "ts" ? { ...f, sectors: flip(f.sectors, v) }
        : b.action === "tk" ? { ...f, kecamatan: flip(f.kecamatan, v) }
        : b.action === "ta" ? { ...f, areas: flip(f.areas, v) }
        : { ...f, caseStatus: flip(f.caseStatus, v).filter((s): s is (typeof CASE_STATUS_FILTERS)[number] => (CASE_STATUS_FILTERS as readonly string[]).includes(s)) };
      await updateDraft(turn.tx, id, staff.id, { filter: next });
      return showPicker(turn, deps, id, b.action === "ts" ? "sector" : b.action === "tk" ? "kec" : b.action === "ta" ? "area" : "status");
    }
    case "all":
      await updateDraft(turn.tx, id, staff.id, { filter: {} });
      return showDraft(turn, deps, id, turn.t("ann.compose.everyone"));
    case "count": {
      const a = await getAnnouncement(turn.tx, id);
      if (!a || a.status !== "draft") throw new WorkflowError("ann.err.not_draft");
      const c = await countAudience(turn.tx, filterFromColumn(a.filterJson));
      const channels = Object.entries(c.byChannel).map(([ch, n]) => `${channelDisplayName(ch)} ${n}`).join(", ") || "-";
      const lines = [turn.t("ann.count", { title: a.title, total: c.total, channels, audience: describeFilter(turn, deps, filterFromColumn(a.filterJson)) })];
      if (c.optedOut > 0) lines.push(turn.t("ann.count.opted_out", { n: c.optedOut }));
      if (c.noChannel > 0) lines.push(turn.t("ann.count.no_channel", { n: c.noChannel }));
      if (c.total === 0) {
        lines.push(turn.t("ann.err.empty_audience"));
        turn.reply(text(lines.join("\n"), pickerMenu(turn, id)));
        return;
      }
      lines.push(turn.t("ann.count.confirm"));
      turn.reply(text(lines.join("\n"), [
        { id: btn(id, "send"), label: turn.t("ann.btn.send", { n: c.total }) },
        { id: btn(id, "sector"), label: turn.t("ann.btn.change") },
        { id: btn(id, "drop"), label: turn.t("ann.btn.drop") },
      ]));
      return;
    }
    case "send": {
      const r = await confirmAndSend(turn.tx, id, staff.id, turn.now, { tz: tzOf(deps) });
      turn.reply(text(turn.t("ann.sent", { n: r.recipients }), [{ id: btn(id, "stop"), label: turn.t("ann.btn.stop") }]));
      return;
    }
    case "stop": {
      // Asked once more: what is stopped cannot be sent again.
      const a = await getAnnouncement(turn.tx, id);
      if (!a || a.status !== "sending") throw new WorkflowError("ann.err.not_sending");
      const p = await progress(turn.tx, id);
      turn.reply(text(turn.t("ann.stop.confirm", { title: a.title, pending: p.pending }), [{ id: btn(id, "stopok"), label: turn.t("ann.btn.stop_yes") }]));
      return;
    }
    case "stopok": {
      const r = await stopSending(turn, id, staff.id);
      turn.reply(text(turn.t("ann.stopped", { title: r.title, n: r.notSent })));
      return;
    }
    case "drop":
      await cancelDraft(turn.tx, id, staff.id, turn.now);
      turn.reply(text(turn.t("ann.dropped")));
      return;
  }
}

async function flipAttendance(turn: Turn, staff: StaffMember, id: string, clientId: string | undefined): Promise<void> {
  if (!clientId) throw new WorkflowError("ann.err.not_recipient");
  const row = (await attendanceList(turn.tx, id)).find((r) => r.personId === clientId);
  if (!row) throw new WorkflowError("ann.err.not_recipient");
  const attended = !row.attended;
  await recordAttendance(turn.tx, id, clientId, attended, staff.id, turn.now);
  await showAttendance(turn, id, turn.t(attended ? "ann.att.came" : "ann.att.not_came", { name: row.name }));
}

async function showAttendance(turn: Turn, id: string, lead?: string): Promise<void> {
  const a = await getAnnouncement(turn.tx, id);
  if (!a) throw new WorkflowError("ann.err.not_found");
  const going = (await attendanceList(turn.tx, id)).filter((r) => r.rsvp === "yes" || r.attended);
  const came = going.filter((r) => r.attended).length;
  const head = turn.t("ann.att.list", { title: a.title, going: going.length, came });
  const choices = going.map((r) => ({ id: btn(id, "att", r.personId), label: `${r.attended ? "✅ " : ""}${r.name}` }));
  turn.reply(text(lead ? `${lead}\n\n${head}` : head, choices));
}

/** How long after writing a draft a file sent is taken as its attachment. */
export const ATTACH_WINDOW_MS = 60 * 60_000;

/**
 * A photo or PDF from an admin with a draft written in the last hour (and no case open): the
 * draft's attachment. False when there is no such draft, or the file is of another type.
 */
export async function attachToDraft(turn: Turn, staff: StaffMember, m: { mimeType: string; fileName?: string; storageKey: string | null }): Promise<boolean> {
  if (!m.storageKey || (staff.role !== "admin" && staff.role !== "head")) return false;
  const draft = await latestDraftOf(turn.tx, staff.id, new Date(turn.now.getTime() - ATTACH_WINDOW_MS));
  if (!draft) return false;
  if (!(WEB_UPLOAD_TYPES as readonly string[]).includes(m.mimeType)) {
    turn.reply(text(turn.t("ann.compose.attach_type")));
    return true;
  }
  const ext = m.mimeType === "application/pdf" ? "pdf" : m.mimeType.split("/")[1];
  const fileName = (m.fileName ?? "").trim().slice(0, 120) || `pengumuman.${ext}`;
  await updateDraft(turn.tx, draft.id, staff.id, { attachment: { storageKey: m.storageKey, mimeType: m.mimeType, fileName } });
  turn.reply(text(turn.t("ann.compose.attached", { title: draft.title }), pickerMenu(turn, draft.id)));
  return true;
}

const announcement = defineCommand({
  name: "pengumuman",
  aliases: ["announce", "announcement"],
  roles: ["admin", "head"],
  help: "staff.help.pengumuman",
  menu: "cmdmenu.pengumuman",
  async run({ turn, staff, args, deps }) {
    if (args.trim() === "") {
      const list = await listAnnouncements(turn.tx, { take: 5 });
      if (list.length === 0) {
        turn.reply(text(turn.t("ann.compose.usage")));
        return;
      }
      const lines = [turn.t("ann.list.head")];
      const stoppable: Array<{ id: string; label: string }> = [];
      for (const a of list) {
        // Cancelled before it went (a dropped draft), or stopped while it went.
        if (a.status === "draft" || (a.status === "cancelled" && !a.confirmedAt)) {
          lines.push(turn.t(`ann.list.${a.status}`, { title: a.title }));
          continue;
        }
        const p = await progress(turn.tx, a.id);
        if (a.status === "cancelled") {
          lines.push(turn.t("ann.list.stopped", { title: a.title, sent: p.sent, total: p.recipients, yes: p.rsvpYes }));
          continue;
        }
        lines.push(turn.t("ann.list.line", { title: a.title, sent: p.sent, total: p.recipients, pending: p.pending, failed: p.failed, yes: p.rsvpYes, waiting: p.waiting }));
        if (p.pending > 0) stoppable.push({ id: btn(a.id, "stop"), label: `${turn.t("ann.btn.stop")}: ${a.title}`.slice(0, 60) });
      }
      lines.push(turn.t("ann.compose.usage"));
      turn.reply(text(lines.join("\n"), stoppable.length > 0 ? stoppable : undefined));
      return;
    }
    const c = compose(args, tzOf(deps));
    if ("error" in c) {
      turn.reply(text(c.error === "ann.compose.usage" ? turn.t(c.error) : `${turn.t(c.error)}\n\n${turn.t("ann.compose.usage")}`));
      return;
    }
    const filter: AudienceFilter = { ...(c.registeredFrom ? { registeredFrom: c.registeredFrom } : {}), ...(c.registeredTo ? { registeredTo: c.registeredTo } : {}) };
    const { id } = await createDraft(turn.tx, {
      staffId: staff.id,
      title: c.title,
      text: c.body,
      rsvp: c.quota !== undefined && c.closesAt ? { quota: c.quota, closesAt: c.closesAt } : null,
      eventAt: c.eventAt ?? null,
      filter,
      now: turn.now,
    });
    const rsvpLine = c.quota !== undefined ? turn.t("ann.compose.rsvp", { quota: c.quota }) : turn.t("ann.compose.no_rsvp");
    await showDraft(turn, deps, id, `${turn.t("ann.compose.draft", { title: c.title })}\n${rsvpLine}\n${turn.t("ann.compose.attach_hint")}`);
  },
});

export const attendance = defineCommand({
  name: "hadir",
  aliases: ["attendance", "kehadiran"],
  roles: ["admin", "consultant", "head"],
  help: "staff.help.hadir",
  menu: "cmdmenu.hadir",
  async run({ turn }) {
    const list = await listAnnouncements(turn.tx, { take: 20 });
    const withRsvp = list.find((a) => a.status === "sending" && a.rsvpQuota !== null);
    if (!withRsvp) {
      turn.reply(text(turn.t("ann.att.none")));
      return;
    }
    await showAttendance(turn, withRsvp.id);
  },
});

export default announcement;
