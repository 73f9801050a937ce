/**
 * A reply is as few messages as it can be: the texts one turn produces for one person go out as one
 * message (each message a paragraph of it), as long as the joined text stays within the channel's
 * length limit. Buttons (and the "share my phone number" button) belong to the last text they came
 * with, so a text that offers them ends its group; documents and messages of a kind (a reminder or
 * notification WhatsApp may have to send as a template) stay messages of their own. A text longer
 * than the limit on its own is left whole: the channel splits it at paragraph boundaries in order.
 */
import type { ChannelName, Outbound } from "../messaging/model.js";

/** The longest text one message may carry, per channel (Telegram 4096; WhatsApp about 4096; the web chat takes the same, to read well on a phone). */
export const TEXT_LIMITS: Record<ChannelName, number> = { telegram: 4096, whatsapp: 4096, web: 4096 };

/** Between two joined messages: an empty line, so each reads as its own paragraph. */
const PARAGRAPH = "\n\n";

/** The messages one person gets from one turn, in order, joined where they can be. */
export function joinTexts(messages: readonly Outbound[], maxLength: number): Outbound[] {
  return joinGroups(messages, maxLength).map((g) => g.message);
}

/**
 * joinTexts with, for each message sent, the position (in `messages`) of the first message it holds:
 * the turn keys each outbox row by it, so a message that is never joined (a notification, a relayed
 * message: they carry a kind) keeps the key the turn gave it when it was written.
 */
export function joinGroups(messages: readonly Outbound[], maxLength: number): Array<{ message: Outbound; first: number }> {
  const out: Array<{ message: Outbound; first: number }> = [];
  /** The text being built: more may still join it (it has no buttons and no kind). */
  let open: Extract<Outbound, { type: "text" }> | undefined;
  messages.forEach((m, i) => {
    const joinable = m.type === "text" && m.kind === undefined;
    if (joinable && open && open.text.length + PARAGRAPH.length + m.text.length <= maxLength) {
      open = { ...m, text: open.text + PARAGRAPH + m.text };
      out[out.length - 1]!.message = open;
    } else {
      out.push({ message: m, first: i });
      open = joinable ? m : undefined;
    }
    // Buttons end a group: what follows them would read as an answer to them.
    if (open && (open.choices?.length || open.requestContact)) open = undefined;
  });
  return out;
}

/**
 * `joinTexts` per person over one turn's outgoing messages (several people keep their own order);
 * `index` is the position in `outgoing` of the first message each one holds.
 */
export function joinTurnReplies<T extends { identityId: string; message: Outbound }>(outgoing: readonly T[], limitOf: (identityId: string) => number): Array<T & { index: number }> {
  const byPerson = new Map<string, number[]>();
  outgoing.forEach((o, i) => {
    const list = byPerson.get(o.identityId);
    if (list) list.push(i);
    else byPerson.set(o.identityId, [i]);
  });
  const joined: Array<T & { index: number }> = [];
  for (const [identityId, positions] of byPerson) {
    for (const g of joinGroups(positions.map((i) => outgoing[i]!.message), limitOf(identityId))) {
      const index = positions[g.first]!;
      joined.push({ ...outgoing[index]!, message: g.message, index });
    }
  }
  return joined;
}
