/**
 * A module resolve hook (registered with `node --import`) that names every module of the SQLite
 * generated client a process loads, on stderr. Used by tests/db/provider-imports.test.ts.
 */
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes("/generated/sqlite/")) process.stderr.write("SQLITE CLIENT " + r.url + "\\n");
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
