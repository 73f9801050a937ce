/**
 * Impact follow-up (issue 18 item 2): what a client answers three and six months after their case
 * closed. The question goes out as a reminder (src/scheduler/kinds/impact-followup.ts); the client
 * starts or declines it with a button or a typed word (src/desks/impact-desk.ts); the answers come
 * from the impact_followup flow and are stored on the case's ImpactFollowup row.
 */
import { z } from "zod";
import { writeJson, ZImpactLicences } from "../../db/json-columns.js";
import type { Tx } from "../../db/client.js";
import type { TurnPort } from "../port.js";

export const IMPACT_WAVES = [3, 6] as const;
export type ImpactWave = (typeof IMPACT_WAVES)[number];

/** The flow's answers (keys are the flow's `store` paths). */
export const ZImpactAnswers = z.object({
  "impact.turnoverBand": z.string().regex(/^[a-z0-9_]{1,30}$/),
  "impact.workers": z.number().int().min(0).max(100_000),
  "impact.financingObtained": z.boolean(),
  "impact.financingAmount": z.number().min(0).optional(),
  "impact.financingSource": z.string().max(200).optional(),
  "impact.newMarkets": z.boolean(),
  "impact.newMarketsNote": z.string().max(300).optional(),
  "impact.licences": z.array(z.string()).default([]),
  "impact.story": z.string().max(500).optional(),
});
export type ImpactAnswers = z.infer<typeof ZImpactAnswers>;

export type FollowupState =
  | { ok: true; followup: { id: string; caseId: string; wave: number; regNumber: string } }
  | { ok: false; reason: "not_found" | "answered" | "declined" };

/** The follow-up a client may answer now: theirs, asked (or due) and not yet answered or declined. */
export async function openFollowup(tx: Tx, clientId: string, followupId: string): Promise<FollowupState> {
  const f = await tx.impactFollowup.findUnique({
    where: { id: followupId },
    select: { id: true, caseId: true, clientId: true, wave: true, status: true, case: { select: { regNumber: true } } },
  });
  if (!f || f.clientId !== clientId) return { ok: false, reason: "not_found" };
  if (f.status === "answered") return { ok: false, reason: "answered" };
  if (f.status === "declined") return { ok: false, reason: "declined" };
  return { ok: true, followup: { id: f.id, caseId: f.caseId, wave: f.wave, regNumber: f.case.regNumber } };
}

/** The client's latest follow-up question still waiting for an answer, asked within `withinMs`. */
export async function latestAsked(tx: Tx, clientId: string, now: Date, withinMs: number) {
  return tx.impactFollowup.findFirst({
    where: { clientId, status: "asked", askedAt: { gte: new Date(now.getTime() - withinMs) } },
    orderBy: { askedAt: "desc" },
    select: { id: true },
  });
}

/** "Nanti saja": not this time; no second question. */
export async function declineFollowup(turn: TurnPort, followupId: string): Promise<void> {
  // The repeat a week later sees the state and sends nothing (the kind skips answered and declined rows).
  await turn.tx.impactFollowup.update({ where: { id: followupId }, data: { status: "declined", answeredAt: turn.now, channel: turn.identity.channel } });
}

/** The flow's answers, stored on the row (a pending repeat then sends nothing). */
export async function impactReported(turn: TurnPort, clientId: string, followupId: string, data: Record<string, unknown>): Promise<"saved" | "not_open"> {
  const state = await openFollowup(turn.tx, clientId, followupId);
  if (!state.ok) return "not_open";
  const a = ZImpactAnswers.parse(data);
  const financed = a["impact.financingObtained"];
  const markets = a["impact.newMarkets"];
  await turn.tx.impactFollowup.update({
    where: { id: followupId },
    data: {
      status: "answered",
      answeredAt: turn.now,
      channel: turn.identity.channel,
      turnoverBand: a["impact.turnoverBand"],
      workers: a["impact.workers"],
      financingObtained: financed,
      financingAmount: financed && a["impact.financingAmount"] !== undefined ? BigInt(Math.round(a["impact.financingAmount"])) : null,
      financingSource: financed ? (a["impact.financingSource"] ?? null) : null,
      newMarkets: markets,
      newMarketsNote: markets ? (a["impact.newMarketsNote"] ?? null) : null,
      licencesJson: writeJson(ZImpactLicences, a["impact.licences"].filter((l) => l !== "none")),
      story: a["impact.story"] ?? null,
    },
  });
  turn.audit({ action: "impact.answered", entity: "ImpactFollowup", entityId: followupId });
  return "saved";
}
