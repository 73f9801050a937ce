/**
 * Staff work in their own chat: commands by role, taps on the buttons the office sent them, and the
 * text they were asked for (a diagnosis, a message to the client ...). Every action checks the role
 * of the identity that sent it; nothing a sender writes can make them staff.
 */
import { text } from "../messaging/text.js";
import type { Awaiting, Desk, DeskTurn } from "./desk.js";
import type { EngineMessage } from "../flows/model.js";
import { foldCommand } from "../shared/fold.js";
import { parseDate } from "../flows/questions/date.js";
import type { Inbound } from "../messaging/model.js";
import type { WorkflowDeps } from "../domain/workflow/context.js";
import {
  acceptCase, addNote, agreePlan, shareCase, askPlanChanges, caseForStaff, caseMenu, evaluate, recordServices, refer, relayToClient,
  requestActionPlan, scheduleMonitoring, WorkflowError,
} from "../domain/workflow/consultation.js";
import { closeCase, sendControlCard, writeFinalReport } from "../domain/workflow/closing.js";
import { assignConsultant } from "../domain/workflow/assign.js";
import { setAutoAssign, isAutoAssign } from "../domain/workflow/settings.js";
import { getStaff, ZRole, type Role, type StaffMember } from "../domain/staff/directory.js";
import { createInvite } from "../domain/staff/invites.js";
import { showIdentityDocument } from "../domain/staff/documents.js";
import { decideDeletion } from "../domain/intake/data-requests.js";
import { caseByReg, caseCard } from "../domain/workflow/case-card.js";

/** Extra commands other modules add (reports, dashboard sign-in): name -> handler. */
export interface StaffCommand {
  names: string[];
  roles: Role[];
  run(turn: DeskTurn, staff: StaffMember, args: string): Promise<void>;
}

