/**
 * The outbound side: an `Outbound` becomes WhatsApp messages (numbered choices as text, documents
 * with a caption that fits), each sent in its pacing slot on the open socket. A retry of a
 * message whose first parts went out sends only the rest.
 */
import { proto, type AnyMessageContent, type WAMessage, type WAMessageKey } from "@whiskeysockets/baileys";
import { z } from "zod";
import type { AuthKeyValueStore } from "./auth-state.js";
import { splitText, type Channel } from "../channel.js";
import { ChannelSendError, type Outbound } from "../../messaging/model.js";
import { SendProgress } from "../send-progress.js";
import type { Clock } from "../../shared/clock.js";
import type { AddressBook } from "./addresses.js";
import { WHATSAPP_DEFAULTS } from "./defaults.js";
import { errorText, toChannelSendError } from "./errors.js";
import { redact, toSendJid } from "./inbound.js";
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

/** One message we sent: its content (for retries) and to whom and when (for delivery errors). */
export interface SentMessage {
  message: proto.IMessage;
  /** The address the outbox asked to send to (its row's address). */
  to: string;
  sentAt: Date;
  /** The id the send returned as its receipt (its first part's): what the outbox row records. */
  receiptId: string;
}

/** Store keys of the persisted sends (beside Baileys' keys, whose types never contain "-sent"). */
const SENT_PREFIX = "wa-sent/";
const SENT_INDEX = "wa-sent-index";
/** A persisted send as written by `persist` (read back through zod: the store is a boundary). */
const ZStoredSend = z.object({ message: z.string(), to: z.string(), sentAt: z.string(), receiptId: z.string().optional() });

/**
 * Messages we sent, for Baileys' getMessage (re-encrypting on a recipient's retry request) and to
 * tie a later delivery error (`messages.update`) to the outbox row. The newest `limit` only, kept
 * in the login's key-value store too, so a restart can still answer retry requests (a relink
 * clears them with the login: the new login never sent them).
 */
export class SentMessages {
  private readonly byId = new Map<string, SentMessage>();
  /** Ids persisted, oldest first; loaded from the store on the first write. */
  private index: string[] | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly store?: AuthKeyValueStore,
    private readonly limit = 500,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  remember(msg: WAMessage | undefined, to: string, sentAt: Date, receiptId?: string): void {
    const id = msg?.key.id;
    if (!id || !msg.message) return;
    const entry = { message: msg.message, to, sentAt, receiptId: receiptId ?? id };
    this.byId.set(id, entry);
    if (this.byId.size > this.limit) {
      const oldest = this.byId.keys().next().value;
      if (oldest !== undefined) this.byId.delete(oldest);
    }
    if (this.store) this.writes = this.writes.then(() => this.persist(id, entry)).catch(this.onError);
  }

  private async persist(id: string, entry: SentMessage): Promise<void> {
    const store = this.store!;
    if (!this.index) {
      const raw = await store.get(SENT_INDEX);
      const parsed = raw ? z.array(z.string()).safeParse(JSON.parse(raw)) : undefined;
      this.index = parsed?.success ? parsed.data : [];
    }
    const index = this.index.filter((x) => x !== id);
    index.push(id);
    const evicted = index.splice(0, Math.max(0, index.length - this.limit));
    const entries: Record<string, string | null> = {
      [`${SENT_PREFIX}${id}`]: JSON.stringify({
        message: Buffer.from(proto.Message.encode(proto.Message.fromObject(entry.message)).finish()).toString("base64"),
        to: entry.to,
        sentAt: entry.sentAt.toISOString(),
        receiptId: entry.receiptId,
      }),
      [SENT_INDEX]: JSON.stringify(index),
    };
    for (const old of evicted) entries[`${SENT_PREFIX}${old}`] = null;
    await store.setMany(entries);
    this.index = index;
  }

  /** Resolves once every send remembered so far is stored. */
  async flushed(): Promise<void> {
    await this.writes;
  }

  async get(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    return (await this.sentAsync(key.id))?.message;
  }

  /** In memory only (delivery errors come shortly after the send). */
  sent(id: string | null | undefined): SentMessage | undefined {
    return id ? this.byId.get(id) : undefined;
  }

  private async sentAsync(id: string | null | undefined): Promise<SentMessage | undefined> {
    if (!id) return undefined;
    const known = this.byId.get(id);
    if (known || !this.store) return known;
    await this.writes;
    const raw = await this.store.get(`${SENT_PREFIX}${id}`);
    if (!raw) return undefined;
    const stored = ZStoredSend.safeParse(JSON.parse(raw));
    if (!stored.success) return undefined;
    const { message, to, sentAt, receiptId } = stored.data;
    return { message: proto.Message.decode(Buffer.from(message, "base64")), to, sentAt: new Date(sentAt), receiptId: receiptId ?? id };
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
    if (!toSendJid(to)) throw new ChannelSendError("not a WhatsApp address", "permanent");
    const sock = this.openSocket();
    const jid = (await opts.addresses.recipientJid(sock, to)) ?? to;

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
    let receiptId: string | undefined;
    for (const [index, content] of contents.entries()) {
      if (index < alreadySent) continue;
      await opts.pacer.run(
        jid,
        async () => {
          if (!opts.connection.running) throw new ChannelSendError("WhatsApp channel stopped", "retry");
          const live = this.openSocket();
          try {
            const at = opts.clock.now();
            const msg = await live.sendMessage(jid, content);
            receiptId ??= msg?.key.id ?? undefined;
            opts.sent.remember(msg, to, at, receiptId);
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
    // The outbox keeps it on the row: later receipts and errors (messages.update) find the row by it.
    return receiptId ? { providerMessageId: receiptId } : undefined;
  };

  private openSocket(): WASocketLike {
    const sock = this.opts.connection.openSocket();
    if (!sock) throw new ChannelSendError("WhatsApp is not connected", "retry");
    return sock;
  }

  /** Only for a phone number never seen (a known LID means an account): ask WhatsApp whether it has one. */
  private async ensureOnWhatsApp(sock: WASocketLike, jid: string): Promise<void> {
    const { addresses } = this.opts;
    if (!jid.endsWith("@s.whatsapp.net") || (await addresses.isOnWhatsApp(jid))) return;
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
