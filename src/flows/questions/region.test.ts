import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { skeleton } from "./fuzzy.js";
import { desaChoices, kecamatanChoices, parseDesa, parseKecamatan, parseRegions, REGION_ERRORS, type Regions } from "./region.js";
import { loadRegions } from "./regions-file.js";

const FILE = fileURLToPath(new URL("../../../conversations/regions/gianyar.yaml", import.meta.url));
let regions: Regions;
beforeAll(async () => {
  regions = await loadRegions(FILE);
});

describe("regions/gianyar.yaml", () => {
  it("holds the 7 kecamatan of Gianyar with 64 desa and 6 kelurahan", () => {
    expect(regions.kabupaten).toEqual({ code: "5104", name: "Gianyar" });
    expect(regions.kecamatan.map((k) => `${k.code} ${k.name}`)).toEqual([
      "510401 Sukawati",
      "510402 Blahbatuh",
      "510403 Gianyar",
      "510404 Tampaksiring",
      "510405 Ubud",
      "510406 Tegallalang",
      "510407 Payangan",
    ]);
    const all = regions.kecamatan.flatMap((k) => k.desa);
    expect(all.filter((d) => !d.kelurahan)).toHaveLength(64);
    expect(all.filter((d) => d.kelurahan).map((d) => d.name).sort()).toEqual(["Abianbase", "Beng", "Bitera", "Gianyar", "Samplangan", "Ubud"]);
    expect(regions.kecamatan.map((k) => k.desa.length)).toEqual([12, 9, 17, 8, 8, 7, 9]);
  });

  it("lists desa by name within each kecamatan", () => {
    for (const k of regions.kecamatan) {
      const names = k.desa.map((d) => d.name);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "id")));
    }
  });

  it("rejects a file with a duplicate code, a desa outside its kecamatan or a wrong kelurahan flag", () => {
    const raw = parse(readFileSync(FILE, "utf8")) as { kecamatan: { code: string; desa: { code: string; kelurahan?: boolean }[] }[] };
    const clone = () => structuredClone(raw);
    const dup = clone();
    (dup.kecamatan[1] as { code: string }).code = "510401";
    expect(() => parseRegions(dup)).toThrow(/duplicate/);
    const outside = clone();
    (outside.kecamatan[0]?.desa[0] as { code: string }).code = "5104022999";
    expect(() => parseRegions(outside)).toThrow(/is not in 510401/);
    const flag = clone();
    (flag.kecamatan[0]?.desa[0] as { kelurahan?: boolean }).kelurahan = true;
    expect(() => parseRegions(flag)).toThrow(/kelurahan flag/);
    expect(() => parseRegions({})).toThrow();
  });

  it("a bad path or bad YAML fails with the path in the message", async () => {
    await expect(loadRegions("/nonexistent/regions.yaml")).rejects.toThrow();
  });
});

