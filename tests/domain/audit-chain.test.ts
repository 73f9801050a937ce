/**
 * The audit log's hash chain on the run's database (SQLite, or PostgreSQL with TEST_POSTGRES_URL):
 * appends chain, rows from before the chain are chained once, concurrent writers never fork it, and
 * a changed, removed or slipped-in row is named by verifyChain and by `npm run audit:verify`.
 */
import { spawnSync } from "node:child_process";
import { beforeEach, describe, expect, it } from "vitest";
import { appendAudit, appendAuditAlone, auditHash, verifyChain, type AuditRecord } from "../../src/domain/audit/chain.js";
import { testProvider, useTestDatabase } from "../support/db.js";

const t = useTestDatabase();
const T0 = new Date("2026-12-05T01:00:00.000Z");

function rec(n: number, over: Partial<AuditRecord> = {}): AuditRecord {
  return { at: new Date(T0.getTime() + n * 1000), actorType: "staff", actorId: `staff-${n % 3}`, action: "document.view", entity: "Document", entityId: `doc-${n}`, detailJson: JSON.stringify({ n }), ...over };
}

async function reset(): Promise<void> {
  await t.db.auditLog.deleteMany();
  await t.db.auditChainHead.update({ where: { id: 1 }, data: { seq: 0, hash: "" } });
}

async function appendMany(count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) await appendAuditAlone(t.db, [rec(i)]);
}

function runVerify(): { status: number | null; out: string } {
  const r = spawnSync("npx", ["tsx", "src/cli/audit-verify.ts"], { encoding: "utf8", env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "silent" } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("audit chain", () => {
  beforeEach(reset);

  it("chains appends in order: each row holds the previous hash and the head the last", async () => {
    await appendMany(3);
    await t.db.$transaction((tx) => appendAudit(tx, [rec(3), rec(4)]));
    const rows = await t.db.auditLog.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    let prev = "";
    for (const r of rows) {
      expect(r.prevHash).toBe(prev);
      expect(r.hash).toBe(auditHash(r.seq!, prev, r));
      prev = r.hash!;
    }
    const head = await t.db.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
    expect(head).toEqual({ id: 1, seq: 5, hash: prev });
    const check = await verifyChain(t.db, 2);
    expect(check).toMatchObject({ ok: true, rows: 5, head: { seq: 5, hash: prev } });
  });

  it("a rolled-back append leaves no trace in the chain", async () => {
    await appendMany(2);
    await expect(
      t.db.$transaction(async (tx) => {
        await appendAudit(tx, [rec(9)]);
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    await appendMany(1, 2);
    expect(await verifyChain(t.db)).toMatchObject({ ok: true, rows: 3 });
  });

  it("chains the rows written before the chain existed, oldest first, on the first append", async () => {
    await t.db.auditLog.create({ data: { ...rec(2), id: "legacy-b" } });
    await t.db.auditLog.create({ data: { ...rec(1), id: "legacy-a" } });
    expect(await verifyChain(t.db)).toMatchObject({ ok: true, rows: 0, notYetChained: 2 });
    await appendMany(1, 5);
    const rows = await t.db.auditLog.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.id.startsWith("legacy") ? r.id : "new", r.seq])).toEqual([["legacy-a", 1], ["legacy-b", 2], ["new", 3]]);
    expect(await verifyChain(t.db)).toMatchObject({ ok: true, rows: 3, notYetChained: 0 });
  });

  it("names a changed row, even when its hash was rewritten to match", async () => {
    await appendMany(6);
    const victim = await t.db.auditLog.findUniqueOrThrow({ where: { seq: 4 } });
    await t.db.auditLog.update({ where: { id: victim.id }, data: { actorId: "someone-else" } });
    expect((await verifyChain(t.db, 2)).firstBroken).toMatchObject({ id: victim.id, seq: 4, problem: "changed" });

    const forged = { ...victim, actorId: "someone-else" };
    await t.db.auditLog.update({ where: { id: victim.id }, data: { hash: auditHash(4, victim.prevHash!, forged) } });
    const check = await verifyChain(t.db);
    expect(check.ok).toBe(false);
    expect(check.firstBroken).toMatchObject({ id: victim.id, seq: 4, problem: "changed" });
  });

  it("names the row after a removed one, a removed tail, and a row slipped in without the chain", async () => {
    await appendMany(5);
    const third = await t.db.auditLog.findUniqueOrThrow({ where: { seq: 3 } });
    const fourth = await t.db.auditLog.findUniqueOrThrow({ where: { seq: 4 } });
    await t.db.auditLog.delete({ where: { id: third.id } });
    expect((await verifyChain(t.db)).firstBroken).toMatchObject({ id: fourth.id, seq: 4, problem: "missing_before" });

    await reset();
    await appendMany(5);
    await t.db.auditLog.delete({ where: { seq: 5 } });
    expect((await verifyChain(t.db)).firstBroken).toMatchObject({ seq: 5, problem: "tail_missing" });

    await reset();
    await appendMany(2);
    const slipped = await t.db.auditLog.create({ data: rec(7) });
    expect((await verifyChain(t.db)).firstBroken).toMatchObject({ id: slipped.id, seq: null, problem: "slipped_in" });
  });

  it("concurrent writers never fork the chain", async () => {
    const writers = testProvider() === "postgresql" ? 16 : 8;
    await Promise.all(Array.from({ length: writers }, (_, w) => t.db.$transaction((tx) => appendAudit(tx, [rec(w * 2), rec(w * 2 + 1)]), { maxWait: 30_000, timeout: 30_000 })));
    const rows = await t.db.auditLog.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: writers * 2 }, (_, i) => i + 1));
    expect(await verifyChain(t.db)).toMatchObject({ ok: true, rows: writers * 2 });
  });

  it("npm run audit:verify says OK, and names the first broken row with exit code 1", async () => {
    await appendMany(3);
    const ok = runVerify();
    expect(ok.out).toContain("OK");
    expect(ok.status).toBe(0);
    const second = await t.db.auditLog.findUniqueOrThrow({ where: { seq: 2 } });
    await t.db.auditLog.update({ where: { id: second.id }, data: { action: "document.download" } });
    const broken = runVerify();
    expect(broken.status).toBe(1);
    expect(broken.out).toContain(`first broken row ${second.id} (seq 2`);
  }, 60_000);
});
