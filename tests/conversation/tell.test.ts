/**
 * `tell`: a message to anyone is written in that person's language, read once per turn; the sender's
 * own language follows a change made in the same turn.
 */
import { describe, expect, it } from "vitest";
import { Inbox } from "../../src/conversation/inbox.js";
import type { Desk, DeskTurn } from "../../src/desks/desk.js";
import type { EngineMessage } from "../../src/flows/model.js";
import { text } from "../../src/messaging/text.js";
import { useTestDatabase } from "../support/db.js";
import { testInbox } from "../support/test-inbox.js";

const t = useTestDatabase();

const TEXTS = {
  id: { greet: "Halo {name}", "btn.ok": "Baik", card: "Kartu" },
  en: { greet: "Hello {name}", "btn.ok": "OK", card: "Card" },
};

function inboxWith(desk: Desk): Inbox {
  return testInbox(t, [desk], { texts: TEXTS, files: "/tmp/plut-tell-test" });
}

/** Runs `body` in one turn of a message from `sender`; returns what the turn wrote to the outbox, per address. */
async function turnOf(sender: string, body: (turn: DeskTurn) => Promise<void>): Promise<Record<string, string[]>> {
  const desk: Desk = {
    async handle(turn: DeskTurn, _message: EngineMessage) {
      await body(turn);
      return true;
    },
  };
  await inboxWith(desk).handleInbound({ from: { channel: "web", id: sender }, messageId: `m-${sender}`, receivedAt: new Date(), body: { type: "text", text: "hai" } });
  const rows = await t.db.outboxMessage.findMany({ orderBy: [{ address: "asc" }, { seq: "asc" }] });
  const out: Record<string, string[]> = {};
  for (const r of rows) {
    const m = JSON.parse(r.payloadJson) as { text?: string; caption?: string; choices?: Array<{ label: string }> };
    (out[r.address] ??= []).push([m.text ?? m.caption ?? "", ...(m.choices ?? []).map((c) => `[${c.label}]`)].join(" "));
  }
  await t.db.outboxMessage.deleteMany({});
  return out;
}

async function person(address: string, language: string): Promise<string> {
  const i = await t.db.identity.create({ data: { channel: "web", address, language, createdAt: new Date("2026-11-01T00:00:00Z") } });
  return i.id;
}

describe("tell", () => {
  it("writes each recipient's message in their own language, buttons included", async () => {
    const ana = await person("ana", "en");
    const budi = await person("budi", "id");
    const sent = await turnOf("sender-1", async (turn) => {
      await turn.tell(ana, "greet", { name: "Ana" }, [{ id: "x:1", key: "btn.ok" }]);
      await turn.tell(budi, "greet", { name: "Budi" });
      await turn.tellWith(ana, (tr) => [text(`${tr.t("card")} 1`), { type: "document", fileName: "a.pdf", mimeType: "application/pdf", storageKey: "k", caption: tr.t("card") }]);
    });
    expect(sent).toEqual({ ana: ["Hello Ana [OK]", "Card 1", "Card"], budi: ["Halo Budi"] });
  });

  it("reads a recipient's language once per turn, and follows a change the turn reports", async () => {
    const citra = await person("citra", "en");
    const sent = await turnOf("sender-2", async (turn) => {
      await turn.tell(citra, "greet", { name: "1" });
      // Changed behind the turn's back: this turn keeps the language it read.
      await turn.tx.identity.update({ where: { id: citra }, data: { language: "id" } });
      await turn.tell(citra, "greet", { name: "2" });
      turn.languageChanged(citra, "id");
      await turn.tell(citra, "greet", { name: "3" });
    });
    expect(sent.citra).toEqual(["Hello 1", "Hello 2", "Halo 3"]);
  });

  it("speaks to the sender in the language they chose in this very turn", async () => {
    const sent = await turnOf("sender-3", async (turn) => {
      await turn.tell(turn.identity.id, "greet", { name: "a" });
      turn.identity.language = "en";
      await turn.tell(turn.identity.id, "greet", { name: "b" });
      turn.reply(text(turn.t("greet", { name: "c" })));
    });
    // One turn's texts to one person go out as one message (src/outbox/join.ts), each in the language of its moment.
    expect(sent["sender-3"]).toEqual(["Halo a\n\nHello b\n\nHello c"]);
  });
});
