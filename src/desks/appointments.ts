/**
 * The appointment desk: a client's pick of an offered slot (a button, "2" typed on WhatsApp, or
 * "selasa pagi"), and "pindah" / "batal" on a booked appointment by the client or the consultant.
 * A client may also ask for slots themselves ("buat janji"). Put before the staff and client desks;
 * everything else passes through untouched.
 */
import type { Desk, DeskTurn } from "./desk.js";
import type { EngineMessage } from "../flows/model.js";
import type { Inbound } from "../messaging/model.js";
import { text } from "../messaging/text.js";
import { decodeButton, type Button } from "../domain/buttons.js";
import { getStaff } from "../domain/staff/directory.js";
import { WorkflowError } from "../domain/workflow/consultation.js";
import {
  AppointmentError, atMinute, cancelAppointment, clientAsks, matchTypedSlot, moveAppointment, pickSlot,
  type Actor, type AppointmentDeps, type TimeOfDay, type TypedSlotWords,
} from "../domain/appointments/index.js";
import type { Translator } from "../i18n/index.js";
import { pickOffered } from "./offered.js";
import { foldCommand } from "../shared/fold.js";

export class AppointmentDesk implements Desk {
  constructor(private readonly deps: AppointmentDeps) {}

  async handle(turn: DeskTurn, message: EngineMessage, _inbound: Inbound | null): Promise<boolean> {
    const button = message.type === "choice" ? decodeButton(message.choiceId) : message.type === "text" ? await this.typed(turn, message.text) : null;
    if (button?.kind !== "slot" && button?.kind !== "appointment") {
      if (message.type !== "text" || !(await this.asksForAppointment(turn, message.text))) return false;
      try {
        await clientAsks(turn, this.deps, turn.identity.clientId!);
      } catch (e) {
        if (!(e instanceof AppointmentError)) throw e;
        turn.reply(text(turn.t(e.textKey, e.params)));
      }
      return true;
    }
    try {
      if (button.kind === "slot") {
        if (!turn.identity.clientId) throw new AppointmentError("appt.err.stale");
        await pickSlot(turn, this.deps, turn.identity.clientId, button.offerId, button.startMinute);
      } else {
        const actor = await this.actor(turn);
        if (button.action === "cancel") await cancelAppointment(turn, this.deps, actor, button.appointmentId);
        else await moveAppointment(turn, this.deps, actor, button.appointmentId);
      }
    } catch (e) {
      if (!(e instanceof AppointmentError) && !(e instanceof WorkflowError)) throw e;
      turn.reply(text(turn.t(e.textKey, e.params)));
    }
    return true;
  }

  /** A client (not mid-form) typing "buat janji", "janji temu" ... (the words are in the texts). */
  private async asksForAppointment(turn: DeskTurn, input: string): Promise<boolean> {
    if (!turn.identity.clientId || turn.identity.staffId) return false;
    if (!turn.translator().words("appt.client.ask.words").includes(foldCommand(input))) return false;
    const session = await turn.readSession(turn.identity.id);
    return !session.engine || session.engine.expiredAt !== null;
  }

  private async actor(turn: DeskTurn): Promise<Actor> {
    if (turn.identity.staffId) {
      const staff = await getStaff(turn.tx, turn.identity.staffId);
      if (!staff) throw new AppointmentError("appt.err.not_yours");
      return { type: "staff", staff };
    }
    if (!turn.identity.clientId) throw new AppointmentError("appt.err.not_yours");
    return { type: "client", clientId: turn.identity.clientId };
  }

  /**
   * Typed text that picks one of the appointment buttons last offered (by number or label, as on
   * WhatsApp; a slot also by "selasa pagi"), when the person is not in the middle of a form.
   */
  private async typed(turn: DeskTurn, input: string): Promise<Button | null> {
    const session = await turn.readSession(turn.identity.id);
    if (session.engine && !session.engine.expiredAt) return null;
    const mine = session.offered.flatMap((o) => {
      const b = decodeButton(o.id);
      return b?.kind === "slot" || b?.kind === "appointment" ? [{ ...o, button: b }] : [];
    });
    if (mine.length === 0 || mine.length !== session.offered.length) return null;
    const byNumber = pickOffered(input, mine);
    if (byNumber) return decodeButton(byNumber);
    const slots = mine.flatMap((o) => (o.button.kind === "slot" ? [{ button: o.button, at: atMinute(o.button.startMinute) }] : []));
    return matchTypedSlot(input, slots, this.deps.calendar.tz, slotWords(turn.translator()))?.button ?? null;
  }
}

function slotWords(t: Translator): TypedSlotWords {
  return {
    weekday: (w) => [1, 2, 3, 4, 5, 6, 7].find((d) => t.words(`appt.weekday.${d}.words`).includes(w)),
    partOfDay: (w): TimeOfDay | undefined => (["pagi", "siang"] as const).find((p) => t.words(`appt.part.${p}.words`).includes(w)),
  };
}
