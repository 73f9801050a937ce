/**
 * The door every inbound message comes through, whatever the channel. Each message is handled at
 * most once (deduplicated by channel and message id), one person's messages in order (an in-process
 * queue, and on PostgreSQL a transaction-scoped advisory lock so several instances agree), and in one
 * transaction with its replies: a crash anywhere loses no accepted answer and sends nothing twice.
 */
import { writeJson, ZAuditDetail, type TAuditDetail } from "../db/json-columns.js";
import type { Db, Provider, Tx } from "../db/client.js";
import type { Logger } from "../logging/logger.js";
import { addressKey, type Address, type Choice, type Inbound } from "../messaging/model.js";
import { Outbox } from "../outbox/outbox.js";
import { joinTurnReplies, TEXT_LIMITS } from "../outbox/join.js";
import type { Lane } from "../outbox/store.js";
import { writeSession } from "./session-store.js";
import { decodeButton } from "../domain/buttons.js";
import { appendAudit } from "../domain/audit/chain.js";
import type { Clock } from "../shared/clock.js";
import { KeyedQueue } from "../shared/keyed-queue.js";
import { PostgresTurnStore, PrismaTurnStore, SqliteTurnStore, type TurnStore } from "./turn-store.js";
import type { PostgresConnection } from "../db/postgres-connection.js";
import type { SqliteConnection } from "../db/sqlite-connection.js";
import type { FileStore } from "../storage/file-store.js";
import type { Texts } from "../i18n/index.js";
import { Turn } from "./turn.js";
import { storedAddress, storedMessageId } from "../security/address-index.js";
import { seal } from "../security/at-rest.js";
import type { EngineMessage } from "../flows/model.js";
import type { ClientFlowStarter, Desk, TurnIdentity } from "../desks/desk.js";

export interface InboxOptions {
  db: Db;
  provider: Provider;
  /** The embedded database's connection (required on SQLite, absent on PostgreSQL): turns run on it directly. */
  sqlite?: SqliteConnection;
  /** PostgreSQL's pool (absent on SQLite): turns run their hot path on its connections. */
  postgres?: PostgresConnection;
  clock: Clock;
  logger: Logger;
  files: FileStore;
  texts: () => Texts;
  /** Asked in order; the last one (the client conversation) always handles. */
  desks: Desk[];
  /** How the workflow starts a client's flow inside a turn (the client desk). */
  startClientFlow?: ClientFlowStarter;
  /** Called after the turn that first saw a person committed (to show a channel's command menu). */
  onNewIdentity?: (identity: { channel: string; address: string; language: string }) => Promise<void>;
  /** Called after a turn committed, to wake the outbox sender. */
  afterCommit?: () => void;
  maxUploadBytes: number;
}

const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

export class Inbox {
  private readonly queue = new KeyedQueue();
  private readonly outbox: Outbox;

  constructor(private readonly o: InboxOptions) {
    this.outbox = new Outbox({ db: o.db, provider: o.provider, sqlite: o.sqlite, postgres: o.postgres });
  }

  /** Handle one inbound message. Resolves once it is durably handled (or known to be a duplicate). */
  handleInbound = (msg: Inbound): Promise<void> => this.queue.run(addressKey(routed(msg.from)), () => this.process(msg));

  private async process(msg: Inbound): Promise<void> {
    const { db, logger } = this.o;
    // Kept (and logged) as a keyed hash on WhatsApp: the channels' message ids carry the number.
    const messageId = storedMessageId(msg.from.channel, msg.messageId);
    const log = logger.child({ channel: msg.from.channel, messageId });
    if (msg.body.type === "media") {
      // Checked before the upload is stored, so a redelivered photo is not stored twice.
      const seen = await db.processedInbound.findUnique({ where: { channel_messageId: { channel: msg.from.channel, messageId } } });
      if (seen) {
        log.debug("duplicate delivery ignored");
        return;
      }
    }
    const message = await this.toEngineMessage(msg);
    const handled = await this.inTurn(msg.from, `${msg.from.channel}:${messageId}`, async (turn) => {
      if (!(await turn.store.markInbound(msg.from.channel, messageId, turn.identity.id, turn.now))) return false;
      const displayName = msg.profile?.displayName?.slice(0, 120);
      if (displayName && !turn.identity.staffId && displayName !== turn.identity.displayName) {
        await turn.store.setDisplayName(turn.identity.id, displayName, turn.now);
      }
      await this.dispatch(turn, message, msg);
      return true;
    });
    if (!handled) log.debug("duplicate delivery ignored");
  }

