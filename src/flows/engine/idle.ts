/** A message with no session open: the menu, and what picks an entry of it (a tap, a number, its words). */
import { menuFor, type MenuEntry } from "../menu.js";
import { parseChoice } from "../questions/choice.js";
import { controlOf } from "./commands.js";
import { globalControl } from "./global-controls.js";
import { showMenu } from "./prompts.js";
import type { PersonMessage, Turn } from "./turn.js";
import { startChecked } from "./walk.js";

export function onIdle(turn: Turn, msg: PersonMessage): void {
  if (msg.type === "media") {
    if (msg.media.storageKey) turn.effects.push({ type: "media_discarded", storageKey: msg.media.storageKey });
    if (!turn.person.hasConsent && !turn.person.isClient) {
      turn.say(turn.t("engine.media.not_stored"));
      // They are trying to register: ask for consent first, then the registration follows.
      const reg = menuFor(turn.c, turn.person).find((m) => m.kind === "flow" && turn.c.flows.get(m.flowId)?.def.requiresConsent);
      if (reg && reg.kind === "flow") return startChecked(turn, reg.flowId, {}, false, []);
      return showMenu(turn);
    }
    turn.say(turn.t("engine.media.not_here"));
    return showMenu(turn);
  }
  // A file that did not arrive is worth sending again, also outside a flow (h7: Cloud API downloads).
  if (msg.type === "rejected_media" && msg.reason === "download_failed") {
    turn.say(turn.t("engine.rejected.download_failed"));
    return showMenu(turn);
  }
  if (msg.type === "rejected_media" || msg.type === "unsupported" || msg.type === "contact" || msg.type === "location") {
    turn.say(turn.t(msg.type === "unsupported" || msg.type === "rejected_media" ? "engine.unsupported" : `engine.${msg.type}.not_here`));
    return showMenu(turn);
  }
  const ctl = controlOf(turn.tr, msg);
  if (ctl) {
    if (ctl === "help") turn.say(turn.t("engine.help.generic"));
    if (ctl === "cancel") turn.say(turn.t("engine.cancel.nothing"));
    if (globalControl(turn, ctl)) return;
    return showMenu(turn);
  }
  const items = menuFor(turn.c, turn.person);
  let picked: MenuEntry | undefined;
  if (msg.type === "choice") picked = items.find((m) => `menu:${m.id}` === msg.choiceId);
  else if (msg.type === "text") picked = matchMenu(turn, msg.text, items);
  if (picked) return runMenu(turn, picked);
  showMenu(turn);
}

function matchMenu(turn: Turn, text: string, items: MenuEntry[]): MenuEntry | undefined {
  const r = parseChoice(
    text,
    items.map((m) => ({ id: m.id, label: turn.t(m.label), synonyms: m.words ? [...turn.tr.wordsHere(m.words)] : [] })),
  );
  return r.ok ? items.find((m) => m.id === r.value) : undefined;
}

function runMenu(turn: Turn, item: MenuEntry): void {
  if (item.kind === "flow") return startChecked(turn, item.flowId, {}, false, []);
  globalControl(turn, item.control);
}
