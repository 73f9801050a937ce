/**
 * Appointments in the domain: typed availability, slots cut from it (office hours, holidays, the
 * past, held hours), the reasons a start is refused, and the database constraint that makes a
 * double booking impossible, including two bookings racing in two transactions (on PostgreSQL:
 * TEST_POSTGRES_URL=... npx vitest run tests/domain/appointments.test.ts).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { claimSlot } from "../../src/db/appointment-writes.js";
import {
  candidateStarts, checkAgainstOffice, checkStart, freeSlots, matchTypedSlot, parseAvailability, setAvailability, type AvailabilityWindow,
} from "../../src/domain/appointments/index.js";
import { useTestDatabase } from "../support/db.js";
import * as s from "../scheduler/support.js";

const cal = s.calendar();
const DAYS: Record<string, number> = { senin: 1, selasa: 2, rabu: 3, kamis: 4, jumat: 5, sabtu: 6, minggu: 7, monday: 1, thursday: 4 };
const weekday = (w: string) => DAYS[w];
const week: AvailabilityWindow[] = [
  { weekday: 1, start: "13:00", end: "15:00" },
  { weekday: 4, start: "09:00", end: "12:00" },
  { weekday: 5, start: "09:00", end: "11:00" },
];
// Thursday 2 April 2026, 10:30 WITA; Friday 3 April is a holiday (Wafat Yesus Kristus).
const now = s.wita("2026-04-02 10:30");

describe("typed availability", () => {
  it("reads days, ranges of days and hours, and merges what overlaps", () => {
    expect(parseAvailability("Senin 09-12, rabu 13.00-15.00; senin 11-13", weekday, ["kosong"])).toEqual({
      ok: true,
      windows: [{ weekday: 1, start: "09:00", end: "13:00" }, { weekday: 3, start: "13:00", end: "15:00" }],
    });
    const range = parseAvailability("senin-rabu jam 8-10", weekday, []);
    expect(range.ok && range.windows.map((w) => w.weekday)).toEqual([1, 2, 3]);
    expect(parseAvailability("kosong", weekday, ["kosong"])).toEqual({ ok: true, windows: [] });
  });

  it("says what is wrong with a part it cannot take", () => {
    expect(parseAvailability("senin pagi", weekday, [])).toMatchObject({ ok: false, problem: { key: "appt.avail.unreadable" } });
    expect(parseAvailability("besok 09-12", weekday, [])).toMatchObject({ ok: false, problem: { key: "appt.avail.unknown_day" } });
    expect(parseAvailability("senin 09.30-12", weekday, [])).toMatchObject({ ok: false, problem: { key: "appt.avail.whole_hours" } });
    expect(parseAvailability("senin 12-09", weekday, [])).toMatchObject({ ok: false, problem: { key: "appt.avail.end_before_start" } });
  });

  it("is refused outside office hours and on a day the office is closed", () => {
    expect(checkAgainstOffice([{ weekday: 1, start: "07:00", end: "09:00" }], cal)).toEqual({ key: "appt.avail.outside_hours", params: { start: "08:00", end: "16:00" } });
    expect(checkAgainstOffice([{ weekday: 7, start: "09:00", end: "10:00" }], cal)).toEqual({ key: "appt.avail.day_closed", params: { day: 7 } });
    expect(checkAgainstOffice(week, cal)).toBeNull();
  });
});

describe("slots", () => {
  it("are whole hours inside the week, after now, never on a holiday", () => {
    const starts = candidateStarts(week, cal, now, 8).map((d) => d.toISOString());
    expect(starts).toEqual(
      ["2026-04-02 11:00", "2026-04-06 13:00", "2026-04-06 14:00", "2026-04-09 09:00", "2026-04-09 10:00", "2026-04-09 11:00"].map((l) => s.wita(l).toISOString()),
    );
  });

  it("refuses a start with the reason", () => {
    expect(checkStart(s.wita("2026-04-02 10:00"), now, cal, week)).toEqual({ key: "appt.err.past" });
    expect(checkStart(s.wita("2026-04-03 09:00"), now, cal, week)).toEqual({ key: "appt.err.holiday", params: { holiday: "Wafat Yesus Kristus" } });
    expect(checkStart(s.wita("2026-04-09 16:00"), now, cal, week)).toEqual({ key: "appt.err.outside_hours", params: { start: "08:00", end: "16:00" } });
    expect(checkStart(s.wita("2026-04-09 07:00"), now, cal, week)).toEqual({ key: "appt.err.outside_hours", params: { start: "08:00", end: "16:00" } });
    expect(checkStart(s.wita("2026-04-12 10:00"), now, cal, week)).toEqual({ key: "appt.err.day_closed" });
    expect(checkStart(s.wita("2026-04-09 09:30"), now, cal, week)).toEqual({ key: "appt.err.whole_hour" });
    expect(checkStart(s.wita("2026-04-09 13:00"), now, cal, week)).toEqual({ key: "appt.err.not_available" });
    expect(checkStart(s.wita("2026-04-09 11:00"), now, cal, week)).toBeNull();
  });

  it("a typed \"kamis pagi\" or \"senin 14\" picks the first offered slot that fits", () => {
    const offered = candidateStarts(week, cal, now, 8).map((at, i) => ({ id: `s${i}`, at }));
    const words = { weekday: (w: string) => DAYS[w], partOfDay: (w: string) => (w === "pagi" ? ("pagi" as const) : w === "siang" ? ("siang" as const) : undefined) };
    expect(matchTypedSlot("Kamis pagi", offered, cal.tz, words)?.id).toBe("s0");
    expect(matchTypedSlot("senin jam 14", offered, cal.tz, words)?.id).toBe("s2");
    expect(matchTypedSlot("senin 2", offered, cal.tz, words)?.id).toBe("s2");
    expect(matchTypedSlot("kamis sore", offered, cal.tz, words)).toBeNull();
    expect(matchTypedSlot("kapan saja", offered, cal.tz, words)).toBeNull();
  });
});

const t = useTestDatabase();

describe("booking on the database", () => {
  beforeEach(async () => {
    await t.db.appointment.deleteMany();
    await s.resetDb(t.db);
  });

  async function fixture() {
    const c = await s.client(t.db, { name: "Made Sukerta" });
    const other = await s.client(t.db, { name: "Nyoman Sari" });
    const cons = await s.staff(t.db, { role: "consultant", name: "Pak Gede" });
    const case1 = await s.consultationCase(t.db, { clientId: c.client.id, status: "in_consultation", step: 4, consultantId: cons.staff.id });
    const case2 = await s.consultationCase(t.db, { clientId: other.client.id, status: "in_consultation", step: 4, consultantId: cons.staff.id });
    await t.db.$transaction((tx) => setAvailability(tx, cons.staff.id, week, now));
    return { cons, case1, case2 };
  }

  const row = (caseId: string, consultantId: string, at: Date) => ({
    caseId, consultantId, startsAt: at, endsAt: new Date(at.getTime() + 3600_000), mode: "kantor", link: null, place: null, offerId: null, movedFromId: null, now,
  });

  it("free slots leave out held hours and put the client's time of day first", async () => {
    const { cons, case1 } = await fixture();
    const at = s.wita("2026-04-06 13:00");
    await t.db.$transaction((tx) => claimSlot(tx, row(case1.id, cons.staff.id, at)));
    const afternoon = await t.db.$transaction((tx) => freeSlots(tx, cal, { consultantId: cons.staff.id, now, time: "siang", limit: 2 }));
    expect(afternoon.map((d) => d.toISOString())).toEqual([s.wita("2026-04-06 14:00"), s.wita("2026-04-13 13:00")].map((d) => d.toISOString()));
    const morning = await t.db.$transaction((tx) => freeSlots(tx, cal, { consultantId: cons.staff.id, now, time: "pagi", limit: 2 }));
    expect(morning.map((d) => d.toISOString())).toEqual([s.wita("2026-04-02 11:00"), s.wita("2026-04-09 09:00")].map((d) => d.toISOString()));
  });

  it("two bookings of one consultant's hour at once: exactly one holds it", async () => {
    const { cons, case1, case2 } = await fixture();
    const at = s.wita("2026-04-09 10:00");
    const results = await Promise.all([
      t.db.$transaction((tx) => claimSlot(tx, row(case1.id, cons.staff.id, at))),
      t.db.$transaction((tx) => claimSlot(tx, row(case2.id, cons.staff.id, at))),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await t.db.appointment.count({ where: { consultantId: cons.staff.id, heldStart: at } })).toBe(1);
  });

  it("the database itself refuses a second booked row for the same start; a cancelled one frees it", async () => {
    const { cons, case1, case2 } = await fixture();
    const at = s.wita("2026-04-09 11:00");
    const first = await t.db.appointment.create({ data: { caseId: case1.id, consultantId: cons.staff.id, startsAt: at, endsAt: at, mode: "kantor", heldStart: at } });
    await expect(t.db.appointment.create({ data: { caseId: case2.id, consultantId: cons.staff.id, startsAt: at, endsAt: at, mode: "kantor", heldStart: at } })).rejects.toThrow(/Unique constraint|unique/i);
    await t.db.appointment.update({ where: { id: first.id }, data: { status: "cancelled", heldStart: null } });
    const again = await t.db.$transaction((tx) => claimSlot(tx, row(case2.id, cons.staff.id, at)));
    expect(again).not.toBeNull();
    expect(await t.db.appointment.count({ where: { consultantId: cons.staff.id, startsAt: at } })).toBe(2);
  });
});
