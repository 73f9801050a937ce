/**
 * The command menu a channel shows (Telegram's "/" menu), per role. The commands are the words the
 * desks and the engine already understand; their descriptions are texts `cmdmenu.<command>`.
 */
import { toLang, Translator, type Texts } from "../i18n/index.js";
import type { Role } from "../domain/staff/directory.js";

export const COMMAND_MENUS: Record<"client" | Role, readonly string[]> = {
  client: ["start", "menu", "status", "bantuan", "bahasa"],
  admin: ["menu", "kasus", "cari", "konsultan", "sla", "laporan", "dashboard", "undang", "otomatis"],
  consultant: ["menu", "kasusku", "buka", "dashboard"],
  head: ["menu", "laporan", "kasus", "cari", "konsultan", "sla", "dashboard"],
};

export function commandMenu(texts: Texts, lang: string, role: "client" | Role): Array<{ command: string; description: string }> {
  const tr = new Translator(texts, toLang(lang));
  return COMMAND_MENUS[role].map((command) => ({ command, description: tr.t(`cmdmenu.${command}`) }));
}
