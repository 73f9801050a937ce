/**
 * One schema per JSON column: every `...Json` column of prisma/schema.prisma has its schema in
 * src/db/json-columns.ts, and a stored value that is not JSON or not of the column's shape fails
 * with the column's name instead of being read as empty.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  columnName,
  JSON_COLUMNS,
  JsonColumnError,
  readJson,
  writeJson,
  ZConversationState,
  ZOfferedChoices,
  ZReminderPayload,
  ZStaffAreas,
  ZSurveyScores,
} from "../../src/db/json-columns.js";

/** "Model.field" of every String column whose name ends in Json. */
function jsonColumnsOfSchema(): string[] {
  const out: string[] = [];
  let model = "";
  for (const line of fs.readFileSync("prisma/schema.prisma", "utf8").split("\n")) {
    const m = /^model (\w+) \{/.exec(line);
    if (m) model = m[1]!;
    const f = /^\s+(\w+Json)\s+String\??/.exec(line);
    if (f) out.push(`${model}.${f[1]}`);
  }
  return out.sort();
}

describe("JSON columns", () => {
  it("every JSON column of the Prisma schema has exactly one schema", () => {
    const named = JSON_COLUMNS.map(columnName);
    expect(new Set(named).size).toBe(named.length);
    expect([...named].sort()).toEqual(jsonColumnsOfSchema());
    expect(named).toHaveLength(15);
  });

  it("reads a value of the column's shape", () => {
    expect(readJson(ZStaffAreas, '["pemasaran","sdm"]')).toEqual(["pemasaran", "sdm"]);
    expect(readJson(ZSurveyScores, '{"time":3,"fee":4}')).toEqual({ time: 3, fee: 4 });
    // The sweep's bookkeeping is typed; a kind's own fields are kept for the kind's schema.
    expect(readJson(ZReminderPayload, '{"date":"2026-03-17","attempts":2}')).toEqual({ date: "2026-03-17", attempts: 2 });
  });

  it("fails loudly, naming the column, on text that is not JSON or not of the shape", () => {
    const failure = (f: () => unknown): JsonColumnError => {
      try {
        f();
      } catch (e) {
        if (e instanceof JsonColumnError) return e;
        throw e;
      }
      throw new Error("no JsonColumnError");
    };
    const notJson = failure(() => readJson(ZStaffAreas, "pemasaran,sdm"));
    expect(notJson.column).toBe("Staff.areasJson");
    expect(notJson.message).toMatch(/^Staff\.areasJson: not JSON/);

    const wrongShape = failure(() => readJson(ZOfferedChoices, '[{"id":"c:1"}]'));
    expect(wrongShape.message).toMatch(/^ConversationSession\.offeredJson: not of the column's shape/);
    expect(wrongShape.message).toContain("label");

    expect(failure(() => readJson(ZConversationState, "[]")).column).toBe("ConversationSession.stateJson");
    expect(failure(() => readJson(ZStaffAreas, '["Not An Area"]')).column).toBe("Staff.areasJson");
    // The stored text itself is not repeated (it may hold personal data).
    expect(failure(() => readJson(ZSurveyScores, '{"nik":"5104054101900001"}')).message).not.toContain("5104054101900001");
    expect(failure(() => readJson(ZSurveyScores, "nik 5104054101900001")).message).toBe("SatisfactionSurvey.scoresJson: not JSON");
  });

  it("refuses to write a value of another shape", () => {
    expect(writeJson(ZStaffAreas, ["pemasaran"])).toBe('["pemasaran"]');
    expect(() => writeJson(ZStaffAreas, ["Pemasaran!"])).toThrow(/^Staff\.areasJson: refused to store/);
  });
});
