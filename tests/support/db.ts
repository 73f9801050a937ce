/**
 * A fresh, migrated database per test file: a temp SQLite file by default, or a new PostgreSQL
 * database when TEST_POSTGRES_URL is set (the suite's PostgreSQL run; see scripts/test-postgres.ts).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";

export interface TestDatabase extends DatabaseHandle {
  url: string;
  /** Drop the database (PostgreSQL) or delete the file (SQLite). */
  destroy(): Promise<void>;
}

export function testProvider(): "sqlite" | "postgresql" {
  return process.env.TEST_POSTGRES_URL ? "postgresql" : "sqlite";
}

/**
 * Create an empty database (not migrated) and return its URL and a way to remove it. `provider`
 * defaults to the run's (testProvider); PostgreSQL needs TEST_POSTGRES_URL.
 */
export async function createEmptyDatabase(provider = testProvider()): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_POSTGRES_URL;
  if (provider === "postgresql" && !admin) throw new Error("a PostgreSQL test database needs TEST_POSTGRES_URL");
  if (provider === "sqlite" || !admin) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-test-"));
    return { url: `file:${path.join(dir, "test.db")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `plut_t_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDatabase(provider = testProvider()): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(provider);
  await migrate(empty.url);
  const handle = await openDatabase(empty.url);
  return {
    ...handle,
    url: empty.url,
    async destroy() {
      await handle.close();
      await empty.drop();
    },
  };
}

/**
 * The test file's database: created before its tests, destroyed after them. The returned object
 * reads through to it, so tests write `t.db` as with a plain TestDatabase.
 */
export function useTestDatabase(): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.destroy();
  });
  return new Proxy({} as TestDatabase, {
    get(_target, key) {
      if (!current) throw new Error("the test database is used before beforeAll created it");
      return Reflect.get(current, key) as unknown;
    },
  });
}
