/**
 * Stopping an announcement from the dashboard, the one way chat does it (src/domain/announcements
 * stopSending) in a turn of the admin's own chat identity (Inbox.runAsStaff): the messages not gone
 * yet are withdrawn in the same transaction as the announcement's status, audited the same, and a
 * refusal (not being sent) comes back as the same text key.
 */
import { randomUUID } from "node:crypto";
import type { Inbox } from "../../conversation/inbox.js";
import { stopSending } from "../../domain/announcements/announcements.js";
import { WorkflowError } from "../../domain/workflow/errors.js";
import type { AnnouncementActions } from "./area.js";

export function announcementActions(inbox: Inbox): AnnouncementActions {
  return {
    async stop(staffId, announcementId) {
      try {
        const r = await inbox.runAsStaff(staffId, `dashboard:announcement:stop:${announcementId}:${randomUUID()}`, (turn) => stopSending(turn, announcementId, staffId));
        return r ? { ok: true, notSent: r.notSent } : { ok: false, key: "duty.routing.no_chat", params: {} };
      } catch (e) {
        if (e instanceof WorkflowError) return { ok: false, key: e.textKey, params: e.params as Record<string, string | number> };
        throw e;
      }
    },
  };
}
