import { Writable } from "node:stream";
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

describe("request lines in the log", () => {
  function capture() {
    const lines: Array<Record<string, unknown>> = [];
    const dest = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); cb(); } });
    return { logger: createLogger({ level: "debug", destination: dest }), lines };
  }

  it("one line per request at debug, naming the route and not the URL's query", async () => {
    const { logger, lines } = capture();
    const app = await buildApp({ db: database.db, provider: database.provider, logger, plugins: [async (a) => void a.get("/signin", async () => "ok")] });
    await app.inject({ method: "GET", url: "/signin?token=rahasia-sekali" });
    await app.close();
    const requestLines = lines.filter((l) => l.msg === "request" || l.msg === "incoming request" || l.msg === "request completed");
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ level: 20, route: "/signin", status: 200 });
    expect(JSON.stringify(lines)).not.toContain("rahasia-sekali");
  });

  it("what a caller got wrong is info without a stack; only the server's own faults are errors", async () => {
    const { logger, lines } = capture();
    const app = await buildApp({
      db: database.db,
      provider: database.provider,
      logger,
      plugins: [
        async (a) => {
          a.get("/bad", async () => {
            throw Object.assign(new Error("tanggal tidak valid"), { statusCode: 400 });
          });
          a.get("/broken", async () => {
            throw new Error("bug");
          });
        },
      ],
    });
    await app.inject({ method: "GET", url: "/bad" });
    await app.inject({ method: "GET", url: "/broken" });
    await app.close();
    const refused = lines.filter((l) => l.route === "/bad");
    expect(refused.every((l) => (l.level as number) <= 30 && !JSON.stringify(l).includes("stack"))).toBe(true);
    expect(lines.some((l) => l.route === "/broken" && l.level === 50)).toBe(true);
  });
});
