/**
 * Meta's error codes, read once for both places they arrive: the answer to a send (synchronous)
 * and a "failed" status webhook (asynchronous). Codes from Meta's error-code reference; the title
 * texts are not relied on (Meta says they will go).
 */
import { ChannelSendError } from "../../messaging/model.js";
import type { DeliveryFailure } from "../../messaging/delivery.js";
import { GraphApiError } from "./graph-api.js";

/** Seconds to wait after a rate limit: the per-number throughput (130429) clears within a minute; one person (131056) after a few seconds. */
const RATE_LIMIT_WAIT = { throughput: 60, pair: 10 } as const;
/** Office-side faults (token, permissions, payment) wait long: retrying every few seconds fixes nothing. */
const ACCOUNT_FAULT_WAIT_SECONDS = 15 * 60;

export interface ReadFailure {
  failure: DeliveryFailure;
  retryAfterSeconds?: number;
  /** The office must act (token expired, account restricted): logged as an error. */
  accountFault?: boolean;
}

/** What a Meta error code means for this message and person. */
export function readErrorCode(code: number | undefined, httpStatus = 400): ReadFailure {
  switch (code) {
    // Re-engagement: more than 24 hours since the person last wrote.
    case 131047:
      return { failure: "window_closed" };
    // Throughput, app-level and spam rate limits; one person messaged too often.
    case 130429:
    case 80007:
    case 4:
    case 613:
    case 131048:
      return { failure: "rate_limited", retryAfterSeconds: RATE_LIMIT_WAIT.throughput };
    case 131056:
      return { failure: "rate_limited", retryAfterSeconds: RATE_LIMIT_WAIT.pair };
    // Undeliverable: not a WhatsApp user, terms not accepted, outdated app; not in the test number's allowed list.
    case 131026:
    case 131030:
    case 131021:
    case 1013:
      return { failure: "unreachable" };
    // Template problems: wrong parameter count or format, missing or unapproved translation, paused, disabled.
    case 132000:
    case 132001:
    case 132005:
    case 132007:
    case 132012:
    case 132015:
    case 132016:
    case 132018:
    case 132068:
    case 132069:
      return { failure: "template_refused" };
    // The user stopped marketing messages: only marketing templates are affected.
    case 131050:
      return { failure: "refused" };
    // This message cannot go: invalid parameter, unsupported type, media it will not take.
    case 100:
    case 131008:
    case 131009:
    case 131051:
    case 131052:
    case 131053:
      return { failure: "refused" };
    // The office's account: token expired or lacking permission, account locked or unpaid.
    case 190:
    case 10:
    case 200:
    case 368:
    case 131031:
    case 131042:
    case 131045:
    case 133010:
      return { failure: "retry", retryAfterSeconds: ACCOUNT_FAULT_WAIT_SECONDS, accountFault: true };
    default:
      if (httpStatus === 429) return { failure: "rate_limited", retryAfterSeconds: RATE_LIMIT_WAIT.throughput };
      if (httpStatus === 401 || httpStatus === 403) return { failure: "retry", retryAfterSeconds: ACCOUNT_FAULT_WAIT_SECONDS, accountFault: true };
      // 131000, 131016, 133004, 1, 2, 5xx, no answer: transient.
      if (httpStatus === 0 || httpStatus >= 500 || code === undefined) return { failure: "retry" };
      // An unknown 4xx code: this request will not succeed as it is.
      return httpStatus >= 400 && httpStatus < 500 ? { failure: "refused" } : { failure: "retry" };
  }
}

/** A failed send as the outbox understands it. */
export function toChannelSendError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  if (!(err instanceof GraphApiError)) return new ChannelSendError(`WhatsApp Cloud API send failed: ${err instanceof Error ? err.name : "error"}`, "retry");
  const read = readErrorCode(err.code, err.httpStatus);
  switch (read.failure) {
    case "unreachable":
      return new ChannelSendError(err.message, "permanent");
    case "rate_limited":
      return new ChannelSendError(err.message, "rate_limited", read.retryAfterSeconds);
    case "template_refused":
    case "refused":
      return new ChannelSendError(err.message, "refused");
    case "window_closed":
    case "retry":
      return new ChannelSendError(err.message, read.retryAfterSeconds !== undefined ? "rate_limited" : "retry", read.retryAfterSeconds);
  }
}
