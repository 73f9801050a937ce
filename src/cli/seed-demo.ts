/**
 * `npm run seed:demo`: fills the configured database (DATABASE_URL, the embedded SQLite file by
 * default) with a realistic month of UPT PLUT-KUMKM Gianyar, so a newcomer opens a living
 * dashboard: 9 staff (admins, consultants per area, the head) each with a web-chat identity,
 * 50 clients with businesses across sectors and kecamatan, about 75 cases in every status and SOP
 * step with step events spread around the standard times (some late), routing decisions,
 * assignments, referrals, notes with services, action plans with progress, monitoring visits,
 * final reports, control-card lines, complaints, SKM surveys, identity photos (placeholders) and
 * pending reminders.
 *
 * Deterministic: the same --seed and --now give the same data. It refuses to run on a database
 * that already holds staff, clients or cases (it never mixes demo data into real data).
 *
 *   npm run seed:demo                       # the month up to now
 *   npm run seed:demo -- --now=2026-11-28T10:00:00+08:00 --seed=7
 *
 * At the end it prints a one-time sign-in link for the first admin (valid 15 minutes; the
 * dashboard needs `npm start` running to open it).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import QRCode from "qrcode";
import { ConfigError, loadConfig } from "../config/config.js";
import { DatabaseError, openDatabase, type Db } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { SOP_STEPS, type CaseStatus } from "../domain/cases/steps.js";
import { formatRegNumber } from "../domain/cases/reg-number.js";
import { loadRegions } from "../flows/questions/regions-file.js";
import type { Regions } from "../flows/questions/region.js";
import { createLoginLink } from "../http/dashboard/auth.js";
import { OfficeCalendar } from "../domain/calendar/office-calendar.js";
import { planActionItemReminders, planMonitoringReminders, planRegistrationReminders } from "../scheduler/kinds/index.js";
import { writeJson, ZAssessmentAnswerValue, ZBusinessMarketing, ZNoteServices, ZRoutingRanked, ZStaffAreas, ZSurveyScores } from "../db/json-columns.js";
import { encryptText, loadKeyRing, lookupHash, phoneLookupHash } from "../security/crypto.js";
import { seal, useAtRestKey } from "../security/at-rest.js";
import { addDays, dateOnly, localDateString, localParts, zonedTime } from "../shared/time.js";
import type { FileStore } from "../storage/file-store.js";
import { fileStoreFor } from "../db/shared-storage.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: small, fast, good enough for demo data, and the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rand {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  between(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return Math.floor(this.between(a, b + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
  weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): T {
    const total = pairs.reduce((s, p) => s + p[1], 0);
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r <= 0) return v;
    }
    return pairs[pairs.length - 1]![0];
  }
  some<T>(xs: readonly T[], min: number, max: number): T[] {
    const pool = [...xs];
    const n = Math.min(pool.length, this.int(min, max));
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0] as T);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// The office

const STAFF = [
  { name: "Ni Kadek Dwi Lestari", role: "admin", areas: [] },
  { name: "I Gusti Ngurah Putra Wibawa", role: "admin", areas: [] },
  { name: "I Nyoman Suarjana, S.E.", role: "head", areas: [] },
  { name: "I Made Wirawan", role: "consultant", areas: ["pemasaran", "digital"] },
  { name: "Ni Putu Sri Wahyuni", role: "consultant", areas: ["pemasaran"] },
  { name: "I Ketut Sudiarta", role: "consultant", areas: ["pembiayaan"] },
  { name: "Ni Nyoman Ayu Kartika", role: "consultant", areas: ["produksi", "sdm"] },
  { name: "I Wayan Gede Suryawan", role: "consultant", areas: ["legalitas"] },
  { name: "Ni Komang Tri Utami", role: "consultant", areas: ["kelembagaan", "pembiayaan"] },
] as const;

const AREAS: ReadonlyArray<readonly [string, number]> = [
  ["pemasaran", 30],
  ["pembiayaan", 24],
  ["produksi", 15],
  ["legalitas", 13],
  ["digital", 8],
  ["kelembagaan", 5],
  ["sdm", 5],
];

const KECAMATAN: ReadonlyArray<readonly [string, number]> = [
  ["510401", 20], // Sukawati
  ["510405", 18], // Ubud
  ["510403", 18], // Gianyar
  ["510402", 12], // Blahbatuh
  ["510406", 10], // Tegallalang
  ["510404", 8], // Tampaksiring
  ["510407", 7], // Payangan
  ["luar", 7],
];

const SECTORS: ReadonlyArray<readonly [string, number]> = [
  ["kerajinan", 22],
  ["kuliner", 24],
  ["fashion", 10],
  ["pariwisata", 9],
  ["pertanian", 8],
  ["perdagangan", 9],
  ["jasa", 8],
  ["peternakan", 5],
  ["ksp", 3],
  ["lainnya", 2],
];

const BUSINESS: Record<string, { names: string[]; products: string[] }> = {
  kerajinan: { names: ["Ukiran Kayu", "Perak", "Anyaman Bambu", "Lukisan", "Topeng", "Patung Batu"], products: ["ukiran kayu suar", "perhiasan perak", "keranjang bambu", "lukisan gaya Ubud", "topeng dan wayang", "patung batu paras"] },
  kuliner: { names: ["Warung", "Dapur", "Jaja Bali", "Babi Guling", "Kopi", "Sambal Matah"], products: ["babi guling dan lawar", "jaja Bali untuk upacara", "kopi bubuk", "sambal matah kemasan", "keripik singkong", "kue kering"] },
  fashion: { names: ["Endek", "Songket", "Konveksi", "Butik"], products: ["kain endek tenun ATBM", "songket", "kaos sablon", "kebaya dan kamen"] },
  pariwisata: { names: ["Homestay", "Villa", "Tour", "Spa"], products: ["kamar homestay", "paket tur sawah", "pijat tradisional Bali", "kelas memasak"] },
  pertanian: { names: ["Tani", "Kebun", "Sayur Organik"], products: ["beras merah", "sayur organik", "salak dan jeruk", "bibit tanaman hias"] },
  perdagangan: { names: ["Toko", "Kios", "UD"], products: ["sembako", "perlengkapan upacara (banten)", "bahan bangunan"] },
  jasa: { names: ["Bengkel", "Laundry", "Salon", "Foto"], products: ["servis sepeda motor", "laundry kiloan", "rias pengantin Bali", "foto prewedding"] },
  peternakan: { names: ["Ternak", "Ayam Kampung", "Kolam"], products: ["babi bali", "telur ayam kampung", "ikan nila"] },
  ksp: { names: ["KSP", "Koperasi Serba Usaha"], products: ["simpan pinjam anggota", "unit usaha toko koperasi"] },
  lainnya: { names: ["Usaha"], products: ["daur ulang plastik", "kerajinan sabun"] },
};

const MALE_FIRST = ["I Wayan", "I Putu", "I Gede", "I Made", "I Kadek", "I Nyoman", "I Komang", "I Ketut"];
const FEMALE_FIRST = ["Ni Wayan", "Ni Putu", "Ni Luh", "Ni Made", "Ni Kadek", "Ni Nyoman", "Ni Komang", "Ni Ketut"];
const MALE_LAST = ["Agus Suardana", "Artawan", "Sukarta", "Mertayasa", "Sudarma", "Antara", "Wirata", "Adnyana", "Darmawan", "Suweta", "Parwata", "Arsana", "Budiarta", "Sutama"];
const FEMALE_LAST = ["Sari", "Ayu Lestari", "Dewi", "Suartini", "Sukmawati", "Widiantari", "Astiti", "Rahayu", "Mahayani", "Kartini", "Purnami", "Yuliani", "Sriasih"];
const OTHER_NAMES: Array<[string, "L" | "P"]> = [["Siti Aminah", "P"], ["Budi Santoso", "L"], ["Maria Goreti", "P"], ["Ahmad Fauzi", "L"]];

const PROBLEMS: Record<string, string[]> = {
  pemasaran: [
    "Penjualan turun sejak ada pesaing baru di pasar seni.",
    "Ingin menjual produk lewat marketplace tapi belum tahu caranya.",
    "Produk belum punya merek dan kemasan yang menarik untuk toko oleh-oleh.",
    "Pesanan dari hotel berkurang, ingin mencari pasar baru.",
  ],
  pembiayaan: [
    "Butuh tambahan modal kerja untuk persiapan hari raya Galungan.",
    "Ingin mengajukan KUR tetapi belum punya pembukuan.",
    "Pinjaman menunggak, perlu menata ulang keuangan usaha.",
    "Ingin membeli alat produksi baru, bingung memilih sumber dana.",
  ],
  produksi: [
    "Kualitas produk belum seragam, sering ada keluhan pembeli.",
    "Ingin membuat kemasan yang lebih awet untuk dikirim ke luar Bali.",
    "Kapasitas produksi tidak cukup untuk pesanan besar.",
  ],
  legalitas: [
    "Belum punya NIB dan PIRT, ingin masuk toko modern.",
    "Ingin mendaftarkan merek dagang.",
    "Perlu sertifikat halal untuk pesanan dari luar Bali.",
  ],
  digital: ["Ingin membuat akun media sosial dan toko online.", "Belum bisa memakai aplikasi kasir dan QRIS."],
  kelembagaan: ["Pengurus koperasi ingin memperbaiki tata kelola dan persiapan RAT.", "Anggota kelompok usaha kurang aktif."],
  sdm: ["Sulit mencari tenaga kerja yang terampil.", "Karyawan perlu pelatihan pelayanan tamu."],
};

const SERVICES: Record<string, string[]> = {
  pemasaran: ["konsultasi", "promosi", "networking"],
  pembiayaan: ["konsultasi", "pembiayaan", "pendampingan"],
  produksi: ["pendampingan", "pelatihan", "konsultasi"],
  legalitas: ["advokasi", "pendampingan", "konsultasi"],
  digital: ["pelatihan", "promosi"],
  kelembagaan: ["pendampingan", "mediasi", "konsultasi"],
  sdm: ["pelatihan", "perpustakaan"],
};

const PLAN_ITEMS: Record<string, Array<[string, string]>> = {
  pemasaran: [
    ["Membuat foto produk yang rapi untuk katalog", "10 foto produk siap pakai"],
    ["Membuka toko di satu marketplace", "Toko aktif dengan 5 produk"],
    ["Menghubungi 3 toko oleh-oleh di Ubud", "Minimal 1 toko mau titip jual"],
    ["Menentukan harga jual baru dari HPP", "Daftar harga baru"],
  ],
  pembiayaan: [
    ["Mencatat pemasukan dan pengeluaran harian", "Buku kas 4 minggu"],
    ["Menyiapkan berkas pengajuan KUR", "Berkas lengkap diserahkan ke bank"],
    ["Memisahkan uang usaha dan uang keluarga", "Rekening usaha terpisah"],
  ],
  produksi: [
    ["Menyusun standar resep dan takaran", "SOP produksi tertulis"],
    ["Mencoba kemasan vakum", "Produk tahan 2 minggu"],
    ["Menata ulang alur kerja di tempat produksi", "Waktu produksi berkurang"],
  ],
  legalitas: [
    ["Mendaftar NIB lewat OSS", "NIB terbit"],
    ["Mengurus PIRT di Dinas Kesehatan", "Nomor PIRT terbit"],
    ["Mendaftarkan merek di DJKI", "Bukti pendaftaran merek"],
  ],
  digital: [
    ["Membuat akun Instagram usaha", "Akun aktif dengan 9 unggahan"],
    ["Mendaftar QRIS", "QRIS terpasang di kasir"],
  ],
  kelembagaan: [
    ["Menyusun jadwal rapat pengurus", "Notulen rapat bulanan"],
    ["Memperbarui data anggota", "Daftar anggota terbaru"],
  ],
  sdm: [
    ["Mengikuti pelatihan pelayanan tamu", "Sertifikat pelatihan"],
    ["Membuat uraian tugas karyawan", "Uraian tugas tertulis"],
  ],
};

const DIAGNOSES: Record<string, string> = {
  pemasaran: "Produk bagus tetapi belum dikenal; saluran penjualan hanya satu.",
  pembiayaan: "Arus kas tidak tercatat; kebutuhan modal belum dihitung.",
  produksi: "Proses produksi belum baku sehingga mutu berubah-ubah.",
  legalitas: "Usaha belum berizin sehingga tidak bisa masuk pasar modern.",
  digital: "Belum memakai sarana digital untuk promosi dan pembayaran.",
  kelembagaan: "Tata kelola organisasi belum berjalan sesuai AD/ART.",
  sdm: "Keterampilan karyawan belum sesuai kebutuhan usaha.",
};

// ---------------------------------------------------------------------------------------------
// A case's life, simulated step by step

type Target = Extract<
  CaseStatus,
  | "submitted"
  | "incomplete"
  | "awaiting_routing"
  | "awaiting_acceptance"
  | "in_consultation"
  | "action_plan"
  | "monitoring"
  | "referred"
  | "final_report"
  | "control_card"
  | "closed"
  | "reported"
>;

interface SimEvent {
  step: number;
  kind: "started" | "completed" | "waiting" | "resumed";
  t: number;
  actor: "client" | "staff" | "system";
}

interface Sim {
  events: SimEvent[];
  /** Milestones (ms after the case was created). */
  m: Partial<Record<"routed" | "assigned" | "accepted" | "diagnosis" | "services" | "referral" | "assigned2" | "accepted2" | "planRequested" | "planSubmitted" | "agreed" | "visit" | "resumed" | "evaluated" | "report" | "closed" | "reported" | "incomplete" | "completed2", number>>;
  /** Offset and standard of the step the case is in now (null when it waits on the client or is archived). */
  current: { step: number; start: number; std: number } | null;
  end: number;
  visitDays: number;
}

