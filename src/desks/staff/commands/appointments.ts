/**
 * janji: the coming week's appointments (a consultant's own; admins and the head see all), each with
 * move and cancel buttons. janji <nomor> [kantor | online <link> | kunjungan]: offer the client of a
 * case free slots (how and when as they chose at registration, unless said here).
 */
import { text } from "../../../messaging/text.js";
import { encodeButton } from "../../../domain/buttons.js";
import { caseByReg } from "../../../domain/workflow/case-card.js";
import { AppointmentError, MODES, offerSlots, placeLine, slotLabel, weekOf, type Mode } from "../../../domain/appointments/index.js";
import { foldCommand } from "../../../shared/fold.js";
import { defineCommand } from "../command.js";

const WEEK_MS = 7 * 24 * 3600_000;
/** Chat messages in one answer, at most (the dashboard shows the whole week). */
const MAX_LISTED = 10;

export default defineCommand({
  name: "janji",
  aliases: ["appointment", "appointments", "temu"],
  roles: ["admin", "consultant", "head"],
  help: "staff.help.janji",
  menu: "cmdmenu.janji",
  async run({ turn, staff, args, deps }) {
    const calendar = deps.appointments.calendar;
    const m = /^(\S+)(?:\s+(\S+)(?:\s+(\S+))?)?$/.exec(args.trim());
    if (!m) {
      const list = await weekOf(turn.tx, { from: turn.now, to: new Date(turn.now.getTime() + WEEK_MS), ...(staff.role === "consultant" ? { consultantId: staff.id } : {}) });
      if (list.length === 0) {
        turn.reply(text(turn.t("appt.list.none")));
        return;
      }
      turn.reply(text(turn.t("appt.list.title", { count: list.length })));
      const t = turn.translator();
      for (const a of list.slice(0, MAX_LISTED)) {
        const line = [turn.t("appt.list.line", { slot: slotLabel(a.startsAt, t, calendar.tz), regNumber: a.regNumber, client: a.clientName, consultant: a.consultantName }), placeLine(a, t, "staff")].join("\n");
        const mine = staff.role === "admin" || a.consultantId === staff.id;
        turn.reply(text(line, mine ? [
          { id: encodeButton({ kind: "appointment", appointmentId: a.id, action: "move" }), label: turn.t("appt.btn.move") },
          { id: encodeButton({ kind: "appointment", appointmentId: a.id, action: "cancel" }), label: turn.t("appt.btn.cancel") },
        ] : undefined));
      }
      if (list.length > MAX_LISTED) turn.reply(text(turn.t("appt.list.more", { count: list.length - MAX_LISTED })));
      return;
    }
    const c = await caseByReg(turn.tx, m[1]!);
    if (!c) {
      turn.reply(text(turn.t("wf.err.no_case")));
      return;
    }
    const modeWord = m[2] ? foldCommand(m[2]) : undefined;
    const mode = modeWord ? MODES.find((x) => x === modeWord || turn.translator().words(`appt.mode.${x}.words`).includes(modeWord)) : undefined;
    if (modeWord && !mode) {
      turn.reply(text(turn.t("appt.usage")));
      return;
    }
    const link = m[3];
    if (link !== undefined && (mode !== "online" || !/^https:\/\/\S+$/i.test(link))) {
      turn.reply(text(turn.t("appt.err.bad_link")));
      return;
    }
    try {
      await offerSlots(turn, deps.appointments, { caseId: c.id, actor: { type: "staff", staff }, ...(mode ? { mode: mode as Mode } : {}), ...(link ? { link } : {}) });
    } catch (e) {
      if (!(e instanceof AppointmentError)) throw e;
      turn.reply(text(turn.t(e.textKey, e.params)));
    }
  },
});
