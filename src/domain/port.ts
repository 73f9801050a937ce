/**
 * What the office's rules need from the turn they run in, and nothing more: the transaction, the
 * turn's time, who caused it, ways to speak to people, and the trace it leaves. The conversation
 * layer implements it (src/conversation/turn.ts); the domain imports nothing from the layers above.
 */
import type { Tx } from "../db/client.js";
import type { Lang, TextParams, Translator } from "../i18n/index.js";
import type { MessageKind } from "../messaging/kinds.js";
import type { Outbound } from "../messaging/model.js";

/** The chat identity a turn is for: the person who wrote, or whom the scheduler or workflow addresses. */
export interface Person {
  id: string;
  channel: string;
  clientId: string | null;
  staffId: string | null;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string;
  detail?: Record<string, unknown>;
}

/** A button whose label is a text key, written in the recipient's language. */
export interface TellChoice {
  id: string;
  key: string;
  params?: TextParams;
}

export interface TurnPort {
  /** Prisma inside the turn's transaction. */
  readonly tx: Tx;
  readonly now: Date;
  readonly identity: Readonly<Person>;
  /** The sender's language. */
  readonly lang: Lang;
  /** A text in the sender's language, or in `lang` (the office's own records are in Indonesian). */
  t(key: string, params?: TextParams, lang?: Lang): string;
  /** Texts in a language (the sender's by default): for labels of coded values (reports/labels.ts). */
  translator(lang?: Lang): Translator;
  /** A message to the sender. */
  reply(message: Outbound): void;
  /** A text to anyone, in their own language (looked up once per turn). */
  tell(identityId: string, key: string, params?: TextParams, choices?: TellChoice[]): Promise<void>;
  /** Messages composed from several texts (a case card, a document's caption), in the recipient's language. */
  tellWith(identityId: string, compose: (t: Translator) => Outbound | Outbound[]): Promise<void>;
  /**
   * The outbox key of the last message queued for `identityId` in this turn (null: none yet), so a
   * relayed message can be found again when its recipient replies to it (Telegram reply, WhatsApp quote).
   */
  deliveryKeyOfLast(identityId: string): string | null;
  /**
   * Messages queued earlier (by their outbox keys) that have not gone yet are withdrawn, failed with
   * `reason`, in this turn's transaction; one already with a channel goes on. Returns how many.
   */
  cancelQueued(keys: readonly string[], reason: string): Promise<number>;
  audit(entry: AuditEntry): void;
  /** Work that must wait until the transaction committed (removing a file). */
  afterCommit(job: () => Promise<void>): void;
  /**
   * Run a flow of conversations/ for a client inside this turn (action plan, check-in, survey).
   * `as` says what its messages are (a survey a closed case starts), so a channel with a
   * customer-service window can send the matching template.
   */
  startClientFlow(identityId: string, flowId: string, vars: Record<string, unknown>, as?: { kind: MessageKind; params?: Record<string, string> }): Promise<void>;
}
