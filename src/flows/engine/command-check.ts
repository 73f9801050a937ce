/**
 * Is a message a command (a control word, a tap on one of the engine's buttons, or a menu entry
 * typed by its label or words)? The client desk asks before passing a client's free text on to
 * their consultant: commands always act as commands and are never forwarded. Stricter than the
 * menu's own matching on purpose (no typos, no word starts, no bare numbers): a sentence meant for
 * the consultant must not be taken for a command because it starts like one.
 */
import { Translator } from "../../i18n/index.js";
import { foldCommand } from "../../shared/fold.js";
import type { LoadedConversations } from "../load.js";
import { menuFor } from "../menu.js";
import type { EngineMessage, PersonContext } from "../model.js";
import { controlOf } from "./commands.js";

export function namesCommand(c: LoadedConversations, person: PersonContext, msg: EngineMessage): boolean {
  if (msg.type === "choice") return true;
  if (msg.type !== "text") return false;
  const tr = new Translator(c.texts, person.language);
  if (controlOf(tr, msg)) return true;
  const said = foldCommand(msg.text);
  if (said === "") return false;
  for (const m of menuFor(c, person)) {
    if (foldCommand(tr.t(m.label)) === said) return true;
    if (m.words && tr.words(m.words).includes(said)) return true;
  }
  return false;
}
