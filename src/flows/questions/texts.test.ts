/**
 * Every text key a parser can name exists in both languages, with the same placeholders, and every
 * placeholder is filled by the params the parser gives. The failures are collected by exercising
 * each parser, so a new error key without a text (or a text for a key no parser returns) fails here.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ERROR_KEYS,
  QUESTION_TEXT_KEYS,
  checkMedia,
  parseChoice,
  parseDate,
  parseDesa,
  parseEmail,
  parseKecamatan,
  parseLocation,
  parseMultiChoice,
  parseNik,
  parseNumber,
  parsePhone,
  parseText,
  parseYesNo,
  parseIdentifier,
  type ParseErr,
  type ParseResult,
  type Regions,
} from "./index.js";
import { loadRegions } from "./regions-file.js";

const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const load = (lang: string) => parse(readFileSync(root(`conversations/texts/${lang}/questions.yaml`), "utf8")) as Record<string, unknown>;
const TEXTS = { id: load("id"), en: load("en") };
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();

const now = new Date("2025-06-15T10:00:00+08:00");
const OPTIONS = [
  { id: "pemasaran", label: "Pemasaran" },
  { id: "pembiayaan", label: "Pembiayaan" },
];
let regions: Regions;
const failures: ParseErr[] = [];

function collect(r: ParseResult<unknown>) {
  // Some calls above succeed for some kinds (money takes ranges and decimals): only failures count.
  if (!r.ok) failures.push(r);
}

beforeAll(async () => {
  regions = await loadRegions(root("conversations/regions/gianyar.yaml"));
  const MB = 1024 * 1024;
  const calls: (() => ParseResult<unknown>)[] = [
    () => parseText(""),
    () => parseText("ok", { minLength: 5 }),
    () => parseText("x".repeat(10_000), { maxLength: 2000 }),
    ...(["number", "money", "count", "year"] as const).flatMap((kind) => [
      () => parseNumber("", { kind }),
      () => parseNumber("abc", { kind }),
      () => parseNumber("5-10", { kind }),
      () => parseNumber("1", { kind, min: 2, currency: kind === "money" }),
      () => parseNumber("3", { kind, max: 2 }),
      () => parseNumber("2,5", { kind, integer: true }),
    ]),
    () => parseChoice("", OPTIONS),
    () => parseChoice("xyz", OPTIONS),
    () => parseChoice("pem", OPTIONS),
    () => parseChoice("9", OPTIONS),
    () => parseMultiChoice("tidak ada", OPTIONS),
    () => parseMultiChoice("semua", OPTIONS, { max: 1 }),
    () => parseYesNo(""),
    () => parseYesNo("mungkin"),
    () => parseDate("", { now }),
    () => parseDate("", { now, future: true }),
    () => parseDate("xyz", { now, future: true }),
    () => parseDate("juli", { now, future: true }),
    () => parseDate("xyz", { now }),
    () => parseDate("17/8", { now }),
    () => parseDate("31-02-1990", { now }),
    () => parseDate("17-08-2030", { now, past: true }),
    () => parseDate("kemarin", { now, future: true }),
    () => parseDate("17-08-1890", { now, minYear: 1900 }),
    () => parseDate("17-08-2090", { now, maxYear: 2030 }),
    () => parsePhone(""),
    () => parsePhone("abc"),
    () => parsePhone("0812345"),
    () => parsePhone("08123456789012"),
    () => parsePhone("+65 9123 4567"),
    () => parsePhone("941571"),
    () => parseEmail(""),
    () => parseEmail("budi"),
    () => parseEmail("budi@@x.com"),
    () => parseEmail("budi@gmial.com"),
    () => parseNik("", { now }),
    () => parseNik("abc", { now }),
    () => parseNik("5104", { now }),
    () => parseNik("9904011708900001", { now }),
    () => parseNik("5100011708900001", { now }),
    () => parseNik("5104001708900001", { now }),
    () => parseNik("5104013102900001", { now }),
    () => parseNik("5104011708900000", { now }),
    () => parseNik("5104011708900001", { now, birthDate: "1990-08-18" }),
    () => parseNik("5104011708900001", { now, sex: "P" }),
    () => parseKecamatan("", regions),
    () => parseKecamatan("ubud atau payangan", regions),
    () => parseKecamatan("xyz", regions),
    () => parseKecamatan("ubd", regions),
    () => parseDesa("xyz", regions, "510405"),
    () => parseDesa("celuk", regions, "510405"),
    () => parseDesa("pejeng k", regions, "510404"),
    () => checkMedia({ mimeType: "image/jpeg", size: 0 }, { accept: ["image/*"], maxBytes: MB }),
    () => checkMedia({ mimeType: "video/mp4", size: 10 }, { accept: ["image/*"], maxBytes: MB }),
    () => checkMedia({ mimeType: "image/jpeg", size: 2 * MB }, { accept: ["image/*"], maxBytes: MB }),
    () => parseIdentifier("", { digits: 13, example: "9120001234567" }),
    () => parseIdentifier("912000123", { digits: 13, example: "9120001234567" }),
    () => parseIdentifier("NIB saya abc", { digits: 13, example: "9120001234567" }),
    () => parseIdentifier("anggota", { example: "PLUT-GIA-0123" }),
    () => parseLocation(""),
    () => parseLocation("dekat pasar"),
    () => parseLocation("95, 115"),
    () => parseLocation("https://maps.app.goo.gl/x"),
    () => parseLocation("https://www.google.com/maps/place/Ubud"),
  ];
  for (const call of calls) collect(call());
});

describe("question texts", () => {
  const declared = Object.values(ERROR_KEYS).flat() as string[];

  it("every failure returns a declared error key, and every declared key is returned by some failure", () => {
    const seen = new Set(failures.map((f) => f.error));
    for (const key of seen) expect(declared).toContain(key);
    expect(declared.filter((k) => !seen.has(k))).toEqual([]);
  });

  it.each(["id", "en"] as const)("every key the parsers name has a %s text, and no text is left over", (lang) => {
    const texts = TEXTS[lang];
    const missing = QUESTION_TEXT_KEYS.filter((k) => typeof texts[k] !== "string" || (texts[k] as string).trim() === "");
    expect(missing).toEqual([]);
    const extra = Object.keys(texts).filter((k) => !QUESTION_TEXT_KEYS.includes(k));
    expect(extra).toEqual([]);
  });

  it("both languages use the same placeholders for each key", () => {
    for (const key of QUESTION_TEXT_KEYS) {
      expect({ key, ph: placeholders(String(TEXTS.en[key])) }).toEqual({ key, ph: placeholders(String(TEXTS.id[key])) });
    }
  });

  it("every placeholder of an error text is filled by the params the parser gives", () => {
    for (const f of failures) {
      for (const lang of ["id", "en"] as const) {
        const text = String(TEXTS[lang][f.error]);
        const given = Object.keys(f.params ?? {});
        const unfilled = placeholders(text).filter((p) => !given.includes(p));
        expect({ key: f.error, lang, unfilled }).toEqual({ key: f.error, lang, unfilled: [] });
      }
    }
  });

  it("every error text gives an example of what to type", () => {
    // The suggestion and the allowed list are the example in these two.
    const exempt = new Set(["q.email.typo", "q.media.wrong_type"]);
    for (const key of declared.filter((k) => !exempt.has(k))) {
      expect({ key, id: /misalnya/i.test(String(TEXTS.id[key])) }).toEqual({ key, id: true });
      expect({ key, en: /for example/i.test(String(TEXTS.en[key])) }).toEqual({ key, en: true });
    }
  });
});
