/**
 * Clients talk to the flows of conversations/ through the pure engine; this desk loads their
 * session and what is on file, runs one step, and applies the engine's effects in the same turn.
 */
import type { LoadedConversations } from "../flows/load.js";
import { namesCommand, step } from "../flows/engine.js";
import type { Effect } from "../flows/effects.js";
import { ZStoredMedia, type EngineMessage, type PersonContext } from "../flows/model.js";
import { sessionTimers, type TimerPolicy } from "../flows/session.js";
import { toLang } from "../i18n/index.js";
import type { Inbound } from "../messaging/model.js";
import { knownProfile } from "../domain/intake/profile.js";
import { resolveByClient } from "../domain/complaints/handling.js";
import { submitComplaint, submitNewCase, submitRegistration, updateProfile } from "../domain/intake/submissions.js";
import { actionPlanSubmitted, progressReported, WorkflowError } from "../domain/workflow/consultation.js";
import { caseOfRepliedMessage, clientPicksCase, clientWrites, focusCase, hasOpenCase, type RelayWords } from "../domain/workflow/relay.js";
import { bapAgreed, bapFeedback, surveySubmitted } from "../domain/workflow/closing.js";
import { impactReported } from "../domain/impact/followups.js";
import type { WorkflowDeps } from "../domain/workflow/context.js";
import { requestDeletion, sendMyData } from "../domain/intake/data-requests.js";
import { text } from "../messaging/text.js";
import type { Desk, DeskTurn, TurnIdentity } from "./desk.js";
import { pickOffered } from "./offered.js";
import { decodeButton } from "../domain/buttons.js";
import { z } from "zod";
import { unseal } from "../security/at-rest.js";

export interface ClientDeskOptions {
  conversations: () => LoadedConversations;
  workflow: WorkflowDeps;
  timers: TimerPolicy;
  /** MAX_UPLOAD_MB, told to a client whose file was refused. */
  maxUploadMb: number;
}

/** Shows the menu: a tap on no entry of it (the engine answers any unknown menu tap with the menu). */
const SHOW_MENU: EngineMessage = { type: "choice", choiceId: "menu:" };

export class ClientDesk implements Desk {
  constructor(private readonly o: ClientDeskOptions) {}

  async handle(turn: DeskTurn, message: EngineMessage, inbound: Inbound | null): Promise<boolean> {
    await this.run(turn, turn.identity, message, inbound);
    return true;
  }

  /** One engine step for `identity` (the sender, or a client the workflow starts a flow for). */
  async run(turn: DeskTurn, identity: TurnIdentity, message: EngineMessage, inbound: Inbound | null): Promise<void> {
    const { now } = turn;
    const session = await turn.readSession(identity.id);
    const self = identity.id === turn.identity.id;

    // Buttons the office offered outside a flow (which case a message is about), typed on WhatsApp as a number.
    let msg = message;
    if (self && msg.type === "text" && session.offered.length > 0 && (!session.engine || session.engine.expiredAt)) {
      const picked = pickOffered(msg.text, session.offered);
      if (picked) msg = { type: "choice", choiceId: picked };
    }
    // "Sudah selesai" under the office's answer to a complaint closes it; no flow is touched, nothing is relayed.
    const tapped = self && msg.type === "choice" ? decodeButton(msg.choiceId) : null;
    if (tapped?.kind === "complaint" && tapped.action === "resolved") return resolveByClient(turn, tapped.complaintId);
    // While a case is with a consultant, what the client writes outside a form goes to the consultant.
    const inForm = session.engine !== null && !session.engine.expiredAt;
    if (self && identity.clientId && !inForm && (await this.relay(turn, identity, identity.clientId, msg, inbound))) {
      // A reply button, once used, is not picked again by a typed number.
      if (msg.type === "choice") await turn.writeSession(identity.id, { offered: null }, this.o.timers);
      return;
    }
    if (msg.type === "nudge" || msg.type === "expire") {
      // The person may have answered since the job looked: only a silence that is still due counts.
      const due = sessionTimers(session.engine, this.o.timers);
      const at = msg.type === "nudge" ? due.nudgeAt : due.expireAt;
      if (!at || at > now) return;
    }
    const person = await this.personContext(turn, identity, inbound);
    const result = step({ conversations: this.o.conversations(), session: session.engine, message: msg, person, now });
    for (const reply of result.replies) turn.send(identity.id, reply);
    const startedAt = session.engine ? new Date(session.engine.startedAt) : now;
    await turn.writeSession(identity.id, { engine: result.session }, this.o.timers);
    for (const effect of result.effects) await this.apply(turn, identity, effect, startedAt);
  }

