/**
 * The WhatsApp channel, on Baileys (WhatsApp Web multi-device protocol).
 *
 * - Login state lives in the database (auth-state.ts); the QR code / pairing code is published as
 *   `pairing` for a staff-only page and the QR is also printed in the terminal.
 * - Reconnects with exponential backoff, except after a logout (then it stops and says so).
 * - Inbound: one-to-one messages only; one address per person (the phone-number JID when known,
 *   else the LID); one person's messages strictly in order, different persons in parallel.
 * - Outbound: numbered text choices, documents, paced sends.
 * Nothing outside this folder sees a Baileys type.
 */
import QRCode from "qrcode";
import {
  Browsers,
  DisconnectReason,
  downloadMediaMessage,
  jidNormalizedUser,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type AnyMessageContent,
  type BaileysEventEmitter,
  type BaileysEventMap,
  type SignalKeyStore,
  type SocketConfig,
  type UserFacingSocketConfig,
  type WAMessage,
  type WASocket,
  type proto,
} from "@whiskeysockets/baileys";
import { splitText, type Channel, type ChannelLimits, type InboundHandler } from "../channel.js";
import { ChannelSendError, type Inbound, type InboundBody } from "../../messaging/model.js";
import { useDatabaseAuthState, type AuthKeyValueStore, type DatabaseAuthState } from "./auth-state.js";
import { systemClock, type Clock } from "./clock.js";
import {
  classifyContent,
  longToNumber,
  parseVCard,
  phoneOfJid,
  redact,
  senderJids,
  skipReason,
  toE164,
  toSendJid,
  type ClassifiedContent,
} from "./inbound.js";
import { SendPacer } from "./pacer.js";
// Channel-neutral helper (no grammY inside) that the Telegram channel introduced.
import { SendProgress } from "../send-progress.js";

/** Baileys' logger shape (pino's Logger fits). */
export type WhatsAppLogger = SocketConfig["logger"];

/**
 * The part of a Baileys socket this channel uses. `makeWASocket` returns more; tests pass an object
 * with just these members (typed with Baileys' own types).
 */
export type WASocketLike = Pick<
  WASocket,
  "sendMessage" | "updateMediaMessage" | "user" | "end" | "requestPairingCode" | "onWhatsApp"
> & {
  ev: BaileysEventEmitter;
  /** v7: the LID <-> phone number mapping Baileys learnt. */
  signalRepository?: {
    lidMapping?: Pick<WASocket["signalRepository"]["lidMapping"], "getPNForLID">;
  };
};

export type PairingStateName = "connecting" | "qr" | "pairing_code" | "open" | "logged_out" | "closed";

export interface PairingStatus {
  state: PairingStateName;
  /** Raw QR string (render it on the staff page), while state is "qr". */
  qr?: string;
  /** 8-character code to type on the phone, while state is "pairing_code". */
  pairingCode?: string;
  /** Human-readable detail for staff (reconnect delay, what to do after a logout). No personal data. */
  detail?: string;
  /** Baileys' disconnect status code of the last close, if any. */
  lastDisconnectCode?: number;
  updatedAt: Date;
}

export interface PairingObservable {
  get(): PairingStatus;
  /** Called with the current status right away, then on every change. Returns an unsubscribe. */
  subscribe(listener: (status: PairingStatus) => void): () => void;
}

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
}

export interface WhatsAppChannel extends Channel {
  readonly pairing: PairingObservable;
  /**
   * Pair again after a logout (or to switch phones): forget the stored login and start a new
   * socket, which shows a fresh QR / pairing code. Only after `start`.
   */
  relink(): Promise<void>;
  /** Resolves once every inbound message received so far has been handled. */
  idle(): Promise<void>;
}

export const WHATSAPP_DEFAULTS = {
  sendIntervalMs: 1500,
  maxInboundFileBytes: 16 * 1024 * 1024,
  maxTextLength: 4096,
  /** WhatsApp shows long captions badly; longer captions go as a separate text. */
  maxCaptionLength: 1024,
  backoffInitialMs: 1000,
  backoffMaxMs: 60_000,
  rateLimitedRetryAfterSeconds: 60,
} as const;