describe("parseKecamatan", () => {
  it.each([
    ["Sukawati", "510401"],
    ["sukawati", "510401"],
    ["SUKAWATI", "510401"],
    ["1", "510401"],
    ["no 1", "510401"],
    ["kec. sukawati", "510401"],
    ["Kecamatan Sukawati", "510401"],
    ["di sukawati", "510401"],
    ["Sukawati, Gianyar", "510401"],
    ["sukawati gianyar bali", "510401"],
    ["blahbatuh", "510402"],
    ["blahbatu", "510402"],
    ["gianyar", "510403"],
    ["Kota Gianyar", "510403"],
    ["tampaksiring", "510404"],
    ["Tampak Siring", "510404"],
    ["tampak", "510404"],
    ["ubud", "510405"],
    ["UBUD", "510405"],
    ["5", "510405"],
    ["kelima", "510405"],
    ["tegallalang", "510406"],
    ["tegalalang", "510406"],
    ["Tegal Lalang", "510406"],
    ["payangan", "510407"],
    ["payang", "510407"],
    // A desa named instead of its kecamatan.
    ["celuk", "510401"],
    ["Mas", "510405"],
    ["pejeng kaja", "510404"],
    ["desa taro", "510406"],
  ])("%j -> %s", (input, code) => {
    const r = parseKecamatan(input, regions);
    expect(r).toMatchObject({ ok: true, value: code });
    if (r.ok) expect(r.display).toBe(regions.kecamatan.find((k) => k.code === code)?.name);
  });

  it.each([
    "luar", "luar gianyar", "Luar Gianyar", "di luar", "diluar kabupaten", "bukan gianyar", "kabupaten lain", "luar bali",
    "denpasar", "Denpasar", "badung", "Kab. Badung", "tabanan", "klungkung", "bangli", "karangasem", "buleleng",
    "jembrana", "kuta", "nusa dua", "singaraja", "jakarta", "8",
  ])("%j -> luar", (input) => {
    expect(parseKecamatan(input, regions)).toEqual({ ok: true, value: "luar", display: "Luar Kabupaten Gianyar" });
  });

  it.each([
    ["ubd", "510405", "Ubud"],
    ["kec ubd", "510405", "Ubud"],
    ["sukawti", "510401", "Sukawati"],
    ["skwt", "510401", "Sukawati"],
    ["Blabatuh", "510402", "Blahbatuh"],
    ["blhbth", "510402", "Blahbatuh"],
    ["gianyr", "510403", "Gianyar"],
    ["gnyr", "510403", "Gianyar"],
    ["tglg", "510406", "Tegallalang"],
    ["pyangan", "510407", "Payangan"],
    ["pyngn", "510407", "Payangan"],
    ["denpsar", "luar", "Luar Kabupaten Gianyar"],
  ])("a typo or abbreviation %j is offered back: Maksud Anda %s?", (input, code, name) => {
    expect(parseKecamatan(input, regions)).toEqual({ ok: false, error: "q.region.suggest", params: { answer: input, suggestion: name, code } });
  });

  it("shows 'outside' in the person's language", () => {
    expect(parseKecamatan("denpasar", regions, "en")).toEqual({ ok: true, value: "luar", display: "Outside Gianyar Regency" });
  });

  it("lists the kecamatan, numbered, when it does not know the answer", () => {
    const r = parseKecamatan("xyz", regions);
    expect(r).toEqual({
      ok: false,
      error: "q.region.kecamatan_unknown",
      params: {
        answer: "xyz",
        list: "1. Sukawati\n2. Blahbatuh\n3. Gianyar\n4. Tampaksiring\n5. Ubud\n6. Tegallalang\n7. Payangan\n8. Luar Kabupaten Gianyar",
      },
    });
    expect(parseKecamatan("9", regions)).toMatchObject({ ok: false, error: "q.region.kecamatan_unknown" });
    expect(parseKecamatan("0", regions)).toMatchObject({ ok: false, error: "q.region.kecamatan_unknown" });
    expect(parseKecamatan("kecamatan", regions)).toMatchObject({ ok: false, error: "q.region.kecamatan_unknown" });
    expect(parseKecamatan("x".repeat(10_000), regions)).toMatchObject({ ok: false, error: "q.region.kecamatan_unknown" });
  });

  it("says which kecamatan an ambiguous answer could be", () => {
    expect(parseKecamatan("ubud atau payangan", regions)).toMatchObject({
      ok: false,
      error: "q.region.ambiguous",
      params: { candidates: "Ubud, Payangan" },
    });
  });

  it.each(["", "  ", "🏠"])("%j is empty", (input) => {
    expect(parseKecamatan(input, regions)).toEqual({ ok: false, error: "q.region.empty" });
  });

  it("offers the same numbering as choices", () => {
    const choices = kecamatanChoices(regions, "id");
    expect(choices).toHaveLength(8);
    choices.forEach((c, i) => expect(parseKecamatan(String(i + 1), regions)).toMatchObject({ ok: true, value: c.id }));
  });
});

