/**
 * What the workflow needs from the rest of the system, passed in once by the composition root.
 */
import type { FileStore } from "../../storage/file-store.js";
import type { OfficeSetup } from "../routing/rules.js";
import type { Turn } from "../../conversation/turn.js";
import type { Tx } from "../../db/client.js";

export interface ReminderHooks {
  planActionItems?(tx: Tx, a: { caseId: string; clientIdentityId: string; items: Array<{ id: string; targetDate: Date }> }): Promise<void>;
  planMonitoring?(tx: Tx, a: { caseId: string; visitId: string; clientIdentityId: string; consultantStaffId: string; scheduledFor: Date }): Promise<void>;
  planSla?(tx: Tx, a: { caseId: string; step: 3 | 4; startedAt: Date }): Promise<void>;
  planIncomplete?(tx: Tx, a: { caseId: string; clientIdentityId: string; missing: string[]; at: Date }): Promise<void>;
  cancelCase?(tx: Tx, caseId: string, kinds?: string[]): Promise<void>;
}

export interface WorkflowDeps {
  key: Buffer;
  files: FileStore;
  setup: () => OfficeSetup;
  officeCode: string;
  tz: string;
  /** Run a flow of conversations/ for a client inside the current turn (action plan, check-in, survey). */
  startClientFlow: (turn: Turn, identityId: string, flowId: string, vars: Record<string, unknown>) => Promise<void>;
  reminders: ReminderHooks;
}
