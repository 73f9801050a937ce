/**
 * WhatsApp has no buttons: the office numbers what it offers, and a typed number or label picks
 * it. Both desks read the buttons last offered to the person from their session.
 */
import { foldCommand } from "../shared/fold.js";

/** A typed "2", "2." or the label of an offered button. */
export function pickOffered(input: string, offered: Array<{ id: string; label: string }>): string | null {
  const s = input.trim();
  const n = /^(\d{1,2})\.?$/.exec(s);
  if (n) return offered[Number(n[1]) - 1]?.id ?? null;
  const f = foldCommand(s);
  const hit = offered.filter((o) => foldCommand(o.label.replace(/^✅\s*/, "")) === f);
  return hit.length === 1 ? hit[0]!.id : null;
}
