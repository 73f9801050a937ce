/**
 * The office's consultant areas (conversations/areas.yaml), the routing rules on assessment answers
 * (conversations/routing.yaml) and the router's vocabulary (conversations/routing-lexicon.yaml), as
 * data. Validated with zod; every area a rule or the lexicon names must exist. The cross-checks
 * against the flows (answer paths, option ids) are in check.ts, run by flows:check.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { compileLexicon, ZLexiconFile, type CompiledLexicon } from "./lexicon.js";

const ZCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "lower-case letters, digits and _");


/** What route() needs: the rules, the compiled lexicon and the order of the areas. */
export interface RoutingSetup {
  rules: RoutingFile;
  lexicon: CompiledLexicon;
  /** Area codes in the order of areas.yaml: the last tie-breaker, never the alphabet. */
  areaOrder: readonly string[];
}

export const ZAreasFile = z.object({
  areas: z
    .array(
      z.object({
        code: ZCode,
        /** Services of the SOP this area usually gives (for the consultant's quick choices). */
        services: z.array(ZCode).default([]),
      }),
    )
    .min(1),
  /** The services a consultant can record (SOP step 4); labels are texts `service.<code>`. */
  services: z.array(ZCode).min(1),
});
export type AreasFile = z.infer<typeof ZAreasFile>;

const ZCondition = z
  .strictObject({
    /** A store path of an assessment answer, as the flows store it ("assessment.needsCapital"). */
    answer: z.string().min(1),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    includes: z.string().optional(),
    includesAny: z.array(z.string()).min(1).optional(),
    atLeast: z.number().optional(),
  })
  .refine((c) => [c.equals, c.includes, c.includesAny, c.atLeast].filter((x) => x !== undefined).length === 1, {
    message: "a condition needs exactly one of equals, includes, includesAny, atLeast",
  });

export const ZRoutingFile = z.strictObject({
  version: z.literal(2),
  /** The lowest total score that makes a recommendation; below it the admin chooses. */
  minimumScore: z.number().positive(),
  /** When the first two areas are closer than this, both are shown as equally likely and the admin chooses. */
  tieMargin: z.number().min(0),
  /** A concept the client denies ("tidak butuh modal") counts against its area by this share of its weight. */
  deniedWeight: z.number().min(0).max(1).default(0.5),
  /** The strongest concept named for an area counts fully, each further one by this share. */
  otherConcepts: z.number().min(0).max(1).default(0.6),
  /** Each further word for the same concept ("NIB", "OSS") adds this share of its weight, at most twice. */
  otherWords: z.number().min(0).max(1).default(0.25),
  rules: z
    .array(
      z.strictObject({
        id: ZCode,
        area: ZCode,
        weight: z.number().positive(),
        when: ZCondition,
        /** How the reason reads in the explanation, e.g. "butuh modal". */
        reason: z.string().min(1),
      }),
    )
    .min(1),
});
export type RoutingFile = z.infer<typeof ZRoutingFile>;
export type RoutingRule = RoutingFile["rules"][number];

export interface OfficeSetup {
  areas: AreasFile;
  routing: RoutingSetup;
}

export const OFFICE_FILES = { areas: "areas.yaml", routing: "routing.yaml", lexicon: "routing-lexicon.yaml" } as const;

/** Builds the office setup from the three files' parsed YAML; throws naming the file and what is wrong. */
export function buildOfficeSetup(data: Record<keyof typeof OFFICE_FILES, unknown>, where = (f: string) => f): OfficeSetup {
  const read = <T>(file: string, schema: z.ZodType<T>, raw: unknown): T => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`${where(file)}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return parsed.data;
  };
  const areas = read(OFFICE_FILES.areas, ZAreasFile, data.areas);
  const rules = read(OFFICE_FILES.routing, ZRoutingFile, data.routing);
  const lexicon = read(OFFICE_FILES.lexicon, ZLexiconFile, data.lexicon);
  const codes = areas.areas.map((a) => a.code);
  const unknown = rules.rules.filter((r) => !codes.includes(r.area));
  if (unknown.length > 0) {
    throw new Error(`${where(OFFICE_FILES.routing)}: rules name areas not in areas.yaml: ${unknown.map((r) => `${r.id} -> ${r.area}`).join(", ")}`);
  }
  const strange = Object.keys(lexicon.areas).filter((a) => !codes.includes(a));
  if (strange.length > 0) throw new Error(`${where(OFFICE_FILES.lexicon)}: areas not in areas.yaml: ${strange.join(", ")}`);
  return { areas, routing: { rules, lexicon: compileLexicon(lexicon), areaOrder: codes } };
}

export function loadOfficeSetup(dir: string): OfficeSetup {
  const yaml = (file: string): unknown => YAML.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  return buildOfficeSetup(
    { areas: yaml(OFFICE_FILES.areas), routing: yaml(OFFICE_FILES.routing), lexicon: yaml(OFFICE_FILES.lexicon) },
    (f) => path.join(dir, f),
  );
}
