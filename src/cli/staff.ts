/**
 * `npm run staff -- <command>`: staff accounts from the command line.
 *   add --role admin --name "Ni Luh Putu" [--areas pemasaran,digital]
 *       creates a one-time invitation code; the person sends it to the assistant from their own
 *       Telegram or WhatsApp (or the web chat) and that identity becomes staff with the role.
 *       This is how the first admin is made; after that admins invite in chat ("undang ...").
 *   list                      staff and how they are reached
 *   deactivate <staff id>     stops the account (its chats are no longer staff)
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.js";
import { openDatabase } from "../db/client.js";
import { readJson, ZStaffAreas } from "../db/json-columns.js";
import { migrate } from "../db/migrate.js";
import { loadOfficeSetup } from "../domain/routing/rules.js";
import { ZRole } from "../domain/staff/directory.js";
import { createInvite } from "../domain/staff/invites.js";
import { formatFullDateTime } from "../i18n/index.js";

const ROLE_WORDS: Record<string, string> = { admin: "admin", konsultan: "consultant", consultant: "consultant", kepala: "head", head: "head" };

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const { db, close } = await openDatabase(config.DATABASE_URL);
  try {
    if (command === "add") {
      const { values } = parseArgs({ args: rest, options: { role: { type: "string" }, name: { type: "string" }, areas: { type: "string" } } });
      const role = ZRole.safeParse(ROLE_WORDS[String(values.role ?? "").toLowerCase()]);
      if (!role.success || !values.name) {
        console.error('Usage: npm run staff -- add --role admin|consultant|head --name "Full Name" [--areas pemasaran,digital]');
        return 2;
      }
      const known = loadOfficeSetup(config.CONVERSATIONS_DIR).areas.areas.map((a) => a.code);
      const areas = (values.areas ?? "").split(",").map((a) => a.trim()).filter(Boolean);
      const unknown = areas.filter((a) => !known.includes(a));
      if (unknown.length > 0 || (role.data === "consultant" && areas.length === 0)) {
        console.error(`A consultant needs one or more areas of conversations/areas.yaml: ${known.join(", ")}`);
        return 2;
      }
      const { code, expiresAt } = await db.$transaction((tx) => createInvite(tx, { role: role.data, name: values.name!, areas, createdById: null, now: new Date() }));
      console.log(`Invitation for ${values.name} (${role.data}): ${code}`);
      console.log(`Valid until ${formatFullDateTime(expiresAt, "en", config.TZ)}, once. Send it to the assistant from the staff member's own Telegram, WhatsApp or web chat.`);
      return 0;
    }
    if (command === "list") {
      const staff = await db.staff.findMany({ include: { identities: { select: { channel: true } } }, orderBy: { createdAt: "asc" } });
      for (const s of staff) {
        console.log(`${s.id}  ${s.role.padEnd(10)} ${s.active ? "active  " : "inactive"} ${s.name}  areas=${readJson(ZStaffAreas, s.areasJson).join(",") || "-"}  chats=${s.identities.map((i) => i.channel).join(",") || "-"}`);
      }
      if (staff.length === 0) console.log("No staff yet: npm run staff -- add --role admin --name \"...\"");
      return 0;
    }
    if (command === "deactivate" && rest[0]) {
      const r = await db.staff.updateMany({ where: { id: rest[0] }, data: { active: false } });
      console.log(r.count === 1 ? "Deactivated." : "No staff member with that id.");
      return r.count === 1 ? 0 : 1;
    }
    console.error("Commands: add, list, deactivate <id>. See src/cli/staff.ts.");
    return 2;
  } finally {
    await close();
  }
}

process.exitCode = await main();
