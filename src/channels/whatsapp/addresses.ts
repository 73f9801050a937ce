/**
 * Who is who on WhatsApp: a person writes from a phone-number JID or from a LID (WhatsApp's
 * private id), and one person must get one address. Learns LID -> phone number from message keys
 * and Baileys' mapping events, remembers which numbers are on WhatsApp, and turns an address into
 * the JID a send goes to (`recipientJid`: the one place to change where sends are addressed).
 */
import { jidNormalizedUser, type WAMessage } from "@whiskeysockets/baileys";
import { errorText } from "./errors.js";
import { redact, senderJids, toSendJid } from "./inbound.js";
import type { WASocketLike, WhatsAppLogger } from "./socket.js";

/** The address a person's messages arrive under, and their phone-number JID when known. */
export interface Sender {
  address: string;
  pn?: string;
}

export class AddressBook {
  /** LID -> phone-number JID. */
  private readonly lidToPn = new Map<string, string>();
  /** Phone-number JIDs known to be on WhatsApp (wrote to us, or checked). */
  private readonly onWhatsApp = new Set<string>();

  constructor(private readonly log: WhatsAppLogger) {}

  /** A LID <-> phone number pair Baileys reported. */
  learn(lid: string | undefined, pn: string | undefined): void {
    if (!lid || !pn) return;
    const l = jidNormalizedUser(lid);
    const p = jidNormalizedUser(pn);
    if (l && p) this.lidToPn.set(l, p);
  }

  /** The sender of a message: the phone-number JID when it is known (asking Baileys if need be), else the LID. */
  async sender(sock: WASocketLike, key: WAMessage["key"]): Promise<Sender> {
    const { pn, lid } = senderJids(key);
    if (pn) {
      if (lid) this.lidToPn.set(lid, pn);
      return { address: pn, pn };
    }
    if (!lid) throw new Error("no sender JID");
    let mapped = this.lidToPn.get(lid);
    if (!mapped && sock.signalRepository?.lidMapping) {
      try {
        const found = await sock.signalRepository.lidMapping.getPNForLID(lid);
        if (found) mapped = jidNormalizedUser(found) || undefined;
      } catch (err) {
        this.log.warn({ from: redact(lid), err: errorText(err) }, "whatsapp: LID lookup failed");
      }
      if (mapped) this.lidToPn.set(lid, mapped);
    }
    return mapped ? { address: mapped, pn: mapped } : { address: lid };
  }

  /** The JID to send to for an address id or a bare phone number; undefined when unusable. */
  recipientJid(to: string): string | undefined {
    return toSendJid(to);
  }

  isOnWhatsApp(pnJid: string): boolean {
    return this.onWhatsApp.has(pnJid);
  }

  markOnWhatsApp(pnJid: string): void {
    this.onWhatsApp.add(pnJid);
  }
}
