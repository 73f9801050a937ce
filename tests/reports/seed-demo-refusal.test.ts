import { describe, expect, it } from "vitest";
import { demoDatabaseRefusal } from "../../src/cli/seed-demo.js";

describe("seed:demo writes only into a database it was given", () => {
  it("refuses without a DATABASE_URL on the command, and says how to run it", () => {
    expect(demoDatabaseRefusal({})).toMatch(/DATABASE_URL=file:\.\/data\/demo\.db npm run seed:demo/);
    expect(demoDatabaseRefusal({ DATABASE_URL: "  " })).not.toBeNull();
  });
  it("goes on with one", () => {
    expect(demoDatabaseRefusal({ DATABASE_URL: "file:./data/demo.db" })).toBeNull();
  });
});
