/**
 * jadwal [senin 09-12, rabu 13-15]: a consultant's weekly availability for appointments. Without
 * what follows the word it shows the week and asks for it (flow appointment_availability).
 */
import { text } from "../../../messaging/text.js";
import { availabilityOf } from "../../../domain/appointments/index.js";
import { applyAvailability, describeWeek } from "../availability.js";
import { startInput } from "../inputs.js";
import { defineCommand } from "../command.js";

export default defineCommand({
  name: "jadwal",
  aliases: ["availability", "ketersediaan"],
  roles: ["consultant"],
  help: "staff.help.jadwal",
  menu: "cmdmenu.jadwal",
  async run({ turn, staff, args, deps }) {
    if (args.trim() !== "") {
      await applyAvailability(turn, deps.appointments, staff, args);
      return;
    }
    turn.reply(text([turn.t("appt.avail.current"), describeWeek(turn, await availabilityOf(turn.tx, staff.id))].join("\n")));
    await startInput(turn, deps, "appointment_availability", {});
  },
});
