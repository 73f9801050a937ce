/** `npm run db:migrate`: apply pending migrations to DATABASE_URL and say what was done. */
import { ConfigError, loadConfig } from "../config/config.js";
import { DatabaseError, redactUrl } from "../db/client.js";
import { migrate } from "../db/migrate.js";

try {
  const config = loadConfig();
  const r = await migrate(config.DATABASE_URL);
  console.log(`${redactUrl(config.DATABASE_URL)}: ${r.applied.length} applied (${r.applied.join(", ") || "none"}), ${r.alreadyApplied} already there.`);
} catch (e) {
  if (e instanceof ConfigError || e instanceof DatabaseError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
