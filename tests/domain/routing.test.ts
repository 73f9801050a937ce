/** The router reads the office's rules as data and explains itself in words an admin reads. */
import { describe, expect, it } from "vitest";
import { loadConversations } from "../../src/flows/load.js";
import { loadOfficeSetup, ZRoutingFile } from "../../src/domain/routing/rules.js";
import { matchKeywords, route } from "../../src/domain/routing/router.js";

const setup = loadOfficeSetup("conversations");

describe("routing rules of conversations/", () => {
  it("every area and service has a name in every language", () => {
    const { texts } = loadConversations("conversations");
    for (const lang of ["id", "en"] as const) {
      for (const a of setup.areas.areas) expect(texts[lang][`area.${a.code}`], `area.${a.code} (${lang})`).toBeTruthy();
      for (const s of setup.areas.services) expect(texts[lang][`service.${s}`], `service.${s} (${lang})`).toBeTruthy();
    }
  });

  it.each([
    ["Saya butuh modal untuk tambah gerobak, mau ajukan KUR", {}, "pembiayaan", /modal \/ kur disebut/],
    ["Jualan keripik sepi, pembeli sedikit, mau promosi", {}, "pemasaran", /sepi/],
    ["Belum punya izin PIRT dan sertifikat halal", {}, "legalitas", /pirt/],
    ["Kemasan gampang rusak dan produk cepat basi", {}, "produksi", /kemasan/],
    ["Anggota koperasi tidak datang ke RAT", {}, "kelembagaan", /koperasi/],
    ["Mau jualan di Shopee dan TikTok", {}, "digital", /shopee/],
    ["Usaha saya begitu saja", { "assessment.needsCapital": true, "assessment.hadCredit": "rejected" }, "pembiayaan", /butuh modal/],
    ["Bingung mulai dari mana", { "assessment.problemAreas": ["sdm"] }, "sdm", /SDM/],
  ])("%s -> %s", (text, answers, area, why) => {
    const r = route(setup.routing, answers, text);
    expect(r.recommended).toBe(area);
    expect(r.explanation).toMatch(why);
    expect(r.explanation).toContain(`-> ${area}`);
    expect(r.ranked[0]?.area).toBe(area);
  });

  it("recommends nothing when no rule holds, and says so", () => {
    const r = route(setup.routing, {}, "halo");
    expect(r.recommended).toBeNull();
    expect(r.explanation).toMatch(/admin memilih/);
  });

  it("matches whole words only, without case or accents", () => {
    expect(matchKeywords("Saya kurir paket", ["kur"])).toEqual([]);
    expect(matchKeywords("Mau ajukan KUR.", ["kur"])).toEqual(["kur"]);
    expect(matchKeywords("laporan keuangan berantakan", ["laporan keuangan"])).toEqual(["laporan keuangan"]);
  });

  it("refuses a rule file with a rule naming nothing to check or an unknown shape", () => {
    expect(ZRoutingFile.safeParse({ version: 1, rules: [{ id: "x", area: "pemasaran", weight: 1 }] }).success).toBe(false);
    expect(ZRoutingFile.safeParse({ version: 1, rules: [{ id: "x", area: "pemasaran", weight: 1, when: { answer: "a", equals: 1 } }] }).success).toBe(false);
  });
});
