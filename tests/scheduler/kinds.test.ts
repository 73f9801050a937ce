/**
 * Every registered reminder kind fires once, at the right local time, to the right people, with
 * texts that are filled in. A kind without a fixture here fails the suite.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { writeMorningReminders } from "../../src/scheduler/jobs.js";
import {
  planActionItemReminders,
  planImpactFollowups,
  planAppointmentReminders,
  planMonitoringReminders,
  planRegistrationReminders,
  planSlaReminders,
  planStepEscalations,
  planComplaintOverdue,
  REMINDER_KIND_DEFS,
} from "../../src/scheduler/kinds/index.js";
import { confirmAndSend, createDraft, rsvp } from "../../src/domain/announcements/index.js";
import { useTestDatabase } from "../support/db.js";
import * as s from "./support.js";

interface Stage {
  /** The local time the stage must fire at (nothing a minute earlier). */
  at: Date;
  to: string[];
  contains: string[];
  choices?: string[];
}

interface Fixture {
  setup(db: Db): Promise<Stage[]>;
  /** Run before each sweep (the morning jobs that write the day's rows: a new day brings a new list). */
  tick?(db: Db, now: Date): Promise<void>;
}

const cal = s.calendar();

/** A booked appointment on Wednesday 18 March 2026 at 10:00 WITA, its reminders planned on Monday; only `kind`'s rows kept. */
async function bookedAppointment(db: Db, kind: string) {
  const c = await s.client(db, { name: "Wayan Tirta" });
  const cons = await s.staff(db, { role: "consultant", name: "Bu Rai" });
  const kase = await s.consultationCase(db, { clientId: c.client.id, status: "in_consultation", step: 4, consultantId: cons.staff.id, regNumber: "PLUT-GIA-2026-000108" });
  const startsAt = s.wita("2026-03-18 10:00");
  const a = await db.appointment.create({ data: { caseId: kase.id, consultantId: cons.staff.id, startsAt, endsAt: s.wita("2026-03-18 11:00"), mode: "online", link: "https://meet.example/abc", heldStart: startsAt } });
  await db.$transaction((tx) =>
    planAppointmentReminders(tx, { appointmentId: a.id, startsAt, caseId: kase.id, clientId: c.client.id, clientIdentityId: c.identity.id, consultantId: cons.staff.id, now: s.wita("2026-03-16 10:00"), calendar: cal }),
  );
  await db.reminder.deleteMany({ where: { kind: { not: kind } } });
  return { c, cons };
}

/**
 * An announcement with sign-up (quota `quota`, closing Thursday 26 March 17:00, event Friday 27
 * March 10:00) confirmed on Monday 16 March 10:00 to `names` (Telegram); only `kind`'s rows kept.
 */
async function announced(db: Db, kind: string | null, names: string[], quota = 10) {
  const admin = await s.staff(db, { role: "admin" });
  const people = [];
  for (const name of names) people.push(await s.client(db, { name }));
  const at = s.wita("2026-03-16 10:00");
  const { id } = await createDraft(db, {
    staffId: admin.staff.id, title: "Pelatihan foto produk", text: "Pelatihan gratis di aula PLUT.",
    rsvp: { quota, closesAt: s.wita("2026-03-26 17:00") }, eventAt: s.wita("2026-03-27 10:00"), filter: {}, now: at,
  });
  await confirmAndSend(db, id, admin.staff.id, at, { tz: s.TZ });
  if (kind) await db.reminder.deleteMany({ where: { kind: { not: kind } } });
  return { id, people, at };
}