  /**
   * A staff member's action taken outside their chat (the dashboard): in a turn of their own chat
   * identity, queued with their messages, so it is audited and notifies people exactly as the same
   * action in chat does. Null when the staff member has no chat identity.
   */
  async runAsStaff<T>(staffId: string, causeKey: string, body: (turn: Turn) => Promise<T>): Promise<T | null> {
    const identity = await this.o.db.identity.findFirst({ where: { staffId }, orderBy: { updatedAt: "desc" } });
    if (!identity) return null;
    return this.queue.run(`${identity.channel}:${identity.address}`, () =>
      this.inTurn({ channel: identity.channel as Address["channel"], id: identity.address }, causeKey, body),
    );
  }

  /**
   * Run something for a person outside an inbound message (scheduler nudges, a flow the workflow
   * starts): nobody is waiting on it, so its messages go in the sender's bulk lane.
   */
  async runForIdentity(identityId: string, causeKey: string, message: EngineMessage): Promise<void> {
    const identity = await this.o.db.identity.findUniqueOrThrow({ where: { id: identityId } });
    await this.queue.run(`${identity.channel}:${identity.address}`, () =>
      this.inTurn(
        { channel: identity.channel as Address["channel"], id: identity.address },
        causeKey,
        async (turn) => {
          await this.dispatch(turn, message, null);
          return true;
        },
        { lane: "bulk" },
      ),
    );
  }

  private async dispatch(turn: Turn, message: EngineMessage, inbound: Inbound | null): Promise<void> {
    for (const desk of this.o.desks) {
      if (await desk.handle(turn, message, inbound)) return;
    }
  }

  /**
   * One transaction: lock the person, load or create their identity, run `body`, write the outbox
   * and the audit log. Retried when the database reports a deadlock or a write conflict. The texts
   * the turn has for one person are joined into as few messages as the channel allows
   * (src/outbox/join.ts). `lane`: live (the default: someone waits for the answer) or bulk.
   */
  async inTurn<T>(address: Address, causeKey: string, body: (turn: Turn) => Promise<T>, opts: { lane?: Lane } = {}): Promise<T> {
    const { db, clock } = this.o;
    let result!: T;
    let committed: Turn | undefined;
    let turnJobs: Array<() => Promise<void>> = [];
    // The one place a channel's address becomes the stored one: on WhatsApp the phone number's blind
    // index (src/security/address-index.ts), the real address kept only sealed, for sending. Callers
    // that pass a stored address back (runForIdentity, the sweeps) pass an index: it stays as it is.
    const raw = address;
    address = routed(address);
    for (let attempt = 1; ; attempt++) {
      turnJobs = [];
      const work = async (tx: Tx, store: TurnStore) => {
        await store.lockPerson(addressKey(address));
        const identity = await upsertIdentity(store, address, clock.now(), raw.id === address.id ? null : raw.id);
        const onNew = this.o.onNewIdentity;
        if (identity.created && onNew) turnJobs.push(() => onNew(identity));
        const turn = new Turn(tx, store, clock.now(), identity, this.o.texts(), causeKey, this.o.startClientFlow);
        result = await body(turn);
        committed = turn;
        await rememberOfferedChoices(turn);
        // Others' channels are looked up by the enqueue; every channel's limit is the same today, so
        // the smallest is the safe one for them.
        const othersLimit = Math.min(...Object.values(TEXT_LIMITS));
        const replies = joinTurnReplies(turn.outgoing, (id) => (id === identity.id ? TEXT_LIMITS[address.channel] : othersLimit));
        await store.enqueue(
          replies.map((o) => ({ identityId: o.identityId, message: o.message, idempotencyKey: turn.deliveryKey(o.index) })),
          turn.now,
          [identity],
          opts.lane ?? "live",
        );
        await appendAudit(
          tx,
          turn.audits.map((a) => ({
            at: turn.now,
            actorType: identity.staffId ? "staff" : identity.clientId ? "client" : "system",
            actorId: identity.staffId ?? identity.clientId ?? identity.id,
            action: a.action,
            entity: a.entity,
            entityId: a.entityId ?? null,
            detailJson: writeJson(ZAuditDetail, (a.detail ?? {}) as TAuditDetail),
          })),
        );
      };
      try {
        const { sqlite, postgres } = this.o;
        if (sqlite) {
          // The embedded database: our own transaction, the hot path as prepared statements.
          await sqlite.transaction(() => work(sqlite.turnClient, new SqliteTurnStore(sqlite.raw)));
        } else if (postgres) {
          // PostgreSQL: Prisma's transaction, the hot path prepared on the connection it holds.
          await postgres.transaction((tx, session) => work(tx, new PostgresTurnStore(session)), TX_OPTIONS);
        } else {
          await db.$transaction((tx) => work(tx, new PrismaTurnStore(tx, this.outbox.in(tx))), TX_OPTIONS);
        }
        break;
      } catch (e) {
        if (attempt < 4 && isRetryable(e)) continue;
        throw e;
      }
    }
    for (const job of [...turnJobs, ...(committed?.afterCommitJobs ?? [])]) {
      await job().catch((e: unknown) => this.o.logger.warn({ err: e }, "after-commit job failed"));
    }
    this.o.afterCommit?.();
    return result;
  }

