/**
 * Indonesian phone numbers, mobile or landline, as typed or as a shared contact:
 * "0812-3456-7890", "+62 812 3456 7890", "62812...", "(0361) 941571". Stored as E.164 ("+62...").
 */
import { stripAround } from "./fuzzy.js";
import { type ParseResult, err, ok } from "./types.js";

export const PHONE_ERRORS = [
  "q.phone.empty",
  "q.phone.invalid",
  "q.phone.too_short",
  "q.phone.too_long",
  "q.phone.not_indonesian",
  "q.phone.no_area_code",
] as const;

export interface PhoneInfo {
  /** "+6281234567890" */
  e164: string;
  kind: "mobile" | "landline";
}

/** Digits after the leading "0" of a mobile number ("08" + 8 to 11 digits). */
const MOBILE_MIN = 9;
const MOBILE_MAX = 12;
/** Landline without the leading "0": area code (2-3 digits) + subscriber (5-8 digits; 7-8 after a 2-digit code). */
const LANDLINE_MIN = 8;
const LANDLINE_MAX = 10;

/** Two-digit area codes (Jakarta, Bandung, Semarang, Surabaya, Medan...); others have three. */
const TWO_DIGIT_AREAS = new Set(["21", "22", "24", "31", "61"]);

/** Splits a national number (without its "0") into area code and subscriber for display. */
function areaSplit(national: string): [string, string] {
  const n = TWO_DIGIT_AREAS.has(national.slice(0, 2)) ? 2 : 3;
  return [national.slice(0, n), national.slice(n)];
}

/** "0812-3456-7890" for mobiles, "(0361) 941571" for landlines. */
export function formatPhone(e164: string): string {
  const national = e164.replace(/^\+62/, "");
  if (national.startsWith("8")) {
    const d = `0${national}`;
    const groups = [d.slice(0, 4)];
    const rest = d.slice(4);
    // Groups of four; the last group takes three to five digits so none is left alone.
    if (rest.length <= 5) groups.push(rest);
    else if (rest.length === 6) groups.push(rest.slice(0, 3), rest.slice(3));
    else groups.push(rest.slice(0, 4), rest.slice(4));
    return groups.join("-");
  }
  const [area, sub] = areaSplit(national);
  const grouped = sub.length >= 7 ? `${sub.slice(0, sub.length - 4)} ${sub.slice(-4)}` : sub;
  return `(0${area}) ${grouped}`;
}

/** Reads a phone number; returns E.164. */
export function parsePhone(input: string): ParseResult<string> {
  let s = input.normalize("NFKC").trim();
  if (s === "") return err("q.phone.empty");
  // "+62 (0) 812...": the trunk zero in brackets after the country code.
  s = s.replace(/^(\+?\s*62)\s*\(\s*0\s*\)/, "$1");
  // Words around the number ("WA: 0812...", "0812... ya") are passed over; letters in it are not.
  const body = stripAround(s.replace(/^[^\d+(]*/, ""));
  if (body === undefined || /[^\d\s+().\-/]/.test(body)) return err("q.phone.invalid");
  const plus = body.startsWith("+");
  const digits = body.replace(/\D/g, "");
  // No phone number anywhere has more than 15 digits (E.164), plus a "00" prefix and a stray trunk 0.
  if (digits === "" || digits.length > 18) return err("q.phone.invalid");

  let national: string;
  if (plus || digits.startsWith("00")) {
    const intl = plus ? digits : digits.slice(2);
    if (!/^[1-9]/.test(intl)) return err("q.phone.invalid");
    if (!intl.startsWith("62")) {
      const cc = /^(1|7|2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58])/.exec(intl)?.[0] ?? intl.slice(0, 3);
      return err("q.phone.not_indonesian", { countryCode: `+${cc}` });
    }
    national = intl.slice(2).replace(/^0/, "");
  } else if (digits.startsWith("62") && digits.length >= 10) {
    national = digits.slice(2).replace(/^0/, "");
  } else if (digits.startsWith("0")) {
    national = digits.slice(1);
  } else if (digits.startsWith("8") && digits.length >= MOBILE_MIN) {
    national = digits;
  } else if (digits.length >= 5 && digits.length <= 8) {
    return err("q.phone.no_area_code");
  } else {
    return err("q.phone.invalid");
  }

  if (national.startsWith("8")) {
    // 0800/0809 are toll-free and premium lines, not a person's phone.
    if (national.startsWith("80")) return err("q.phone.invalid");
    if (national.length < MOBILE_MIN) return err("q.phone.too_short");
    if (national.length > MOBILE_MAX) return err("q.phone.too_long");
  } else if (/^[2-79]/.test(national)) {
    if (national.length < LANDLINE_MIN) return err("q.phone.too_short");
    if (national.length > LANDLINE_MAX) return err("q.phone.too_long");
  } else {
    return err("q.phone.invalid");
  }
  const e164 = `+62${national}`;
  return ok(e164, formatPhone(e164));
}

/** Mobile or landline, from an E.164 number this module produced. */
export function describePhone(e164: string): PhoneInfo {
  return { e164, kind: e164.startsWith("+628") ? "mobile" : "landline" };
}
