/**
 * The WhatsApp channel on Meta's official WhatsApp Business Platform (Cloud API): plain HTTPS and
 * JSON to the Graph API, updates by webhook (webhook.ts serves /webhooks/whatsapp).
 *
 * - Inbound: each message of a webhook is handed to the inbox, one person's in order, persons in
 *   parallel; the webhook is answered once all of them were durably accepted (Meta retries
 *   otherwise; the inbox drops a message id it has seen). Files are looked up and downloaded with
 *   the token, type and size checked; a failed download asks the person to send it again.
 * - The 24-hour customer-service window: every message records when its sender wrote (window.ts).
 *   A send outside the window goes as the kind's approved template (templates.ts) or, failing
 *   one, waits until the person writes (the outbox holds it) after a notice template asked them to.
 * - Status webhooks (sent, delivered, read, failed) go to `onStatus` with the failure read from
 *   Meta's code (errors.ts); "outside the window" closes the window here, so the resend is a template.
 * Nothing outside this folder sees a Cloud API payload.
 */
import { toLang } from "../../i18n/index.js";
import type { Channel, ChannelLimits, InboundHandler } from "../channel.js";
import { ChannelSendError, type Inbound, type InboundBody, type Outbound, type SendReceipt } from "../../messaging/model.js";
import type { DeliveryState, DeliveryUpdate } from "../../messaging/delivery.js";
import { KeyedQueue } from "../../shared/keyed-queue.js";
import { systemClock, type Clock } from "../../shared/clock.js";
import { SendProgress } from "../send-progress.js";
import { readErrorCode, toChannelSendError } from "./errors.js";
import { GraphApi, GraphApiError } from "./graph-api.js";
import { addressOf, looksLike, planMessage, profileOf, recipientOf, type FileToFetch } from "./inbound.js";
import { CLOUD_LIMITS, planDocument, planText, type CloudPart } from "./outbound.js";
import { templateMessage, type TemplateBook } from "./templates.js";
import { noticePending, windowOpen, type WindowState, type WindowStore } from "./window.js";
import { ZCloudWebhook, type CloudMessage, type CloudStatus, type CloudValue } from "./webhook-payload.js";

/** The part of a pino logger the channel uses. */
export interface CloudLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface WhatsAppCloudChannelOptions {
  token: string;
  phoneNumberId: string;
  /** Graph API root with version, e.g. https://graph.facebook.com/v23.0 */
  apiRoot: string;
  logger: CloudLogger;
  window: WindowStore;
  /** Templates for sends outside the window; without them such sends wait until the person writes. */
  templates?: TemplateBook;
  clock?: Clock;
  /** Largest file taken from a person (the Cloud API itself allows 100 MB documents). */
  maxInboundFileBytes?: number;
  /** A delivery status (sent, delivered, read, failed) for a message sent earlier. */
  onStatus?: (update: DeliveryUpdate) => Promise<void>;
  /** The person wrote: what waited for their window to open may go now. Runs before the message is handled. */
  onWindowOpened?: (address: string) => Promise<void>;
  /** The label of the button that opens a list message (at most 20 characters). */
  listButtonLabel?: string;
  /** Attempts to fetch an inbound file before the person is asked to send it again (default 2). */
  downloadAttempts?: number;
}

export type WebhookOutcome = "processed" | "malformed" | "not_ready";

export interface WhatsAppCloudChannel extends Channel {
  /** Handle one verified webhook body; resolves once every message in it was accepted. Throws when handling failed (answer 500: Meta delivers again). */
  handleWebhook(body: unknown): Promise<WebhookOutcome>;
  /** Webhook messages received so far (queued for their person), for tests that must know a delivery arrived. */
  receivedCount(): number;
  /** Resolves once every message received so far has been handled. */
  idle(): Promise<void>;
}

export const CLOUD_DEFAULTS = {
  maxInboundFileBytes: 16 * 1024 * 1024,
  listButtonLabel: "Pilih / Choose",
  /** About 80 messages a second per number by default; one person is paced like on Telegram. */
  perChatPerSecond: 1,
  globalPerSecond: 60,
} as const;

const DELIVERY_STATES = new Set<string>(["sent", "delivered", "read", "failed"]);

