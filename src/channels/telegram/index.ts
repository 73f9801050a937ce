/** The Telegram channel's public surface; nothing else in src imports grammY. */
export {
  createTelegramChannel,
  isUpdate,
  TELEGRAM_MAX_FILE_BYTES,
  type TelegramChannel,
  type TelegramChannelOptions,
  type TelegramLogger,
  type WebhookOutcome,
} from "./telegram-channel.js";
export { telegramWebhookPlugin, type TelegramWebhookOptions } from "./webhook.js";
