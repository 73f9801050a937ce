/**
 * `npm run eval:router [file] [--belum-tahu] [--dir conversations]`: runs a labelled set of cases
 * (YAML: a list of { id?, text, answers, expect }) through the router the service uses, with the
 * office's rules and lexicon from conversations/, and prints every case with its routing time,
 * top-1 and top-2 accuracy, precision and recall per area, the confusion matrix and every miss with
 * the router's explanation. The last line is one JSON object {"n":…,"top1":…,"top2":…}.
 * --belum-tahu runs each case as if the client had answered "belum tahu" and nothing else.
 * Default file: conversations/routing-cases.yaml. Exits 1 when the file has an unknown area or path.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { loadConversations } from "../src/flows/load.js";
import { answerCatalog } from "../src/domain/routing/answers.js";
import { BAD_INPUTS, belumTahu, checkCases, evaluate, routingTime, ZEvalFile } from "../src/domain/routing/evaluate.js";
import { loadOfficeSetup } from "../src/domain/routing/rules.js";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = option("--dir") ?? "conversations";
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--dir") ?? join(dir, "routing-cases.yaml");

const setup = loadOfficeSetup(dir);
const parsed = ZEvalFile.safeParse(YAML.parse(readFileSync(file, "utf8")));
if (!parsed.success) {
  console.error(`${file}: ${parsed.error.issues.map((i) => `case #${Number(i.path[0]) + 1} ${i.path.slice(1).join(".")}: ${i.message}`).join("\n")}`);
  process.exit(1);
}
const problems = checkCases(parsed.data, setup.routing.areaOrder, answerCatalog(loadConversations(dir)));
if (problems.length > 0) {
  console.error(`${file}: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}`);
  process.exit(1);
}
const cases = flag("--belum-tahu") ? parsed.data.map(belumTahu) : parsed.data;
// One routing before measuring: the first call fills the stem cache the service keeps warm too.
evaluate(setup.routing, cases.slice(0, 1));
const r = evaluate(setup.routing, cases);

const pct = (x: number | null) => (x === null ? "   -" : `${(x * 100).toFixed(0).padStart(3)}%`);
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`eval:router ${file}${flag("--belum-tahu") ? " (as \"belum tahu\": problem text only)" : ""}: ${r.n} cases\n`);
console.log("cases (expected -> first area, confidence, time):");
for (const o of r.outcomes) {
  const mark = o.top1 ? "ok  " : o.top2 ? "top2" : "MISS";
  console.log(`  ${mark} ${pad(o.case.id ?? o.name, 10)} ${pad(o.case.expect.join("/"), 22)} -> ${pad(o.first ?? "-", 12)} ${pad(o.result.confidence, 6)} ${o.ms.toFixed(3)} ms`);
}
console.log(`\ntop-1 ${pct(r.top1)}  top-2 ${pct(r.top2)}  (clear ${r.confidence.clear}, tie ${r.confidence.tie}, weak ${r.confidence.weak}, none ${r.confidence.none})`);
console.log("\nper area (cases whose best area it is):");
console.log(`  ${pad("area", 12)}    n  precision  recall`);
for (const a of r.areas) console.log(`  ${pad(a.area, 12)} ${String(a.n).padStart(4)}  ${pct(a.precision)}       ${pct(a.recall)}`);
const cols = [...setup.routing.areaOrder, "-"];
console.log("\nconfusion matrix (rows: expected, columns: first area; - is none):");
console.log(`  ${pad("", 12)}${cols.map((c) => c.slice(0, 6).padStart(7)).join("")}`);
for (const row of setup.routing.areaOrder) {
  const m = r.confusion.get(row);
  console.log(`  ${pad(row, 12)}${cols.map((c) => String(m?.get(c) ?? 0).padStart(7)).join("")}`);
}
const misses = r.outcomes.filter((o) => !o.top1);
console.log(`\nmisses (${misses.length}):`);
for (const o of misses) {
  console.log(`  ${o.name}: expected ${o.case.expect.join("/")}, got ${o.first ?? "none"} (${o.result.confidence})`);
  console.log(`    "${o.case.text.slice(0, 160)}${o.case.text.length > 160 ? "…" : ""}"`);
  console.log(`    ranked: ${o.result.ranked.map((x) => `${x.area} ${x.score}`).join(", ") || "-"}`);
  console.log(`    why: ${o.result.explanation}`);
}
console.log(`\nrouting time per case (median of 5 runs each): mean ${r.ms.mean.toFixed(3)} ms, p95 ${r.ms.p95.toFixed(3)} ms, max ${r.ms.max.toFixed(3)} ms`);
console.log("bad input (never an error):");
for (const b of BAD_INPUTS) {
  const { result, ms } = routingTime(setup.routing, { "assessment.problemAreas": ["belum_tahu"] }, b.text, 9);
  console.log(`  ${pad(b.name, 18)} ${ms.toFixed(3)} ms  ${result.confidence}: ${result.explanation.slice(0, 110)}`);
}
console.log(JSON.stringify({ n: r.n, top1: r.top1, top2: r.top2 }));