const STD = Object.fromEntries(SOP_STEPS.map((s) => [s.step, s.standardMinutes])) as Record<number, number>;

/** Minutes a step took: mostly within the standard, some a little over, a few far over. */
function duration(r: Rand, step: number): number {
  const std = STD[step] ?? 10;
  const x = r.float();
  const minutes = x < 0.62 ? std * r.between(0.45, 1) : x < 0.88 ? std * r.between(1, 1.8) : std * r.between(2, 6);
  return Math.round(minutes * MIN);
}

function simulate(r: Rand, target: Target, opts: { referral: boolean; incompleteFirst: boolean; monitoring: "future" | "overdue" | "reported_back" }): Sim {
  const ev: SimEvent[] = [];
  const m: Sim["m"] = {};
  let t = 0;
  const add = (step: number, kind: SimEvent["kind"], actor: SimEvent["actor"] = "staff") => ev.push({ step, kind, t, actor });
  const advance = (from: number, to: number, actor: SimEvent["actor"] = "staff") => {
    add(from, "completed", actor);
    add(to, "started", actor);
  };
  const stop = (step: number | null): Sim => ({
    events: ev,
    m,
    current: step === null ? null : { step, start: [...ev].reverse().find((e) => e.step === step && e.kind === "started")!.t, std: STD[step]! },
    end: t,
    visitDays: 0,
  });

  add(1, "started", "client");
  if (target === "submitted") return stop(1);
  t += duration(r, 1);
  advance(1, 2, "client");
  // Step 2: the admin checks the file; some are incomplete and wait on the client.
  if (target === "incomplete" || opts.incompleteFirst) {
    t += r.int(1, 4) * MIN;
    m.incomplete = t;
    add(2, "waiting", "system");
    if (target === "incomplete") return stop(null);
    t += r.between(3, 30) * HOUR;
    add(2, "resumed", "client");
  }
  t += duration(r, 2);
  m.completed2 = t;
  advance(2, 3, "system");
  if (target === "awaiting_routing") return stop(3);
  // Step 3: first assessment and routing by the admin.
  t += duration(r, 3);
  m.routed = t;
  m.assigned = t;
  advance(3, 4);
  if (target === "awaiting_acceptance") return stop(4);
  // Step 4: the consultant accepts, diagnoses, consults.
  const d4 = duration(r, 4);
  m.accepted = t + Math.round(d4 * 0.15);
  m.diagnosis = t + Math.round(d4 * 0.5);
  m.services = t + Math.round(d4 * 0.9);
  if (target === "in_consultation") {
    // The case is in step 4 now: accepted a little after it started.
    return stop(4);
  }
  t += d4;
  if (opts.referral) {
    m.referral = t;
    advance(4, 7);
    if (target === "referred") return stop(7);
    t += duration(r, 7);
    m.assigned2 = t;
    advance(7, 4);
    const d = duration(r, 4);
    m.accepted2 = t + Math.round(d * 0.2);
    t += d;
  }
  m.planRequested = t;
  advance(4, 5);
  // Step 5: the client fills the action plan (their time, not the office's); the consultant agrees.
  add(5, "waiting", "system");
  const d5 = duration(r, 5);
  m.planSubmitted = t + Math.round(d5 * 0.85);
  // Cases stopped in step 5 are still waiting on the client's plan; the others got it in.
  if (target !== "action_plan") {
    const requested = t;
    t = m.planSubmitted;
    add(5, "resumed", "client");
    t = requested;
  }
  if (target === "action_plan") return stop(5);
  t += d5;
  m.agreed = t;
  advance(5, 6);
  add(6, "waiting", "system");
  // Step 6: monitoring at the agreed date; the office's clock stops until the client reports.
  const visitDays = r.int(5, 12);
  m.visit = t + visitDays * DAY;
  const sim = (x: Sim) => ({ ...x, visitDays });
  if (target === "monitoring" && opts.monitoring !== "reported_back") return sim(stop(null));
  t = m.visit + r.between(0.5, 3) * HOUR;
  m.resumed = t;
  add(6, "resumed", "client");
  if (target === "monitoring") return sim(stop(6));
  t += duration(r, 6);
  m.evaluated = t;
  advance(6, 8);
  if (target === "final_report") return sim(stop(8));
  t += duration(r, 8);
  m.report = t;
  advance(8, 9);
  if (target === "control_card") return sim(stop(9));
  t += duration(r, 9);
  advance(9, 10);
  t += duration(r, 10);
  m.closed = t;
  advance(10, 11);
  // Archived: the case waits for the next periodic report, as closing.ts records it.
  add(11, "waiting", "system");
  if (target === "closed") return sim(stop(null));
  // Step 11: reported to the head with the next report (a few days later).
  t += r.between(1, 4) * DAY;
  m.reported = t;
  add(11, "resumed", "system");
  add(11, "completed");
  return sim(stop(null));
}

