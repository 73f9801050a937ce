/** Small statistics for the reports: percentiles and the SKM index (Permenpan RB 14/2017). */

/**
 * The q-quantile (0..1) by linear interpolation between closest ranks (what spreadsheets call
 * PERCENTILE.INC, "type 7"): the median of 1, 2, 3, 10 is 2.5 and its 90th percentile 7.9.
 * Null for an empty list.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = v[lo] as number;
  const b = v[hi] as number;
  return a + (b - a) * (h - lo);
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round((n + Number.EPSILON) * f) / f;
}

/** The elements of the SKM in the order of Permenpan RB 14/2017, as the survey stores them. */
export const SKM_ELEMENTS = [
  { code: "requirements", no: "U1" },
  { code: "procedure", no: "U2" },
  { code: "time", no: "U3" },
  { code: "fee", no: "U4" },
  { code: "product", no: "U5" },
  { code: "competence", no: "U6" },
  { code: "behaviour", no: "U7" },
  { code: "complaintHandling", no: "U8" },
  { code: "facilities", no: "U9" },
] as const;

export type SkmCategory = "A" | "B" | "C" | "D";

/**
 * Mutu pelayanan from the IKM (0..100, conversion interval of Permenpan RB 14/2017):
 * A 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99. The index is rounded to two
 * decimals first, as the regulation's table is written.
 */
export function skmCategory(index: number): SkmCategory {
  const x = round(index, 2);
  if (x >= 88.31) return "A";
  if (x >= 76.61) return "B";
  if (x >= 65) return "C";
  return "D";
}

export interface SkmResult {
  respondents: number;
  /** Per element: the average of the 1..4 scores given (rounded to 2 decimals), null when nobody scored it. */
  perElement: Array<{ code: string; no: string; average: number | null; answers: number }>;
  /** IKM = the average of the element averages x 25, rounded to 2 decimals; null with no scores. */
  index: number | null;
  category: SkmCategory | null;
}

/**
 * The SKM of a set of surveys. Every element weighs the same (1/number of elements scored);
 * scores outside 1..4 are ignored. Codes the survey holds that are not among SKM_ELEMENTS are
 * kept, after the nine, so nothing a survey asked is lost.
 */
export function computeSkm(scoreSets: ReadonlyArray<Readonly<Record<string, unknown>>>): SkmResult {
  const sums = new Map<string, { sum: number; n: number }>();
  let respondents = 0;
  for (const scores of scoreSets) {
    let any = false;
    for (const [code, raw] of Object.entries(scores)) {
      const v = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
      if (!Number.isInteger(v) || v < 1 || v > 4) continue;
      const s = sums.get(code) ?? { sum: 0, n: 0 };
      s.sum += v;
      s.n += 1;
      sums.set(code, s);
      any = true;
    }
    if (any) respondents += 1;
  }
  const known: string[] = SKM_ELEMENTS.map((e) => e.code);
  const extra = [...sums.keys()].filter((c) => !known.includes(c)).sort();
  const codes = [...known, ...extra];
  const perElement = codes.map((code, i) => {
    const s = sums.get(code);
    return { code, no: `U${i + 1}`, average: s && s.n > 0 ? s.sum / s.n : null, answers: s?.n ?? 0 };
  });
  const scored = perElement.filter((e) => e.average !== null).map((e) => e.average as number);
  const index = scored.length > 0 ? round((scored.reduce((a, b) => a + b, 0) / scored.length) * 25, 2) : null;
  return {
    respondents,
    perElement: perElement.map((e) => ({ ...e, average: e.average === null ? null : round(e.average, 2) })),
    index,
    category: index === null ? null : skmCategory(index),
  };
}
