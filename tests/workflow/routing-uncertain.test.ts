/**
 * Step 3 when the router is not sure: with auto-assignment on, a case whose two most likely areas
 * are about equally likely is not assigned; the admins see both areas with their reasons and a
 * button for each. A clear case is still assigned at once. Driven through the chat, as people do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/domain/staff/invites.js";
import { startTestService, type TestService } from "../support/service.js";

const ADMIN = "staff-admin";
const FINANCE = "staff-finance";
const DIGITAL = "staff-digital";
const KTP = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("KTP".repeat(300))]);

let t: TestService;

async function say(who: string, what: string | Buffer): Promise<string[]> {
  const before = t.channel.inbox(who).length;
  if (Buffer.isBuffer(what)) await t.channel.photo(who, what);
  else if (what.startsWith("#")) await t.channel.choice(who, what.slice(1));
  else await t.channel.text(who, what);
  await t.flush();
  return t.channel.texts(who).slice(before);
}

async function linkStaff(who: string, role: "admin" | "consultant", name: string, areas: string[] = []): Promise<void> {
  const { code } = await t.service.database.db.$transaction((tx) => createInvite(tx, { role, name, areas, createdById: null, now: t.clock.now() }));
  await say(who, code);
}

/**
 * A registration with the given problem; the client picks "keuangan/permodalan" and needs capital.
 * `numbers` answers the PLUT member number and the NIB as a client without them would.
 */
async function register(who: string, name: string, nik: string, problem: string, numbers: string[] = ["lewati", "tidak"]): Promise<string> {
  const [plut, ...nib] = numbers;
  const script: Array<string | Buffer> = [
    "/start", "#menu:registration", "#agree", name, "#P", "12-08-1985", nik, "081234567890",
    "Jl. Raya Ubud No. 5", "Ubud", "Peliatan", "lewati", plut!, "Warung Ayu", "#kuliner", "#ud", "Nasi campur",
    ...nib, "2015", "3", "#r5_25jt", "1,3", "lewati", "#ktp", KTP, "lewati",
    problem, "1", "selesai", "ya", "15 juta", "1", "1", "3", "1", "7", "1", "1",
  ];
  for (const s of script) await say(who, s);
  const out = (await say(who, "kirim")).join("\n");
  const m = /PLUT-GIA-2026-\d{6}/.exec(out);
  expect(m, out).not.toBeNull();
  return m![0];
}

beforeAll(async () => {
  t = await startTestService();
  await linkStaff(ADMIN, "admin", "Ni Luh Admin");
  await linkStaff(FINANCE, "consultant", "I Wayan Keuangan", ["pembiayaan"]);
  await linkStaff(DIGITAL, "consultant", "Kadek Digital", ["digital"]);
  expect((await say(ADMIN, "otomatis on")).join("\n")).toMatch(/otomatis AKTIF/);
});
afterAll(async () => t?.close());

describe("otomatis on and an uncertain recommendation", () => {
  it("a tie is not assigned: the admins get both areas with their reasons and one button each", async () => {
    const before = t.channel.inbox(ADMIN).length;
    const reg = await register("client-tie", "Ni Made Ayu Lestari", "5104015208850003", "Warung saya mau mulai pakai QRIS");
    const db = t.service.database.db;
    const c = await db.consultationCase.findUniqueOrThrow({ where: { regNumber: reg }, include: { routing: true } });
    expect(c.status).toBe("awaiting_routing");
    expect(c.areaCode).toBeNull();
    expect(c.routing[0]?.recommended).toBe("");
    expect(c.routing[0]?.decidedBy).toBeNull();
    expect(c.routing[0]?.explanation).toMatch(/^dua bidang sama mungkin: digital \(.*\) \/ pembiayaan \(.*\) -> admin memilih$/);

    const sent = t.channel.inbox(ADMIN).slice(before).filter((m) => m.type === "text" && m.text.includes(reg));
    expect(sent).toHaveLength(1);
    const card = sent[0]!;
    if (card.type !== "text") throw new Error("expected a text");
    expect(card.text).toContain("Penentuan otomatis tidak dipakai untuk kasus ini");
    expect(card.text).toContain("Rekomendasi: belum ada, dua bidang sama mungkin");
    expect(card.text).toMatch(/• Digital.*\(skor \d[\d.,]*\): disebut: pembayaran digital/);
    expect(card.text).toMatch(/• .*Pembiayaan.*\(skor \d[\d.,]*\): klien memilih keuangan\/permodalan; butuh modal/);
    const ids = (card.choices ?? []).map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining([`c:${c.id}:route:digital`, `c:${c.id}:route:pembiayaan`, `c:${c.id}:areas`]));

    await say(ADMIN, `#c:${c.id}:route:digital`);
    const after = await db.consultationCase.findUniqueOrThrow({ where: { id: c.id }, include: { routing: true } });
    expect(after.areaCode).toBe("digital");
    expect(after.routing[0]?.decidedBy).toBe("admin");
    expect(after.routing[0]?.overridden).toBe(false);
    expect(t.channel.texts(DIGITAL).join("\n")).toContain(reg);
  }, 60_000);

  it("a clear recommendation is still assigned at once", async () => {
    // "blm punya" a member number and "lupa nomornya" for the NIB: answers, never stored as the numbers.
    const reg = await register("client-clear", "ni kadek sari", "5104015208850011", "Saya butuh modal untuk tambah gerobak, mau ajukan KUR ke BRI tapi belum ada pembukuan", ["blm punya", "ya", "lupa nomornya"]);
    const c = await t.service.database.db.consultationCase.findUniqueOrThrow({ where: { regNumber: reg }, include: { routing: true, client: true, business: true } });
    expect(c.client.fullName).toBe("Ni Kadek Sari");
    expect(c.client.plutMemberNo).toBeNull();
    expect(c.business?.nibTdp).toBeNull();
    expect(c.routing[0]?.recommended).toBe("pembiayaan");
    expect(c.routing[0]?.decidedBy).toBe("auto");
    expect(c.areaCode).toBe("pembiayaan");
    expect(c.status).toBe("awaiting_acceptance");
    expect(t.channel.texts(FINANCE).join("\n")).toContain(reg);
  }, 60_000);
});
