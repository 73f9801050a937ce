/**
 * The web chat channel: a person is a browser (a random id in a signed cookie, see plugin.ts).
 * Inbound messages come from the page's POSTs and are handed to the handler one at a time per
 * person; outbound messages are appended to the person's history (kept by a WebHistoryStore, so a
 * reload or a server restart keeps the conversation) and pushed to the person's open event streams.
 * A person with no page open still gets every message: it waits in the history.
 */
import crypto from "node:crypto";
import { splitText, type Channel, type ChannelLimits, type InboundHandler } from "../channel.js";
import { ChannelSendError, type Inbound, type InboundBody, type Outbound } from "../../messaging/model.js";
import { KeyedQueue } from "../../shared/keyed-queue.js";
import { createMemoryHistoryStore, WebSeqTaken, type WebEntry, type WebHistoryStore } from "./history.js";

type LogFn = (obj: Record<string, unknown>, msg?: string) => void;
/** The part of a pino logger the channel uses. */
export interface WebChannelLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
}

export interface WebChannelOptions {
  /** MAX_UPLOAD_MB in bytes: the largest file a person may upload. */
  maxUploadBytes: number;
  logger: WebChannelLogger;
  /** Where histories are kept; default in memory only (lost on restart). */
  historyStore?: WebHistoryStore;
  /** Entries kept in memory per person (older ones are read from the store). Default 200. */
  maxEntriesInMemory?: number;
  /** Persons kept in memory; the least recently used idle ones are dropped beyond this. Default 1000. */
  maxPersonsInMemory?: number;
  /** Bytes of sent documents kept in memory for their download links. Default 32 MB. */
  documentCacheBytes?: number;
  /** Messages one person may have waiting for the handler before more are refused (429). Default 20. */
  maxQueuedPerPerson?: number;
  /**
   * Several instances write this history (one PostgreSQL database): before each use the person's
   * state reads what other instances appended, and each new entry is announced to them (see
   * `takeNews`). Without it this instance is the only writer and its memory is the truth.
   */
  shared?: { announce(personId: string, seq: number): Promise<void> };
  now?: () => Date;
}

export const WEB_MAX_TEXT = 4096;
/** Web chat person ids: 22 base64url characters (128 random bits). */
export const WEB_PERSON_ID = /^[A-Za-z0-9_-]{22}$/;

export function newPersonId(): string {
  return crypto.randomBytes(16).toString("base64url");
}

/** Draft of an entry: what the caller knows; the channel adds seq, id and time. */
type Draft<E> = E extends unknown ? Omit<E, "seq" | "id" | "at"> : never;
export type WebEntryDraft = Draft<WebEntry>;
export type ClientEntryDraft = Extract<WebEntryDraft, { role: "client" }>;

/** Something listening to one person's new entries (an open event stream). */
export interface EntryListener {
  push(entry: WebEntry): void;
  close(): void;
}

/** Why an inbound message was not taken. */
export class WebInboundError extends Error {
  constructor(
    message: string,
    readonly reason: "not_ready" | "busy",
  ) {
    super(message);
    this.name = "WebInboundError";
  }
}

interface PersonState {
  entries: WebEntry[];
  lastSeq: number;
  /** True when `entries` starts at seq 1 (the whole history is in memory). */
  complete: boolean;
  listeners: Set<EntryListener>;
  busy: number;
}

export interface WebChannel extends Channel {
  readonly name: "web";
  readonly maxUploadBytes: number;
  /** True between start() and stop(). */
  readonly accepting: boolean;
  /**
   * Takes one message from a person's page: records `clientEntry` (once per messageId) and waits for
   * the handler. Rejects with WebInboundError before start() / when the person has too many
   * messages waiting, or with the handler's own error.
   */
  receive(personId: string, messageId: string, body: InboundBody, clientEntry: ClientEntryDraft | null): Promise<void>;
  /** The latest `limit` entries, or those after `afterSeq`; `truncated` when older ones exist. */
  history(personId: string, afterSeq?: number): Promise<{ entries: WebEntry[]; lastSeq: number; truncated: boolean }>;
  /** Sends the entries after `afterSeq`, then every new one, to `listener`; returns how to stop. */
  subscribe(personId: string, afterSeq: number, listener: EntryListener): Promise<() => void>;
  /** A document sent to this person, by entry id. */
  findDocument(personId: string, entryId: string): Promise<Extract<WebEntry, { kind: "document" }> | undefined>;
  /** The bytes of a document entry, when still in memory. */
  cachedDocument(personId: string, entryId: string): Buffer | undefined;
  /** The label of the most recent offered choice with this id. */
  choiceLabel(personId: string, choiceId: string): Promise<string | undefined>;
  /** Closes every open event stream (the app is shutting down). */
  closeStreams(): void;
  /**
   * Another instance appended an entry for this person (shared mode): a person with open streams
   * here reads it from the store and gets it pushed. Resolves when done.
   */
  takeNews(personId: string): Promise<void>;
  /** takeNews for every person with an open stream here (signals may have been missed). */
  takeAllNews(): Promise<void>;
  /** How many event streams of this person this instance holds. */
  openStreams(personId: string): number;
}

