/**
 * `npm run restore -- <file> [--replace]`: brings a backup of `npm run backup` back into the
 * configured database and DATA_DIR (src/cli/backup-archive.ts). Stop the service first. Into a
 * database or DATA_DIR that holds data only with --replace; a truncated file or one sealed with
 * another key is refused with the reason and changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { EX_CONFIG, privateToolConfig } from "./private-config.js";
import { migrate } from "../db/migrate.js";
import { loadKeyRing } from "../security/crypto.js";
import { restoreBackup, RestoreRefused } from "./backup-archive.js";

async function main(): Promise<number> {
  const config = privateToolConfig();
  if (!config) return EX_CONFIG;
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { replace: { type: "boolean" } }, allowPositionals: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error("Usage: npm run restore -- <backup file> [--replace]");
    return 2;
  }
  // Never a new key here: a backup opens only with the key of the installation that made it.
  if (!config.ENCRYPTION_KEY && !fs.existsSync(path.join(config.DATA_DIR, "encryption.key"))) {
    console.error("Set ENCRYPTION_KEY to the key of the installation that made the backup (64 hex characters). Nothing was changed.");
    return 2;
  }
  const keys = loadKeyRing({ ...(config.ENCRYPTION_KEY ? { envKey: config.ENCRYPTION_KEY } : {}), dataDir: config.DATA_DIR });
  try {
    const r = await restoreBackup({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, key: keys.key }, file, { replace: values.replace === true });
    // A backup from an older version gets the migrations added since.
    await migrate(config.DATABASE_URL);
    console.log(`Restored the backup of ${r.createdAt ?? "an unknown time"} (${r.provider} database and ${r.files} files). Start the service.`);
    return 0;
  } catch (e) {
    if (e instanceof RestoreRefused) {
      console.error(`Refused: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main();
