/**
 * The rule-based router: reads the assessment answers and the client's own description, scores each
 * consultant area by the rules that hold, and explains the recommendation in words the admin reads
 * ("modal / KUR disebut -> pembiayaan"). Pure.
 */
import { fold } from "../../shared/fold.js";
import type { RoutingFile, RoutingRule } from "./rules.js";

export interface RankedArea {
  area: string;
  score: number;
  reasons: string[];
}

export interface RoutingResult {
  ranked: RankedArea[];
  /** Null when no area reached the minimum score: the admin chooses. */
  recommended: string | null;
  score: number;
  /** One line, e.g. "modal, KUR disebut; butuh modal -> pembiayaan". */
  explanation: string;
}

function holds(rule: RoutingRule, answers: Record<string, unknown>): boolean {
  const c = rule.when!;
  const v = answers[c.answer];
  if (v === undefined || v === null) return false;
  if (c.equals !== undefined) return v === c.equals;
  if (c.includes !== undefined) return Array.isArray(v) && v.includes(c.includes);
  if (c.includesAny !== undefined) return Array.isArray(v) ? v.some((x) => c.includesAny!.includes(String(x))) : c.includesAny.includes(String(v));
  if (c.atLeast !== undefined) return typeof v === "number" && v >= c.atLeast;
  return false;
}

/** Keywords found in the text, as written in the rule. Whole words only, so "kur" does not match "kurir". */
export function matchKeywords(text: string, keywords: readonly string[]): string[] {
  const hay = ` ${fold(text)} `;
  return keywords.filter((k) => {
    const needle = fold(k);
    return needle.length > 0 && hay.includes(` ${needle} `);
  });
}

export function route(rules: RoutingFile, answers: Record<string, unknown>, problemText: string): RoutingResult {
  const byArea = new Map<string, RankedArea>();
  for (const rule of rules.rules) {
    let reason: string | null = null;
    if (rule.keywords) {
      const found = matchKeywords(problemText, rule.keywords);
      if (found.length > 0) reason = `${found.join(" / ")} disebut`;
    } else if (holds(rule, answers)) {
      reason = rule.reason!;
    }
    if (reason === null) continue;
    const entry = byArea.get(rule.area) ?? { area: rule.area, score: 0, reasons: [] };
    entry.score += rule.weight;
    entry.reasons.push(reason);
    byArea.set(rule.area, entry);
  }
  const ranked = [...byArea.values()].sort((a, b) => b.score - a.score || a.area.localeCompare(b.area));
  const top = ranked[0];
  if (!top || top.score < rules.minimumScore) {
    return { ranked, recommended: null, score: top?.score ?? 0, explanation: "tidak ada aturan yang cocok: admin memilih bidang" };
  }
  return { ranked, recommended: top.area, score: top.score, explanation: `${top.reasons.join("; ")} -> ${top.area}` };
}
