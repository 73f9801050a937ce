/**
 * The office's calendar: quiet hours for messages to clients, working days and hours, and the
 * holiday list (conversations/holidays.yaml) that moves staff deadlines. Pure: every answer comes
 * from the settings and the instant asked about, in the office time zone (src/shared/time.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { addDays, localDateString, localParts, zonedTime } from "../../shared/time.js";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM");

export const ZHoliday = z.strictObject({
  date: z.iso.date({ error: "a date as YYYY-MM-DD" }),
  name: z.string().min(1),
  /**
   * A day of silence for everyone (Nyepi): no message goes to a client on that local date either;
   * what falls due then goes at the end of quiet hours the day after.
   */
  silent: z.boolean().optional(),
});
export type Holiday = z.infer<typeof ZHoliday>;

export const ZHolidaysFile = z.array(ZHoliday);

export class HolidaysFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid holidays file:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "HolidaysFileError";
  }
}

/** Parse and check a holidays file's text; a date listed twice is an error (which name is meant?). */
export function parseHolidays(text: string, file = "holidays.yaml"): Holiday[] {
  let data: unknown;
  try {
    data = parse(text, { uniqueKeys: true }) ?? [];
  } catch (e) {
    throw new HolidaysFileError(file, [(e as Error).message.split("\n")[0] ?? "not valid YAML"]);
  }
  const r = ZHolidaysFile.safeParse(data);
  if (!r.success) {
    throw new HolidaysFileError(
      file,
      r.error.issues.map((i) => `${i.path.length ? `[${i.path.join(".")}] ` : ""}${i.message}`),
    );
  }
  const seen = new Set<string>();
  const dupes = r.data.filter((h) => (seen.has(h.date) ? true : (seen.add(h.date), false))).map((h) => `${h.date} is listed twice`);
  if (dupes.length) throw new HolidaysFileError(file, dupes);
  return r.data;
}

export function loadHolidaysFile(file: string): Holiday[] {
  if (!fs.existsSync(file)) throw new HolidaysFileError(file, ["the file does not exist"]);
  return parseHolidays(fs.readFileSync(file, "utf8"), file);
}

export interface OfficeCalendarOptions {
  tz: string;
  /** "21:00": no message to a client from this local time ... */
  quietStart: string;
  /** ... until this one ("07:00"). Equal start and end mean no quiet hours. */
  quietEnd: string;
  /** 1 = Monday ... 7 = Sunday. */
  workingDays: readonly number[];
  /** "08:00" and "16:00". */
  workStart: string;
  workEnd: string;
  holidays: readonly Holiday[];
}

/** The settings src/config/config.ts reads, in their text form. */
export interface CalendarSettings {
  TZ: string;
  QUIET_HOURS_START: string;
  QUIET_HOURS_END: string;
  WORKING_DAYS: string;
  WORKING_HOURS: string;
  HOLIDAYS_FILE: string;
  CONVERSATIONS_DIR: string;
}

const MINUTE = 60_000;
/** Longest search for a working moment; a calendar with no working day at all is refused earlier. */
const MAX_SCAN_DAYS = 3 * 366;

