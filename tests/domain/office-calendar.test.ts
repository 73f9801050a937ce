import { describe, expect, it } from "vitest";
import { HolidaysFileError, OfficeCalendar, loadHolidaysFile, parseHolidays, weekdayOf } from "../../src/domain/calendar/office-calendar.js";
import { calendar, wita } from "../scheduler/support.js";

const cal = calendar();

describe("holidays file", () => {
  it("the office's file is valid and holds Nyepi 2026 and 2027 as silent days", () => {
    const list = loadHolidaysFile("conversations/holidays.yaml");
    const nyepi = list.filter((h) => h.name.includes("Nyepi") && h.silent);
    expect(nyepi.map((h) => h.date)).toEqual(["2026-03-19", "2027-03-08"]);
    expect(list.filter((h) => h.date.startsWith("2026")).length).toBeGreaterThanOrEqual(25);
    expect(list.filter((h) => h.date.startsWith("2027")).length).toBeGreaterThanOrEqual(17);
    // Fixed-date holidays on their dates.
    for (const d of ["2026-01-01", "2026-08-17", "2026-12-25", "2027-01-01", "2027-08-17", "2027-12-25"]) {
      expect(list.some((h) => h.date === d)).toBe(true);
    }
  });

  it("rejects a wrong date, an unknown field and a date listed twice", () => {
    expect(() => parseHolidays(`- { date: "2026-13-01", name: "x" }`)).toThrow(HolidaysFileError);
    expect(() => parseHolidays(`- { date: "2026-01-01", name: "x", libur: true }`)).toThrow(HolidaysFileError);
    expect(() => parseHolidays(`- { date: "2026-01-01", name: "a" }\n- { date: "2026-01-01", name: "b" }`)).toThrow(/listed twice/);
    expect(() => parseHolidays(`- { date: "2026-01-01" }`)).toThrow(HolidaysFileError);
    expect(parseHolidays("")).toEqual([]);
  });

  it("is built from the configuration values", () => {
    const c = OfficeCalendar.fromConfig({
      TZ: "Asia/Makassar",
      QUIET_HOURS_START: "21:00",
      QUIET_HOURS_END: "07:00",
      WORKING_DAYS: "1,2,3,4,5",
      WORKING_HOURS: "08:00-15:00",
      HOLIDAYS_FILE: "holidays.yaml",
      CONVERSATIONS_DIR: "./conversations",
    });
    expect(c.isWorkingDay("2026-03-14")).toBe(false); // Saturday is off with 1-5
    expect(c.addWorkingMinutes(wita("2026-03-13 14:50"), 15).getTime()).toBe(wita("2026-03-16 08:05").getTime());
  });
});

describe("working days", () => {
  it("Sundays, national holidays, cuti bersama and Nyepi are days off; Saturdays work by default", () => {
    expect(weekdayOf("2026-03-15")).toBe(7);
    expect(cal.isWorkingDay("2026-03-15")).toBe(false); // Sunday
    expect(cal.isWorkingDay("2026-03-14")).toBe(true); // Saturday
    expect(cal.isWorkingDay("2026-03-19")).toBe(false); // Nyepi
    expect(cal.isWorkingDay("2026-03-18")).toBe(false); // cuti bersama Nyepi
    expect(cal.isWorkingDay("2026-08-17")).toBe(false);
    expect(cal.isWorkingDay("2026-03-16")).toBe(true);
    // An instant is read in WITA: 2026-03-15 17:00 UTC is Monday 01:00 WITA.
    expect(cal.isWorkingDay(new Date("2026-03-15T17:00:00Z"))).toBe(true);
  });
});

describe("quiet hours", () => {
  it("a time inside quiet hours moves to 07:00; outside it stays", () => {
    expect(cal.nextClientSendTime(wita("2026-03-16 22:30")).getTime()).toBe(wita("2026-03-17 07:00").getTime());
    expect(cal.nextClientSendTime(wita("2026-03-16 21:00")).getTime()).toBe(wita("2026-03-17 07:00").getTime());
    expect(cal.nextClientSendTime(wita("2026-03-17 05:59")).getTime()).toBe(wita("2026-03-17 07:00").getTime());
    expect(cal.nextClientSendTime(wita("2026-03-17 07:00")).getTime()).toBe(wita("2026-03-17 07:00").getTime());
    expect(cal.nextClientSendTime(wita("2026-03-16 20:59")).getTime()).toBe(wita("2026-03-16 20:59").getTime());
    // Sundays are not quiet for clients (only staff deadlines follow working days).
    expect(cal.nextClientSendTime(wita("2026-03-15 10:00")).getTime()).toBe(wita("2026-03-15 10:00").getTime());
  });

  it("Nyepi is silent all day: what falls due then goes at 07:00 the day after", () => {
    expect(cal.isQuiet(wita("2026-03-19 12:00"))).toBe(true);
    expect(cal.nextClientSendTime(wita("2026-03-19 09:00")).getTime()).toBe(wita("2026-03-20 07:00").getTime());
    // The night before Nyepi runs through the whole day of silence.
    expect(cal.nextClientSendTime(wita("2026-03-18 22:00")).getTime()).toBe(wita("2026-03-20 07:00").getTime());
    expect(cal.nextClientSendTime(wita("2027-03-08 08:00")).getTime()).toBe(wita("2027-03-09 07:00").getTime());
  });

  it("other quiet hours from configuration, and none when start equals end", () => {
    const c = calendar({ quietStart: "20:00", quietEnd: "08:30" });
    expect(c.nextClientSendTime(wita("2026-03-16 20:15")).getTime()).toBe(wita("2026-03-17 08:30").getTime());
    const none = calendar({ quietStart: "00:00", quietEnd: "00:00", holidays: [] });
    expect(none.isQuiet(wita("2026-03-16 03:00"))).toBe(false);
  });
});

