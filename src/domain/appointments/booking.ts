/**
 * Booking, moving and cancelling appointments inside a turn. A client is offered free slots of
 * their case's consultant (matching the time of day they chose at registration) as buttons; a pick
 * books the slot through the unique index (src/db/appointment-writes.ts), so two people can never
 * hold one consultant's hour. A slot taken meanwhile, in the past or outside office hours is
 * refused with the reason and the next free slots. Every booking, move and cancellation adds a
 * control-card line and (re)plans both sides' reminders.
 */
import { claimSlot } from "../../db/appointment-writes.js";
import type { Tx } from "../../db/client.js";
import { text } from "../../messaging/text.js";
import type { Translator } from "../../i18n/index.js";
import { encodeButton } from "../buttons.js";
import type { OfficeCalendar } from "../calendar/office-calendar.js";
import type { TurnPort } from "../port.js";
import { clientIdentityId, staffIdentityId, type StaffMember } from "../staff/directory.js";
import { availabilityOf } from "./availability.js";
import { placeLine, slotLabel, type Words } from "./labels.js";
import { atMinute, checkStart, freeSlots, minuteOf, SLOT_MINUTES, type TimeOfDay } from "./slots.js";

export const MODES = ["kantor", "online", "kunjungan"] as const;
export type Mode = (typeof MODES)[number];

export class AppointmentError extends Error {
  constructor(readonly textKey: string, readonly params: Record<string, string | number> = {}) {
    super(textKey);
    this.name = "AppointmentError";
  }
}

/** What the composition root gives: the calendar, and the reminder planning (in src/scheduler/). */
export interface AppointmentDeps {
  calendar: OfficeCalendar;
  reminders: {
    plan(tx: Tx, a: { appointmentId: string; startsAt: Date; now: Date; caseId: string; clientId: string; clientIdentityId: string | null; consultantId: string }): Promise<void>;
    cancel(tx: Tx, appointmentId: string): Promise<void>;
  };
}

export type Actor = { type: "staff"; staff: StaffMember } | { type: "client"; clientId: string };

async function caseOf(tx: Tx, caseId: string) {
  const c = await tx.consultationCase.findUnique({
    where: { id: caseId },
    select: { id: true, regNumber: true, clientId: true, consultantId: true, closedAt: true, client: { select: { fullName: true, address: true, anonymisedAt: true } } },
  });
  if (!c) throw new AppointmentError("appt.err.no_case");
  return c;
}

function mayAct(actor: Actor, c: { clientId: string; consultantId: string | null }): boolean {
  if (actor.type === "client") return actor.clientId === c.clientId;
  return actor.staff.role === "admin" || actor.staff.id === c.consultantId;
}

/** The client's answers at registration: how and when they would like to meet. */
export async function preferencesOf(tx: Tx, caseId: string): Promise<{ mode?: Mode; time?: TimeOfDay }> {
  const rows = await tx.assessmentAnswer.findMany({ where: { caseId, questionId: { in: ["assessment.preferredMode", "assessment.preferredTime"] } } });
  const out: { mode?: Mode; time?: TimeOfDay } = {};
  for (const r of rows) {
    let v: unknown;
    try {
      v = JSON.parse(r.valueJson);
    } catch {
      continue;
    }
    if (r.questionId === "assessment.preferredMode" && MODES.includes(v as Mode)) out.mode = v as Mode;
    if (r.questionId === "assessment.preferredTime" && ["pagi", "siang", "bebas"].includes(v as string)) out.time = v as TimeOfDay;
  }
  return out;
}

function slotChoices(offerId: string, slots: readonly Date[], t: Translator, tz: string) {
  return slots.map((s) => ({ id: encodeButton({ kind: "slot", offerId, startMinute: minuteOf(s) }), label: slotLabel(s, t, tz) }));
}

function manageChoices(appointmentId: string, t: Translator) {
  return [
    { id: encodeButton({ kind: "appointment", appointmentId, action: "move" }), label: t.t("appt.btn.move") },
    { id: encodeButton({ kind: "appointment", appointmentId, action: "cancel" }), label: t.t("appt.btn.cancel") },
  ];
}

/**
 * Offers the client free slots of their consultant. `mode` defaults to the registration's choice
 * (else the office); an online meeting needs the link the consultant gives; a visit goes to the
 * address on file. Moving a booking offers slots that replace it once one is picked.
 */
