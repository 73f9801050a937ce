/**
 * `npm run db:migration -- <name>`: writes, for each provider, a migration that takes the model of
 * the last migration (prisma/<provider>/migrations/schema.snapshot.prisma) to prisma/schema.prisma,
 * and moves the snapshot on. Prisma's schema engine runs as WASM; diffing model to model needs no
 * introspection of a live database (the pg adapter cannot introspect PostgreSQL's catalog here).
 * The drift test (tests/db/migrations.test.ts) proves the migrations really build the snapshot.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { diffSchemas, openSchemaEngine } from "../src/db/schema-engine.js";
import { migrationsDir } from "../src/db/migrate.js";
import { PG_SCHEMA, SQLITE_SCHEMA, writePostgresSchema } from "./prisma-schemas.js";

const LOCK = { sqlite: 'provider = "sqlite"', postgresql: 'provider = "postgresql"' } as const;
export const SNAPSHOT = "schema.snapshot.prisma";

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

export function snapshotPath(provider: "sqlite" | "postgresql", root = process.cwd()): string {
  return path.join(migrationsDir(provider, root), SNAPSHOT);
}

/** The engine needs a driver adapter even to diff models; SQLite gets a scratch file, PostgreSQL the admin URL. */
export async function pendingSql(provider: "sqlite" | "postgresql", root = process.cwd(), pgAdminUrl = defaultPgAdminUrl()): Promise<string> {
  const schema = fs.readFileSync(path.join(root, provider === "sqlite" ? SQLITE_SCHEMA : PG_SCHEMA), "utf8");
  const snap = snapshotPath(provider, root);
  const from = fs.existsSync(snap) ? fs.readFileSync(snap, "utf8") : null;
  const scratch = path.join(os.tmpdir(), `plut-engine-${process.pid}.db`);
  const adapter = provider === "sqlite" ? new PrismaBetterSqlite3({ url: scratch }) : new PrismaPg({ connectionString: pgAdminUrl });
  const engine = await openSchemaEngine(schema, adapter);
  try {
    return await diffSchemas(engine, from, schema);
  } finally {
    engine.free();
    for (const f of [scratch, `${scratch}-wal`, `${scratch}-shm`]) fs.rmSync(f, { force: true });
  }
}

export function defaultPgAdminUrl(): string {
  return process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

function writeMigration(provider: "sqlite" | "postgresql", name: string, sql: string): string {
  const dir = migrationsDir(provider);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration_lock.toml"), `# Written by npm run db:migration\n${LOCK[provider]}\n`);
  const folder = path.join(dir, `${stamp()}_${name}`);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, "migration.sql"), `${sql.trim()}\n`);
  fs.copyFileSync(provider === "sqlite" ? SQLITE_SCHEMA : PG_SCHEMA, snapshotPath(provider));
  return folder;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
  if (!name) {
    console.error("Usage: npm run db:migration -- <name>   (for example: add_complaint_channel)");
    process.exit(2);
  }
  writePostgresSchema();
  const sqlite = await pendingSql("sqlite");
  const postgres = await pendingSql("postgresql");
  if (!sqlite && !postgres) console.log("No changes: the migrations already match prisma/schema.prisma.");
  if (sqlite) console.log("sqlite:", writeMigration("sqlite", name, sqlite));
  if (postgres) console.log("postgresql:", writeMigration("postgresql", name, postgres));
}
