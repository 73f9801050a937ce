/**
 * SOP steps 1-3 as the office sees them: a submission opens a case (step 1), the completeness check
 * runs at once (step 2), the router recommends an area and the admins are asked to confirm (step 3)
 * unless the office turned on auto-assignment.
 */
import { writeJson, ZAssessmentAnswerValue, ZRoutingRanked, type TAssessmentAnswerValue } from "../../db/json-columns.js";
import { insertAssessmentAnswers } from "../../db/case-writes.js";
import { text } from "../../messaging/text.js";
import type { TurnPort } from "../port.js";
import type { SubmittedAnswer } from "../../flows/effects.js";
import { localParts } from "../../shared/time.js";
import { advance, recordStep } from "../cases/events.js";
import { nextRegNumber } from "../cases/reg-number.js";
import { IDENTITY_TYPES } from "../intake/profile.js";
import { routingAnswers } from "../routing/answers.js";
import { route } from "../routing/router.js";
import { clientIdentityId, identitiesOfRole } from "../staff/directory.js";
import { cardOf, loadCardCase, type CardCase } from "./case-card.js";
import type { WorkflowDeps } from "./context.js";
import { assignConsultant } from "./assign.js";
import { isAutoAssign } from "./settings.js";
import { routingChoices } from "./routing-offer.js";

export interface OpenCaseInput {
  clientId: string;
  businessId: string | null;
  problemText: string;
  answers: SubmittedAnswer[];
  /** Assessment values by store path, for the router. */
  data: Record<string, unknown>;
  startedAt: Date;
}

export async function openCase(turn: TurnPort, deps: WorkflowDeps, input: OpenCaseInput): Promise<{ caseId: string; regNumber: string }> {
  const { tx, now } = turn;
  const regNumber = await nextRegNumber(tx, deps.officeCode, localParts(now, deps.tz).year);
  const c = await tx.consultationCase.create({
    data: {
      regNumber,
      clientId: input.clientId,
      businessId: input.businessId,
      problemText: input.problemText,
      channel: turn.identity.channel,
      status: "submitted",
      step: 1,
      createdAt: now,
    },
    select: { id: true },
  });
  const answers = input.answers.flatMap((a) =>
    a.store && (a.store.startsWith("assessment.") || a.store === "case.problemText")
      ? [{ questionId: a.store, valueJson: writeJson(ZAssessmentAnswerValue, (a.value ?? null) as TAssessmentAnswerValue), display: a.display, labelKey: a.labelKey ?? null }]
      : [],
  );
  // One INSERT for all the answers (src/db/case-writes.ts): the largest single cost of a registration.
  await insertAssessmentAnswers(tx, c.id, answers);
  const client = { type: "client" as const, id: input.clientId };
  await recordStep(tx, c.id, 1, "started", input.startedAt < now ? input.startedAt : now, client);
  await advance(tx, c.id, 1, 2, now, client);
  await tx.controlCardEntry.create({ data: { caseId: c.id, at: now, contactKind: "registration", summary: "Pendaftaran dan assessment diterima melalui chat" }, select: { id: true } });
  turn.reply(text(turn.t("wf.registered", { regNumber })));
  await checkCompleteness(turn, deps, c.id);
  return { caseId: c.id, regNumber };
}

/** Step 2: the required identity document and fields; what is missing is listed to the client. */
export async function checkCompleteness(turn: TurnPort, deps: WorkflowDeps, caseId: string): Promise<boolean> {
  const { tx, now } = turn;
  // Read once with everything the router and the admins' card need too (see recommendArea).
  const c = await loadCardCase(tx, caseId);
  const missing: string[] = [];
  const doc = await tx.document.findFirst({ where: { clientId: c.clientId, deletedAt: null, type: { in: [...IDENTITY_TYPES] } }, select: { id: true } });
  if (!doc) missing.push("identity_document");
  if (!c.client.fullName) missing.push("full_name");
  if (!c.client.phone) missing.push("phone");
  if (!c.business) missing.push("business");
  if (!c.problemText.trim()) missing.push("problem");
  if (missing.length > 0) {
    if (c.status !== "incomplete") {
      await tx.consultationCase.update({ where: { id: caseId }, data: { status: "incomplete", step: 2 } });
      await recordStep(tx, caseId, 2, "waiting", now, { type: "system" }, missing.join(","));
    }
    const clientIdentity = await clientIdentityId(tx, c.clientId);
    if (clientIdentity) {
      await turn.tellWith(clientIdentity, (t) => text(t.t("wf.incomplete", { regNumber: c.regNumber, missing: missing.map((m) => `- ${t.t(`wf.missing.${m}`)}`).join("\n") })));
      await deps.reminders.planIncomplete?.(tx, { caseId, clientIdentityId: clientIdentity, missing, at: now });
    }
    return false;
  }
  if (c.status === "incomplete") await recordStep(tx, caseId, 2, "resumed", now, { type: "system" });
  await advance(tx, caseId, 2, 3, now, { type: "system" });
  const status = "awaiting_routing";
  await tx.consultationCase.update({ where: { id: caseId }, data: { status, step: 3 }, select: { id: true } });
  await recommendArea(turn, deps, { ...c, status, step: 3 });
  return true;
}

/**
 * Step 3: the router's recommendation, then auto-assignment or the admins' confirmation. `c`: the
 * case as checkCompleteness read it (a registration's queries are most of its turn's time; the case
 * is not read three times).
 */
async function recommendArea(turn: TurnPort, deps: WorkflowDeps, c: CardCase): Promise<void> {
  const { tx, now } = turn;
  const caseId = c.id;
  const result = route(deps.setup().routing, routingAnswers(c.answers, c.business), c.problemText);
  const decision = await tx.routingDecision.create({
    data: {
      caseId,
      rankedJson: writeJson(ZRoutingRanked, result.ranked),
      recommended: result.recommended ?? "",
      score: result.score,
      explanation: result.explanation,
      createdAt: now,
    },
  });
  await deps.reminders.planSla?.(tx, { caseId, step: 3, startedAt: now });
  // Auto-assignment only on a clear recommendation: on a tie or thin evidence an admin chooses.
  const auto = await isAutoAssign(tx);
  if (result.recommended && auto) {
    await tx.routingDecision.update({ where: { id: decision.id }, data: { decidedArea: result.recommended, decidedBy: "auto", decidedAt: now } });
    const assigned = await assignConsultant(turn, deps, caseId, result.recommended, { type: "system" });
    if (assigned) return;
  }
  const admins = await identitiesOfRole(tx, "admin");
  if (admins.length === 0) return;
  const card = cardOf({ ...c, routing: [decision] }, deps.regions?.());
  for (const admin of admins) {
    await turn.tellWith(admin, (t) => {
      // The recommended area, or both areas of a tie: one tap each.
      const choices = routingChoices(t, caseId, result.candidates);
      const unsure = auto && !result.recommended ? `\n${t.t("wf.admin.auto_unsure")}` : "";
      return text(`${t.t("wf.admin.new_case")}${unsure}\n\n${card(t)}`, choices);
    });
  }
}
