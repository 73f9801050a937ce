/** Reads a regions file (conversations/regions/gianyar.yaml) from disk; the checking is in region.ts. */
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { type Regions, parseRegions } from "./region.js";

/** Loads and validates a regions YAML file; throws with the path and what is wrong. */
export async function loadRegions(path: string): Promise<Regions> {
  const text = await readFile(path, "utf8");
  try {
    return parseRegions(parse(text));
  } catch (e) {
    throw new Error(`invalid regions file ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
