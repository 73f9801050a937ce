/**
 * What the workflow needs from the rest of the system, passed in once by the composition root.
 */
import type { FileStore } from "../../storage/file-store.js";
import type { OfficeSetup } from "../routing/rules.js";
import type { Tx } from "../../db/client.js";
import type { Regions } from "../../flows/questions/region.js";
import type { AppointmentDeps } from "../appointments/booking.js";

export interface ReminderHooks {
  planActionItems?(tx: Tx, a: { caseId: string; clientIdentityId: string; items: Array<{ id: string; targetDate: Date }> }): Promise<void>;
  planMonitoring?(tx: Tx, a: { caseId: string; visitId: string; clientIdentityId: string; consultantStaffId: string; scheduledFor: Date }): Promise<void>;
  planSla?(tx: Tx, a: { caseId: string; step: 3 | 4; startedAt: Date }): Promise<void>;
  planIncomplete?(tx: Tx, a: { caseId: string; clientIdentityId: string; missing: string[]; at: Date }): Promise<void>;
  cancelCase?(tx: Tx, caseId: string, kinds?: string[]): Promise<void>;
  /** A closed case: ask the client about the business three and six months later. */
  planImpact?(tx: Tx, a: { caseId: string; clientIdentityId: string; closedAt: Date }): Promise<void>;
  /** A complaint was received: the head hears of it if it is not answered by the deadline it returns. */
  planComplaintDeadline?(tx: Tx, a: { complaintId: string; receivedAt: Date }): Promise<Date>;
}

export interface WorkflowDeps {
  key: Buffer;
  files: FileStore;
  setup: () => OfficeSetup;
  officeCode: string;
  tz: string;
  reminders: ReminderHooks;
  /** Kecamatan and desa names for cards and documents (conversations/regions). */
  regions?: () => Regions | undefined;
  /** Removes the chat history a channel keeps outside the database (the web chat's files) for one chat. */
  forgetChat?: (channel: string, address: string) => Promise<void>;
  /**
   * Appointments, for the workflow's own moves: slots offered when a consultant accepts, booked
   * appointments cancelled when a case is referred or closed. Without it those steps skip them.
   */
  appointments?: AppointmentDeps;
}
