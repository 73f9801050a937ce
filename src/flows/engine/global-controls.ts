/**
 * Controls that do the same with or without a session: the language, reminders on/off, the
 * status of my cases, my data.
 */
import type { Lang } from "../../i18n/index.js";
import type { Control } from "./commands.js";
import { languageChoices } from "./prompts.js";
import { renderMyData, renderStatus } from "./requests.js";
import type { Turn } from "./turn.js";

/** Runs a control that works everywhere; false when `ctl` is not one of them. */
export function globalControl(turn: Turn, ctl: Control): boolean {
  switch (ctl) {
    case "lang_id":
    case "lang_en":
      setLanguage(turn, ctl === "lang_id" ? "id" : "en");
      return true;
    case "language":
      turn.say(turn.t("engine.language.ask"), languageChoices(turn));
      return true;
    case "reminders_off":
    case "reminders_on": {
      const on = ctl === "reminders_on";
      turn.person.remindersOn = on;
      turn.effects.push({ type: "reminders_toggled", on });
      turn.say(turn.t(on ? "engine.reminders.on" : "engine.reminders.off"));
      return true;
    }
    case "status":
      turn.request("status");
      turn.say(renderStatus(turn));
      return true;
    case "my_data":
      turn.request("my_data");
      turn.say(renderMyData(turn));
      return true;
    default:
      return false;
  }
}

export function setLanguage(turn: Turn, lang: Lang): void {
  if (lang !== turn.person.language) turn.effects.push({ type: "language_changed", language: lang });
  turn.person.language = lang;
  turn.tr = turn.tr.with(lang);
  turn.say(turn.t("engine.language.changed"));
}