  /**
   * The client's message for their consultant, if it is one: not a command (commands always act as
   * commands), and a case is with a consultant. Returns false when the engine should answer.
   */
  private async relay(turn: DeskTurn, identity: TurnIdentity, clientId: string, msg: EngineMessage, inbound: Inbound | null): Promise<boolean> {
    const button = msg.type === "choice" ? decodeButton(msg.choiceId) : null;
    try {
      if (button?.kind === "reply") {
        await clientPicksCase(turn, clientId, button.caseId);
        return true;
      }
      if (button?.kind === "bap") {
        if (button.answer === "agree") await bapAgreed(turn, this.o.workflow, clientId, button.reportId);
        else {
          const r = await turn.tx.finalReport.findUnique({ where: { id: button.reportId }, include: { case: { select: { regNumber: true, clientId: true } } } });
          if (!r || r.case.clientId !== clientId) throw new WorkflowError("wf.err.no_case");
          await this.run(turn, identity, { type: "start", flowId: "bap_feedback", vars: { reportId: r.id, regNumber: r.case.regNumber } }, null);
        }
        return true;
      }
      if (msg.type === "rejected_media" || msg.type === "unsupported") {
        if (!(await hasOpenCase(turn, clientId))) return false;
        const limitMb = msg.type === "rejected_media" ? Math.round((msg.limitBytes / 1048576) * 10) / 10 : this.o.maxUploadMb;
        turn.reply(text(turn.t(msg.type === "rejected_media" && msg.reason === "download_failed" ? "engine.rejected.download_failed" : "relay.client.file_refused", { limitMb })));
        return true;
      }
      let words: RelayWords;
      if (msg.type === "text") {
        if (namesCommand(this.o.conversations(), await this.personContext(turn, identity, inbound), msg)) return false;
        words = { text: msg.text };
      } else if (msg.type === "media" && msg.media.storageKey) {
        const m = msg.media;
        const caption = inbound?.body.type === "media" ? inbound.body.media.caption : undefined;
        words = {
          text: caption ?? "",
          file: { kind: m.kind, mimeType: m.mimeType, size: m.size, sha256: m.sha256, storageKey: m.storageKey as string, ...(m.fileName ? { fileName: m.fileName } : {}) },
        };
      } else return false;
      // A reply to one of the consultant's messages is about that message's case.
      const replied = inbound?.replyTo ? await caseOfRepliedMessage(turn, inbound.replyTo.providerMessageId) : null;
      if (replied) await focusCase(turn, identity.id, replied);
      const done = await clientWrites(turn, clientId, words);
      if (done === "none") return false;
      if (done === "closed") await this.run(turn, identity, SHOW_MENU, null);
      return true;
    } catch (err) {
      if (!(err instanceof WorkflowError)) throw err;
      turn.reply(text(turn.t(err.textKey, err.params)));
      return true;
    }
  }

  private async personContext(turn: DeskTurn, identity: TurnIdentity, inbound: Inbound | null): Promise<PersonContext> {
    const { tx } = turn;
    const fresh = await turn.loadIdentity(identity.id);
    if (!fresh) throw new Error(`identity ${identity.id} vanished during its turn`);
    const cases = fresh.clientId
      ? await tx.consultationCase.findMany({ where: { clientId: fresh.clientId }, orderBy: { createdAt: "desc" }, take: 5 })
      : [];
    const phone = inbound?.profile?.phone ?? (identity.channel === "whatsapp" ? await whatsappPhone(tx, identity.id) : undefined);
    return {
      language: toLang(fresh.language),
      hasConsent: fresh.consentedAt !== null,
      isClient: fresh.clientId !== null,
      ...(fresh.clientId ? { client: await knownProfile(tx, fresh.clientId, this.o.workflow.key) } : {}),
      ...(phone ? { channelPhone: phone } : {}),
      cases: cases.map((c) => ({ regNumber: c.regNumber, statusKey: `status.${c.status}`, ...(c.areaCode ? { areaKey: `area.${c.areaCode}` } : {}), createdAt: c.createdAt })),
      remindersOn: fresh.remindersOn,
    };
  }

