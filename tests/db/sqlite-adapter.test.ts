/**
 * Our driver adapter (src/db/sqlite-adapter.ts) must be indistinguishable, to Prisma, from Prisma's
 * own better-sqlite3 adapter: what one writes the other reads back the same (times to the
 * millisecond, floats, integers, booleans, nulls), raw queries return the same types, and database
 * errors become the same Prisma errors. Runs on SQLite in every run (it is the embedded database's).
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../../src/generated/sqlite/client.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

let t: TestDatabase;
let theirs: PrismaClient;

beforeAll(async () => {
  t = await createTestDatabase("sqlite");
  theirs = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: t.url }) });
});
afterAll(async () => {
  await theirs.$disconnect();
  await t.destroy();
});

const at = new Date("2026-03-16T01:02:03.456Z");

describe("our SQLite driver adapter against Prisma's", () => {
  it("reads and writes every column type the schema uses as Prisma's adapter does", async () => {
    const ours = t.db;
    const client = await ours.client.create({ data: { fullName: "Ni Made Ayu", createdAt: at } });
    const business = await ours.business.create({
      data: { clientId: client.id, name: "Warung Ayu", sector: "kuliner", products: "nasi", legalForm: "perorangan", yearStarted: 2019, workers: null, latitude: -8.5387, longitude: 115.3248, createdAt: at },
    });
    const viaTheirs = await theirs.business.findUniqueOrThrow({ where: { id: business.id } });
    expect(viaTheirs).toEqual(business);
    expect(viaTheirs.createdAt.getTime()).toBe(at.getTime());
    expect(viaTheirs.latitude).toBe(-8.5387);
    // Times are compared as text in SQLite: they must be written in Prisma's very format.
    expect(await theirs.business.count({ where: { id: business.id, createdAt: { gte: at } } })).toBe(1);
    expect(await theirs.business.count({ where: { id: business.id, createdAt: { gt: at } } })).toBe(0);

    const staff = await theirs.staff.create({ data: { name: "Bu Sari", role: "admin", active: false, createdAt: at } });
    const viaOurs = await ours.staff.findUniqueOrThrow({ where: { id: staff.id } });
    expect(viaOurs).toEqual(staff);
    expect(viaOurs.active).toBe(false);
    // Comparisons on times written by the other adapter.
    expect(await ours.staff.count({ where: { id: staff.id, createdAt: { gte: at } } })).toBe(1);
    expect(await ours.staff.count({ where: { id: staff.id, createdAt: { gt: at } } })).toBe(0);
  });

  it("returns the same values from raw queries", async () => {
    const sql = `SELECT count(*) AS n, 1.5 AS half, 'x' AS s, NULL AS empty, max("createdAt") AS latest FROM "Client"`;
    const [ourRow] = await t.db.$queryRawUnsafe<Array<Record<string, unknown>>>(sql);
    const [theirRow] = await theirs.$queryRawUnsafe<Array<Record<string, unknown>>>(sql);
    expect(ourRow).toEqual(theirRow);
    expect(typeof ourRow!.n).toBe("bigint");
  });

  it("turns database errors into the same Prisma errors", async () => {
    const ours = t.db;
    const codeOf = (p: Promise<unknown>) => p.then(() => "no error", (e: { code?: string; meta?: unknown }) => ({ code: e.code, meta: e.meta }));
    await ours.officeSetting.create({ data: { key: "dup", value: "1" } });
    const unique = await codeOf(ours.officeSetting.create({ data: { key: "dup", value: "2" } }));
    expect(unique).toMatchObject({ code: "P2002" });
    expect(unique).toEqual(await codeOf(theirs.officeSetting.create({ data: { key: "dup", value: "2" } })));
    const foreign = await codeOf(ours.business.create({ data: { clientId: "nobody", name: "x", sector: "x", products: "x", legalForm: "ud" } }));
    expect(foreign).toMatchObject({ code: "P2003" });
    expect(foreign).toEqual(await codeOf(theirs.business.create({ data: { clientId: "nobody", name: "x", sector: "x", products: "x", legalForm: "ud" } })));
  });
});
