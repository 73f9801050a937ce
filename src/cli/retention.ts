/**
 * `npm run retention`: run the retention job once against DATABASE_URL (what the scheduler does
 * every night at 02:30): clients whose last case closed RETENTION_YEARS ago or more are anonymised,
 * and files of deleted documents still on disk are removed.
 *
 *   npm run retention -- --dry-run     list what would go, change nothing
 *   npm run retention                  do it
 *
 * Exit code 0 when done, 1 when a client could not be anonymised (left untouched; the next run
 * tries again), 2 on a setting or database problem.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config/config.js";
import { DatabaseError, openDatabase, redactUrl } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { planRetention, runRetention } from "../domain/retention/retention.js";
import { createLogger } from "../logging/logger.js";
import { loadKeyRing } from "../security/crypto.js";
import { systemClock } from "../shared/clock.js";
import { databaseWebChatRows, fileStoreFor } from "../db/shared-storage.js";
import { createFileHistoryStore, createSealedRowHistoryStore } from "../channels/web/history.js";

const day = (d: Date) => d.toISOString().slice(0, 10);

try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { "dry-run": { type: "boolean", default: false } } });
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL });
  await migrate(config.DATABASE_URL);
  const database = await openDatabase(config.DATABASE_URL);
  const { db, close } = database;
  try {
    const now = systemClock.now();
    const years = config.RETENTION_YEARS;
    console.log(`${redactUrl(config.DATABASE_URL)}: clients whose last case closed ${years} years ago or more`);
    if (values["dry-run"]) {
      const plan = await planRetention(db, now, years);
      console.log(`Dry run: nothing is changed. Cases closed on or before ${day(plan.cutoff)}.`);
      for (const c of plan.clients) {
        console.log(`  client ${c.clientId}: cases ${c.regNumbers.join(", ")}, last closed ${day(c.lastClosedAt)}, ${c.documents} documents`);
      }
      console.log(`${plan.clients.length} clients would be anonymised; ${plan.leftoverFiles} files of deleted documents would be removed.`);
    } else {
      const keys = loadKeyRing({ envKey: config.ENCRYPTION_KEY, dataDir: config.DATA_DIR });
      const files = fileStoreFor(database, config.DATA_DIR, keys.key);
      // The web chat history of an anonymised client goes too, wherever this database keeps it.
      const webHistory =
        database.provider === "postgresql"
          ? createSealedRowHistoryStore(databaseWebChatRows(db), keys.key)
          : createFileHistoryStore({ dir: path.join(config.DATA_DIR, "webchat"), encryptionKey: keys.key });
      const forgetChat = async (channel: string, address: string): Promise<void> => {
        if (channel === "web") await webHistory.forget?.(address);
      };
      const r = await runRetention({ db, files, now, years, logger, forgetChat });
      console.log(`${r.anonymised.length} clients anonymised, ${r.filesRemoved} files removed.`);
      for (const f of r.failed) console.error(`  client ${f.clientId} left untouched: ${f.error}`);
      if (r.failed.length > 0) process.exitCode = 1;
    }
  } finally {
    await close();
  }
} catch (e) {
  if (e instanceof ConfigError || e instanceof DatabaseError) {
    console.error((e as Error).message);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