  private async apply(turn: DeskTurn, identity: TurnIdentity, effect: Effect, startedAt: Date): Promise<void> {
    const { tx, now } = turn;
    const deps = this.o.workflow;
    switch (effect.type) {
      case "consent_given":
        await tx.consent.create({ data: { identityId: identity.id, clientId: identity.clientId, textVersion: effect.consentVersion, language: effect.language, acceptedAt: now }, select: { id: true } });
        await tx.identity.update({ where: { id: identity.id }, data: { consentedAt: now }, select: { id: true } });
        return;
      case "language_changed":
        await tx.identity.update({ where: { id: identity.id }, data: { language: effect.language } });
        if (identity.clientId) await tx.client.update({ where: { id: identity.clientId }, data: { language: effect.language } });
        identity.language = effect.language;
        turn.languageChanged(identity.id, effect.language);
        return;
      case "reminders_toggled":
        await tx.identity.update({ where: { id: identity.id }, data: { remindersOn: effect.on } });
        if (identity.clientId) await tx.client.update({ where: { id: identity.clientId }, data: { remindersOn: effect.on } });
        return;
      case "request":
        if (effect.name === "my_data") return sendMyData(turn, identity);
        if (effect.name === "delete_my_data") return requestDeletion(turn, identity);
        return; // status: the engine rendered it from the context
      case "cancelled":
        return;
      case "media_discarded": {
        const key = effect.storageKey;
        const used = await tx.document.findFirst({ where: { storageKey: key } });
        if (!used) turn.afterCommit(() => deps.files.remove(key));
        return;
      }
      case "submitted":
        return this.submitted(turn, identity, effect, startedAt);
    }
  }

  private async submitted(turn: DeskTurn, identity: TurnIdentity, e: Extract<Effect, { type: "submitted" }>, startedAt: Date): Promise<void> {
    const deps = this.o.workflow;
    const caseId = typeof e.vars.caseId === "string" ? e.vars.caseId : "";
    // Refresh: a registration in this turn may have linked the identity to a new client.
    const fresh = await turn.loadIdentity(identity.id);
    identity.clientId = fresh?.clientId ?? null;
    switch (e.action) {
      case "registration":
        return submitRegistration(turn, deps, e, startedAt);
      case "new_case":
        return submitNewCase(turn, deps, e, startedAt);
      case "profile_update":
        return updateProfile(turn, deps, e);
      case "complaint":
        return submitComplaint(turn, e, this.o.workflow);
      case "action_plan":
        if (!identity.clientId) return;
        return actionPlanSubmitted(turn, identity.clientId, caseId, ZPlanItems.parse(e.data["actionPlan.items"] ?? []));
      case "progress_report":
        if (!identity.clientId) return;
        return progressReported(turn, identity.clientId, caseId, {
          items: ZProgressItems.parse(e.data["monitoring.items"] ?? []),
          ...(typeof e.data["monitoring.note"] === "string" ? { note: e.data["monitoring.note"] } : {}),
        });
      case "bap_feedback": {
        if (!identity.clientId) return;
        const reportId = typeof e.vars.reportId === "string" ? e.vars.reportId : "";
        return bapFeedback(turn, identity.clientId, reportId, typeof e.data["bap.missing"] === "string" ? e.data["bap.missing"] : "");
      }
      case "survey": {
        if (!identity.clientId) return;
        const scores: Record<string, number> = {};
        for (const [k, v] of Object.entries(e.data)) if (k.startsWith("survey.") && typeof v === "number") scores[k.slice(7)] = v;
        const comment = typeof e.data["survey.comment"] === "string" ? e.data["survey.comment"] : undefined;
        return surveySubmitted(turn, identity.clientId, caseId, scores, comment);
      }
      case "impact_report": {
        if (!identity.clientId) return;
        const followupId = typeof e.vars.followupId === "string" ? e.vars.followupId : "";
        // Answered twice (two chats of one client): the first answer stands; the client is told.
        if ((await impactReported(turn, identity.clientId, followupId, e.data)) === "not_open") turn.reply(text(turn.t("impact.answered_already")));
        return;
      }
      default:
        throw new Error(`flow ${e.flowId} submitted an action the office does not know: ${e.action}`);
    }
  }
}

const ZPlanItems = z.array(z.object({ action: z.string().min(1), who: z.string().min(1), targetDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), indicator: z.string().min(1) }));
const ZProgressItems = z.array(z.object({ id: z.string().min(1), progress: z.enum(["done", "not_yet", "help"]), note: z.string().optional(), photo: ZStoredMedia.optional() }));

/**
 * The number of a WhatsApp person when no message of theirs is at hand (a turn the office started):
 * their stored address is a blind index, the JID is kept sealed (src/security/address-index.ts).
 */
async function whatsappPhone(tx: DeskTurn["tx"], identityId: string): Promise<string | undefined> {
  const row = await tx.identity.findUnique({ where: { id: identityId }, select: { addressSealed: true, address: true } });
  const address = row?.addressSealed ? unseal(row.addressSealed) : row?.address;
  const m = address ? /^(\d{8,15})(?:@s\.whatsapp\.net)?$/.exec(address) : null;
  return m ? `+${m[1]}` : undefined;
}