describe("working minutes", () => {
  it("a deadline runs in working hours only", () => {
    expect(cal.addWorkingMinutes(wita("2026-03-16 09:00"), 15).getTime()).toBe(wita("2026-03-16 09:15").getTime());
    expect(cal.addWorkingMinutes(wita("2026-03-16 15:50"), 15).getTime()).toBe(wita("2026-03-17 08:05").getTime());
    expect(cal.addWorkingMinutes(wita("2026-03-16 06:00"), 20).getTime()).toBe(wita("2026-03-16 08:20").getTime());
    expect(cal.addWorkingMinutes(wita("2026-03-16 17:00"), 0).getTime()).toBe(wita("2026-03-17 08:00").getTime());
    expect(cal.addWorkingMinutes(wita("2026-03-16 15:45"), 15).getTime()).toBe(wita("2026-03-16 16:00").getTime());
    // Several days of working time.
    expect(cal.addWorkingMinutes(wita("2026-03-09 08:00"), 3 * 8 * 60).getTime()).toBe(wita("2026-03-11 16:00").getTime());
  });

  it("a Sunday moves a Saturday deadline to Monday", () => {
    expect(cal.addWorkingMinutes(wita("2026-03-07 15:50"), 15).getTime()).toBe(wita("2026-03-09 08:05").getTime());
    expect(cal.addWorkingMinutes(wita("2026-03-08 10:00"), 15).getTime()).toBe(wita("2026-03-09 08:15").getTime());
  });

  it("Nyepi, Idulfitri and cuti bersama 2026 move a deadline across a whole week", () => {
    // Tue 17 Mar 15:50 + 15 min: 18 (cuti), 19 (Nyepi), 20 (cuti), 21-22 (Idulfitri), 23-24 (cuti) -> Wed 25 Mar.
    expect(cal.addWorkingMinutes(wita("2026-03-17 15:50"), 15).getTime()).toBe(wita("2026-03-25 08:05").getTime());
    // Sat 6 Mar 2027 15:55 + 20 min: Sunday, Nyepi (Mon 8), cuti (9), Idulfitri (10-11), cuti (12) -> Sat 13 Mar.
    expect(cal.addWorkingMinutes(wita("2027-03-06 15:55"), 20).getTime()).toBe(wita("2027-03-13 08:15").getTime());
  });

  it("counts working minutes between two instants", () => {
    expect(cal.workingMinutesBetween(wita("2026-03-16 09:00"), wita("2026-03-16 09:45"))).toBe(45);
    expect(cal.workingMinutesBetween(wita("2026-03-14 15:00"), wita("2026-03-16 09:00"))).toBe(120);
    expect(cal.workingMinutesBetween(wita("2026-03-16 09:45"), wita("2026-03-16 09:00"))).toBe(-45);
    expect(cal.workingMinutesBetween(wita("2026-03-18 09:00"), wita("2026-03-19 15:00"))).toBe(0);
    const start = wita("2026-03-17 15:50");
    expect(cal.workingMinutesBetween(start, cal.addWorkingMinutes(start, 15))).toBe(15);
  });
});

describe("deadlines in working days (complaints)", () => {
  it("ends at closing time on the Nth working day after the day it came in", () => {
    // Monday 23 November 2026, 15:59 WITA: the day itself does not count; Saturday is a working day.
    expect(cal.endOfWorkingDays(wita("2026-11-23 15:59"), 3).toISOString()).toBe(wita("2026-11-26 16:00").toISOString());
    expect(cal.endOfWorkingDays(wita("2026-11-27 10:00"), 3).toISOString()).toBe(wita("2026-12-01 16:00").toISOString());
  });
  it("skips holidays and refuses a deadline of no days", () => {
    // 25 December is a holiday: received Wednesday 23rd, the 24th and 25th are days off, skip the 24th (cuti bersama), the 25th and Sunday.
    expect(cal.endOfWorkingDays(wita("2026-12-23 09:00"), 2).toISOString()).toBe(wita("2026-12-28 16:00").toISOString());
    expect(() => cal.endOfWorkingDays(wita("2026-12-23 09:00"), 0)).toThrow();
  });
});
