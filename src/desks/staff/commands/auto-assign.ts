/** otomatis on/off: an admin switches automatic assignment; without an argument it says which is on. */
import { text } from "../../../messaging/text.js";
import { isAutoAssign, setAutoAssign } from "../../../domain/workflow/settings.js";
import { defineCommand } from "../command.js";

export default defineCommand({
  name: "otomatis",
  aliases: ["auto"],
  roles: ["admin"],
  help: "staff.help.otomatis",
  menu: "cmdmenu.otomatis",
  async run({ turn, args }) {
    const on = /^(on|ya|aktif|hidup|1|true)$/i.test(args.trim());
    const off = /^(off|tidak|mati|nonaktif|0|false)$/i.test(args.trim());
    if (on || off) await setAutoAssign(turn.tx, on);
    turn.reply(text(turn.t((on || off ? on : await isAutoAssign(turn.tx)) ? "staff.auto_on" : "staff.auto_off")));
    turn.audit({ action: "setting.autoAssign", entity: "OfficeSetting", detail: { on } });
  },
});