export async function offerSlots(
  turn: TurnPort,
  deps: AppointmentDeps,
  input: { caseId: string; actor: Actor; mode?: Mode; link?: string; replacesId?: string },
): Promise<void> {
  const { tx, now } = turn;
  const c = await caseOf(tx, input.caseId);
  if (!mayAct(input.actor, c)) throw new AppointmentError("appt.err.not_yours");
  if (c.closedAt) throw new AppointmentError("appt.err.case_closed", { regNumber: c.regNumber });
  if (!c.consultantId) throw new AppointmentError("appt.err.no_consultant", { regNumber: c.regNumber });
  const replaced = input.replacesId ? await tx.appointment.findUnique({ where: { id: input.replacesId } }) : null;
  const prefs = await preferencesOf(tx, c.id);
  const mode: Mode = input.mode ?? (replaced?.mode as Mode | undefined) ?? prefs.mode ?? "kantor";
  const link = input.link ?? replaced?.link ?? null;
  if (mode === "online" && !link) {
    if (input.actor.type === "staff") throw new AppointmentError("appt.err.need_link", { regNumber: c.regNumber });
    // The client asked; only the consultant has the meeting link: they are asked to offer the slots.
    const to = await staffIdentityId(tx, c.consultantId);
    if (to) await turn.tell(to, "appt.staff.client_asks_online", { regNumber: c.regNumber });
    turn.reply(text(turn.t("appt.client.wait_for_link")));
    return;
  }
  const place = mode === "kunjungan" ? (c.client.anonymisedAt ? null : c.client.address?.trim() || null) : null;

  const slots = await freeSlots(tx, deps.calendar, { consultantId: c.consultantId, now, ...(prefs.time ? { time: prefs.time } : {}) });
  const clientTo = await clientIdentityId(tx, c.clientId);
  const consultantTo = await staffIdentityId(tx, c.consultantId);
  if (slots.length === 0) {
    if (input.actor.type === "staff") throw new AppointmentError("appt.err.no_slots", { regNumber: c.regNumber });
    turn.reply(text(turn.t("appt.client.no_slots")));
    if (consultantTo) await turn.tell(consultantTo, "appt.staff.no_slots", { regNumber: c.regNumber });
    return;
  }
  if (!clientTo) throw new AppointmentError("appt.err.client_unreachable", { regNumber: c.regNumber });
  const offer = await tx.appointmentOffer.create({
    data: { caseId: c.id, consultantId: c.consultantId, mode, link, place, replacesId: replaced?.id ?? null, offeredBy: input.actor.type, createdAt: now },
  });
  const consultant = await tx.staff.findUnique({ where: { id: c.consultantId }, select: { name: true } });
  await turn.tellWith(clientTo, (t) =>
    text(
      [t.t(replaced ? "appt.client.offer_move" : "appt.client.offer", { regNumber: c.regNumber, consultant: consultant?.name ?? "-" }), placeLine({ mode, link, place }, t), t.t("appt.client.pick")].join("\n"),
      slotChoices(offer.id, slots, t, deps.calendar.tz),
    ),
  );
  if (input.actor.type === "staff") turn.reply(text(turn.t("appt.staff.offered", { regNumber: c.regNumber, count: slots.length })));
}

/** A client asks for an appointment themselves ("buat janji"): slots of their latest open case with a consultant. */
export async function clientAsks(turn: TurnPort, deps: AppointmentDeps, clientId: string): Promise<void> {
  const c = await turn.tx.consultationCase.findFirst({ where: { clientId, closedAt: null, consultantId: { not: null } }, orderBy: { createdAt: "desc" }, select: { id: true } });
  if (!c) throw new AppointmentError("appt.err.no_open_case");
  await offerSlots(turn, deps, { caseId: c.id, actor: { type: "client", clientId } });
}

/** The client picks a slot of an offer (a button, or typed: see typed.ts). */
export async function pickSlot(turn: TurnPort, deps: AppointmentDeps, clientId: string, offerId: string, startMinute: number): Promise<void> {
  const { tx, now } = turn;
  const offer = await tx.appointmentOffer.findUnique({ where: { id: offerId } });
  if (!offer) throw new AppointmentError("appt.err.stale");
  const c = await caseOf(tx, offer.caseId);
  if (c.clientId !== clientId) throw new AppointmentError("appt.err.stale");
  if (offer.usedAt) throw new AppointmentError("appt.err.offer_used");
  if (c.closedAt) throw new AppointmentError("appt.err.case_closed", { regNumber: c.regNumber });
  if (c.consultantId !== offer.consultantId) throw new AppointmentError("appt.err.consultant_changed");
  const at = atMinute(startMinute);
  const windows = await availabilityOf(tx, offer.consultantId);
  const problem = checkStart(at, now, deps.calendar, windows);
  const claimed = problem
    ? null
    : await claimSlot(tx, { caseId: c.id, consultantId: offer.consultantId, startsAt: at, endsAt: new Date(at.getTime() + SLOT_MINUTES * 60_000), mode: offer.mode, link: offer.link, place: offer.place, offerId: offer.id, movedFromId: offer.replacesId, now });
  if (!claimed) {
    // Taken meanwhile (or no longer bookable): say why and offer the next free ones of the same offer.
    const next = await freeSlots(tx, deps.calendar, { consultantId: offer.consultantId, now, after: problem ? now : at, exclude: [at.getTime()] });
    await turn.tellWith(turn.identity.id, (t) =>
      text(
        [t.t(problem?.key ?? "appt.err.taken", problem?.params), t.t(next.length > 0 ? "appt.client.next_free" : "appt.client.no_slots")].join("\n"),
        slotChoices(offer.id, next, t, deps.calendar.tz),
      ),
    );
    return;
  }
  await tx.appointmentOffer.update({ where: { id: offer.id }, data: { usedAt: now } });
  if (offer.replacesId) await release(turn, deps, offer.replacesId, "moved", "client");
  const summary = `${offer.replacesId ? "Janji temu dipindah" : "Janji temu dibuat"}: ${slotLabel(at, office(turn), deps.calendar.tz)} (${offer.mode})`;
  await controlLine(tx, c.id, now, null, summary);
  turn.audit({ action: "appointment.book", entity: "Appointment", entityId: claimed, detail: { caseId: c.id, mode: offer.mode } });
  const clientTo = await clientIdentityId(tx, c.clientId);
  await deps.reminders.plan(tx, { appointmentId: claimed, startsAt: at, now, caseId: c.id, clientId: c.clientId, clientIdentityId: clientTo, consultantId: offer.consultantId });
  const a = { mode: offer.mode, link: offer.link, place: offer.place };
  await turn.tellWith(turn.identity.id, (t) =>
    text([t.t("appt.client.booked", { regNumber: c.regNumber, slot: slotLabel(at, t, deps.calendar.tz) }), placeLine(a, t), t.t("appt.client.reminders")].join("\n"), manageChoices(claimed, t)),
  );
  const consultantTo = await staffIdentityId(tx, offer.consultantId);
  if (consultantTo) {
    const client = c.client.anonymisedAt ? "-" : c.client.fullName;
    await turn.tellWith(consultantTo, (t) =>
      text([t.t(offer.replacesId ? "appt.staff.moved" : "appt.staff.booked", { regNumber: c.regNumber, client, slot: slotLabel(at, t, deps.calendar.tz) }), placeLine(a, t, "staff")].join("\n"), manageChoices(claimed, t)),
    );
  }
}

