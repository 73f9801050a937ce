/**
 * Erasing a client's personal data, the one way both a confirmed deletion request
 * (src/domain/intake/data-requests.ts) and the retention job (./retention.ts) do it: identity
 * photos and documents marked deleted (their files go after the commit), personal fields of the
 * client and their businesses overwritten, unfinished forms (session answers) removed. What the
 * reports count stays: the cases with their areas and steps, the client's sex and kecamatan, the
 * business's sector, legal form and turnover band.
 */
import type { Tx } from "../../db/client.js";

export const ERASED = "(dihapus)";

export interface Erased {
  /** Files to remove once the transaction committed. */
  storageKeys: string[];
  /** The chat identities that were the client's. */
  identityIds: string[];
}

export async function eraseClientData(tx: Tx, clientId: string, now: Date): Promise<Erased> {
  const docs = await tx.document.findMany({ where: { clientId, deletedAt: null }, select: { id: true, storageKey: true } });
  await tx.document.updateMany({ where: { id: { in: docs.map((d) => d.id) } }, data: { deletedAt: now } });
  await tx.client.update({
    where: { id: clientId },
    data: { fullName: ERASED, nikCipher: null, nikHash: null, nikLast4: null, birthDate: null, phone: null, phoneHash: null, email: null, address: null, desa: null, plutMemberNo: null, anonymisedAt: now },
  });
  await tx.business.updateMany({ where: { clientId }, data: { name: ERASED, nibTdp: null, latitude: null, longitude: null } });
  const identities = await tx.identity.findMany({ where: { clientId }, select: { id: true } });
  const identityIds = identities.map((i) => i.id);
  await tx.conversationSession.deleteMany({ where: { identityId: { in: identityIds } } });
  return { storageKeys: docs.map((d) => d.storageKey), identityIds };
}
