/**
 * Retention on the run's database with a fixed clock: who is due (every case closed, the last one
 * RETENTION_YEARS ago), what goes (photos from disk, personal fields, session answers, chat
 * identities) and what stays (the counts reports make); a dry run changes nothing; a run that fails
 * for one client leaves that client untouched and the others done; a file left on disk by a crash
 * after the commit is removed by the next run.
 */
import crypto from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/domain/audit/chain.js";
import { planRetention, retentionCutoff, runRetention } from "../../src/domain/retention/retention.js";
import { FileStore } from "../../src/storage/file-store.js";
import { testProvider, useTestDatabase } from "../support/db.js";

const t = useTestDatabase();
const NOW = new Date("2026-12-05T02:30:00.000Z");
const YEARS = 5;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-retention-"));
const files = new FileStore(dir, crypto.randomBytes(32));
let regSeq = 0;

/** A client with a business, an identity photo on disk, a chat identity with an unfinished form, and cases. */
async function client(id: string, cases: Array<{ closedAt: Date | null; area: string }>) {
  await t.db.client.create({
    data: { id, fullName: `Nama ${id}`, nikHash: `h-${id}`, nikLast4: "1234", phone: "+6281234567890", address: "Jl. Raya Ubud", kecamatan: "510404", desa: "5104041001", sex: "P", birthDate: new Date("1980-01-01") },
  });
  const business = await t.db.business.create({ data: { clientId: id, name: `Warung ${id}`, sector: "kuliner", products: "nasi", legalForm: "perorangan", nibTdp: "123", latitude: -8.5, longitude: 115.2 } });
  const stored = await files.put(Buffer.from(`ktp of ${id}`), "identity");
  await t.db.document.create({ data: { clientId: id, type: "ktp", mimeType: "image/jpeg", size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey } });
  const identity = await t.db.identity.create({ data: { channel: "whatsapp", address: `62812${id.length}${regSeq}${id}`, clientId: id, displayName: `Nama ${id}` } });
  await t.db.conversationSession.create({ data: { identityId: identity.id, flowId: "new_case", stateJson: JSON.stringify({ answers: { problem: "rahasia" } }), status: "active", lastActivityAt: NOW } });
  for (const c of cases) {
    regSeq += 1;
    await t.db.consultationCase.create({
      data: { regNumber: `PLUT-GIA-2019-${String(regSeq).padStart(6, "0")}`, clientId: id, businessId: business.id, areaCode: c.area, step: c.closedAt ? 11 : 4, status: c.closedAt ? "closed" : "in_consultation", closedAt: c.closedAt, createdAt: new Date("2019-01-01") },
    });
  }
  return { storageKey: stored.storageKey, identityId: identity.id };
}

const exists = (key: string) => fs.existsSync(path.join(dir, key));

async function statistics() {
  const byArea = await t.db.consultationCase.groupBy({ by: ["areaCode"], _count: { _all: true }, orderBy: { areaCode: "asc" } });
  const byKecamatan = await t.db.client.groupBy({ by: ["kecamatan", "sex"], _count: { _all: true }, orderBy: { kecamatan: "asc" } });
  const bySector = await t.db.business.groupBy({ by: ["sector", "legalForm"], _count: { _all: true }, orderBy: { sector: "asc" } });
  return { byArea, byKecamatan, bySector };
}

