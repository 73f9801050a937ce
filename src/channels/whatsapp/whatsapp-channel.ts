/**
 * The WhatsApp channel, on Baileys (WhatsApp Web multi-device protocol), composed of:
 * - connection.ts: login state in the database (auth-state.ts), the QR code / pairing code
 *   published as `pairing` for a staff-only page (the QR is also printed in the terminal),
 *   reconnecting by reconnect-policy.ts (never after a logout);
 * - receiver.ts + inbound.ts: one-to-one messages only; one address per person (addresses.ts:
 *   the phone-number JID when known, else the LID); one person's messages strictly in order,
 *   different persons in parallel;
 * - outbound.ts: numbered text choices, documents, paced sends (pacer.ts).
 * Nothing outside this folder sees a Baileys type.
 */
import {
  downloadMediaMessage,
  makeWASocket,
  type SocketConfig,
  type UserFacingSocketConfig,
  type WAMessage,
} from "@whiskeysockets/baileys";
import { systemClock, type Clock } from "../../shared/clock.js";
import type { Channel, ChannelLimits } from "../channel.js";
import { AddressBook } from "./addresses.js";
import type { AuthKeyValueStore } from "./auth-state.js";
import { WhatsAppConnection } from "./connection.js";
import { WHATSAPP_DEFAULTS } from "./defaults.js";
import { SentMessages, WhatsAppOutbound } from "./outbound.js";
import { SendPacer } from "./pacer.js";
import type { PairingObservable } from "./pairing.js";
import { Receiver } from "./receiver.js";
import { deliveryUpdates } from "./delivery.js";
import type { DeliveryUpdate } from "../../messaging/delivery.js";
import { LoginLease, type LoginLeaseOptions } from "./login-lease.js";
import type { HaltReason } from "./reconnect-policy.js";
import type { WASocketLike, WhatsAppLogger } from "./socket.js";

export { WHATSAPP_DEFAULTS } from "./defaults.js";
export { toChannelSendError } from "./errors.js";
export type { PairingObservable, PairingStateName, PairingStatus } from "./pairing.js";
export type { WASocketLike, WhatsAppLogger } from "./socket.js";
export type { HaltReason } from "./reconnect-policy.js";
export type { LoginLeaseOptions, LoginLeaseStore } from "./login-lease.js";

export interface WhatsAppChannelOptions {
  store: AuthKeyValueStore;
  logger: WhatsAppLogger;
  /** Defaults to Baileys' makeWASocket; tests inject a fake. */
  makeSocket?: (config: UserFacingSocketConfig) => WASocketLike;
  /** Extra socket settings (browser name, timeouts ...), merged over the defaults. */
  socketConfig?: Partial<Omit<SocketConfig, "auth" | "logger">>;
  /** E.164 without "+" (e.g. "6281234567890"): log in by pairing code instead of QR. */
  pairingPhone?: string;
  /** Least time between any two sends (default 1500 ms). */
  sendIntervalMs?: number;
  /** Least time between two sends to the same chat (default 2 x sendIntervalMs). */
  perChatIntervalMs?: number;
  /** Largest file taken from a person (default 16 MB); checked on the declared size before download. */
  maxInboundFileBytes?: number;
  /** Longest text per message; longer texts are split (default 4096). */
  maxTextLength?: number;
  clock?: Clock;
  /** Reconnect backoff: first delay and ceiling (default 1 s doubling to 60 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Downloads a media message; defaults to Baileys' downloadMediaMessage with re-upload. */
  downloadMedia?: (msg: WAMessage, sock: WASocketLike) => Promise<Buffer>;
  /** Receives each new QR rendered for a terminal; defaults to writing it to stdout. */
  printQr?: (terminalQr: string) => void;
  /** Country code for phone numbers written the local way in vCards ("0812..."); default "62". */
  defaultCountryCode?: string;
  /** Level of Baileys' own (chatty, JID-bearing) logs; default "warn". */
  baileysLogLevel?: string;
  /** Attempts of the inbound handler per message before it is logged and dropped (default 3). */
  handlerAttempts?: number;
  /**
   * Told when the connection stops for good (logged out, banned, replaced, bad session) and waits
   * for staff: the service tells the admins through another channel.
   */
  onHalt?: (reason: HaltReason, code: number | undefined) => void;
  /**
   * What WhatsApp said about a message after the send resolved (server ack, delivered, read, or an
   * error such as 404 no account, 463 restricted): the outbox applies it to the row.
   */
  onStatus?: (update: DeliveryUpdate) => Promise<boolean | void>;
  /**
   * Several instances on one database: only the holder of this lease connects (login-lease.ts).
   * Without it the channel connects on start (one instance, e.g. on SQLite).
   */
  lease?: LoginLeaseOptions;
  /**
   * A LID and a phone-number JID are one person (a message key carried both, or Baileys'
   * lid-mapping event): merge the LID's identity into the phone number's before that person's
   * next message is handled.
   */
  samePerson?: (lid: string, pn: string) => Promise<void>;
}

