/**
 * prisma/schema.prisma is the one model. This writes prisma/postgresql/schema.prisma from it (provider
 * and output only) and generates both clients. Prisma's CLI wants to download a native engine before
 * generating, which it does not use for generating: PRISMA_SCHEMA_ENGINE_BINARY points it at /bin/true.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const PG_SCHEMA = "prisma/postgresql/schema.prisma";

export function postgresSchemaFrom(sqliteSchema: string): string {
  const out = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output        = "../src/generated/sqlite"', 'output        = "../../src/generated/postgresql"');
  if (out === sqliteSchema || !out.includes("generated/postgresql")) throw new Error("prisma/schema.prisma changed shape: update scripts/prisma-schemas.ts");
  return `// GENERATED from prisma/schema.prisma by \`npm run db:generate\`. Edit that file, not this one.\n${out}`;
}

export function writePostgresSchema(root = process.cwd()): boolean {
  const text = postgresSchemaFrom(fs.readFileSync(path.join(root, SQLITE_SCHEMA), "utf8"));
  const target = path.join(root, PG_SCHEMA);
  const old = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  if (old === text) return false;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  return true;
}

function generate(schema: string): void {
  const prismaBin = path.join("node_modules", ".bin", process.platform === "win32" ? "prisma.cmd" : "prisma");
  execFileSync(prismaBin, ["generate", "--schema", schema], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writePostgresSchema();
  generate(SQLITE_SCHEMA);
  generate(PG_SCHEMA);
  console.log("Prisma clients generated (sqlite, postgresql).");
}
