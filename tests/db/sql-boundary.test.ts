/**
 * The rule that keeps SQL and Prisma's internals in src/db/ and src/outbox/ (eslint.layers.config.js):
 * it fires for each forbidden form in the other folders, and stays quiet in db/ and outbox/.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ overrideConfigFile: "eslint.layers.config.js" });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const FORBIDDEN: Array<[string, string]> = [
  ["$queryRaw", "export const f = (db: any) => db.$queryRaw`SELECT 1`;"],
  ["$queryRawUnsafe", `export const f = (db: any) => db.$queryRawUnsafe("SELECT 1");`],
  ["$executeRaw", "export const f = (db: any) => db.$executeRaw`DELETE FROM x`;"],
  ["$executeRawUnsafe", `export const f = (db: any) => db.$executeRawUnsafe("DELETE FROM x");`],
  ["$executeRawUnsafe by name", `export const f = (db: any) => db["$executeRawUnsafe"]("DELETE FROM x");`],
  ["_activeProvider", "export const f = (tx: any) => tx._activeProvider;"],
  ["Prisma.sql", "declare const Prisma: any; export const q = Prisma.sql`SELECT 1`;"],
];

describe("SQL outside src/db/ and src/outbox/", () => {
  for (const folder of ["domain/reports", "scheduler", "conversation", "http", "desks/staff", "cli"]) {
    it.each(FORBIDDEN)(`src/${folder}/: %s is an error`, async (_what, code) => {
      const found = await messages(`src/${folder}/example.ts`, code);
      expect(found).toEqual([expect.stringMatching(/^no-restricted-syntax: .*(src\/db\/|providerOf)/)]);
    });
  }

  it("imports of the generated clients are errors outside src/db/", async () => {
    for (const file of ["src/domain/example.ts", "src/scheduler/example.ts", "src/service.ts", "src/cli/example.ts", "src/outbox/example.ts"]) {
      const found = await messages(file, `import { PrismaClient } from "../generated/sqlite/client.js";\nexport const C = PrismaClient;`);
      expect(found, file).toEqual([expect.stringMatching(/^no-restricted-imports: .*SQL and Prisma internals live in src\/db\//)]);
    }
  });

  it("src/db/ and src/outbox/ may write SQL", async () => {
    for (const [, code] of FORBIDDEN) {
      expect(await messages("src/db/example.ts", code)).toEqual([]);
      expect(await messages("src/outbox/example.ts", code)).toEqual([]);
    }
    expect(await messages("src/db/example.ts", `import { PrismaClient } from "../generated/sqlite/client.js";\nexport const C = PrismaClient;`)).toEqual([]);
  });
});
