/**
 * The embedded database's one connection: a turn's own transaction (prepared statements and the
 * turn's Prisma client inside it) and Prisma's transactions take one first-come first-served gate,
 * so two transactions never mix on the connection; what a failed turn wrote is gone; checkpoints
 * run in a worker, not in a commit. SQLite only (PostgreSQL has a pool and no such connection).
 */
import { execFileSync, spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testProvider, type TestDatabase } from "../support/db.js";
import type { SqliteConnection } from "../../src/db/sqlite-connection.js";

const sqliteOnly = testProvider() !== "sqlite";
let t: TestDatabase;
let conn: SqliteConnection;

beforeAll(async () => {
  t = await createTestDatabase();
  if (t.sqlite) conn = t.sqlite;
});
afterAll(async () => {
  await t.destroy();
});
beforeEach(async () => {
  await t.db.officeSetting.deleteMany();
});

const setting = (key: string) => t.db.officeSetting.findUnique({ where: { key } });
const put = (key: string, value: string) => conn.raw.prepare(`INSERT INTO "OfficeSetting" (key, value, updatedAt) VALUES (?, ?, ?)`).run(key, value, new Date().toISOString().replace("Z", "+00:00"));

describe.skipIf(sqliteOnly)("SqliteConnection", () => {
  it("commits a turn's raw and Prisma writes together, and rolls both back when it throws", async () => {
    await conn.transaction(async () => {
      put("raw", "1");
      await conn.turnClient.officeSetting.create({ data: { key: "prisma", value: "1" } });
    });
    expect((await setting("raw"))?.value).toBe("1");
    expect((await setting("prisma"))?.value).toBe("1");

    await expect(
      conn.transaction(async () => {
        put("raw2", "x");
        await conn.turnClient.officeSetting.update({ where: { key: "prisma" }, data: { value: "2" } });
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    expect(await setting("raw2")).toBeNull();
    expect((await setting("prisma"))?.value).toBe("1");
    expect(conn.raw.inTransaction).toBe(false);
  });

  it("runs Prisma's own transactions inside a turn as savepoints (nested writes, upserts)", async () => {
    await conn.transaction(async () => {
      await conn.turnClient.officeSetting.upsert({ where: { key: "u" }, create: { key: "u", value: "a" }, update: { value: "b" } });
      await conn.turnClient.officeSetting.upsert({ where: { key: "u" }, create: { key: "u", value: "a" }, update: { value: "b" } });
      await conn.turnClient.officeSetting.createMany({ data: [{ key: "m1", value: "1" }, { key: "m2", value: "2" }] });
    });
    expect((await setting("u"))?.value).toBe("b");
    expect(await t.db.officeSetting.count()).toBe(3);
  });

  it("refuses the turn's client outside a turn, so nothing is written outside a transaction", async () => {
    await expect(conn.turnClient.officeSetting.create({ data: { key: "leak", value: "1" } })).rejects.toThrow(/outside its turn/);
    expect(await setting("leak")).toBeNull();
  });

  it("lets one transaction at a time on the connection, first come first served", async () => {
    const order: string[] = [];
    let releasePrisma!: () => void;
    const prismaHeld = new Promise<void>((r) => (releasePrisma = r));
    let prismaStarted!: () => void;
    const started = new Promise<void>((r) => (prismaStarted = r));
    const prisma = t.db.$transaction(async (tx) => {
      order.push("prisma:start");
      await tx.officeSetting.create({ data: { key: "p", value: "1" } });
      prismaStarted();
      await prismaHeld;
      order.push("prisma:end");
    });
    await started;
    const turn = conn.transaction(async () => {
      order.push("turn");
      // The Prisma transaction committed before this turn began: its row is visible.
      expect((conn.raw.prepare(`SELECT value FROM "OfficeSetting" WHERE key = 'p'`).get() as { value: string }).value).toBe("1");
    });
    const second = conn.transaction(async () => void order.push("turn2"));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(["prisma:start"]);
    releasePrisma();
    await Promise.all([prisma, turn, second]);
    expect(order).toEqual(["prisma:start", "prisma:end", "turn", "turn2"]);
  });

  it("commits works that arrive together as one group, and undoes only the one that failed", async () => {
    const committed: string[] = [];
    let firstStarted!: () => void;
    const started = new Promise<void>((r) => (firstStarted = r));
    let finishFirst!: () => void;
    const first = conn.transaction(async () => {
      put("g1", "1");
      firstStarted();
      await new Promise<void>((r) => (finishFirst = r));
      return "one";
    });
    await started;
    // These arrive while the first is still running: they join its group.
    const failing = conn.transaction(async () => {
      put("g2", "2");
      await conn.turnClient.officeSetting.create({ data: { key: "g2-prisma", value: "2" } });
      throw new Error("this turn fails");
    });
    const third = conn.transaction(async () => {
      put("g3", "3");
      return "three";
    });
    void first.then((v) => committed.push(v));
    void third.then((v) => committed.push(v));
    await new Promise((r) => setImmediate(r));
    expect(committed).toEqual([]);
    finishFirst();
    await expect(failing).rejects.toThrow("this turn fails");
    expect(await Promise.all([first, third])).toEqual(["one", "three"]);
    expect((await setting("g1"))?.value).toBe("1");
    expect((await setting("g3"))?.value).toBe("3");
    expect(await setting("g2")).toBeNull();
    expect(await setting("g2-prisma")).toBeNull();
    expect(conn.raw.inTransaction).toBe(false);
  });

  it("keeps a write made outside any transaction out of an open group (a failing turn cannot take it along)", async () => {
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    let fail!: () => void;
    const failNow = new Promise<void>((r) => (fail = r));
    const turn = conn.transaction(async () => {
      put("turn-row", "1");
      inside();
      await failNow;
      throw new Error("turn fails after the dashboard wrote");
    });
    await started;
    // The dashboard records that a document was viewed while the turn is open.
    let written = false;
    const audit = t.db.officeSetting.create({ data: { key: "audit-row", value: "viewed" } }).then(() => (written = true));
    // A read does not wait: it runs at once.
    expect(await t.db.officeSetting.count({ where: { key: "nothing" } })).toBe(0);
    // Until the write either went through or waits at the gate.
    for (let i = 0; i < 1000 && !written && conn.gate.queued === 0; i++) await new Promise((r) => setImmediate(r));
    expect(written).toBe(false);
    expect(conn.gate.queued).toBe(1);
    fail();
    await expect(turn).rejects.toThrow("turn fails");
    await audit;
    expect((await setting("audit-row"))?.value).toBe("viewed");
    expect(await setting("turn-row")).toBeNull();
  });

  it("settles a work only after its group committed", async () => {
    const other = new Database(t.url.slice("file:".length), { readonly: true });
    const seen: number[] = [];
    const works = [0, 1, 2].map((i) =>
      conn
        .transaction(async () => {
          put(`c${i}`, "x");
          return i;
        })
        .then(() => {
          // Another connection sees the row when the work settles: committed, not just written.
          seen.push(Number((other.prepare(`SELECT count(*) AS n FROM "OfficeSetting" WHERE key = ?`).get(`c${i}`) as { n: number }).n));
        }),
    );
    await Promise.all(works);
    other.close();
    expect(seen).toEqual([1, 1, 1]);
    expect(await t.db.officeSetting.count({ where: { key: { startsWith: "c" } } })).toBe(3);
  });

  it("lets a short process (a command-line tool) open the database, start the checkpoint worker, close it and exit cleanly", () => {
    // The checkpoint worker must not keep a process alive, nor let it end before the worker did
    // (a close that never resolves ends Node with exit code 13). `--input-type=module` is how CI
    // once ran this: the worker, then an eval'd CommonJS string, could not start under it.
    const script = `
      import { openDatabase } from "./src/db/client.ts";
      const h = await openDatabase(${JSON.stringify(t.url)});
      await h.sqlite.checkpointer.started;
      await h.db.officeSetting.upsert({ where: { key: "cli" }, create: { key: "cli", value: "ran" }, update: { value: "ran" } });
      await h.close();
      console.log("closed");
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Checkpoint|Error/);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("closed");
  });

  it("starts the checkpoint worker (a worker that cannot start fails here, not only as a warning)", async () => {
    await expect(conn.checkpointer.started).resolves.toBeUndefined();
  });

  it("runs the checkpoint worker from plain JavaScript too (no TypeScript loader, as in a compiled build)", () => {
    const script = `
      import { Worker } from "node:worker_threads";
      const w = new Worker(new URL("./src/db/sqlite-checkpoint-worker.mjs", "file://" + process.cwd() + "/"), { execArgv: [], workerData: { file: ${JSON.stringify(t.url.slice("file:".length))}, intervalMs: 60000 } });
      let stopping = false;
      w.on("message", (m) => {
        if (m.type === "ready") w.postMessage("now");
        if (m.type === "checkpoint" && !stopping) { stopping = true; console.log("checkpointed"); w.postMessage("stop"); }
        if (m.type === "error") console.log(m.message);
      });
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(out.trim()).toBe("checkpointed");
  });

  it("leaves checkpoints to the worker, and keeps the WAL bounded under load", async () => {
    expect(Number(conn.raw.pragma("wal_autocheckpoint", { simple: true }))).toBe(10_000);
    for (let i = 0; i < 50; i++) await conn.transaction(async () => void put(`k${i}`, "x".repeat(2000)));
    const r = await conn.checkpointer.checkpoint();
    expect(r.log).toBeGreaterThan(0);
    expect(r.checkpointed).toBe(r.log);
  });
});
