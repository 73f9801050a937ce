/**
 * Reading the texts without the whole conversation set: the CLI and the tests need only the flat
 * key -> string maps of conversations/texts/<lang>/*.yaml (the running service passes the texts
 * src/flows/load.ts loaded and checked).
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { LANGS, type Texts } from "../i18n/index.js";

export function readTextsDir(conversationsDir: string, only?: (file: string) => boolean): Texts {
  const out = Object.fromEntries(LANGS.map((l) => [l, {} as Record<string, string>])) as Record<(typeof LANGS)[number], Record<string, string>>;
  for (const lang of LANGS) {
    const dir = path.join(conversationsDir, "texts", lang);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (!/\.ya?ml$/.test(file) || (only && !only(file))) continue;
      const data: unknown = parse(fs.readFileSync(path.join(dir, file), "utf8"));
      if (!data || typeof data !== "object") continue;
      for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (typeof v === "string") out[lang][k] = v;
    }
  }
  return out;
}
