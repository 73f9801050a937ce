/**
 * The office's consultant areas (conversations/areas.yaml) and the routing rules
 * (conversations/routing.yaml) as data: conditions on assessment answers and keywords in the
 * client's own words, with weights. Validated with zod; an area a rule names must exist.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";

const ZCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "lower-case letters, digits and _");

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
  .object({
    answer: z.string().min(1),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    includes: z.string().optional(),
    includesAny: z.array(z.string()).optional(),
    atLeast: z.number().optional(),
  })
  .refine((c) => [c.equals, c.includes, c.includesAny, c.atLeast].filter((x) => x !== undefined).length === 1, {
    message: "a condition needs exactly one of equals, includes, includesAny, atLeast",
  });

export const ZRoutingFile = z.object({
  version: z.number().int().min(1),
  /** The lowest total score that makes a recommendation; below it the admin chooses. */
  minimumScore: z.number().min(0).default(1),
  rules: z
    .array(
      z
        .object({
          id: ZCode,
          area: ZCode,
          weight: z.number().positive(),
          when: ZCondition.optional(),
          /** Words or phrases in the client's own description (matched without case, accents or punctuation). */
          keywords: z.array(z.string().min(2)).optional(),
          /** How the reason reads in the explanation, e.g. "butuh modal"; keywords explain themselves. */
          reason: z.string().min(1).optional(),
        })
        .refine((r) => (r.when ? 1 : 0) + (r.keywords ? 1 : 0) === 1, { message: "a rule has either `when` or `keywords`" })
        .refine((r) => r.keywords || r.reason, { message: "a `when` rule needs a `reason`" }),
    )
    .min(1),
});
export type RoutingFile = z.infer<typeof ZRoutingFile>;
export type RoutingRule = RoutingFile["rules"][number];

export interface OfficeSetup {
  areas: AreasFile;
  routing: RoutingFile;
}

export function loadOfficeSetup(dir: string): OfficeSetup {
  const read = <T>(file: string, schema: z.ZodType<T>): T => {
    const full = path.join(dir, file);
    const parsed = schema.safeParse(YAML.parse(fs.readFileSync(full, "utf8")));
    if (!parsed.success) {
      throw new Error(`${full}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    return parsed.data;
  };
  const areas = read("areas.yaml", ZAreasFile);
  const routing = read("routing.yaml", ZRoutingFile);
  const codes = new Set(areas.areas.map((a) => a.code));
  const unknown = routing.rules.filter((r) => !codes.has(r.area));
  if (unknown.length > 0) {
    throw new Error(`${path.join(dir, "routing.yaml")}: rules name areas not in areas.yaml: ${unknown.map((r) => `${r.id} -> ${r.area}`).join(", ")}`);
  }
  return { areas, routing };
}
