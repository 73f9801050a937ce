/**
 * `npm run flows:check`: checks every flow, fragment, archived version and text in conversations/,
 * and the office's files: consultant areas, routing rules, the router's lexicon and its labelled
 * cases (areas.yaml, routing.yaml, routing-lexicon.yaml, routing-cases.yaml), with their names.
 * Prints OK with counts, or each problem as file:line path: [rule] message, and exits 1.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatIssue } from "../flows/definition.js";
import { checkConversationFiles, readConversationFiles } from "../flows/load.js";
import { checkOfficeFiles, formatOfficeIssue, officeFilesOf } from "../domain/routing/check.js";
import { loadOfficeSetup } from "../domain/routing/rules.js";
import { checkTemplatesFile, formatTemplateIssue, TEMPLATES_FILE } from "../channels/whatsapp-cloud/templates.js";

const dir = resolve(process.argv[2] ?? "conversations");
const label = dir.endsWith("conversations") ? "conversations" : dir;
const files = readConversationFiles(dir);
const { issues, counts, loaded } = checkConversationFiles(files, label);
const office: string[] = [];
if (loaded) {
  office.push(...checkOfficeFiles(officeFilesOf(files), loaded, label).map(formatOfficeIssue));
  if (office.length === 0) {
    try {
      const setup = loadOfficeSetup(dir);
      for (const lang of ["id", "en"] as const) {
        for (const a of setup.areas.areas) if (!loaded.texts[lang][`area.${a.code}`]) office.push(`area.${a.code} has no name in "${lang}" (conversations/texts/${lang}/)`);
        for (const s of setup.areas.services) if (!loaded.texts[lang][`service.${s}`]) office.push(`service.${s} has no name in "${lang}" (conversations/texts/${lang}/)`);
      }
    } catch (e) {
      office.push((e as Error).message);
    }
  }
}

// The WhatsApp Cloud API templates (optional file): each kind's template, its parameters and texts.
const templatesFile = join(dir, TEMPLATES_FILE);
let templates = "no WhatsApp templates file";
if (existsSync(templatesFile)) {
  const r = checkTemplatesFile(readFileSync(templatesFile, "utf8"), `${dir.endsWith("conversations") ? "conversations" : dir}/${TEMPLATES_FILE}`);
  for (const i of r.issues) office.push(formatTemplateIssue(i));
  templates = r.book ? `${r.book.byKind.size} WhatsApp templates` : templates;
}

if (issues.length || office.length) {
  console.error(`flows:check found ${issues.length + office.length} problem(s):`);
  for (const i of issues) console.error(`  ${formatIssue(i)}`);
  for (const o of office) console.error(`  ${o}`);
  process.exitCode = 1;
} else {
  console.log(
    `OK: ${counts.flows} flows (${counts.versions} versions incl. archive), ${counts.fragments} fragments, ` +
      `${counts.nodes} nodes, ${counts.texts} texts in ${counts.languages} languages; areas, routing rules, lexicon and routing cases valid; ${templates}`,
  );
}
