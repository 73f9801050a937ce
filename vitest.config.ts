import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own database (tests/support/db.ts), so files may run in parallel.
    pool: "forks",
    globalSetup: ["tests/support/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: { name: "suite", include: ["tests/**/*.test.ts", "src/**/*.test.ts"], exclude: ["**/*.load.test.ts", "**/node_modules/**"], sequence: { groupOrder: 0 } },
      },
      {
        // Tests that measure the service under load in real time (`*.load.test.ts`) run after the
        // rest, one file at a time: beside other files their load made those time out, and the
        // others' load made their figures noise.
        extends: true,
        test: { name: "load", include: ["tests/**/*.load.test.ts"], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
