/**
 * Runs a compiled entry point of the service: `node scripts/run.mjs src/main` (what `npm start`
 * does, with the node options of package.json, see the README) or `node scripts/run.mjs src/cli/staff add ...`. Builds first when the build is stale.
 * The entry sees its own path as argv[1] and its arguments after it, as if it had been run directly.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ensureBuilt, ROOT } from "./build.mjs";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run.mjs src/<entry> [arguments]");
  process.exit(64);
}
ensureBuilt();
const file = path.join(ROOT, "dist", `${entry.replace(/\.(ts|js)$/, "")}.js`);
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
