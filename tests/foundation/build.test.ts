/** `npm start` runs the compiled build and builds first only when the build is missing or stale. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isStale } from "../../scripts/build.mjs";

function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "plut-build-"));
  fs.mkdirSync(path.join(root, "src", "flows"), { recursive: true });
  fs.writeFileSync(path.join(root, "src", "flows", "engine.ts"), "export {};\n");
  fs.writeFileSync(path.join(root, "tsconfig.json"), "{}\n");
  return root;
}

function touch(file: string, secondsAgo: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, "");
  const t = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, t, t);
}

describe("the build check of npm start", () => {
  it("builds when there is no build yet", () => {
    expect(isStale(project())).toBe(true);
  });

  it("runs the build as it is when nothing changed since", () => {
    const root = project();
    touch(path.join(root, "src", "flows", "engine.ts"), 60);
    touch(path.join(root, "tsconfig.json"), 60);
    touch(path.join(root, "dist", ".build-stamp"), 10);
    expect(isStale(root)).toBe(false);
  });

  it("builds again when a source changed after the build, however deep", () => {
    const root = project();
    touch(path.join(root, "tsconfig.json"), 60);
    touch(path.join(root, "dist", ".build-stamp"), 30);
    touch(path.join(root, "src", "flows", "engine.ts"), 5);
    expect(isStale(root)).toBe(true);
  });

  it("a changed test file does not make the build stale (tests are not built)", () => {
    const root = project();
    touch(path.join(root, "src", "flows", "engine.ts"), 60);
    touch(path.join(root, "tsconfig.json"), 60);
    touch(path.join(root, "dist", ".build-stamp"), 30);
    touch(path.join(root, "src", "flows", "engine.test.ts"), 5);
    expect(isStale(root)).toBe(false);
  });
});
