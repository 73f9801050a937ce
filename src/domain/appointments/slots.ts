/**
 * Slots: one hour, starting on a whole hour, inside a consultant's weekly availability, on a
 * working day that is no holiday, inside office hours, in the future, and not held by another
 * appointment of the same consultant. Pure apart from reading the availability and the held starts.
 */
import type { Tx } from "../../db/client.js";
import { addDays, localParts } from "../../shared/time.js";
import type { OfficeCalendar } from "../calendar/office-calendar.js";
import { weekdayOf } from "../calendar/office-calendar.js";
import { availabilityOf, type AvailabilityWindow } from "./availability.js";

export const SLOT_MINUTES = 60;
/** How far ahead slots are offered. */
export const OFFER_DAYS = 14;
/** How many slots one offer shows (a WhatsApp list holds 10; fewer is easier on a phone). */
export const OFFER_SLOTS = 6;
/** "pagi" slots start before this hour, "siang" ones at or after it. */
const AFTERNOON_FROM_HOUR = 12;

/** The assessment's preferred_time: pagi | siang | bebas. */
export type TimeOfDay = "pagi" | "siang" | "bebas";

export function matchesTime(at: Date, time: TimeOfDay | undefined, tz: string): boolean {
  if (!time || time === "bebas") return true;
  const h = localParts(at, tz).hour;
  return time === "pagi" ? h < AFTERNOON_FROM_HOUR : h >= AFTERNOON_FROM_HOUR;
}

/** Why a start cannot be booked, as a text key and its values; null when it can. */
export interface SlotProblem {
  key: string;
  params?: Record<string, string | number>;
}

export function checkStart(at: Date, now: Date, calendar: OfficeCalendar, windows: readonly AvailabilityWindow[]): SlotProblem | null {
  if (at.getTime() <= now.getTime()) return { key: "appt.err.past" };
  const date = calendar.localDate(at);
  const holiday = calendar.holiday(date);
  if (holiday) return { key: "appt.err.holiday", params: { holiday: holiday.name } };
  const { workStart, workEnd } = calendar.options;
  if (!calendar.isWorkingDay(date)) return { key: "appt.err.day_closed" };
  const p = localParts(at, calendar.tz);
  const hm = `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  const endHm = `${String(p.hour + 1).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  if (hm < workStart || endHm > workEnd) return { key: "appt.err.outside_hours", params: { start: workStart, end: workEnd } };
  if (p.minute !== 0) return { key: "appt.err.whole_hour" };
  const wd = weekdayOf(date);
  if (!windows.some((w) => w.weekday === wd && w.start <= hm && endHm <= w.end)) return { key: "appt.err.not_available" };
  return null;
}

/** Every start of a week's windows from `now` on, `days` days ahead, in order (held ones included). */
export function candidateStarts(windows: readonly AvailabilityWindow[], calendar: OfficeCalendar, now: Date, days = OFFER_DAYS): Date[] {
  const out: Date[] = [];
  const today = calendar.localDate(now);
  for (let i = 0; i < days; i++) {
    const date = addDays(today, i);
    const wd = weekdayOf(date);
    for (const w of windows) {
      if (w.weekday !== wd) continue;
      for (let h = Number(w.start.slice(0, 2)); h + SLOT_MINUTES / 60 <= Number(w.end.slice(0, 2)); h++) {
        const at = calendar.at(date, `${String(h).padStart(2, "0")}:00`);
        if (checkStart(at, now, calendar, windows) === null) out.push(at);
      }
    }
  }
  return out.sort((a, b) => a.getTime() - b.getTime());
}

/** Starts the consultant holds (booked) between two instants. */
export async function heldStarts(tx: Tx, consultantId: string, from: Date, to: Date): Promise<Set<number>> {
  const rows = await tx.appointment.findMany({ where: { consultantId, heldStart: { gte: from, lt: to } }, select: { heldStart: true } });
  return new Set(rows.flatMap((r) => (r.heldStart ? [r.heldStart.getTime()] : [])));
}

/**
 * The consultant's next free slots: those matching the client's time of day first; when fewer
 * than `limit` match, the rest of the free ones follow (a client who said "pagi" still sees
 * afternoon slots rather than nothing). `after` skips slots up to that instant.
 */
export async function freeSlots(
  tx: Tx,
  calendar: OfficeCalendar,
  input: { consultantId: string; now: Date; time?: TimeOfDay; limit?: number; after?: Date; exclude?: readonly number[] },
): Promise<Date[]> {
  const windows = await availabilityOf(tx, input.consultantId);
  const all = candidateStarts(windows, calendar, input.now);
  if (all.length === 0) return [];
  const held = await heldStarts(tx, input.consultantId, all[0]!, new Date(all[all.length - 1]!.getTime() + 1));
  for (const x of input.exclude ?? []) held.add(x);
  const free = all.filter((s) => !held.has(s.getTime()) && (!input.after || s.getTime() > input.after.getTime()));
  const limit = input.limit ?? OFFER_SLOTS;
  const preferred = free.filter((s) => matchesTime(s, input.time, calendar.tz));
  const rest = free.filter((s) => !matchesTime(s, input.time, calendar.tz));
  return [...preferred, ...rest].slice(0, limit).sort((a, b) => a.getTime() - b.getTime());
}

export const minuteOf = (at: Date) => Math.round(at.getTime() / 60_000);
export const atMinute = (m: number) => new Date(m * 60_000);
