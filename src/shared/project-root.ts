/**
 * The folder that holds package.json, found from this file's own place: the same whether the
 * service runs from its TypeScript sources (src/) or from the compiled build (dist/src/), and
 * whatever the working directory is. Files shipped with the code (migrations, conversations) are
 * found from here.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function projectRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("package.json not found above the service's code");
    dir = up;
  }
  cached = dir;
  return dir;
}