describe("region properties", () => {
  const names = () => regions.kecamatan.map((k) => ({ code: k.code, name: k.name }));

  it("a kecamatan written out is taken; its consonant outline or a slip is offered back, never another one", () => {
    for (const { code, name } of names()) {
      expect(parseKecamatan(name, regions)).toMatchObject({ ok: true, value: code });
      const outline = skeleton(name.toLowerCase());
      const r = parseKecamatan(outline, regions);
      if (r.ok) expect(r.value).toBe(code);
      else expect(r).toMatchObject({ error: "q.region.suggest", params: { code } });
    }
  });

  it("never throws, and answers with a known code, a question back or a refusal", () => {
    const codes = new Set([...regions.kecamatan.map((k) => k.code), regions.outside.code]);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
        const r = parseKecamatan(s, regions);
        if (r.ok) expect(codes.has(r.value)).toBe(true);
        else expect(REGION_ERRORS).toContain(r.error);
        if (!r.ok && r.error === "q.region.suggest") expect(codes.has(String(r.params?.code))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  // One-word names: a slip in "Buahan Kaja" can leave "Buahan aja" ("just Buahan"), which is another desa.
  it("a slip of one letter in a one-word desa name, anywhere after the first, is never taken for another desa", () => {
    fc.assert(
      fc.property(fc.constantFrom(...regions.kecamatan), fc.nat(), fc.nat(), (k, i, j) => {
        const d = k.desa[i % k.desa.length]!;
        if (d.name.length < 6 || d.name.includes(" ")) return;
        const at = 1 + (j % (d.name.length - 1));
        const slip = d.name.slice(0, at) + d.name.slice(at + 1);
        const r = parseDesa(slip, regions, k.code);
        if (r.ok) expect(r.value).toBe(d.code);
        else if (r.error === "q.region.suggest") expect(r.params?.code).toBe(d.code);
      }),
    );
  });
});

describe("parseDesa", () => {
  it.each([
    ["510405", "mas", "5104052002", "Mas"],
    ["510405", "Desa Mas", "5104052002", "Mas"],
    ["510405", "3", "5104052002", "Mas"],
    ["510405", "peliatan", "5104052006", "Peliatan"],
    ["510405", "Peliatan, Ubud", "5104052006", "Peliatan"],
    ["510405", "kelurahan ubud", "5104051005", "Ubud"],
    ["510405", "ubud", "5104051005", "Ubud"],
    ["510405", "kel. ubud", "5104051005", "Ubud"],
    ["510405", "lodtunduh", "5104052001", "Lodtunduh"],
    ["510405", "lod tunduh", "5104052001", "Lodtunduh"],
    ["510405", "Singakerta", "5104052003", "Singakerta"],
    ["510405", "singa kerta", "5104052003", "Singakerta"],
    ["510401", "batubulan", "5104012001", "Batubulan"],
    ["510401", "Batu Bulan", "5104012001", "Batubulan"],
    ["510401", "batubulan kangin", "5104012009", "Batubulan Kangin"],
    ["510401", "celuk", "5104012005", "Celuk"],
    ["510401", "Desa Celuk, Kec. Sukawati", "5104012005", "Celuk"],
    ["510401", "sukawati", "5104012004", "Sukawati"],
    ["510401", "singapadu", "5104012006", "Singapadu"],
    ["510401", "singapadu tengah", "5104012010", "Singapadu Tengah"],
    ["510401", "ketewel", "5104012002", "Ketewel"],
    ["510401", "ketewell", "5104012002", "Ketewel"],
    ["510402", "bedulu", "5104022007", "Bedulu"],
    ["510402", "bedahulu", "5104022007", "Bedulu"],
    ["510402", "blega", "5104022004", "Belega"],
    ["510403", "gianyar", "5104031006", "Gianyar"],
    ["510403", "abian base", "5104031005", "Abianbase"],
    ["510403", "tegal tugu", "5104032017", "Tegal Tugu"],
    ["510403", "tegaltugu", "5104032017", "Tegal Tugu"],
    ["510403", "petak", "5104032012", "Petak"],
    ["510403", "petak kaja", "5104032014", "Petak Kaja"],
    ["510404", "pejeng", "5104042001", "Pejeng"],
    ["510404", "pejeng kaja", "5104042006", "Pejeng Kaja"],
    ["510404", "kaja", "5104042006", "Pejeng Kaja"],
    ["510404", "manukaya", "5104042004", "Manukaya"],
    ["510406", "taro", "5104062007", "Taro"],
    ["510406", "tegalalang", "5104062002", "Tegallalang"],
    ["510407", "melinggih kelod", "5104072007", "Melinggih Kelod"],
    ["510407", "bresela", "5104072009", "Bresela"],
    ["510407", "buahan kaja", "5104072008", "Buahan Kaja"],
  ])("in %s: %j -> %s", (kec, input, code, name) => {
    expect(parseDesa(input, regions, kec)).toEqual({ ok: true, value: code, display: name });
  });

  it.each([
    ["510405", "pliatan", "5104052006", "Peliatan"],
    ["510405", "plt", "5104052006", "Peliatan"],
    ["510405", "kdwtn", "5104052004", "Kedewatan"],
    ["510401", "btubulan kangin", "5104012009", "Batubulan Kangin"],
    ["510404", "pejeng kwan", "5104042005", "Pejeng Kawan"],
  ])("in %s: a typo %j is offered back as %s (%s)", (kec, input, code, name) => {
    expect(parseDesa(input, regions, kec)).toEqual({ ok: false, error: "q.region.suggest", params: { answer: input, suggestion: name, code } });
  });

  it("says where a desa of another kecamatan is", () => {
    expect(parseDesa("celuk", regions, "510405")).toEqual({
      ok: false,
      error: "q.region.desa_other_kecamatan",
      params: { desa: "Celuk", kecamatan: "Sukawati", chosen: "Ubud", example: "Kedewatan" },
    });
  });

  it("lists the desa when it does not know the answer", () => {
    expect(parseDesa("xyz", regions, "510405")).toEqual({
      ok: false,
      error: "q.region.desa_unknown",
      params: {
        answer: "xyz",
        kecamatan: "Ubud",
        list: "1. Kedewatan\n2. Lodtunduh\n3. Mas\n4. Peliatan\n5. Petulu\n6. Sayan\n7. Singakerta\n8. Ubud",
      },
    });
    expect(parseDesa("99", regions, "510405")).toMatchObject({ ok: false, error: "q.region.desa_unknown" });
    expect(parseDesa("desa", regions, "510405")).toMatchObject({ ok: false, error: "q.region.desa_unknown" });
    expect(parseDesa("x".repeat(10_000), regions, "510405")).toMatchObject({ ok: false, error: "q.region.desa_unknown" });
  });

  it("asks which one when the answer fits several", () => {
    expect(parseDesa("pejeng k", regions, "510404")).toEqual({
      ok: false,
      error: "q.region.ambiguous",
      params: { answer: "pejeng k", candidates: "Pejeng Kaja, Pejeng Kangin, Pejeng Kawan, Pejeng Kelod", example: "Pejeng Kaja" },
    });
  });

  it.each(["", "   "])("%j is empty", (input) => {
    expect(parseDesa(input, regions, "510401")).toEqual({ ok: false, error: "q.region.empty" });
  });

  it("every desa is found by its name, its number and a one-letter slip in a long name", () => {
    for (const k of regions.kecamatan) {
      const choices = desaChoices(regions, k.code);
      k.desa.forEach((d, i) => {
        expect(parseDesa(d.name, regions, k.code)).toMatchObject({ ok: true, value: d.code });
        expect(parseDesa(d.name.toLowerCase(), regions, k.code)).toMatchObject({ ok: true, value: d.code });
        expect(parseDesa(String(i + 1), regions, k.code)).toMatchObject({ ok: true, value: d.code });
        expect(choices[i]?.id).toBe(d.code);
        if (d.name.length >= 7) {
          // A slip is offered back for confirmation, never taken silently.
          const slip = d.name.slice(0, 3) + d.name.slice(4);
          expect(parseDesa(slip, regions, k.code)).toMatchObject({ ok: false, error: "q.region.suggest", params: { code: d.code, suggestion: d.name } });
        }
      });
    }
  });

  it("throws on an unknown kecamatan code: that is the engine's mistake, not the person's", () => {
    expect(() => parseDesa("mas", regions, "999999")).toThrow();
  });
});
