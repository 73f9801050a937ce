/**
 * Telling the admins when a message could not reach someone: the person cannot be reached on the
 * channel any more (not a WhatsApp user, bot blocked), or WhatsApp refused a template or a message.
 * The alert is written in a turn of the person concerned, so it is in the outbox exactly when the
 * cause is recorded once; it goes to every admin on the channel they use, and is never itself sent
 * as a template (kind delivery_alert), so a refused alert cannot cause another alert.
 */
import type { Db } from "../../db/client.js";
import { ZOutbound, type Address, type ChannelName } from "../../messaging/model.js";
import { text } from "../../messaging/text.js";
import type { TurnPort } from "../port.js";
import { identitiesOfRole } from "./directory.js";
import { unseal } from "../../security/at-rest.js";

export interface DeliveryAlert {
  /** The person the message was for. */
  identityId: string;
  reason: "unreachable" | "template_refused" | "refused";
  /** What the channel said (Meta's code and title), no personal data. */
  detail: string;
  /** The outbox row concerned, when known: the alert is written once per row. */
  outboxId?: string;
  /** The kind of the refused message (action_item_due ...). */
  kind?: string;
}

/** The one thing needed of the inbox (the conversation layer): a turn for a person (lock, transaction, outbox). */
export interface TurnRunner {
  inTurn<T>(address: Address, causeKey: string, body: (turn: TurnPort) => Promise<T>): Promise<T>;
}

const CHANNEL_NAMES: Record<string, string> = { whatsapp: "WhatsApp", telegram: "Telegram", web: "web chat" };

export async function tellAdminsAboutDelivery(deps: { db: Db; inbox: TurnRunner }, alert: DeliveryAlert, now: Date): Promise<void> {
  const person = await deps.db.identity.findUnique({
    where: { id: alert.identityId },
    select: {
      channel: true,
      address: true,
      displayName: true,
      staff: { select: { name: true } },
      client: { select: { fullName: true, anonymisedAt: true, cases: { where: { closedAt: null }, orderBy: { createdAt: "desc" }, take: 1, select: { regNumber: true } } } },
    },
  });
  if (!person) return;
  const kind = alert.kind ?? (alert.outboxId ? await kindOfRow(deps.db, alert.outboxId) : undefined);
  const cause = `delivery:${alert.reason}:${alert.outboxId ?? `${alert.identityId}:${now.getTime()}`}`;
  await deps.inbox.inTurn({ channel: person.channel as ChannelName, id: person.address }, cause, async (turn) => {
    for (const admin of await identitiesOfRole(turn.tx, "admin")) {
      if (admin === alert.identityId) continue;
      const client = person.client && !person.client.anonymisedAt && person.client.fullName.trim() ? person.client.fullName.trim() : undefined;
      const reg = person.client?.cases[0]?.regNumber;
      // In each admin's own language (the turn's Translator for them).
      await turn.tellWith(admin, (t) => {
        const name = person.staff?.name ?? client ?? person.displayName ?? t.t("wf.admin.delivery.someone");
        const who = reg ? `${name} (${reg})` : name;
        const params = { who, channel: CHANNEL_NAMES[person.channel] ?? person.channel, reason: alert.detail.slice(0, 200), kind: kind ?? "-" };
        return { ...text(t.t(`wf.admin.delivery.${alert.reason}`, params)), kind: "delivery_alert" };
      });
    }
  });
}

async function kindOfRow(db: Db, outboxId: string): Promise<string | undefined> {
  const row = await db.outboxMessage.findUnique({ where: { id: outboxId }, select: { payloadJson: true } });
  if (!row) return undefined;
  const parsed = ZOutbound.safeParse(JSON.parse(unseal(row.payloadJson)));
  return parsed.success ? parsed.data.kind : undefined;
}