const STOP_DRAIN_MS = 10_000;

type Connection = { sock: WASocketLike; generation: number; detach: () => void };

/** Baileys closes with a Boom error; read its status code the way Baileys' examples do. */
function disconnectCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === "number" ? code : undefined;
}

function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // Baileys' error texts are protocol words ("Connection Closed", "rate-overlimit"); strip digits
  // runs anyway so a number never reaches a log or an outbox row.
  return message.replace(/\d{6,}/g, "…").slice(0, 200);
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
/** The less verbose of two pino level names (Baileys never logs more than the app does). */
function quieterLevel(a: string, b: string): string {
  return LEVELS.indexOf(a) > LEVELS.indexOf(b) ? a : b;
}

/** Map a Baileys send failure to what the outbox should do. */
export function toChannelSendError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  const text = errorText(err);
  const data = (err as { data?: unknown } | undefined)?.data;
  const status = disconnectCode(err);
  if (/rate-overlimit/i.test(text) || data === 429 || status === 429) {
    return new ChannelSendError(
      `WhatsApp rate limit: ${text}`,
      "rate_limited",
      WHATSAPP_DEFAULTS.rateLimitedRetryAfterSeconds,
    );
  }
  if (/item-not-found|not-acceptable/i.test(text) || data === 404 || data === 406) {
    return new ChannelSendError(`WhatsApp refused the recipient: ${text}`, "permanent");
  }
  // Connection closed/lost (428, 408), replaced (440), restart (515), timeouts, unknown faults.
  return new ChannelSendError(`WhatsApp send failed: ${text}`, "retry");
}

