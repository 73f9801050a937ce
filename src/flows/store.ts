/**
 * Where answers go. A question's `store` names one of these paths; the host maps each path to a
 * column (or a JSON field). Flow files may only use paths listed here, with a matching kind, so a
 * typo in a flow file fails `flows:check` instead of losing an answer.
 */

/** What a question produces, so a store path only takes answers of its own shape. */
export type ValueKind =
  | "string" // free text, an option id, a code
  | "number"
  | "boolean"
  | "date" // "YYYY-MM-DD"
  | "strings" // option ids of a multiple choice
  | "media" // StoredMedia
  | "location" // { latitude, longitude }
  | "items"; // a repeated group: an array of objects, one per item

/** Every store path a flow may use, with the kind of value it holds. Group fields are `<group>[].<field>`. */
export const STORE_PATHS = {
  // Pengguna jasa (Client)
  "client.fullName": "string",
  "client.nik": "string",
  "client.sex": "string", // "L" | "P"
  "client.birthDate": "date",
  "client.phone": "string", // E.164
  "client.email": "string",
  "client.address": "string",
  "client.kecamatan": "string", // region code or "luar"
  "client.desa": "string", // region code
  "client.plutMemberNo": "string",
  // Usaha / koperasi (Business)
  "business.name": "string",
  "business.sector": "string",
  "business.sectorOther": "string",
  "business.products": "string",
  "business.legalForm": "string",
  "business.nibTdp": "string",
  "business.yearStarted": "number",
  "business.workers": "number",
  "business.turnoverBand": "string",
  "business.marketing": "strings",
  "business.location": "location",
  // Persyaratan (Document)
  "document.identityType": "string", // ktp | kk | passport | sim | plut_card
  "document.identity": "media",
  "document.supportingType": "string", // company_profile | tdp_nib | deed
  "document.supporting": "media",
  // Formulir Assessment (ConsultationCase.problemText + AssessmentAnswer rows)
  "case.problemText": "string",
  "assessment.problemAreas": "strings",
  "assessment.needsCapital": "boolean",
  "assessment.capitalAmount": "number",
  "assessment.capitalPurpose": "string",
  "assessment.hadCredit": "string",
  "assessment.bookkeeping": "string",
  "assessment.licences": "strings",
  "assessment.channelsWanted": "strings",
  "assessment.productionIssues": "strings",
  "assessment.cooperativeMembers": "number",
  "assessment.cooperativeIssues": "strings",
  "assessment.hrIssues": "strings",
  "assessment.digitalUse": "strings",
  "assessment.servicesWanted": "strings",
  "assessment.preferredTime": "string",
  "assessment.preferredMode": "string",
  // Pengaduan (Complaint)
  "complaint.text": "string",
  "complaint.regNumber": "string",
  // Lembar Rencana Tindakan dan Evaluasi (ActionPlan, ActionPlanItem)
  "actionPlan.items": "items",
  "actionPlan.items[].action": "string",
  "actionPlan.items[].who": "string",
  "actionPlan.items[].targetDate": "date",
  "actionPlan.items[].indicator": "string",
  // Monitoring (ActionPlanItem.progress / progressNote; each item also carries the `id` given in vars)
  "monitoring.items": "items",
  "monitoring.items[].progress": "string", // done | not_yet | help
  "monitoring.items[].note": "string",
  "monitoring.items[].photo": "media", // a photo of the progress, stored with the case
  "monitoring.note": "string",
  // SKM (SatisfactionSurvey.scoresJson: element -> 1..4, comment)
  "survey.requirements": "number",
  "survey.procedure": "number",
  "survey.time": "number",
  "survey.fee": "number",
  "survey.product": "number",
  "survey.competence": "number",
  "survey.behaviour": "number",
  "survey.complaintHandling": "number",
  "survey.facilities": "number",
  "survey.comment": "string",
  // Tindak lanjut dampak, 3 dan 6 bulan setelah kasus ditutup (ImpactFollowup)
  "impact.turnoverBand": "string",
  "impact.workers": "number",
  "impact.financingObtained": "boolean",
  "impact.financingAmount": "number",
  "impact.financingSource": "string",
  "impact.newMarkets": "boolean",
  "impact.newMarketsNote": "string",
  "impact.licences": "strings",
  "impact.story": "string",
  // What staff type in their own chat (and a client's reply to the consultant), by the row it ends in
  "note.text": "string", // ConsultationNote: diagnosis, note, prescription
  "relay.text": "string", // RelayMessage, either way
  "bap.missing": "string", // FinalReport.clientFeedback: what the client says the report lacks
  "complaint.response": "string", // Complaint.response: an admin's answer
  "evaluation.text": "string",
  "monitoringVisit.date": "date",
  "availability.text": "string", // ConsultantAvailability: "senin 09-12, rabu 13-15"
  "referral.reason": "string",
  "actionPlan.changes": "string",
  "finalReport.summary": "string",
  "finalReport.results": "string",
  "finalReport.recommendations": "string",
} as const satisfies Record<string, ValueKind>;

export type StorePath = keyof typeof STORE_PATHS;

/**
 * Paths the host keeps encrypted at rest (src/domain/intake/profile.ts: the NIK with a keyed hash,
 * phone with a blind index, e-mail and address sealed). Answers of personal question types may only
 * go here.
 */
export const SEALED_STORE_PATHS: ReadonlySet<StorePath> = new Set<StorePath>(["client.nik", "client.phone", "client.email", "client.address"]);

export function isStorePath(p: string): p is StorePath {
  return Object.hasOwn(STORE_PATHS, p);
}

/** The kind a store path holds, or undefined when the path is not known. */
export function storeKind(p: string): ValueKind | undefined {
  return isStorePath(p) ? STORE_PATHS[p] : undefined;
}
