/**
 * The inbound side: Baileys' `messages.upsert` in, one `Inbound` per message to the handler.
 * Senders are resolved in arrival order (one chain); one person's messages are handled strictly in
 * order, different persons in parallel; a failing handler is retried a few times with backoff.
 */
import type { BaileysEventMap, WAMessage } from "@whiskeysockets/baileys";
import type { Clock } from "../../shared/clock.js";
import type { InboundHandler } from "../channel.js";
import type { Inbound, InboundBody } from "../../messaging/model.js";
import type { AddressBook, Sender } from "./addresses.js";
import { errorText } from "./errors.js";
import { classifyContent, contactBody, longToNumber, phoneOfJid, quotedMessageId, redact, skipReason, type ClassifiedContent } from "./inbound.js";
import type { WASocketLike, WhatsAppLogger } from "./socket.js";

type Content = Exclude<ClassifiedContent, { kind: "ignore" }>;

export interface ReceiverOptions {
  log: WhatsAppLogger;
  clock: Clock;
  addresses: AddressBook;
  /** Downloads a media message (the socket it arrived on is the fallback). */
  download: (msg: WAMessage, arrivedOn: WASocketLike) => Promise<Buffer>;
  maxInboundFileBytes: number;
  defaultCountryCode: string;
  handlerAttempts: number;
  /** Ends the waits between handler attempts when the channel stops. */
  stopSignal: () => AbortSignal;
  /**
   * A LID and a phone-number JID turned out to be one person: the service merges the identity of
   * the LID into the phone number's. Runs before that person's next message is handled.
   */
  samePerson?: (lid: string, pn: string) => Promise<void>;
}

export class Receiver {
  /** Set by the channel's start(); messages before that are dropped. */
  handler: InboundHandler | undefined;
  /** Resolution of addresses runs in arrival order (one chain), handling runs per person. */
  private intake: Promise<void> = Promise.resolve();
  private readonly personChains = new Map<string, Promise<void>>();

  constructor(private readonly opts: ReceiverOptions) {}

  /** A live socket's `messages.upsert`. */
  onMessages(sock: WASocketLike, upsert: BaileysEventMap["messages.upsert"]): void {
    const { log } = this.opts;
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
      this.intake = this.intake
        .then(async () => {
          const sender = await this.opts.addresses.sender(sock, msg.key);
          this.mergeNewPairs();
          this.enqueueForPerson(sender.address, () => this.process(sock, msg, content, sender));
        })
        .catch((err: unknown) => {
          log.warn({ err: errorText(err) }, "whatsapp: message without a usable sender");
        });
    }
  }

  /**
   * For each LID <-> phone number pair just learnt (from a message key or Baileys' lid-mapping
   * event): once the LID's messages so far are handled, merge, before the phone number's next
   * message. A failed merge is logged; the person's messages still go on.
   */
  mergeNewPairs(): void {
    const samePerson = this.opts.samePerson;
    for (const { lid, pn } of this.opts.addresses.takeNewPairs()) {
      if (!samePerson) continue;
      const lidDone = this.personChains.get(lid) ?? Promise.resolve();
      this.enqueueForPerson(pn, async () => {
        await lidDone;
        await samePerson(lid, pn);
      });
    }
  }

  /** Resolves once every message received so far has been handled. */
  async idle(): Promise<void> {
    for (;;) {
      const seenIntake = this.intake;
      await Promise.all([seenIntake, ...this.personChains.values()]);
      if (this.intake === seenIntake && this.personChains.size === 0) return;
    }
  }

  private enqueueForPerson(address: string, work: () => Promise<void>): void {
    const previous = this.personChains.get(address) ?? Promise.resolve();
    const next = previous.then(work).catch((err: unknown) => {
      this.opts.log.error({ from: redact(address), err: errorText(err) }, "whatsapp: inbound processing failed");
    });
    this.personChains.set(address, next);
    void next.then(() => {
      if (this.personChains.get(address) === next) this.personChains.delete(address);
    });
  }

  private async body(sock: WASocketLike, msg: WAMessage, content: Content, senderPhone: string | undefined): Promise<InboundBody> {
    const { maxInboundFileBytes } = this.opts;
    switch (content.kind) {
      case "text":
        return { type: "text", text: content.text };
      case "location":
        return { type: "location", latitude: content.latitude, longitude: content.longitude };
      case "unsupported":
        return { type: "unsupported", what: content.what };
      case "contact":
        return contactBody(content.cards, senderPhone, this.opts.defaultCountryCode);
      case "media": {
        if (content.size !== undefined && content.size > maxInboundFileBytes) {
          return { type: "rejected_media", reason: "too_large", size: content.size, limitBytes: maxInboundFileBytes };
        }
        let bytes: Buffer;
        try {
          bytes = await this.opts.download(msg, sock);
        } catch (err) {
          this.opts.log.warn({ err: errorText(err) }, "whatsapp: media download failed");
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
  }

  private async process(sock: WASocketLike, msg: WAMessage, content: Content, sender: Sender): Promise<void> {
    const { log, clock } = this.opts;
    const handler = this.handler;
    if (!handler) return;
    const phone = phoneOfJid(sender.pn);
    if (sender.pn) this.opts.addresses.markOnWhatsApp(sender.pn);
    const body = await this.body(sock, msg, content, phone);
    const seconds = longToNumber(msg.messageTimestamp);
    const profile: NonNullable<Inbound["profile"]> = {};
    if (msg.pushName) profile.displayName = msg.pushName;
    if (phone) profile.phone = phone;
    const quoted = quotedMessageId(msg.message);
    const inbound: Inbound = {
      from: { channel: "whatsapp", id: sender.address },
      ...(quoted ? { replyTo: { providerMessageId: quoted } } : {}),
      // Same key on a replay after reconnect, so the app deduplicates on it.
      messageId: `${msg.key.remoteJid}:${msg.key.id}`,
      receivedAt: seconds ? new Date(seconds * 1000) : clock.now(),
      body,
      ...(Object.keys(profile).length > 0 ? { profile } : {}),
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handler(inbound);
        return;
      } catch (err) {
        if (attempt >= this.opts.handlerAttempts) {
          log.error(
            { from: redact(sender.address), body: body.type, attempts: attempt, err: errorText(err) },
            "whatsapp: inbound handler failed; message dropped",
          );
          return;
        }
        log.warn({ from: redact(sender.address), attempt, err: errorText(err) }, "whatsapp: inbound handler failed, retrying");
        await clock.sleep(1000 * 2 ** (attempt - 1), this.opts.stopSignal());
      }
    }
  }
}
