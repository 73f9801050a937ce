/**
 * How values cross between Prisma and better-sqlite3, so that our own driver adapter
 * (src/db/sqlite-adapter.ts) reads and writes every value exactly as Prisma's own adapter does.
 *
 * Copied, trimmed, from @prisma/adapter-better-sqlite3 7.10.0 (Apache-2.0), src/conversion.ts and
 * src/errors.ts; that package does not export them. When Prisma is upgraded, compare these with the
 * new version's (tests/db/sqlite-adapter.test.ts reads every column type back through Prisma).
 */
import { ColumnTypeEnum, type ArgType, type ColumnType, type Error as AdapterError, type MappedError } from "@prisma/driver-adapter-utils";

/** Prisma's column type for SQLite's declared column type (null: unknown, infer it from the values). */
function mapDeclType(declType: string | null): ColumnType | null {
  if (declType === null) return null;
  switch (declType.toUpperCase()) {
    case "":
      return null;
    case "DECIMAL":
      return ColumnTypeEnum.Numeric;
    case "FLOAT":
      return ColumnTypeEnum.Float;
    case "DOUBLE":
    case "DOUBLE PRECISION":
    case "NUMERIC":
    case "REAL":
      return ColumnTypeEnum.Double;
    case "TINYINT":
    case "SMALLINT":
    case "MEDIUMINT":
    case "INT":
    case "INTEGER":
    case "SERIAL":
    case "INT2":
      return ColumnTypeEnum.Int32;
    case "BIGINT":
    case "UNSIGNED BIG INT":
    case "INT8":
      return ColumnTypeEnum.Int64;
    case "DATETIME":
    case "TIMESTAMP":
      return ColumnTypeEnum.DateTime;
    case "TIME":
      return ColumnTypeEnum.Time;
    case "DATE":
      return ColumnTypeEnum.Date;
    case "TEXT":
    case "CLOB":
    case "CHARACTER":
    case "VARCHAR":
    case "VARYING CHARACTER":
    case "NCHAR":
    case "NATIVE CHARACTER":
    case "NVARCHAR":
      return ColumnTypeEnum.Text;
    case "BLOB":
      return ColumnTypeEnum.Bytes;
    case "BOOLEAN":
      return ColumnTypeEnum.Boolean;
    case "JSONB":
      return ColumnTypeEnum.Json;
    default:
      return null;
  }
}

/** Declared types as Prisma's column types; the indices whose type must be inferred from values. */
export function declaredColumnTypes(declaredTypes: ReadonlyArray<string | null>): { types: Array<ColumnType | null>; unknown: number[] } {
  const types = declaredTypes.map(mapDeclType);
  const unknown: number[] = [];
  types.forEach((t, i) => {
    if (t === null) unknown.push(i);
  });
  return { types, unknown };
}

/** The column types of a result: declared ones, the rest from the first non-null value (Int32 if none). */
export function columnTypes(declared: { types: Array<ColumnType | null>; unknown: number[] }, rows: unknown[][]): ColumnType[] {
  if (declared.unknown.length === 0) return declared.types as ColumnType[];
  const types = [...declared.types];
  for (const i of declared.unknown) {
    const row = rows.find((r) => r[i] !== null);
    types[i] = row ? inferColumnType(row[i]) : ColumnTypeEnum.Int32;
  }
  return types as ColumnType[];
}

function inferColumnType(value: unknown): ColumnType {
  switch (typeof value) {
    case "string":
      return ColumnTypeEnum.Text;
    case "bigint":
      return ColumnTypeEnum.Int64;
    case "boolean":
      return ColumnTypeEnum.Boolean;
    case "number":
      return ColumnTypeEnum.UnknownNumber;
    case "object":
      if (value instanceof ArrayBuffer || value instanceof Uint8Array) return ColumnTypeEnum.Bytes;
      break;
  }
  throw new Error(`unexpected value of type ${typeof value} in an SQLite result`);
}

/** One result row as Prisma expects it (integers arrive as BigInt: the statements use safe integers). */
export function mapRow(row: unknown[], types: ColumnType[]): unknown[] {
  const out: unknown[] = new Array(row.length);
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    const type = types[i];
    if (typeof value === "number" && (type === ColumnTypeEnum.Int32 || type === ColumnTypeEnum.Int64) && !Number.isInteger(value)) {
      out[i] = Math.trunc(value);
    } else if ((typeof value === "number" || typeof value === "bigint") && type === ColumnTypeEnum.DateTime) {
      out[i] = new Date(Number(value)).toISOString();
    } else if (typeof value === "bigint") {
      const asNumber = Number(value);
      out[i] = Number.isSafeInteger(asNumber) ? asNumber : value.toString();
    } else {
      out[i] = value;
    }
  }
  return out;
}

/** One query argument as better-sqlite3 takes it. Times are written as Prisma writes them (ISO 8601, "+00:00"). */
export function mapArg(arg: unknown, argType: ArgType | undefined): unknown {
  if (arg === null || arg === undefined) return null;
  const scalar = argType?.scalarType;
  if (typeof arg === "string") {
    switch (scalar) {
      case "int":
        return Number.parseInt(arg);
      case "float":
      case "decimal":
        return Number.parseFloat(arg);
      case "bigint":
        return BigInt(arg);
      case "datetime":
        return new Date(arg).toISOString().replace("Z", "+00:00");
      case "bytes":
        return Buffer.from(arg, "base64");
    }
    return arg;
  }
  if (typeof arg === "boolean") return arg ? 1 : 0;
  if (arg instanceof Date) return arg.toISOString().replace("Z", "+00:00");
  return arg;
}

/** better-sqlite3's SqliteError as Prisma's adapter error, so Prisma reports P2002 and the like. */
export function adapterError(error: unknown): AdapterError | undefined {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code !== "string" || typeof e.message !== "string") return undefined;
  return { originalCode: e.code, originalMessage: e.message, ...mapDriverError(e.code, e.message) };
}

function mapDriverError(code: string, message: string): MappedError {
  const columns = message.split("constraint failed: ").at(1)?.split(", ");
  const fields = columns?.map((f) => f.split(".").pop() ?? f);
  const constraint = fields ? { fields } : undefined;
  switch (code) {
    case "SQLITE_CONSTRAINT_UNIQUE":
    case "SQLITE_CONSTRAINT_PRIMARYKEY":
      return { kind: "UniqueConstraintViolation", constraint, table: columns?.at(0)?.split(".").slice(0, -1).join(".") || undefined };
    case "SQLITE_CONSTRAINT_NOTNULL":
      return { kind: "NullConstraintViolation", constraint };
    case "SQLITE_CONSTRAINT_FOREIGNKEY":
    case "SQLITE_CONSTRAINT_TRIGGER":
      return { kind: "ForeignKeyConstraintViolation", constraint: { foreignKey: {} } };
  }
  if (code.startsWith("SQLITE_BUSY")) return { kind: "SocketTimeout" };
  if (message.startsWith("no such table")) return { kind: "TableDoesNotExist", table: message.split(": ").at(1) };
  if (message.startsWith("no such column")) return { kind: "ColumnNotFound", column: message.split(": ").at(1) };
  if (message.includes("has no column named ")) return { kind: "ColumnNotFound", column: message.split("has no column named ").at(1) };
  return { kind: "sqlite", extendedCode: 1, message };
}
