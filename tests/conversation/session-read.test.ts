/**
 * A turn reads the person's session once while nothing can have changed it (several desks ask
 * whether the person is in a form before one works), and again after anything that may have: its
 * own session write, or any use of Prisma (`tx`), which may change or delete session rows.
 */
import { describe, expect, it } from "vitest";
import type { Desk, DeskTurn } from "../../src/desks/desk.js";
import type { Turn } from "../../src/conversation/turn.js";
import { useTestDatabase } from "../support/db.js";
import { testInbox } from "../support/test-inbox.js";

const t = useTestDatabase();

async function inTurn(body: (turn: DeskTurn, reads: () => number) => Promise<void>): Promise<void> {
  const desk: Desk = {
    async handle(turn: DeskTurn) {
      // Count the reads that reach the database.
      const store = (turn as Turn).store;
      const read = store.session.bind(store);
      let n = 0;
      store.session = (id: string) => {
        n++;
        return read(id);
      };
      await body(turn, () => n);
      return true;
    },
  };
  const inbox = testInbox(t, [desk], { files: "/tmp/plut-session-read-test" });
  await inbox.handleInbound({ from: { channel: "web", id: "sesi-1" }, messageId: `m-${Math.random()}`, receivedAt: new Date(), body: { type: "text", text: "hai" } });
}

describe("the session within a turn", () => {
  it("is read once for several readers, and again after a session write or any use of Prisma", async () => {
    let checked = false;
    await inTurn(async (turn, reads) => {
      const id = turn.identity.id;
      expect((await turn.readSession(id)).offered).toEqual([]);
      expect((await turn.readSession(id)).status).toBe("idle");
      expect(reads()).toBe(1);

      await turn.writeSession(id, { offered: [{ id: "case:1", label: "Kasus 1" }] });
      expect((await turn.readSession(id)).offered).toEqual([{ id: "case:1", label: "Kasus 1" }]);
      const afterWrite = reads();

      // Deleted behind the turn's back, through Prisma: read afresh, not the row remembered.
      await turn.tx.conversationSession.deleteMany({ where: { identityId: id } });
      expect((await turn.readSession(id)).offered).toEqual([]);
      expect(reads()).toBe(afterWrite + 1);
      checked = true;
    });
    expect(checked).toBe(true);
  });
});
