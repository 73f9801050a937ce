/**
 * Turning grammY failures into ChannelSendError, and describing any error for the log without
 * personal data or the bot token.
 */
import { GrammyError, HttpError } from "grammy";
import { ChannelSendError } from "../../messaging/model.js";

/** An error raised by the channel itself: its message holds no personal data and may be logged. */
export class TelegramChannelError extends Error {
  override name = "TelegramChannelError";
}

/** Replaces the bot token (and any `bot<id>:<secret>` URL segment) in a text meant for the log. */
export function redact(text: string, token: string): string {
  let out = text.replace(/bot\d+:[A-Za-z0-9_-]+/g, "bot<redacted>");
  if (token.length > 0) out = out.split(token).join("<redacted>");
  return out;
}

/** Whether Telegram answered that this chat cannot be reached at all (blocked, deleted, never existed). */
function isUnreachable(err: GrammyError): boolean {
  if (err.error_code === 403) return true;
  const d = err.description.toLowerCase();
  return err.error_code === 400 && (d.includes("chat not found") || d.includes("user not found") || d.includes("peer_id_invalid"));
}

/**
 * Maps a failed Bot API call to a ChannelSendError:
 * 429 -> rate_limited (retry_after); 403, 400 "chat not found" -> permanent; network, timeouts,
 * 5xx -> retry; 401/404 (wrong token or API root: the bot's fault, not the message's) -> retry;
 * any other 4xx (the request itself is refused, repeating it cannot help) -> permanent.
 */
export function toChannelSendError(err: unknown, token: string): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  if (err instanceof GrammyError) {
    const what = `telegram ${err.method}: ${err.error_code} ${redact(err.description, token)}`;
    if (err.error_code === 429) {
      const after = err.parameters.retry_after;
      return new ChannelSendError(what, "rate_limited", typeof after === "number" && after > 0 ? after : 1);
    }
    if (isUnreachable(err)) return new ChannelSendError(what, "permanent");
    if (err.error_code >= 500 || err.error_code === 401 || err.error_code === 404) return new ChannelSendError(what, "retry");
    return new ChannelSendError(what, "permanent");
  }
  if (err instanceof HttpError) return new ChannelSendError(`telegram: ${redact(err.message, token)}`, "retry");
  const name = err instanceof Error ? err.name : typeof err;
  return new ChannelSendError(`telegram: unexpected ${name}`, "retry");
}

/**
 * A log-safe description of an error: grammY errors by method, code and Telegram's description
 * (never their payload, which holds the message text); network errors by their redacted cause;
 * anything else by name, redacted message and stack.
 */
export function describeError(err: unknown, token: string): Record<string, unknown> {
  if (err instanceof GrammyError) {
    return { name: err.name, method: err.method, code: err.error_code, description: redact(err.description, token) };
  }
  if (err instanceof HttpError) {
    const cause = err.error instanceof Error ? `${err.error.name}: ${err.error.message}` : String(err.error);
    return { name: err.name, message: redact(err.message, token), cause: redact(cause, token) };
  }
  if (err instanceof ChannelSendError) {
    return { name: err.name, kind: err.kind, message: redact(err.message, token) };
  }
  if (err instanceof TelegramChannelError) return { name: err.name, message: redact(err.message, token) };
  if (err instanceof Error) {
    // Anything else may come from the app's handler, whose message may quote what the person sent
    // (text, a phone number): log its name, code and stack frames, never its message.
    const code = (err as { code?: unknown }).code;
    const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 12).map((l) => redact(l.trim(), token));
    return { name: err.name, ...(typeof code === "string" || typeof code === "number" ? { code } : {}), stack: frames };
  }
  return { name: typeof err };
}
