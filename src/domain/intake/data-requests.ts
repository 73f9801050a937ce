/**
 * A client's rights under UU PDP 27/2022: to see their data (answered at once in chat) and to have it
 * deleted (after an admin confirms; identity photos removed, personal fields erased, anonymous
 * statistics kept, everything audited).
 */
import type { Turn, TurnIdentity } from "../../conversation/turn.js";
import { text } from "../../conversation/turn.js";
import type { FileStore } from "../../storage/file-store.js";
import { identitiesOfRole, type StaffMember } from "../staff/directory.js";
import { langOf } from "../workflow/open-case.js";
import { WorkflowError } from "../workflow/consultation.js";
import { encodeButton } from "../buttons.js";

/** The engine shows the answers on file; this adds what only the office holds: documents and cases. */
export async function sendMyData(turn: Turn, identity: TurnIdentity): Promise<void> {
  if (!identity.clientId) return;
  const c = await turn.tx.client.findUniqueOrThrow({ where: { id: identity.clientId }, include: { documents: { where: { deletedAt: null } }, cases: true } });
  turn.audit({ action: "client.data_access", entity: "Client", entityId: c.id });
  turn.send(identity.id, text([
    `${turn.t("wf.data.documents")}: ${c.documents.map((d) => turn.t(`doc.${d.type}`)).join(", ") || "-"}`,
    `${turn.t("wf.data.cases")}: ${c.cases.map((x) => x.regNumber).join(", ") || "-"}`,
  ].join("\n")));
}

export async function requestDeletion(turn: Turn, identity: TurnIdentity): Promise<void> {
  if (!identity.clientId) {
    // Not registered: nothing but the unfinished form is held, and it goes at once.
    await turn.tx.conversationSession.deleteMany({ where: { identityId: identity.id } });
    await turn.tx.identity.update({ where: { id: identity.id }, data: { consentedAt: null, displayName: null } });
    turn.audit({ action: "identity.data_deleted", entity: "Identity", entityId: identity.id });
    turn.send(identity.id, text(turn.t("wf.data.deleted")));
    return;
  }
  const open = await turn.tx.dataRequest.findFirst({ where: { clientId: identity.clientId, kind: "deletion", status: "requested" } });
  const req = open ?? (await turn.tx.dataRequest.create({ data: { clientId: identity.clientId, kind: "deletion", requestedAt: turn.now } }));
  turn.audit({ action: "client.deletion_requested", entity: "DataRequest", entityId: req.id });
  turn.send(identity.id, text(turn.t("wf.data.deletion_requested")));
  for (const admin of await identitiesOfRole(turn.tx, "admin")) {
    const lang = await langOf(turn, admin);
    turn.send(admin, text(turn.t("wf.admin.deletion_request", { id: req.id.slice(-6) }, lang), [
      { id: encodeButton({ kind: "deletion", requestId: req.id, decision: "confirm" }), label: turn.t("wf.btn.delete_confirm", undefined, lang) },
      { id: encodeButton({ kind: "deletion", requestId: req.id, decision: "reject" }), label: turn.t("wf.btn.delete_reject", undefined, lang) },
    ]));
  }
}

/** The admin's decision. Deleting removes identity photos and personal fields; cases stay as statistics. */
export async function decideDeletion(turn: Turn, staff: StaffMember, files: FileStore, requestId: string, confirm: boolean): Promise<void> {
  if (staff.role !== "admin") throw new WorkflowError("staff.not_allowed");
  const req = await turn.tx.dataRequest.findUnique({ where: { id: requestId } });
  if (!req || req.status !== "requested") throw new WorkflowError("wf.data.already_decided");
  await turn.tx.dataRequest.update({ where: { id: requestId }, data: { status: confirm ? "done" : "rejected", decidedById: staff.id, decidedAt: turn.now, doneAt: confirm ? turn.now : null } });
  turn.audit({ action: confirm ? "client.deleted" : "client.deletion_rejected", entity: "Client", entityId: req.clientId, detail: { requestId } });
  const clientIdentity = await turn.tx.identity.findFirst({ where: { clientId: req.clientId }, orderBy: { updatedAt: "desc" } });
  if (!confirm) {
    if (clientIdentity) turn.send(clientIdentity.id, text(turn.t("wf.data.deletion_rejected", undefined, await langOf(turn, clientIdentity.id))));
    turn.reply(text(turn.t("wf.admin.deletion_rejected")));
    return;
  }
  const docs = await turn.tx.document.findMany({ where: { clientId: req.clientId, deletedAt: null } });
  for (const d of docs) {
    await turn.tx.document.update({ where: { id: d.id }, data: { deletedAt: turn.now } });
    turn.afterCommit.push(() => files.remove(d.storageKey));
  }
  await turn.tx.client.update({
    where: { id: req.clientId },
    data: { fullName: "(dihapus)", nikCipher: null, nikHash: null, nikLast4: null, birthDate: null, phone: null, email: null, address: null, desa: null, plutMemberNo: null, anonymisedAt: turn.now },
  });
  await turn.tx.business.updateMany({ where: { clientId: req.clientId }, data: { name: "(dihapus)", nibTdp: null, latitude: null, longitude: null } });
  if (clientIdentity) turn.send(clientIdentity.id, text(turn.t("wf.data.deleted", undefined, await langOf(turn, clientIdentity.id))));
  // The chat identities stay linked to nothing personal; their sessions hold answers, so they go.
  const identities = await turn.tx.identity.findMany({ where: { clientId: req.clientId }, select: { id: true } });
  await turn.tx.conversationSession.deleteMany({ where: { identityId: { in: identities.map((i) => i.id) } } });
  await turn.tx.identity.updateMany({ where: { clientId: req.clientId }, data: { clientId: null, displayName: null, consentedAt: null } });
  turn.reply(text(turn.t("wf.admin.deleted")));
}
