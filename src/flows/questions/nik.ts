/**
 * NIK, the 16-digit number on the KTP: province (2) + regency (2) + district (2) + birth date
 * DDMMYY (day + 40 for women) + serial (4). It has no check digit, so only its structure can be
 * checked, and the region part is where it was first issued (a client from elsewhere is normal).
 */
import { daysInMonth, todayIn } from "./date.js";
import { stripAround } from "./fuzzy.js";
import { type ParseResult, err, ok } from "./types.js";

export const NIK_ERRORS = [
  "q.nik.empty",
  "q.nik.not_digits",
  "q.nik.length",
  "q.nik.province",
  "q.nik.regency",
  "q.nik.district",
  "q.nik.birthdate",
  "q.nik.serial",
  "q.nik.birthdate_mismatch",
  "q.nik.sex_mismatch",
] as const;

/**
 * Province codes (Kemendagri) that NIKs carry: Sumatra 11-21, Java 31-36, Bali and Nusa Tenggara
 * 51-53, Kalimantan 61-65, Sulawesi 71-76, Maluku 81-82, and the Papua provinces 91-97
 * (Papua, Papua Barat, and the 2022 provinces Papua Selatan, Tengah, Pegunungan, Barat Daya).
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
  "31", "32", "33", "34", "35", "36",
  "51", "52", "53",
  "61", "62", "63", "64", "65",
  "71", "72", "73", "74", "75", "76",
  "81", "82",
  "91", "92", "93", "94", "95", "96", "97",
]);

export type Sex = "L" | "P";

export interface NikInfo {
  /** "51" (Bali) */
  provinceCode: string;
  /** "5104" (Kabupaten Gianyar): province and regency, as region codes are written. */
  regencyCode: string;
  /** "510401" (Kecamatan Sukawati): comparable with the kecamatan codes in regions/gianyar.yaml. */
  districtCode: string;
  /** "1990-08-17"; the century is the latest that is not after `now`. */
  birthDate: string;
  sex: Sex;
  /** "0001" */
  serial: string;
}

export interface NikOptions {
  now: Date;
  /** The birth date the person gave ("YYYY-MM-DD"): the NIK's date part must agree. */
  birthDate?: string;
  /** The sex the person gave: the NIK's day (+40 for women) must agree. */
  sex?: Sex;
  /** Whose "today" (default Asia/Makassar). */
  timeZone?: string;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** The parts of a 16-digit NIK. Throws on anything that is not 16 digits. */
export function describeNik(nik: string, now: Date, timeZone?: string): NikInfo {
  if (!/^\d{16}$/.test(nik)) throw new Error("describeNik: not a 16-digit NIK");
  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex: Sex = rawDay > 40 ? "P" : "L";
  const day = sex === "P" ? rawDay - 40 : rawDay;
  const today = todayIn(now, timeZone);
  let year = Math.floor(today.y / 100) * 100 + yy;
  const after = year * 10000 + month * 100 + day > today.y * 10000 + today.m * 100 + today.d;
  if (after) year -= 100;
  return {
    provinceCode: nik.slice(0, 2),
    regencyCode: nik.slice(0, 4),
    districtCode: nik.slice(0, 6),
    birthDate: `${year}-${pad(month)}-${pad(day)}`,
    sex,
    serial: nik.slice(12),
  };
}

/** "5104********0001": the first four and last four digits, for logs and staff lists. */
export function maskNik(nik: string): string {
  const d = nik.replace(/\D/g, "");
  if (d.length <= 8) return "*".repeat(d.length);
  return `${d.slice(0, 4)}${"*".repeat(d.length - 8)}${d.slice(-4)}`;
}

/** "5104 0117 0890 0001" */
export function formatNik(nik: string): string {
  return nik.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** Reads a NIK and checks its structure (and its agreement with a given birth date and sex). */
export function parseNik(input: string, opts: NikOptions): ParseResult<string> {
  const s = input.normalize("NFKC").trim();
  if (s === "") return err("q.nik.empty");
  // A label before it ("NIK: ...", "no ktp saya ...") and words after it are passed over.
  const body = stripAround(s.replace(/^[^\d]*/, ""));
  if (body === undefined || /[^\d\s.-]/.test(body)) return err("q.nik.not_digits");
  const nik = body.replace(/\D/g, "");
  if (nik.length !== 16) return err("q.nik.length", { length: nik.length });

  if (!PROVINCE_CODES.has(nik.slice(0, 2))) return err("q.nik.province", { code: nik.slice(0, 2) });
  if (nik.slice(2, 4) === "00") return err("q.nik.regency");
  if (nik.slice(4, 6) === "00") return err("q.nik.district");

  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  if (month < 1 || month > 12 || day < 1 || (rawDay > 31 && rawDay < 41) || day > 31) return err("q.nik.birthdate");
  const info = describeNik(nik, opts.now, opts.timeZone);
  const year = Number(info.birthDate.slice(0, 4));
  if (day > daysInMonth(year, month)) return err("q.nik.birthdate");
  const today = todayIn(opts.now, opts.timeZone);
  if (info.birthDate > `${today.y}-${pad(today.m)}-${pad(today.d)}`) return err("q.nik.birthdate");

  if (nik.slice(12) === "0000") return err("q.nik.serial");

  if (opts.birthDate !== undefined) {
    const [gy = "", gm = "", gd = ""] = opts.birthDate.split("-");
    // Only DDMMYY is in the NIK: the century cannot disagree.
    if (gd !== pad(day) || gm !== pad(month) || gy.slice(-2) !== nik.slice(10, 12)) {
      return err("q.nik.birthdate_mismatch", { nikDate: `${pad(day)}-${pad(month)}-${nik.slice(10, 12)}` });
    }
  }
  if (opts.sex !== undefined && opts.sex !== info.sex) return err("q.nik.sex_mismatch");
  return ok(nik, formatNik(nik));
}
