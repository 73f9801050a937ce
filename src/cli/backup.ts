/**
 * `npm run backup [-- --out <file>]`: a consistent copy of the database and of DATA_DIR's files and
 * web chat history, sealed with the office key, while the service runs (src/cli/backup-archive.ts).
 * Without --out it is written to ./backups/plut-<date>-<time>.backup.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { EX_CONFIG, privateToolConfig } from "./private-config.js";
import { keyId } from "../security/at-rest.js";
import { loadKeyRing } from "../security/crypto.js";
import { createBackup } from "./backup-archive.js";

async function main(): Promise<number> {
  const config = privateToolConfig();
  if (!config) return EX_CONFIG;
  const { values } = parseArgs({ args: process.argv.slice(2), options: { out: { type: "string" } } });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const out = path.resolve(values.out ?? path.join("backups", `plut-${stamp}.backup`));
  const keys = loadKeyRing({ ...(config.ENCRYPTION_KEY ? { envKey: config.ENCRYPTION_KEY } : {}), dataDir: config.DATA_DIR });
  const r = await createBackup({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, key: keys.key }, out);
  console.log(`Backup written: ${out} (${r.provider} database and ${r.files} files, ${(r.bytes / 1024 / 1024).toFixed(1)} MB).`);
  console.log(`It is sealed with key ${keyId(keys.key)}: keep a copy of ENCRYPTION_KEY apart from the backups, or it cannot be restored.`);
  return 0;
}

process.exitCode = await main();
