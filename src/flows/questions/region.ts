/**
 * Where a client's business is: the kecamatan of Kabupaten Gianyar (or "luar", outside it) and then
 * the desa/kelurahan within it. The region list is data (conversations/regions/gianyar.yaml); this
 * module validates it and matches answers against it. No file reading here: see regions-file.ts.
 */
import { z } from "zod";
import type { Lang } from "../../i18n/index.js";
import { fold } from "../../shared/fold.js";
import { guessTerm, matchTerms, type MatchEntry, type MatchResult } from "./fuzzy.js";
import { readOptionNumber } from "./choice.js";
import { REGION_FILLER_WORDS } from "./lexicon.js";
import { type ChoiceOption, type ParseResult, err, ok } from "./types.js";

export const REGION_ERRORS = [
  "q.region.empty",
  // Not a refusal: a typo or an abbreviation offered back ("Maksud Anda Ubud?"); params.code is the guess.
  "q.region.suggest",
  "q.region.ambiguous",
  "q.region.kecamatan_unknown",
  "q.region.desa_unknown",
  "q.region.desa_other_kecamatan",
] as const;

export const ZDesa = z.object({
  /** Kemendagri code without dots: "5104012005". */
  code: z.string().regex(/^\d{10}$/),
  name: z.string().min(1),
  /** A kelurahan (urban village, led by a civil servant) rather than a desa. */
  kelurahan: z.boolean().default(false),
  synonyms: z.array(z.string().min(1)).default([]),
});

export const ZKecamatan = z.object({
  /** Kemendagri code without dots: "510401". */
  code: z.string().regex(/^\d{6}$/),
  name: z.string().min(1),
  synonyms: z.array(z.string().min(1)).default([]),
  desa: z.array(ZDesa).min(1),
});

export const ZRegionsFile = z
  .object({
    version: z.literal(1),
    kabupaten: z.object({ code: z.string().regex(/^\d{4}$/), name: z.string().min(1) }),
    outside: z.object({
      code: z.string().min(1),
      label: z.object({ id: z.string().min(1), en: z.string().min(1) }),
      markers: z.array(z.string().min(1)).min(1),
      names: z.array(z.string().min(1)),
    }),
    kecamatan: z.array(ZKecamatan).min(1),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    const dup = (code: string, path: (string | number)[]) => {
      if (seen.has(code)) ctx.addIssue({ code: "custom", message: `duplicate code ${code}`, path });
      seen.add(code);
    };
    r.kecamatan.forEach((k, i) => {
      dup(k.code, ["kecamatan", i, "code"]);
      if (!k.code.startsWith(r.kabupaten.code)) {
        ctx.addIssue({ code: "custom", message: `${k.code} is not in ${r.kabupaten.code}`, path: ["kecamatan", i, "code"] });
      }
      k.desa.forEach((d, j) => {
        dup(d.code, ["kecamatan", i, "desa", j, "code"]);
        if (!d.code.startsWith(k.code)) {
          ctx.addIssue({ code: "custom", message: `${d.code} is not in ${k.code}`, path: ["kecamatan", i, "desa", j, "code"] });
        }
        // Kemendagri numbers kelurahan 1NNN and desa 2NNN.
        if ((d.code[6] === "1") !== d.kelurahan) {
          ctx.addIssue({ code: "custom", message: `${d.code}: kelurahan flag disagrees with the code`, path: ["kecamatan", i, "desa", j] });
        }
      });
    });
    if (seen.has(r.outside.code)) ctx.addIssue({ code: "custom", message: "outside code clashes", path: ["outside", "code"] });
  });

export type Regions = z.infer<typeof ZRegionsFile>;
export type Kecamatan = z.infer<typeof ZKecamatan>;
export type Desa = z.infer<typeof ZDesa>;

/** Validates parsed YAML (or JSON) of a regions file; throws a ZodError naming what is wrong. */
export function parseRegions(data: unknown): Regions {
  return ZRegionsFile.parse(data);
}

const FILLER = new Set(REGION_FILLER_WORDS);

/** Folded words of an answer without "kecamatan", "desa", "di" and the like. */
function contentWords(input: string): string[] {
  return fold(input)
    .split(" ")
    .filter((w) => w !== "" && !FILLER.has(w));
}

/** Matches first without the names in `drop` ("Sukawati, Gianyar"), then with them ("Gianyar"). */
function matchDropping(words: string[], drop: string[], entries: MatchEntry[]): MatchResult {
  const dropWords = new Set(drop.flatMap((d) => fold(d).split(" ")));
  const rest = words.filter((w) => !dropWords.has(w));
  if (rest.length > 0 && rest.length < words.length) {
    const m = matchTerms(rest.join(" "), entries);
    if (m.kind === "one") return m;
  }
  return matchTerms(words.join(" "), entries);
}

/** The kecamatan list as choices, numbered as parseKecamatan reads numbers; outside comes last. */
export function kecamatanChoices(regions: Regions, lang: Lang = "id"): ChoiceOption[] {
  return [
    ...regions.kecamatan.map((k) => ({ id: k.code, label: k.name, synonyms: k.synonyms })),
    { id: regions.outside.code, label: regions.outside.label[lang], synonyms: regions.outside.names },
  ];
}

/** The desa of one kecamatan as choices, in the file's order (by name), as parseDesa reads numbers. */
export function desaChoices(regions: Regions, kecamatanCode: string): ChoiceOption[] {
  return findKecamatan(regions, kecamatanCode).desa.map((d) => ({ id: d.code, label: d.name, synonyms: d.synonyms }));
}

function findKecamatan(regions: Regions, code: string): Kecamatan {
  const k = regions.kecamatan.find((x) => x.code === code);
  if (!k) throw new Error(`unknown kecamatan code ${code}`);
  return k;
}