export function createWebChannel(opts: WebChannelOptions): WebChannel {
  const { logger } = opts;
  const store = opts.historyStore ?? createMemoryHistoryStore();
  const now = opts.now ?? (() => new Date());
  const maxInMemory = opts.maxEntriesInMemory ?? 200;
  const maxPersons = opts.maxPersonsInMemory ?? 1000;
  const maxQueued = opts.maxQueuedPerPerson ?? 20;
  const limits: ChannelLimits = {
    maxTextLength: WEB_MAX_TEXT,
    maxInboundFileBytes: opts.maxUploadBytes,
    perChatPerSecond: 10,
    globalPerSecond: 200,
  };

  let handler: InboundHandler | undefined;
  let accepting = false;
  const persons = new Map<string, PersonState>();
  const loading = new Map<string, Promise<void>>();
  /** Appends (and stream subscriptions) of one person never overlap, so seq has no gaps or repeats. */
  const historyLock = new KeyedQueue();
  /** Inbound messages of one person reach the handler one at a time, in arrival order. */
  const inboundQueue = new KeyedQueue();
  const queued = new Map<string, number>();
  const docs = new DocumentCache(opts.documentCacheBytes ?? 32 * 1024 * 1024);
  const progress = new PartsProgress();

  let inFlight = 0;
  let drained: (() => void)[] = [];
  const whenDrained = (): Promise<void> => (inFlight === 0 ? Promise.resolve() : new Promise((r) => drained.push(r)));

  /** The person's state, loaded when needed and pinned in memory (busy) until `release`. */
  async function acquire(personId: string): Promise<PersonState> {
    for (;;) {
      const found = persons.get(personId);
      if (found) {
        // Most recently used goes last; eviction takes from the front.
        persons.delete(personId);
        persons.set(personId, found);
        found.busy++;
        return found;
      }
      let p = loading.get(personId);
      if (!p) {
        p = (async () => {
          const all = await store.list(personId, 0);
          persons.set(personId, {
            entries: all.slice(-maxInMemory),
            lastSeq: all.reduce((m, e) => Math.max(m, e.seq), 0),
            complete: all.length <= maxInMemory,
            listeners: new Set(),
            busy: 0,
          });
          evict(personId);
        })().finally(() => loading.delete(personId));
        loading.set(personId, p);
      }
      await p;
    }
  }

  /** Drops the least recently used persons nobody is using beyond maxPersonsInMemory (never `keep`). */
  function evict(keep: string): void {
    for (const [id, s] of persons) {
      if (persons.size <= maxPersons) break;
      if (id !== keep && s.listeners.size === 0 && s.busy === 0) persons.delete(id);
    }
  }

  /** Runs `body` with the person's state loaded and kept in memory until it ends. */
  async function withPerson<T>(personId: string, body: (s: PersonState) => Promise<T>): Promise<T> {
    const s = await acquire(personId);
    try {
      return await body(s);
    } finally {
      s.busy--;
    }
  }

  /** Keeps a new entry in memory and pushes it to the person's open streams here. */
  function record(s: PersonState, entry: WebEntry): void {
    s.lastSeq = entry.seq;
    s.entries.push(entry);
    if (s.entries.length > maxInMemory) {
      s.entries.splice(0, s.entries.length - maxInMemory);
      s.complete = false;
    }
    for (const l of [...s.listeners]) {
      try {
        l.push(entry);
      } catch (err) {
        logger.warn({ err: errorName(err) }, "web chat: pushing to an event stream failed");
        l.close();
      }
    }
  }

  /** Shared mode: what other instances appended since this one last looked (under the person's history lock). */
  async function catchUpLocked(personId: string, s: PersonState): Promise<void> {
    if (!opts.shared) return;
    for (const e of await store.list(personId, s.lastSeq)) if (e.seq > s.lastSeq) record(s, e);
  }

  /** catchUpLocked, taking the lock. */
  function catchUp(personId: string): Promise<void> {
    if (!opts.shared) return Promise.resolve();
    return historyLock.run(personId, () => withPerson(personId, (s) => catchUpLocked(personId, s)));
  }

  function append(personId: string, draft: WebEntryDraft): Promise<WebEntry> {
    return historyLock.run(personId, () =>
      withPerson(personId, async (s) => {
        for (let attempt = 1; ; attempt++) {
          await catchUpLocked(personId, s);
          const entry = { ...draft, seq: s.lastSeq + 1, id: crypto.randomBytes(12).toString("base64url"), at: now().toISOString() } as WebEntry;
          try {
            await store.append(personId, entry);
          } catch (err) {
            // Another instance took this seq a moment ago: read its entry and take the next one.
            if (err instanceof WebSeqTaken && attempt < 10) continue;
            throw err;
          }
          record(s, entry);
          opts.shared?.announce(personId, entry.seq).catch((err: unknown) => logger.warn({ err: errorName(err) }, "web chat: announcing an entry to the other instances failed"));
          return entry;
        }
      }),
    );
  }

  /** Appends one outbound entry, turning store failures into ChannelSendError. */
  async function deliver(to: string, draft: WebEntryDraft): Promise<WebEntry> {
    try {
      return await append(to, draft);
    } catch (err) {
      if (err instanceof ChannelSendError) throw err;
      logger.warn({ err: errorName(err) }, "web chat: history store failed; the send will be retried");
      throw new ChannelSendError(`web: history store failed: ${errorName(err)}`, "retry");
    }
  }

  async function entriesAfter(personId: string, s: PersonState, afterSeq: number): Promise<WebEntry[]> {
    const first = s.entries[0];
    if (s.complete || (first !== undefined && afterSeq >= first.seq - 1)) return s.entries.filter((e) => e.seq > afterSeq);
    return store.list(personId, afterSeq);
  }

  const channel: WebChannel = {
    name: "web",
    limits,
    maxUploadBytes: opts.maxUploadBytes,
    get accepting() {
      return accepting;
    },

    async start(onInbound) {
      if (handler !== undefined) throw new Error("web channel already started");
      handler = onInbound;
      accepting = true;
      logger.info({}, "web chat channel started");
    },

    async stop() {
      accepting = false;
      await whenDrained();
      handler = undefined;
      channel.closeStreams();
      logger.info({}, "web chat channel stopped");
    },

    async send(to: string, msg: Outbound, resolveFile: (storageKey: string) => Promise<Buffer>): Promise<void> {
      if (!WEB_PERSON_ID.test(to)) throw new ChannelSendError("web: address is not a web chat person id", "permanent");
      if (msg.type === "document") {
        // Storage errors are the caller's, not the channel's: they pass through unchanged.
        const bytes = await resolveFile(msg.storageKey);
        const entry = await deliver(to, {
          role: "assistant",
          kind: "document",
          fileName: msg.fileName,
          mimeType: msg.mimeType,
          storageKey: msg.storageKey,
          size: bytes.length,
          ...(msg.caption !== undefined ? { caption: msg.caption } : {}),
        });
        docs.put(entry.id, to, bytes);
        return;
      }
      // Longer texts go out in parts; the choices (and the contact hint) come with the last one.
      const parts = splitText(msg.text, WEB_MAX_TEXT);
      const drafts: WebEntryDraft[] = parts.map((text, i) => {
        const last = i === parts.length - 1;
        return {
          role: "assistant",
          kind: "text",
          text,
          ...(last && msg.choices?.length ? { choices: msg.choices } : {}),
          ...(last && msg.requestContact ? { requestContact: true } : {}),
        };
      });
      const key = progress.key(to, msg);
      const first = progress.delivered(key);
      for (let i = first; i < drafts.length; i++) {
        await deliver(to, drafts[i]!);
        progress.record(key, i + 1);
      }
      progress.finish(key);
      logger.debug({ parts: drafts.length, resumedAt: first }, "web chat message sent");
    },

    async receive(personId, messageId, body, clientEntry) {
      if (!accepting || handler === undefined) throw new WebInboundError("web channel is not accepting messages", "not_ready");
      const waiting = queued.get(personId) ?? 0;
      if (waiting >= maxQueued) throw new WebInboundError("too many messages waiting", "busy");
      queued.set(personId, waiting + 1);
      inFlight++;
      try {
        await inboundQueue.run(personId, async () => {
          const onInbound = handler;
          if (onInbound === undefined) throw new WebInboundError("web channel stopped", "not_ready");
          if (clientEntry !== null) {
            await catchUp(personId);
            const seen = await withPerson(personId, async (s) => s.entries.some((e) => e.role === "client" && e.messageId === messageId));
            if (!seen) await append(personId, clientEntry);
          }
          const inbound: Inbound = { from: { channel: "web", id: personId }, messageId, receivedAt: now(), body };
          await onInbound(inbound);
        });
      } finally {
        const left = (queued.get(personId) ?? 1) - 1;
        if (left <= 0) queued.delete(personId);
        else queued.set(personId, left);
        if (--inFlight === 0) {
          const waitingForDrain = drained;
          drained = [];
          for (const r of waitingForDrain) r();
        }
      }
    },

    async history(personId, afterSeq) {
      await catchUp(personId);
      return withPerson(personId, async (s) => {
        if (afterSeq !== undefined) return { entries: await entriesAfter(personId, s, afterSeq), lastSeq: s.lastSeq, truncated: false };
        return { entries: [...s.entries], lastSeq: s.lastSeq, truncated: !s.complete };
      });
    },

    async subscribe(personId, afterSeq, listener) {
      return historyLock.run(personId, () =>
        withPerson(personId, async (s) => {
          await catchUpLocked(personId, s);
          // Under the lock no entry is appended between the catch-up and the registration.
          for (const e of await entriesAfter(personId, s, afterSeq)) listener.push(e);
          s.listeners.add(listener);
          return () => {
            s.listeners.delete(listener);
          };
        }),
      );
    },

    async findDocument(personId, entryId) {
      await catchUp(personId);
      return withPerson(personId, async (s) => {
        const match = (e: WebEntry): e is Extract<WebEntry, { kind: "document" }> => e.id === entryId && e.role === "assistant" && e.kind === "document";
        const inMemory = s.entries.find(match);
        if (inMemory || s.complete) return inMemory;
        return (await store.list(personId, 0)).find(match);
      });
    },

    cachedDocument(personId, entryId) {
      return docs.get(entryId, personId);
    },

    async choiceLabel(personId, choiceId) {
      await catchUp(personId);
      return withPerson(personId, async (s) => {
        for (let i = s.entries.length - 1; i >= 0; i--) {
          const e = s.entries[i]!;
          if (e.role === "assistant" && e.kind === "text" && e.choices) {
            const c = e.choices.find((x) => x.id === choiceId);
            if (c) return c.label;
          }
        }
        return undefined;
      });
    },

    async takeNews(personId) {
      // Nobody's page is open here for this person: whatever is next read here catches up anyway.
      if (!persons.get(personId)?.listeners.size) return;
      await catchUp(personId);
    },

    async takeAllNews() {
      const open = [...persons].filter(([, s]) => s.listeners.size > 0).map(([id]) => id);
      for (const id of open) await catchUp(id);
    },

    openStreams(personId) {
      return persons.get(personId)?.listeners.size ?? 0;
    },

    closeStreams() {
      for (const s of persons.values()) {
        for (const l of [...s.listeners]) l.close();
        s.listeners.clear();
      }
    },
  };

  return channel;
}

