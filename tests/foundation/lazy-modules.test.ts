/**
 * The heavy libraries of features most processes never use load only when the feature is used
 * (`npm run bench:memory` measures what that saves): Baileys only when WhatsApp through Baileys is
 * configured, pdfkit at the first PDF, exceljs at the first spreadsheet, qrcode when WhatsApp is
 * paired by QR code, pino-pretty only on a terminal, pg only on PostgreSQL.
 *
 * Checked on what `npm start` runs: the static import graph of src/main.ts as the build emits it.
 * Each file is compiled with the project's own TypeScript options (an import whose names are used
 * only as types is dropped, as in the build), and its `import ... from` / `export ... from` are
 * followed; `import()` at a point of use is not followed, which is the point.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const { config } = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), (f) => fs.readFileSync(f, "utf8"));
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);

interface Graph {
  /** Package names reached, with the first file that imports each. */
  packages: Map<string, string>;
  files: Set<string>;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The source file a relative import of the build names (`./x.js` is `./x.ts` in src/). */
function sourceOf(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  for (const candidate of [target.replace(/\.js$/, ".ts"), target, `${target}.ts`, path.join(target, "index.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)} imports ${specifier}, which is not in src/`);
}

/** The files and packages `entry` imports, transitively; with `followImportCalls`, through `import()` too. */
function importGraph(entry: string, followImportCalls: boolean): Graph {
  const graph: Graph = { packages: new Map(), files: new Set([entry]) };
  const queue = [entry];
  const reach = (file: string, spec: string): void => {
    if (spec.startsWith("node:")) return;
    if (spec.startsWith(".")) {
      const target = sourceOf(file, spec);
      if (!graph.files.has(target)) {
        graph.files.add(target);
        queue.push(target);
      }
    } else if (!graph.packages.has(packageName(spec))) {
      graph.packages.set(packageName(spec), path.relative(ROOT, file));
    }
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    const source = fs.readFileSync(file, "utf8");
    if (!/\.(ts|mts)$/.test(file)) continue;
    // ES module output, as the build's (package.json "type": "module"), which one file alone cannot tell.
    const emitted = ts.transpileModule(source, { compilerOptions: { ...options, module: ts.ModuleKind.ESNext }, fileName: file }).outputText;
    const out = ts.createSourceFile(file, emitted, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = node.arguments[0];
        if (arg && ts.isStringLiteral(arg)) reach(file, arg.text);
      }
      ts.forEachChild(node, visit);
    };
    for (const statement of out.statements) {
      if (followImportCalls) visit(statement);
      if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        reach(file, statement.moduleSpecifier.text);
      }
    }
  }
  return graph;
}

describe("what `npm start` loads before any feature is used", () => {
  const main = path.join(ROOT, "src", "main.ts");
  const atStart = importGraph(main, false);
  const whenUsed = importGraph(main, true);

  it("follows the whole graph: the service's own core libraries are reached statically", () => {
    expect(atStart.files.size).toBeGreaterThan(100);
    for (const core of ["fastify", "zod", "@prisma/client", "pino", "yaml"]) expect([...atStart.packages.keys()]).toContain(core);
  });

  it.each([
    ["@whiskeysockets/baileys", "WhatsApp through Baileys"],
    ["pdfkit", "the first PDF"],
    ["exceljs", "the first spreadsheet"],
    ["qrcode", "pairing WhatsApp by QR code"],
    ["pino-pretty", "logging to a terminal"],
    ["pg", "PostgreSQL"],
  ])("%s is loaded only for %s", (pkg) => {
    expect(atStart.packages.get(pkg), `${pkg} is imported statically by ${atStart.packages.get(pkg)}`).toBeUndefined();
    // Still there, behind an import() at its point of use: the feature itself was not lost.
    expect([...whenUsed.packages.keys()]).toContain(pkg);
  });
});
