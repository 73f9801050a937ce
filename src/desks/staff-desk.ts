/**
 * Staff work in their own chat: commands by role (the registry in staff/commands/), taps on the
 * buttons the office sent them (staff/taps.ts), and the text they were asked for, which runs as a
 * flow of conversations/ in the same engine as the clients' forms (staff/inputs.ts). Every action
 * checks the role of the identity that sent it; nothing a sender writes can make them staff.
 */
import type { Desk } from "./desk.js";
import type { DeskTurn as Turn } from "./desk.js";
import { text } from "../messaging/text.js";
import type { EngineMessage } from "../flows/model.js";
import { foldCommand } from "../shared/fold.js";
import type { Inbound } from "../messaging/model.js";
import { decodeButton } from "../domain/buttons.js";
import { WorkflowError } from "../domain/workflow/consultation.js";
import { caseOfRepliedMessage, consultantWrites, focusedCase } from "../domain/workflow/relay.js";
import { getStaff, type StaffMember } from "../domain/staff/directory.js";
import { pickOffered } from "./offered.js";
import type { StaffDeskDeps } from "./staff/command.js";
import { findCommand, STAFF_COMMANDS } from "./staff/commands/index.js";
import { cancelInput, continueInput, onSilence, openInput } from "./staff/inputs.js";
import { onTap, requireRole } from "./staff/taps.js";
import { attachToDraft } from "./staff/commands/announcement.js";

export class StaffDesk implements Desk {
  constructor(private readonly deps: StaffDeskDeps) {}

  async handle(turn: Turn, message: EngineMessage, inbound: Inbound | null): Promise<boolean> {
    if (!turn.identity.staffId) return false;
    const staff = await getStaff(turn.tx, turn.identity.staffId);
    if (!staff) {
      turn.reply(text(turn.t("staff.inactive")));
      return true;
    }
    const session = await turn.readSession(turn.identity.id);
    let msg = message;
    // WhatsApp has no buttons: a typed number or label picks what the last buttons offered.
    if (msg.type === "text" && session.offered.length > 0) {
      const picked = pickOffered(msg.text, session.offered);
      if (picked) msg = { type: "choice", choiceId: picked };
    }
    try {
      // A reply to a relayed client message goes to that client, whatever else is open.
      const replied = inbound?.replyTo && (msg.type === "text" || msg.type === "media") ? await caseOfRepliedMessage(turn, inbound.replyTo.providerMessageId) : null;
      if (replied && msg.type === "text") await consultantWrites(turn, staff, replied, { text: msg.text });
      else if (msg.type === "choice") await onTap(turn, this.deps, staff, decodeButton(msg.choiceId));
      else if (msg.type === "text") await this.onText(turn, staff, msg.text);
      else if (msg.type === "nudge" || msg.type === "expire") await onSilence(turn, msg.type);
      else if (msg.type === "media") await this.onMedia(turn, staff, msg, replied, inbound);
      else if (msg.type === "rejected_media") turn.reply(text(turn.t("relay.staff.file_refused", { limitMb: Math.round((msg.limitBytes / 1048576) * 10) / 10 })));
      else if (msg.type === "start") return true;
      else turn.reply(text(turn.t("staff.unsupported")));
    } catch (e) {
      if (!(e instanceof WorkflowError)) throw e;
      turn.reply(text(turn.t(e.textKey, e.params)));
    }
    return true;
  }

  /** A command, else the answer to the input flow that waits for one; "batal" ends that flow. */
  private async onText(turn: Turn, staff: StaffMember, raw: string): Promise<void> {
    const body = raw.trim();
    const input = await openInput(turn);
    if (input && ["batal", "cancel"].includes(foldCommand(body))) return cancelInput(turn);
    const [word = ""] = body.split(/\s+/);
    const command = findCommand(word);
    if (input && !command && !body.startsWith("/")) {
      if (body.length === 0) return;
      return continueInput(turn, this.deps, staff, input, { type: "text", text: body });
    }
    if (!command) {
      // After `buka <nomor>` what the consultant types goes to that case's client.
      const open = body.startsWith("/") ? null : await focusedCase(turn, turn.identity.id);
      if (open && body.length > 0) return consultantWrites(turn, staff, open, { text: body });
      turn.reply(text(turn.t("staff.unknown_command")));
      return;
    }
    requireRole(staff, command.roles);
    await command.run({ turn, staff, args: body.replace(/^\/?\S+\s*/, ""), deps: this.deps, commands: STAFF_COMMANDS });
  }

  /** A file from staff goes to the client of the case it answers (a reply, or the case opened with `buka`). */
  private async onMedia(turn: Turn, staff: StaffMember, msg: Extract<EngineMessage, { type: "media" }>, replied: string | null, inbound: Inbound | null): Promise<void> {
    const caseId = replied ?? (await focusedCase(turn, turn.identity.id));
    const m = msg.media;
    // Not for a case: a photo or PDF while the admin writes an announcement is its attachment.
    if (!caseId && m.storageKey && (await attachToDraft(turn, staff, m))) return;
    if (!caseId || !m.storageKey) {
      turn.reply(text(turn.t("staff.no_media")));
      return;
    }
    const caption = inbound?.body.type === "media" ? inbound.body.media.caption : undefined;
    await consultantWrites(turn, staff, caseId, {
      text: caption ?? "",
      file: { kind: m.kind, mimeType: m.mimeType, size: m.size, sha256: m.sha256, storageKey: m.storageKey, ...(m.fileName ? { fileName: m.fileName } : {}) },
    });
  }
}
