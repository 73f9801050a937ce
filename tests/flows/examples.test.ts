/**
 * Every error a person reads gives an example that fits the question (issue 17): a text question
 * names its own example (a name, an address, a problem), a number question says what it counts
 * (money, a count, a year) so its errors come from q.money/q.count/q.year, an identifier names
 * its example number.
 */
import { describe, expect, it } from "vitest";
import { isQuestion } from "../../src/flows/definition.js";
import { step } from "../../src/flows/engine.js";
import { realConversations, consented } from "./helpers.js";

describe("examples in error texts fit their question", () => {
  const c = realConversations();
  const questions = [...c.flows.values()].flatMap((f) => [...f.index.values()].map((e) => ({ flow: f.def.id, node: e.node })));

  it("every text and identifier question of the real flows names its own example", () => {
    const missing = questions
      .filter(({ node }) => isQuestion(node) && (node.type === "text" || node.type === "identifier") && !("example" in node && node.example))
      .map(({ flow, node }) => `${flow}.${node.id}`);
    expect(missing).toEqual([]);
  });

  it("a name is re-asked with a name as the example, a year with a year, a count with a count", () => {
    const now = new Date("2026-03-02T01:00:00Z");
    const person = consented({});
    let r = step({ conversations: c, session: null, message: { type: "start", flowId: "registration", vars: {} }, person, now });
    const said = (text: string) => {
      r = step({ conversations: c, session: r.session, message: { type: "text", text }, person, now });
      return r.replies.map((x) => (x.type === "text" ? x.text : "")).join("\n");
    };
    expect(said("Ab")).toContain("misalnya: Ni Made Sari Dewi");
    const out = [said("ni made sari"), said("P"), said("17-08-1985"), said("5104015708850001")];
    expect(out.join("\n")).not.toContain("misalnya: Penjualan");
  });
});
