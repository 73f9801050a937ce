/**
 * A consultant's weekly availability: windows such as "Senin 09-12" that repeat every week. Typed
 * in chat ("senin 09-12, rabu 13-15", "senin-jumat 08-11") or set on the dashboard; each window
 * must lie on a working day and inside office hours, on whole hours (slots last one hour).
 */
import type { Tx } from "../../db/client.js";
import type { OfficeCalendar } from "../calendar/office-calendar.js";

export interface AvailabilityWindow {
  /** 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** "09:00" */
  start: string;
  end: string;
}

/** Why a typed availability was refused: a text key and its values. */
export interface AvailabilityProblem {
  key: string;
  params?: Record<string, string | number>;
}

export type ParsedAvailability = { ok: true; windows: AvailabilityWindow[] } | { ok: false; problem: AvailabilityProblem };

const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** "9", "09", "09.00", "09:00" -> 9; "09.30" -> NaN (slots start on the hour). */
function hourOf(s: string): number {
  const m = /^(\d{1,2})(?:[.:](\d{2}))?$/.exec(s);
  if (!m) return NaN;
  if (m[2] !== undefined && m[2] !== "00") return NaN;
  const h = Number(m[1]);
  return h >= 0 && h <= 24 ? h : NaN;
}

/**
 * Reads "senin 09-12, rabu 13-15" (or "senin-jumat 08-11"; "kosong" clears). `weekdayOf` turns a
 * typed day word into 1..7 (the words live in the texts, in both languages).
 */
export function parseAvailability(input: string, weekdayOf: (word: string) => number | undefined, clearWords: readonly string[]): ParsedAvailability {
  const body = input.trim().toLowerCase();
  if (clearWords.includes(body)) return { ok: true, windows: [] };
  const parts = body.split(/[,;\n]+/).map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, problem: { key: "appt.avail.usage" } };
  const windows: AvailabilityWindow[] = [];
  for (const part of parts) {
    const m = /^([a-z']+)(?:\s*(?:-|s\/d|sampai|to)\s*([a-z']+))?\s+(?:jam\s+|pukul\s+)?(\d{1,2}(?:[.:]\d{2})?)\s*(?:-|s\/d|sampai|to)\s*(\d{1,2}(?:[.:]\d{2})?)$/.exec(part);
    if (!m) return { ok: false, problem: { key: "appt.avail.unreadable", params: { part } } };
    const from = weekdayOf(m[1]!);
    const to = m[2] ? weekdayOf(m[2]) : from;
    if (from === undefined || to === undefined) return { ok: false, problem: { key: "appt.avail.unknown_day", params: { part } } };
    const start = hourOf(m[3]!);
    const end = hourOf(m[4]!);
    if (Number.isNaN(start) || Number.isNaN(end)) return { ok: false, problem: { key: "appt.avail.whole_hours", params: { part } } };
    if (end <= start) return { ok: false, problem: { key: "appt.avail.end_before_start", params: { part } } };
    for (let d = from; ; d = (d % 7) + 1) {
      windows.push({ weekday: d, start: hh(start), end: hh(end) });
      if (d === to) break;
    }
  }
  return { ok: true, windows: merge(windows) };
}

/** Windows of one day that touch or overlap become one; sorted by day and time. */
function merge(windows: AvailabilityWindow[]): AvailabilityWindow[] {
  const sorted = [...windows].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  const out: AvailabilityWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && last.weekday === w.weekday && w.start <= last.end) {
      if (w.end > last.end) last.end = w.end;
    } else out.push({ ...w });
  }
  return out;
}

/** Each window on a working weekday and inside office hours, or the first that is not, with why. */
export function checkAgainstOffice(windows: readonly AvailabilityWindow[], calendar: OfficeCalendar): AvailabilityProblem | null {
  const { workStart, workEnd, workingDays } = calendar.options;
  for (const w of windows) {
    if (!workingDays.includes(w.weekday)) return { key: "appt.avail.day_closed", params: { day: w.weekday } };
    if (w.start < workStart || w.end > workEnd) return { key: "appt.avail.outside_hours", params: { start: workStart, end: workEnd } };
  }
  return null;
}

export async function availabilityOf(tx: Tx, staffId: string): Promise<AvailabilityWindow[]> {
  const rows = await tx.consultantAvailability.findMany({ where: { staffId }, orderBy: [{ weekday: "asc" }, { startTime: "asc" }] });
  return rows.map((r) => ({ weekday: r.weekday, start: r.startTime, end: r.endTime }));
}

/** Replaces the consultant's whole week (booked appointments stay as they are). */
export async function setAvailability(tx: Tx, staffId: string, windows: readonly AvailabilityWindow[], now: Date): Promise<void> {
  await tx.consultantAvailability.deleteMany({ where: { staffId } });
  if (windows.length === 0) return;
  await tx.consultantAvailability.createMany({ data: windows.map((w) => ({ staffId, weekday: w.weekday, startTime: w.start, endTime: w.end, createdAt: now })) });
}
