/**
 * What a completed client flow writes: the registration (client, business, documents, the case),
 * a new consultation of a returning client, updated details, a complaint.
 */
import { z } from "zod";
import type { TurnPort } from "../port.js";
import type { Effect } from "../../flows/effects.js";
import { ZStoredMedia, type StoredMedia } from "../../flows/model.js";
import { identitiesOfRole } from "../staff/directory.js";
import { encodeButton } from "../buttons.js";
import type { WorkflowDeps } from "../workflow/context.js";
import { checkCompleteness, openCase } from "../workflow/open-case.js";
import { businessColumns, clientColumns, pick, ZBusinessData, ZClientData, IDENTITY_TYPES, SUPPORTING_TYPES } from "./profile.js";

type Submitted = Extract<Effect, { type: "submitted" }>;

async function saveDocuments(turn: TurnPort, clientId: string, data: Record<string, unknown>): Promise<void> {
  const docs: Array<{ type: string; media: StoredMedia }> = [];
  const identity = ZStoredMedia.safeParse(data["document.identity"]);
  if (identity.success) {
    const t = z.enum(IDENTITY_TYPES).catch("ktp").parse(data["document.identityType"]);
    docs.push({ type: t, media: identity.data });
  }
  const supporting = ZStoredMedia.safeParse(data["document.supporting"]);
  if (supporting.success) {
    const t = z.enum(SUPPORTING_TYPES).catch("company_profile").parse(data["document.supportingType"]);
    docs.push({ type: t, media: supporting.data });
  }
  for (const d of docs) {
    const exists = await turn.tx.document.findFirst({ where: { storageKey: d.media.storageKey }, select: { id: true } });
    if (exists) continue;
    await turn.tx.document.create({
      data: { clientId, type: d.type, mimeType: d.media.mimeType, size: d.media.size, sha256: d.media.sha256, storageKey: d.media.storageKey, createdAt: turn.now },
      select: { id: true },
    });
  }
}

function problemOf(data: Record<string, unknown>): string {
  return typeof data["case.problemText"] === "string" ? data["case.problemText"] : "";
}

/** Formulir Pendaftaran + requirements + Formulir Assessment -> client, business, documents, case. */
export async function submitRegistration(turn: TurnPort, deps: WorkflowDeps, e: Submitted, startedAt: Date): Promise<void> {
  const client = pick(ZClientData, e.data);
  const business = pick(ZBusinessData, e.data);
  let clientId = turn.identity.clientId;
  if (clientId) {
    await turn.tx.client.update({ where: { id: clientId }, data: { ...clientColumns(client, deps.key), language: turn.lang } });
  } else {
    if (!client["client.fullName"]) throw new Error("registration without a name");
    const created = await turn.tx.client.create({
      data: { fullName: client["client.fullName"], ...clientColumns(client, deps.key), language: turn.lang, createdAt: turn.now },
      select: { id: true },
    });
    clientId = created.id;
    await turn.tx.identity.update({ where: { id: turn.identity.id }, data: { clientId }, select: { id: true } });
    await turn.tx.consent.updateMany({ where: { identityId: turn.identity.id, clientId: null }, data: { clientId } });
  }
  const b = businessColumns(business);
  const biz = await turn.tx.business.create({
    data: { clientId, name: b.name ?? "-", sector: b.sector ?? "lainnya", products: b.products ?? "-", legalForm: b.legalForm ?? "lainnya", ...b, createdAt: turn.now },
    select: { id: true },
  });
  await saveDocuments(turn, clientId, e.data);
  await openCase(turn, deps, { clientId, businessId: biz.id, problemText: problemOf(e.data), answers: e.answers, data: e.data, startedAt });
}

/** A returning client's new consultation: the assessment only, on the business on file. */
export async function submitNewCase(turn: TurnPort, deps: WorkflowDeps, e: Submitted, startedAt: Date): Promise<void> {
  const clientId = turn.identity.clientId;
  if (!clientId) return submitRegistration(turn, deps, e, startedAt);
  const business = pick(ZBusinessData, e.data);
  let biz = await turn.tx.business.findFirst({ where: { clientId }, orderBy: { updatedAt: "desc" } });
  if (Object.keys(business).length > 0) {
    const cols = businessColumns(business);
    biz = biz
      ? await turn.tx.business.update({ where: { id: biz.id }, data: cols })
      : await turn.tx.business.create({ data: { clientId, name: cols.name ?? "-", sector: cols.sector ?? "lainnya", products: cols.products ?? "-", legalForm: cols.legalForm ?? "lainnya", ...cols, createdAt: turn.now } });
  }
  await saveDocuments(turn, clientId, e.data);
  await openCase(turn, deps, { clientId, businessId: biz?.id ?? null, problemText: problemOf(e.data), answers: e.answers, data: e.data, startedAt });
}

export async function updateProfile(turn: TurnPort, deps: WorkflowDeps, e: Submitted): Promise<void> {
  const clientId = turn.identity.clientId;
  if (!clientId) return;
  const client = pick(ZClientData, e.data);
  await turn.tx.client.update({ where: { id: clientId }, data: clientColumns(client, deps.key) });
  const business = pick(ZBusinessData, e.data);
  const biz = await turn.tx.business.findFirst({ where: { clientId }, orderBy: { updatedAt: "desc" } });
  if (biz && Object.keys(business).length > 0) await turn.tx.business.update({ where: { id: biz.id }, data: businessColumns(business) });
  await saveDocuments(turn, clientId, e.data);
  turn.audit({ action: "client.update", entity: "Client", entityId: clientId, detail: { fields: Object.keys(e.data) } });
  // A case waiting for a missing document or field is checked again.
  const waiting = await turn.tx.consultationCase.findMany({ where: { clientId, status: "incomplete" } });
  for (const c of waiting) await checkCompleteness(turn, deps, c.id);
}

/** Pengaduan: recorded, forwarded to the admins; the engine's reply names the official channels. */
export async function submitComplaint(turn: TurnPort, e: Submitted, deps: WorkflowDeps): Promise<void> {
  const body = typeof e.data["complaint.text"] === "string" ? e.data["complaint.text"] : "";
  const reg = typeof e.data["complaint.regNumber"] === "string" ? e.data["complaint.regNumber"].toUpperCase() : null;
  const c = reg ? await turn.tx.consultationCase.findUnique({ where: { regNumber: reg } }) : null;
  const complaint = await turn.tx.complaint.create({
    data: {
      identityId: turn.identity.id,
      clientId: turn.identity.clientId,
      // Only the complainant's own case is linked.
      caseId: c && c.clientId === turn.identity.clientId ? c.id : null,
      text: body,
      createdAt: turn.now,
    },
  });
  const dueAt = await deps.reminders.planComplaintDeadline?.(turn.tx, { complaintId: complaint.id, receivedAt: complaint.createdAt });
  if (dueAt) await turn.tx.complaint.update({ where: { id: complaint.id }, data: { dueAt } });
  for (const admin of await identitiesOfRole(turn.tx, "admin")) {
    await turn.tell(admin, "wf.admin.complaint", { text: body, regNumber: reg ?? "-", id: complaint.id.slice(-6) }, [
      { id: encodeButton({ kind: "complaint", complaintId: complaint.id, action: "answer" }), key: "duty.complaint.answer_button" },
      { id: encodeButton({ kind: "complaint", complaintId: complaint.id, action: "close" }), key: "duty.complaint.close_button" },
    ]);
  }
}
