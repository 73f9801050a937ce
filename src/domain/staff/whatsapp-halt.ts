/**
 * The WhatsApp (Baileys) connection stopped for good (logged out, banned, replaced by another
 * session, bad session): every active admin is told through a channel that is not WhatsApp (the
 * outbox, once per halt reason and hour), and the halt is audited. The dashboard's WhatsApp page
 * shows the same state and the Relink button.
 */
import type { Db } from "../../db/client.js";
import { writeJson, ZAuditDetail } from "../../db/json-columns.js";
import { toLang, Translator, type Texts } from "../../i18n/index.js";
import type { Outbox } from "../../outbox/outbox.js";

export type WhatsAppHaltReason = "logged_out" | "bad_session" | "banned" | "replaced";

/** Writes the notices; returns how many admins were told. */
export async function tellAdminsWhatsAppHalted(
  deps: { db: Db; outbox: Outbox },
  texts: Texts,
  reason: WhatsAppHaltReason,
  code: number | undefined,
  now: Date,
): Promise<number> {
  const hour = now.toISOString().slice(0, 13);
  return deps.db.$transaction(async (tx) => {
    const identities = await tx.identity.findMany({
      where: { channel: { not: "whatsapp" }, unreachableAt: null, staff: { role: "admin", active: true } },
      select: { id: true, channel: true, address: true, language: true },
    });
    const items = identities.map((identity) => {
      const t = new Translator(texts, toLang(identity.language));
      return {
        identityId: identity.id,
        idempotencyKey: `wa-halt:${reason}:${hour}:${identity.id}`,
        // Never itself sent as a WhatsApp template: it goes to the admins' other channels.
        message: { type: "text" as const, text: t.t("wa.halted", { why: t.t(`wa.halted.${reason}`) }), kind: "delivery_alert" as const },
      };
    });
    // Other writers (a turn, a sweep) may write to the same admins: lock them on PostgreSQL.
    const written = await deps.outbox.enqueue(tx, items, now, { known: identities, lockRecipients: true });
    await tx.auditLog.create({
      data: {
        at: now,
        actorType: "system",
        actorId: null,
        action: "whatsapp.halted",
        entity: "WhatsAppConnection",
        entityId: null,
        detailJson: writeJson(ZAuditDetail, { reason, code: code ?? null, told: written }),
      },
    });
    return written;
  });
}
