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
  /** For a refused time: the next free slots, offered instead. */
  next: Date[] = [];
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
  await sendOffer(turn, deps, { caseId: c.id, regNumber: c.regNumber, consultantId: c.consultantId, clientTo, mode, link, place, replacesId: replaced?.id ?? null, offeredBy: input.actor.type, slots });
  if (input.actor.type === "staff") turn.reply(text(turn.t("appt.staff.offered", { regNumber: c.regNumber, count: slots.length })));
}

/** An offer row and the client's message with the slots as buttons. */
async function sendOffer(
  turn: TurnPort,
  deps: AppointmentDeps,
  o: { caseId: string; regNumber: string; consultantId: string; clientTo: string; mode: Mode; link: string | null; place: string | null; replacesId: string | null; offeredBy: "client" | "staff" | "system"; slots: readonly Date[] },
): Promise<void> {
  const offer = await turn.tx.appointmentOffer.create({
    data: { caseId: o.caseId, consultantId: o.consultantId, mode: o.mode, link: o.link, place: o.place, replacesId: o.replacesId, offeredBy: o.offeredBy, createdAt: turn.now },
  });
  const consultant = await turn.tx.staff.findUnique({ where: { id: o.consultantId }, select: { name: true } });
  await turn.tellWith(o.clientTo, (t) =>
    text(
      [t.t(o.replacesId ? "appt.client.offer_move" : "appt.client.offer", { regNumber: o.regNumber, consultant: consultant?.name ?? "-" }), placeLine(o, t), t.t("appt.client.pick")].join("\n"),
      slotChoices(offer.id, o.slots, t, deps.calendar.tz),
    ),
  );
}

/**
 * The consultant accepted a case (or set a weekly availability a client was waiting for): the
 * client is offered the next free slots matching the registration (how and when they would like
 * to meet) without anyone asking. With no availability the consultant is asked to set it and the
 * client hears that the consultant will propose a time; an online meeting waits for the
 * consultant's link (`janji <nomor> online <link>`).
 */
export async function offerOnAcceptance(turn: TurnPort, deps: AppointmentDeps, caseId: string): Promise<"offered" | "no_slots" | "needs_link" | "skipped"> {
  const { tx, now } = turn;
  const c = await caseOf(tx, caseId);
  if (c.closedAt || !c.consultantId) return "skipped";
  const clientTo = await clientIdentityId(tx, c.clientId);
  if (!clientTo) return "skipped";
  const booked = await tx.appointment.count({ where: { caseId, consultantId: c.consultantId, status: "booked", startsAt: { gt: now } } });
  if (booked > 0) return "skipped";
  const consultantTo = await staffIdentityId(tx, c.consultantId);
  const prefs = await preferencesOf(tx, c.id);
  const mode: Mode = prefs.mode ?? "kantor";
  if (mode === "online") {
    if (consultantTo) await turn.tell(consultantTo, "appt.staff.accepted_online", { regNumber: c.regNumber });
    await turn.tell(clientTo, "appt.client.consultant_will_propose", { regNumber: c.regNumber });
    return "needs_link";
  }
  const slots = await freeSlots(tx, deps.calendar, { consultantId: c.consultantId, now, ...(prefs.time ? { time: prefs.time } : {}) });
  if (slots.length === 0) {
    const none = (await availabilityOf(tx, c.consultantId)).length === 0;
    if (consultantTo) await turn.tell(consultantTo, none ? "appt.staff.set_availability" : "appt.staff.week_full", { regNumber: c.regNumber });
    await turn.tell(clientTo, "appt.client.consultant_will_propose", { regNumber: c.regNumber });
    return "no_slots";
  }
  const place = mode === "kunjungan" ? (c.client.anonymisedAt ? null : c.client.address?.trim() || null) : null;
  await sendOffer(turn, deps, { caseId: c.id, regNumber: c.regNumber, consultantId: c.consultantId, clientTo, mode, link: null, place, replacesId: null, offeredBy: "system", slots });
  if (consultantTo) await turn.tell(consultantTo, "appt.staff.auto_offered", { regNumber: c.regNumber, count: slots.length });
  return "offered";
}

/**
 * A consultant saved a weekly availability: clients of their accepted cases who have had no slots
 * from them yet (told the consultant would propose a time) are offered slots now. Online meetings
 * still wait for the consultant's link. Returns how many clients were offered slots.
 */
