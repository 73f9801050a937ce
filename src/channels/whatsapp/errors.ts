/** Baileys' errors read the way the channel needs them: status codes, log-safe texts, retry kinds. */
import { ChannelSendError } from "../../messaging/model.js";
import { WHATSAPP_DEFAULTS } from "./defaults.js";

/** Baileys closes with a Boom error; read its status code the way Baileys' examples do. */
export function disconnectCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** An error's message, short and without long digit runs, for logs and outbox rows. */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // Baileys' error texts are protocol words ("Connection Closed", "rate-overlimit"); strip digits
  // runs anyway so a number never reaches a log or an outbox row.
  return message.replace(/\d{6,}/g, "…").slice(0, 200);
}

/** Map a Baileys send failure to what the outbox should do. */
export function toChannelSendError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  const text = errorText(err);
  const data = (err as { data?: unknown } | undefined)?.data;
  const status = disconnectCode(err);
  if (/rate-overlimit/i.test(text) || data === 429 || status === 429) {
    return new ChannelSendError(
      `WhatsApp rate limit: ${text}`,
      "rate_limited",
      WHATSAPP_DEFAULTS.rateLimitedRetryAfterSeconds,
    );
  }
  if (/item-not-found|not-acceptable/i.test(text) || data === 404 || data === 406) {
    return new ChannelSendError(`WhatsApp refused the recipient: ${text}`, "permanent");
  }
  // Connection closed/lost (428, 408), replaced (440), restart (515), timeouts, unknown faults.
  return new ChannelSendError(`WhatsApp send failed: ${text}`, "retry");
}
