/**
 * Prisma's schema engine as WebAssembly, bound to a driver adapter. Prisma's CLI would download a
 * native engine for `migrate`, which cannot happen offline; the same engine ships as WASM.
 * Used by the migration generator and the drift test, never at run time.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine as SchemaEngineType } from "@prisma/schema-engine-wasm";

type WasmExports = Record<string, unknown>;
/** The slice of the WebAssembly API used here (the ES lib does not type it). */
const wasm = (globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: WasmExports } }> };
}).WebAssembly;

type Bg = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  __wbg_set_wasm(exports: WasmExports): void;
  SchemaEngine: typeof SchemaEngineType;
};

let engineClass: Promise<typeof SchemaEngineType> | undefined;

/** Instantiate the WASM module ourselves so no --experimental-wasm-modules flag is needed. */
function loadEngineClass(): Promise<typeof SchemaEngineType> {
  engineClass ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package does not export the .wasm path; it sits beside the entry point.
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as Bg;
    const { instance } = await wasm.instantiate(fs.readFileSync(wasmPath), { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg.SchemaEngine;
  })();
  return engineClass;
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

export async function openSchemaEngine(schemaText: string, adapter: SqlMigrationAwareDriverAdapterFactory): Promise<SchemaEngineType> {
  const SchemaEngine = await loadEngineClass();
  return SchemaEngine.new({ datamodels: [["schema.prisma", schemaText]] } as never, () => undefined, bindMigrationAwareSqlAdapterFactory(adapter));
}

type DiffSide = { tag: "empty" } | { tag: "schemaDatasource"; files: Array<{ path: string; content: string }>; configDir: string } | { tag: "schemaDatamodel"; files: Array<{ path: string; content: string }> };

async function runDiff(engine: SchemaEngineType, from: DiffSide, to: string): Promise<string> {
  const r = await engine.diff({ from, to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] }, script: true, exitCode: null, filters: NO_FILTERS } as never);
  const out = (r.stdout ?? "").trim();
  return out === "-- This is an empty migration." ? "" : out;
}

/** SQL that takes the database the engine is bound to, to the model in `schemaText`; "" when none is needed. */
export function diffDatabaseToSchema(engine: SchemaEngineType, schemaText: string): Promise<string> {
  return runDiff(engine, { tag: "schemaDatasource", files: [{ path: "schema.prisma", content: schemaText }], configDir: "." }, schemaText);
}

/** SQL that takes a database holding model `from` (or nothing) to model `to`; "" when none is needed. */
export function diffSchemas(engine: SchemaEngineType, from: string | null, to: string): Promise<string> {
  return runDiff(engine, from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "from.prisma", content: from }] }, to);
}
