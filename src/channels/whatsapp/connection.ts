/**
 * The WhatsApp Web connection: the login state kept in the database, one Baileys socket at a time,
 * the QR code / pairing code for staff, reconnecting by the reconnect policy, relinking. The
 * inbound side gets each live socket's messages through `events`; the outbound side asks for the
 * open socket.
 */
import QRCode from "qrcode";
import {
  Browsers,
  makeCacheableSignalKeyStore,
  type BaileysEventMap,
  type SignalKeyStore,
  type SocketConfig,
  type UserFacingSocketConfig,
  type WAMessageKey,
  type proto,
} from "@whiskeysockets/baileys";
import type { Clock } from "../../shared/clock.js";
import { useDatabaseAuthState, type AuthKeyValueStore, type DatabaseAuthState } from "./auth-state.js";
import { disconnectCode, errorText } from "./errors.js";
import { PairingBoard, type PairingObservable } from "./pairing.js";
import {
  FRESH_RECONNECT_STATE,
  LOGIN_IS_DEAD,
  reconnectPolicy,
  type HaltReason,
  type ReconnectBackoff,
  type ReconnectState,
} from "./reconnect-policy.js";
import type { WASocketLike, WhatsAppLogger } from "./socket.js";

/** What a live socket reports that is not about the connection itself. */
export interface ConnectionEvents {
  messages(sock: WASocketLike, upsert: BaileysEventMap["messages.upsert"]): void;
  lidMapping(mapping: BaileysEventMap["lid-mapping.update"]): void;
  /** Status changes of messages (ours: server ack, delivered, read, or ERROR with its code). */
  updates(updates: BaileysEventMap["messages.update"]): void;
}

export interface ConnectionOptions {
  store: AuthKeyValueStore;
  log: WhatsAppLogger;
  /** The quieter logger handed to Baileys itself. */
  baileysLogger: WhatsAppLogger;
  makeSocket: (config: UserFacingSocketConfig) => WASocketLike;
  socketConfig?: Partial<Omit<SocketConfig, "auth" | "logger">>;
  /** Digits only: log in by pairing code instead of QR. */
  pairingPhone?: string;
  printQr: (terminalQr: string) => void;
  clock: Clock;
  backoff: ReconnectBackoff;
  /** A message we sent, for Baileys to encrypt again when the recipient asks for a retry. */
  sentMessage: (key: WAMessageKey) => Promise<proto.IMessage | undefined>;
  events: ConnectionEvents;
  /** The connection stopped for good and waits for staff (tell the admins elsewhere). */
  onHalt?: (reason: HaltReason, code: number | undefined) => void;
}

/** What staff read on the WhatsApp page after a halt; no personal data. */
const HALT_DETAIL: Record<HaltReason, string> = {
  logged_out: "WhatsApp logged this device out. Press Relink and scan the new QR code with the office phone.",
  bad_session: "WhatsApp reported a broken session. Press Relink and scan the new QR code with the office phone.",
  banned: "WhatsApp refuses this number (banned or restricted). Check the office phone; do not relink until WhatsApp lifts it.",
  replaced: "Another WhatsApp Web session took over this login (another server or browser?). Close it, then press Relink.",
};

type Live = { sock: WASocketLike; generation: number; detach: () => void };

export class WhatsAppConnection {
  private readonly board: PairingBoard;
  private auth: DatabaseAuthState | undefined;
  /** The stored keys behind Baileys' read cache; one cache for all sockets of one login. */
  private keyStore: SignalKeyStore | undefined;
  private current: Live | undefined;
  /** Counts sockets; news of an older socket than the current one is ignored. */
  private generation = 0;
  private stopped = true;
  private stopController = new AbortController();
  private reconnect: ReconnectState = FRESH_RECONNECT_STATE;
  private lastQr: string | undefined;
  private pairingRequestedGen = 0;
  private pairingFallbackGen = 0;

  constructor(private readonly opts: ConnectionOptions) {
    this.board = new PairingBoard(opts.clock, opts.log);
  }

  get pairing(): PairingObservable {
    return this.board;
  }

  /** False before start() and after stop(). */
  get running(): boolean {
    return !this.stopped;
  }

