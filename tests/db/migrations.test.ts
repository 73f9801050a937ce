import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { checkSqliteFile, DatabaseError } from "../../src/db/client.js";
import { migrateSqlite, migrationsDir, readMigrations, MigrationError } from "../../src/db/migrate.js";
import { diffDatabaseToSchema, diffSchemas, openSchemaEngine } from "../../src/db/schema-engine.js";
import { postgresSchemaFrom } from "../../scripts/prisma-schemas.js";
import { pendingSql, snapshotPath } from "../../scripts/db-new-migration.js";
import { createEmptyDatabase, testProvider } from "../support/db.js";
import { migrate } from "../../src/db/migrate.js";

const root = process.cwd();
const tmpFile = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plut-mig-")), name);

describe("committed migrations and schema.prisma", () => {
  it("prisma/postgresql/schema.prisma is generated from prisma/schema.prisma", () => {
    const expected = postgresSchemaFrom(fs.readFileSync("prisma/schema.prisma", "utf8"));
    expect(fs.readFileSync("prisma/postgresql/schema.prisma", "utf8")).toBe(expected);
  });

  it("SQLite: schema.prisma needs no migration that is not committed", async () => {
    expect(await pendingSql("sqlite", root)).toBe("");
  });

  it("SQLite: the committed migrations build exactly the model of the snapshot", async () => {
    const file = tmpFile("built.db");
    migrateSqlite(file, readMigrations(migrationsDir("sqlite")));
    const snapshot = fs.readFileSync(snapshotPath("sqlite"), "utf8");
    const engine = await openSchemaEngine(snapshot, new PrismaBetterSqlite3({ url: file }));
    try {
      expect(await diffDatabaseToSchema(engine, snapshot)).toBe("");
    } finally {
      engine.free();
    }
  });

  it.runIf(testProvider() === "postgresql")("PostgreSQL: schema.prisma needs no migration that is not committed", async () => {
    expect(await pendingSql("postgresql", root, process.env.TEST_POSTGRES_URL)).toBe("");
  });

  it.runIf(testProvider() === "postgresql")("PostgreSQL: the committed migrations build the same tables, columns and indexes as the snapshot", async () => {
    const migrated = await createEmptyDatabase();
    const fresh = await createEmptyDatabase();
    try {
      await migrate(migrated.url);
      const snapshot = fs.readFileSync(snapshotPath("postgresql"), "utf8");
      const engine = await openSchemaEngine(snapshot, new PrismaPg({ connectionString: fresh.url }));
      const script = await diffSchemas(engine, null, snapshot);
      engine.free();
      const c = new pg.Client({ connectionString: fresh.url });
      await c.connect();
      await c.query(script);
      await c.end();
      expect(await describePg(migrated.url)).toEqual(await describePg(fresh.url));
    } finally {
      await migrated.drop();
      await fresh.drop();
    }
  });
});

async function describePg(url: string): Promise<unknown> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const cols = await c.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
    );
    const idx = await c.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`);
    const fks = await c.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conname <> '_prisma_migrations_pkey' ORDER BY conname`,
    );
    return { cols: cols.rows, idx: idx.rows, fks: fks.rows };
  } finally {
    await c.end();
  }
}

describe("applying migrations", () => {
  function fakeMigrations(parts: Array<[string, string]>) {
    return parts.map(([name, sql]) => ({ name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") }));
  }

  it("a migration that fails halfway is rolled back and leaves stored data intact", () => {
    const file = tmpFile("half.db");
    const good = fakeMigrations([["001_a", `CREATE TABLE "Kept" (id INTEGER PRIMARY KEY, v TEXT);`]]);
    migrateSqlite(file, good);
    const db = new Database(file);
    db.prepare(`INSERT INTO "Kept" (v) VALUES ('precious')`).run();
    db.close();
    const bad = [...good, ...fakeMigrations([["002_b", `CREATE TABLE "Half" (id INTEGER); INSERT INTO "Nope" VALUES (1);`]])];
    expect(() => migrateSqlite(file, bad)).toThrow(/002_b failed and was rolled back/);
    const after = new Database(file, { readonly: true });
    expect(after.prepare(`SELECT v FROM "Kept"`).all()).toEqual([{ v: "precious" }]);
    expect(after.prepare(`SELECT name FROM sqlite_master WHERE name = 'Half'`).all()).toEqual([]);
    expect(after.prepare(`SELECT migration_name FROM "_prisma_migrations"`).all()).toEqual([{ migration_name: "001_a" }]);
    after.close();
  });

  it("a committed migration edited after it was applied stops the start", () => {
    const file = tmpFile("edit.db");
    migrateSqlite(file, fakeMigrations([["001_a", `CREATE TABLE "T" (id INTEGER);`]]));
    expect(() => migrateSqlite(file, fakeMigrations([["001_a", `CREATE TABLE "T" (id INTEGER, x TEXT);`]]))).toThrow(MigrationError);
  });

  it("a database newer than the code stops the start", () => {
    const file = tmpFile("newer.db");
    migrateSqlite(file, fakeMigrations([["001_a", `CREATE TABLE "T" (id INTEGER);`], ["002_b", `CREATE TABLE "U" (id INTEGER);`]]));
    expect(() => migrateSqlite(file, fakeMigrations([["001_a", `CREATE TABLE "T" (id INTEGER);`]]))).toThrow(/does not know/);
  });

  it("a file that is not SQLite is refused before anything is written", () => {
    const file = tmpFile("notes.db");
    fs.writeFileSync(file, "these are my notes, not a database");
    expect(() => checkSqliteFile(file)).toThrow(DatabaseError);
    expect(() => migrateSqlite(file, readMigrations(migrationsDir("sqlite")))).toThrow(/not an SQLite database/);
    expect(fs.readFileSync(file, "utf8")).toBe("these are my notes, not a database");
  });

  it("running twice applies nothing the second time", async () => {
    const db = await createEmptyDatabase();
    try {
      const first = await migrate(db.url);
      expect(first.applied.length).toBeGreaterThan(0);
      const second = await migrate(db.url);
      expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    } finally {
      await db.drop();
    }
  });
});
