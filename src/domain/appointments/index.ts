/** Appointments (janji temu): weekly availability, slots, booking, moving and cancelling. */
export { availabilityOf, checkAgainstOffice, parseAvailability, setAvailability, type AvailabilityProblem, type AvailabilityWindow } from "./availability.js";
export { AppointmentError, cancelAppointment, cancelWithCase, clientAsks, moveAppointment, moveAppointmentTo, MODES, offerOnAcceptance, offerSlots, offerToWaitingClients, pickSlot, preferencesOf, type Actor, type AppointmentDeps, type Mode } from "./booking.js";
export { placeLine, slotLabel, type Words } from "./labels.js";
export { atMinute, candidateStarts, checkStart, freeSlots, minuteOf, OFFER_SLOTS, SLOT_MINUTES, type TimeOfDay } from "./slots.js";
export { matchTypedSlot, type TypedSlotWords } from "./typed.js";
export { weekOf, type WeekAppointment } from "./week.js";
