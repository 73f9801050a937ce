/**
 * The shared channel contract on the WhatsApp Cloud API channel: real HTTP both ways (signed
 * webhooks into the app, sends to the Graph API stand-in on loopback).
 */
import { channelContract, type ChannelHarness, type SendFailureKind } from "./contract.js";
import { delivered, digitsOf, handOver, startCloudRig } from "./whatsapp-cloud-harness.js";
import type { GraphFailure, Json } from "../support/fake-graph-api.js";

const A = "6281234567890@s.whatsapp.net";
const B = "6289876543210@s.whatsapp.net";

const FAILURES: Record<SendFailureKind, GraphFailure> = {
  retry: { httpStatus: 500, code: 131000, message: "Something went wrong" },
  rate_limited: { httpStatus: 400, code: 130429, message: "Rate limit hit" },
  permanent: { httpStatus: 400, code: 131026, message: "Message undeliverable" },
};

async function makeHarness(): Promise<ChannelHarness<Json>> {
  const rig = await startCloudRig({ maxInboundFileBytes: 5 * 1024 * 1024 });
  // Both people wrote a moment ago: the customer-service window is open (sends outside it have their own tests).
  for (const p of [A, B]) await rig.window.personWrote(p, new Date());
  const { graph } = rig;
  return {
    channel: rig.channel,
    personA: A,
    personB: B,
    inject: {
      text: (person, text) => handOver(rig, graph.text(digitsOf(person), text)),
      choice: (person, id) => handOver(rig, graph.buttonReply(digitsOf(person), id, "Pilihan")),
      photo: (person, bytes) => handOver(rig, graph.image(digitsOf(person), bytes)),
      document: (person, bytes, fileName, mimeType) => handOver(rig, graph.document(digitsOf(person), bytes, fileName, mimeType)),
      contact: (person, phone) => handOver(rig, graph.contact(digitsOf(person), phone, { cardWaId: digitsOf(person), name: "Saya" })),
      oversizedFile: (person) => handOver(rig, graph.document(digitsOf(person), Buffer.from("%PDF-1.4 kecil"), "besar.pdf", "application/pdf", { claimedSize: 20 * 1024 * 1024 })),
      duplicate: async (ref) => void (await handOver(rig, ref)),
    },
    sentTo: (person) => graph.sentTo(digitsOf(person)).map(delivered),
    failNextSend: (kind, opts) => graph.failNext("messages", FAILURES[kind], opts),
    downloads: () => graph.downloads.length,
    close: () => rig.close(),
  };
}

channelContract("whatsapp-cloud", makeHarness);