// ---------------------------------------------------------------------------------------------

export interface SeedOptions {
  now: Date;
  seed: number;
  /** The encryption key (NIK ciphertext and lookup hash). */
  key: Buffer;
  files: FileStore;
  calendar: OfficeCalendar;
  regions?: Regions;
  tz: string;
  officeCode: string;
}

export interface SeedSummary {
  staff: number;
  clients: number;
  cases: number;
  events: number;
  byStatus: Record<string, number>;
  firstAdminId: string;
  reminders: number;
}

export class SeedRefused extends Error {}

/** True when the database already holds people or cases: the seed never mixes demo and real data. */
export async function databaseIsEmpty(db: Db): Promise<boolean> {
  const [staff, clients, cases] = await Promise.all([db.staff.count(), db.client.count(), db.consultationCase.count()]);
  return staff + clients + cases === 0;
}

function nik(r: Rand, kecamatan: string, sex: "L" | "P", birth: { y: number; m: number; d: number }): string {
  const region = kecamatan === "luar" ? r.pick(["517101", "510301", "510601", "510501"]) : kecamatan;
  const dd = birth.d + (sex === "P" ? 40 : 0);
  return `${region}${String(dd).padStart(2, "0")}${String(birth.m).padStart(2, "0")}${String(birth.y % 100).padStart(2, "0")}${String(r.int(1, 9999)).padStart(4, "0")}`;
}

