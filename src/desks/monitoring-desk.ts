/**
 * The client's way into the progress report on the agreed monitoring date (SOP step 6): the
 * check-in (src/scheduler/kinds/monitoring-checkin.ts) offers "Laporkan perkembangan"; a tap, or the
 * same typed ("lapor", "laporkan perkembangan", or 1 from WhatsApp's numbered list, while the check-in
 * is the last message the person was sent and no form is open), starts conversations/flows/
 * monitoring.yaml over the case's agreed action items. Its answers are stored by the client desk
 * (progress_report), so the consultant evaluates after the client has reported.
 */
import { decodeButton } from "../domain/buttons.js";
import type { EngineMessage } from "../flows/model.js";
import type { Inbound } from "../messaging/model.js";
import { readJson, ZOutboxPayload } from "../db/json-columns.js";
import { foldCommand } from "../shared/fold.js";
import { unseal } from "../security/at-rest.js";
import type { Desk, DeskTurn } from "./desk.js";

/** How long after the check-in went out a typed "lapor" opens the form. */
const TYPED_WINDOW_MS = 3 * 24 * 60 * 60_000;

export class MonitoringDesk implements Desk {
  async handle(turn: DeskTurn, message: EngineMessage, _inbound: Inbound | null): Promise<boolean> {
    const clientId = turn.identity.clientId;
    if (message.type === "choice") {
      const b = decodeButton(message.choiceId);
      if (b?.kind !== "monitoring") return false;
      await this.open(turn, clientId, b.visitId);
      return true;
    }
    if (message.type !== "text" || !clientId || !this.typed(turn, message.text)) return false;
    if ((await turn.readSession(turn.identity.id)).status === "active") return false;
    const checkin = await turn.tx.reminder.findFirst({
      where: { kind: "monitoring_checkin", status: "done", clientId, doneAt: { gte: new Date(turn.now.getTime() - TYPED_WINDOW_MS) } },
      orderBy: { doneAt: "desc" },
      select: { refId: true },
    });
    if (!checkin?.refId) return false;
    const last = await turn.tx.outboxMessage.findFirst({ where: { identityId: turn.identity.id }, orderBy: { seq: "desc" }, select: { payloadJson: true } });
    if (!last || readJson(ZOutboxPayload, unseal(last.payloadJson)).kind !== "monitoring_checkin") return false;
    await this.open(turn, clientId, checkin.refId);
    return true;
  }

  private typed(turn: DeskTurn, text: string): boolean {
    const folded = foldCommand(text);
    return folded === "1" || turn.translator().words("monitoring.words.report").includes(folded);
  }

  private async open(turn: DeskTurn, clientId: string | null, visitId: string): Promise<void> {
    const visit = await turn.tx.monitoringVisit.findUnique({
      where: { id: visitId },
      select: { reportedAt: true, evaluatedAt: true, case: { select: { id: true, clientId: true, regNumber: true, closedAt: true } } },
    });
    const c = visit?.case;
    if (!visit || !c || c.clientId !== clientId || c.closedAt || visit.evaluatedAt) {
      turn.reply({ type: "text", text: turn.t("monitoring.start.closed") });
      return;
    }
    if (visit.reportedAt) {
      turn.reply({ type: "text", text: turn.t("monitoring.start.reported", { regNumber: c.regNumber }) });
      return;
    }
    const items = await turn.tx.actionPlanItem.findMany({ where: { plan: { caseId: c.id, status: "agreed" } }, orderBy: { position: "asc" }, select: { id: true, action: true } });
    if (items.length === 0) {
      turn.reply({ type: "text", text: turn.t("monitoring.start.no_plan", { regNumber: c.regNumber }) });
      return;
    }
    // In the middle of another form the engine queues the questions until it ends: say so, or the tap looks ignored.
    if ((await turn.readSession(turn.identity.id)).status === "active") turn.reply({ type: "text", text: turn.t("monitoring.start.queued") });
    await turn.startClientFlow(turn.identity.id, "monitoring", { caseId: c.id, regNumber: c.regNumber, items });
  }
}
