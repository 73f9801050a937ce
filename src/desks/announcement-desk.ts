/**
 * The client's side of announcements (src/domain/announcements):
 *
 * - "berhenti info" / "mulai info": the announcements switch, separate from the reminders switch.
 *   Always a command, at any time, even in the middle of a form (this desk comes before the
 *   conversation desk), like "berhenti pengingat".
 * - "Ikut" / "Tidak bisa" / "Batal ikut" under an announcement: a button, or on WhatsApp (numbered
 *   lists) a typed "1" / "2" or the label, taken only while the announcement is the last message the
 *   person was sent and they are not mid-form.
 *
 * A place given back moves the first on the waiting list up; the domain plans the message that
 * tells them (kind announcement_promoted), so it goes with quiet hours like every other.
 */
import type { Desk, DeskTurn } from "./desk.js";
import type { EngineMessage } from "../flows/model.js";
import type { Inbound } from "../messaging/model.js";
import { text } from "../messaging/text.js";
import { decodeButton, encodeButton } from "../domain/buttons.js";
import { rsvp, setAnnouncementsOn, type RsvpAnswer } from "../domain/announcements/index.js";
import { foldCommand } from "../shared/fold.js";
import { pickOffered } from "./offered.js";

export class AnnouncementDesk implements Desk {
  async handle(turn: DeskTurn, message: EngineMessage, _inbound: Inbound | null): Promise<boolean> {
    if (message.type === "text" && (await this.switched(turn, message.text))) return true;
    let choice: { announcementId: string; answer: RsvpAnswer } | null = null;
    if (message.type === "choice") {
      const b = decodeButton(message.choiceId);
      if (b?.kind === "rsvp") choice = { announcementId: b.announcementId, answer: b.answer };
    } else if (message.type === "text") choice = await this.typed(turn, message.text);
    if (!choice) return false;
    await this.answer(turn, choice.announcementId, choice.answer);
    return true;
  }

  private async switched(turn: DeskTurn, input: string): Promise<boolean> {
    const folded = foldCommand(input);
    const t = turn.translator();
    const on = t.words("ann.words.on").includes(folded);
    const off = !on && t.words("ann.words.off").includes(folded);
    if (!on && !off) return false;
    const clientId = turn.identity.clientId;
    if (!clientId || turn.identity.staffId) {
      turn.reply(text(turn.t("ann.optout.no_client")));
      return true;
    }
    await setAnnouncementsOn(turn.tx, clientId, on);
    turn.audit({ action: on ? "announcements.on" : "announcements.off", entity: "Client", entityId: clientId });
    turn.reply(text(turn.t(on ? "ann.optin.done" : "ann.optout.done")));
    return true;
  }

  /** "1" / "2" / "ikut" / "tidak bisa" right after an announcement with sign-up (WhatsApp's numbered list). */
  private async typed(turn: DeskTurn, input: string): Promise<{ announcementId: string; answer: RsvpAnswer } | null> {
    const clientId = turn.identity.clientId;
    if (!clientId || turn.identity.staffId) return null;
    const last = await turn.tx.outboxMessage.findFirst({ where: { identityId: turn.identity.id }, orderBy: { seq: "desc" }, select: { idempotencyKey: true } });
    if (!last) return null;
    const row = await turn.tx.announcementRecipient.findFirst({
      where: { clientId, outboxKey: last.idempotencyKey },
      select: { announcementId: true, announcement: { select: { rsvpQuota: true } } },
    });
    if (!row || row.announcement.rsvpQuota === null) return null;
    const session = await turn.readSession(turn.identity.id);
    if (session.engine && !session.engine.expiredAt) return null;
    const t = turn.translator();
    const offered = (["yes", "no"] as const).map((answer) => ({ id: encodeButton({ kind: "rsvp", announcementId: row.announcementId, answer }), label: t.t(`ann.btn.${answer}`) }));
    const picked = pickOffered(input, offered);
    const b = picked ? decodeButton(picked) : null;
    return b?.kind === "rsvp" ? { announcementId: b.announcementId, answer: b.answer } : null;
  }

  private async answer(turn: DeskTurn, announcementId: string, answer: RsvpAnswer): Promise<void> {
    const clientId = turn.identity.clientId;
    if (!clientId) {
      turn.reply(text(turn.t("ann.rsvp.unknown")));
      return;
    }
    const r = await rsvp(turn.tx, { announcementId, clientId, answer, now: turn.now });
    const title = r.title ?? "";
    const cancel = [{ id: encodeButton({ kind: "rsvp", announcementId, answer: "cancel" }), label: turn.t("ann.btn.cancel") }];
    switch (r.result) {
      case "yes":
        turn.reply(text(turn.t("ann.rsvp.yes", { title }), cancel));
        return;
      case "waiting":
        turn.reply(text(turn.t("ann.rsvp.waiting", { title, position: r.position ?? 1 }), cancel));
        return;
      case "no":
        turn.reply(text(turn.t("ann.rsvp.no")));
        return;
      case "cancelled":
        turn.reply(text(turn.t("ann.rsvp.cancelled", { title })));
        return;
      case "closed":
        turn.reply(text(turn.t("ann.rsvp.closed", { title })));
        return;
      case "no_rsvp":
        turn.reply(text(turn.t("ann.rsvp.no_rsvp")));
        return;
      case "not_recipient":
        turn.reply(text(turn.t("ann.rsvp.unknown")));
        return;
    }
  }
}
