/**
 * A turn's texts for one person become as few messages as the channel's length limit allows:
 * joined as paragraphs in order, the buttons on the last, documents and messages of a kind on their
 * own, other people's messages apart.
 */
import { describe, expect, it } from "vitest";
import { splitText } from "../../src/channels/channel.js";
import type { Outbound } from "../../src/messaging/model.js";
import { joinTexts, joinTurnReplies } from "../../src/outbox/join.js";

const text = (t: string, extra: Partial<Extract<Outbound, { type: "text" }>> = {}): Outbound => ({ type: "text", text: t, ...extra });
const doc: Outbound = { type: "document", fileName: "bap.pdf", mimeType: "application/pdf", storageKey: "k1" };

describe("joining a turn's texts", () => {
  it("joins plain texts as paragraphs, in order, with the buttons of the last", () => {
    const choices = [{ id: "P", label: "Perempuan" }, { id: "L", label: "Laki-laki" }];
    const out = joinTexts([text("Terima kasih 🙏"), text("Bagian 1 dari 4"), text("Jenis kelamin?", { choices })], 4096);
    expect(out).toEqual([text("Terima kasih 🙏\n\nBagian 1 dari 4\n\nJenis kelamin?", { choices })]);
  });

  it("starts a new message after one that offers buttons or the contact button", () => {
    const out = joinTexts([text("a", { choices: [{ id: "x", label: "X" }] }), text("b"), text("c", { requestContact: true, contactButtonLabel: "Kirim nomor" }), text("d")], 4096);
    expect(out.map((m) => (m.type === "text" ? m.text : ""))).toEqual(["a", "b\n\nc", "d"]);
    expect(out[1]).toMatchObject({ requestContact: true, contactButtonLabel: "Kirim nomor" });
  });

  it("keeps documents and messages of a kind on their own, in their place", () => {
    const reminder = text("Pengingat", { kind: "action_item_due", params: { item: "x" } });
    const out = joinTexts([text("a"), doc, text("b"), reminder, text("c"), text("d")], 4096);
    expect(out).toEqual([text("a"), doc, text("b"), reminder, text("c\n\nd")]);
  });

  it("never joins past the limit; a text longer than the limit alone stays whole and the channel splits it at paragraphs, in order", () => {
    const para = (c: string) => c.repeat(1500);
    const out = joinTexts([text(para("a")), text(para("b")), text(para("c"))], 4096);
    expect(out.map((m) => (m.type === "text" ? m.text.length : 0))).toEqual([3002, 1500]);
    const long = [para("x"), para("y"), para("z")].join("\n\n");
    const [only] = joinTexts([text(long)], 4096);
    const parts = splitText((only as { text: string }).text, 4096);
    expect(parts).toEqual([`${para("x")}\n\n${para("y")}`, para("z")]);
  });

  it("joins per person, each person's messages in their order", () => {
    const out = joinTurnReplies(
      [
        { identityId: "client", message: text("c1") },
        { identityId: "admin", message: text("a1", { kind: "notification" }) },
        { identityId: "client", message: text("c2") },
        { identityId: "admin", message: text("a2", { kind: "notification" }) },
      ],
      () => 4096,
    );
    expect(out.map((o) => [o.identityId, (o.message as { text: string }).text])).toEqual([
      ["client", "c1\n\nc2"],
      ["admin", "a1"],
      ["admin", "a2"],
    ]);
  });
});
