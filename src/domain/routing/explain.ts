/**
 * How a routing decision reads on the case card the admins get: the recommended area with its
 * reasons; or, when the router was not sure (a tie, or too little evidence), the two most likely
 * areas side by side with the reasons of each, so the admin sees why and chooses.
 */
import { z } from "zod";

/** RoutingDecision.rankedJson: the areas best first, with their scores and reasons. */
export const ZRankedJson = z.array(z.object({ area: z.string(), score: z.number(), reasons: z.array(z.string()) }));

type T = (key: string, params?: Record<string, string | number>) => string;

/** The recommendation line(s) of a case card, from a stored routing decision. */
export function recommendationText(decision: { recommended: string; score: number; explanation: string; rankedJson: string }, t: T): string {
  if (decision.recommended) {
    return t("wf.card.recommendation", { area: t(`area.${decision.recommended}`), score: decision.score, explanation: decision.explanation });
  }
  let ranked: z.infer<typeof ZRankedJson> = [];
  try {
    ranked = ZRankedJson.parse(JSON.parse(decision.rankedJson));
  } catch {
    // An unreadable ranking is shown as no recommendation: the admin chooses either way.
  }
  const [first, second] = ranked;
  if (!first) return t("wf.card.no_recommendation");
  const line = (r: { area: string; score: number; reasons: string[] }) =>
    t("wf.card.candidate", { area: t(`area.${r.area}`), score: r.score, reasons: r.reasons.join("; ") });
  if (!second) return `${t("wf.card.unsure_one")}\n${line(first)}`;
  return `${t("wf.card.unsure_two")}\n${line(first)}\n${line(second)}`;
}
