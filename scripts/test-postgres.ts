/**
 * `npm run test:postgres`: the same suite against PostgreSQL. Every test file creates and drops its
 * own database on the server named by TEST_POSTGRES_URL (default: the local server).
 */
import { spawnSync } from "node:child_process";

const url = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const r = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TEST_POSTGRES_URL: url },
});
process.exit(r.status ?? 1);