async function addFailTrigger(clientId: string) {
  if (testProvider() === "postgresql") {
    await t.db.$executeRawUnsafe(`CREATE FUNCTION test_fail_business() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk trouble'; END $$ LANGUAGE plpgsql`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER test_fail_business BEFORE UPDATE ON "Business" FOR EACH ROW WHEN (OLD."clientId" = '${clientId}') EXECUTE FUNCTION test_fail_business()`);
  } else {
    await t.db.$executeRawUnsafe(`CREATE TRIGGER test_fail_business BEFORE UPDATE ON "Business" WHEN OLD."clientId" = '${clientId}' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
  }
}

async function dropFailTrigger() {
  if (testProvider() === "postgresql") {
    await t.db.$executeRawUnsafe(`DROP TRIGGER test_fail_business ON "Business"`);
    await t.db.$executeRawUnsafe(`DROP FUNCTION test_fail_business()`);
  } else {
    await t.db.$executeRawUnsafe(`DROP TRIGGER test_fail_business`);
  }
}

let a: Awaited<ReturnType<typeof client>>;
let b: Awaited<ReturnType<typeof client>>;
let c: Awaited<ReturnType<typeof client>>;
let d: Awaited<ReturnType<typeof client>>;
let e: Awaited<ReturnType<typeof client>>;

beforeAll(async () => {
  // due: last case closed more than five years ago
  a = await client("client-a", [{ closedAt: new Date("2019-03-01T03:00:00Z"), area: "pemasaran" }, { closedAt: new Date("2021-06-01T03:00:00Z"), area: "keuangan" }]);
  // closed four years ago: kept
  b = await client("client-b", [{ closedAt: new Date("2022-12-06T03:00:00Z"), area: "pemasaran" }]);
  // an old closed case and an open one: kept
  c = await client("client-c", [{ closedAt: new Date("2019-03-01T03:00:00Z"), area: "sdm" }, { closedAt: null, area: "sdm" }]);
  // due, but its transaction fails the first time
  d = await client("client-d", [{ closedAt: new Date("2020-01-10T03:00:00Z"), area: "produksi" }]);
  // registered, never had a case: not this job's
  e = await client("client-e", []);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("retention", () => {
  it("counts five years back to the same day", () => {
    expect(retentionCutoff(NOW, 5).toISOString()).toBe("2021-12-05T02:30:00.000Z");
    expect(retentionCutoff(new Date("2028-02-29T00:00:00Z"), 1).toISOString()).toBe("2027-02-28T00:00:00.000Z");
  });

  it("a dry run lists the clients due and changes nothing", async () => {
    const before = await t.db.client.findMany({ orderBy: { id: "asc" } });
    const plan = await planRetention(t.db, NOW, YEARS);
    expect(plan.clients.map((x) => [x.clientId, x.regNumbers.length, x.lastClosedAt.toISOString(), x.documents])).toEqual([
      ["client-a", 2, "2021-06-01T03:00:00.000Z", 1],
      ["client-d", 1, "2020-01-10T03:00:00.000Z", 1],
    ]);
    expect(plan.leftoverFiles).toBe(0);
    expect(await t.db.client.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("npm run retention -- --dry-run prints the same list and changes nothing", async () => {
    const r = spawnSync("npx", ["tsx", "src/cli/retention.ts", "--dry-run"], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: t.url, DATA_DIR: dir, RETENTION_YEARS: "5", LOG_LEVEL: "silent" },
    });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).toBe(0);
    // The CLI runs on today's clock: both due clients closed their last case well over five years before 2026-12-05.
    expect(out).toMatch(/client client-a: cases PLUT-GIA-2019-\d+, PLUT-GIA-2019-\d+, last closed 2021-06-01/);
    expect(out).toContain("client client-d:");
    expect(out).not.toContain("client-b");
    expect(out).toContain("Dry run");
    expect((await t.db.client.findUniqueOrThrow({ where: { id: "client-a" } })).anonymisedAt).toBeNull();
  }, 60_000);

  it("a failure for one client leaves it untouched and the others fully anonymised; statistics stay", async () => {
    const stats = await statistics();
    await addFailTrigger("client-d");
    // The process "crashes" after client A's commit, before its photo is removed.
    const crashing = new FileStore(dir, crypto.randomBytes(32));
    crashing.remove = async () => {
      throw new Error("process killed");
    };
    const r = await runRetention({ db: t.db, files: crashing, now: NOW, years: YEARS });
    await dropFailTrigger();
    expect(r.anonymised).toEqual(["client-a"]);
    expect(r.failed.map((f) => f.clientId)).toEqual(["client-d"]);
    expect(r.filesRemoved).toBe(0);

    // A: every personal field gone, its chat identities and unfinished form with them.
    const ca = await t.db.client.findUniqueOrThrow({ where: { id: "client-a" }, include: { businesses: true, documents: true } });
    expect(ca).toMatchObject({ fullName: "(dihapus)", nikHash: null, nikLast4: null, phone: null, address: null, desa: null, birthDate: null, anonymisedAt: NOW, kecamatan: "510404", sex: "P" });
    expect(ca.businesses[0]).toMatchObject({ name: "(dihapus)", nibTdp: null, latitude: null, longitude: null, sector: "kuliner" });
    expect(ca.documents[0]).toMatchObject({ deletedAt: NOW, fileRemovedAt: null });
    expect(await t.db.identity.findUnique({ where: { id: a.identityId } })).toBeNull();
    expect(await t.db.conversationSession.count({ where: { identityId: a.identityId } })).toBe(0);
    expect(exists(a.storageKey)).toBe(true);

    // D: exactly as before.
    const cd = await t.db.client.findUniqueOrThrow({ where: { id: "client-d" }, include: { businesses: true, documents: true } });
    expect(cd).toMatchObject({ fullName: "Nama client-d", nikHash: "h-client-d", phone: "+6281234567890", anonymisedAt: null });
    expect(cd.businesses[0]!.name).toBe("Warung client-d");
    expect(cd.documents[0]).toMatchObject({ deletedAt: null });
    expect(exists(d.storageKey)).toBe(true);
    expect(await t.db.conversationSession.count({ where: { identityId: d.identityId } })).toBe(1);

    // The others were never due.
    for (const [id, x] of [["client-b", b], ["client-c", c], ["client-e", e]] as const) {
      expect((await t.db.client.findUniqueOrThrow({ where: { id } })).anonymisedAt).toBeNull();
      expect(exists(x.storageKey)).toBe(true);
    }
    expect(await statistics()).toEqual(stats);
  });

  it("the next run finishes: the file left behind and the client that failed", async () => {
    const plan = await planRetention(t.db, NOW, YEARS);
    expect(plan.clients.map((x) => x.clientId)).toEqual(["client-d"]);
    expect(plan.leftoverFiles).toBe(1);
    const stats = await statistics();
    const forgotten: string[] = [];
    const r = await runRetention({ db: t.db, files, now: NOW, years: YEARS, forgetChat: async (channel, address) => void forgotten.push(`${channel}:${address}`) });
    expect(r.anonymised).toEqual(["client-d"]);
    // The chat history a channel keeps outside the database (the web chat's files) goes with the client.
    expect(forgotten).toHaveLength(1);
    expect(forgotten[0]).toMatch(/^whatsapp:62812.*client-d$/);
    expect(r.failed).toEqual([]);
    expect(r.filesRemoved).toBe(2);
    expect(exists(a.storageKey)).toBe(false);
    expect(exists(d.storageKey)).toBe(false);
    expect(exists(b.storageKey)).toBe(true);
    expect(await t.db.document.count({ where: { deletedAt: { not: null }, fileRemovedAt: null } })).toBe(0);
    expect(await statistics()).toEqual(stats);

    const audits = await t.db.auditLog.findMany({ where: { action: "client.anonymised" }, orderBy: { seq: "asc" } });
    expect(audits.map((x) => [x.entityId, x.actorType])).toEqual([["client-a", "system"], ["client-d", "system"]]);
    expect(await verifyChain(t.db)).toMatchObject({ ok: true });

    // Nothing left to do.
    const again = await runRetention({ db: t.db, files, now: NOW, years: YEARS });
    expect(again).toMatchObject({ anonymised: [], failed: [], filesRemoved: 0 });
  });
});
