/**
 * The router reads the office's rules and vocabulary as data, understands affixed and slang words,
 * denials, and says so when it is unsure; measured on the office's labelled cases and on cases held
 * out from tuning.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { answerCatalog, routingAnswers } from "../../src/domain/routing/answers.js";
import { checkOfficeFiles, formatOfficeIssue, OFFICE_RULES, officeFilesOf } from "../../src/domain/routing/check.js";
import { BAD_INPUTS, belumTahu, checkCases, evaluate, routingTime, ZEvalFile } from "../../src/domain/routing/evaluate.js";
import { loadOfficeSetup, ZRoutingFile } from "../../src/domain/routing/rules.js";
import { findConcepts, route } from "../../src/domain/routing/router.js";
import { loadConversations, readConversationFiles } from "../../src/flows/load.js";
import { CONVERSATIONS_DIR, otherTextFiles } from "../flows/helpers.js";

const setup = loadOfficeSetup("conversations");
const conversations = loadConversations(CONVERSATIONS_DIR, { overlay: otherTextFiles() });
const catalog = answerCatalog(conversations);
const readCases = (file: string) => ZEvalFile.parse(parse(readFileSync(file, "utf8")));
const OWN = readCases("conversations/routing-cases.yaml");
const HELD_OUT = readCases("tests/fixtures/routing/held-out.yaml");
const firstArea = (text: string, answers: Record<string, unknown> = {}) => route(setup.routing, answers, text).ranked[0]?.area ?? null;

describe("routing rules of conversations/", () => {
  it("every area and service has a name in every language", () => {
    const { texts } = loadConversations("conversations");
    for (const lang of ["id", "en"] as const) {
      for (const a of setup.areas.areas) expect(texts[lang][`area.${a.code}`], `area.${a.code} (${lang})`).toBeTruthy();
      for (const s of setup.areas.services) expect(texts[lang][`service.${s}`], `service.${s} (${lang})`).toBeTruthy();
    }
  });

  it.each([
    ["Saya butuh modal untuk tambah gerobak, mau ajukan KUR", {}, "pembiayaan", /disebut: .*kur.*modal/i],
    ["Jualan keripik sepi, pembeli sedikit, mau promosi", {}, "pemasaran", /sepi/],
    ["Belum punya izin PIRT dan sertifikat halal", {}, "legalitas", /p irt|halal/],
    ["Kemasan gampang rusak dan produk cepat basi", {}, "produksi", /kemasan/],
    ["Anggota koperasi tidak datang ke RAT", {}, "kelembagaan", /anggota|RAT/],
    ["Mau jualan di Shopee dan TikTok", {}, "digital", /shopee/],
    ["Usaha saya begitu saja", { "assessment.needsCapital": true, "assessment.hadCredit": "rejected" }, "pembiayaan", /butuh modal/],
    ["Bingung mulai dari mana", { "assessment.problemAreas": ["sdm"], "assessment.hrIssues": ["rekrut"] }, "sdm", /SDM/],
  ])("%s -> %s, explained", (text, answers, area, why) => {
    const r = route(setup.routing, answers, text);
    expect(r.recommended).toBe(area);
    expect(r.confidence).toBe("clear");
    expect(r.explanation).toMatch(why);
    expect(r.explanation).toContain(`-> ${area}`);
    expect(r.ranked[0]?.area).toBe(area);
  });

  it.each([
    ["perizinan usaha kami belum beres", "legalitas"],
    ["modalnya kurang", "pembiayaan"],
    ["karyawannya sering bolos", "sdm"],
    ["saya sedang meminjam uang di bank", "pembiayaan"],
    ["kemasannya mudah sobek", "produksi"],
    ["jualannya sepi terus", "pemasaran"],
    ["penawaran ke hotel belum ada yang tertarik", "pemasaran"],
    ["pembukuaan saya berantakan", "pembiayaan"],
  ])("reads affixed, slang and mistyped words: %s -> %s", (text, area) => {
    expect(firstArea(text)).toBe(area);
  });

  it("takes a denied need as no vote (or a vote against), a missing thing as the problem", () => {
    const denied = route(setup.routing, {}, "Saya tidak butuh modal, yang saya butuhkan pembeli baru");
    expect(denied.ranked.map((r) => r.area)).not.toContain("pembiayaan");
    expect(denied.recommended).toBe("pemasaran");
    expect(findConcepts(setup.routing.lexicon, "tidak butuh modal").every((h) => h.denied)).toBe(true);
    expect(findConcepts(setup.routing.lexicon, "izin usaha sudah lengkap").every((h) => h.denied)).toBe(true);
    expect(findConcepts(setup.routing.lexicon, "bukan soal modal").every((h) => h.denied)).toBe(true);
    expect(findConcepts(setup.routing.lexicon, "tidak ada modal").some((h) => h.denied)).toBe(false);
    expect(findConcepts(setup.routing.lexicon, "belum punya izin").some((h) => h.denied)).toBe(false);
    expect(findConcepts(setup.routing.lexicon, "penjualan tidak lancar").some((h) => h.denied)).toBe(false);
    // A denial does not reach past "tapi".
    expect(firstArea("bukan masalah izin, tapi modal kurang")).toBe("pembiayaan");
  });

  it("a micro business without a licence is not sent to legalitas for a pricing problem", () => {
    const answers = { "assessment.problemAreas": ["belum_tahu"], "assessment.licences": ["none"], "assessment.bookkeeping": "tidak" };
    expect(firstArea("canang sari saya laku tapi saya tidak tahu cara menghitung harga jual", answers)).toBe("pembiayaan");
  });

  it("shows a tie as two areas equally likely with both explanations, never broken by the alphabet", () => {
    const r = route(setup.routing, {}, "mau tanya soal KUR dan QRIS");
    expect(r.confidence).toBe("tie");
    expect(r.recommended).toBeNull();
    expect(r.candidates).toHaveLength(2);
    expect(r.explanation).toMatch(/^dua bidang sama mungkin: /);
    for (const a of r.candidates) expect(r.explanation).toContain(`${a} (disebut:`);
    // Equal scores are ordered as areas.yaml lists them: digital is last there, though first in the alphabet.
    const equal = route(setup.routing, { "assessment.problemAreas": ["digital", "sdm"] }, "");
    expect(equal.ranked.map((x) => x.area)).toEqual(["sdm", "digital"]);
    expect(equal.confidence).toBe("tie");
  });

  it("under the threshold says it is not sure, and names what it saw", () => {
    const r = route(setup.routing, {}, "harganya murah");
    expect(r.confidence).toBe("weak");
    expect(r.recommended).toBeNull();
    expect(r.explanation).toMatch(/^belum yakin \(skor .* di bawah 2\.5\): pemasaran/);
  });

  it.each(BAD_INPUTS.map((b) => [b.name, b.text] as const))("bad input (%s): a recommendation or an honest none, fast", (_name, text) => {
    const { result, ms } = routingTime(setup.routing, {}, text);
    expect(["clear", "tie", "weak", "none"]).toContain(result.confidence);
    if (result.confidence === "none") expect(result.explanation).toMatch(/admin memilih/);
    // A few milliseconds on a quiet machine (eval:router prints the figure); the bound leaves room for a busy CI.
    expect(ms).toBeLessThan(100);
  });

  it("never throws on any text, and only recommends areas of areas.yaml", () => {
    const areas = setup.areas.areas.map((a) => a.code);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), fc.constantFrom<Record<string, unknown>>({}, { "assessment.problemAreas": ["belum_tahu"] }), (text, answers) => {
        const r = route(setup.routing, answers, text);
        if (r.recommended !== null) expect(areas).toContain(r.recommended);
        expect(r.candidates.every((c) => areas.includes(c))).toBe(true);
        expect(r.confidence === "clear").toBe(r.recommended !== null);
      }),
      { numRuns: 300 },
    );
  });

  it("the service's view of a case: assessment rows and the business's legal form and sector", () => {
    const answers = routingAnswers(
      [
        { questionId: "assessment.problemAreas", valueJson: '["kelembagaan"]' },
        { questionId: "assessment.needsCapital", valueJson: "not json" },
      ],
      { legalForm: "koperasi", sector: "ksp" },
    );
    expect(answers).toEqual({ "assessment.problemAreas": ["kelembagaan"], "business.legalForm": "koperasi", "business.sector": "ksp" });
    for (const path of Object.keys(answers)) expect(catalog.has(path)).toBe(true);
  });

  it("refuses a rule file of the old shape", () => {
    expect(ZRoutingFile.safeParse({ version: 1, rules: [{ id: "x", area: "pemasaran", weight: 1, keywords: ["jual"] }] }).success).toBe(false);
  });
});

describe("accuracy on labelled cases (eval:router)", () => {
  const areas = setup.routing.areaOrder;

  it("the office's set: at least 150 cases, every area and a belum-tahu answer among them, all valid", () => {
    expect(OWN.length).toBeGreaterThanOrEqual(150);
    expect(checkCases(OWN, areas, catalog)).toEqual([]);
    expect(checkCases(HELD_OUT, areas, catalog)).toEqual([]);
    for (const a of areas) expect(OWN.filter((c) => c.expect[0] === a).length, a).toBeGreaterThanOrEqual(15);
    expect(OWN.some((c) => (c.answers["assessment.problemAreas"] as string[] | undefined)?.includes("belum_tahu"))).toBe(true);
  });

  it("top-1 at least 90% with the assessment answers, 75% from the text with belum tahu", () => {
    expect(evaluate(setup.routing, OWN, 1).top1).toBeGreaterThanOrEqual(0.9);
    expect(evaluate(setup.routing, OWN.map(belumTahu), 1).top1).toBeGreaterThanOrEqual(0.75);
  });

  it("cases held out from tuning stay close (a fall here means rules that match sentences, not words)", () => {
    expect(evaluate(setup.routing, HELD_OUT, 1).top1).toBeGreaterThanOrEqual(0.85);
    expect(evaluate(setup.routing, HELD_OUT.map(belumTahu), 1).top1).toBeGreaterThanOrEqual(0.75);
  });

  it("an unknown answer path, option or area is an error naming the case", () => {
    const bad = ZEvalFile.parse([
      { id: "x1", text: "modal", answers: { "assessment.needCapital": true }, expect: "pembiayaan" },
      { text: "jualan sepi sekali di pasar", answers: { "assessment.problemAreas": ["pemasaran "] }, expect: ["marketing"] },
    ]);
    const problems = checkCases(bad, areas, catalog);
    expect(problems[0]).toMatch(/^case x1: "assessment.needCapital" is not an answer the router reads/);
    expect(problems.join("\n")).toMatch(/case #2 \("jualan sepi sekali di pasar"\): "assessment.problemAreas" has no option "pemasaran "/);
    expect(problems.join("\n")).toMatch(/case #2 .*expect "marketing" is not an area/);
  });

  it("npm run eval:router prints the report and ends with one JSON line", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/eval-router.ts", "tests/fixtures/routing/held-out.yaml"], { encoding: "utf8" });
    const last = out.trim().split("\n").pop() ?? "";
    const summary = z.strictObject({ n: z.number(), top1: z.number().min(0).max(1), top2: z.number().min(0).max(1) }).parse(JSON.parse(last));
    expect(summary.n).toBe(HELD_OUT.length);
    for (const part of ["top-1", "per area", "confusion matrix", "misses", "routing time per case", "bad input"]) expect(out).toContain(part);
  }, 60_000);
});

describe("flows:check of the office files: one broken fixture per rule", () => {
  const BROKEN = "tests/domain/fixtures/routing-broken";
  const ZBroken = z.strictObject({ rule: z.string(), expect: z.string().optional(), files: z.record(z.string(), z.string()) });
  const fixtures = readdirSync(BROKEN).map((f) => ({ file: f, ...ZBroken.parse(parse(readFileSync(`${BROKEN}/${f}`, "utf8"))) }));
  const real = officeFilesOf(readConversationFiles(CONVERSATIONS_DIR));

  it("the real files pass", () => {
    expect(checkOfficeFiles(real, conversations).map(formatOfficeIssue)).toEqual([]);
  });

  it("every rule has a fixture named after it", () => {
    expect(fixtures.map((f) => f.rule).sort()).toEqual(Object.keys(OFFICE_RULES).sort());
    for (const f of fixtures) expect(f.file).toBe(`${f.rule}.yaml`);
  });

  for (const f of fixtures) {
    it(`${f.rule}: ${OFFICE_RULES[f.rule as keyof typeof OFFICE_RULES] ?? "?"}`, () => {
      const issues = checkOfficeFiles({ ...real, ...f.files }, conversations);
      const mine = issues.filter((i) => i.code === f.rule);
      expect(mine.length, issues.map(formatOfficeIssue).join("\n")).toBeGreaterThan(0);
      if (f.expect) expect(mine.map((i) => i.message).join("\n")).toContain(f.expect);
      for (const i of mine) {
        expect(Object.keys(f.files).some((n) => i.file.endsWith(n)), formatOfficeIssue(i)).toBe(true);
        expect(i.line, formatOfficeIssue(i)).toBeGreaterThan(0);
      }
    });
  }
});