export class StaffDesk implements Desk {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly extra: () => StaffCommand[] = () => [],
  ) {}

  async handle(turn: DeskTurn, message: EngineMessage, _inbound: Inbound | null): Promise<boolean> {
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
      if (msg.type === "choice") await this.onChoice(turn, staff, msg.choiceId, session.awaiting);
      else if (msg.type === "text") await this.onText(turn, staff, msg.text, session.awaiting);
      else if (msg.type === "media") turn.reply(text(turn.t("staff.no_media")));
      else if (msg.type === "start" || msg.type === "nudge" || msg.type === "expire") return true;
      else turn.reply(text(turn.t("staff.unsupported")));
    } catch (e) {
      if (!(e instanceof WorkflowError)) throw e;
      turn.reply(text(turn.t(e.textKey, e.params)));
    }
    return true;
  }

  private async setAwaiting(turn: DeskTurn, awaiting: Awaiting | null): Promise<void> {
    await turn.writeSession(turn.identity.id, { awaiting });
  }

  private async onText(turn: DeskTurn, staff: StaffMember, raw: string, awaiting: Awaiting | null): Promise<void> {
    const body = raw.trim();
    const folded = foldCommand(body);
    if (awaiting && ["batal", "cancel"].includes(folded)) {
      await this.setAwaiting(turn, null);
      turn.reply(text(turn.t("staff.cancelled")));
      return;
    }
    const [word = ""] = folded.split(/\s+/);
    const rest = body.replace(/^\/?\S+\s*/, "");
    const isCommand = body.startsWith("/") || COMMAND_WORDS.has(word) || this.extra().some((c) => c.names.includes(word));
    if (awaiting && !isCommand) return this.onAwaitedText(turn, staff, body, awaiting);

    switch (word) {
      case "start": case "menu": case "bantuan": case "help":
        turn.reply(text(turn.t(`staff.menu.${staff.role}`, { name: staff.name })));
        return;
      case "kasusku": case "mycases":
        return this.myCases(turn, staff);
      case "buka": case "open": {
        const c = await caseByReg(turn.tx, rest.trim());
        if (!c) throw new WorkflowError("wf.err.no_case");
        return this.openCase(turn, staff, c.id);
      }
      case "bagikan": case "share": {
        // bagikan <nomor> <nama konsultan>
        this.requireRole(staff, ["admin"]);
        const m = /^(\S+)\s+(.+)$/.exec(rest.trim());
        const c = m ? await caseByReg(turn.tx, m[1]!) : null;
        if (!m || !c) {
          turn.reply(text(turn.t("staff.share_usage")));
          return;
        }
        const consultants = await turn.tx.staff.findMany({ where: { role: "consultant", active: true } });
        const wanted = foldCommand(m[2]!);
        const hits = consultants.filter((k) => foldCommand(k.name).includes(wanted));
        if (hits.length !== 1) {
          turn.reply(text(turn.t("staff.share_pick", { names: consultants.map((k) => k.name).join(", ") })));
          return;
        }
        return shareCase(turn, staff, c.id, hits[0]!.id);
      }
      case "undang": case "invite":
        return this.invite(turn, staff, rest);
      case "otomatis": case "auto": {
        this.requireRole(staff, ["admin"]);
        const on = /^(on|ya|aktif|hidup|1|true)$/i.test(rest.trim());
        const off = /^(off|tidak|mati|nonaktif|0|false)$/i.test(rest.trim());
        if (on || off) await setAutoAssign(turn.tx, on);
        turn.reply(text(turn.t((on || off ? on : await isAutoAssign(turn.tx)) ? "staff.auto_on" : "staff.auto_off")));
        turn.audit({ action: "setting.autoAssign", entity: "OfficeSetting", detail: { on } });
        return;
      }
    }
    const extra = this.extra().find((c) => c.names.includes(word));
    if (extra) {
      this.requireRole(staff, extra.roles);
      await extra.run(turn, staff, rest);
      return;
    }
    turn.reply(text(turn.t("staff.unknown_command")));
  }

  private requireRole(staff: StaffMember, roles: Role[]): void {
    if (!roles.includes(staff.role)) throw new WorkflowError("staff.not_allowed");
  }

  private async myCases(turn: DeskTurn, staff: StaffMember): Promise<void> {
    const cases = await turn.tx.consultationCase.findMany({
      where: { closedAt: null, ...(staff.role === "consultant" ? { OR: [{ consultantId: staff.id }, { shares: { some: { staffId: staff.id } } }] } : {}) },
      orderBy: { createdAt: "asc" },
      take: 10,
      include: { client: { select: { fullName: true } } },
    });
    if (cases.length === 0) {
      turn.reply(text(turn.t("staff.no_cases")));
      return;
    }
    turn.reply(text(turn.t("staff.my_cases", { count: cases.length }), cases.map((c) => ({ id: `c:${c.id}:open`, label: `${c.regNumber} · ${c.client.fullName}`.slice(0, 60) }))));
  }

  private async invite(turn: DeskTurn, staff: StaffMember, args: string): Promise<void> {
    this.requireRole(staff, ["admin"]);
    // undang <admin|konsultan|kepala> <nama ...> [bidang: a,b]
    const m = /^(\S+)\s+(.+?)(?:\s+bidang[:\s]+(.+))?$/i.exec(args.trim());
    const roleWord = m?.[1] ? foldCommand(m[1]) : "";
    const role = ({ admin: "admin", konsultan: "consultant", consultant: "consultant", kepala: "head", head: "head" } as Record<string, Role>)[roleWord];
    if (!m || !role) {
      turn.reply(text(turn.t("staff.invite_usage")));
      return;
    }
    const known = new Set(this.deps.setup().areas.areas.map((a) => a.code));
    const areas = (m[3] ?? "").split(/[,\s]+/).map((a) => foldCommand(a)).filter((a) => a !== "");
    const unknown = areas.filter((a) => !known.has(a));
    if (unknown.length > 0 || (role === "consultant" && areas.length === 0)) {
      turn.reply(text(turn.t("staff.invite_areas", { areas: [...known].join(", ") })));
      return;
    }
    const { code, expiresAt } = await createInvite(turn.tx, { role: ZRole.parse(role), name: m[2]!.trim(), areas, createdById: staff.id, now: turn.now });
    turn.audit({ action: "staff.invite", entity: "StaffInvite", detail: { role, areas } });
    turn.reply(text(turn.t("staff.invite_created", { code, name: m[2]!.trim(), role: turn.t(`role.${role}`), hours: Math.round((expiresAt.getTime() - turn.now.getTime()) / 3600_000) })));
  }

  private async onChoice(turn: DeskTurn, staff: StaffMember, id: string, awaiting: Awaiting | null): Promise<void> {
    const [kind, ref = "", action = "", arg = ""] = id.split(":");
    if (kind === "p") {
      if (action === "agree") return agreePlan(turn, this.deps, staff, ref);
      if (action === "changes") {
        await this.setAwaiting(turn, { kind: "plan_changes", planId: ref });
        turn.reply(text(turn.t("staff.ask.plan_changes")));
        return;
      }
    }
    if (kind === "dr" && (action === "confirm" || action === "reject")) {
      return decideDeletion(turn, staff, this.deps.files, ref, action === "confirm");
    }
    if (kind !== "c") {
      turn.reply(text(turn.t("staff.stale_button")));
      return;
    }
    const caseId = ref;
    const ask = async (k: "diagnosis" | "note" | "prescription" | "message" | "evaluate" | "monitor") => {
      await caseForStaff(turn, staff, caseId);
      await this.setAwaiting(turn, { kind: k, caseId });
      turn.reply(text(turn.t(`staff.ask.${k}`)));
    };
    switch (action) {
      case "route": return this.confirmRoute(turn, staff, caseId, arg, false);
      case "areas": {
        this.requireRole(staff, ["admin"]);
        turn.reply(text(turn.t("staff.pick_area"), this.deps.setup().areas.areas.map((a) => ({ id: `c:${caseId}:override:${a.code}`, label: turn.t(`area.${a.code}`) }))));
        return;
      }
      case "override": return this.confirmRoute(turn, staff, caseId, arg, true);
      case "doc": return showIdentityDocument(turn, staff, caseId);
      case "accept": return acceptCase(turn, staff, caseId);
      case "open":
        return this.openCase(turn, staff, caseId);
      case "diagnosis": case "note": case "prescription": case "message": case "evaluate": case "monitor":
        return ask(action);
      case "services": return this.servicesPicker(turn, staff, caseId, []);
      case "svc": {
        const selected = awaiting?.kind === "services" && awaiting.caseId === caseId ? awaiting.selected : [];
        const next = selected.includes(arg) ? selected.filter((s) => s !== arg) : [...selected, arg];
        return this.servicesPicker(turn, staff, caseId, next);
      }
      case "svcdone": {
        const selected = awaiting?.kind === "services" && awaiting.caseId === caseId ? awaiting.selected : [];
        if (selected.length === 0) {
          turn.reply(text(turn.t("staff.services_none")));
          return;
        }
        await this.setAwaiting(turn, null);
        return recordServices(turn, staff, caseId, selected);
      }
      case "plan": return requestActionPlan(turn, this.deps, staff, caseId);
      case "refer": {
        await caseForStaff(turn, staff, caseId);
        if (arg) {
          await this.setAwaiting(turn, { kind: "refer_reason", caseId, area: arg });
          turn.reply(text(turn.t("staff.ask.refer_reason", { area: turn.t(`area.${arg}`) })));
          return;
        }
        turn.reply(text(turn.t("staff.pick_refer_area"), this.deps.setup().areas.areas.map((a) => ({ id: `c:${caseId}:refer:${a.code}`, label: turn.t(`area.${a.code}`) }))));
        return;
      }
      case "report": {
        await caseForStaff(turn, staff, caseId);
        await this.setAwaiting(turn, { kind: "report", caseId, part: "summary", draft: {} });
        turn.reply(text(turn.t("staff.ask.report_summary")));
        return;
      }
      case "card": return sendControlCard(turn, this.deps, staff, caseId);
      case "close": return closeCase(turn, this.deps, staff, caseId);
    }
    turn.reply(text(turn.t("staff.stale_button")));
  }

  /** The case card and, for its own consultant or an admin, the actions; a shared case is read only. */
  private async openCase(turn: DeskTurn, staff: StaffMember, caseId: string): Promise<void> {
    const c = await caseForStaff(turn, staff, caseId, { read: true });
    const own = staff.role !== "consultant" || c.consultantId === staff.id;
    const card = await caseCard(turn.tx, caseId);
    turn.reply(text(`${card(turn.translator())}\n\n${turn.t(own ? "staff.case_actions" : "staff.case_shared_readonly")}`, own ? caseMenu(turn, caseId) : [{ id: `c:${caseId}:doc`, label: turn.t("wf.btn.view_document") }]));
  }

  private async servicesPicker(turn: DeskTurn, staff: StaffMember, caseId: string, selected: string[]): Promise<void> {
    await caseForStaff(turn, staff, caseId);
    await this.setAwaiting(turn, { kind: "services", caseId, selected });
    const services = this.deps.setup().areas.services;
    turn.reply(
      text(turn.t("staff.pick_services", { selected: selected.map((s) => turn.t(`service.${s}`)).join(", ") || "-" }), [
        ...services.map((s) => ({ id: `c:${caseId}:svc:${s}`, label: `${selected.includes(s) ? "✅ " : ""}${turn.t(`service.${s}`)}` })),
        { id: `c:${caseId}:svcdone`, label: turn.t("staff.services_done") },
      ]),
    );
  }

  private async confirmRoute(turn: DeskTurn, staff: StaffMember, caseId: string, area: string, overridden: boolean): Promise<void> {
    this.requireRole(staff, ["admin"]);
    if (!this.deps.setup().areas.areas.some((a) => a.code === area)) throw new WorkflowError("staff.stale_button");
    const c = await turn.tx.consultationCase.findUnique({ where: { id: caseId } });
    if (!c) throw new WorkflowError("wf.err.no_case");
    if (c.status !== "awaiting_routing") throw new WorkflowError("wf.err.already_routed", { regNumber: c.regNumber, status: turn.t(`status.${c.status}`) });
    const decision = await turn.tx.routingDecision.findFirst({ where: { caseId }, orderBy: { createdAt: "desc" } });
    if (decision) {
      await turn.tx.routingDecision.update({
        where: { id: decision.id },
        data: { decidedArea: area, decidedById: staff.id, decidedBy: "admin", decidedAt: turn.now, overridden: overridden && area !== decision.recommended, overrideNote: overridden ? `${decision.recommended || "-"} -> ${area}` : null },
      });
    }
    turn.audit({ action: overridden ? "routing.override" : "routing.confirm", entity: "ConsultationCase", entityId: caseId, detail: { area } });
    const ok = await assignConsultant(turn, this.deps, caseId, area, { type: "staff", id: staff.id });
    if (ok) turn.reply(text(turn.t("staff.routed", { regNumber: c.regNumber, area: turn.t(`area.${area}`) })));
  }

  private async onAwaitedText(turn: DeskTurn, staff: StaffMember, body: string, awaiting: Awaiting): Promise<void> {
    if (body.length === 0) return;
    const done = () => this.setAwaiting(turn, null);
    switch (awaiting.kind) {
      case "diagnosis": case "note": case "prescription":
        await done();
        return addNote(turn, staff, awaiting.caseId, awaiting.kind, body);
      case "message":
        await done();
        return relayToClient(turn, staff, awaiting.caseId, body);
      case "evaluate":
        await done();
        return evaluate(turn, staff, awaiting.caseId, body);
      case "monitor": {
        const d = parseDate(body, { now: turn.now, future: true }, turn.lang);
        if (!d.ok) {
          turn.reply(text(`${turn.t(d.error, d.params)}\n${turn.t("staff.ask.monitor")}`));
          return;
        }
        await done();
        return scheduleMonitoring(turn, this.deps, staff, awaiting.caseId, d.value);
      }
      case "refer_reason":
        await done();
        return refer(turn, this.deps, staff, awaiting.caseId, awaiting.area, body);
      case "plan_changes":
        await done();
        return askPlanChanges(turn, this.deps, staff, awaiting.planId, body);
      case "report": {
        const draft = { ...awaiting.draft, [awaiting.part]: body };
        const next = awaiting.part === "summary" ? "results" : awaiting.part === "results" ? "recommendations" : null;
        if (next) {
          await this.setAwaiting(turn, { kind: "report", caseId: awaiting.caseId, part: next, draft });
          turn.reply(text(turn.t(`staff.ask.report_${next}`)));
          return;
        }
        await done();
        return writeFinalReport(turn, this.deps, staff, awaiting.caseId, { summary: draft.summary ?? "", results: draft.results ?? "", recommendations: draft.recommendations ?? "" });
      }
      case "services":
        turn.reply(text(turn.t("staff.services_use_buttons")));
        return;
      case "client_reply":
        await done();
        return;
    }
  }
}

const COMMAND_WORDS = new Set(["start", "menu", "bantuan", "help", "kasusku", "mycases", "buka", "open", "undang", "invite", "otomatis", "auto", "bagikan", "share"]);

/** A typed "2", "2." or the label of an offered button. */
export function pickOffered(input: string, offered: Array<{ id: string; label: string }>): string | null {
  const s = input.trim();
  const n = /^(\d{1,2})\.?$/.exec(s);
  if (n) return offered[Number(n[1]) - 1]?.id ?? null;
  const f = foldCommand(s);
  const hit = offered.filter((o) => foldCommand(o.label.replace(/^✅\s*/, "")) === f);
  return hit.length === 1 ? hit[0]!.id : null;
}

