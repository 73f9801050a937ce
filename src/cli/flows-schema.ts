/**
 * `npm run flows:schema`: writes conversations/flow.schema.json from the zod schema of flow files,
 * so editors (yaml-language-server) complete and check conversations/flows/*.yaml.
 * `--check` compares instead of writing and exits 1 when the file is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { flowSchemaText } from "../flows/schema-file.js";

const target = resolve("conversations/flow.schema.json");
const text = flowSchemaText();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error(`${target} is out of date: run npm run flows:schema`);
    process.exitCode = 1;
  } else {
    console.log(`OK: ${target} is up to date`);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
