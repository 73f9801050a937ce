/**
 * A PostgreSQL process must not load the SQLite generated client: the composition root and
 * everything it imports reach it only through src/db/client.ts, which loads the SQLite connection
 * when the URL is a file. (The domain once imported `Prisma` from the SQLite client for raw INSERTs.)
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("imports", () => {
  it("the service loads no module of the SQLite client until a SQLite database is opened", () => {
    const script = `await import("./src/service.ts"); console.log("imported");`;
    const run = spawnSync(process.execPath, ["--import", "./tests/support/report-sqlite-client-loads.mjs", "--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stdout.trim()).toBe("imported");
    expect(run.stderr).not.toContain("SQLITE CLIENT");
  });
});