  /** Aborts on stop(): waits of the inbound and outbound sides end with it. */
  get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }

  /** The socket when the connection is open, else undefined. */
  openSocket(): WASocketLike | undefined {
    return this.current && this.board.get().state === "open" ? this.current.sock : undefined;
  }

  /** The newest socket, open or not. */
  currentSocket(): WASocketLike | undefined {
    return this.current?.sock;
  }

  /** Loads the stored login (first time only) and opens a socket. */
  async start(): Promise<void> {
    if (!this.stopped) throw new Error("whatsapp channel already started");
    this.stopped = false;
    this.stopController = new AbortController();
    this.reconnect = { ...this.reconnect, attempt: 0 };
    if (!this.auth) {
      try {
        this.auth = await useDatabaseAuthState(this.opts.store);
      } catch (err) {
        this.stopped = true;
        throw err;
      }
      this.loadKeyStore();
    }
    this.connect();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopController.abort();
    const conn = this.current;
    if (conn) {
      try {
        await conn.sock.end(undefined);
      } catch (err) {
        this.opts.log.warn({ err: errorText(err) }, "whatsapp: error while closing the socket");
      }
      if (this.current === conn) {
        conn.detach();
        this.current = undefined;
      }
    }
    this.generation += 1;
    this.board.set({ state: "closed", detail: "stopped" });
  }

  /** Stopped because another instance holds the login: say so on the pairing page. */
  showStandby(): void {
    if (this.stopped) this.board.set({ state: "standby", detail: "another server holds the WhatsApp login; this one takes over if it stops" });
  }

  /** Forgets the stored login and opens a new socket, which shows a fresh QR / pairing code. */
  async relink(): Promise<void> {
    if (this.stopped || !this.auth) {
      // Not running (stopped, or never started): forget the login; the next start pairs afresh.
      this.auth ??= await useDatabaseAuthState(this.opts.store);
      await this.auth.reset();
      this.loadKeyStore();
      this.board.set({ state: "closed", detail: "stored login cleared; a fresh QR code comes with the next start" });
      return;
    }
    const conn = this.current;
    this.generation += 1; // the old socket's close must not trigger a reconnect
    if (conn) {
      conn.detach();
      this.current = undefined;
      await conn.sock.end(undefined).catch(() => undefined);
    }
    await this.auth.reset();
    this.loadKeyStore(); // drop cached keys of the old login
    this.reconnect = FRESH_RECONNECT_STATE;
    this.opts.log.warn({}, "whatsapp: stored login cleared; pair again with the new QR code / pairing code");
    this.connect();
  }

  private loadKeyStore(): void {
    if (this.auth) this.keyStore = makeCacheableSignalKeyStore(this.auth.state.keys, this.opts.baileysLogger);
  }

  private connect(): void {
    const { opts } = this;
    const auth = this.auth;
    if (!auth) throw new Error("whatsapp: auth state not loaded");
    this.generation += 1;
    const gen = this.generation;
    this.lastQr = undefined;
    this.board.set({ state: "connecting" });
    const config: UserFacingSocketConfig = {
      browser: Browsers.ubuntu("Chrome"),
      markOnlineOnConnect: false, // staff keep getting notifications on the phone
      syncFullHistory: false,
      getMessage: (key) => opts.sentMessage(key),
      ...opts.socketConfig,
      logger: opts.baileysLogger,
      auth: { creds: auth.state.creds, keys: this.keyStore ?? auth.state.keys },
    };
    let sock: WASocketLike;
    try {
      sock = opts.makeSocket(config);
    } catch (err) {
      opts.log.error({ err: errorText(err) }, "whatsapp: could not create the socket");
      this.scheduleReconnect(undefined);
      return;
    }
    const handlers: { [K in keyof BaileysEventMap]?: (arg: BaileysEventMap[K]) => void } = {
      "creds.update": () => {
        this.auth?.saveCreds().catch((err: unknown) => {
          opts.log.error({ err: errorText(err) }, "whatsapp: saving credentials failed");
        });
      },
      "connection.update": (update) => this.onConnectionUpdate(gen, sock, update),
      "messages.upsert": (upsert) => opts.events.messages(sock, upsert),
      "lid-mapping.update": (mapping) => opts.events.lidMapping(mapping),
      "messages.update": (updates) => opts.events.updates(updates),
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
    this.current = { sock, generation: gen, detach: () => events.forEach(off) };
  }

  private scheduleReconnect(code: number | undefined): void {
    const step = reconnectPolicy(code, this.reconnect, this.opts.backoff);
    if (step.action === "stop") return void this.halt(step.reason, code);
    this.reconnect = step.next;
    const { delayMs, immediate } = step;
    this.board.set({
      state: "closed",
      lastDisconnectCode: code,
      detail: immediate ? "restarting after pairing" : `reconnecting in ${Math.round(delayMs / 1000)} s`,
    });
    this.opts.log.info(
      { code, delayMs },
      immediate ? "whatsapp: restart required, reconnecting now" : "whatsapp: connection closed, reconnecting",
    );
    const signal = this.stopController.signal;
    const scheduledIn = this.generation;
    void this.opts.clock.sleep(delayMs, signal).then(() => {
      // Not after stop(), nor when relink() already made a new socket meanwhile.
      if (this.stopped || signal.aborted || this.generation !== scheduledIn) return;
      this.connect();
    });
  }

  /** Stops reconnecting and waits for staff; a dead login is cleared so a restart cannot reload it. */
  private async halt(reason: HaltReason, code: number | undefined): Promise<void> {
    const gen = this.generation;
    this.board.set({ state: reason, lastDisconnectCode: code, detail: HALT_DETAIL[reason] });
    this.opts.log.error(
      { code, reason },
      "whatsapp: the channel has STOPPED and will not reconnect by itself. " +
        "Open the staff WhatsApp page and press Relink (then scan the QR code / enter the pairing code on the office phone).",
    );
    try {
      this.opts.onHalt?.(reason, code);
    } catch (err) {
      this.opts.log.error({ err: errorText(err) }, "whatsapp: telling the admins about the halt failed");
    }
    if (LOGIN_IS_DEAD.has(reason) && this.auth) {
      try {
        await this.auth.reset();
        if (gen === this.generation) this.loadKeyStore();
      } catch (err) {
        this.opts.log.error({ err: errorText(err) }, "whatsapp: clearing the dead login failed");
      }
    }
  }

  private onConnectionUpdate(gen: number, sock: WASocketLike, update: BaileysEventMap["connection.update"]): void {
    if (gen !== this.generation) return; // an old socket's late news
    if (update.qr) this.onQr(gen, sock, update.qr);
    const state = this.board.get().state;
    if (update.connection === "open") {
      this.reconnect = FRESH_RECONNECT_STATE;
      this.lastQr = undefined;
      this.board.set({ state: "open" });
      this.opts.log.info({}, "whatsapp: connected");
    } else if (update.connection === "connecting" && state !== "qr" && state !== "pairing_code") {
      this.board.set({ state: "connecting" });
    } else if (update.connection === "close") {
      this.current?.detach();
      this.current = undefined;
      const code = disconnectCode(update.lastDisconnect?.error);
      if (this.stopped) {
        this.board.set({ state: "closed", lastDisconnectCode: code, detail: "stopped" });
        return;
      }
      this.scheduleReconnect(code);
    }
  }

  private onQr(gen: number, sock: WASocketLike, qr: string): void {
    const { pairingPhone, log } = this.opts;
    if (pairingPhone && this.auth && !this.auth.state.creds.registered) {
      if (this.pairingRequestedGen === gen) {
        // One code per socket; if asking for it failed, keep showing the (refreshed) QR instead.
        if (this.pairingFallbackGen === gen) this.showQr(qr);
        return;
      }
      this.pairingRequestedGen = gen;
      this.board.set({ state: "pairing_code", detail: "requesting a pairing code" });
      sock.requestPairingCode(pairingPhone).then(
        (code) => {
          if (gen !== this.generation) return;
          this.board.set({ state: "pairing_code", pairingCode: code, detail: "WhatsApp > Linked devices > Link with phone number" });
          log.info({}, `whatsapp: pairing code ready (${code}); enter it on the office phone`);
        },
        (err: unknown) => {
          if (gen !== this.generation) return;
          log.warn({ err: errorText(err) }, "whatsapp: pairing code request failed, showing the QR code instead");
          this.pairingFallbackGen = gen;
          this.showQr(qr);
        },
      );
      return;
    }
    this.showQr(qr);
  }

  private showQr(qr: string): void {
    if (qr === this.lastQr) return;
    this.lastQr = qr;
    this.board.set({ state: "qr", qr, detail: "WhatsApp > Linked devices > Link a device, then scan" });
    this.opts.log.info({}, "whatsapp: new QR code; scan it with the office phone (terminal or staff page)");
    QRCode.toString(qr, { type: "terminal", small: true }).then(
      (text) => this.opts.printQr(text),
      (err: unknown) => this.opts.log.warn({ err: errorText(err) }, "whatsapp: could not render the QR code"),
    );
  }
}
