/** cari <nama/nomor/NIK>: clients and their cases; a NIK is searched by its keyed hash and shown masked. */
import { text } from "../../../messaging/text.js";
import { renderSearch, searchClients } from "../../../domain/reports/index.js";
import { defineCommand } from "../command.js";
import { dbOf, translatorFor } from "./report-support.js";

export default defineCommand({
  name: "cari",
  aliases: ["search"],
  roles: ["admin", "head"],
  help: "staff.help.cari",
  menu: "cmdmenu.cari",
  async run({ turn, args, deps }) {
    const d = deps.reports;
    const result = await searchClients(dbOf(turn), d.key, args);
    turn.audit({ action: "client.search", entity: "Client", detail: { kind: /\d{16}/.test(args.replace(/\D/g, "")) ? "nik" : "text" } });
    turn.reply(text(renderSearch(result, translatorFor(turn, d), { tz: d.tz, regions: d.regions(), query: args })));
  },
});
