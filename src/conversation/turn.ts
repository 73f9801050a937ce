/**
 * A turn: everything one inbound message (or one scheduled event) causes, inside one database
 * transaction. Replies and messages to other people are collected here and written to the outbox at
 * the end of the same transaction, so they exist exactly when the turn's changes do.
 */
import type { Tx } from "../db/client.js";
import type { Outbound } from "../messaging/model.js";
import { toLang, Translator, type Lang, type Texts } from "../i18n/index.js";
import type { TurnStore } from "./turn-store.js";

export interface TurnIdentity {
  id: string;
  channel: string;
  address: string;
  clientId: string | null;
  staffId: string | null;
  language: string;
  remindersOn: boolean;
  /** As the channel last reported it (absent where the caller did not load it). */
  displayName?: string | null;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string;
  detail?: Record<string, unknown>;
}

export class Turn {
  readonly outgoing: Array<{ identityId: string; message: Outbound }> = [];
  readonly audits: AuditEntry[] = [];
  /** Work that must wait until the transaction committed (deleting a discarded file). */
  readonly afterCommit: Array<() => Promise<void>> = [];
  private translators = new Map<Lang, Translator>();

  constructor(
    /** Prisma inside the turn's transaction. */
    readonly tx: Tx,
    /** The turn's frequent reads and writes (dedupe, identity, session, outbox), in the same transaction. */
    readonly store: TurnStore,
    readonly now: Date,
    readonly identity: TurnIdentity,
    readonly texts: Texts,
    /** Unique per cause ("telegram:123", "reminder:abc"): the base of the outbox idempotency keys. */
    readonly causeKey: string,
  ) {}

  get lang(): Lang {
    return toLang(this.identity.language);
  }

  /** Texts in a language (the sender's by default). */
  t(key: string, params?: Record<string, string | number>, lang: Lang = this.lang): string {
    let tr = this.translators.get(lang);
    if (!tr) {
      tr = new Translator(this.texts, lang);
      this.translators.set(lang, tr);
    }
    return tr.t(key, params);
  }

  reply(message: Outbound): void {
    this.outgoing.push({ identityId: this.identity.id, message });
  }

  send(identityId: string, message: Outbound): void {
    this.outgoing.push({ identityId, message });
  }

  audit(entry: AuditEntry): void {
    this.audits.push(entry);
  }
}

export function text(t: string, choices?: Array<{ id: string; label: string }>): Outbound {
  return choices && choices.length > 0 ? { type: "text", text: t, choices } : { type: "text", text: t };
}
