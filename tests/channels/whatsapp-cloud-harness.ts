/**
 * The Cloud API channel wired as in production, against the Graph API stand-in on loopback: the
 * channel, its webhook plugin in a Fastify app listening on 127.0.0.1, the stand-in posting signed
 * webhooks to it. Shared by the contract suite and the channel's own tests.
 */
import Fastify, { type FastifyInstance } from "fastify";
import pino from "pino";
import { createWhatsAppCloudChannel, whatsappCloudWebhook, type WhatsAppCloudChannel, type WhatsAppCloudChannelOptions } from "../../src/channels/whatsapp-cloud/index.js";
import { MemoryWindowStore } from "../../src/channels/whatsapp-cloud/window.js";
import { FakeGraphApi, type CloudSent, type FakeGraphOptions, type Json } from "../support/fake-graph-api.js";
import type { DeliveredMessage } from "./contract.js";

export const WEBHOOK_PATH = "/webhooks/whatsapp";
export const VERIFY_TOKEN = "verify-me-please-123";

export interface CloudRig {
  graph: FakeGraphApi;
  channel: WhatsAppCloudChannel;
  app: FastifyInstance;
  window: MemoryWindowStore;
  /** Log lines written (JSON), to check nothing secret or personal is in them. */
  logLines: string[];
  url: string;
  close(): Promise<void>;
}

export async function startCloudRig(over: Partial<WhatsAppCloudChannelOptions> = {}, graphOpts: FakeGraphOptions = {}): Promise<CloudRig> {
  const graph = await FakeGraphApi.start(graphOpts);
  const window = (over.window as MemoryWindowStore | undefined) ?? new MemoryWindowStore();
  const logLines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
  const channel = createWhatsAppCloudChannel({
    token: graph.token,
    phoneNumberId: graph.phoneNumberId,
    apiRoot: graph.apiRoot,
    logger,
    window,
    downloadAttempts: 2,
    ...over,
  });
  const app = Fastify({ logger: false });
  await app.register(whatsappCloudWebhook, { channel, appSecret: graph.appSecret, verifyToken: VERIFY_TOKEN });
  const origin = await app.listen({ host: "127.0.0.1", port: 0 });
  graph.webhookUrl = `${origin}${WEBHOOK_PATH}`;
  return {
    graph,
    channel,
    app,
    window,
    logLines,
    url: graph.webhookUrl,
    async close() {
      await channel.stop();
      await app.close();
      await graph.close();
    },
  };
}

/** Polls a condition the system reaches by itself, bounded (no fixed sleeps). */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Posts a webhook without waiting for the answer (it comes only once the handler finished) and
 * resolves once the channel has taken the message into its person's queue.
 */
export async function handOver(rig: CloudRig, body: Json): Promise<Json> {
  const before = rig.channel.receivedCount();
  rig.graph.deliver(body).catch(() => undefined);
  await until("the webhook to arrive", () => rig.channel.receivedCount() > before);
  return body;
}

export function digitsOf(address: string): string {
  return address.replace(/@s\.whatsapp\.net$/, "");
}

/** One Cloud API send as the person sees it. */
export function delivered(s: CloudSent): DeliveredMessage {
  const p = s.payload;
  if (s.type === "document" && s.document) return { kind: "document", fileName: s.document.fileName, bytes: s.document.bytes, ...(s.document.caption ? { caption: s.document.caption } : {}) };
  if (s.type === "interactive") {
    const i = p.interactive as { type: string; body: { text: string }; action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string; description?: string }[] }[] } };
    const buttons =
      i.type === "button"
        ? (i.action.buttons ?? []).map((b) => ({ label: b.reply.title, id: b.reply.id }))
        : (i.action.sections ?? []).flatMap((s) => s.rows).map((r) => ({ label: `${r.title}${r.description ? ` ${r.description}` : ""}`, id: r.id }));
    return { kind: "text", text: i.body.text, buttons };
  }
  if (s.type === "text") return { kind: "text", text: (p.text as { body: string }).body };
  return { kind: "text", text: `[${s.type}]` };
}