function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : "error";
}

/** Bytes of recently sent documents, so their download links work without the file store. */
class DocumentCache {
  private readonly items = new Map<string, { personId: string; bytes: Buffer }>();
  private total = 0;
  constructor(private readonly maxBytes: number) {}

  put(entryId: string, personId: string, bytes: Buffer): void {
    if (bytes.length > this.maxBytes) return;
    this.items.set(entryId, { personId, bytes });
    this.total += bytes.length;
    for (const [id, item] of this.items) {
      if (this.total <= this.maxBytes) break;
      this.items.delete(id);
      this.total -= item.bytes.length;
    }
  }

  get(entryId: string, personId: string): Buffer | undefined {
    const item = this.items.get(entryId);
    return item && item.personId === personId ? item.bytes : undefined;
  }
}

/**
 * How far a split text got before a failed part, so a retry of the same message by the outbox
 * does not show the delivered parts twice. In memory, for an hour.
 */
class PartsProgress {
  private readonly done = new Map<string, { parts: number; at: number }>();

  key(to: string, message: unknown): string {
    return crypto.createHash("sha256").update(to).update("\u0000").update(JSON.stringify(message)).digest("hex");
  }

  delivered(key: string): number {
    const limit = Date.now() - 60 * 60 * 1000;
    for (const [k, v] of this.done) if (v.at < limit) this.done.delete(k);
    return this.done.get(key)?.parts ?? 0;
  }

  record(key: string, parts: number): void {
    this.done.set(key, { parts, at: Date.now() });
  }

  finish(key: string): void {
    this.done.delete(key);
  }
}