export interface WhatsAppChannel extends Channel {
  readonly pairing: PairingObservable;
  /**
   * Pair again after a logout (or to switch phones): forget the stored login and start a new
   * socket, which shows a fresh QR / pairing code. When not started, only forgets the login.
   */
  relink(): Promise<void>;
  /** Resolves once every inbound message received so far has been handled. */
  idle(): Promise<void>;
  /** This instance holds the login (always, without a lease) and can send. */
  canSend(): boolean;
}

/** Times a delivery failure is offered again while no outbox row has its message id. */
const STATUS_RETRIES = 3;

/** How long stop() waits for handlers of messages already received. */
const STOP_DRAIN_MS = 10_000;

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
/** The less verbose of two pino level names (Baileys never logs more than the app does). */
function quieterLevel(a: string, b: string): string {
  return LEVELS.indexOf(a) > LEVELS.indexOf(b) ? a : b;
}

export function createWhatsAppChannel(opts: WhatsAppChannelOptions): WhatsAppChannel {
  const clock = opts.clock ?? systemClock;
  const log = opts.logger;
  const sendIntervalMs = opts.sendIntervalMs ?? WHATSAPP_DEFAULTS.sendIntervalMs;
  const perChatIntervalMs = opts.perChatIntervalMs ?? sendIntervalMs * 2;
  const maxInboundFileBytes = opts.maxInboundFileBytes ?? WHATSAPP_DEFAULTS.maxInboundFileBytes;
  const maxTextLength = opts.maxTextLength ?? WHATSAPP_DEFAULTS.maxTextLength;

  const baileysLogger = log.child({ module: "baileys" });
  baileysLogger.level = quieterLevel(log.level, opts.baileysLogLevel ?? "warn");
  const downloadMedia =
    opts.downloadMedia ??
    ((msg: WAMessage, sock: WASocketLike) =>
      downloadMediaMessage(msg, "buffer", {}, { logger: baileysLogger, reuploadRequest: sock.updateMediaMessage }));

  const addresses = new AddressBook(log, opts.store, () => clock.now());
  const sent = new SentMessages(opts.store, 500, (err) => log.warn({ err: String(err) }, "whatsapp: could not store a sent message"));
  const pairingPhone = opts.pairingPhone?.replace(/\D/g, "") || undefined;
  // The receiver and the connection need each other (messages in, the socket to download with);
  // the closures below run only after both exist.
  const receiver = new Receiver({
    log,
    clock,
    addresses,
    download: (msg, arrivedOn) => downloadMedia(msg, connection.currentSocket() ?? arrivedOn),
    maxInboundFileBytes,
    defaultCountryCode: opts.defaultCountryCode ?? "62",
    handlerAttempts: Math.max(1, opts.handlerAttempts ?? 3),
    stopSignal: () => connection.stopSignal,
    ...(opts.samePerson ? { samePerson: opts.samePerson } : {}),
  });
  /**
   * The outbox records a send's message id right after send() returned; an error ack can come back
   * sooner. A failure no row has yet is offered again a few times, a second apart, so it is not lost.
   */
  const reportStatus = async (update: DeliveryUpdate): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const found = await opts.onStatus?.(update);
      if (found !== false || update.state !== "failed" || attempt >= STATUS_RETRIES) return;
      await clock.sleep(1000, connection.stopSignal);
      if (connection.stopSignal.aborted) return;
    }
  };
  const connection = new WhatsAppConnection({
    store: opts.store,
    log,
    baileysLogger,
    makeSocket: opts.makeSocket ?? ((config: UserFacingSocketConfig): WASocketLike => makeWASocket(config)),
    ...(opts.socketConfig ? { socketConfig: opts.socketConfig } : {}),
    ...(pairingPhone ? { pairingPhone } : {}),
    printQr: opts.printQr ?? ((text: string) => void process.stdout.write(`${text}\n`)),
    clock,
    backoff: {
      initialMs: opts.backoff?.initialMs ?? WHATSAPP_DEFAULTS.backoffInitialMs,
      maxMs: opts.backoff?.maxMs ?? WHATSAPP_DEFAULTS.backoffMaxMs,
    },
    sentMessage: (key) => sent.get(key),
    ...(opts.onHalt ? { onHalt: opts.onHalt } : {}),
    events: {
      messages: (sock, upsert) => receiver.onMessages(sock, upsert),
      lidMapping: (mapping) => {
        addresses.learn(mapping.lid, mapping.pn);
        receiver.mergeNewPairs();
      },
      updates: (updates) => {
        for (const update of deliveryUpdates(updates, (id) => sent.sent(id), clock.now())) {
          if (update.failure) log.warn({ kind: update.failure.kind, reason: update.failure.reason }, "whatsapp: delivery failed");
          reportStatus(update).catch((err: unknown) => log.error({ err: String(err) }, "whatsapp: could not record a delivery status"));
        }
      },
    },
  });
  const outbound = new WhatsAppOutbound({
    log,
    clock,
    connection,
    addresses,
    pacer: new SendPacer({ clock, globalGapMs: sendIntervalMs, chatGapMs: perChatIntervalMs }),
    sent,
    maxTextLength,
  });

  const limits: ChannelLimits = {
    maxTextLength,
    maxInboundFileBytes,
    perChatPerSecond: 1000 / perChatIntervalMs,
    globalPerSecond: 1000 / sendIntervalMs,
  };

  const lease = opts.lease
    ? new LoginLease(
        opts.lease,
        clock,
        log,
        () => connection.start(),
        async () => {
          await connection.stop();
          connection.showStandby();
        },
      )
    : undefined;
  let started = false;

  return {
    name: "whatsapp",
    limits,
    pairing: connection.pairing,
    async start(handler) {
      if (started) throw new Error("whatsapp channel already started");
      started = true;
      receiver.handler = handler;
      if (!lease) return connection.start();
      connection.showStandby();
      await lease.start();
      if (!lease.isHolder) log.info({}, "whatsapp: another instance holds the login; this one stays passive");
    },
    async stop() {
      if (!started) return;
      started = false;
      if (lease) await lease.stop();
      else await connection.stop();
      // Let handlers of messages already received finish, but never hang a shutdown on one.
      const drained = new AbortController();
      await Promise.race([receiver.idle().finally(() => drained.abort()), clock.sleep(STOP_DRAIN_MS, drained.signal)]);
    },
    send: outbound.send,
    async relink() {
      // The login is shared: only the instance holding it may throw it away (the page says where).
      if (lease && !lease.isHolder) {
        log.warn({}, "whatsapp: relink asked of a passive instance; the instance holding the login relinks");
        return;
      }
      await connection.relink();
    },
    canSend: () => !lease || lease.isHolder,
    idle: () => receiver.idle(),
  };
}