export function createWhatsAppChannel(opts: WhatsAppChannelOptions): WhatsAppChannel {
  const clock = opts.clock ?? systemClock;
  const log = opts.logger;
  const sendIntervalMs = opts.sendIntervalMs ?? WHATSAPP_DEFAULTS.sendIntervalMs;
  const perChatIntervalMs = opts.perChatIntervalMs ?? sendIntervalMs * 2;
  const maxInboundFileBytes = opts.maxInboundFileBytes ?? WHATSAPP_DEFAULTS.maxInboundFileBytes;
  const maxTextLength = opts.maxTextLength ?? WHATSAPP_DEFAULTS.maxTextLength;
  const backoffInitialMs = opts.backoff?.initialMs ?? WHATSAPP_DEFAULTS.backoffInitialMs;
  const backoffMaxMs = opts.backoff?.maxMs ?? WHATSAPP_DEFAULTS.backoffMaxMs;
  const defaultCountryCode = opts.defaultCountryCode ?? "62";
  const handlerAttempts = Math.max(1, opts.handlerAttempts ?? 3);
  const pairingPhone = opts.pairingPhone?.replace(/\D/g, "") || undefined;
  const printQr = opts.printQr ?? ((text: string) => void process.stdout.write(`${text}\n`));

  const baileysLogger = log.child({ module: "baileys" });
  baileysLogger.level = quieterLevel(log.level, opts.baileysLogLevel ?? "warn");

  const makeSocket =
    opts.makeSocket ?? ((config: UserFacingSocketConfig): WASocketLike => makeWASocket(config));
  const downloadMedia =
    opts.downloadMedia ??
    ((msg: WAMessage, sock: WASocketLike) =>
      downloadMediaMessage(msg, "buffer", {}, { logger: baileysLogger, reuploadRequest: sock.updateMediaMessage }));

  // ---- pairing status -------------------------------------------------------------------------
  let status: PairingStatus = { state: "closed", updatedAt: new Date(clock.now()) };
  const listeners = new Set<(s: PairingStatus) => void>();
  const setStatus = (next: Omit<PairingStatus, "updatedAt">) => {
    const same =
      next.state === status.state &&
      next.qr === status.qr &&
      next.pairingCode === status.pairingCode &&
      next.detail === status.detail &&
      next.lastDisconnectCode === status.lastDisconnectCode;
    if (same) return;
    status = { ...next, updatedAt: new Date(clock.now()) };
    for (const listener of listeners) {
      try {
        listener(status);
      } catch (err) {
        log.error({ err: errorText(err) }, "whatsapp: pairing status listener failed");
      }
    }
  };
  const pairing: PairingObservable = {
    get: () => status,
    subscribe(listener) {
      listeners.add(listener);
      listener(status);
      return () => listeners.delete(listener);
    },
  };

  // ---- connection -----------------------------------------------------------------------------
  let auth: DatabaseAuthState | undefined;
  /** The stored keys behind Baileys' read cache; one cache for all sockets of one login. */
  let keyStore: SignalKeyStore | undefined;
  const loadKeyStore = () => {
    if (auth) keyStore = makeCacheableSignalKeyStore(auth.state.keys, baileysLogger);
  };
  let onInbound: InboundHandler | undefined;
  let current: Connection | undefined;
  let generation = 0;
  let stopped = true;
  let stopController = new AbortController();
  let reconnectAttempt = 0;
  /** A 515 restart happened and no open since: a second one backs off like any other close. */
  let restartedWithoutOpen = false;
  let lastQr: string | undefined;
  let pairingRequestedGen = 0;
  let pairingFallbackGen = 0;
  /** Messages we sent, for Baileys' getMessage (re-encrypting on a recipient's retry request). */
  const sentMessages = new Map<string, proto.IMessage>();
  const rememberSent = (msg: WAMessage | undefined) => {
    if (!msg?.key.id || !msg.message) return;
    sentMessages.set(msg.key.id, msg.message);
    if (sentMessages.size > 500) {
      const oldest = sentMessages.keys().next().value;
      if (oldest !== undefined) sentMessages.delete(oldest);
    }
  };

  const connect = () => {
    if (!auth) throw new Error("whatsapp: auth state not loaded");
    generation += 1;
    const gen = generation;
    lastQr = undefined;
    setStatus({ state: "connecting" });
    const config: UserFacingSocketConfig = {
      browser: Browsers.ubuntu("Chrome"),
      markOnlineOnConnect: false, // staff keep getting notifications on the phone
      syncFullHistory: false,
      getMessage: async (key) => (key.id ? sentMessages.get(key.id) : undefined),
      ...opts.socketConfig,
      logger: baileysLogger,
      auth: { creds: auth.state.creds, keys: keyStore ?? auth.state.keys },
    };
    let sock: WASocketLike;
    try {
      sock = makeSocket(config);
    } catch (err) {
      log.error({ err: errorText(err) }, "whatsapp: could not create the socket");
      scheduleReconnect(undefined);
      return;
    }
    const handlers: { [K in keyof BaileysEventMap]?: (arg: BaileysEventMap[K]) => void } = {
      "creds.update": () => {
        auth?.saveCreds().catch((err: unknown) => {
          log.error({ err: errorText(err) }, "whatsapp: saving credentials failed");
        });
      },
      "connection.update": (update) => onConnectionUpdate(gen, sock, update),
      "messages.upsert": (upsert) => onUpsert(sock, upsert),
      "lid-mapping.update": (mapping) => rememberMapping(mapping.lid, mapping.pn),
    };
    const on = <K extends keyof BaileysEventMap>(event: K) => {
      const handler = handlers[event] as ((arg: BaileysEventMap[K]) => void) | undefined;
      if (handler) sock.ev.on(event, handler);
    };
    const off = <K extends keyof BaileysEventMap>(event: K) => {
      const handler = handlers[event] as ((arg: BaileysEventMap[K]) => void) | undefined;
      if (handler) sock.ev.off(event, handler);
    };
    const events = Object.keys(handlers) as (keyof BaileysEventMap)[];
    events.forEach(on);
    current = { sock, generation: gen, detach: () => events.forEach(off) };
  };

  const scheduleReconnect = (code: number | undefined) => {
    const immediate = code === DisconnectReason.restartRequired && !restartedWithoutOpen;
    restartedWithoutOpen = immediate;
    const delay = immediate ? 0 : Math.min(backoffInitialMs * 2 ** reconnectAttempt, backoffMaxMs);
    if (!immediate) reconnectAttempt += 1;
    setStatus({
      state: "closed",
      lastDisconnectCode: code,
      detail: immediate ? "restarting after pairing" : `reconnecting in ${Math.round(delay / 1000)} s`,
    });
    log.info({ code, delayMs: delay }, immediate ? "whatsapp: restart required, reconnecting now" : "whatsapp: connection closed, reconnecting");
    const signal = stopController.signal;
    const scheduledIn = generation;
    void clock.sleep(delay, signal).then(() => {
      // Not after stop(), nor when relink() already made a new socket meanwhile.
      if (stopped || signal.aborted || generation !== scheduledIn) return;
      connect();
    });
  };

  const onConnectionUpdate = (
    gen: number,
    sock: WASocketLike,
    update: BaileysEventMap["connection.update"],
  ) => {
    if (gen !== generation) return; // an old socket's late news
    if (update.qr) onQr(gen, sock, update.qr);
    if (update.connection === "open") {
      reconnectAttempt = 0;
      restartedWithoutOpen = false;
      lastQr = undefined;
      setStatus({ state: "open" });
      log.info({}, "whatsapp: connected");
    } else if (update.connection === "connecting" && status.state !== "qr" && status.state !== "pairing_code") {
      setStatus({ state: "connecting" });
    } else if (update.connection === "close") {
      current?.detach();
      current = undefined;
      const code = disconnectCode(update.lastDisconnect?.error);
      if (stopped) {
        setStatus({ state: "closed", lastDisconnectCode: code, detail: "stopped" });
        return;
      }
      if (code === DisconnectReason.loggedOut) {
        setStatus({
          state: "logged_out",
          lastDisconnectCode: code,
          detail: "WhatsApp logged this device out. Pair again: open the staff WhatsApp page and scan the new QR code.",
        });
        log.error(
          { code },
          "whatsapp: LOGGED OUT by WhatsApp (device removed from Linked Devices, or session invalid). " +
            "The channel has stopped and will not reconnect. Pair again: call relink() from the staff page " +
            "(or clear the WhatsAppAuth table and restart), then scan the QR code / enter the pairing code on the office phone.",
        );
        return;
      }
      scheduleReconnect(code);
    }
  };

  const onQr = (gen: number, sock: WASocketLike, qr: string) => {
    if (pairingPhone && auth && !auth.state.creds.registered) {
      if (pairingRequestedGen === gen) {
        // One code per socket; if asking for it failed, keep showing the (refreshed) QR instead.
        if (pairingFallbackGen === gen) showQr(qr);
        return;
      }
      pairingRequestedGen = gen;
      setStatus({ state: "pairing_code", detail: "requesting a pairing code" });
      sock.requestPairingCode(pairingPhone).then(
        (code) => {
          if (gen !== generation) return;
          setStatus({ state: "pairing_code", pairingCode: code, detail: "WhatsApp > Linked devices > Link with phone number" });
          log.info({}, `whatsapp: pairing code ready (${code}); enter it on the office phone`);
        },
        (err: unknown) => {
          if (gen !== generation) return;
          log.warn({ err: errorText(err) }, "whatsapp: pairing code request failed, showing the QR code instead");
          pairingFallbackGen = gen;
          showQr(qr);
        },
      );
      return;
    }
    showQr(qr);
  };

  const showQr = (qr: string) => {
    if (qr === lastQr) return;
    lastQr = qr;
    setStatus({ state: "qr", qr, detail: "WhatsApp > Linked devices > Link a device, then scan" });
    log.info({}, "whatsapp: new QR code; scan it with the office phone (terminal or staff page)");
    QRCode.toString(qr, { type: "terminal", small: true }).then(
      (text) => printQr(text),
      (err: unknown) => log.warn({ err: errorText(err) }, "whatsapp: could not render the QR code"),
    );
  };

  // ---- inbound --------------------------------------------------------------------------------
  /** LID -> phone-number JID, learnt from message keys and Baileys' mapping events. */
  const lidToPn = new Map<string, string>();
  /** Phone-number JIDs known to be on WhatsApp (wrote to us, or checked). */
  const knownOnWhatsApp = new Set<string>();
  const rememberMapping = (lid: string | undefined, pn: string | undefined) => {
    if (!lid || !pn) return;
    const l = jidNormalizedUser(lid);
    const p = jidNormalizedUser(pn);
    if (l && p) lidToPn.set(l, p);
  };

  /** Resolution of addresses runs in arrival order (one chain), handling runs per person. */
  let intake: Promise<void> = Promise.resolve();
  const personChains = new Map<string, Promise<void>>();

  const resolveSender = async (
    sock: WASocketLike,
    key: WAMessage["key"],
  ): Promise<{ address: string; pn?: string }> => {
    const { pn, lid } = senderJids(key);
    if (pn) {
      if (lid) lidToPn.set(lid, pn);
      return { address: pn, pn };
    }
    if (!lid) throw new Error("no sender JID");
    let mapped = lidToPn.get(lid);
    if (!mapped && sock.signalRepository?.lidMapping) {
      try {
        const found = await sock.signalRepository.lidMapping.getPNForLID(lid);
        if (found) mapped = jidNormalizedUser(found) || undefined;
      } catch (err) {
        log.warn({ from: redact(lid), err: errorText(err) }, "whatsapp: LID lookup failed");
      }
      if (mapped) lidToPn.set(lid, mapped);
    }
    return mapped ? { address: mapped, pn: mapped } : { address: lid };
  };

  const onUpsert = (sock: WASocketLike, upsert: BaileysEventMap["messages.upsert"]) => {
    // "notify": live; "append": delivered after being offline (also our own sends: skipped as fromMe).
    for (const msg of upsert.messages) {
      const skip = skipReason(msg);
      if (skip) {
        log.debug({ skip, type: upsert.type }, "whatsapp: message skipped");
        continue;
      }
      const content = classifyContent(msg.message);
      if (content.kind === "ignore") {
        log.debug({ reason: content.reason }, "whatsapp: message ignored");
        continue;
      }
      intake = intake
        .then(async () => {
          const sender = await resolveSender(sock, msg.key);
          enqueueForPerson(sender.address, () => processMessage(sock, msg, content, sender));
        })
        .catch((err: unknown) => {
          log.warn({ err: errorText(err) }, "whatsapp: message without a usable sender");
        });
    }
  };

  const enqueueForPerson = (address: string, work: () => Promise<void>) => {
    const previous = personChains.get(address) ?? Promise.resolve();
    const next = previous.then(work).catch((err: unknown) => {
      log.error({ from: redact(address), err: errorText(err) }, "whatsapp: inbound processing failed");
    });
    personChains.set(address, next);
    void next.then(() => {
      if (personChains.get(address) === next) personChains.delete(address);
    });
  };

  const buildBody = async (
    sock: WASocketLike,
    msg: WAMessage,
    content: Exclude<ClassifiedContent, { kind: "ignore" }>,
    senderPhone: string | undefined,
  ): Promise<InboundBody> => {
    switch (content.kind) {
      case "text":
        return { type: "text", text: content.text };
      case "location":
        return { type: "location", latitude: content.latitude, longitude: content.longitude };
      case "unsupported":
        return { type: "unsupported", what: content.what };
      case "contact": {
        const candidates: { phone: string; name?: string }[] = [];
        for (const card of content.cards) {
          const parsed = card.vcard ? parseVCard(card.vcard) : { phones: [] };
          for (const tel of parsed.phones) {
            const phone = tel.waid ? `+${tel.waid}` : toE164(tel.value, defaultCountryCode);
            if (phone) candidates.push({ phone, name: parsed.name ?? card.displayName });
          }
        }
        const own = senderPhone ? candidates.find((c) => c.phone === senderPhone) : undefined;
        const chosen = own ?? candidates[0];
        if (!chosen) return { type: "unsupported", what: "contact_without_phone" };
        return { type: "contact", phone: chosen.phone, name: chosen.name, isOwn: own !== undefined };
      }
      case "media": {
        if (content.size !== undefined && content.size > maxInboundFileBytes) {
          return { type: "rejected_media", reason: "too_large", size: content.size, limitBytes: maxInboundFileBytes };
        }
        let bytes: Buffer;
        try {
          bytes = await downloadMedia(msg, current?.sock ?? sock);
        } catch (err) {
          log.warn({ err: errorText(err) }, "whatsapp: media download failed");
          return { type: "unsupported", what: "media_download_failed" };
        }
        if (bytes.length > maxInboundFileBytes) {
          return { type: "rejected_media", reason: "too_large", size: bytes.length, limitBytes: maxInboundFileBytes };
        }
        return {
          type: "media",
          media: {
            kind: content.mediaKind,
            mimeType: content.mimeType,
            fileName: content.fileName,
            caption: content.caption,
            bytes,
          },
        };
      }
    }
  };

  const processMessage = async (
    sock: WASocketLike,
    msg: WAMessage,
    content: Exclude<ClassifiedContent, { kind: "ignore" }>,
    sender: { address: string; pn?: string },
  ) => {
    const handler = onInbound;
    if (!handler) return;
    const phone = phoneOfJid(sender.pn);
    if (sender.pn) knownOnWhatsApp.add(sender.pn);
    const body = await buildBody(sock, msg, content, phone);
    const seconds = longToNumber(msg.messageTimestamp);
    const profile: NonNullable<Inbound["profile"]> = {};
    if (msg.pushName) profile.displayName = msg.pushName;
    if (phone) profile.phone = phone;
    const inbound: Inbound = {
      from: { channel: "whatsapp", id: sender.address },
      // Same key on a replay after reconnect, so the app deduplicates on it.
      messageId: `${msg.key.remoteJid}:${msg.key.id}`,
      receivedAt: new Date(seconds ? seconds * 1000 : clock.now()),
      body,
      ...(Object.keys(profile).length > 0 ? { profile } : {}),
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handler(inbound);
        return;
      } catch (err) {
        if (attempt >= handlerAttempts) {
          log.error(
            { from: redact(sender.address), body: body.type, attempts: attempt, err: errorText(err) },
            "whatsapp: inbound handler failed; message dropped",
          );
          return;
        }
        log.warn({ from: redact(sender.address), attempt, err: errorText(err) }, "whatsapp: inbound handler failed, retrying");
        await clock.sleep(1000 * 2 ** (attempt - 1), stopController.signal);
      }
    }
  };

  const idle = async () => {
    for (;;) {
      const seenIntake = intake;
      await Promise.all([seenIntake, ...personChains.values()]);
      if (intake === seenIntake && personChains.size === 0) return;
    }
  };

  // ---- outbound -------------------------------------------------------------------------------
  const pacer = new SendPacer({ clock, globalGapMs: sendIntervalMs, chatGapMs: perChatIntervalMs });
  const progress = new SendProgress(60 * 60 * 1000, () => clock.now());

  const openSocket = (): WASocketLike => {
    if (!current || status.state !== "open") {
      throw new ChannelSendError("WhatsApp is not connected", "retry");
    }
    return current.sock;
  };

  const send: Channel["send"] = async (to, msg, resolveFile) => {
    const jid = toSendJid(to);
    if (!jid) throw new ChannelSendError("not a WhatsApp address", "permanent");
    const sock = openSocket();

    const contents: AnyMessageContent[] = [];
    if (msg.type === "text") {
      let text = msg.text;
      if (msg.choices && msg.choices.length > 0) {
        text += `\n\n${msg.choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n")}`;
      }
      // requestContact: WhatsApp already knows the number (profile.phone); nothing to add.
      for (const part of splitText(text, maxTextLength)) contents.push({ text: part });
    } else {
      let bytes: Buffer;
      try {
        bytes = await resolveFile(msg.storageKey);
      } catch (err) {
        throw new ChannelSendError(`could not read the stored file: ${errorText(err)}`, "retry");
      }
      const caption = msg.caption?.trim() ? msg.caption : undefined;
      const captionFits = caption === undefined || caption.length <= WHATSAPP_DEFAULTS.maxCaptionLength;
      contents.push({
        document: bytes,
        fileName: msg.fileName,
        mimetype: msg.mimeType,
        ...(caption && captionFits ? { caption } : {}),
      });
      if (caption && !captionFits) {
        for (const part of splitText(caption, maxTextLength)) contents.push({ text: part });
      }
    }

    await ensureOnWhatsApp(sock, jid);
    // A retry of a message whose first parts went out sends only the rest.
    const progressKey = progress.key(jid, msg);
    const alreadySent = progress.delivered(progressKey);
    for (const [index, content] of contents.entries()) {
      if (index < alreadySent) continue;
      await pacer.run(
        jid,
        async () => {
          if (stopped) throw new ChannelSendError("WhatsApp channel stopped", "retry");
          const live = openSocket();
          try {
            rememberSent(await live.sendMessage(jid, content));
          } catch (err) {
            const mapped = toChannelSendError(err);
            log.warn({ to: redact(jid), kind: mapped.kind, err: errorText(err) }, "whatsapp: send failed");
            throw mapped;
          }
        },
        stopController.signal,
      );
      progress.record(progressKey, index + 1);
    }
    progress.finish(progressKey);
  };

  /** Only for a phone number never seen: ask WhatsApp whether it has an account. */
  const ensureOnWhatsApp = async (sock: WASocketLike, jid: string) => {
    if (!jid.endsWith("@s.whatsapp.net") || knownOnWhatsApp.has(jid)) return;
    let result: Awaited<ReturnType<WASocketLike["onWhatsApp"]>>;
    try {
      result = await sock.onWhatsApp(jid);
    } catch (err) {
      throw toChannelSendError(err);
    }
    if (result && !result.some((r) => r.exists)) {
      throw new ChannelSendError("this number is not on WhatsApp", "permanent");
    }
    knownOnWhatsApp.add(jid);
  };

  // ---- channel --------------------------------------------------------------------------------
  const limits: ChannelLimits = {
    maxTextLength,
    maxInboundFileBytes,
    perChatPerSecond: 1000 / perChatIntervalMs,
    globalPerSecond: 1000 / sendIntervalMs,
  };

  return {
    name: "whatsapp",
    limits,
    pairing,
    async start(handler) {
      if (!stopped) throw new Error("whatsapp channel already started");
      onInbound = handler;
      stopped = false;
      stopController = new AbortController();
      reconnectAttempt = 0;
      if (!auth) {
        try {
          auth = await useDatabaseAuthState(opts.store);
        } catch (err) {
          stopped = true;
          throw err;
        }
        loadKeyStore();
      }
      connect();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      stopController.abort();
      const conn = current;
      if (conn) {
        try {
          await conn.sock.end(undefined);
        } catch (err) {
          log.warn({ err: errorText(err) }, "whatsapp: error while closing the socket");
        }
        if (current === conn) {
          conn.detach();
          current = undefined;
        }
      }
      generation += 1;
      setStatus({ state: "closed", detail: "stopped" });
      // Let handlers of messages already received finish, but never hang a shutdown on one.
      const drained = new AbortController();
      await Promise.race([idle().finally(() => drained.abort()), clock.sleep(STOP_DRAIN_MS, drained.signal)]);
    },
    send,
    async relink() {
      if (stopped || !auth) throw new Error("whatsapp channel not started");
      const conn = current;
      generation += 1; // the old socket's close must not trigger a reconnect
      if (conn) {
        conn.detach();
        current = undefined;
        await conn.sock.end(undefined).catch(() => undefined);
      }
      await auth.reset();
      loadKeyStore(); // drop cached keys of the old login
      reconnectAttempt = 0;
      restartedWithoutOpen = false;
      log.warn({}, "whatsapp: stored login cleared; pair again with the new QR code / pairing code");
      connect();
    },
    idle,
  };
}
