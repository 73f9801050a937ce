/** The WhatsApp channel's settings when the options leave them out. */
export const WHATSAPP_DEFAULTS = {
  sendIntervalMs: 1500,
  maxInboundFileBytes: 16 * 1024 * 1024,
  maxTextLength: 4096,
  /** WhatsApp shows long captions badly; longer captions go as a separate text. */
  maxCaptionLength: 1024,
  backoffInitialMs: 1000,
  backoffMaxMs: 60_000,
  rateLimitedRetryAfterSeconds: 60,
} as const;
