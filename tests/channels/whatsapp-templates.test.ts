/**
 * conversations/whatsapp-templates.yaml: the real file passes every rule, each rule has a broken
 * fixture (tests/channels/fixtures/whatsapp-templates/<rule>.yaml) that produces exactly that
 * problem, README shows the exact texts to submit, and every kind the scheduler sends is a kind
 * a template can stand in for.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkTemplatesFile, formatTemplateIssue, TEMPLATE_RULES } from "../../src/channels/whatsapp-cloud/templates.js";
import { MESSAGE_KINDS, TEMPLATE_KINDS } from "../../src/messaging/kinds.js";
import { REMINDER_KINDS } from "../../src/scheduler/reminders.js";

const FILE = "conversations/whatsapp-templates.yaml";
const BROKEN = "tests/channels/fixtures/whatsapp-templates";
const ZFixture = z.strictObject({ rule: z.string(), expect: z.string().optional(), text: z.string() });
const fixtures = readdirSync(BROKEN)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => ({ file: f, ...ZFixture.parse(parse(readFileSync(`${BROKEN}/${f}`, "utf8"))) }));

describe("the real templates file", () => {
  const text = readFileSync(FILE, "utf8");

  it("passes every rule and covers every kind a template can stand in for", () => {
    const r = checkTemplatesFile(text);
    expect(r.issues.map(formatTemplateIssue)).toEqual([]);
    expect(r.book!.missingKinds()).toEqual([]);
  });

  it("is shown in README with each template's exact text and buttons in Indonesian and English", () => {
    const readme = readFileSync("README.md", "utf8");
    const book = checkTemplatesFile(text).book!;
    for (const def of book.byKind.values()) {
      expect(readme, def.name).toContain(`\`${def.name}\``);
      for (const lang of ["id", "en"] as const) {
        const l = def.languages[lang]!;
        expect(readme, `${def.name} ${lang}`).toContain(`> ${l.text}`);
        if (l.buttons) expect(readme, `${def.name} ${lang} buttons`).toContain(`Quick-reply buttons: ${l.buttons.join(", ")}.`);
      }
    }
  });

  it("knows every reminder kind the scheduler sends as a kind of message", () => {
    for (const k of REMINDER_KINDS) expect(Object.keys(MESSAGE_KINDS)).toContain(k);
    expect(TEMPLATE_KINDS).not.toContain("delivery_alert");
  });

  it("is checked by npm run flows:check", () => {
    const out = execFileSync("npx", ["tsx", "src/cli/flows-check.ts"], { encoding: "utf8" });
    expect(out).toMatch(/\d+ WhatsApp templates/);
  });
});

describe("broken templates files: one fixture per rule", () => {
  it("every rule has a fixture and every fixture names a rule", () => {
    expect(fixtures.map((f) => f.rule).sort()).toEqual(Object.keys(TEMPLATE_RULES).sort());
    for (const f of fixtures) expect(f.file).toBe(`${f.rule}.yaml`);
  });

  it.each(fixtures.map((f) => [f.rule, f] as const))("%s", (_rule, f) => {
    const { issues, book } = checkTemplatesFile(f.text, "conversations/whatsapp-templates.yaml");
    expect(book).toBeUndefined();
    expect(issues.map((i) => i.rule)).toEqual([f.rule]);
    const shown = formatTemplateIssue(issues[0]!);
    expect(shown).toMatch(/^conversations\/whatsapp-templates\.yaml:\d+[ :]/);
    if (f.expect) expect(shown).toContain(f.expect);
  });
});