const numbered = (labels: string[]): string => labels.map((l, i) => `${i + 1}. ${l}`).join("\n");

/** The labels of the confirmation a region question shows with a suggestion. */
export const REGION_LABEL_KEYS = { yes: "q.region.suggest_yes", again: "q.region.suggest_again" } as const;

/** An answer that is probably `name` (code `code`): asked back, never taken silently. */
const suggest = (answer: string, code: string, name: string) => err("q.region.suggest", { answer: answer.trim(), suggestion: name, code });

/**
 * Reads a kecamatan of Gianyar by number, name or typo, and returns its code; "luar" (the
 * outside code) for answers outside the kabupaten: "luar Gianyar", "Denpasar", "Badung". A desa
 * name alone ("Celuk") gives its kecamatan.
 */
export function parseKecamatan(input: string, regions: Regions, lang: Lang = "id"): ParseResult<string> {
  const choices = kecamatanChoices(regions, lang);
  const unknown = () => err("q.region.kecamatan_unknown", { answer: input.trim(), list: numbered(choices.map((c) => c.label)) });
  if (fold(input) === "") return err("q.region.empty");
  const outside = ok(regions.outside.code, regions.outside.label[lang]);

  const n = readOptionNumber(input);
  if (n !== undefined) {
    const c = choices[n - 1];
    if (!c || n < 1) return unknown();
    return c.id === regions.outside.code ? outside : ok(c.id, c.label);
  }
  const words = contentWords(input);
  if (words.length === 0) return unknown();
  const markers = new Set(regions.outside.markers.map(fold));
  if (words.some((w) => markers.has(w))) return outside;

  const entries: MatchEntry[] = choices.map((c) => ({ id: c.id, terms: [c.label, ...(c.synonyms ?? [])] }));
  const labelOf = (id: string) => (id === regions.outside.code ? regions.outside.label[lang] : findKecamatan(regions, id).name);
  const m = matchDropping(words, [regions.kabupaten.name], entries);
  if (m.kind === "one") {
    if (m.tier === "fuzzy") return suggest(input, m.id, labelOf(m.id));
    if (m.id === regions.outside.code) return outside;
    return ok(m.id, findKecamatan(regions, m.id).name);
  }
  if (m.kind === "many") {
    const labels = m.ids.map((id) => choices.find((c) => c.id === id)?.label ?? id);
    return err("q.region.ambiguous", { answer: input.trim(), candidates: labels.join(", "), example: labels[0] ?? "" });
  }
  // A desa named instead of its kecamatan.
  const desaEntries: MatchEntry[] = regions.kecamatan.flatMap((k) =>
    k.desa.map((d) => ({ id: k.code, terms: [d.name, ...d.synonyms] })),
  );
  const d = matchTerms(words.join(" "), desaEntries);
  if (d.kind === "one") return d.tier === "fuzzy" ? suggest(input, d.id, labelOf(d.id)) : ok(d.id, findKecamatan(regions, d.id).name);
  // "ubd", "skwt", "tglg": a guess, offered back.
  const guess = guessTerm(words.join(" "), entries) ?? guessTerm(words.join(" "), desaEntries);
  if (guess !== undefined) return suggest(input, guess, labelOf(guess));
  return unknown();
}

/** Reads a desa/kelurahan of the given kecamatan by number, name or typo; returns its code. */
export function parseDesa(input: string, regions: Regions, kecamatanCode: string): ParseResult<string> {
  const kec = findKecamatan(regions, kecamatanCode);
  if (fold(input) === "") return err("q.region.empty");
  const list = numbered(kec.desa.map((d) => d.name));
  const answer = input.trim();
  const n = readOptionNumber(input);
  if (n !== undefined) {
    const d = kec.desa[n - 1];
    if (!d || n < 1) return err("q.region.desa_unknown", { answer, kecamatan: kec.name, list });
    return ok(d.code, d.name);
  }
  const words = contentWords(input);
  if (words.length === 0) return err("q.region.desa_unknown", { answer, kecamatan: kec.name, list });
  const entries: MatchEntry[] = kec.desa.map((d) => ({ id: d.code, terms: [d.name, ...d.synonyms] }));
  const m = matchDropping(words, [kec.name, regions.kabupaten.name], entries);
  if (m.kind === "one") {
    const d = kec.desa.find((x) => x.code === m.id) as Desa;
    return m.tier === "fuzzy" ? suggest(input, d.code, d.name) : ok(d.code, d.name);
  }
  if (m.kind === "many") {
    const names = m.ids.map((id) => kec.desa.find((x) => x.code === id)?.name ?? id);
    return err("q.region.ambiguous", { answer, candidates: names.join(", "), example: names[0] ?? "" });
  }
  // Named a desa of another kecamatan: say where it is rather than "unknown".
  for (const other of regions.kecamatan) {
    if (other.code === kec.code) continue;
    const hit = matchTerms(
      words.join(" "),
      other.desa.map((d) => ({ id: d.code, terms: [d.name, ...d.synonyms] })),
    );
    if (hit.kind === "one" && (hit.tier === "exact" || hit.tier === "contains")) {
      const d = other.desa.find((x) => x.code === hit.id) as Desa;
      return err("q.region.desa_other_kecamatan", {
        desa: d.name,
        kecamatan: other.name,
        chosen: kec.name,
        example: kec.desa[0]?.name ?? "",
      });
    }
  }
  const guess = guessTerm(words.join(" "), entries);
  if (guess !== undefined) return suggest(input, guess, (kec.desa.find((x) => x.code === guess) as Desa).name);
  return err("q.region.desa_unknown", { answer, kecamatan: kec.name, list });
}
