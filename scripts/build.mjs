/**
 * The compiled build of the service (`dist/`), and the check `npm start` makes before it runs it:
 * production runs plain JavaScript (no TypeScript compiler in memory), and a checkout whose
 * sources are newer than the build is built again first, so `npm install && npm start` stays the
 * whole quick start. `npm run build` builds unconditionally.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = path.join(ROOT, "dist", ".build-stamp");
/** What the build is made from: a change in any of these makes it stale. */
const INPUTS = ["src", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

/** Newest modification time (ms) under `p`, skipping tests (they are not built). */
function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return p.endsWith(".test.ts") ? 0 : st.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

/** True when dist/ is missing or older than any of its inputs. */
export function isStale(root = ROOT) {
  let built;
  try {
    built = fs.statSync(path.join(root, "dist", ".build-stamp")).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((i) => newestMtime(path.join(root, i)) > built);
}

/**
 * Plain JavaScript modules that run as they are (the SQLite checkpoint worker, started by file
 * name in a worker thread) are not compiled, so tsc does not emit them: copied beside the output.
 */
function copyPlainModules(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    if (entry.isDirectory()) copyPlainModules(src, path.join(to, entry.name));
    else if (/\.(mjs|cjs)$/.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, path.join(to, entry.name));
    }
  }
}

/** Compile with the project's TypeScript; exits the process with tsc's output on a type error. */
export function build() {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], { stdio: "inherit", cwd: ROOT });
  if (r.status !== 0) {
    console.error("The build failed (see above); nothing was started.");
    process.exit(r.status ?? 1);
  }
  copyPlainModules(path.join(ROOT, "src"), path.join(ROOT, "dist", "src"));
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

export function ensureBuilt() {
  if (!isStale()) return;
  console.error("Building the service (first start, or the sources changed) ...");
  build();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) build();
