/**
 * The contract every channel passes (Telegram, WhatsApp, web chat). A channel's test file calls
 * `channelContract(name, makeHarness)`; the harness drives the channel through a fake of its vendor
 * (a fake Bot API server, a fake Baileys socket, a browser stand-in) and reports what the person
 * received in a neutral shape. Each test builds a fresh harness and closes it.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { waitForChange } from "../support/wait.js";
import type { Channel, InboundHandler } from "../../src/channels/channel.js";
import { ChannelSendError, type Inbound, type Outbound } from "../../src/messaging/model.js";

export type SendFailureKind = "rate_limited" | "retry" | "permanent";

/** One outbound message as the person sees it. */
export type DeliveredMessage =
  | {
      kind: "text";
      text: string;
      /** Buttons shown with the message (ids where the channel has them). */
      buttons?: { label: string; id?: string }[];
      /** The message offers a "share my phone number" control. */
      requestsContact?: boolean;
    }
  | { kind: "document"; fileName: string; bytes: Buffer; caption?: string };

/**
 * How the contract drives one channel. `Ref` is whatever the harness needs to deliver the same
 * vendor message again (a Telegram update, a Baileys WAMessage, a web message body).
 * Optional injectors are for things a channel cannot receive (web chat has no contact card);
 * their tests are skipped when absent.
 */
export interface ChannelHarness<Ref = unknown> {
  /** Not started: the contract calls start() with its own handler. */
  channel: Channel;
  /** Address ids of two different people. */
  personA: string;
  personB: string;
  /**
   * Make a person send something to the bot, as the vendor would deliver it. Resolves once the
   * vendor side handed it over (not once the handler ran): the contract waits on the handler itself.
   */
  inject: {
    text(person: string, text: string): Promise<Ref>;
    /** A tap on an option the bot offered with id `choiceId`. */
    choice?(person: string, choiceId: string): Promise<Ref>;
    photo?(person: string, bytes: Buffer): Promise<Ref>;
    document?(person: string, bytes: Buffer, fileName: string, mimeType: string): Promise<Ref>;
    /** The person shares their own phone number. */
    contact?(person: string, phone: string): Promise<Ref>;
    /** A file larger than the channel's maxInboundFileBytes. */
    oversizedFile?(person: string): Promise<Ref>;
    /** Deliver the same vendor message again (webhook retry, replay after a reconnect). */
    duplicate(ref: Ref): Promise<void>;
  };
  /** What this person received so far, in order; failed attempts are not in it. */
  sentTo(person: string): DeliveredMessage[];
  /** The next vendor send call fails this way; `after` lets that many send calls succeed first. */
  failNextSend(kind: SendFailureKind, opts?: { after?: number }): void;
  /** How many files the channel fetched from the vendor so far, where that is observable. */
  downloads?(): number;
  /** Stops the channel and its fake. */
  close(): Promise<void>;
}

const WAIT_MS = 5_000;

/** Records what reaches the inbound handler; a test may hold messages in the handler. */
class Inbox {
  readonly started: Inbound[] = [];
  readonly finished: Inbound[] = [];
  /** Runs inside the handler before it resolves; may throw or wait. */
  hold: (msg: Inbound) => Promise<void> = async () => {};
  private readonly changes = new EventEmitter();

  readonly handler: InboundHandler = async (msg) => {
    this.started.push(msg);
    this.notify();
    try {
      await this.hold(msg);
    } finally {
      this.finished.push(msg);
      this.notify();
    }
  };

  private notify(): void {
    this.changes.emit("change");
  }

  waitFor(condition: () => boolean, what: string): Promise<void> {
    return waitForChange(this.changes, "change", condition, what, WAIT_MS);
  }

  async nth(n: number): Promise<Inbound> {
    await this.waitFor(() => this.started.length >= n, `${n} inbound message(s)`);
    return this.started[n - 1]!;
  }

  textsOf(person: string): string[] {
    return this.started.filter((m) => m.from.id === person && m.body.type === "text").map((m) => (m.body as { text: string }).text);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export const noFiles = async (): Promise<Buffer> => {
  throw new Error("no file expected");
};

/** Expects `p` to reject with a ChannelSendError and returns it. */
export async function sendError(p: Promise<unknown>): Promise<ChannelSendError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelSendError);
    return err as ChannelSendError;
  }
  throw new Error("expected the send to fail");
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** A long text with distinct numbered words, so loss or duplication shows. */
function longText(minLength: number): string {
  const out: string[] = [];
  let len = 0;
  for (let i = 0; len <= minLength; i++) {
    const w = i % 40 === 39 ? `kata${i}.\n\n` : `kata${i}`;
    out.push(w);
    len += w.length + 1;
  }
  return out.join(" ").replace(/\n\n /g, "\n\n");
}

