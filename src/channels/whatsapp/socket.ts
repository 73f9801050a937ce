/**
 * The part of Baileys' socket and logger the channel uses, as types. The connection makes sockets,
 * the inbound and outbound sides only use them; tests pass objects of these shapes.
 */
import type { BaileysEventEmitter, SocketConfig, WASocket } from "@whiskeysockets/baileys";

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
    lidMapping?: Pick<WASocket["signalRepository"]["lidMapping"], "getPNForLID"> &
      Partial<Pick<WASocket["signalRepository"]["lidMapping"], "getLIDForPN">>;
  };
};
