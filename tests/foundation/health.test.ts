import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { createLogger } from "../../src/logging/logger.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.destroy());

describe("GET /health", () => {
  it("reports the database as reachable", async () => {
    const app = await buildApp({ db: database.db, provider: database.provider, logger: createLogger({ level: "silent" }) });
    const res = await app.inject({ method: "GET", url: "/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "ok", database: { provider: database.provider, reachable: true } });
    await app.close();
  });

  it("answers 503 when the database cannot be reached", async () => {
    const broken = { $queryRawUnsafe: async () => { throw new Error("connection refused"); } } as unknown as TestDatabase["db"];
    const app = await buildApp({ db: broken, provider: database.provider, logger: createLogger({ level: "silent" }) });
    const res = await app.inject({ method: "GET", url: "/health" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: "error", database: { reachable: false } });
    await app.close();
  });
});
