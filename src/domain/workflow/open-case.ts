/**
 * SOP steps 1-3 as the office sees them: a submission opens a case (step 1), the completeness check
 * runs at once (step 2), the router recommends an area and the admins are asked to confirm (step 3)
 * unless the office turned on auto-assignment.
 */
import { Prisma } from "../../generated/sqlite/client.js";
import { newId } from "../../db/sql-values.js";
import type { Turn } from "../../conversation/turn.js";
import { text } from "../../conversation/turn.js";
import type { SubmittedAnswer } from "../../flows/effects.js";
import { localParts } from "../../shared/time.js";
import { advance, recordStep } from "../cases/events.js";
import { nextRegNumber } from "../cases/reg-number.js";
import { IDENTITY_TYPES } from "../intake/profile.js";
import { route } from "../routing/router.js";
import { clientIdentityId, identitiesOfRole } from "../staff/directory.js";
import { caseCard } from "./case-card.js";
import type { WorkflowDeps } from "./context.js";
import { assignConsultant } from "./assign.js";
import { isAutoAssign } from "./settings.js";
import { encodeButton } from "../buttons.js";

export interface OpenCaseInput {
  clientId: string;
  businessId: string | null;
  problemText: string;
  answers: SubmittedAnswer[];
  /** Assessment values by store path, for the router. */
  data: Record<string, unknown>;
  startedAt: Date;
}

export async function openCase(turn: Turn, deps: WorkflowDeps, input: OpenCaseInput): Promise<{ caseId: string; regNumber: string }> {
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
  });
  const answers = input.answers.flatMap((a) =>
    a.store && (a.store.startsWith("assessment.") || a.store === "case.problemText")
      ? [Prisma.sql`(${newId()}, ${c.id}, ${a.store}, ${JSON.stringify(a.value ?? null)}, ${a.display}, ${a.labelKey ?? null})`]
      : [],
  );
  // One INSERT for all the answers (text columns only, the same SQL on both databases): Prisma's
  // createMany of the eleven answers took ~1.8 ms here, the largest single cost of a registration.
  if (answers.length > 0) {
    await tx.$executeRaw`INSERT INTO "AssessmentAnswer" ("id", "caseId", "questionId", "valueJson", "display", "labelKey") VALUES ${Prisma.join(answers)}`;
  }
  const client = { type: "client" as const, id: input.clientId };
  await recordStep(tx, c.id, 1, "started", input.startedAt < now ? input.startedAt : now, client);
  await advance(tx, c.id, 1, 2, now, client);
  await tx.controlCardEntry.create({ data: { caseId: c.id, at: now, contactKind: "registration", summary: "Pendaftaran dan assessment diterima melalui chat" } });
  turn.reply(text(turn.t("wf.registered", { regNumber })));
  await checkCompleteness(turn, deps, c.id);
  return { caseId: c.id, regNumber };
}

/** Step 2: the required identity document and fields; what is missing is listed to the client. */
export async function checkCompleteness(turn: Turn, deps: WorkflowDeps, caseId: string): Promise<boolean> {
  const { tx, now } = turn;
  const c = await tx.consultationCase.findUniqueOrThrow({ where: { id: caseId }, include: { client: true, business: true } });
  const missing: string[] = [];
  const doc = await tx.document.findFirst({ where: { clientId: c.clientId, deletedAt: null, type: { in: [...IDENTITY_TYPES] } } });
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
    const list = missing.map((m) => `- ${turn.t(`wf.missing.${m}`)}`).join("\n");
    const clientIdentity = await clientIdentityId(tx, c.clientId);
    if (clientIdentity) {
      turn.send(clientIdentity, text(turn.t("wf.incomplete", { regNumber: c.regNumber, missing: list })));
      await deps.reminders.planIncomplete?.(tx, { caseId, clientIdentityId: clientIdentity, missing, at: now });
    }
    return false;
  }
  if (c.status === "incomplete") await recordStep(tx, caseId, 2, "resumed", now, { type: "system" });
  await advance(tx, caseId, 2, 3, now, { type: "system" });
  await tx.consultationCase.update({ where: { id: caseId }, data: { status: "awaiting_routing", step: 3 } });
  await recommendArea(turn, deps, caseId);
  return true;
}

/** Step 3: the router's recommendation, then auto-assignment or the admins' confirmation. */
export async function recommendArea(turn: Turn, deps: WorkflowDeps, caseId: string): Promise<void> {
  const { tx, now } = turn;
  const c = await tx.consultationCase.findUniqueOrThrow({ where: { id: caseId }, include: { answers: true } });
  const answers: Record<string, unknown> = {};
  for (const a of c.answers) answers[a.questionId] = JSON.parse(a.valueJson) as unknown;
  const result = route(deps.setup().routing, answers, c.problemText);
  const decision = await tx.routingDecision.create({
    data: {
      caseId,
      rankedJson: JSON.stringify(result.ranked),
      recommended: result.recommended ?? "",
      score: result.score,
      explanation: result.explanation,
      createdAt: now,
    },
  });
  await deps.reminders.planSla?.(tx, { caseId, step: 3, startedAt: now });
  if (result.recommended && (await isAutoAssign(tx))) {
    await tx.routingDecision.update({ where: { id: decision.id }, data: { decidedArea: result.recommended, decidedBy: "auto", decidedAt: now } });
    const assigned = await assignConsultant(turn, deps, caseId, result.recommended, { type: "system" });
    if (assigned) return;
  }
  for (const admin of await identitiesOfRole(tx, "admin")) {
    const lang = await langOf(turn, admin);
    const card = await caseCard(turn, caseId, lang);
    const choices = [
      ...(result.recommended ? [{ id: encodeButton({ kind: "route", caseId, area: result.recommended, overridden: false }), label: turn.t("wf.btn.confirm_area", { area: turn.t(`area.${result.recommended}`, undefined, lang) }, lang) }] : []),
      { id: encodeButton({ kind: "case", caseId, action: "areas" }), label: turn.t("wf.btn.other_area", undefined, lang) },
      { id: encodeButton({ kind: "case", caseId, action: "doc" }), label: turn.t("wf.btn.view_document", undefined, lang) },
    ];
    turn.send(admin, text(`${turn.t("wf.admin.new_case", undefined, lang)}\n\n${card}`, choices));
  }
}

export async function langOf(turn: Turn, identityId: string): Promise<"id" | "en"> {
  const i = await turn.tx.identity.findUnique({ where: { id: identityId }, select: { language: true } });
  return i?.language === "en" ? "en" : "id";
}
