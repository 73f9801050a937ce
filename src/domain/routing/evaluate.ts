/**
 * Measures the router on a labelled set (npm run eval:router): each case is the problem in the
 * client's own words, the assessment answers by store path, and the expected areas (the first the
 * best). Runs every case through route(), the function the service calls, and counts top-1 (the
 * first area the admin reads is one of the expected), top-2 (an expected area is among the first
 * two), precision and recall per area, the confusion matrix, the misses with their explanation and
 * the time each routing took (the median of five runs).
 */
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { type AnswerSpec, answerProblem } from "./answers.js";
import { route, type RoutingResult, type RoutingSetup } from "./router.js";

export const ZEvalCase = z.strictObject({
  id: z.string().min(1).optional(),
  text: z.string(),
  answers: z.record(z.string(), z.unknown()).default({}),
  expect: z.union([z.string(), z.array(z.string()).min(1)]).transform((e) => (Array.isArray(e) ? e : [e])),
  /** Why the label is what it is, for a case people may argue about. */
  note: z.string().optional(),
});
export type EvalCase = z.infer<typeof ZEvalCase>;
export const ZEvalFile = z.array(ZEvalCase).min(1);

/** A case named for messages: its id, or its place and first words. */
export function caseName(c: Pick<EvalCase, "id" | "text">, i: number): string {
  return c.id ? `case ${c.id}` : `case #${i + 1} ("${c.text.slice(0, 40)}${c.text.length > 40 ? "…" : ""}")`;
}

/** Every problem of a case file: unknown areas, answers the router does not read, wrong values. */
export function checkCases(cases: readonly EvalCase[], areas: readonly string[], catalog: ReadonlyMap<string, AnswerSpec>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  cases.forEach((c, i) => {
    const name = caseName(c, i);
    if (c.id) {
      if (ids.has(c.id)) problems.push(`${name}: the id is used twice`);
      ids.add(c.id);
    }
    for (const e of c.expect) if (!areas.includes(e)) problems.push(`${name}: expect "${e}" is not an area of areas.yaml (${areas.join(", ")})`);
    for (const [path, value] of Object.entries(c.answers)) {
      const p = answerProblem(catalog, path, value);
      if (p) problems.push(`${name}: ${p}`);
    }
  });
  return problems;
}

/** The "belum tahu" variant of a case: the client did not pick an area and the router has only the text. */
export function belumTahu(c: EvalCase): EvalCase {
  return { ...c, answers: { "assessment.problemAreas": ["belum_tahu"] } };
}

export interface CaseOutcome {
  case: EvalCase;
  name: string;
  result: RoutingResult;
  /** The first area the admin reads (null when none). */
  first: string | null;
  top1: boolean;
  top2: boolean;
  ms: number;
}

export interface AreaStats {
  area: string;
  /** Cases whose best expected area is this one. */
  n: number;
  precision: number | null;
  recall: number | null;
}

export interface EvalReport {
  n: number;
  top1: number;
  top2: number;
  outcomes: CaseOutcome[];
  areas: AreaStats[];
  /** expected (best) -> first area ("-" for none) -> count. */
  confusion: Map<string, Map<string, number>>;
  confidence: Record<RoutingResult["confidence"], number>;
  ms: { mean: number; p95: number; max: number };
}

const share = (k: number, n: number) => (n === 0 ? 0 : Math.round((k / n) * 1000) / 1000);

/**
 * The time one routing takes: the median of `repeat` runs, so that a busy machine's pauses (other
 * processes, garbage collection) do not count as the router's own time.
 */
export function routingTime(setup: RoutingSetup, answers: Readonly<Record<string, unknown>>, text: string, repeat = 5): { result: RoutingResult; ms: number } {
  let result: RoutingResult | undefined;
  const times: number[] = [];
  for (let k = 0; k < repeat; k++) {
    const t0 = performance.now();
    result = route(setup, answers, text);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { result: result as RoutingResult, ms: times[Math.floor(times.length / 2)] ?? 0 };
}

export function evaluate(setup: RoutingSetup, cases: readonly EvalCase[], repeat = 5): EvalReport {
  const outcomes: CaseOutcome[] = cases.map((c, i) => {
    const { result, ms } = routingTime(setup, c.answers, c.text, repeat);
    const first = result.ranked[0]?.area ?? null;
    const firstTwo = result.ranked.slice(0, 2).map((r) => r.area);
    return {
      case: c,
      name: caseName(c, i),
      result,
      first,
      top1: first !== null && c.expect.includes(first),
      top2: c.expect.some((e) => firstTwo.includes(e)),
      ms,
    };
  });
  const areas = setup.areaOrder.map((area): AreaStats => {
    const expected = outcomes.filter((o) => o.case.expect[0] === area);
    const predicted = outcomes.filter((o) => o.first === area);
    const right = predicted.filter((o) => o.case.expect.includes(area)).length;
    const found = expected.filter((o) => o.top1).length;
    return {
      area,
      n: expected.length,
      precision: predicted.length ? share(right, predicted.length) : null,
      recall: expected.length ? share(found, expected.length) : null,
    };
  });
  const confusion = new Map<string, Map<string, number>>();
  for (const o of outcomes) {
    const row = confusion.get(o.case.expect[0]!) ?? new Map<string, number>();
    const col = o.first ?? "-";
    row.set(col, (row.get(col) ?? 0) + 1);
    confusion.set(o.case.expect[0]!, row);
  }
  const confidence = { clear: 0, tie: 0, weak: 0, none: 0 };
  for (const o of outcomes) confidence[o.result.confidence]++;
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    n: outcomes.length,
    top1: share(outcomes.filter((o) => o.top1).length, outcomes.length),
    top2: share(outcomes.filter((o) => o.top2).length, outcomes.length),
    outcomes,
    areas,
    confusion,
    confidence,
    ms: {
      mean: times.reduce((a, b) => a + b, 0) / Math.max(times.length, 1),
      p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? 0,
      max: times[times.length - 1] ?? 0,
    },
  };
}

/** Inputs the router must survive with a recommendation or an honest "admin chooses", in milliseconds. */
export const BAD_INPUTS: readonly { name: string; text: string }[] = [
  { name: "10,000 characters", text: "Usaha tenun saya di Gianyar, pembeli makin sedikit dan modal terbatas. ".repeat(150).slice(0, 10_000) },
  { name: "only emoji", text: "😭😭🙏🙏💸💸🏪" },
  { name: "another language", text: "私たちの店は売り上げが落ちています。どうすればいいですか" },
  { name: "empty", text: "" },
];