/** Snap an instant to office hours of its local day (08:00-15:30), moving Sundays to Saturday. */
function officeTime(r: Rand, t: number, tz: string): number {
  let date = localDateString(new Date(t), tz);
  if (localParts(new Date(t), tz).weekday === 7) date = addDays(date, -1);
  return zonedTime(date, "08:00", tz).getTime() + Math.round(r.between(0, 7.5) * HOUR);
}

export async function seedDemo(db: Db, o: SeedOptions): Promise<SeedSummary> {
  if (!(await databaseIsEmpty(db))) throw new SeedRefused("the database already holds staff, clients or cases");
  const r = new Rand(prng(o.seed));
  const now = o.now.getTime();
  const at = (t: number) => new Date(Math.round(t));
  const nowDate = localDateString(o.now, o.tz);

  // Staff, each with a web-chat identity.
  const staff: Array<{ id: string; name: string; role: string; areas: readonly string[] }> = [];
  for (const [i, s] of STAFF.entries()) {
    const row = await db.staff.create({ data: { name: s.name, role: s.role, areasJson: writeJson(ZStaffAreas, [...s.areas]), createdAt: at(now - 200 * DAY) } });
    await db.identity.create({ data: { channel: "web", address: `demo-staff-${i + 1}`, staffId: row.id, displayName: s.name, language: "id", createdAt: at(now - 200 * DAY) } });
    staff.push({ id: row.id, name: s.name, role: s.role, areas: s.areas });
  }
  const admins = staff.filter((s) => s.role === "admin");
  const consultantsOf = (area: string) => staff.filter((s) => s.role === "consultant" && s.areas.includes(area));

  // Clients with their businesses, consent, a chat identity and an identity photo (a placeholder).
  const ktpPng = await QRCode.toBuffer("CONTOH KTP - DATA DEMO PLUT-KUMKM GIANYAR", { type: "png", margin: 2, width: 240 });
  interface DemoClient {
    id: string;
    name: string;
    identityId: string;
    createdAt: number;
    business: { id: string; sector: string; name: string };
    second?: { id: string; sector: string; name: string };
  }
  const clients: DemoClient[] = [];
  const usedNames = new Set<string>();
  for (let i = 0; i < 50; i++) {
    let name: string;
    let sex: "L" | "P";
    do {
      if (r.chance(0.08)) [name, sex] = r.pick(OTHER_NAMES);
      else {
        sex = r.chance(0.5) ? "L" : "P";
        name = sex === "L" ? `${r.pick(MALE_FIRST)} ${r.pick(MALE_LAST)}` : `${r.pick(FEMALE_FIRST)} ${r.pick(FEMALE_LAST)}`;
      }
    } while (usedNames.has(name));
    usedNames.add(name);
    const kecamatan = r.weighted(KECAMATAN);
    const kec = o.regions?.kecamatan.find((k) => k.code === kecamatan);
    const desa = kec ? r.pick(kec.desa).code : null;
    const birth = { y: r.int(1965, 2002), m: r.int(1, 12), d: r.int(1, 28) };
    const theNik = nik(r, kecamatan, sex, birth);
    const created = now - r.between(160, 240) * DAY;
    const client = await db.client.create({
      data: {
        fullName: name,
        nikCipher: encryptText(o.key, theNik),
        nikHash: lookupHash(o.key, theNik),
        nikLast4: theNik.slice(-4),
        sex,
        birthDate: dateOnly(`${birth.y}-${String(birth.m).padStart(2, "0")}-${String(birth.d).padStart(2, "0")}`),
        ...((phone) => ({ phone: seal(phone, o.key), phoneHash: phoneLookupHash(o.key, phone) }))(`+628${r.int(11, 99)}${String(r.int(0, 99_999_999)).padStart(8, "0")}`),
        kecamatan,
        desa,
        address: seal(kecamatan === "luar" ? "Denpasar" : `Banjar ${r.pick(["Kaja", "Kelod", "Tengah", "Kangin", "Kauh"])}`, o.key),
        language: "id",
        createdAt: at(created),
      },
    });
    const identity = await db.identity.create({
      data: { channel: "web", address: `demo-client-${i + 1}`, clientId: client.id, displayName: name, language: "id", createdAt: at(created) },
    });
    await db.consent.create({ data: { identityId: identity.id, clientId: client.id, textVersion: "demo-1", language: "id", acceptedAt: at(created) } });
    const mkBusiness = async (sector: string, createdAt: number) => {
      const b = BUSINESS[sector]!;
      const last = name.split(" ").slice(-1)[0]!;
      const bName = `${r.pick(b.names)} ${last}`;
      const row = await db.business.create({
        data: {
          clientId: client.id,
          name: bName,
          sector,
          products: r.pick(b.products),
          legalForm: sector === "ksp" ? "koperasi" : r.weighted([["perorangan", 70], ["ud", 15], ["cv", 10], ["pt", 5]] as const),
          yearStarted: r.int(1995, 2025),
          workers: r.int(1, 25),
          turnoverBand: r.pick(["r5_25jt", "r25_100jt", "r100_167jt"]),
          marketingJson: writeJson(ZBusinessMarketing, r.some(["offline", "marketplace", "medsos", "whatsapp"], 1, 3)),
          createdAt: at(createdAt),
        },
      });
      return { id: row.id, sector, name: bName };
    };
    const business = await mkBusiness(r.weighted(SECTORS), created);
    const second = r.chance(0.1) ? await mkBusiness(r.weighted(SECTORS), created + 10 * DAY) : undefined;
    clients.push({ id: client.id, name, identityId: identity.id, createdAt: created, business, ...(second ? { second } : {}) });
  }

  // Which cases: older ones (before the month, all reported) and the month's, in every status.
  const monthTargets: Target[] = [
    ...Array<Target>(14).fill("reported"),
    ...Array<Target>(10).fill("closed"),
    ...Array<Target>(3).fill("control_card"),
    ...Array<Target>(4).fill("final_report"),
    ...Array<Target>(2).fill("referred"),
    ...Array<Target>(10).fill("monitoring"),
    ...Array<Target>(4).fill("action_plan"),
    ...Array<Target>(5).fill("in_consultation"),
    ...Array<Target>(3).fill("awaiting_acceptance"),
    ...Array<Target>(3).fill("awaiting_routing"),
    ...Array<Target>(3).fill("incomplete"),
    ...Array<Target>(2).fill("submitted"),
  ];
  interface Spec {
    client: DemoClient;
    target: Target;
    older: boolean;
  }
  const specs: Spec[] = [];
  for (let i = 0; i < 12; i++) specs.push({ client: clients[i]!, target: "reported", older: true });
  // Every client has a case this month; thirteen have two.
  const owners = [...clients, ...clients.slice(0, 13)];
  const shuffled = [...monthTargets].sort(() => r.float() - 0.5);
  owners.forEach((client, i) => specs.push({ client, target: shuffled[i % shuffled.length]!, older: false }));

  // Identity photos (a placeholder image): every client but those whose registration is incomplete.
  const incomplete = new Set(specs.filter((s) => s.target === "incomplete").map((s) => s.client.id));
  for (const c of clients) {
    if (incomplete.has(c.id)) continue;
    const stored = await o.files.put(ktpPng, "identity");
    await db.document.create({
      data: { clientId: c.id, type: "ktp", mimeType: "image/png", size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey, createdAt: at(c.createdAt) },
    });
  }

  interface Placed extends Spec {
    area: string;
    sim: Sim;
    created: number;
    consultant: { id: string; name: string } | null;
    consultant2: { id: string; name: string; area: string } | null;
    admin: { id: string; name: string };
    business: { id: string; sector: string; name: string };
    monitoring: "future" | "overdue" | "reported_back";
  }
  const placed: Placed[] = [];
  for (const s of specs) {
    const business = s.client.second && r.chance(0.5) ? s.client.second : s.client.business;
    const area = business.sector === "ksp" ? "kelembagaan" : r.weighted(AREAS);
    const referral = ["referred"].includes(s.target) || (!["submitted", "incomplete", "awaiting_routing", "awaiting_acceptance", "in_consultation"].includes(s.target) && r.chance(0.12));
    const monitoring = r.weighted([["future", 5], ["overdue", 3], ["reported_back", 2]] as const);
    const sim = simulate(r, s.target, { referral, incompleteFirst: r.chance(0.15), monitoring });
    // Place the case in time.
    let created: number;
    const window = 30 * DAY;
    if (s.older) created = officeTime(r, now - r.between(40, 150) * DAY, o.tz);
    else if (s.target === "monitoring" && monitoring === "future") created = now - (sim.m.agreed ?? 0) - r.between(2, 0.8 * sim.visitDays * 24) * HOUR;
    else if (s.target === "monitoring" && monitoring === "overdue") created = now - (sim.m.visit ?? 0) - r.between(0.5, 4) * DAY;
    else if (s.target === "incomplete") created = officeTime(r, now - r.between(0.5, 6) * DAY, o.tz);
    else if (sim.current && r.chance(0.45)) created = now - sim.current.start - r.between(0.1, 0.8) * sim.current.std * MIN; // on time now
    else {
      const latest = now - sim.end - (sim.current ? 1.5 * sim.current.std * MIN : 2 * HOUR);
      created = officeTime(r, now - r.between(0, window), o.tz);
      if (created > latest) created = latest - r.between(0, 2) * DAY;
    }
    if (created + sim.end > now) created = now - sim.end - MIN;
    const cands = consultantsOf(area);
    const consultant = sim.m.assigned !== undefined ? r.pick(cands) : null;
    let consultant2: Placed["consultant2"] = null;
    if (sim.m.referral !== undefined) {
      const toArea = r.pick(AREAS.map((a) => a[0]).filter((a) => a !== area));
      const c2 = consultantsOf(toArea).filter((c) => c.id !== consultant?.id);
      consultant2 = { ...r.pick(c2.length ? c2 : consultantsOf(toArea)), area: toArea };
      if (s.target === "referred") consultant2 = { ...consultant2, id: "", name: "" };
    }
    placed.push({ ...s, area, sim, created, consultant, consultant2, admin: r.pick(admins), business, monitoring });
  }
  placed.sort((a, b) => a.created - b.created);

  // Registration numbers in order of registration, per year; the counter continues after them.
  const perYear = new Map<number, number>();
  const byStatus: Record<string, number> = {};
  let events = 0;
  let reminders = 0;
  let complaintsLeft = 4;
  for (const p of placed) {
    const c0 = p.created;
    const T = (offset: number | undefined) => at(c0 + (offset ?? 0));
    const year = localParts(at(c0), o.tz).year;
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    const referredAway = p.target === "referred";
    const finalArea = p.consultant2 && !referredAway ? p.consultant2.area : p.sim.m.routed !== undefined ? p.area : null;
    const finalConsultant = p.consultant2 && !referredAway ? p.consultant2 : p.consultant;
    const closedAt = p.sim.m.closed !== undefined ? T(p.sim.m.closed) : null;
    const step = p.sim.current?.step ?? (p.target === "incomplete" ? 2 : p.target === "monitoring" ? 6 : 11);
    const status = p.target;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const problem = r.pick(PROBLEMS[p.area]!);
    const row = await db.consultationCase.create({
      data: {
        regNumber: formatRegNumber(o.officeCode, year, n),
        clientId: p.client.id,
        businessId: p.business.id,
        step,
        status,
        areaCode: finalArea,
        consultantId: referredAway ? null : finalConsultant?.id ?? null,
        problemText: problem,
        channel: "web",
        createdAt: at(c0),
        closedAt,
        archivedAt: closedAt,
      },
    });
    const caseId = row.id;
    for (const e of p.sim.events) {
      const actorId = e.actor === "client" ? p.client.id : e.actor === "staff" ? (e.step <= 3 || e.step >= 9 ? p.admin.id : finalConsultant?.id ?? p.admin.id) : null;
      await db.caseEvent.create({ data: { caseId, step: e.step, kind: e.kind, at: T(e.t), actorType: e.actor, actorId } });
      events += 1;
    }
    const line = (t: number | undefined, kind: string, summary: string, staffId: string | null) =>
      db.controlCardEntry.create({ data: { caseId, at: T(t), staffId, contactKind: kind, summary } });

    // Assessment (step 1) and the registration line.
    await db.assessmentAnswer.createMany({
      data: [
        { caseId, questionId: "case.problemText", valueJson: writeJson(ZAssessmentAnswerValue, problem), display: problem, labelKey: "assessment.problem.label" },
        { caseId, questionId: "assessment.problemAreas", valueJson: writeJson(ZAssessmentAnswerValue, [p.area]), display: p.area, labelKey: "assessment.problem_areas.label" },
        { caseId, questionId: "assessment.bookkeeping", valueJson: writeJson(ZAssessmentAnswerValue, r.pick(["rapi", "sebagian", "tidak"])), display: r.pick(["Rapi", "Sebagian", "Tidak ada"]), labelKey: "assessment.bookkeeping.label" },
      ],
    });
    if (p.target === "submitted") continue;
    await line(p.sim.events[1]?.t, "registration", "Pendaftaran dan assessment diterima melalui chat", null);
    if (p.sim.m.incomplete !== undefined && p.target === "incomplete") {
      reminders += (
        await db.$transaction((tx) =>
          planRegistrationReminders(tx, { caseId, clientIdentityId: p.client.identityId, clientId: p.client.id, missing: ["identity_document"], since: T(p.sim.m.incomplete), calendar: o.calendar }),
        )
      ).length;
      continue;
    }
    // Step 3: the router's recommendation and the admin's decision.
    const ranked = [p.area, ...r.some(AREAS.map((a) => a[0]).filter((a) => a !== p.area), 1, 2)].map((a, i) => ({ area: a, score: Math.round((3.5 - i * 1.2 + r.float()) * 10) / 10, reasons: ["jawaban assessment", "kata kunci masalah"] }));
    const overridden = r.chance(0.1);
    await db.routingDecision.create({
      data: {
        caseId,
        rankedJson: writeJson(ZRoutingRanked, ranked),
        recommended: overridden ? ranked[1]!.area : p.area,
        score: ranked[0]!.score,
        explanation: `Rekomendasi dari bidang masalah yang dipilih dan kata kunci: ${problem.split(" ").slice(0, 4).join(" ")}...`,
        decidedArea: p.sim.m.routed !== undefined ? p.area : null,
        decidedById: p.sim.m.routed !== undefined ? p.admin.id : null,
        decidedBy: p.sim.m.routed !== undefined ? "admin" : null,
        overridden: p.sim.m.routed !== undefined && overridden,
        overrideNote: p.sim.m.routed !== undefined && overridden ? "Masalah utama ada di bidang ini menurut wawancara" : null,
        createdAt: T(p.sim.m.completed2),
        decidedAt: p.sim.m.routed !== undefined ? T(p.sim.m.routed) : null,
      },
    });
    if (!p.consultant) continue;
    // Step 4: assignment, acceptance, diagnosis and services.
    const accepted = p.target !== "awaiting_acceptance" && T(p.sim.m.accepted).getTime() <= now;
    await db.assignment.create({
      data: {
        caseId,
        consultantId: p.consultant.id,
        areaCode: p.area,
        assignedById: p.admin.id,
        assignedAt: T(p.sim.m.assigned),
        acceptedAt: accepted ? T(p.sim.m.accepted) : null,
        endedAt: p.sim.m.referral !== undefined ? T(p.sim.m.referral) : null,
        endReason: p.sim.m.referral !== undefined ? "referred" : null,
      },
    });
    if (!accepted) continue;
    await line(p.sim.m.accepted, "consultation", `Kasus diterima oleh ${p.consultant.name}`, p.consultant.id);
    if (T(p.sim.m.diagnosis).getTime() <= now) {
      await db.consultationNote.create({ data: { caseId, authorId: p.consultant.id, kind: "diagnosis", text: DIAGNOSES[p.area]!, createdAt: T(p.sim.m.diagnosis) } });
      await line(p.sim.m.diagnosis, "consultation", `Diagnosa: ${DIAGNOSES[p.area]!}`, p.consultant.id);
    }
    if (T(p.sim.m.services).getTime() <= now) {
      const svc = r.some(SERVICES[p.area]!, 1, 2);
      await db.consultationNote.create({ data: { caseId, authorId: p.consultant.id, kind: "prescription", text: "Susun langkah perbaikan bersama klien dalam rencana tindakan.", createdAt: T(p.sim.m.services) } });
      await db.consultationNote.create({ data: { caseId, authorId: p.consultant.id, kind: "service", text: svc.join(", "), servicesJson: writeJson(ZNoteServices, svc), createdAt: T(p.sim.m.services) } });
      await line(p.sim.m.services, "consultation", `Layanan: ${svc.join(", ")}`, p.consultant.id);
    }
    // Step 7: referral to another area.
    if (p.sim.m.referral !== undefined && p.consultant2) {
      await db.referral.create({
        data: {
          caseId,
          fromConsultantId: p.consultant.id,
          toAreaCode: p.consultant2.area,
          toConsultantId: referredAway ? null : p.consultant2.id,
          reason: "Masalah utama di luar bidang saya; perlu konsultan yang lebih sesuai.",
          createdAt: T(p.sim.m.referral),
        },
      });
      await line(p.sim.m.referral, "referral", `Dirujuk ke bidang ${p.consultant2.area}`, p.consultant.id);
      if (!referredAway) {
        await db.assignment.create({
          data: { caseId, consultantId: p.consultant2.id, areaCode: p.consultant2.area, assignedById: p.consultant.id, assignedAt: T(p.sim.m.assigned2), acceptedAt: T(p.sim.m.accepted2) },
        });
        const svc = r.some(SERVICES[p.consultant2.area]!, 1, 2);
        await db.consultationNote.create({ data: { caseId, authorId: p.consultant2.id, kind: "service", text: svc.join(", "), servicesJson: writeJson(ZNoteServices, svc), createdAt: T(p.sim.m.accepted2) } });
      }
    }
    if (p.sim.m.planRequested === undefined || p.target === "referred") continue;
    const who = finalConsultant!;
    const planArea = p.consultant2 && !referredAway ? p.consultant2.area : p.area;
    // Step 5: the action plan.
    await line(p.sim.m.planRequested, "action_plan", "Klien diminta mengisi Lembar Rencana Tindakan dan Evaluasi", who.id);
    const submitted = T(p.sim.m.planSubmitted).getTime() <= now;
    if (!submitted) continue;
    const agreed = p.sim.m.agreed !== undefined;
    const agreedAt = agreed ? T(p.sim.m.agreed) : null;
    const base = agreedAt ?? T(p.sim.m.planSubmitted);
    const items = r.some(PLAN_ITEMS[planArea]!, 2, 3).map(([action, indicator], i) => ({
      position: i + 1,
      action,
      who: r.pick(["Pemilik", "Pemilik dan karyawan", "Anak pemilik"]),
      indicator,
      targetDate: dateOnly(addDays(localDateString(base, o.tz), r.int(3, p.sim.visitDays || 10))),
    }));
    const plan = await db.actionPlan.create({
      data: {
        caseId,
        status: agreed ? "agreed" : "submitted",
        submittedAt: T(p.sim.m.planSubmitted),
        agreedAt,
        createdAt: T(p.sim.m.planSubmitted),
        items: { create: items },
      },
      include: { items: true },
    });
    await line(p.sim.m.planSubmitted, "action_plan", `Rencana tindakan diisi klien (${items.length} tindakan)`, null);
    if (!agreed) continue;
    await line(p.sim.m.agreed, "action_plan", "Rencana tindakan disepakati", who.id);
    // Step 6: monitoring.
    const visitDate = localDateString(T(p.sim.m.visit), o.tz);
    const visit = await db.monitoringVisit.create({ data: { caseId, scheduledFor: dateOnly(visitDate), consultantId: who.id } });
    await line(p.sim.m.agreed, "monitoring", `Monitoring dijadwalkan ${visitDate}`, who.id);
    const resumed = p.sim.m.resumed !== undefined;
    const done = p.sim.m.evaluated !== undefined;
    for (const it of plan.items) {
      const due = it.targetDate.toISOString().slice(0, 10) <= nowDate;
      const progress = resumed ? r.weighted([["done", 6], ["not_yet", 3], ["help", 1]] as const) : due && r.chance(0.3) ? "done" : "open";
      if (progress !== "open") {
        await db.actionPlanItem.update({
          where: { id: it.id },
          data: {
            progress,
            progressAt: resumed ? T(p.sim.m.resumed) : it.targetDate,
            progressNote: progress === "help" ? "Masih bingung langkah berikutnya" : null,
            ...(done ? { evaluation: progress === "done" ? "Tercapai" : "Dilanjutkan bulan depan", evaluatedAt: T(p.sim.m.evaluated) } : {}),
          },
        });
      }
    }
    if (resumed) {
      await db.monitoringVisit.update({
        where: { id: visit.id },
        data: {
          clientReport: "Sebagian rencana sudah dijalankan, penjualan mulai naik.",
          reportedAt: T(p.sim.m.resumed),
          ...(done ? { evaluation: "Kemajuan baik; lanjutkan pencatatan dan promosi.", evaluatedAt: T(p.sim.m.evaluated) } : {}),
        },
      });
      await line(p.sim.m.resumed, "monitoring", "Laporan kemajuan klien diterima", null);
      if (done) await line(p.sim.m.evaluated, "monitoring", "Evaluasi monitoring dicatat", who.id);
    } else {
      // Waiting for the check-in: the client is reminded on the day and before each target date.
      if (T(p.sim.m.visit).getTime() > now) {
        reminders += (
          await db.$transaction((tx) =>
            planMonitoringReminders(tx, { caseId, visitId: visit.id, clientIdentityId: p.client.identityId, clientId: p.client.id, consultantStaffId: who.id, scheduledFor: visit.scheduledFor, calendar: o.calendar }),
          )
        ).length;
      }
      const future = plan.items.filter((i) => i.targetDate.toISOString().slice(0, 10) > addDays(nowDate, 1));
      if (future.length) {
        reminders += (
          await db.$transaction((tx) =>
            planActionItemReminders(tx, { caseId, clientIdentityId: p.client.identityId, clientId: p.client.id, items: future.map((i) => ({ id: i.id, targetDate: i.targetDate })), calendar: o.calendar }),
          )
        ).length;
      }
    }
    if (p.sim.m.report === undefined) continue;
    // Step 8: final report and BAP; steps 9-11.
    await db.finalReport.create({
      data: {
        caseId,
        authorId: who.id,
        summary: `Pendampingan ${planArea} untuk ${p.business.name}.`,
        results: "Rencana tindakan sebagian besar tercapai; usaha lebih tertata.",
        recommendations: "Lanjutkan pencatatan keuangan dan promosi digital; ikuti pelatihan PLUT berikutnya.",
        createdAt: T(p.sim.m.report),
      },
    });
    await line(p.sim.m.report, "report", "Laporan akhir dan BAP dibuat", who.id);
    if (p.sim.m.closed === undefined) continue;
    await line(p.sim.m.closed, "closing", "Hasil konsultasi dicatat dan berkas diarsipkan", p.admin.id);
    // SKM from three in four clients.
    if (r.chance(0.75)) {
      const score = (low = false) => r.weighted(low ? ([[4, 35], [3, 45], [2, 18], [1, 2]] as const) : ([[4, 55], [3, 38], [2, 6], [1, 1]] as const));
      const scores = { requirements: score(), procedure: score(), time: score(true), fee: 4, product: score(), competence: score(), behaviour: score(), complaintHandling: score(true), facilities: score() };
      const surveyAt = Math.min(now, c0 + p.sim.m.closed + r.between(0.2, 30) * HOUR);
      await db.satisfactionSurvey.create({
        data: { caseId, clientId: p.client.id, scoresJson: writeJson(ZSurveyScores, scores), comment: r.chance(0.3) ? r.pick(["Terima kasih, sangat membantu.", "Konsultannya ramah.", "Semoga ada pelatihan lanjutan."]) : null, createdAt: at(surveyAt) },
      });
    }
    if (complaintsLeft > 0 && r.chance(0.25)) {
      complaintsLeft -= 1;
      const answered = r.chance(0.6);
      const when = c0 + (p.sim.m.report ?? 0);
      await db.complaint.create({
        data: {
          clientId: p.client.id,
          identityId: p.client.identityId,
          caseId,
          text: r.pick(["Menunggu jawaban konsultan lebih dari dua hari.", "Jadwal monitoring diundur tanpa kabar.", "Formulir di chat terlalu panjang."]),
          status: answered ? "answered" : "new",
          response: answered ? "Mohon maaf, sudah kami tindak lanjuti bersama konsultan." : null,
          createdAt: at(when),
          answeredAt: answered ? at(Math.min(now, when + DAY)) : null,
        },
      });
    }
  }
  for (const [year, last] of perYear) await db.registrationCounter.create({ data: { office: o.officeCode, year, last } });

  return {
    staff: staff.length,
    clients: clients.length,
    cases: placed.length,
    events,
    byStatus,
    firstAdminId: admins[0]!.id,
    reminders,
  };
}

