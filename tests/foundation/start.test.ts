/** `npm start` as a newcomer runs it: a real process, real port, real database file. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../../scripts/build.mjs";

// `npm start` runs the compiled build; made current once here (a no-op when it is).
beforeAll(() => ensureBuilt(), 120_000);

interface Run { code: number | null; stdout: string; stderr: string }

function startProcess(env: Record<string, string>, untilLog?: RegExp): Promise<Run & { kill?: () => Promise<Run> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-start-"));
  // As `npm start` runs it: the compiled build.
  const child = spawn(process.execPath, ["scripts/run.mjs", "src/main"], {
    env: { PATH: process.env.PATH ?? "", DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "plut.db")}`, PORT: "0", LOG_LEVEL: "info", ...env },
    cwd: process.cwd(),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += String(d)));
  child.stderr.on("data", (d) => (stderr += String(d)));
  const exited = new Promise<Run>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
  if (!untilLog) return exited;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (untilLog.test(stdout)) {
        child.stdout.off("data", check);
        resolve({ code: null, stdout, stderr, kill: async () => { child.kill("SIGTERM"); return exited; } });
      }
    };
    child.stdout.on("data", check);
    void exited.then((r) => reject(new Error(`exited early (${r.code}): ${r.stderr}${r.stdout}`)));
  });
}

describe("npm start", () => {
  it("creates and migrates the embedded database and serves /health", async () => {
    const run = await startProcess({}, /http server listening/);
    const line = run.stdout.split("\n").find((l) => l.includes("http server listening"))!;
    const address = (JSON.parse(line) as { url: string }).url;
    const res = await fetch(`${address}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { provider: "sqlite", reachable: true } });
    const end = await run.kill!();
    expect(end.code).toBe(0);
    // The build carries the checkpoint worker (a plain module tsc does not emit) and it started.
    expect(end.stderr).not.toMatch(/SqliteCheckpointWarning|Cannot find module/);
  });

  it("a wrong setting ends with one message naming it and a non-zero exit", async () => {
    const r = await startProcess({ PORT: "lima" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/PORT/);
  });

  it("a database file that is not SQLite is refused and left untouched", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-notdb-"));
    const file = path.join(dir, "plut.db");
    fs.writeFileSync(file, "catatan penting");
    const r = await startProcess({ DATABASE_URL: `file:${file}` });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not an SQLite database/);
    expect(fs.readFileSync(file, "utf8")).toBe("catatan penting");
  });

  it("an unreachable PostgreSQL is reported clearly", async () => {
    const r = await startProcess({ DATABASE_URL: "postgresql://nobody@127.0.0.1:1/plut" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/PostgreSQL at .* is not reachable/);
  });
});
