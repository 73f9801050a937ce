/**
 * The one composition root: config -> database -> storage -> channels -> engine -> http -> scheduler.
 */
import fs from "node:fs";
import type { Config } from "./config/config.js";
import { openDatabase, type DatabaseHandle } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import type { Logger } from "./logging/logger.js";
import { buildApp } from "./http/app.js";
import { loadKeyRing } from "./security/crypto.js";
import { FileStore } from "./storage/file-store.js";
import path from "node:path";

export interface RunningService {
  database: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  const migrated = await migrate(config.DATABASE_URL);
  logger.info({ provider: config.database.provider, applied: migrated.applied, alreadyApplied: migrated.alreadyApplied }, "database migrated");
  const database = await openDatabase(config.DATABASE_URL);

  const keys = loadKeyRing({ envKey: config.ENCRYPTION_KEY, dataDir: config.DATA_DIR });
  if (keys.source !== "environment") {
    logger.warn({ file: path.join(config.DATA_DIR, "encryption.key") }, "ENCRYPTION_KEY is not set: using a key file under DATA_DIR. Set ENCRYPTION_KEY in production and keep a copy of the key: without it the identity photos cannot be read.");
  }
  const files = new FileStore(path.join(config.DATA_DIR, "files"), keys.key);
  void files;

  const app = await buildApp({ db: database.db, provider: database.provider, logger });
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ url: address }, "http server listening");

  return {
    database,
    url: address,
    async stop() {
      await app.close();
      await database.close();
    },
  };
}
