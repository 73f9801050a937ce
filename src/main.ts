/**
 * `npm start`: read the configuration, migrate, start everything configured. Any failure ends with
 * one clear message and a non-zero exit, before anything is written.
 */
import { ConfigError, loadConfig } from "./config/config.js";
import { DatabaseError } from "./db/client.js";
import { createLogger } from "./logging/logger.js";
import { startService } from "./service.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`${e.message}\nSee .env.example and the configuration table in README.md.`);
      process.exit(78);
    }
    throw e;
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: [config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_WEBHOOK_SECRET, config.WHATSAPP_CLOUD_TOKEN, config.WHATSAPP_CLOUD_APP_SECRET, config.WHATSAPP_CLOUD_VERIFY_TOKEN, config.ENCRYPTION_KEY, config.SESSION_SECRET],
  });
  try {
    const service = await startService(config, logger);
    const stop = async (signal: string) => {
      logger.info({ signal }, "stopping");
      await service.stop();
      process.exit(0);
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
  } catch (e) {
    if (e instanceof DatabaseError) {
      console.error(`Cannot start: ${e.message}`);
      process.exit(69);
    }
    console.error("Cannot start:", e instanceof Error ? e.message : e);
    process.exit(1);
  }
}

await main();
