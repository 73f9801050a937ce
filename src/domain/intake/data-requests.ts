/**
 * A client's rights under UU PDP 27/2022: to see their data (answered at once in chat) and to have it
 * deleted (after an admin confirms; identity photos removed, personal fields erased, anonymous
 * statistics kept, everything audited).
 */
import { text } from "../../messaging/text.js";
import type { Person, TurnPort } from "../port.js";
import type { FileStore } from "../../storage/file-store.js";
import { identitiesOfRole, type StaffMember } from "../staff/directory.js";
import { WorkflowError } from "../workflow/consultation.js";
import { encodeButton } from "../buttons.js";
import { eraseClientData } from "../retention/erase.js";

/** The engine shows the answers on file; this adds what only the office holds: documents and cases. */
export async function sendMyData(turn: TurnPort, identity: Readonly<Person>): Promise<void> {
  if (!identity.clientId) return;
  const c = await turn.tx.client.findUniqueOrThrow({ where: { id: identity.clientId }, include: { documents: { where: { deletedAt: null } }, cases: true } });
  turn.audit({ action: "client.data_access", entity: "Client", entityId: c.id });
  await turn.tellWith(identity.id, (t) => text([
    `${t.t("wf.data.documents")}: ${c.documents.map((d) => t.t(`doc.${d.type}`)).join(", ") || "-"}`,
    `${t.t("wf.data.cases")}: ${c.cases.map((x) => x.regNumber).join(", ") || "-"}`,
  ].join("\n")));
}

export async function requestDeletion(turn: TurnPort, identity: Readonly<Person>): Promise<void> {
  if (!identity.clientId) {
    // Not registered: nothing but the unfinished form is held, and it goes at once.
    await turn.tx.conversationSession.deleteMany({ where: { identityId: identity.id } });
    await turn.tx.identity.update({ where: { id: identity.id }, data: { consentedAt: null, displayName: null } });
    turn.audit({ action: "identity.data_deleted", entity: "Identity", entityId: identity.id });
    await turn.tell(identity.id, "wf.data.deleted");
    return;
  }
  const open = await turn.tx.dataRequest.findFirst({ where: { clientId: identity.clientId, kind: "deletion", status: "requested" } });
  const req = open ?? (await turn.tx.dataRequest.create({ data: { clientId: identity.clientId, kind: "deletion", requestedAt: turn.now } }));
  turn.audit({ action: "client.deletion_requested", entity: "DataRequest", entityId: req.id });
  await turn.tell(identity.id, "wf.data.deletion_requested");
  for (const admin of await identitiesOfRole(turn.tx, "admin")) {
    await turn.tell(admin, "wf.admin.deletion_request", { id: req.id.slice(-6) }, [
      { id: encodeButton({ kind: "deletion", requestId: req.id, decision: "confirm" }), key: "wf.btn.delete_confirm" },
      { id: encodeButton({ kind: "deletion", requestId: req.id, decision: "reject" }), key: "wf.btn.delete_reject" },
    ]);
  }
}

/** The admin's decision. Deleting removes identity photos and personal fields; cases stay as statistics. */
export async function decideDeletion(
  turn: TurnPort,
  staff: StaffMember,
  files: FileStore,
  requestId: string,
  confirm: boolean,
  forgetChat?: (channel: string, address: string) => Promise<void>,
): Promise<void> {
  if (staff.role !== "admin") throw new WorkflowError("staff.not_allowed");
  const req = await turn.tx.dataRequest.findUnique({ where: { id: requestId } });
  if (!req || req.status !== "requested") throw new WorkflowError("wf.data.already_decided");
  await turn.tx.dataRequest.update({ where: { id: requestId }, data: { status: confirm ? "done" : "rejected", decidedById: staff.id, decidedAt: turn.now, doneAt: confirm ? turn.now : null } });
  turn.audit({ action: confirm ? "client.deleted" : "client.deletion_rejected", entity: "Client", entityId: req.clientId, detail: { requestId } });
  const clientIdentity = await turn.tx.identity.findFirst({ where: { clientId: req.clientId }, orderBy: { updatedAt: "desc" } });
  if (!confirm) {
    if (clientIdentity) await turn.tell(clientIdentity.id, "wf.data.deletion_rejected");
    turn.reply(text(turn.t("wf.admin.deletion_rejected")));
    return;
  }
  // The chats' own history (the web chat keeps what the person typed in files): gone after the commit.
  if (forgetChat) {
    for (const i of await turn.tx.identity.findMany({ where: { clientId: req.clientId, staffId: null }, select: { channel: true, address: true } })) {
      turn.afterCommit(() => forgetChat(i.channel, i.address));
    }
  }
  const erased = await eraseClientData(turn.tx, req.clientId, turn.now);
  // A file left behind by a crash after the commit is removed by the retention job's next run
  // (the row has deletedAt and no fileRemovedAt).
  for (const key of erased.storageKeys) turn.afterCommit(() => files.remove(key));
  // Appointments kept a copy of the address for a visit; the offers too.
  await turn.tx.appointment.updateMany({ where: { case: { clientId: req.clientId } }, data: { place: null } });
  await turn.tx.appointmentOffer.updateMany({ where: { case: { clientId: req.clientId } }, data: { place: null } });
  if (clientIdentity) await turn.tell(clientIdentity.id, "wf.data.deleted");
  // The chat identities stay, linked to nothing personal: the person is told in the same chat.
  await turn.tx.identity.updateMany({ where: { clientId: req.clientId }, data: { clientId: null, displayName: null, consentedAt: null } });
  turn.reply(text(turn.t("wf.admin.deleted")));
}
