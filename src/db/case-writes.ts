/**
 * Rows written at every step of every case, by hand: one INSERT for many rows. Prisma's createMany
 * took ~0.7 ms for two step events and ~1.8 ms for a registration's eleven answers here, the largest
 * single costs of a turn. The statements go through Prisma's `sql` template (from the client runtime,
 * the same for both databases), so Prisma writes the placeholders each database wants and formats a
 * Date parameter exactly as for its own writes (tests/domain/case-events.test.ts reads them back).
 */
import { join, sqltag as sql } from "@prisma/client/runtime/client";
import type { Tx } from "./client.js";
import { newId } from "./sql-values.js";

export interface CaseEventRow {
  caseId: string;
  step: number;
  /** started | completed | waiting | resumed */
  kind: string;
  at: Date;
  actorType: string;
  actorId: string | null;
}

/** Write step events (a case's timing is computed from them). */
export async function insertCaseEvents(tx: Tx, rows: readonly CaseEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => sql`(${newId()}, ${r.caseId}, ${r.step}, ${r.kind}, ${r.at}, ${r.actorType}, ${r.actorId})`);
  await tx.$executeRaw`INSERT INTO "CaseEvent" ("id", "caseId", "step", "kind", "at", "actorType", "actorId") VALUES ${join(values)}`;
}

export interface AssessmentAnswerRow {
  questionId: string;
  /** JSON of the parsed value. */
  valueJson: string;
  display: string;
  labelKey: string | null;
}

/** Write a case's assessment answers (text columns only). */
export async function insertAssessmentAnswers(tx: Tx, caseId: string, rows: readonly AssessmentAnswerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => sql`(${newId()}, ${caseId}, ${r.questionId}, ${r.valueJson}, ${r.display}, ${r.labelKey})`);
  await tx.$executeRaw`INSERT INTO "AssessmentAnswer" ("id", "caseId", "questionId", "valueJson", "display", "labelKey") VALUES ${join(values)}`;
}
