/**
 * The WhatsApp (Baileys) connection stopped for good (logged out, banned, replaced by another
 * session, bad session): every active admin is told through a channel that is not WhatsApp (the
 * outbox, once per halt reason and hour), and the halt is audited. The dashboard's WhatsApp page
 * shows the same state and the Relink button.
 */
import type { Db } from "../../db/client.js";
import { enqueue } from "../../outbox/outbox.js";
import { Translator, type Texts } from "../../flows/texts.js";

export type WhatsAppHaltReason = "logged_out" | "bad_session" | "banned" | "replaced";

/** Writes the notices; returns how many admins were told. */
export async function tellAdminsWhatsAppHalted(db: Db, texts: Texts, reason: WhatsAppHaltReason, code: number | undefined, now: Date): Promise<number> {
  const hour = now.toISOString().slice(0, 13);
  return db.$transaction(async (tx) => {
    const identities = await tx.identity.findMany({
      where: { channel: { not: "whatsapp" }, unreachableAt: null, staff: { role: "admin", active: true } },
      select: { id: true, channel: true, address: true, language: true },
    });
    const items = identities.map((identity) => {
      const t = new Translator(texts, identity.language === "en" ? "en" : "id");
      return {
        identityId: identity.id,
        idempotencyKey: `wa-halt:${reason}:${hour}:${identity.id}`,
        message: { type: "text" as const, text: t.t("wa.halted", { why: t.t(`wa.halted.${reason}`) }) },
      };
    });
    const written = await enqueue(tx, items, now, identities);
    await tx.auditLog.create({
      data: { at: now, actorType: "system", actorId: null, action: "whatsapp.halted", entity: "WhatsAppConnection", entityId: null, detailJson: JSON.stringify({ reason, code: code ?? null, told: written }) },
    });
    return written;
  });
}
