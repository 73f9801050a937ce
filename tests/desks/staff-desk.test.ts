/**
 * The staff desk through the service's own door: commands from the registry (Indonesian, English,
 * Telegram's "/" form), help and menus per role, buttons picked by typing their number, and the
 * typed inputs that run as engine flows (a command in between keeps the input, "batal" ends it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { commandMenu } from "../../src/desks/command-menu.js";
import { STAFF_COMMANDS, findCommand } from "../../src/desks/staff/commands/index.js";
import { startTestService, type TestService } from "../support/service.js";
import { loadConversations } from "../../src/flows/load.js";
import { createLogger } from "../../src/logging/logger.js";

const realConversations = () => loadConversations("conversations");

const silent = createLogger({ level: "silent" });
const ADMIN = "desk-admin";
const CONSULTANT = "desk-consultant";
let t: TestService;
let caseId = "";
let regNumber = "";

async function say(who: string, what: string): Promise<string> {
  const before = t.channel.inbox(who).length;
  if (what.startsWith("#")) await t.channel.choice(who, what.slice(1));
  else await t.channel.text(who, what);
  await t.flush();
  return t.channel.texts(who).slice(before).join("\n");
}

async function link(who: string, role: "admin" | "consultant", name: string, areas: string[] = []): Promise<string> {
  const db = t.service.database.db;
  const { code } = await db.$transaction((tx) => createInvite(tx, { role, name, areas, createdById: null, now: t.clock.now() }));
  return say(who, code);
}

async function session(who: string): Promise<{ flowId: string | null; status: string } | null> {
  const identity = await t.service.database.db.identity.findFirstOrThrow({ where: { address: who } });
  return t.service.database.db.conversationSession.findUnique({ where: { identityId: identity.id }, select: { flowId: true, status: true } });
}

beforeAll(async () => {
  t = await startTestService();
  const welcome = await link(ADMIN, "admin", "Ni Luh Admin");
  expect(welcome).toContain("undang <peran>");
  expect(await link(CONSULTANT, "consultant", "I Wayan Konsultan", ["pembiayaan"])).toContain("kasusku");
  const db = t.service.database.db;
  const consultant = await db.staff.findFirstOrThrow({ where: { name: "I Wayan Konsultan" } });
  const client = await db.client.create({ data: { fullName: "Ni Made Sari", language: "id" } });
  await db.identity.create({ data: { channel: "web", address: "desk-client", clientId: client.id, language: "id", consentedAt: t.clock.now() } });
  const c = await db.consultationCase.create({ data: { regNumber: "PLUT-GIA-2026-000901", clientId: client.id, status: "in_consultation", step: 4, consultantId: consultant.id, areaCode: "pembiayaan" } });
  caseId = c.id;
  regNumber = c.regNumber;
});
afterAll(async () => t?.close());

describe("the staff command registry", () => {
  it("has one entry per word, and every command has a name Telegram accepts", () => {
    for (const c of STAFF_COMMANDS) {
      expect(c.name).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(findCommand(c.name)).toBe(c);
      for (const a of c.aliases) expect(findCommand(a)).toBe(c);
    }
    expect(findCommand("/Kasus")).toBe(findCommand("cases"));
    expect(findCommand("tidakada")).toBeUndefined();
  });

  it("gives each role the menu of the commands it may run", () => {
    const texts = realConversations().texts;
    const of = (role: "admin" | "consultant" | "head") => commandMenu(texts, "id", role).map((c) => c.command);
    expect(of("consultant")).toEqual(["menu", "kasusku", "buka", "dashboard", "jadwal", "janji", "hadir"]);
    expect(of("admin")).toEqual(expect.arrayContaining(["pengumuman", "hadir"]));
    expect(of("consultant")).not.toContain("pengumuman");
    expect(of("admin")).toEqual(expect.arrayContaining(["kasus", "bagikan", "laporan", "undang", "otomatis"]));
    expect(of("head")).not.toContain("undang");
    expect(of("head")).toContain("laporan");
    for (const role of ["admin", "consultant", "head"] as const) {
      for (const c of commandMenu(texts, "en", role)) expect(c.description).not.toMatch(/^cmdmenu\./);
    }
  });

  it("answers the help per role, in Indonesian words, English words and the / form", async () => {
    const help = await say(CONSULTANT, "bantuan");
    expect(help).toContain("I Wayan Konsultan");
    expect(help).toContain("kasusku");
    expect(help).not.toContain("undang");
    expect(await say(CONSULTANT, "/menu")).toBe(help);
    expect(await say(ADMIN, "help")).toContain("otomatis on/off");
  });

  it("refuses a command that is not for the role, and a word that is no command", async () => {
    expect(await say(CONSULTANT, "undang konsultan Made bidang pemasaran")).toMatch(/bukan untuk peran Anda/);
    expect(await say(CONSULTANT, "/laporan")).toMatch(/bukan untuk peran Anda/);
    expect(await say(CONSULTANT, "halo")).toMatch(/Perintah tidak dikenal/);
  });

  it("lists the consultant's cases under mycases, and a typed number opens one", async () => {
    expect(await say(CONSULTANT, "mycases")).toMatch(/Kasus terbuka \(1\)/);
    expect(t.channel.lastChoices(CONSULTANT).map((c) => c.label)).toEqual([`${regNumber} · Ni Made Sari`]);
    const card = await say(CONSULTANT, "1");
    expect(card).toContain(regNumber);
    expect(t.channel.lastChoices(CONSULTANT).map((c) => c.id)).toContain(`c:${caseId}:diagnosis`);
    expect(await say(CONSULTANT, `/buka ${regNumber}`)).toContain(regNumber);
  });
});

describe("typed inputs as flows", () => {
  it("keeps the diagnosis waiting across a command, then records it and ends the flow", async () => {
    expect(await say(CONSULTANT, `#c:${caseId}:diagnosis`)).toMatch(/Tulis diagnosis awal/);
    expect(await session(CONSULTANT)).toMatchObject({ flowId: "staff_diagnosis", status: "active" });
    expect(await say(CONSULTANT, "kasusku")).toMatch(/Kasus terbuka/);
    await say(CONSULTANT, "Usaha sehat, belum ada pembukuan.");
    const notes = await t.service.database.db.consultationNote.findMany({ where: { caseId, kind: "diagnosis" } });
    expect(notes.map((n) => n.text)).toEqual(["Usaha sehat, belum ada pembukuan."]);
    expect(await session(CONSULTANT)).toMatchObject({ flowId: null, status: "idle" });
  });

  it("ends the final report at once on batal, writing nothing", async () => {
    expect(await say(CONSULTANT, `#c:${caseId}:report`)).toMatch(/Laporan akhir \(1\/3\)/);
    expect(await say(CONSULTANT, "Ringkasan singkat.")).toMatch(/Laporan akhir \(2\/3\)/);
    expect(await say(CONSULTANT, "batal")).toBe("Dibatalkan.");
    expect(await session(CONSULTANT)).toMatchObject({ flowId: null });
    expect(await t.service.database.db.finalReport.count({ where: { caseId } })).toBe(0);
    expect(await say(CONSULTANT, "Hasil yang dicapai.")).toMatch(/Perintah tidak dikenal/);
  });

  it("asks the monitoring date again when it is in the past, then plans the visit", async () => {
    expect(await say(CONSULTANT, `#c:${caseId}:monitor`)).toMatch(/Tanggal monitoring/);
    expect(await say(CONSULTANT, "1 januari 2020")).toMatch(/sudah lewat/);
    await say(CONSULTANT, "15-01-2027");
    const visit = await t.service.database.db.monitoringVisit.findFirstOrThrow({ where: { caseId } });
    expect(visit.scheduledFor.toISOString().slice(0, 10)).toBe("2027-01-15");
  });

  it("relays the consultant's message (its flow) and the client's reply (typed, no button needed)", async () => {
    await say(CONSULTANT, `#c:${caseId}:message`);
    await say(CONSULTANT, "Mohon siapkan catatan penjualan.");
    expect(t.channel.texts("desk-client").at(-1)).toContain("catatan penjualan");
    // One open case: nothing to choose, no reply button.
    expect(t.channel.lastChoices("desk-client").some((c) => c.id.startsWith("r:"))).toBe(false);
    await say("desk-client", "Baik, besok saya kirim.");
    expect(t.channel.texts(CONSULTANT).at(-1)).toContain("besok saya kirim");
    expect(await t.service.database.db.relayMessage.count({ where: { caseId } })).toBe(2);
  });

  it("takes the services picked one by one, the selection carried in the buttons", async () => {
    await say(CONSULTANT, `#c:${caseId}:services`);
    const first = t.channel.lastChoices(CONSULTANT).find((c) => c.id.endsWith(":svc:pendampingan"))!;
    await say(CONSULTANT, `#${first.id}`);
    expect(t.channel.lastChoices(CONSULTANT).find((c) => c.id.endsWith(":svc:pendampingan"))?.label).toMatch(/^✅/);
    const done = t.channel.lastChoices(CONSULTANT).find((c) => c.id.endsWith(":svcdone"))!;
    await say(CONSULTANT, `#${done.id}`);
    const notes = await t.service.database.db.consultationNote.findMany({ where: { caseId, kind: "service" } });
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toMatch(/pendampingan|Pendampingan/);
  });

  it("does not nudge a staff member about a half-typed input, and forgets it when it expires", async () => {
    await say(CONSULTANT, `#c:${caseId}:note`);
    const job = t.service.jobs.find((j) => j.id === "sessions.nudge")!;
    const seen = t.channel.inbox(CONSULTANT).length;
    t.clock.advance(2 * 3600_000);
    await job.run({ now: t.clock.now(), logger: silent });
    await t.flush();
    expect(t.channel.inbox(CONSULTANT).length).toBe(seen);
    const row = await t.service.database.db.conversationSession.findFirstOrThrow({ where: { identity: { address: CONSULTANT } } });
    expect(row).toMatchObject({ flowId: "staff_note", nudgeDueAt: null });
    t.clock.advance(8 * 86_400_000);
    await job.run({ now: t.clock.now(), logger: silent });
    await t.flush();
    expect(t.channel.inbox(CONSULTANT).length).toBe(seen);
    expect(await session(CONSULTANT)).toMatchObject({ flowId: null, status: "idle" });
  });

  it("answers a button that is not the office's, or has gone stale, kindly", async () => {
    expect(await say(CONSULTANT, "#c:nope:fly")).toMatch(/sudah tidak berlaku/);
    expect(await say(CONSULTANT, "#menu:registration")).toMatch(/sudah tidak berlaku/);
  });
});
