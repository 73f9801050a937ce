/**
 * Flow definitions are checked at load and by flows:check. One broken fixture per rule
 * (tests/flows/fixtures/broken/<rule>.yaml) puts files beside the real conversations and must
 * produce that rule's problem, with the file, line and path, and nothing about the real files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FlowDefinitionError, formatIssue, RULES, type RuleCode } from "../../src/flows/definition.js";
import { checkConversationFiles, loadConversations, readConversationFiles } from "../../src/flows/load.js";
import { flowSchemaText } from "../../src/flows/schema-file.js";
import { CONVERSATIONS_DIR, otherTextFiles, realConversations } from "./helpers.js";

const BROKEN = "tests/flows/fixtures/broken";
const ZBroken = z.strictObject({
  rule: z.string(),
  expect: z.string().optional(),
  files: z.record(z.string(), z.string()).refine((f) => Object.keys(f).length > 0),
});

const fixtures = readdirSync(BROKEN)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => ({ file: f, ...ZBroken.parse(parse(readFileSync(`${BROKEN}/${f}`, "utf8"))) }));

function problems(files: Record<string, string>) {
  try {
    loadConversations(CONVERSATIONS_DIR, { overlay: { ...otherTextFiles(), ...files } });
  } catch (e) {
    if (e instanceof FlowDefinitionError) return e.issues;
    throw e;
  }
  return [];
}

describe("the real conversations", () => {
  it("load without problems (flows and their texts)", () => {
    const c = realConversations();
    expect([...c.flows.keys()].sort()).toEqual([
      "action_plan",
      "appointment_availability",
      "bap_feedback",
      "complaint",
      "consent",
      "delete_my_data",
      "impact_followup",
      "monitoring",
      "new_case",
      "profile_update",
      "registration",
      "staff_complaint_answer",
      "staff_diagnosis",
      "staff_evaluation",
      "staff_final_report",
      "staff_message",
      "staff_monitoring_date",
      "staff_note",
      "staff_plan_changes",
      "staff_prescription",
      "staff_referral",
      "survey",
    ]);
    expect(c.consentFlowId).toBe("consent");
  });

  it("pass flows:check as a whole (every texts file in every language)", () => {
    const { issues } = checkConversationFiles(readConversationFiles(CONVERSATIONS_DIR));
    expect(issues.map(formatIssue)).toEqual([]);
  });

  it("every flow file carries the $schema line for editors", () => {
    for (const [rel, text] of Object.entries(readConversationFiles(CONVERSATIONS_DIR))) {
      if (rel.startsWith("flows/")) expect(text, rel).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+flow\.schema\.json$/m);
    }
  });
});

describe("conversations/flow.schema.json", () => {
  it("equals a fresh generation from the zod schema (run npm run flows:schema)", () => {
    expect(readFileSync(`${CONVERSATIONS_DIR}/flow.schema.json`, "utf8")).toBe(flowSchemaText());
  });

  it("describes every node type for editors", () => {
    const text = flowSchemaText();
    for (const t of ["text", "number", "choice", "multi_choice", "yes_no", "date", "phone", "email", "nik", "kecamatan", "desa", "media", "location", "rating", "message", "summary", "end", "group", "include"]) {
      expect(text).toContain(`"const": "${t}"`);
    }
  });
});

describe("broken definitions: one fixture per rule", () => {
  it("every rule has a fixture and every fixture names a rule", () => {
    const rules = Object.keys(RULES).sort();
    expect(fixtures.map((f) => f.rule).sort()).toEqual(rules);
    for (const f of fixtures) expect(f.file).toBe(`${f.rule}.yaml`);
  });

  for (const f of fixtures) {
    it(`${f.rule}: ${RULES[f.rule as RuleCode] ?? "?"}`, () => {
      const issues = problems(f.files);
      const mine = issues.filter((i) => i.code === f.rule);
      expect(mine.length, `no [${f.rule}] among:\n${issues.map(formatIssue).join("\n")}`).toBeGreaterThan(0);
      if (f.expect) expect(mine.map((i) => i.message).join("\n")).toContain(f.expect);
      // Problems point into the fixture's files (the real files stay clean) with a line where there is one.
      const names = Object.keys(f.files);
      for (const i of issues) {
        const inFixture = names.some((n) => i.file.endsWith(n));
        const crossFile = i.code === "consent_flow" || i.code === "option_mismatch" || i.code === "duplicate_flow" || i.code === "archive_version";
        expect(inFixture || crossFile, formatIssue(i)).toBe(true);
      }
      for (const i of mine) if (i.code !== "consent_flow" && i.code !== "missing_text") expect(i.line, formatIssue(i)).toBeGreaterThan(0);
    });
  }

  it("reports every problem at once, each with file, line and path", () => {
    const issues = problems({
      "flows/broken.yaml": [
        "# yaml-language-server: $schema=../flow.schema.json",
        "id: broken",
        "version: 1",
        "title: registration.title",
        "nodes:",
        "  - id: name",
        "    type: text",
        "    prompt: no.such.key",
        "    label: registration.full_name.label",
        "    store: client.fullname",
        "    next: nowhere",
        "complete:",
        "  submit: test",
      ].join("\n"),
    });
    expect(issues.map(formatIssue)).toEqual([
      'conversations/flows/broken.yaml:11 nodes[0](name).next: [dangling_next] next: "nowhere" is not a node of this flow',
      'conversations/flows/broken.yaml:8 nodes[0](name).prompt: [missing_text] text key "no.such.key" (prompt) is missing in any language',
      'conversations/flows/broken.yaml:10 nodes[0](name).store: [unknown_store] "client.fullname" is not a store path (see src/flows/store.ts); did you mean client.fullName?',
    ]);
  });
});