export async function offerToWaitingClients(turn: TurnPort, deps: AppointmentDeps, consultantId: string): Promise<number> {
  const waiting = await turn.tx.consultationCase.findMany({
    where: { consultantId, status: "in_consultation", closedAt: null, appointmentOffers: { none: { consultantId } }, appointments: { none: { consultantId } } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  let offered = 0;
  for (const c of waiting) {
    if ((await preferencesOf(turn.tx, c.id)).mode === "online") continue;
    const slots = await freeSlots(turn.tx, deps.calendar, { consultantId, now: turn.now });
    if (slots.length === 0) break;
    if ((await offerOnAcceptance(turn, deps, c.id)) === "offered") offered++;
  }
  return offered;
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
async function release(turn: TurnPort, deps: AppointmentDeps, appointmentId: string, status: "cancelled" | "moved", by: "client" | "staff" | "system"): Promise<boolean> {
  const r = await turn.tx.appointment.updateMany({ where: { id: appointmentId, status: "booked" }, data: { status, heldStart: null, cancelledAt: turn.now, cancelledBy: by } });
  if (r.count === 1) await deps.reminders.cancel(turn.tx, appointmentId);
  return r.count === 1;
}

/** Who did it, for the control card (the office's records are in Indonesian). */
function byWhom(actor: Actor): string {
  if (actor.type === "client") return "pengguna jasa";
  return actor.staff.role === "admin" ? `admin ${actor.staff.name}` : "konsultan";
}

/**
 * Either side cancels a booked appointment (in chat, or staff on the dashboard with a reason);
 * the client and the consultant are each told once, in their own chat, unless they did it.
 */
export async function cancelAppointment(turn: TurnPort, deps: AppointmentDeps, actor: Actor, appointmentId: string, reason?: string): Promise<void> {
  const a = await turn.tx.appointment.findUnique({ where: { id: appointmentId } });
  if (!a) throw new AppointmentError("appt.err.stale");
  const c = await caseOf(turn.tx, a.caseId);
  if (!mayAct(actor, { clientId: c.clientId, consultantId: a.consultantId })) throw new AppointmentError("appt.err.not_yours");
  if (a.status !== "booked") throw new AppointmentError("appt.err.not_booked");
  await release(turn, deps, a.id, "cancelled", actor.type);
  const why = reason?.trim() ? reason.trim().slice(0, 300) : undefined;
  const slotId = slotLabel(a.startsAt, office(turn), deps.calendar.tz);
  await controlLine(turn.tx, c.id, turn.now, actor.type === "staff" ? actor.staff.id : null, `Janji temu ${slotId} dibatalkan oleh ${byWhom(actor)}${why ? `: ${why}` : ""}`);
  turn.audit({ action: "appointment.cancel", entity: "Appointment", entityId: a.id, detail: { by: actor.type, ...(why ? { reason: true } : {}) } });
  const self = turn.identity.id;
  const clientTo = await clientIdentityId(turn.tx, c.clientId);
  const consultantTo = await staffIdentityId(turn.tx, a.consultantId);
  const said = (t: { t(k: string, p?: Record<string, string | number>): string }) => (why ? `\n${t.t("appt.reason", { reason: why })}` : "");
  if (actor.type === "client" || consultantTo === self) await turn.tellWith(self, (t) => text(t.t("appt.cancelled_self", { slot: slotLabel(a.startsAt, t, deps.calendar.tz) })));
  if (clientTo && clientTo !== self) {
    await turn.tellWith(clientTo, (t) => text(t.t("appt.client.cancelled_by_staff", { regNumber: c.regNumber, slot: slotLabel(a.startsAt, t, deps.calendar.tz) }) + said(t)));
  }
  if (consultantTo && consultantTo !== self) {
    const key = actor.type === "client" ? "appt.staff.cancelled_by_client" : "appt.staff.cancelled_by_admin";
    const admin = actor.type === "staff" ? actor.staff.name : "";
    await turn.tellWith(consultantTo, (t) => text(t.t(key, { regNumber: c.regNumber, slot: slotLabel(a.startsAt, t, deps.calendar.tz), admin }) + said(t)));
  }
}

/**
 * Staff move a booked appointment to a time they choose (the dashboard): the new hour must be a
 * free slot of the consultant (in the future, on a working day inside office hours and inside
 * their weekly availability, not held). A refusal carries the reason and the next free slots.
 * The old hour is freed in the same transaction; both sides are told in chat.
 */
export async function moveAppointmentTo(turn: TurnPort, deps: AppointmentDeps, actor: Actor, appointmentId: string, at: Date): Promise<string> {
  const { tx, now } = turn;
  const a = await tx.appointment.findUnique({ where: { id: appointmentId } });
  if (!a) throw new AppointmentError("appt.err.stale");
  const c = await caseOf(tx, a.caseId);
  if (!mayAct(actor, { clientId: c.clientId, consultantId: a.consultantId })) throw new AppointmentError("appt.err.not_yours");
  if (a.status !== "booked") throw new AppointmentError("appt.err.not_booked");
  if (c.closedAt) throw new AppointmentError("appt.err.case_closed", { regNumber: c.regNumber });
  const refuse = async (key: string, params?: Record<string, string | number>): Promise<never> => {
    const e = new AppointmentError(key, params);
    e.next = await freeSlots(tx, deps.calendar, { consultantId: a.consultantId, now, exclude: [at.getTime()] });
    throw e;
  };
  if (at.getTime() === a.startsAt.getTime()) return refuse("appt.err.same_time");
  const problem = checkStart(at, now, deps.calendar, await availabilityOf(tx, a.consultantId));
  if (problem) return refuse(problem.key, problem.params);
  // Claimed before the old hour is freed: a refusal then has written nothing.
  const claimed = await claimSlot(tx, { caseId: c.id, consultantId: a.consultantId, startsAt: at, endsAt: new Date(at.getTime() + SLOT_MINUTES * 60_000), mode: a.mode, link: a.link, place: a.place, offerId: null, movedFromId: a.id, now });
  if (!claimed) return refuse("appt.err.taken");
  await release(turn, deps, a.id, "moved", actor.type);
  const who = actor.type === "staff" ? actor.staff.id : null;
  await controlLine(tx, c.id, now, who, `Janji temu dipindah dari ${slotLabel(a.startsAt, office(turn), deps.calendar.tz)} ke ${slotLabel(at, office(turn), deps.calendar.tz)} oleh ${byWhom(actor)}`);
  turn.audit({ action: "appointment.move", entity: "Appointment", entityId: claimed, detail: { caseId: c.id, from: a.id, by: actor.type } });
  const clientTo = await clientIdentityId(tx, c.clientId);
  await deps.reminders.plan(tx, { appointmentId: claimed, startsAt: at, now, caseId: c.id, clientId: c.clientId, clientIdentityId: clientTo, consultantId: a.consultantId });
  const place = { mode: a.mode, link: a.link, place: a.place };
  const slots = (t: Words) => ({ regNumber: c.regNumber, from: slotLabel(a.startsAt, t, deps.calendar.tz), slot: slotLabel(at, t, deps.calendar.tz) });
  if (clientTo) await turn.tellWith(clientTo, (t) => text([t.t("appt.client.moved_by_staff", slots(t)), placeLine(place, t)].join("\n"), manageChoices(claimed, t)));
  const consultantTo = await staffIdentityId(tx, a.consultantId);
  if (consultantTo) {
    const client = c.client.anonymisedAt ? "-" : c.client.fullName;
    await turn.tellWith(consultantTo, (t) => text([t.t("appt.staff.moved_on_dashboard", { ...slots(t), client }), placeLine(place, t, "staff")].join("\n"), manageChoices(claimed, t)));
  }
  return claimed;
}

/**
 * The case was referred on or closed: its booked appointments still ahead are cancelled, their
 * reminders go, the control card says why, and the client and each consultant concerned are told
 * once (one message listing them all). Returns how many were cancelled.
 */
export async function cancelWithCase(turn: TurnPort, deps: AppointmentDeps, caseId: string, why: "referral" | "closing"): Promise<number> {
  const { tx, now } = turn;
  const rows = await tx.appointment.findMany({ where: { caseId, status: "booked", startsAt: { gt: now } }, orderBy: { startsAt: "asc" } });
  const gone: typeof rows = [];
  for (const a of rows) if (await release(turn, deps, a.id, "cancelled", "system")) gone.push(a);
  if (gone.length === 0) return 0;
  const c = await caseOf(tx, caseId);
  const reasonId = why === "referral" ? "kasus dirujuk ke bidang lain" : "kasus selesai dan diarsipkan";
  for (const a of gone) {
    await controlLine(tx, caseId, now, null, `Janji temu ${slotLabel(a.startsAt, office(turn), deps.calendar.tz)} dibatalkan otomatis: ${reasonId}`);
    turn.audit({ action: "appointment.cancel", entity: "Appointment", entityId: a.id, detail: { by: "system", why } });
  }
  const list = (t: Words, of: typeof gone) => of.map((a) => slotLabel(a.startsAt, t, deps.calendar.tz)).join(", ");
  const clientTo = await clientIdentityId(tx, c.clientId);
  if (clientTo) await turn.tellWith(clientTo, (t) => text(t.t(`appt.client.cancelled_${why}`, { regNumber: c.regNumber, slots: list(t, gone) })));
  for (const consultantId of [...new Set(gone.map((a) => a.consultantId))]) {
    const to = await staffIdentityId(tx, consultantId);
    const theirs = gone.filter((a) => a.consultantId === consultantId);
    if (to) await turn.tellWith(to, (t) => text(t.t(`appt.staff.cancelled_${why}`, { regNumber: c.regNumber, slots: list(t, theirs) })));
  }
  return gone.length;
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
