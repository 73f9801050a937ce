export {
  createWhatsAppCloudChannel,
  CLOUD_DEFAULTS,
  type CloudLogger,
  type WhatsAppCloudChannel,
  type WhatsAppCloudChannelOptions,
  type WebhookOutcome,
} from "./cloud-channel.js";
export { whatsappCloudWebhook, signatureValid, CLOUD_WEBHOOK_PATH, type CloudWebhookOptions } from "./webhook.js";
export {
  checkTemplatesFile,
  formatTemplateIssue,
  loadTemplates,
  readTemplatesFile,
  TemplateBook,
  TemplatesFileError,
  TEMPLATE_RULES,
  TEMPLATES_FILE,
  type TemplateIssue,
} from "./templates.js";
export { MemoryWindowStore, windowOpen, WINDOW_MS, WINDOW_SAFETY_MS, type WindowState, type WindowStore } from "./window.js";
