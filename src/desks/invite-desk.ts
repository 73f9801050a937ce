/** A new staff member sends their invitation code from their own chat: the identity gets the role. */
import { text } from "../messaging/text.js";
import type { Desk, DeskTurn } from "./desk.js";
import type { EngineMessage } from "../flows/model.js";
import { redeemInvite } from "../domain/staff/invites.js";
import { offerUnroutedCases } from "../domain/workflow/routing-offer.js";
import type { Role } from "../domain/staff/directory.js";
import { STAFF_COMMANDS } from "./staff/commands/index.js";
import { staffHelp } from "./staff/help-text.js";

/**
 * "ABCD-2345" alone, or "kode ABCD2345": without the dash a code needs the word before it, so an
 * eight-letter answer such as "prempuan" is never taken for one.
 */
const INVITE_MESSAGE = /^\s*(?:([A-Za-z2-9]{4}-[A-Za-z2-9]{4})|\/?(?:kode|code|staf|staff)\s+([A-Za-z2-9]{4}-?[A-Za-z2-9]{4}))\s*$/;

export class InviteDesk implements Desk {
  /** `onLinked` runs after the turn committed (for example to show the role's commands in Telegram). */
  constructor(private readonly onLinked?: (identity: { channel: string; address: string; language: string }, role: Role) => Promise<void>) {}

  async handle(turn: DeskTurn, message: EngineMessage): Promise<boolean> {
    if (turn.identity.staffId || message.type !== "text") return false;
    const m = INVITE_MESSAGE.exec(message.text);
    if (!m) return false;
    const r = await redeemInvite(turn.tx, turn.identity.id, (m[1] ?? m[2])!, turn.now);
    if (!r) return false;
    if (!r.ok) {
      turn.reply(text(turn.t(`staff.invite_${r.reason}`)));
      return true;
    }
    turn.identity.staffId = r.staffId;
    const linked = this.onLinked;
    const who = { channel: turn.identity.channel, address: turn.identity.address, language: turn.identity.language };
    if (linked) turn.afterCommit(() => linked(who, r.role));
    turn.audit({ action: "staff.linked", entity: "Staff", entityId: r.staffId, detail: { channel: turn.identity.channel, role: r.role } });
    turn.reply(text(`${turn.t("staff.welcome", { name: r.name, role: turn.t(`role.${r.role}`) })}\n\n${staffHelp(turn, r, STAFF_COMMANDS)}`));
    // Cases that reached step 3 with no admin to ask (or that nobody confirmed) wait for this one.
    if (r.role === "admin") await offerUnroutedCases(turn, turn.identity.id);
    return true;
  }
}
