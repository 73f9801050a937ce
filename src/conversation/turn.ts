/**
 * A turn: everything one inbound message (or one scheduled event) causes, inside one database
 * transaction. Replies and messages to other people are collected here and written to the outbox at
 * the end of the same transaction, so they exist exactly when the turn's changes do.
 */
import type { Tx } from "../db/client.js";
import type { AuditEntry } from "../domain/port.js";
import type { ClientFlowStarter, DeskTurn, PersonSession, SessionChange, StoredIdentity, TurnIdentity } from "../desks/desk.js";
import type { TimerPolicy } from "../flows/session.js";
import { toLang, Translator, type Lang, type TextParams, type Texts } from "../i18n/index.js";
import type { Outbound } from "../messaging/model.js";
import { text } from "../messaging/text.js";
import { readSession, writeSession } from "./session-store.js";
import type { MessageKind } from "../messaging/kinds.js";
import type { TurnStore } from "./turn-store.js";

export class Turn implements DeskTurn {
  readonly outgoing: Array<{ identityId: string; message: Outbound }> = [];
  readonly audits: AuditEntry[] = [];
  /** Work that must wait until the transaction committed (deleting a discarded file). */
  readonly afterCommitJobs: Array<() => Promise<void>> = [];
  private readonly translators = new Map<Lang, Translator>();
  /** Recipients' languages, each read once per turn. */
  private readonly languages = new Map<string, Lang>();

  /**
   * The session read last in this turn, while nothing else can have changed it: several desks ask
   * whether the person is in a form before one of them works, and on PostgreSQL each read is a
   * round trip. Forgotten at this turn's every session write and every use of `tx`: besides the
   * turn's own writes, session rows change only through Prisma (a data request, an identity merge,
   * an erasure), and those take `turn.tx` when they run, so it is never stale.
   */
  private lastSessionRead: { identityId: string; session: PersonSession } | null = null;

  constructor(
    /** Prisma inside the turn's transaction (`tx`). */
    private readonly prismaTx: Tx,
    /** The turn's frequent reads and writes (dedupe, identity, session, outbox), in the same transaction. */
    readonly store: TurnStore,
    readonly now: Date,
    readonly identity: TurnIdentity,
    readonly texts: Texts,
    /** Unique per cause ("telegram:123", "reminder:abc"): the base of the outbox idempotency keys. */
    readonly causeKey: string,
    private readonly clientFlows?: ClientFlowStarter,
  ) {}

  /** Prisma inside the turn's transaction. */
  get tx(): Tx {
    this.lastSessionRead = null;
    return this.prismaTx;
  }

  get lang(): Lang {
    return toLang(this.identity.language);
  }

  translator(lang: Lang = this.lang): Translator {
    let tr = this.translators.get(lang);
    if (!tr) {
      tr = new Translator(this.texts, lang);
      this.translators.set(lang, tr);
    }
    return tr;
  }

  /** Texts in a language (the sender's by default). */
  t(key: string, params?: TextParams, lang: Lang = this.lang): string {
    return this.translator(lang).t(key, params);
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

  async tell(identityId: string, key: string, params?: TextParams, choices?: Array<{ id: string; key: string; params?: TextParams }>): Promise<void> {
    const t = this.translator(await this.languageOf(identityId));
    this.send(identityId, text(t.t(key, params), choices?.map((c) => ({ id: c.id, label: t.t(c.key, c.params) }))));
  }

  async tellWith(identityId: string, compose: (t: Translator) => Outbound | Outbound[]): Promise<void> {
    const composed = compose(this.translator(await this.languageOf(identityId)));
    for (const message of Array.isArray(composed) ? composed : [composed]) this.send(identityId, message);
  }

  languageChanged(identityId: string, lang: Lang): void {
    this.languages.set(identityId, lang);
  }

  private async languageOf(identityId: string): Promise<Lang> {
    // The sender's is on hand, and follows a change made in this turn.
    if (identityId === this.identity.id) return this.lang;
    let lang = this.languages.get(identityId);
    if (!lang) {
      lang = toLang((await this.store.identityById(identityId))?.language);
      this.languages.set(identityId, lang);
    }
    return lang;
  }

  /** The outbox idempotency key of the message at `index` of `outgoing` (the inbox writes it with this). */
  deliveryKey(index: number): string {
    return `${this.causeKey}#${index}`;
  }

  deliveryKeyOfLast(identityId: string): string | null {
    for (let i = this.outgoing.length - 1; i >= 0; i--) if (this.outgoing[i]?.identityId === identityId) return this.deliveryKey(i);
    return null;
  }

  cancelQueued(keys: readonly string[], reason: string): Promise<number> {
    return this.store.cancelQueued(keys, reason);
  }

  audit(entry: AuditEntry): void {
    this.audits.push(entry);
  }

  afterCommit(job: () => Promise<void>): void {
    this.afterCommitJobs.push(job);
  }

  async startClientFlow(identityId: string, flowId: string, vars: Record<string, unknown>, as?: { kind: MessageKind; params?: Record<string, string> }): Promise<void> {
    if (!this.clientFlows) throw new Error(`no client desk to start flow ${flowId}`);
    const from = this.outgoing.length;
    await this.clientFlows(this, identityId, flowId, vars);
    if (as) this.markKind(from, identityId, as.kind, as.params);
  }

  async readSession(identityId: string): Promise<PersonSession> {
    const last = this.lastSessionRead;
    if (last?.identityId === identityId) return last.session;
    const session = await readSession(this.store, identityId);
    this.lastSessionRead = { identityId, session };
    return session;
  }

  writeSession(identityId: string, change: SessionChange, policy?: TimerPolicy): Promise<void> {
    this.lastSessionRead = null;
    return writeSession(this.store, identityId, this.now, change, policy);
  }

  loadIdentity(identityId: string): Promise<StoredIdentity | null> {
    return this.store.identityById(identityId);
  }
}