/** A booked appointment stops holding its slot; its reminders go. */
async function release(turn: TurnPort, deps: AppointmentDeps, appointmentId: string, status: "cancelled" | "moved", by: "client" | "staff"): Promise<boolean> {
  const r = await turn.tx.appointment.updateMany({ where: { id: appointmentId, status: "booked" }, data: { status, heldStart: null, cancelledAt: turn.now, cancelledBy: by } });
  if (r.count === 1) await deps.reminders.cancel(turn.tx, appointmentId);
  return r.count === 1;
}

/** Either side cancels a booked appointment; the other side is told. */
export async function cancelAppointment(turn: TurnPort, deps: AppointmentDeps, actor: Actor, appointmentId: string): Promise<void> {
  const a = await turn.tx.appointment.findUnique({ where: { id: appointmentId } });
  if (!a) throw new AppointmentError("appt.err.stale");
  const c = await caseOf(turn.tx, a.caseId);
  if (!mayAct(actor, { clientId: c.clientId, consultantId: a.consultantId })) throw new AppointmentError("appt.err.not_yours");
  if (a.status !== "booked") throw new AppointmentError("appt.err.not_booked");
  await release(turn, deps, a.id, "cancelled", actor.type);
  const slotId = slotLabel(a.startsAt, office(turn), deps.calendar.tz);
  await controlLine(turn.tx, c.id, turn.now, actor.type === "staff" ? actor.staff.id : null, `Janji temu ${slotId} dibatalkan oleh ${actor.type === "staff" ? "konsultan" : "pengguna jasa"}`);
  turn.audit({ action: "appointment.cancel", entity: "Appointment", entityId: a.id, detail: { by: actor.type } });
  await turn.tellWith(turn.identity.id, (t) => text(t.t("appt.cancelled_self", { slot: slotLabel(a.startsAt, t, deps.calendar.tz) })));
  const other = actor.type === "client" ? await staffIdentityId(turn.tx, a.consultantId) : await clientIdentityId(turn.tx, c.clientId);
  if (other && other !== turn.identity.id) {
    await turn.tellWith(other, (t) => text(t.t(actor.type === "client" ? "appt.staff.cancelled_by_client" : "appt.client.cancelled_by_staff", { regNumber: c.regNumber, slot: slotLabel(a.startsAt, t, deps.calendar.tz) })));
  }
}

/** Either side moves a booked appointment: the client is offered new slots; the old one holds until a pick. */
export async function moveAppointment(turn: TurnPort, deps: AppointmentDeps, actor: Actor, appointmentId: string): Promise<void> {
  const a = await turn.tx.appointment.findUnique({ where: { id: appointmentId } });
  if (!a) throw new AppointmentError("appt.err.stale");
  if (a.status !== "booked") throw new AppointmentError("appt.err.not_booked");
  await offerSlots(turn, deps, { caseId: a.caseId, actor, replacesId: a.id });
}

async function controlLine(tx: Tx, caseId: string, at: Date, staffId: string | null, summary: string): Promise<void> {
  await tx.controlCardEntry.create({ data: { caseId, at, staffId, contactKind: "appointment", summary: summary.slice(0, 500) } });
}

/** The office's own records (control card) are in Indonesian, whatever the sender's language. */
function office(turn: TurnPort): Words {
  return { lang: "id", t: (key, params) => turn.t(key, params, "id") };
}
