/**
 * `npm run flows:check`: checks every flow, fragment, archived version and text in conversations/.
 * Prints OK with counts, or each problem as file:line path: [rule] message, and exits 1.
 */
import { resolve } from "node:path";
import { formatIssue } from "../flows/definition.js";
import { checkConversationFiles, readConversationFiles } from "../flows/load.js";

const dir = resolve(process.argv[2] ?? "conversations");
const { issues, counts } = checkConversationFiles(readConversationFiles(dir), dir.endsWith("conversations") ? "conversations" : dir);

if (issues.length) {
  console.error(`flows:check found ${issues.length} problem(s):`);
  for (const i of issues) console.error(`  ${formatIssue(i)}`);
  process.exitCode = 1;
} else {
  console.log(
    `OK: ${counts.flows} flows (${counts.versions} versions incl. archive), ${counts.fragments} fragments, ` +
      `${counts.nodes} nodes, ${counts.texts} texts in ${counts.languages} languages`,
  );
}
