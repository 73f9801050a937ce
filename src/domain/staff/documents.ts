/**
 * Identity documents on request in chat: only staff who may see the case, and every view is written
 * to the audit log before the file is sent.
 */
import { text } from "../../messaging/text.js";
import type { TurnPort } from "../port.js";
import { IDENTITY_TYPES, SUPPORTING_TYPES } from "../intake/profile.js";
import { caseForStaff } from "../workflow/consultation.js";
import type { StaffMember } from "./directory.js";

export async function showIdentityDocument(turn: TurnPort, staff: StaffMember, caseId: string): Promise<void> {
  const c = await caseForStaff(turn, staff, caseId, { read: true });
  const docs = await turn.tx.document.findMany({
    where: { clientId: c.clientId, deletedAt: null, type: { in: [...IDENTITY_TYPES, ...SUPPORTING_TYPES] } },
    orderBy: { createdAt: "desc" },
  });
  if (docs.length === 0) {
    turn.reply(text(turn.t("staff.no_documents", { regNumber: c.regNumber })));
    return;
  }
  for (const d of docs) {
    turn.audit({ action: "document.view", entity: "Document", entityId: d.id, detail: { caseId, channel: turn.identity.channel } });
    const ext = d.mimeType === "application/pdf" ? "pdf" : d.mimeType === "image/png" ? "png" : "jpg";
    turn.reply({ type: "document", fileName: `${c.regNumber}-${d.type}.${ext}`, mimeType: d.mimeType, storageKey: d.storageKey, caption: turn.t(`doc.${d.type}`) });
  }
}
