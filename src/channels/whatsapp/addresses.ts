/**
 * Who is who on WhatsApp: a person writes from a phone-number JID or from a LID (WhatsApp's
 * private id), and one person must get one address. Learns LID -> phone number from message keys
 * and Baileys' mapping events, remembers which numbers are on WhatsApp, and turns an address into
 * the JID a send goes to (`recipientJid`: the one place to change where sends are addressed).
 */
import { isPnUser, jidNormalizedUser, type WAMessage } from "@whiskeysockets/baileys";
import type { AuthKeyValueStore } from "./auth-state.js";
import { errorText } from "./errors.js";
import { redact, senderJids, toSendJid } from "./inbound.js";
import type { WASocketLike, WhatsAppLogger } from "./socket.js";

/** Store keys of the onWhatsApp cache (beside Baileys' keys, whose types never contain "wa-"). */
const ON_WHATSAPP_PREFIX = "wa-onwhatsapp/";
/** A number can leave WhatsApp: an answer older than this is asked again. */
const ON_WHATSAPP_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** The address a person's messages arrive under, and their phone-number JID when known. */
export interface Sender {
  address: string;
  pn?: string;
}

export class AddressBook {
  /** LID -> phone-number JID. */
  private readonly lidToPn = new Map<string, string>();
  /** Phone-number JID -> LID: sends go to the LID when it is known (rc14 sends to the JID given). */
  private readonly pnToLid = new Map<string, string>();
  /** Phone-number JIDs known to be on WhatsApp (wrote to us, or checked). */
  private readonly onWhatsApp = new Set<string>();
  /** Pairs learnt since the last `takeNewPairs` (the same person under two addresses: merge them). */
  private newPairs: Array<{ lid: string; pn: string }> = [];

  constructor(
    private readonly log: WhatsAppLogger,
    /** Keeps the onWhatsApp answers across restarts (re-asking for every recipient looks like bulk sending). */
    private readonly store?: AuthKeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A LID <-> phone number pair Baileys reported. */
  learn(lid: string | undefined, pn: string | undefined): void {
    if (!lid || !pn) return;
    const l = jidNormalizedUser(lid);
    const p = jidNormalizedUser(pn);
    if (l && p) this.pair(l, p);
  }

  private pair(lid: string, pn: string): void {
    if (this.lidToPn.get(lid) !== pn) this.newPairs.push({ lid, pn });
    this.lidToPn.set(lid, pn);
    this.pnToLid.set(pn, lid);
  }

  /** The sender of a message: the phone-number JID when it is known (asking Baileys if need be), else the LID. */
  async sender(sock: WASocketLike, key: WAMessage["key"]): Promise<Sender> {
    const { pn, lid } = senderJids(key);
    if (pn) {
      if (lid) this.pair(lid, pn);
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
      if (mapped) this.pair(lid, mapped);
    }
    return mapped ? { address: mapped, pn: mapped } : { address: lid };
  }

  /**
   * The JID to send to for an address id or a bare phone number; undefined when unusable.
   * A phone-number JID whose LID is known (learnt here, or from Baileys' LID store) goes to the
   * LID: WhatsApp answers sends to a LID-migrated contact's phone JID with error 463 later, while
   * `sendMessage` still resolves.
   */
  async recipientJid(sock: WASocketLike | undefined, to: string): Promise<string | undefined> {
    const jid = toSendJid(to);
    if (!jid || !isPnUser(jid)) return jid;
    let lid = this.pnToLid.get(jid);
    if (!lid && sock?.signalRepository?.lidMapping?.getLIDForPN) {
      try {
        const found = await sock.signalRepository.lidMapping.getLIDForPN(jid);
        lid = found ? jidNormalizedUser(found) || undefined : undefined;
      } catch (err) {
        this.log.warn({ to: redact(jid), err: errorText(err) }, "whatsapp: LID lookup failed");
      }
      if (lid) this.pair(lid, jid);
    }
    return lid ?? jid;
  }

  /** LID <-> phone-number pairs learnt since the last call (each once per run). */
  takeNewPairs(): Array<{ lid: string; pn: string }> {
    const pairs = this.newPairs;
    this.newPairs = [];
    return pairs;
  }

  /** The phone-number JID behind a LID, when known. */
  phoneJidOf(lid: string): string | undefined {
    return this.lidToPn.get(lid);
  }

  /** Known to be on WhatsApp: seen or checked, here or (within ON_WHATSAPP_TTL_MS) before a restart. */
  async isOnWhatsApp(pnJid: string): Promise<boolean> {
    if (this.onWhatsApp.has(pnJid)) return true;
    if (!this.store) return false;
    const raw = await this.store.get(`${ON_WHATSAPP_PREFIX}${pnJid}`).catch(() => null);
    const at = raw ? Date.parse(raw) : NaN;
    if (!Number.isFinite(at) || this.now().getTime() - at > ON_WHATSAPP_TTL_MS) return false;
    this.onWhatsApp.add(pnJid);
    return true;
  }

  markOnWhatsApp(pnJid: string): void {
    if (this.onWhatsApp.has(pnJid)) return;
    this.onWhatsApp.add(pnJid);
    this.store?.setMany({ [`${ON_WHATSAPP_PREFIX}${pnJid}`]: this.now().toISOString() }).catch((err: unknown) => {
      this.log.warn({ to: redact(pnJid), err: errorText(err) }, "whatsapp: could not store the onWhatsApp answer");
    });
  }
}