  /**
   * Media is stored (encrypted) before the transaction, and only for people who consented; the
   * engine decides whether it answers a question. An unreferenced upload is removed by the cleanup job.
   */
  private async toEngineMessage(msg: Inbound): Promise<EngineMessage> {
    const b = msg.body;
    switch (b.type) {
      case "text":
        return { type: "text", text: b.text };
      case "choice":
        return { type: "choice", choiceId: b.choiceId };
      case "contact":
        return { type: "contact", phone: b.phone, isOwn: b.isOwn };
      case "location":
        return { type: "location", latitude: b.latitude, longitude: b.longitude };
      case "unsupported":
        return { type: "unsupported", what: b.what };
      case "rejected_media":
        return { type: "rejected_media", reason: b.reason, limitBytes: b.limitBytes };
      case "media": {
        if (b.media.bytes.length > this.o.maxUploadBytes) {
          return { type: "rejected_media", reason: "too_large", limitBytes: this.o.maxUploadBytes };
        }
        const mayStore = await this.mayStore(routed(msg.from));
        const stored = mayStore ? await this.o.files.put(b.media.bytes, "documents") : null;
        return {
          type: "media",
          media: {
            kind: b.media.kind,
            mimeType: b.media.mimeType,
            size: b.media.bytes.length,
            sha256: stored?.sha256 ?? "",
            ...(b.media.fileName ? { fileName: b.media.fileName } : {}),
            storageKey: stored?.storageKey ?? null,
          },
        };
      }
    }
  }

  private async mayStore(address: Address): Promise<boolean> {
    const identity = await this.o.db.identity.findUnique({
      where: { channel_address: { channel: address.channel, address: address.id } },
      select: { staffId: true, consentedAt: true },
    });
    return identity !== null && (identity.staffId !== null || identity.consentedAt !== null);
  }
}

/**
 * Buttons the office (not a flow) offered: remembered per recipient so a typed number or label picks
 * the same thing (WhatsApp shows choices as a numbered list). Flow questions keep their own choices.
 */

async function rememberOfferedChoices(turn: Turn): Promise<void> {
  const last = new Map<string, Choice[]>();
  for (const o of turn.outgoing) {
    if (o.message.type === "text" && o.message.choices?.length && o.message.choices.every((c) => decodeButton(c.id) !== null)) {
      last.set(o.identityId, o.message.choices);
    }
  }
  for (const [identityId, offered] of last) await writeSession(turn.store, identityId, turn.now, { offered });
}

/** The address as the database keeps it (a WhatsApp number's blind index; others as they are). */
function routed(a: Address): Address {
  const id = storedAddress(a.channel, a.id);
  return id === a.id ? a : { channel: a.channel, id };
}

/** `realAddress`: what the channel gave where `address` is its blind index; sealed on the new identity. */
async function upsertIdentity(store: TurnStore, address: Address, now: Date, realAddress: string | null): Promise<TurnIdentity & { created: boolean }> {
  const found = await store.identityByAddress(address.channel, address.id);
  const row = found ?? (await store.createIdentity(address.channel, address.id, now, realAddress === null ? null : seal(realAddress)));
  return {
    id: row.id,
    channel: row.channel,
    address: row.address,
    clientId: row.clientId,
    staffId: row.staffId,
    language: row.language,
    remindersOn: row.remindersOn,
    displayName: row.displayName,
    created: !found,
  };
}

function isRetryable(e: unknown): boolean {
  const s = `${(e as { code?: string }).code ?? ""} ${(e as Error).message ?? ""}`;
  return /P2034|40P01|40001|deadlock|could not serialize|SQLITE_BUSY|database is locked/i.test(s);
}
