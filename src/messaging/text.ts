import type { Choice, Outbound } from "./model.js";

/** A text message, with buttons when there are choices. */
export function text(t: string, choices?: Choice[]): Outbound {
  return choices && choices.length > 0 ? { type: "text", text: t, choices } : { type: "text", text: t };
}
