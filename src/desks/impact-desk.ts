/**
 * Answers to the impact follow-up question (src/scheduler/kinds/impact-followup.ts): the "Mulai" /
 * "Nanti saja" buttons, or the same typed ("ya", "mulai", "nanti", or 1 / 2 from WhatsApp's
 * numbered list). A typed answer counts only while the question is the last message the person was
 * sent and they are not in the middle of a form, so the words of other conversations stay theirs.
 * "Mulai" runs conversations/flows/impact_followup.yaml; its answers are stored by the client desk.
 */
import { decodeButton } from "../domain/buttons.js";
import { declineFollowup, latestAsked, openFollowup } from "../domain/impact/followups.js";
import type { EngineMessage } from "../flows/model.js";
import type { Inbound } from "../messaging/model.js";
import { readJson, ZOutboxPayload } from "../db/json-columns.js";
import { foldCommand } from "../shared/fold.js";
import { unseal } from "../security/at-rest.js";
import type { Desk, DeskTurn } from "./desk.js";

/** How long after it went out the question takes a typed answer. */
const TYPED_WINDOW_MS = 7 * 24 * 60 * 60_000;

type Answer = "start" | "decline";

export class ImpactDesk implements Desk {
  async handle(turn: DeskTurn, message: EngineMessage, _inbound: Inbound | null): Promise<boolean> {
    const clientId = turn.identity.clientId;
    if (message.type === "choice") {
      const b = decodeButton(message.choiceId);
      if (b?.kind !== "impact") return false;
      if (!clientId) {
        turn.reply({ type: "text", text: turn.t("impact.closed") });
        return true;
      }
      await this.answer(turn, clientId, b.followupId, b.answer);
      return true;
    }
    if (message.type !== "text" || !clientId) return false;
    const answer = this.typed(turn, message.text);
    if (!answer) return false;
    if ((await turn.readSession(turn.identity.id)).status === "active") return false;
    const asked = await latestAsked(turn.tx, clientId, turn.now, TYPED_WINDOW_MS);
    if (!asked) return false;
    const last = await turn.tx.outboxMessage.findFirst({ where: { identityId: turn.identity.id }, orderBy: { seq: "desc" }, select: { payloadJson: true } });
    if (!last || readJson(ZOutboxPayload, unseal(last.payloadJson)).kind !== "impact_followup") return false;
    await this.answer(turn, clientId, asked.id, answer);
    return true;
  }

  private typed(turn: DeskTurn, text: string): Answer | undefined {
    const folded = foldCommand(text);
    if (folded === "1") return "start";
    if (folded === "2") return "decline";
    const t = turn.translator();
    if (t.words("impact.words.start").includes(folded)) return "start";
    if (t.words("impact.words.decline").includes(folded)) return "decline";
    return undefined;
  }

  private async answer(turn: DeskTurn, clientId: string, followupId: string, answer: Answer): Promise<void> {
    const state = await openFollowup(turn.tx, clientId, followupId);
    if (!state.ok) {
      turn.reply({ type: "text", text: turn.t(state.reason === "answered" ? "impact.answered_already" : "impact.closed") });
      return;
    }
    if (answer === "decline") {
      await declineFollowup(turn, followupId);
      turn.reply({ type: "text", text: turn.t("impact.declined") });
      return;
    }
    const { followup } = state;
    // In the middle of another form the engine queues the questions until it ends: say so, or the tap looks ignored.
    const busy = (await turn.readSession(turn.identity.id)).status === "active";
    if (busy) turn.reply({ type: "text", text: turn.t("impact.queued") });
    await turn.startClientFlow(turn.identity.id, "impact_followup", { followupId, regNumber: followup.regNumber, months: String(followup.wave) });
  }
}
