/**
 * Yes or no, as clients answer it: "iya kak", "gak", "nggih", "sudah", "belum", "👍", "tidak usah".
 * The first meaningful word decides; a yes followed by a no ("iya tapi belum") is not a clear answer.
 */
import { fold } from "../../shared/fold.js";
import { squeeze } from "./fuzzy.js";
import { COURTESY_WORDS, NO_EMOJI, NO_WORDS, YES_EMOJI, YES_WORDS } from "./lexicon.js";
import { type ParseResult, err, ok } from "./types.js";

export const YESNO_ERRORS = ["q.yesno.empty", "q.yesno.unknown"] as const;

const norm = (w: string): string => squeeze(fold(w));
const YES = new Set(YES_WORDS.map(norm));
const NO = new Set(NO_WORDS.map(norm));
const COURTESY = new Set(COURTESY_WORDS.map(norm));
/** Multi-word phrases first, so "tidak usah" is one "no" and not "tidak" + an unknown word. */
const PHRASES = [...YES_WORDS, ...NO_WORDS]
  .map(norm)
  .filter((p) => p.includes(" "))
  .sort((a, b) => b.length - a.length);

/** "👍🏽" -> "👍": skin tones and variation selectors removed so emoji compare. */
function stripModifiers(s: string): string {
  return s.replace(/[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\uFE0E/gu, "");
}

type Word = "yes" | "no" | "other";

function classify(input: string): Word[] {
  let s = ` ${squeeze(fold(input))} `;
  const words: Word[] = [];
  // Phrases become single placeholder words, then everything splits on spaces.
  for (const p of PHRASES) s = s.split(` ${p} `).join(YES.has(p) ? " \u0001 " : " \u0002 ");
  for (const w of s.trim().split(/\s+/)) {
    if (w === "") continue;
    if (w === "\u0001" || YES.has(w)) words.push("yes");
    else if (w === "\u0002" || NO.has(w)) words.push("no");
    else if (!COURTESY.has(w)) words.push("other");
  }
  return words;
}

/** Text keys of how a yes and a no are shown in a summary. */
export const YESNO_LABEL_KEYS = { yes: "q.yesno.yes", no: "q.yesno.no" } as const;

/** How a yes and a no are shown; the engine passes the texts of YESNO_LABEL_KEYS. */
export interface YesNoLabels {
  yes: string;
  no: string;
}

/** Reads a yes/no answer. Without labels the display is "✓" / "✗". */
export function parseYesNo(input: string, labels: YesNoLabels = { yes: "✓", no: "✗" }): ParseResult<boolean> {
  const raw = stripModifiers(input.trim());
  if (raw === "") return err("q.yesno.empty");
  const hasYesEmoji = YES_EMOJI.some((e) => raw.includes(e));
  const hasNoEmoji = NO_EMOJI.some((e) => raw.includes(e));
  const words = classify(raw);
  // The answer must start with its yes/no word ("hmm" and "pak" do not count): a sentence that only
  // mentions "ada" somewhere is unclear. With no yes/no word at all, a thumbs up or down decides.
  const leading = words[0];
  let answer: boolean | undefined;
  if (leading === "no") {
    answer = false;
  } else if (leading === "yes") {
    answer = words.includes("no") ? undefined : true;
  } else if (!words.includes("yes") && !words.includes("no") && hasYesEmoji !== hasNoEmoji) {
    answer = hasYesEmoji;
  }
  if (answer !== undefined && ((answer && hasNoEmoji) || (!answer && hasYesEmoji))) answer = undefined;
  if (answer === undefined) return err("q.yesno.unknown");
  return ok(answer, answer ? labels.yes : labels.no);
}
