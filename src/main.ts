/**
 * `npm start`: read the configuration, migrate, start everything configured. Any failure ends with
 * one clear message and a non-zero exit, before anything is written.
 */
import { ConfigError, loadConfig } from "./config/config.js";
import { DatabaseError } from "./db/client.js";
import { createLogger, terminalDestination, type Logger } from "./logging/logger.js";
import { startService, type RunningService } from "./service.js";

async function main(): Promise<void> {
  // Everything this process creates (database, WAL, uploads, PDFs, key files) is the service user's
  // only, whatever the shell's umask; the modes set where files are made say the same.
  process.umask(0o077);
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
  const destination = await terminalDestination();
  const logger = createLogger({
    level: config.LOG_LEVEL,
    ...(destination ? { destination } : {}),
    secrets: [config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_WEBHOOK_SECRET, config.WHATSAPP_CLOUD_TOKEN, config.WHATSAPP_CLOUD_APP_SECRET, config.WHATSAPP_CLOUD_VERIFY_TOKEN, config.ENCRYPTION_KEY, config.SESSION_SECRET],
  });
  try {
    const service = await startService(config, logger);
    await sayWhereToStart(service, logger);
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

/** The last lines of the start: where people go next, and the first admin when there is none. */
async function sayWhereToStart(service: RunningService, logger: Logger): Promise<void> {
  const url = service.url;
  if (service.channels.has("web")) logger.info(`Web chat (talk to the assistant as a client): ${url}/chat`);
  logger.info(`Staff dashboard: ${url}/staff (staff sign in with the one-time link the word "dashboard" gets them in chat)`);
  const admins = await service.database.db.staff.count({ where: { role: "admin", active: true } });
  if (admins === 0) {
    logger.info(`No admin yet. Make the first one in another terminal: npm run staff -- add --role admin --name "Your Name", then send the printed code to the assistant from your chat.`);
  }
  logger.info("Running. Stop with Ctrl-C.");
}

await main();
