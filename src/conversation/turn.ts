/**
 * A turn: everything one inbound message (or one scheduled event) causes, inside one database
 * transaction. Replies and messages to other people are collected here and written to the outbox at
 * the end of the same transaction, so they exist exactly when the turn's changes do.
 */
import type { Tx } from "../db/client.js";
import type { Outbound } from "../messaging/model.js";
import type { MessageKind } from "../messaging/kinds.js";
import { Translator, type Lang, type Texts } from "../flows/texts.js";
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
    return this.identity.language === "en" ? "en" : "id";
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

  /**
   * A message to someone. One to another person than the one whose turn it is reaches them outside
   * their own conversation, so it is a "notification" unless it says what it is (a channel with a
   * customer-service window sends a template for it when that person has not written lately).
   */
  send(identityId: string, message: Outbound): void {
    const elsewhere = identityId !== this.identity.id && message.kind === undefined;
    this.outgoing.push({ identityId, message: elsewhere ? { ...message, kind: "notification" } : message });
  }

  /** Says what the messages to `identityId` written since position `from` are (a survey a closed case starts). */
  markKind(from: number, identityId: string, kind: MessageKind, params?: Record<string, string>): void {
    for (const o of this.outgoing.slice(from)) {
      if (o.identityId === identityId) o.message = { ...o.message, kind, ...(params ? { params } : {}) };
    }
  }

  audit(entry: AuditEntry): void {
    this.audits.push(entry);
  }
}

export function text(t: string, choices?: Array<{ id: string; label: string }>): Outbound {
  return choices && choices.length > 0 ? { type: "text", text: t, choices } : { type: "text", text: t };
}
