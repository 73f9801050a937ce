import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "src/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own database (tests/support/db.ts), so files may run in parallel.
    pool: "forks",
    globalSetup: ["tests/support/global-setup.ts"],
  },
});