const FIXTURES: Record<string, Fixture> = {
  announcement: {
    async setup(db) {
      const { people, at } = await announced(db, null, ["Wayan Ayu", "Made Oka"]);
      await db.reminder.deleteMany({ where: { kind: { not: "announcement" } } });
      return [{ at, to: people.map((p) => p.identity.id), contains: ["Pelatihan foto produk", "Pelatihan gratis di aula PLUT.", "berhenti info", "10 orang"], choices: ["yes", "no"] }];
    },
  },
  announcement_promoted: {
    async setup(db) {
      const { id, people } = await announced(db, "announcement_promoted", ["Wayan Ayu", "Made Oka"], 1);
      const [a, b] = people.map((p) => p.client.id) as [string, string];
      await rsvp(db, { announcementId: id, clientId: a, answer: "yes", now: s.wita("2026-03-16 11:00") });
      await rsvp(db, { announcementId: id, clientId: b, answer: "yes", now: s.wita("2026-03-16 11:05") });
      const freed = s.wita("2026-03-17 08:00");
      await rsvp(db, { announcementId: id, clientId: a, answer: "cancel", now: freed });
      return [{ at: freed, to: [people[1]!.identity.id], contains: ["Made Oka", "Pelatihan foto produk", "tempat yang kosong"], choices: ["cancel"] }];
    },
  },
  announcement_event: {
    async setup(db) {
      const { id, people } = await announced(db, "announcement_event", ["Wayan Ayu", "Made Oka", "Ketut Sari"]);
      await rsvp(db, { announcementId: id, clientId: people[0]!.client.id, answer: "yes", now: s.wita("2026-03-16 11:00") });
      await rsvp(db, { announcementId: id, clientId: people[2]!.client.id, answer: "no", now: s.wita("2026-03-16 11:00") });
      // The day before at 09:00 (not 19 March: Nyepi, a silent day, would hold it to the 20th).
      return [{ at: s.wita("2026-03-26 09:00"), to: [people[0]!.identity.id], contains: ["Wayan Ayu", "besok", "Pelatihan foto produk", "27 Maret 2026"] }];
    },
  },

  registration_incomplete: {
    async setup(db) {
      const c = await s.client(db, { name: "Wayan Sudarma" });
      const kase = await s.consultationCase(db, { clientId: c.client.id, status: "incomplete", step: 2, regNumber: "PLUT-GIA-2026-000101" });
      await db.$transaction((tx) =>
        planRegistrationReminders(tx, {
          caseId: kase.id,
          clientIdentityId: c.identity.id,
          missing: ["identity_document", "nik"],
          since: s.wita("2026-03-16 10:00"),
          calendar: cal,
        }),
      );
      return [
        { at: s.wita("2026-03-17 09:00"), to: [c.identity.id], contains: ["Wayan Sudarma", "PLUT-GIA-2026-000101", "foto KTP", "NIK"] },
        { at: s.wita("2026-03-20 09:00"), to: [c.identity.id], contains: ["pengingat terakhir", "PLUT-GIA-2026-000101"] },
      ];
    },
  },
  action_item_due: {
    async setup(db) {
      const c = await s.client(db, { name: "Ketut Ayu" });
      const kase = await s.consultationCase(db, { clientId: c.client.id, status: "action_plan", step: 5 });
      const { items } = await s.actionPlan(db, kase.id, [{ action: "Daftar NIB di OSS", targetDate: "2026-03-17" }]);
      await db.$transaction((tx) =>
        planActionItemReminders(tx, { caseId: kase.id, clientIdentityId: c.identity.id, items, calendar: cal }),
      );
      return [
        { at: s.wita("2026-03-16 09:00"), to: [c.identity.id], contains: ["Ketut Ayu", "besok", "Selasa, 17 Maret 2026", "Daftar NIB di OSS"], choices: ["done", "not_yet", "help"] },
        { at: s.wita("2026-03-17 09:00"), to: [c.identity.id], contains: ["hari ini", "Daftar NIB di OSS"], choices: ["done", "not_yet", "help"] },
      ];
    },
  },
  monitoring_checkin: {
    async setup(db) {
      const c = await s.client(db, { name: "Made Wirawan", language: "en" });
      const cons = await s.staff(db, { role: "consultant" });
      const kase = await s.consultationCase(db, { clientId: c.client.id, status: "monitoring", step: 6, consultantId: cons.staff.id, regNumber: "PLUT-GIA-2026-000103" });
      const visit = await db.monitoringVisit.create({ data: { caseId: kase.id, scheduledFor: new Date("2026-03-18T00:00:00.000Z") } });
      await db.$transaction((tx) =>
        planMonitoringReminders(tx, {
          caseId: kase.id,
          visitId: visit.id,
          clientIdentityId: c.identity.id,
          consultantStaffId: cons.staff.id,
          scheduledFor: visit.scheduledFor,
          calendar: cal,
        }),
      );
      return [{ at: s.wita("2026-03-18 09:00"), to: [c.identity.id], contains: ["Hello Made Wirawan", "Wednesday, 18 March 2026", "PLUT-GIA-2026-000103"] }];
    },
  },
  monitoring_today: {
    async setup(db) {
      const c = await s.client(db, { name: "Nyoman Arta" });
      const cons = await s.staff(db, { role: "consultant", name: "Putu Konsultan" });
      const other = await s.staff(db, { role: "consultant", name: "Tanpa Jadwal" });
      const kase = await s.consultationCase(db, { clientId: c.client.id, status: "monitoring", step: 6, consultantId: cons.staff.id, regNumber: "PLUT-GIA-2026-000104" });
      await db.monitoringVisit.create({ data: { caseId: kase.id, scheduledFor: new Date("2026-03-16T00:00:00.000Z") } });
      void other;
      return [{ at: s.wita("2026-03-16 07:30"), to: [cons.identity.id], contains: ["monitoring", "PLUT-GIA-2026-000104", "Nyoman Arta"] }];
    },
    tick: async (db, now) => void (await writeMorningReminders(db, cal, now, "monitoring_today")),
  },
  sla_admin_confirm: {
    async setup(db) {
      const c = await s.client(db, { name: "Komang Dewi" });
      const admin1 = await s.staff(db, { role: "admin" });
      const admin2 = await s.staff(db, { role: "admin", language: "en" });
      const head = await s.staff(db, { role: "head" });
      await s.staff(db, { role: "consultant" });
      const kase = await s.consultationCase(db, { clientId: c.client.id, status: "awaiting_routing", step: 3, regNumber: "PLUT-GIA-2026-000105" });
      await db.$transaction((tx) => planSlaReminders(tx, { caseId: kase.id, step: 3, startedAt: s.wita("2026-03-16 09:00"), calendar: cal }));
      return [
        { at: s.wita("2026-03-16 09:15"), to: [admin1.identity.id, admin2.identity.id], contains: ["PLUT-GIA-2026-000105", "15"] },
        { at: s.wita("2026-03-16 09:30"), to: [head.identity.id], contains: ["Kepala UPT", "PLUT-GIA-2026-000105", "30 menit"] },
      ];
    },
  },
  complaint_overdue: {
    async setup(db) {
      const c = await s.client(db, { name: "Wayan Sukra" });
      // An admin exists, but with a head account the escalation goes to the head only.
      await s.staff(db, { role: "admin" });
      const head = await s.staff(db, { role: "head" });
      const identityId = c.identity.id;
      const waiting = await db.complaint.create({ data: { identityId, clientId: c.client.id, text: "Belum ada yang menghubungi saya.", createdAt: s.wita("2026-03-16 09:00") } });
      const answered = await db.complaint.create({ data: { identityId, clientId: c.client.id, text: "Sudah dijawab.", status: "answered", createdAt: s.wita("2026-03-16 09:00") } });
      for (const x of [waiting, answered]) {
        await db.$transaction((tx) => planComplaintOverdue(tx, { complaintId: x.id, receivedAt: x.createdAt, deadlineDays: 3, calendar: cal }));
      }
      // Monday 16 March 09:00, three working days: Tuesday 17, then Nyepi and Idulfitri (18-24 March) do
      // not count, Wednesday 25 and Thursday 26 at 16:00. The answered one sends nothing.
      return [{ at: s.wita("2026-03-26 16:00"), to: [head.identity.id], contains: [`#${waiting.id.slice(-6)}`, "3 hari kerja", "Belum ada yang menghubungi saya."] }];
    },
  },
  sla_consultant_accept: {
    async setup(db) {
      const c = await s.client(db, { name: "Gede Putra" });
      const admin = await s.staff(db, { role: "admin" });
      const head = await s.staff(db, { role: "head" });
      const cons = await s.staff(db, { role: "consultant", name: "Ibu Sri" });
      const kase = await s.consultationCase(db, {
        clientId: c.client.id, status: "awaiting_acceptance", step: 4, consultantId: cons.staff.id, regNumber: "PLUT-GIA-2026-000106",
      });
      // Saturday 15:50: 10 minutes on Saturday, 10 on Monday.
      await db.$transaction((tx) => planSlaReminders(tx, { caseId: kase.id, step: 4, startedAt: s.wita("2026-03-14 15:50"), calendar: cal }));
      return [
        { at: s.wita("2026-03-16 08:10"), to: [admin.identity.id, cons.identity.id], contains: ["PLUT-GIA-2026-000106", "Ibu Sri", "20 menit"] },
        { at: s.wita("2026-03-16 08:30"), to: [head.identity.id], contains: ["Kepala UPT", "PLUT-GIA-2026-000106", "40 menit"] },
      ];
    },
  },
  impact_followup: {
    async setup(db) {
      const c = await s.client(db, { name: "Ni Ketut Sari" });
      const kase = await s.consultationCase(db, { clientId: c.client.id, status: "closed", step: 11, regNumber: "PLUT-GIA-2026-000108" });
      // Closed Tuesday 16 December 2025: three months later is Monday 16 March 2026.
      await db.$transaction((tx) => planImpactFollowups(tx, { caseId: kase.id, clientIdentityId: c.identity.id, closedAt: s.wita("2025-12-16 10:00"), calendar: cal }));
      return [
        { at: s.wita("2026-03-16 09:00"), to: [c.identity.id], contains: ["Ni Ketut Sari", "3 bulan", "PLUT-GIA-2026-000108"], choices: ["start", "decline"] },
        // A week later is Monday 23 March, a collective leave day around Idul Fitri (holidays.yaml): the next working day.
        { at: s.wita("2026-03-25 09:00"), to: [c.identity.id], contains: ["Ni Ketut Sari", "pesan terakhir"], choices: ["start", "decline"] },
        // Six months: 16 June is Islamic New Year and 17 June Galungan: Thursday 18 June, then a week later.
        { at: s.wita("2026-06-18 09:00"), to: [c.identity.id], contains: ["6 bulan", "PLUT-GIA-2026-000108"], choices: ["start", "decline"] },
        { at: s.wita("2026-06-25 09:00"), to: [c.identity.id], contains: ["pesan terakhir"], choices: ["start", "decline"] },
      ];
    },
  },
  sla_step: {
    async setup(db) {
      const c = await s.client(db, { name: "Made Sari" });
      const admin = await s.staff(db, { role: "admin" });
      const head = await s.staff(db, { role: "head" });
      const cons = await s.staff(db, { role: "consultant", name: "Pak Wayan" });
      const late = await s.consultationCase(db, { clientId: c.client.id, status: "final_report", step: 8, consultantId: cons.staff.id, regNumber: "PLUT-GIA-2026-000108" });
      await db.caseEvent.create({ data: { caseId: late.id, step: 8, kind: "started", at: s.wita("2026-03-16 09:00"), actorType: "staff" } });
      // Waiting on the client since the same minute: its clock is stopped, it never escalates.
      const waiting = await s.consultationCase(db, { clientId: c.client.id, status: "monitoring", step: 6, consultantId: cons.staff.id, regNumber: "PLUT-GIA-2026-000109" });
      await db.caseEvent.create({ data: { caseId: waiting.id, step: 6, kind: "started", at: s.wita("2026-03-16 09:00"), actorType: "staff" } });
      await db.caseEvent.create({ data: { caseId: waiting.id, step: 6, kind: "waiting", at: s.wita("2026-03-16 09:00"), actorType: "system" } });
      return [
        // Over the 45 working minutes of step 8: the admins and the case's consultant.
        { at: s.wita("2026-03-16 09:46"), to: [admin.identity.id, cons.identity.id], contains: ["PLUT-GIA-2026-000108", "tahap 8", "46 menit", "standar SOP 45 menit"] },
        // Twice the standard: the head.
        { at: s.wita("2026-03-16 10:30"), to: [head.identity.id], contains: ["Kepala UPT", "PLUT-GIA-2026-000108", "90 menit"] },
      ];
    },
    tick: async (db, now) => void (await planStepEscalations(db, { now, calendar: cal })),
  },
  consultant_digest: {
    async setup(db) {
      const c = await s.client(db, { name: "Luh Sekar" });
      const cons = await s.staff(db, { role: "consultant", name: "Pak Budi" });
      await s.staff(db, { role: "consultant", name: "Tanpa Kasus" });
      const kase = await s.consultationCase(db, { clientId: c.client.id, status: "action_plan", step: 5, consultantId: cons.staff.id, regNumber: "PLUT-GIA-2026-000107" });
      await s.actionPlan(db, kase.id, [
        { action: "Buat akun marketplace", targetDate: "2026-03-16" },
        { action: "Foto produk", targetDate: "2026-03-12" },
        { action: "Nanti saja", targetDate: "2026-03-30" },
      ]);
      return [
        {
          at: s.wita("2026-03-16 07:30"),
          to: [cons.identity.id],
          contains: ["Selamat pagi, Pak Budi", "PLUT-GIA-2026-000107", "Luh Sekar", "Buat akun marketplace", "terlambat", "Foto produk"],
        },
      ];
    },
    tick: async (db, now) => void (await writeMorningReminders(db, cal, now, "consultant_digest")),
  },
  appointment_reminder: {
    async setup(db) {
      const { c } = await bookedAppointment(db, "appointment_reminder");
      return [
        { at: s.wita("2026-03-17 09:00"), to: [c.identity.id], contains: ["Wayan Tirta", "besok", "Rabu", "10.00", "Bu Rai", "https://meet.example/abc"], choices: ["move", "cancel"] },
        { at: s.wita("2026-03-18 09:00"), to: [c.identity.id], contains: ["satu jam lagi", "10.00", "PLUT-GIA-2026-000108"] },
      ];
    },
  },
  appointment_reminder_staff: {
    async setup(db) {
      const { cons } = await bookedAppointment(db, "appointment_reminder_staff");
      return [
        { at: s.wita("2026-03-17 09:00"), to: [cons.identity.id], contains: ["besok", "Wayan Tirta", "PLUT-GIA-2026-000108"] },
        { at: s.wita("2026-03-18 09:00"), to: [cons.identity.id], contains: ["satu jam lagi", "Wayan Tirta"] },
      ];
    },
  },
  admin_digest: {
    async setup(db) {
      const c = await s.client(db, { name: "Made Arini" });
      const admin1 = await s.staff(db, { role: "admin", name: "Ni Luh Admin" });
      const admin2 = await s.staff(db, { role: "admin", name: "Kadek Admin", language: "en" });
      await s.staff(db, { role: "consultant" });
      await s.staff(db, { role: "head" });
      await s.consultationCase(db, { clientId: c.client.id, status: "awaiting_routing", step: 3, regNumber: "PLUT-GIA-2026-000108" });
      await s.consultationCase(db, { clientId: c.client.id, status: "in_consultation", step: 5, regNumber: "PLUT-GIA-2026-000109" });
      const late = await db.complaint.create({ data: { identityId: c.identity.id, text: "Belum dijawab.", createdAt: s.wita("2026-03-09 10:00"), dueAt: s.wita("2026-03-12 16:00") } });
      await db.complaint.create({ data: { identityId: c.identity.id, text: "Sudah.", status: "answered", createdAt: s.wita("2026-03-09 10:00") } });
      return [
        {
          at: s.wita("2026-03-16 07:30"),
          to: [admin1.identity.id, admin2.identity.id],
          contains: ["Selamat pagi, Ni Luh Admin", "Good morning, Kadek Admin", "PLUT-GIA-2026-000108", "Made Arini", `#${late.id.slice(-6)}`, "lewat batas jawab", "(1)"],
        },
      ];
    },
    tick: async (db, now) => void (await writeMorningReminders(db, cal, now, "admin_digest")),
  },
};