function minutesOf(hm: string): number {
  const [h, m] = hm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

export class OfficeCalendar {
  readonly tz: string;
  private readonly holidays: ReadonlyMap<string, Holiday>;
  private readonly workingDays: ReadonlySet<number>;

  constructor(readonly options: OfficeCalendarOptions) {
    for (const t of [options.quietStart, options.quietEnd, options.workStart, options.workEnd]) hhmm.parse(t);
    if (minutesOf(options.workEnd) <= minutesOf(options.workStart)) {
      throw new Error(`working hours must end after they start (got ${options.workStart}-${options.workEnd})`);
    }
    if (options.workingDays.length === 0 || options.workingDays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      throw new Error("working days must be day numbers 1 (Monday) to 7 (Sunday), at least one");
    }
    this.tz = options.tz;
    this.workingDays = new Set(options.workingDays);
    this.holidays = new Map(options.holidays.map((h) => [h.date, h]));
  }

  /** Built from the configuration (src/config/config.ts) and the holidays file it names. */
  static fromConfig(config: CalendarSettings): OfficeCalendar {
    const [workStart, workEnd] = config.WORKING_HOURS.split("-") as [string, string];
    const file = path.resolve(config.CONVERSATIONS_DIR, config.HOLIDAYS_FILE);
    return new OfficeCalendar({
      tz: config.TZ,
      quietStart: config.QUIET_HOURS_START,
      quietEnd: config.QUIET_HOURS_END,
      workingDays: config.WORKING_DAYS.split(",").map(Number),
      workStart,
      workEnd,
      holidays: loadHolidaysFile(file),
    });
  }

  /** The local calendar date ("YYYY-MM-DD") of an instant. */
  localDate(at: Date): string {
    return localDateString(at, this.tz);
  }

  /** The instant of a local wall-clock time on a local date. */
  at(date: string, hm: string): Date {
    return zonedTime(date, hm, this.tz);
  }

  holiday(dateOrInstant: string | Date): Holiday | undefined {
    return this.holidays.get(typeof dateOrInstant === "string" ? dateOrInstant : this.localDate(dateOrInstant));
  }

  /** A working day: one of the working weekdays and not a holiday. Takes a local date or an instant. */
  isWorkingDay(dateOrInstant: string | Date): boolean {
    const date = typeof dateOrInstant === "string" ? dateOrInstant : this.localDate(dateOrInstant);
    if (this.holidays.has(date)) return false;
    return this.workingDays.has(weekdayOf(date));
  }

  /** Inside quiet hours (or on a silent day such as Nyepi): no message to a client now. */
  isQuiet(at: Date): boolean {
    if (this.holiday(at)?.silent) return true;
    const start = minutesOf(this.options.quietStart);
    const end = minutesOf(this.options.quietEnd);
    if (start === end) return false;
    const p = localParts(at, this.tz);
    const m = p.hour * 60 + p.minute;
    return start < end ? m >= start && m < end : m >= start || m < end;
  }

  /**
   * When a message to a client due at `at` may go: `at` itself outside quiet hours, else the end of
   * the quiet hours (07:00 the same or the next morning). A silent day moves it to the day after.
   */
  nextClientSendTime(at: Date): Date {
    let t = at;
    for (let i = 0; i < MAX_SCAN_DAYS && this.isQuiet(t); i++) {
      const date = this.localDate(t);
      const endToday = this.at(date, this.options.quietEnd);
      const candidate = endToday.getTime() > t.getTime() ? endToday : this.at(addDays(date, 1), this.options.quietEnd);
      // A silent day is quiet until its end: try the next morning's end of quiet hours.
      t = this.holiday(t)?.silent && this.localDate(candidate) === date ? this.at(addDays(date, 1), this.options.quietEnd) : candidate;
    }
    return t;
  }

  /** Working period [start, end) of a local date, or undefined on a day off. */
  private period(date: string): [number, number] | undefined {
    if (!this.isWorkingDay(date)) return undefined;
    return [this.at(date, this.options.workStart).getTime(), this.at(date, this.options.workEnd).getTime()];
  }

  /**
   * The deadline `minutes` working minutes after `start`: time outside working hours, on days off
   * and on holidays does not count. Zero minutes gives the first working moment at or after `start`.
   */
  addWorkingMinutes(start: Date, minutes: number): Date {
    if (minutes < 0) throw new Error("addWorkingMinutes takes a non-negative number of minutes");
    let left = minutes * MINUTE;
    let date = this.localDate(start);
    let t = start.getTime();
    for (let i = 0; i < MAX_SCAN_DAYS + Math.ceil(minutes / 60); i++, date = addDays(date, 1)) {
      const p = this.period(date);
      if (!p) continue;
      const from = Math.max(t, p[0]);
      if (from >= p[1]) continue;
      if (from + left <= p[1]) return new Date(from + left);
      left -= p[1] - from;
      t = p[1];
    }
    throw new Error("no working time found: check WORKING_DAYS and the holidays file");
  }

  /**
   * A deadline of `days` working days from `start` (a complaint's answer time): the end of working
   * hours on the `days`-th working day after the local date of `start`. The day it arrived does not
   * count, so something received on Monday with three working days is due by Thursday's closing time.
   */
  endOfWorkingDays(start: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 1) throw new Error("endOfWorkingDays takes a whole number of days, at least 1");
    let date = this.localDate(start);
    for (let i = 0, left = days; i < MAX_SCAN_DAYS + days * 7; i++) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date) && --left === 0) return this.at(date, this.options.workEnd);
    }
    throw new Error("no working day found: check WORKING_DAYS and the holidays file");
  }

  /** Working minutes between two instants (negative when b is before a). */
  workingMinutesBetween(a: Date, b: Date): number {
    if (b.getTime() < a.getTime()) return -this.workingMinutesBetween(b, a);
    let total = 0;
    const last = this.localDate(b);
    for (let date = this.localDate(a), i = 0; date <= last && i < 100 * 366; date = addDays(date, 1), i++) {
      const p = this.period(date);
      if (!p) continue;
      const from = Math.max(a.getTime(), p[0]);
      const to = Math.min(b.getTime(), p[1]);
      if (to > from) total += to - from;
    }
    return total / MINUTE;
  }
}

/** 1 = Monday ... 7 = Sunday, of a calendar date (no time zone involved). */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return js === 0 ? 7 : js;
}