export function channelContract<Ref>(name: string, makeHarness: () => Promise<ChannelHarness<Ref>>): void {
  describe(`channel contract: ${name}`, () => {
    /** Runs `body` with a fresh harness whose channel is started on an Inbox, and always closes it. */
    async function withChannel(body: (h: ChannelHarness<Ref>, inbox: Inbox) => Promise<void>): Promise<void> {
      const h = await makeHarness();
      const inbox = new Inbox();
      try {
        await h.channel.start(inbox.handler);
        await body(h, inbox);
      } finally {
        inbox.hold = async () => {};
        await h.close();
      }
    }

    it("declares usable limits", async () => {
      const h = await makeHarness();
      try {
        const l = h.channel.limits;
        expect(l.maxTextLength).toBeGreaterThan(0);
        expect(l.maxInboundFileBytes).toBeGreaterThan(0);
        expect(l.perChatPerSecond).toBeGreaterThan(0);
        expect(l.globalPerSecond).toBeGreaterThanOrEqual(l.perChatPerSecond);
        expect(h.personA).not.toBe(h.personB);
      } finally {
        await h.close();
      }
    });

    describe("inbound", () => {
      it("delivers a text with the sender's address, a message id and the time", async () => {
        await withChannel(async (h, inbox) => {
          await h.inject.text(h.personA, "Halo, saya mau konsultasi usaha");
          const m = await inbox.nth(1);
          expect(m.from).toEqual({ channel: h.channel.name, id: h.personA });
          expect(m.body).toEqual({ type: "text", text: "Halo, saya mau konsultasi usaha" });
          expect(m.messageId).toMatch(/\S/);
          expect(m.receivedAt).toBeInstanceOf(Date);
        });
      });

      it("delivers a tap on an offered option as a choice with its id", async (ctx) => {
        await withChannel(async (h, inbox) => {
          if (!h.inject.choice) return ctx.skip();
          await h.inject.choice(h.personA, "sector:kuliner");
          const m = await inbox.nth(1);
          expect(m.from.id).toBe(h.personA);
          expect(m.body).toEqual({ type: "choice", choiceId: "sector:kuliner" });
        });
      });

      it("delivers a photo with its bytes", async (ctx) => {
        await withChannel(async (h, inbox) => {
          if (!h.inject.photo) return ctx.skip();
          const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]);
          await h.inject.photo(h.personA, bytes);
          const m = await inbox.nth(1);
          if (m.body.type !== "media") throw new Error(`expected media, got ${m.body.type}`);
          expect(m.body.media.kind).toBe("photo");
          expect(m.body.media.mimeType).toMatch(/^image\//);
          expect(Buffer.compare(m.body.media.bytes, bytes)).toBe(0);
        });
      });

      it("delivers a document with its name, type and bytes", async (ctx) => {
        await withChannel(async (h, inbox) => {
          if (!h.inject.document) return ctx.skip();
          const bytes = Buffer.from("%PDF-1.4\nlaporan keuangan\n%%EOF");
          await h.inject.document(h.personA, bytes, "Laporan Keuangan 2024.pdf", "application/pdf");
          const m = await inbox.nth(1);
          if (m.body.type !== "media") throw new Error(`expected media, got ${m.body.type}`);
          expect(m.body.media.kind).toBe("document");
          expect(m.body.media.fileName).toBe("Laporan Keuangan 2024.pdf");
          expect(m.body.media.mimeType).toBe("application/pdf");
          expect(Buffer.compare(m.body.media.bytes, bytes)).toBe(0);
        });
      });

      it("delivers the person's own shared contact", async (ctx) => {
        await withChannel(async (h, inbox) => {
          if (!h.inject.contact) return ctx.skip();
          await h.inject.contact(h.personA, "+6281234567890");
          const m = await inbox.nth(1);
          if (m.body.type !== "contact") throw new Error(`expected contact, got ${m.body.type}`);
          expect(m.body.phone.replace(/\D/g, "")).toBe("6281234567890");
          expect(m.body.isOwn).toBe(true);
        });
      });

      it("rejects a file over the channel's limit without downloading it", async (ctx) => {
        await withChannel(async (h, inbox) => {
          if (!h.inject.oversizedFile) return ctx.skip();
          const before = h.downloads?.() ?? 0;
          await h.inject.oversizedFile(h.personA);
          const m = await inbox.nth(1);
          expect(m.body).toMatchObject({ type: "rejected_media", reason: "too_large", limitBytes: h.channel.limits.maxInboundFileBytes });
          if (m.body.type === "rejected_media" && m.body.size !== undefined) {
            expect(m.body.size).toBeGreaterThan(h.channel.limits.maxInboundFileBytes);
          }
          if (h.downloads) expect(h.downloads()).toBe(before);
        });
      });

      it("gives a re-delivered message the same message id, so the app can drop it", async () => {
        await withChannel(async (h, inbox) => {
          const ref = await h.inject.text(h.personA, "pesan pertama");
          const first = await inbox.nth(1);
          await h.inject.duplicate(ref);
          const again = await inbox.nth(2);
          expect(again.messageId).toBe(first.messageId);
          expect(again.from).toEqual(first.from);
          expect(again.body).toEqual(first.body);
          // A different message never shares the id.
          await h.inject.text(h.personA, "pesan kedua");
          const other = await inbox.nth(3);
          expect(other.messageId).not.toBe(first.messageId);
        });
      });

      it("hands one person's messages to the handler one at a time, in the order they came", async () => {
        await withChannel(async (h, inbox) => {
          let active = 0;
          let maxActive = 0;
          inbox.hold = async () => {
            active++;
            maxActive = Math.max(maxActive, active);
            // Yield a few times so an overlapping handler would show.
            for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
            active--;
          };
          const texts = ["satu", "dua", "tiga", "empat", "lima"];
          for (const t of texts) await h.inject.text(h.personA, t);
          await inbox.waitFor(() => inbox.finished.length >= texts.length, "all five handled");
          expect(inbox.textsOf(h.personA)).toEqual(texts);
          expect(maxActive).toBe(1);
        });
      });

      it("does not hold one person's message behind another person's pending one", async () => {
        await withChannel(async (h, inbox) => {
          const gate = deferred();
          inbox.hold = async (m) => {
            if (m.body.type === "text" && m.body.text === "A1") await gate.promise;
          };
          await h.inject.text(h.personA, "A1");
          await inbox.waitFor(() => inbox.textsOf(h.personA).includes("A1"), "A1 in the handler");
          await h.inject.text(h.personA, "A2");
          await h.inject.text(h.personB, "B1");
          // B1 is handled while A1 is still pending ...
          await inbox.waitFor(() => inbox.textsOf(h.personB).includes("B1"), "B1 handled while A1 waits");
          await inbox.waitFor(() => inbox.finished.some((m) => m.from.id === h.personB), "B1 finished");
          // ... and A2 waits for A1.
          expect(inbox.finished.some((m) => m.from.id === h.personA)).toBe(false);
          expect(inbox.textsOf(h.personA)).toEqual(["A1"]);
          gate.resolve();
          await inbox.waitFor(() => inbox.textsOf(h.personA).length === 2, "A2 after A1");
          expect(inbox.textsOf(h.personA)).toEqual(["A1", "A2"]);
        });
      });

      it("goes on with later messages after the handler failed on one", async () => {
        await withChannel(async (h, inbox) => {
          inbox.hold = async (m) => {
            if (m.body.type === "text" && m.body.text === "gagal") throw new Error("handler failure for the test");
          };
          await h.inject.text(h.personA, "gagal");
          await inbox.waitFor(() => inbox.finished.length === 1, "the failing message");
          await h.inject.text(h.personA, "berikutnya");
          await inbox.waitFor(() => inbox.textsOf(h.personA).includes("berikutnya"), "the next message");
        });
      });
    });

    describe("outbound", () => {
      it("delivers a text to the addressed person only", async () => {
        await withChannel(async (h) => {
          await h.channel.send(h.personA, { type: "text", text: "Selamat datang di PLUT-KUMKM Gianyar" }, noFiles);
          expect(h.sentTo(h.personA)).toMatchObject([{ kind: "text", text: expect.stringContaining("Selamat datang di PLUT-KUMKM Gianyar") }]);
          expect(h.sentTo(h.personB)).toEqual([]);
        });
      });

      it("keeps user-typed characters as they are (no markup parsing)", async () => {
        await withChannel(async (h) => {
          const text = "Nama usaha: *Warung_Bu [Made]* <b>&amp; `kopi`";
          await h.channel.send(h.personA, { type: "text", text }, noFiles);
          expect(h.sentTo(h.personA)).toMatchObject([{ kind: "text", text: expect.stringContaining(text) }]);
        });
      });

      it("shows every offered choice", async () => {
        await withChannel(async (h) => {
          const msg: Outbound = {
            type: "text",
            text: "Apa bidang usaha Anda?",
            choices: [
              { id: "sector:kuliner", label: "Kuliner" },
              { id: "sector:kerajinan", label: "Kerajinan" },
              { id: "sector:fashion", label: "Fashion" },
            ],
          };
          await h.channel.send(h.personA, msg, noFiles);
          const sent = h.sentTo(h.personA);
          const shown = sent.flatMap((s) => (s.kind === "text" ? [s.text, ...(s.buttons ?? []).map((b) => b.label)] : [])).join("\n");
          for (const label of ["Kuliner", "Kerajinan", "Fashion"]) expect(shown).toContain(label);
          expect(shown).toContain("Apa bidang usaha Anda?");
        });
      });

      it("delivers a document with its name, bytes and caption", async () => {
        await withChannel(async (h) => {
          const bytes = Buffer.from("%PDF-1.4\nrencana aksi\n%%EOF");
          const keys: string[] = [];
          await h.channel.send(
            h.personA,
            { type: "document", fileName: "Rencana Aksi.pdf", mimeType: "application/pdf", storageKey: "docs/ra-1", caption: "Rencana aksi Anda" },
            async (key) => {
              keys.push(key);
              return bytes;
            },
          );
          expect(keys).toEqual(["docs/ra-1"]);
          const sent = h.sentTo(h.personA);
          const doc = sent.find((s) => s.kind === "document");
          if (doc?.kind !== "document") throw new Error("no document delivered");
          expect(doc.fileName).toBe("Rencana Aksi.pdf");
          expect(Buffer.compare(doc.bytes, bytes)).toBe(0);
          const captionShown = [doc.caption ?? "", ...sent.filter((s) => s.kind === "text").map((s) => (s.kind === "text" ? s.text : ""))].join("\n");
          expect(captionShown).toContain("Rencana aksi Anda");
        });
      });

      it("fails a send with kind 'retry' on a transient fault, and a second send delivers exactly one copy", async () => {
        await withChannel(async (h) => {
          const msg: Outbound = { type: "text", text: "Jadwal konsultasi Anda: Senin 09.00" };
          h.failNextSend("retry");
          const err = await sendError(h.channel.send(h.personA, msg, noFiles));
          expect(err.kind).toBe("retry");
          expect(h.sentTo(h.personA)).toEqual([]);
          await h.channel.send(h.personA, msg, noFiles);
          expect(h.sentTo(h.personA)).toHaveLength(1);
          expect(h.sentTo(h.personA)[0]).toMatchObject({ kind: "text", text: expect.stringContaining("Senin 09.00") });
        });
      });

      it("fails with kind 'rate_limited' and the vendor's wait when sending too fast", async () => {
        await withChannel(async (h) => {
          h.failNextSend("rate_limited");
          const err = await sendError(h.channel.send(h.personA, { type: "text", text: "halo" }, noFiles));
          expect(err.kind).toBe("rate_limited");
          expect(typeof err.retryAfterSeconds).toBe("number");
          expect(err.retryAfterSeconds).toBeGreaterThan(0);
          expect(h.sentTo(h.personA)).toEqual([]);
        });
      });

      it("fails with kind 'permanent' when the person cannot be reached", async () => {
        await withChannel(async (h) => {
          h.failNextSend("permanent");
          const err = await sendError(h.channel.send(h.personA, { type: "text", text: "halo" }, noFiles));
          expect(err.kind).toBe("permanent");
          expect(h.sentTo(h.personA)).toEqual([]);
        });
      });

      it("splits a text longer than maxTextLength into parts, in order, nothing lost", async (ctx) => {
        await withChannel(async (h) => {
          const max = h.channel.limits.maxTextLength;
          if (!Number.isFinite(max) || max > 100_000) return ctx.skip();
          const text = longText(Math.floor(max * 2.5));
          await h.channel.send(h.personA, { type: "text", text }, noFiles);
          const parts = h.sentTo(h.personA);
          expect(parts.length).toBeGreaterThanOrEqual(3);
          for (const p of parts) {
            if (p.kind !== "text") throw new Error("expected text parts");
            expect(p.text.length).toBeLessThanOrEqual(max);
          }
          expect(words(parts.map((p) => (p.kind === "text" ? p.text : "")).join(" "))).toEqual(words(text));
        });
      });

      it("resends only the missing parts when a split text failed midway and is sent again", async (ctx) => {
        await withChannel(async (h) => {
          const max = h.channel.limits.maxTextLength;
          if (!Number.isFinite(max) || max > 100_000) return ctx.skip();
          const text = longText(Math.floor(max * 2.5));
          const msg: Outbound = { type: "text", text };
          h.failNextSend("retry", { after: 1 });
          const err = await sendError(h.channel.send(h.personA, msg, noFiles));
          expect(err.kind).toBe("retry");
          expect(h.sentTo(h.personA)).toHaveLength(1);
          await h.channel.send(h.personA, msg, noFiles);
          const parts = h.sentTo(h.personA);
          expect(words(parts.map((p) => (p.kind === "text" ? p.text : "")).join(" "))).toEqual(words(text));
        });
      });
    });
  });
}