export function createWhatsAppCloudChannel(opts: WhatsAppCloudChannelOptions): WhatsAppCloudChannel {
  const { logger: log, window } = opts;
  const clock = opts.clock ?? systemClock;
  const api = new GraphApi({ apiRoot: opts.apiRoot, token: opts.token, phoneNumberId: opts.phoneNumberId });
  const maxBytes = Math.min(opts.maxInboundFileBytes ?? CLOUD_DEFAULTS.maxInboundFileBytes, CLOUD_LIMITS.maxDocumentBytes);
  const listButtonLabel = opts.listButtonLabel ?? CLOUD_DEFAULTS.listButtonLabel;
  const downloadAttempts = Math.max(1, opts.downloadAttempts ?? 2);
  const limits: ChannelLimits = {
    maxTextLength: CLOUD_LIMITS.maxText,
    maxInboundFileBytes: maxBytes,
    perChatPerSecond: CLOUD_DEFAULTS.perChatPerSecond,
    globalPerSecond: CLOUD_DEFAULTS.globalPerSecond,
  };
  const queue = new KeyedQueue();
  const progress = new SendProgress(60 * 60 * 1000, () => clock.now().getTime());
  let handler: InboundHandler | undefined;
  let received = 0;
  const inFlight = new Set<Promise<unknown>>();

  // ------------------------------------------------------------------ inbound

  async function fetchFile(file: FileToFetch, messageId: string): Promise<InboundBody> {
    const tooLarge = (size?: number): InboundBody => ({ type: "rejected_media", reason: "too_large", ...(size !== undefined ? { size } : {}), limitBytes: maxBytes });
    for (let attempt = 1; ; attempt++) {
      try {
        const info = await api.mediaInfo(file.mediaId);
        if (info.file_size !== undefined && info.file_size > maxBytes) return tooLarge(info.file_size);
        const bytes = await api.download(info.url, maxBytes);
        if (bytes === "too_large") return tooLarge(info.file_size);
        if (!looksLike(file.mimeType, bytes)) return { type: "rejected_media", reason: "wrong_type", limitBytes: maxBytes };
        return {
          type: "media",
          media: { kind: file.kind, mimeType: file.mimeType, bytes, ...(file.fileName ? { fileName: file.fileName } : {}), ...(file.caption ? { caption: file.caption } : {}) },
        };
      } catch (err) {
        const detail = err instanceof GraphApiError ? err.message : err instanceof Error ? err.name : "error";
        if (attempt >= downloadAttempts) {
          // Never a 500 (Meta would send the same broken file again) and never silence: the person is asked to resend.
          log.warn({ messageId, attempt, err: detail }, "whatsapp cloud: file could not be fetched; the person is asked to send it again");
          return { type: "rejected_media", reason: "download_failed", limitBytes: maxBytes };
        }
        log.info({ messageId, attempt, err: detail }, "whatsapp cloud: file fetch failed; trying again");
        await clock.sleep(500 * attempt);
      }
    }
  }

  async function handleMessage(value: CloudValue, m: CloudMessage, address: string, onInbound: InboundHandler): Promise<void> {
    const plan = planMessage(m, maxBytes);
    const wroteAt = new Date(Number(m.timestamp) * 1000);
    // Whatever they sent, the person wrote: the window is open again, and what waited for it goes first.
    await window.personWrote(address, wroteAt);
    await opts.onWindowOpened?.(address);
    if (plan.kind === "ignore") {
      log.debug({ messageId: m.id, reason: plan.reason }, "whatsapp cloud message ignored");
      return;
    }
    if (plan.kind === "resume") {
      log.debug({ messageId: m.id }, "whatsapp cloud: the person asked for the waiting messages");
      return;
    }
    const body = plan.kind === "fetch" ? await fetchFile(plan.file, m.id) : plan.body;
    const profile = profileOf(value, m);
    const inbound: Inbound = {
      from: { channel: "whatsapp", id: address },
      messageId: m.id,
      receivedAt: wroteAt,
      body,
      ...(m.context?.id ? { replyTo: { providerMessageId: m.context.id } } : {}),
      ...(Object.keys(profile).length ? { profile } : {}),
    };
    await onInbound(inbound);
  }

  function statusUpdate(s: CloudStatus): DeliveryUpdate | undefined {
    if (!DELIVERY_STATES.has(s.status)) return undefined;
    const update: DeliveryUpdate = {
      channel: "whatsapp",
      providerMessageId: s.id,
      state: s.status as DeliveryState,
      at: new Date(Number(s.timestamp) * 1000),
    };
    if (s.status !== "failed") return update;
    const e = s.errors?.[0];
    const read = readErrorCode(e?.code, 400);
    const reason = [e?.code, e?.title ?? e?.message, e?.error_data?.details].filter((x) => x !== undefined && x !== "").join(": ").replace(/\d{8,}/g, "…").slice(0, 300);
    if (read.accountFault) log.error({ code: e?.code }, "whatsapp cloud: a message failed because of the office's account (token, permissions, payment)");
    return { ...update, failure: { kind: read.failure, reason: reason || "failed", ...(read.retryAfterSeconds !== undefined ? { retryAfterSeconds: read.retryAfterSeconds } : {}) } };
  }

  async function handleStatus(s: CloudStatus): Promise<void> {
    const update = statusUpdate(s);
    if (!update) return;
    const address = s.recipient_id ? addressOf({ from: s.recipient_id }) ?? addressOf({ from_user_id: s.recipient_id }) : undefined;
    if (address && update.failure?.kind === "window_closed") await window.closed(address);
    await opts.onStatus?.(update);
  }

  async function handleWebhook(raw: unknown): Promise<WebhookOutcome> {
    const parsed = ZCloudWebhook.safeParse(raw);
    if (!parsed.success) return "malformed";
    const onInbound = handler;
    if (onInbound === undefined) return "not_ready";
    const work: Promise<void>[] = [];
    for (const entry of parsed.data.entry) {
      for (const change of entry.changes) {
        if (change.field === "message_template_status_update") {
          // Meta paused, disabled or rejected a template: sends with it will fail (and be reported per message).
          const v = change.value as { event?: unknown; message_template_name?: unknown; message_template_language?: unknown; reason?: unknown };
          const level = v.event === "APPROVED" ? "info" : "warn";
          log[level]({ template: v.message_template_name, language: v.message_template_language, event: v.event, reason: v.reason }, "whatsapp cloud: a template's status changed");
          continue;
        }
        if (change.field !== "messages") continue;
        const value = change.value;
        const ourNumber = value.metadata?.phone_number_id;
        if (ourNumber !== undefined && ourNumber !== opts.phoneNumberId) {
          log.debug({ field: change.field }, "whatsapp cloud: update for another phone number ignored");
          continue;
        }
        for (const e of value.errors ?? []) log.warn({ code: e.code, title: e.title }, "whatsapp cloud: Meta reported an error");
        for (const s of value.statuses ?? []) work.push(handleStatus(s));
        for (const m of value.messages ?? []) {
          const address = addressOf(m);
          if (address === undefined) {
            log.warn({ messageId: m.id }, "whatsapp cloud: message without a sender it can answer; ignored");
            continue;
          }
          received++;
          // One person's messages one after another, in the order they came; others in parallel.
          const task = queue.run(address, () => handleMessage(value, m, address, onInbound));
          inFlight.add(task);
          void task.finally(() => inFlight.delete(task)).catch(() => undefined);
          work.push(task);
        }
      }
    }
    const results = await Promise.allSettled(work);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) {
      log.error({ failed: failed.length, of: results.length, err: failed[0]!.reason instanceof Error ? failed[0]!.reason.message : "error" }, "whatsapp cloud webhook: handling failed; Meta delivers it again");
      throw new Error(`whatsapp cloud webhook: ${failed.length} of ${results.length} item(s) failed`);
    }
    return "processed";
  }

  // ------------------------------------------------------------------ outbound

  function recipient(to: string): { to: string } | { recipient: string } {
    const r = recipientOf(to);
    if (!r) throw new ChannelSendError("whatsapp cloud: address is neither a phone number nor a WhatsApp user id", "permanent");
    return r;
  }

  async function call(payload: Record<string, unknown>, what: Record<string, unknown>): Promise<string> {
    try {
      return await api.sendMessage(payload);
    } catch (err) {
      const e = toChannelSendError(err);
      if (err instanceof GraphApiError && readErrorCode(err.code, err.httpStatus).accountFault) {
        log.error({ ...what, code: err.code, status: err.httpStatus }, "whatsapp cloud: the office's account cannot send (token, permissions, payment)");
      } else {
        log.warn({ ...what, kind: e.kind, err: e.message }, "whatsapp cloud send failed");
      }
      // The caller may need Meta's code (131047: window closed).
      if (err instanceof GraphApiError && err.code === 131047) throw err;
      throw e;
    }
  }

  /** Free-form send, part by part; parts already delivered by an earlier attempt are skipped. */
  async function sendFree(to: string, msg: Outbound, resolveFile: (storageKey: string) => Promise<Buffer>): Promise<SendReceipt> {
    const who = recipient(to);
    const parts: CloudPart[] = msg.type === "text" ? planText(msg, listButtonLabel) : planDocument(msg);
    const key = progress.key(to, msg);
    const first = progress.delivered(key);
    let lastId: string | undefined;
    for (let i = first; i < parts.length; i++) {
      const part = parts[i]!;
      const what = { type: part.type, part: i + 1, parts: parts.length };
      if (part.type === "document") {
        if (msg.type !== "document") throw new Error("unreachable: document part of a text message");
        // Storage errors are the caller's: they pass through unchanged.
        const bytes = await resolveFile(msg.storageKey);
        if (bytes.length > CLOUD_LIMITS.maxDocumentBytes) throw new ChannelSendError(`whatsapp cloud: document over ${CLOUD_LIMITS.maxDocumentBytes} bytes`, "refused");
        let mediaId: string;
        try {
          mediaId = await api.uploadMedia(bytes, msg.mimeType, part.upload.fileName);
        } catch (err) {
          const e = toChannelSendError(err);
          log.warn({ ...what, kind: e.kind, err: e.message }, "whatsapp cloud upload failed");
          throw e;
        }
        lastId = await call({ ...who, type: "document", document: { id: mediaId, filename: part.upload.fileName, ...(part.upload.caption ? { caption: part.upload.caption } : {}) } }, what);
      } else if (part.type === "text") {
        lastId = await call({ ...who, type: "text", text: part.text }, what);
      } else {
        lastId = await call({ ...who, type: "interactive", interactive: part.interactive }, what);
      }
      progress.record(key, i + 1);
    }
    progress.finish(key);
    return lastId !== undefined ? { providerMessageId: lastId } : {};
  }

  /**
   * Outside the window: the kind's template when it delivers the message itself; else a notice
   * (the kind's, or the general "notification" one) asking the person to reply, once, and the
   * message waits; with no template at all it just waits for the person to write.
   */
  async function sendOutsideWindow(to: string, msg: Outbound, state: WindowState): Promise<SendReceipt> {
    const book = opts.templates;
    const kind = msg.kind;
    const own = kind !== undefined && kind !== "delivery_alert" ? book?.get(kind) : undefined;
    const lang = toLang(state.language);
    if (own?.delivers === "message") {
      const id = await call({ ...recipient(to), ...templateMessage(own, lang, msg) }, { type: "template", template: own.name });
      return { providerMessageId: id };
    }
    const notice = own ?? (kind !== "delivery_alert" ? book?.get("notification") : undefined);
    if (notice === undefined) {
      log.info({ kind: kind ?? "reply" }, "whatsapp cloud: outside the 24-hour window and no template; the message waits until the person writes");
      return { held: true };
    }
    if (noticePending(state)) return { held: true };
    const id = await call({ ...recipient(to), ...templateMessage(notice, lang, msg) }, { type: "template", template: notice.name });
    await window.noticeSent(to, clock.now());
    return { held: true, providerMessageId: id };
  }

  async function send(to: string, msg: Outbound, resolveFile: (storageKey: string) => Promise<Buffer>): Promise<SendReceipt> {
    recipient(to);
    const state = await window.get(to);
    if (!windowOpen(state, clock.now())) return sendOutsideWindow(to, msg, state);
    try {
      return await sendFree(to, msg, resolveFile);
    } catch (err) {
      if (!(err instanceof GraphApiError)) throw err;
      // 131047: WhatsApp says the window is closed after all (the person's last message never reached us).
      await window.closed(to);
      return sendOutsideWindow(to, msg, { ...state, lastInboundAt: null });
    }
  }

  return {
    name: "whatsapp",
    limits,
    async start(onInbound) {
      if (handler !== undefined) throw new Error("whatsapp cloud channel already started");
      handler = onInbound;
      log.info({ templates: opts.templates ? opts.templates.byKind.size : 0 }, "whatsapp cloud channel started");
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
      handler = undefined;
      log.info({}, "whatsapp cloud channel stopped");
    },
    send,
    handleWebhook,
    receivedCount: () => received,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
