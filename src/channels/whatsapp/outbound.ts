/**
 * The outbound side: an `Outbound` becomes WhatsApp messages (numbered choices as text, documents
 * with a caption that fits), each sent in its pacing slot on the open socket. A retry of a
 * message whose first parts went out sends only the rest.
 */
import type { AnyMessageContent, WAMessage, WAMessageKey, proto } from "@whiskeysockets/baileys";
import { splitText, type Channel } from "../channel.js";
import { ChannelSendError, type Outbound } from "../../messaging/model.js";
import { SendProgress } from "../send-progress.js";
import type { Clock } from "../../shared/clock.js";
import type { AddressBook } from "./addresses.js";
import { WHATSAPP_DEFAULTS } from "./defaults.js";
import { errorText, toChannelSendError } from "./errors.js";
import { redact } from "./inbound.js";
import type { SendPacer } from "./pacer.js";
import type { WASocketLike, WhatsAppLogger } from "./socket.js";

type TextOutbound = Extract<Outbound, { type: "text" }>;
type DocumentOutbound = Exclude<Outbound, TextOutbound>;

/** A text with its choices as a numbered list (WhatsApp Web has no buttons), split to fit. */
export function planText(msg: TextOutbound, maxTextLength: number): AnyMessageContent[] {
  let text = msg.text;
  if (msg.choices && msg.choices.length > 0) {
    text += `\n\n${msg.choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n")}`;
  }
  // requestContact: WhatsApp already knows the number (profile.phone); nothing to add.
  return splitText(text, maxTextLength).map((part) => ({ text: part }));
}

/** A document, its caption beside it when short enough, else after it as text. */
export function planDocument(msg: DocumentOutbound, bytes: Buffer, maxTextLength: number): AnyMessageContent[] {
  const caption = msg.caption?.trim() ? msg.caption : undefined;
  const captionFits = caption === undefined || caption.length <= WHATSAPP_DEFAULTS.maxCaptionLength;
  const contents: AnyMessageContent[] = [
    {
      document: bytes,
      fileName: msg.fileName,
      mimetype: msg.mimeType,
      ...(caption && captionFits ? { caption } : {}),
    },
  ];
  if (caption && !captionFits) {
    for (const part of splitText(caption, maxTextLength)) contents.push({ text: part });
  }
  return contents;
}

/** Messages we sent, for Baileys' getMessage (re-encrypting on a recipient's retry request). */
export class SentMessages {
  private readonly byId = new Map<string, proto.IMessage>();

  constructor(private readonly limit = 500) {}

  remember(msg: WAMessage | undefined): void {
    if (!msg?.key.id || !msg.message) return;
    this.byId.set(msg.key.id, msg.message);
    if (this.byId.size > this.limit) {
      const oldest = this.byId.keys().next().value;
      if (oldest !== undefined) this.byId.delete(oldest);
    }
  }

  get(key: WAMessageKey): proto.IMessage | undefined {
    return key.id ? this.byId.get(key.id) : undefined;
  }
}

/** What the outbound side needs of the connection. */
export interface SocketSource {
  readonly running: boolean;
  readonly stopSignal: AbortSignal;
  openSocket(): WASocketLike | undefined;
}

export interface OutboundOptions {
  log: WhatsAppLogger;
  clock: Clock;
  connection: SocketSource;
  addresses: AddressBook;
  pacer: SendPacer;
  sent: SentMessages;
  maxTextLength: number;
}

export class WhatsAppOutbound {
  private readonly progress: SendProgress;

  constructor(private readonly opts: OutboundOptions) {
    this.progress = new SendProgress(60 * 60 * 1000, () => opts.clock.now().getTime());
  }

  readonly send: Channel["send"] = async (to, msg, resolveFile) => {
    const { opts, progress } = this;
    const jid = opts.addresses.recipientJid(to);
    if (!jid) throw new ChannelSendError("not a WhatsApp address", "permanent");
    const sock = this.openSocket();

    let contents: AnyMessageContent[];
    if (msg.type === "text") {
      contents = planText(msg, opts.maxTextLength);
    } else {
      let bytes: Buffer;
      try {
        bytes = await resolveFile(msg.storageKey);
      } catch (err) {
        throw new ChannelSendError(`could not read the stored file: ${errorText(err)}`, "retry");
      }
      contents = planDocument(msg, bytes, opts.maxTextLength);
    }

    await this.ensureOnWhatsApp(sock, jid);
    const progressKey = progress.key(jid, msg);
    const alreadySent = progress.delivered(progressKey);
    // The key id of the last part sent: a consultant's quoted reply to a relayed message names it.
    let lastId: string | undefined;
    for (const [index, content] of contents.entries()) {
      if (index < alreadySent) continue;
      await opts.pacer.run(
        jid,
        async () => {
          if (!opts.connection.running) throw new ChannelSendError("WhatsApp channel stopped", "retry");
          const live = this.openSocket();
          try {
            const sent = await live.sendMessage(jid, content);
            opts.sent.remember(sent);
            lastId = sent?.key.id ?? lastId;
          } catch (err) {
            const mapped = toChannelSendError(err);
            opts.log.warn({ to: redact(jid), kind: mapped.kind, err: errorText(err) }, "whatsapp: send failed");
            throw mapped;
          }
        },
        opts.connection.stopSignal,
      );
      progress.record(progressKey, index + 1);
    }
    progress.finish(progressKey);
    return lastId ? { providerMessageId: lastId } : {};
  };

  private openSocket(): WASocketLike {
    const sock = this.opts.connection.openSocket();
    if (!sock) throw new ChannelSendError("WhatsApp is not connected", "retry");
    return sock;
  }

  /** Only for a phone number never seen: ask WhatsApp whether it has an account. */
  private async ensureOnWhatsApp(sock: WASocketLike, jid: string): Promise<void> {
    const { addresses } = this.opts;
    if (!jid.endsWith("@s.whatsapp.net") || addresses.isOnWhatsApp(jid)) return;
    let result: Awaited<ReturnType<WASocketLike["onWhatsApp"]>>;
    try {
      result = await sock.onWhatsApp(jid);
    } catch (err) {
      throw toChannelSendError(err);
    }
    if (result && !result.some((r) => r.exists)) {
      throw new ChannelSendError("this number is not on WhatsApp", "permanent");
    }
    addresses.markOnWhatsApp(jid);
  }
}
