/**
 * The command menu a channel shows (Telegram's "/" menu), per role. The clients' commands are words
 * the engine understands; the staff's come from their command registry. Descriptions are texts.
 */
import { toLang, Translator, type Texts } from "../i18n/index.js";
import type { Role } from "../domain/staff/directory.js";
import { menuCommandsFor } from "./staff/commands/index.js";

const CLIENT_COMMANDS = ["start", "menu", "status", "bantuan", "bahasa"] as const;

export function commandMenu(texts: Texts, lang: string, role: "client" | Role): Array<{ command: string; description: string }> {
  const tr = new Translator(texts, toLang(lang));
  if (role === "client") return CLIENT_COMMANDS.map((command) => ({ command, description: tr.t(`cmdmenu.${command}`) }));
  return menuCommandsFor(role).map((c) => ({ command: c.command, description: tr.t(c.descriptionKey) }));
}