const t = useTestDatabase();
beforeEach(async () => {
  await s.resetDb(t.db);
});

describe("admin_digest", () => {
  it("sends nothing on a morning when nothing waits (cases routed, complaints answered)", async () => {
    const db = t.db;
    const c = await s.client(db, { name: "Made Arini" });
    await s.staff(db, { role: "admin" });
    await s.consultationCase(db, { clientId: c.client.id, status: "in_consultation", step: 5 });
    await db.complaint.create({ data: { identityId: c.identity.id, text: "Sudah ditutup.", status: "closed" } });
    const r = await writeMorningReminders(db, cal, s.wita("2026-03-16 07:30"), "admin_digest");
    expect(r.created).toBe(1);
    await s.sweeper(t, { calendar: cal }).sweep(s.wita("2026-03-16 07:31"));
    expect(await s.outbox(db)).toEqual([]);
    expect(await db.reminder.findFirstOrThrow({ where: { kind: "admin_digest" } })).toMatchObject({ status: "cancelled" });
  });
});

describe("every registered kind fires once at the right local time", () => {
  it("has a fixture for every registered kind", () => {
    const missing = REMINDER_KIND_DEFS.map((k) => k.kind).filter((k) => !FIXTURES[k]);
    expect(missing, `kinds without a test fixture in tests/scheduler/kinds.test.ts`).toEqual([]);
  });

  for (const def of REMINDER_KIND_DEFS) {
    it(`${def.kind} (${def.audience})`, async () => {
      const fixture = FIXTURES[def.kind];
      expect(fixture, `no fixture for ${def.kind}`).toBeDefined();
      const db = t.db;
      const stages = await fixture!.setup(db);
      const sw = s.sweeper(t, { calendar: cal });
      let seen = 0;
      for (const stage of stages) {
        const early = new Date(stage.at.getTime() - 60_000);
        await fixture!.tick?.(db, early);
        await sw.sweep(early);
        expect((await s.outbox(db)).length, `nothing before ${stage.at.toISOString()}`).toBe(seen);
        await fixture!.tick?.(db, stage.at);
        await sw.sweep(stage.at);
          const rows = (await s.outbox(db)).slice(seen);
        expect(rows.map((r) => r.identityId).sort()).toEqual([...stage.to].sort());
        for (const row of rows) {
          const payload = JSON.parse(row.payloadJson) as { text: string; choices?: { id: string; label: string }[] };
          expect(payload.text).not.toMatch(/\{[a-zA-Z]+\}|reminder\./);
          expect(row.idempotencyKey).toMatch(new RegExp(`^reminder:[^:]+:${row.identityId}$`));
          expect(row.nextAttemptAt.getTime()).toBe(stage.at.getTime());
          if (stage.choices) expect(payload.choices?.map((c) => c.id.split(":")[2])).toEqual(stage.choices);
        }
        // Every expected phrase appears in the message of at least one recipient (languages differ).
        const all = rows.map((r) => s.textOf(r.payloadJson)).join("\n");
        for (const c of stage.contains) expect(all).toContain(c);
        seen += rows.length;
      }
      // Later sweeps (and the morning jobs again) send nothing more: each fired once.
      const last = stages.at(-1)!.at.getTime();
      const laterToday = new Date(last + 6 * 3600_000);
      for (const later of [new Date(last), new Date(last + 60_000), laterToday, ...(fixture!.tick ? [] : [s.wita("2026-04-10 10:00")])]) {
        await fixture!.tick?.(db, later);
        await sw.sweep(later);
      }
      expect((await s.outbox(db)).length).toBe(seen);
      const open = await db.reminder.count({ where: { kind: def.kind, status: { in: ["pending", "claimed"] } } });
      expect(open).toBe(0);
    });
  }
});
