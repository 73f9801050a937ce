/**
 * The layers of src/ and which way they may import (README: "Architecture in a few lines"):
 *
 *   channels/, http/, scheduler/      sources of events
 *     -> conversation/                the inbox: dedupe, per-person order, one transaction per turn
 *       -> desks/                     the application: client, staff, invitations (and the reminder desk)
 *         -> domain/                  the office's rules; declares the port it needs (domain/port.ts)
 *           -> db/, outbox/
 *   leaf libraries, importing none of the above: flows/, messaging/, i18n/, shared/, config/,
 *   logging/, security/, storage/, documents/
 *
 * An import against the arrows is an error in `npm run lint` and `npm run check:layers` (which also
 * runs madge for import cycles). Matched on the import path as written: every import in src/ is relative.
 *
 * SQL and Prisma's internals stay in db/ and outbox/: anywhere else, raw queries ($queryRaw,
 * $executeRaw and their Unsafe forms, Prisma.sql), Prisma's private `_activeProvider` and imports of
 * the generated clients are errors (tests/db/sql-boundary.test.ts proves the rule fires). The
 * provider of a client is src/db/provider.ts's `providerOf`.
 */
import tseslint from "typescript-eslint";

/** `conversation/`, `desks/` ... as a segment of a relative import path. */
const folder = (...names) => `(^|/)(${names.join("|")})/`;
const ROOT = "(^|/)(service|main)\\.js$";

const LEAVES = ["flows", "messaging", "i18n", "shared", "config", "logging", "security", "storage", "documents"];
const ABOVE_LEAVES = ["conversation", "desks", "domain", "db", "outbox", "channels", "http", "scheduler", "cli"];

/** [the folders, what they may not import, why] */
const RULES = [
  [LEAVES, ABOVE_LEAVES, "a leaf library imports nothing above it"],
  [["domain"], ["conversation", "desks", "channels", "http", "scheduler", "cli"], "the domain declares what it needs in domain/port.ts instead"],
  [["desks"], ["conversation", "channels", "http", "scheduler", "cli"], "desks see the turn through desks/desk.ts; the inbox imports desks, not the reverse"],
  [["conversation"], ["channels", "http", "scheduler", "cli"], "channels and jobs call the inbox, not the reverse"],
  [["db"], ["conversation", "desks", "domain", "outbox", "http", "scheduler", "cli", "flows"], "the database layer serves the layers above"],
  [["outbox"], ["conversation", "desks", "domain", "http", "scheduler", "cli"], "the outbox serves the layers above"],
  [["channels"], ["conversation", "desks", "domain", "db", "outbox", "http", "scheduler", "cli", "flows"], "a channel turns vendor events into inbound messages, nothing more"],
  [["http"], ["channels", "scheduler", "cli"], "the dashboard and the jobs are separate sources"],
  [["scheduler"], ["channels", "http", "cli"], "the jobs and the dashboard are separate sources"],
];

/** Folders where SQL and Prisma's internals may be written. */
const SQL_HOMES = ["db", "outbox"];
const SQL_MESSAGE = "SQL and Prisma internals live in src/db/ (or src/outbox/): call a named function there";

/** The generated Prisma clients, imported anywhere but db/ (outbox/ needs none either). */
const generatedImport = (from) =>
  from.includes("db") ? [] : [{ regex: "(^|/)generated/", caseSensitive: true, message: `${SQL_MESSAGE} (the generated clients are db/'s).` }];

const rawSql = [
  "error",
  { selector: "MemberExpression[property.name=/^\\$(queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe)$/]", message: `${SQL_MESSAGE}.` },
  { selector: "MemberExpression[property.value=/^\\$(queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe)$/]", message: `${SQL_MESSAGE}.` },
  { selector: "MemberExpression[property.name='_activeProvider'], MemberExpression[property.value='_activeProvider']", message: "Prisma's private provider: use providerOf from src/db/provider.ts." },
  { selector: "MemberExpression[object.name='Prisma'][property.name=/^(sql|raw|join|empty)$/]", message: `${SQL_MESSAGE}.` },
];

export const layerRules = [
  ...RULES.map(([from, forbidden, why]) => ({
    files: from.map((f) => `src/${f}/**/*.ts`),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: folder(...forbidden), caseSensitive: true, message: `Layers: ${from.join(", ")} may not import ${forbidden.join(", ")} (${why}).` },
            { regex: ROOT, caseSensitive: true, message: "Layers: only the entry points import the composition root." },
            ...generatedImport(from),
          ],
        },
      ],
    },
  })),
  {
    // The folders without a layer rule of their own (the entry points, the command-line tools).
    files: ["src/*.ts", "src/cli/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: generatedImport([]) }] },
  },
  {
    files: ["src/**/*.ts"],
    ignores: [...SQL_HOMES.map((f) => `src/${f}/**`), "src/generated/**"],
    rules: { "no-restricted-syntax": rawSql },
  },
];

/** `eslint -c eslint.layers.config.js src`: the layer rules alone (npm run check:layers). */
export default [
  { ignores: ["src/generated/**"] },
  { files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } },
  ...layerRules,
];
