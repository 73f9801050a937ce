/**
 * A slot typed instead of tapped: "selasa pagi", "rabu 14", "kamis jam 10.00", "besok" is not
 * understood (a day name or an hour is needed). The first offered slot that fits every word given
 * is meant; the words for days and parts of the day come from the texts, in both languages.
 */
import { foldCommand } from "../../shared/fold.js";
import { localParts } from "../../shared/time.js";
import { weekdayOf } from "../calendar/office-calendar.js";
import type { TimeOfDay } from "./slots.js";
import { matchesTime } from "./slots.js";

export interface TypedSlotWords {
  /** A folded word -> 1..7. */
  weekday(word: string): number | undefined;
  /** A folded word -> pagi | siang. */
  partOfDay(word: string): TimeOfDay | undefined;
}

export function matchTypedSlot<T extends { at: Date }>(input: string, slots: readonly T[], tz: string, words: TypedSlotWords): T | null {
  const tokens = foldCommand(input).split(/[\s,]+/).filter((w) => w !== "" && w !== "jam" && w !== "pukul" && w !== "at");
  let weekday: number | undefined;
  let part: TimeOfDay | undefined;
  let hour: number | undefined;
  for (const w of tokens) {
    const h = /^(\d{1,2})(?:[.:]00)?$/.exec(w);
    if (h) {
      hour = Number(h[1]);
      continue;
    }
    const d = words.weekday(w);
    if (d !== undefined) {
      weekday = d;
      continue;
    }
    const p = words.partOfDay(w);
    if (p !== undefined) {
      part = p;
      continue;
    }
    return null; // a word we do not know: better to ask again than to book the wrong hour
  }
  if (weekday === undefined && hour === undefined) return null;
  return (
    slots.find((s) => {
      const lp = localParts(s.at, tz);
      const date = `${lp.year}-${String(lp.month).padStart(2, "0")}-${String(lp.day).padStart(2, "0")}`;
      if (weekday !== undefined && weekdayOf(date) !== weekday) return false;
      if (hour !== undefined && lp.hour !== hour && lp.hour !== hour + 12) return false;
      return matchesTime(s.at, part, tz);
    }) ?? null
  );
}
