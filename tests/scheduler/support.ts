/** Rows and helpers the scheduler tests share: the office calendar, texts, people, cases. */
import type { Db } from "../../src/db/client.js";
import { createLogger } from "../../src/logging/logger.js";
import { OfficeCalendar, loadHolidaysFile } from "../../src/domain/calendar/office-calendar.js";
import { Sweeper, type SweeperOptions } from "../../src/scheduler/sweeper.js";
import { readTextsDir } from "../../src/scheduler/texts.js";
import type { Texts } from "../../src/i18n/index.js";
import { zonedTime } from "../../src/shared/time.js";

export const TZ = "Asia/Makassar";
export const logger = createLogger({ level: "silent" });
export const texts: Texts = readTextsDir("conversations", (f) => f === "reminders.yaml" || f === "impact.yaml" || f === "appointments.yaml" || f === "announcements.yaml");

export function calendar(overrides: Partial<ConstructorParameters<typeof OfficeCalendar>[0]> = {}): OfficeCalendar {
  return new OfficeCalendar({
    tz: TZ,
    quietStart: "21:00",
    quietEnd: "07:00",
    workingDays: [1, 2, 3, 4, 5, 6],
    workStart: "08:00",
    workEnd: "16:00",
    holidays: loadHolidaysFile("conversations/holidays.yaml"),
    ...overrides,
  });
}

/** An instant from a WITA wall-clock time: wita("2026-03-16 09:00"). */
export function wita(local: string): Date {
  const [date, time] = local.split(" ") as [string, string];
  return zonedTime(date, time, TZ);
}

/** A sweeper on the test's database (`sqlite`: its connection, which the outbox runs on). */
export function sweeper(database: Pick<SweeperOptions, "db" | "provider" | "sqlite">, extra: Partial<SweeperOptions> = {}): Sweeper {
  const { db, provider, sqlite } = database;
  return new Sweeper({ db, provider, ...(sqlite ? { sqlite } : {}), calendar: extra.calendar ?? calendar(), texts: () => texts, logger, ...extra });
}

let seq = 0;
const next = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function client(db: Db, o: { name?: string; channel?: string; language?: string; remindersOn?: boolean } = {}) {
  const c = await db.client.create({ data: { fullName: o.name ?? "Ni Made Sari", language: o.language ?? "id" } });
  const identity = await db.identity.create({
    data: {
      channel: o.channel ?? "telegram",
      address: `c-${next()}`,
      clientId: c.id,
      language: o.language ?? "id",
      remindersOn: o.remindersOn ?? true,
    },
  });
  return { client: c, identity };
}

export async function staff(db: Db, o: { role: "admin" | "consultant" | "head"; name?: string; language?: string; channel?: string }) {
  const s = await db.staff.create({ data: { name: o.name ?? `${o.role} ${next()}`, role: o.role } });
  const identity = await db.identity.create({
    data: { channel: o.channel ?? "telegram", address: `s-${next()}`, staffId: s.id, language: o.language ?? "id" },
  });
  return { staff: s, identity };
}

export async function consultationCase(
  db: Db,
  o: { clientId: string; status: string; step: number; consultantId?: string | null; regNumber?: string },
) {
  return db.consultationCase.create({
    data: {
      regNumber: o.regNumber ?? `PLUT-GIA-2026-${next()}`,
      clientId: o.clientId,
      status: o.status,
      step: o.step,
      consultantId: o.consultantId ?? null,
    },
  });
}

export async function actionPlan(db: Db, caseId: string, items: Array<{ action: string; targetDate: string }>) {
  const plan = await db.actionPlan.create({ data: { caseId, status: "agreed", agreedAt: new Date("2026-03-01T00:00:00Z") } });
  const rows = [];
  for (const [i, it] of items.entries()) {
    rows.push(
      await db.actionPlanItem.create({
        data: {
          planId: plan.id,
          position: i + 1,
          action: it.action,
          who: "pemilik usaha",
          targetDate: new Date(`${it.targetDate}T00:00:00.000Z`),
          indicator: "terlaksana",
        },
      }),
    );
  }
  return { plan, items: rows };
}

export async function outbox(db: Db) {
  return db.outboxMessage.findMany({ orderBy: [{ createdAt: "asc" }, { seq: "asc" }] });
}

export function textOf(payloadJson: string): string {
  const p = JSON.parse(payloadJson) as { text?: string };
  return p.text ?? "";
}

/** Empty the tables the scheduler tests write, children first. */
export async function resetDb(db: Db): Promise<void> {
  await db.outboxMessage.deleteMany();
  await db.reminder.deleteMany();
  await db.announcementRecipient.deleteMany();
  await db.announcement.deleteMany();
  await db.auditLog.deleteMany();
  await db.processedInbound.deleteMany();
  await db.conversationSession.deleteMany();
  await db.actionPlanItem.deleteMany();
  await db.actionPlan.deleteMany();
  await db.monitoringVisit.deleteMany();
  await db.assignment.deleteMany();
  await db.caseEvent.deleteMany();
  await db.consultationCase.deleteMany();
  await db.identity.deleteMany();
  await db.client.deleteMany();
  await db.staff.deleteMany();
}
