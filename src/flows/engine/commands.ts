/**
 * Recognising commands: the words of the controls that work at every question ("kembali",
 * "batal", "bantuan" ...) and the engine's own buttons. The words are folded once per loaded
 * texts and language, not on every message: a typed message is folded once and looked up.
 */
import type { EngineMessage } from "../model.js";
import { foldCommand } from "../../shared/fold.js";
import { type Lang, type Texts, Translator } from "../../i18n/index.js";
import { C } from "./turn.js";

export type Control =
  | "back"
  | "cancel"
  | "help"
  | "menu"
  | "skip"
  | "keep"
  | "language"
  | "lang_id"
  | "lang_en"
  | "reminders_off"
  | "reminders_on"
  | "status"
  | "my_data";

/** Words keys of the controls that work at every question, in the order they are tried. */
const CONTROL_WORDS: [Control, string][] = [
  ["back", "cmd.back"],
  ["cancel", "cmd.cancel"],
  ["help", "cmd.help"],
  ["menu", "cmd.menu"],
  ["skip", "cmd.skip"],
  ["keep", "cmd.keep"],
  ["lang_id", "cmd.lang_id"],
  ["lang_en", "cmd.lang_en"],
  ["language", "cmd.language"],
  ["reminders_off", "cmd.reminders_off"],
  ["reminders_on", "cmd.reminders_on"],
  ["status", "cmd.status"],
  ["my_data", "cmd.my_data"],
];

const CONTROL_CHOICES: Record<string, Control> = {
  [C.skip]: "skip",
  [C.keep]: "keep",
  [C.cancel]: "cancel",
  "lang:id": "lang_id",
  "lang:en": "lang_en",
  "menu:status": "status",
  "menu:my_data": "my_data",
  "menu:language": "language",
  "menu:reminders_off": "reminders_off",
  "menu:reminders_on": "reminders_on",
};

/** The command words of one language (and the other languages after it), as folded sets. */
export class CommandWords {
  private readonly sets = new Map<string, ReadonlySet<string>>();
  /** Folded word -> the first control (in CONTROL_WORDS order) it names. */
  private readonly controls = new Map<string, Control>();

  constructor(private readonly tr: Translator) {
    for (const [ctl, key] of CONTROL_WORDS) {
      for (const w of this.words(key)) if (!this.controls.has(w)) this.controls.set(w, ctl);
    }
  }

  /** Is `said` (folded with foldCommand) one of the words of `key`? */
  has(key: string, said: string): boolean {
    return this.words(key).has(said);
  }

  /** The control a folded word names, if any. */
  control(said: string): Control | undefined {
    return this.controls.get(said);
  }

  private words(key: string): ReadonlySet<string> {
    let set = this.sets.get(key);
    if (!set) {
      set = new Set(this.tr.words(key));
      this.sets.set(key, set);
    }
    return set;
  }
}

/** Kept beside the loaded texts: a reload of conversations/ brings new texts and new sets. */
const byTexts = new WeakMap<Texts, Map<Lang, CommandWords>>();

/** The command words for a translator's texts and language, made once. */
export function commandWords(tr: Translator): CommandWords {
  let perLang = byTexts.get(tr.texts);
  if (!perLang) {
    perLang = new Map();
    byTexts.set(tr.texts, perLang);
  }
  let words = perLang.get(tr.lang);
  if (!words) {
    words = new CommandWords(new Translator(tr.texts, tr.lang));
    perLang.set(tr.lang, words);
  }
  return words;
}

/** The control a message names: one of the engine's buttons, or a command word typed. */
export function controlOf(tr: Translator, msg: EngineMessage): Control | undefined {
  if (msg.type === "choice") return CONTROL_CHOICES[msg.choiceId];
  if (msg.type !== "text") return undefined;
  const said = foldCommand(msg.text);
  if (said === "") return undefined;
  return commandWords(tr).control(said);
}
