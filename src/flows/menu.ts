/**
 * What a person can do, for "/start" and "menu": flows that declare a `menu` block (register, new
 * consultation, complaint ...) and the built-in requests (status, my data, language, reminders).
 * Depends on who the person is: a guest, a client, with or without consent.
 */
import type { LoadedConversations } from "./load.js";
import type { PersonContext } from "./model.js";

export type MenuControl = "status" | "my_data" | "language" | "reminders_off" | "reminders_on";

interface Base {
  id: string;
  /** Text key of the entry. */
  label: string;
  /** Text key of words that pick it when typed. */
  words?: string;
  order: number;
}
export type MenuEntry = (Base & { kind: "flow"; flowId: string }) | (Base & { kind: "control"; control: MenuControl });

function controls(person: PersonContext): MenuEntry[] {
  const out: MenuEntry[] = [];
  const add = (control: MenuControl, order: number, label: string, words: string) =>
    out.push({ kind: "control", id: control, control, label, words, order });
  if (person.isClient) add("status", 20, "menu.status", "cmd.status");
  if (person.isClient) {
    if (person.remindersOn) add("reminders_off", 70, "menu.reminders_off", "cmd.reminders_off");
    else add("reminders_on", 70, "menu.reminders_on", "cmd.reminders_on");
  }
  add("language", 80, "menu.language", "cmd.language");
  if (person.hasConsent) add("my_data", 90, "menu.my_data", "cmd.my_data");
  return out;
}

/** The menu for a person with no flow open, in order. */
export function menuFor(c: LoadedConversations, person: PersonContext): MenuEntry[] {
  const flows: MenuEntry[] = [];
  for (const f of c.flows.values()) {
    const m = f.def.menu;
    if (!m) continue;
    if (m.who === "guest" && person.isClient) continue;
    if (m.who === "client" && !person.isClient) continue;
    if (m.onlyWithConsent && !person.hasConsent) continue;
    flows.push({ kind: "flow", id: f.def.id, flowId: f.def.id, label: m.label, ...(m.words ? { words: m.words } : {}), order: m.order });
  }
  return [...flows, ...controls(person)].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/** The menu inside a flow: only what does not leave the flow (starting another needs finishing or "batal"). */
export function menuInFlow(_c: LoadedConversations, person: PersonContext): MenuEntry[] {
  return controls(person).sort((a, b) => a.order - b.order);
}