// ---------------------------------------------------------------------------------------------

function arg(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/**
 * The demo writes only where it is told to: a DATABASE_URL given to the command itself. Without one
 * it would fill the office's own database (the default file, or the URL in .env), so it refuses and
 * says how to run it. Returns the refusal, or null when the command may go on.
 */
export function demoDatabaseRefusal(env: Readonly<Record<string, string | undefined>>): string | null {
  if (env.DATABASE_URL?.trim()) return null;
  return (
    "seed:demo writes only into a database of its own: give it one, for example\n" +
    "  DATABASE_URL=file:./data/demo.db npm run seed:demo\n" +
    "  DATABASE_URL=file:./data/demo.db npm start"
  );
}

async function main(): Promise<void> {
  const refusal = demoDatabaseRefusal(process.env);
  if (refusal) {
    console.error(refusal);
    process.exit(64);
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
  const now = arg("now") ? new Date(arg("now")!) : new Date();
  const seed = Number(arg("seed") ?? 20261128);
  if (Number.isNaN(now.getTime()) || !Number.isInteger(seed)) {
    console.error("Usage: npm run seed:demo -- [--now=2026-11-28T10:00:00+08:00] [--seed=20261128]");
    process.exit(64);
  }
  try {
    await migrate(config.DATABASE_URL);
    const handle = await openDatabase(config.DATABASE_URL);
    try {
      if (!(await databaseIsEmpty(handle.db))) {
        console.error(
          `seed:demo refuses to run: the database (${config.database.provider}) already holds staff, clients or cases, and demo data must never mix with real data.\n` +
            `Use an empty database instead, for example:\n  DATABASE_URL=file:./data/demo.db npm run seed:demo\n  DATABASE_URL=file:./data/demo.db npm start`,
        );
        process.exit(1);
      }
      const keys = loadKeyRing({ envKey: config.ENCRYPTION_KEY, dataDir: config.DATA_DIR });
      useAtRestKey(keys.key);
      const files = fileStoreFor(handle, config.DATA_DIR, keys.key);
      const calendar = OfficeCalendar.fromConfig(config);
      const regionsFile = path.join(config.CONVERSATIONS_DIR, "regions", "gianyar.yaml");
      const regions = await loadRegions(regionsFile).catch(() => undefined);
      const started = Date.now();
      const s = await seedDemo(handle.db, { now, seed, key: keys.key, files, calendar, ...(regions ? { regions } : {}), tz: config.TZ, officeCode: config.OFFICE_CODE });
      const link = await createLoginLink(handle.db, s.firstAdminId, new Date(), config.publicUrl);
      console.log(`Demo office written in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.staff} staff, ${s.clients} clients, ${s.cases} cases, ${s.events} step events, ${s.reminders} reminders pending.`);
      console.log(`Cases by status: ${Object.entries(s.byStatus).map(([k, v]) => `${k} ${v}`).join(", ")}`);
      console.log(`\nSign in to the dashboard as the first admin (link valid 15 minutes, once; start the server first with \`npm start\`):\n  ${link}\n`);
      console.log("Later links: type /dashboard in chat as a staff member.");
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof DatabaseError || e instanceof SeedRefused) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
