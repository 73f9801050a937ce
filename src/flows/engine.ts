/**
 * The conversation engine: one inbound message in, the new session, the replies and the effects
 * out. Pure: no I/O, no clock (the time is passed in), no randomness. The host stores the session,
 * sends the replies and applies the effects in one transaction.
 */
import type { Choice, Outbound } from "../messaging/model.js";
import {
  type CompiledFlow,
  type GroupNode,
  isQuestion,
  type QuestionNode,
  type RequestName,
  type SummaryNode,
} from "./definition.js";
import type { Effect, SubmittedAnswer } from "./effects.js";
import { typeHelpKey } from "./engine-texts.js";
import type { LoadedConversations } from "./load.js";
import { type MenuEntry, menuFor, menuInFlow } from "./menu.js";
import type { EngineMessage, PersonContext } from "./model.js";
import {
  answerKey,
  buildPlan,
  findSlot,
  firstOpen,
  forEachItems,
  isAnswered,
  isStop,
  type Slot,
} from "./plan.js";
import { parseChoice } from "./questions/choice.js";
import { todayIn, toIso } from "./questions/date.js";
import { formatIsoDate } from "./questions/format.js";
import { parseYesNo } from "./questions/yesno.js";
import { type AnswerInput, getType, type QuestionContext } from "./registry.js";
import {
  type Answer,
  type PendingFlow,
  type Position,
  SESSION_SCHEMA_VERSION,
  type SessionState,
} from "./session.js";
import { foldCommand, type Lang, type TextParams, Translator } from "./texts.js";
import { ZStoredMedia } from "./model.js";

export interface StepInput {
  conversations: LoadedConversations;
  session: SessionState | null;
  message: EngineMessage;
  person: PersonContext;
  now: Date;
}

export interface StepResult {
  session: SessionState | null;
  replies: Outbound[];
  effects: Effect[];
}

/** A host mistake (unknown flow, missing vars): the engine cannot answer the person sensibly. */
export class EngineError extends Error {
  constructor(
    readonly code: "unknown_flow" | "bad_vars",
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/** Handles one message. */
export function step(input: StepInput): StepResult {
  const turn = new Turn(input);
  turn.handle(input.message);
  return { session: turn.session, replies: turn.replies, effects: turn.effects };
}

// Choice ids the engine puts on its own buttons.
const C = {
  skip: "ctl:skip",
  keep: "ctl:keep",
  submit: "ctl:submit",
  edit: "ctl:edit",
  cancel: "ctl:cancel",
  cancelYes: "ctl:cancel_yes",
  cancelNo: "ctl:cancel_no",
  resume: "ctl:resume",
  restart: "ctl:restart",
  continue: "ctl:continue",
  yes: "yes",
  no: "no",
} as const;

type Control =
  | "back"
  | "cancel"
  | "help"
  | "menu"
  | "skip"
  | "keep"
  | "language"
  | "lang_id"
  | "lang_en"
  | "reminders_off"
  | "reminders_on"
  | "status"
  | "my_data";

/** Words keys of the controls that work at every question, in the order they are tried. */
const CONTROL_WORDS: [Control, string][] = [
  ["back", "cmd.back"],
  ["cancel", "cmd.cancel"],
  ["help", "cmd.help"],
  ["menu", "cmd.menu"],
  ["skip", "cmd.skip"],
  ["keep", "cmd.keep"],
  ["lang_id", "cmd.lang_id"],
  ["lang_en", "cmd.lang_en"],
  ["language", "cmd.language"],
  ["reminders_off", "cmd.reminders_off"],
  ["reminders_on", "cmd.reminders_on"],
  ["status", "cmd.status"],
  ["my_data", "cmd.my_data"],
];

const CONTROL_CHOICES: Record<string, Control> = {
  [C.skip]: "skip",
  [C.keep]: "keep",
  [C.cancel]: "cancel",
  "lang:id": "lang_id",
  "lang:en": "lang_en",
  "menu:status": "status",
  "menu:my_data": "my_data",
  "menu:language": "language",
  "menu:reminders_off": "reminders_off",
  "menu:reminders_on": "reminders_on",
};

/** The session is plain JSON (it is stored as JSON): a JSON copy is several times faster than structuredClone. */
function cloneSession(s: SessionState): SessionState {
  return JSON.parse(JSON.stringify(s)) as SessionState;
}

class Turn {
  readonly c: LoadedConversations;
  readonly now: Date;
  person: PersonContext;
  session: SessionState | null;
  tr: Translator;
  readonly replies: Outbound[] = [];
  readonly effects: Effect[] = [];

  constructor(input: StepInput) {
    this.c = input.conversations;
    this.now = input.now;
    // Only top-level fields of the person change during a step (consent, language, reminders).
    this.person = { ...input.person };
    this.session = input.session ? cloneSession(input.session) : null;
    this.tr = new Translator(this.c.texts, this.person.language);
  }

  get lang(): Lang {
    return this.tr.lang;
  }

  t(key: string, params?: TextParams): string {
    return this.tr.t(key, params);
  }

  say(text: string, choices?: Choice[], extra: Partial<Extract<Outbound, { type: "text" }>> = {}): void {
    this.replies.push({ type: "text", text, ...(choices && choices.length ? { choices } : {}), ...extra });
  }

  // -------------------------------------------------------------------------------------------
  // Entry

  handle(msg: EngineMessage): void {
    if (msg.type === "start") return this.onStart(msg.flowId, msg.vars);
    if (msg.type === "nudge") return this.onNudge();
    if (msg.type === "expire") return this.onExpire();
    const s = this.session;
    if (!s) return this.onIdle(msg);
    s.lastActivityAt = this.now.toISOString();
    s.nudged = false;
    if (!this.ensureVersion()) return;
    const cur = this.session as SessionState;
    if (cur.expiredAt !== null) return this.offerResume(msg);
    this.onInFlow(msg);
  }

  // -------------------------------------------------------------------------------------------
  // Host and scheduler messages

  private onStart(flowId: string, vars: Record<string, unknown>): void {
    const flow = this.c.flows.get(flowId);
    if (!flow) throw new EngineError("unknown_flow", `no flow "${flowId}"`);
    for (const v of flow.def.vars ?? []) {
      const value = vars[v.name];
      if (value === undefined) {
        if (v.required) throw new EngineError("bad_vars", `flow "${flowId}" needs var "${v.name}"`);
        continue;
      }
      const ok =
        v.type === "list" ? Array.isArray(value) : v.type === "number" ? typeof value === "number" : typeof value === v.type;
      if (!ok) throw new EngineError("bad_vars", `var "${v.name}" of flow "${flowId}" must be a ${v.type}`);
    }
    const s = this.session;
    if (s && s.expiredAt === null) {
      const same = (f: PendingFlow) => f.flowId === flowId && JSON.stringify(f.vars) === JSON.stringify(vars);
      if (same({ flowId: s.flowId, vars: s.vars }) || s.queue.some(same)) return;
      // Never interrupt the person: the new flow starts when the current one ends.
      s.queue.push({ flowId, vars, fromHost: true });
      return;
    }
    if (s) this.dropSession(s);
    this.session = null;
    this.startChecked(flowId, vars, true, s?.queue.filter((q) => q.fromHost) ?? []);
  }

  private onNudge(): void {
    const s = this.session;
    if (!s || s.expiredAt !== null || s.nudged) return;
    if (!this.ensureVersion()) return;
    const cur = this.session as SessionState;
    cur.nudged = true;
    const prompt = this.currentPrompt();
    if (prompt.type === "text") this.replies.push({ ...prompt, text: `${this.t("engine.nudge")}\n\n${prompt.text}` });
  }

  private onExpire(): void {
    const s = this.session;
    if (!s || s.expiredAt !== null) return;
    s.expiredAt = this.now.toISOString();
    s.overlay = null;
  }

  // -------------------------------------------------------------------------------------------
  // Versions

  /** Moves a session on an old flow version to one that runs; false when the session ended. */
  private ensureVersion(): boolean {
    const s = this.session as SessionState;
    const current = this.c.flows.get(s.flowId);
    if (!current) {
      this.dropSession(s);
      this.session = null;
      this.showMenu();
      return false;
    }
    if (current.def.version === s.flowVersion) return true;
    const rule = (current.def.migrations ?? []).find((m) => m.from === s.flowVersion);
    if (!rule && this.c.versions.get(s.flowId)?.has(s.flowVersion)) return true; // continue on the archived version
    const strategy = rule?.strategy ?? "restart";
    s.flowVersion = current.def.version;
    s.overlay = s.overlay === "resume_offer" ? "resume_offer" : null;
    s.returnToSummary = false;
    s.scratch = undefined;
    if (strategy === "map") {
      const rename = (id: string) => rule?.map?.[id] ?? id;
      const answers: Record<string, Answer> = {};
      for (const [key, a] of Object.entries(s.answers)) {
        const parts = key.split(".");
        const newKey = parts.length === 3 ? `${rename(parts[0] as string)}.${parts[1]}.${rename(parts[2] as string)}` : rename(key);
        const qid = newKey.split(".").pop() as string;
        const node = current.index.get(qid)?.node;
        if (node && isQuestion(node) && node.type === a.type) answers[newKey] = a;
        else this.discardMedia(a);
      }
      s.answers = answers;
      s.groups = Object.fromEntries(Object.entries(s.groups).map(([g, v]) => [rename(g), v]));
      const plan = this.plan(current, s);
      const open = firstOpen(plan, s);
      s.history = plan.slice(0, open < 0 ? plan.length : open).filter((x) => isAnswered(x, s, plan)).map((x) => x.pos);
      this.say(this.t(rule?.notice ?? "engine.flow_updated", { flow: this.t(current.def.title) }));
      if (s.expiredAt !== null) return true;
      this.arrive(current, s, plan, open);
      return false;
    }
    for (const a of Object.values(s.answers)) this.discardMedia(a);
    this.say(this.t(rule?.notice ?? "engine.flow_restarted", { flow: this.t(current.def.title) }));
    const queue = s.queue;
    this.session = null;
    this.startFlow(s.flowId, s.vars, queue);
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // No session: the menu

  private onIdle(msg: Exclude<EngineMessage, { type: "start" | "nudge" | "expire" }>): void {
    if (msg.type === "media") {
      if (msg.media.storageKey) this.effects.push({ type: "media_discarded", storageKey: msg.media.storageKey });
      if (!this.person.hasConsent && !this.person.isClient) {
        this.say(this.t("engine.media.not_stored"));
        // They are trying to register: ask for consent first, then the registration follows.
        const reg = menuFor(this.c, this.person).find((m) => m.kind === "flow" && this.c.flows.get(m.flowId)?.def.requiresConsent);
        if (reg && reg.kind === "flow") return this.startChecked(reg.flowId, {}, false, []);
        return this.showMenu();
      }
      this.say(this.t("engine.media.not_here"));
      return this.showMenu();
    }
    if (msg.type === "rejected_media" && msg.reason === "download_failed") {
      this.say(this.t("engine.rejected.download_failed"));
      return this.showMenu();
    }
    if (msg.type === "rejected_media" || msg.type === "unsupported" || msg.type === "contact" || msg.type === "location") {
      this.say(this.t(msg.type === "unsupported" || msg.type === "rejected_media" ? "engine.unsupported" : `engine.${msg.type}.not_here`));
      return this.showMenu();
    }
    const ctl = this.controlOf(msg);
    if (ctl) {
      if (ctl === "help") this.say(this.t("engine.help.generic"));
      if (ctl === "cancel") this.say(this.t("engine.cancel.nothing"));
      if (this.global(ctl)) return;
      return this.showMenu();
    }
    const items = menuFor(this.c, this.person);
    let picked: MenuEntry | undefined;
    if (msg.type === "choice") picked = items.find((m) => `menu:${m.id}` === msg.choiceId);
    else if (msg.type === "text") picked = this.matchMenu(msg.text, items);
    if (picked) return this.runMenu(picked);
    this.showMenu();
  }

  private matchMenu(text: string, items: MenuEntry[]): MenuEntry | undefined {
    const r = parseChoice(
      text,
      items.map((m) => ({ id: m.id, label: this.t(m.label), synonyms: m.words ? this.tr.wordsHere(m.words) : [] })),
    );
    return r.ok ? items.find((m) => m.id === r.value) : undefined;
  }

  private showMenu(): void {
    const items = menuFor(this.c, this.person);
    const intro = this.person.isClient ? "engine.menu.client" : "engine.menu.guest";
    this.say(this.t(intro), items.map((m) => ({ id: `menu:${m.id}`, label: this.t(m.label) })));
  }

  private runMenu(item: MenuEntry): void {
    if (item.kind === "flow") return this.startChecked(item.flowId, {}, false, []);
    this.global(item.control);
  }

  /** Controls that do the same with or without a session; true when handled. */
  private global(ctl: Control): boolean {
    switch (ctl) {
      case "lang_id":
      case "lang_en":
        this.setLanguage(ctl === "lang_id" ? "id" : "en");
        return true;
      case "language":
        this.say(this.t("engine.language.ask"), this.languageChoices());
        return true;
      case "reminders_off":
      case "reminders_on": {
        const on = ctl === "reminders_on";
        this.person.remindersOn = on;
        this.effects.push({ type: "reminders_toggled", on });
        this.say(this.t(on ? "engine.reminders.on" : "engine.reminders.off"));
        return true;
      }
      case "status":
        this.request("status");
        this.say(this.renderStatus());
        return true;
      case "my_data":
        this.request("my_data");
        this.say(this.renderMyData());
        return true;
      default:
        return false;
    }
  }

  private request(name: RequestName): void {
    this.effects.push({ type: "request", name });
  }

  private languageChoices(): Choice[] {
    return [
      { id: "lang:id", label: this.t("engine.button.lang_id") },
      { id: "lang:en", label: this.t("engine.button.lang_en") },
    ];
  }

  private setLanguage(lang: Lang): void {
    if (lang !== this.person.language) this.effects.push({ type: "language_changed", language: lang });
    this.person.language = lang;
    this.tr = this.tr.with(lang);
    this.say(this.t("engine.language.changed"));
  }

  // -------------------------------------------------------------------------------------------
  // Starting and ending flows

  private startChecked(flowId: string, vars: Record<string, unknown>, fromHost: boolean, queue: PendingFlow[]): void {
    const flow = this.c.flows.get(flowId);
    if (!flow) throw new EngineError("unknown_flow", `no flow "${flowId}"`);
    if (flow.def.requiresConsent && !this.person.hasConsent) {
      return this.startFlow(this.c.consentFlowId, {}, [{ flowId, vars, fromHost }, ...queue]);
    }
    this.startFlow(flowId, vars, queue);
  }

  private startFlow(flowId: string, vars: Record<string, unknown>, queue: PendingFlow[]): void {
    const flow = this.c.flows.get(flowId) as CompiledFlow;
    const at = this.now.toISOString();
    const s: SessionState = {
      schema: SESSION_SCHEMA_VERSION,
      flowId,
      flowVersion: flow.def.version,
      vars,
      mode: "asking",
      overlay: null,
      position: { node: (flow.nodes[0] as { id?: string }).id ?? flowId },
      answers: {},
      history: [],
      returnToSummary: false,
      groups: {},
      queue,
      startedAt: at,
      lastActivityAt: at,
      nudged: false,
      expiredAt: null,
    };
    this.session = s;
    const plan = this.plan(flow, s);
    this.walkFrom(flow, s, plan, -1);
  }

  /** The flow reached its end: emit what it collected, then run what is queued. */
  private complete(flow: CompiledFlow, s: SessionState, plan: Slot[]): void {
    const done = flow.def.complete;
    if (done.submit !== undefined) {
      const { data, answers } = this.collect(flow, s, plan);
      this.effects.push({
        type: "submitted",
        flowId: s.flowId,
        flowVersion: s.flowVersion,
        action: done.submit,
        vars: s.vars,
        data,
        answers,
      });
    }
    if (done.request !== undefined) this.request(done.request);
    if (done.consent !== undefined) {
      this.effects.push({ type: "consent_given", consentVersion: done.consent, language: this.lang });
      this.person.hasConsent = true;
    }
    if (done.reply) this.say(this.t(done.reply, this.varParams(s)));
    this.next(s.queue);
  }

  /** Ends the session and starts the next queued flow, if any. */
  private next(queue: PendingFlow[]): void {
    this.session = null;
    const [head, ...rest] = queue;
    if (head && this.c.flows.has(head.flowId)) this.startChecked(head.flowId, head.vars, head.fromHost ?? false, rest);
  }

  /** Forgets a session the person left: the host deletes its files. */
  private dropSession(s: SessionState): void {
    this.effects.push({ type: "cancelled", flowId: s.flowId });
    for (const a of Object.values(s.answers)) this.discardMedia(a);
  }

  private discardMedia(a: Answer | undefined): void {
    const m = a ? ZStoredMedia.safeParse(a.value) : undefined;
    if (m?.success) this.effects.push({ type: "media_discarded", storageKey: m.data.storageKey });
  }

  private collect(flow: CompiledFlow, s: SessionState, plan: Slot[]): { data: Record<string, unknown>; answers: SubmittedAnswer[] } {
    const data: Record<string, unknown> = {};
    const answers: SubmittedAnswer[] = [];
    const itemsOf = (g: GroupNode): Record<string, unknown>[] => {
      const store = g.store as string;
      if (!Array.isArray(data[store])) {
        const seed = g.forEach !== undefined ? forEachItems(g, s.vars).map((it) => ("id" in it ? { id: it.id } : {})) : [];
        data[store] = seed;
      }
      return data[store] as Record<string, unknown>[];
    };
    for (const slot of plan) {
      if (slot.kind !== "question") continue;
      const a = s.answers[slot.key];
      if (!a || a.skipped) continue;
      const node = slot.node;
      let store: string | undefined = node.store;
      if (slot.group && slot.group.store !== undefined) {
        const items = itemsOf(slot.group);
        const i = slot.pos.index ?? 0;
        while (items.length <= i) items.push({});
        if (node.store !== undefined) (items[i] as Record<string, unknown>)[node.store] = a.value;
        store = node.store !== undefined ? `${slot.group.store}[${i}].${node.store}` : undefined;
      } else if (store !== undefined) {
        data[store] = a.value;
      }
      answers.push({
        questionId: slot.key,
        ...(store !== undefined ? { store } : {}),
        value: a.value,
        display: this.display(flow, s, slot, a.value),
        labelKey: node.label,
      });
    }
    return { data, answers };
  }

  // -------------------------------------------------------------------------------------------
  // In a flow

  private flowOf(s: SessionState): CompiledFlow {
    return (this.c.versions.get(s.flowId)?.get(s.flowVersion) ?? this.c.flows.get(s.flowId)) as CompiledFlow;
  }

  private plan(flow: CompiledFlow, s: SessionState): Slot[] {
    return buildPlan(flow, s, {
      person: this.person,
      qctx: (answerOf, item) => this.ctxWith(s, answerOf, item, undefined),
    });
  }

  private ctxWith(
    s: SessionState,
    answerOf: (id: string) => unknown,
    item: Record<string, unknown> | undefined,
    extraParams: TextParams | undefined,
  ): QuestionContext {
    return {
      tr: this.tr,
      lang: this.lang,
      now: this.now,
      person: this.person,
      regions: this.c.regions,
      answerOf,
      params: { ...this.varParams(s), ...itemParams(item), ...(extraParams ?? {}) },
      scratch: s.scratch,
    };
  }

  /** The context of a question slot: answers of the same item first, then what is on file. */
  private qctx(flow: CompiledFlow, s: SessionState, slot: Slot): QuestionContext {
    const index = slot.pos.index;
    const answerOf = (id: string) => {
      const entry = flow.index.get(id);
      if (!entry || !isQuestion(entry.node)) return undefined;
      const a = s.answers[entry.group ? answerKey(id, entry.group, index) : id];
      if (a && !a.skipped) return a.value;
      return entry.node.store !== undefined ? this.person.client?.[entry.node.store] : undefined;
    };
    const extra: Record<string, string | number> = {};
    if (index !== undefined) extra.n = index + 1;
    if (slot.kind === "question" && slot.node.store !== undefined) {
      const onFile = this.person.client?.[slot.node.store];
      const type = getType(slot.node.type);
      if (onFile !== undefined && type) {
        extra.current = type.display(slot.node, onFile, this.ctxWith(s, answerOf, undefined, undefined));
      }
    }
    return this.ctxWith(s, answerOf, slot.kind === "question" || slot.kind === "message" ? slot.item : undefined, extra);
  }

  private varParams(s: SessionState): Record<string, string | number> {
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(s.vars)) if (typeof v === "string" || typeof v === "number") out[k] = v;
    return out;
  }

  private display(flow: CompiledFlow, s: SessionState, slot: Slot, value: unknown): string {
    if (slot.kind !== "question") return "";
    const type = getType(slot.node.type);
    return type ? type.display(slot.node, value, this.qctx(flow, s, slot)) : String(value);
  }

  private onInFlow(msg: Exclude<EngineMessage, { type: "start" | "nudge" | "expire" }>): void {
    const s = this.session as SessionState;
    const flow = this.flowOf(s);
    if (msg.type === "unsupported") {
      this.say(this.t("engine.unsupported"));
      return this.repeatPrompt();
    }
    if (msg.type === "rejected_media") {
      const key = `engine.rejected.${msg.reason}`;
      this.say(this.t(key, { limitMb: Math.round((msg.limitBytes / 1048576) * 10) / 10 }));
      return this.repeatPrompt();
    }
    if (msg.type === "media" && msg.media.storageKey === null) {
      this.say(this.t("engine.media.not_stored"));
      return this.repeatPrompt();
    }
    let ctl = this.controlOf(msg);
    // "gak jadi" at a yes/no question is its answer, not a cancel.
    if (ctl === "cancel" && msg.type === "text" && !s.overlay && this.isYesNoOpen(flow, s) && parseYesNo(msg.text).ok) ctl = undefined;
    if (msg.type === "media" && msg.media.storageKey !== null) {
      // A stored file nobody asked for is deleted again.
      const slot = this.currentSlot(flow, s);
      if (s.overlay || s.mode !== "asking" || slot?.kind !== "question" || slot.node.type !== "media") {
        this.effects.push({ type: "media_discarded", storageKey: msg.media.storageKey });
        this.say(this.t("engine.media.not_here"));
        return this.repeatPrompt();
      }
    }
    if (s.overlay) return this.onOverlay(flow, s, msg, ctl);
    if (ctl && this.onControl(flow, s, ctl)) return;
    if (s.mode === "summary") return this.onSummary(flow, s, msg);
    if (s.mode === "editing") return this.onEditing(flow, s, msg);
    this.onAnswer(flow, s, msg);
  }

  private isYesNoOpen(flow: CompiledFlow, s: SessionState): boolean {
    if (s.mode !== "asking") return false;
    const slot = this.currentSlot(flow, s);
    return slot?.kind === "more" || (slot?.kind === "question" && slot.node.type === "yes_no");
  }

  private controlOf(msg: EngineMessage): Control | undefined {
    if (msg.type === "choice") return CONTROL_CHOICES[msg.choiceId];
    if (msg.type !== "text") return undefined;
    const said = foldCommand(msg.text);
    if (said === "") return undefined;
    for (const [ctl, key] of CONTROL_WORDS) if (this.tr.words(key).includes(said)) return ctl;
    return undefined;
  }

  /** Controls inside a flow; false when the message is not a control here (it is then an answer). */
  private onControl(flow: CompiledFlow, s: SessionState, ctl: Control): boolean {
    switch (ctl) {
      case "cancel":
        s.overlay = "confirm_cancel";
        this.replies.push(this.overlayPrompt(flow, s));
        return true;
      case "help":
        this.say(this.helpText(flow, s));
        this.repeatPrompt();
        return true;
      case "menu":
        s.overlay = "menu";
        this.replies.push(this.overlayPrompt(flow, s));
        return true;
      case "back":
        this.goBack(flow, s);
        return true;
      case "skip":
        return this.skip(flow, s);
      case "keep":
        return this.keep(flow, s);
      case "language":
        s.overlay = "choose_language";
        this.replies.push(this.overlayPrompt(flow, s));
        return true;
      default:
        if (!this.global(ctl)) return false;
        this.repeatPrompt();
        return true;
    }
  }

  private onOverlay(flow: CompiledFlow, s: SessionState, msg: EngineMessage, ctl: Control | undefined): void {
    const choice = msg.type === "choice" ? msg.choiceId : undefined;
    const text = msg.type === "text" ? msg.text : undefined;
    const said = text !== undefined ? foldCommand(text) : "";
    const close = () => {
      s.overlay = null;
    };
    switch (s.overlay) {
      case "confirm_cancel": {
        const yn = text !== undefined ? parseYesNo(text) : undefined;
        if (choice === C.cancelYes || ctl === "cancel" || (yn?.ok && yn.value)) return this.cancel(s);
        if (choice === C.cancelNo || ctl === "back" || (yn?.ok && !yn.value) || this.tr.words("cmd.continue").includes(said)) {
          close();
          this.say(this.t("engine.cancel.kept"));
          return this.repeatPrompt();
        }
        break;
      }
      case "choose_language": {
        const pick =
          ctl === "lang_id" || ctl === "lang_en"
            ? ctl
            : text !== undefined
              ? this.pickText(text, [
                  ["lang_id", "engine.button.lang_id"],
                  ["lang_en", "engine.button.lang_en"],
                ])
              : undefined;
        if (pick) {
          close();
          this.setLanguage(pick === "lang_id" ? "id" : "en");
          return this.repeatPrompt();
        }
        if (ctl === "back" || this.tr.words("cmd.continue").includes(said)) {
          close();
          return this.repeatPrompt();
        }
        break;
      }
      case "resume_offer": {
        const pick =
          choice === C.resume || this.tr.words("cmd.resume").includes(said)
            ? "resume"
            : choice === C.restart || this.tr.words("cmd.restart").includes(said)
              ? "restart"
              : text !== undefined
                ? this.pickText(text, [
                    ["resume", "engine.button.resume"],
                    ["restart", "engine.button.restart"],
                  ])
                : undefined;
        if (pick === "resume") {
          close();
          return this.repeatPrompt();
        }
        if (pick === "restart") {
          for (const a of Object.values(s.answers)) this.discardMedia(a);
          this.say(this.t("engine.resume.restarted"));
          return this.startFlow(s.flowId, s.vars, s.queue);
        }
        if (ctl === "cancel") return this.cancel(s);
        break;
      }
      case "menu": {
        const items = menuInFlow(this.c, this.person);
        if (choice === C.continue || ctl === "back" || this.tr.words("cmd.continue").includes(said)) {
          close();
          return this.repeatPrompt();
        }
        if (ctl === "cancel") {
          s.overlay = "confirm_cancel";
          this.replies.push(this.overlayPrompt(flow, s));
          return;
        }
        let picked: MenuEntry | undefined;
        if (choice) picked = items.find((m) => `menu:${m.id}` === choice);
        else if (text !== undefined) {
          const r = parseChoice(text, [
            { id: "continue", label: this.t("engine.button.continue") },
            ...items.map((m) => ({ id: m.id, label: this.t(m.label), synonyms: m.words ? this.tr.wordsHere(m.words) : [] })),
          ]);
          if (r.ok && r.value === "continue") {
            close();
            return this.repeatPrompt();
          }
          if (r.ok) picked = items.find((m) => m.id === r.value);
        }
        if (!picked && ctl && ctl !== "menu") picked = items.find((m) => m.kind === "control" && m.control === ctl);
        if (picked && picked.kind === "control") {
          close();
          this.global(picked.control);
          if (picked.control !== "language") return this.repeatPrompt();
          s.overlay = "choose_language";
          this.replies.pop();
          this.replies.push(this.overlayPrompt(flow, s));
          return;
        }
        break;
      }
      default:
        break;
    }
    // Not an answer to the overlay: controls that are not about it still work, else ask again.
    if (ctl === "help") this.say(this.helpText(flow, s));
    this.replies.push(this.overlayPrompt(flow, s));
  }

  private pickText<T extends string>(text: string, options: [T, string][]): T | undefined {
    const r = parseChoice(
      text,
      options.map(([id, key]) => ({ id, label: this.t(key) })),
    );
    return r.ok ? (r.value as T) : undefined;
  }

  private cancel(s: SessionState): void {
    this.dropSession(s);
    this.say(this.t("engine.cancel.done"));
    this.next(s.queue.filter((q) => q.fromHost));
  }

  private offerResume(msg: EngineMessage): void {
    const s = this.session as SessionState;
    s.expiredAt = null;
    s.overlay = "resume_offer";
    if (msg.type === "media" && msg.media.storageKey) this.effects.push({ type: "media_discarded", storageKey: msg.media.storageKey });
    this.replies.push(this.overlayPrompt(this.flowOf(s), s));
  }

  // -------------------------------------------------------------------------------------------
  // Navigation

  private currentSlot(flow: CompiledFlow, s: SessionState, plan = this.plan(flow, s)): Slot | undefined {
    const i = findSlot(plan, s.position);
    return i >= 0 ? plan[i] : undefined;
  }

  /** Goes to the stop at plan[idx]: asks, shows the summary, ends; past the plan, completes. */
  private arrive(flow: CompiledFlow, s: SessionState, plan: Slot[], idx: number): void {
    const slot = idx >= 0 ? plan[idx] : undefined;
    if (!slot) return this.complete(flow, s, plan);
    s.position = slot.pos;
    s.scratch = undefined;
    if (slot.kind === "end") {
      if (slot.node.text) this.say(this.t(slot.node.text, this.varParams(s)));
      this.next(s.queue.filter((q) => q.fromHost));
      return;
    }
    if (slot.kind === "summary") {
      s.mode = "summary";
      s.returnToSummary = false;
      this.replies.push(this.summaryMessage(flow, s, plan, slot.node));
      return;
    }
    if (slot.kind === "message") return this.walkFrom(flow, s, plan, idx - 1);
    s.mode = "asking";
    if (slot.kind === "question") {
      const a = s.answers[slot.key];
      if (a && !a.skipped && getType(slot.node.type)?.kind === "strings") s.scratch = a.value;
    }
    this.replies.push(this.questionMessage(flow, s, slot));
  }

  /** Walks on from plan[from] (exclusive), saying messages, to the next stop. */
  private walkFrom(flow: CompiledFlow, s: SessionState, plan: Slot[], from: number): void {
    for (let i = from + 1; i < plan.length; i++) {
      const slot = plan[i] as Slot;
      if (slot.kind === "message") {
        this.say(this.t(slot.node.text, this.qctx(flow, s, slot).params));
        continue;
      }
      if (isStop(slot)) return this.arrive(flow, s, plan, i);
    }
    this.complete(flow, s, plan);
  }

  /** After an answer at `pos`: on to the next question (or back to the summary when changing from it). */
  private advance(flow: CompiledFlow, s: SessionState, pos: Position): void {
    s.history.push(pos);
    s.scratch = undefined;
    const plan = this.plan(flow, s);
    if (s.returnToSummary) {
      const open = firstOpen(plan, s);
      return this.arrive(flow, s, plan, open);
    }
    this.walkFrom(flow, s, plan, findSlot(plan, pos));
  }

  private goBack(flow: CompiledFlow, s: SessionState): void {
    const plan = this.plan(flow, s);
    if (s.mode === "editing" || (s.returnToSummary && s.mode === "asking")) {
      // Changing from the summary: "kembali" returns to it unchanged.
      s.returnToSummary = false;
      s.scratch = undefined;
      return this.arrive(flow, s, plan, firstOpen(plan, s));
    }
    while (s.history.length) {
      const pos = s.history.pop() as Position;
      const idx = findSlot(plan, pos);
      if (idx >= 0 && (plan[idx] as Slot).kind !== "summary") return this.arrive(flow, s, plan, idx);
    }
    this.say(this.t("engine.back.first"));
    this.repeatPrompt();
  }

  private skip(flow: CompiledFlow, s: SessionState): boolean {
    const slot = s.mode === "asking" ? this.currentSlot(flow, s) : undefined;
    if (!slot || slot.kind !== "question") return false;
    if (!slot.node.optional) {
      this.say(this.t("engine.skip.required"));
      this.repeatPrompt();
      return true;
    }
    this.discardMedia(s.answers[slot.key]);
    s.answers[slot.key] = { value: null, type: slot.node.type, skipped: true };
    this.afterChange(flow, s, slot);
    this.advance(flow, s, slot.pos);
    return true;
  }

  private keep(flow: CompiledFlow, s: SessionState): boolean {
    const plan = this.plan(flow, s);
    const slot = s.mode === "asking" ? this.currentSlot(flow, s, plan) : undefined;
    if (!slot || (slot.kind !== "question" && slot.kind !== "more") || !isAnswered(slot, s, plan)) return false;
    this.advance(flow, s, slot.pos);
    return true;
  }

  private onAnswer(flow: CompiledFlow, s: SessionState, msg: AnswerInput): void {
    const plan = this.plan(flow, s);
    const idx = findSlot(plan, s.position);
    const slot = idx >= 0 ? plan[idx] : undefined;
    if (!slot || (slot.kind !== "question" && slot.kind !== "more")) {
      // The place no longer applies (answers changed): go to what is open now.
      return this.arrive(flow, s, plan, firstOpen(plan, s));
    }
    if (slot.kind === "more") return this.onMore(flow, s, slot, msg);
    const type = getType(slot.node.type);
    if (!type) return;
    const r = type.parse(slot.node, msg, this.qctx(flow, s, slot));
    if (r.ok === "partial") {
      s.scratch = r.scratch;
      const parts = type.prompt(slot.node, this.qctx(flow, s, slot));
      const skip = slot.node.optional ? [{ id: C.skip, label: this.t("engine.button.skip") }] : [];
      this.say(r.extra.join("\n"), [...(parts.choices ?? []), ...skip]);
      return;
    }
    if (r.ok === false) {
      if (msg.type === "media" && msg.media.storageKey) this.effects.push({ type: "media_discarded", storageKey: msg.media.storageKey });
      this.replies.push(this.questionMessage(flow, s, slot, { key: r.error, params: r.params ?? {} }));
      return;
    }
    const old = s.answers[slot.key];
    if (old && JSON.stringify(old.value) !== JSON.stringify(r.value)) this.discardMedia(old);
    s.answers[slot.key] = { value: r.value, type: slot.node.type };
    if (slot.group) this.touchGroup(s, slot.group, slot.pos.index ?? 0);
    if (!old || JSON.stringify(old.value) !== JSON.stringify(r.value)) this.afterChange(flow, s, slot);
    this.advance(flow, s, slot.pos);
  }

  private touchGroup(s: SessionState, g: GroupNode, index: number): void {
    const cur = s.groups[g.id] ?? { count: 0, done: false };
    s.groups[g.id] = { count: Math.max(cur.count, index + 1), done: cur.done };
  }

  /** An answer changed: answers that were checked against it are checked again (or asked again). */
  private afterChange(flow: CompiledFlow, s: SessionState, changed: Extract<Slot, { kind: "question" }>): void {
    const plan = this.plan(flow, s);
    for (const slot of plan) {
      if (slot.kind !== "question" || slot === changed) continue;
      const type = getType(slot.node.type);
      const refs = type?.references?.(slot.node) ?? [];
      if (!refs.some((r) => r.questionId === changed.node.id)) continue;
      if (changed.group && (slot.pos.index ?? -1) !== (changed.pos.index ?? -1)) continue;
      const a = s.answers[slot.key];
      if (!a || a.skipped) continue;
      if (type?.recheck?.(slot.node, a.value, this.qctx(flow, s, slot))) continue;
      this.discardMedia(a);
      delete s.answers[slot.key];
    }
  }

  private onMore(flow: CompiledFlow, s: SessionState, slot: Extract<Slot, { kind: "more" }>, msg: AnswerInput): void {
    let yes: boolean | undefined;
    if (msg.type === "choice") yes = msg.choiceId === C.yes ? true : msg.choiceId === C.no ? false : undefined;
    else if (msg.type === "text") {
      const r = parseYesNo(msg.text, { yes: this.t("q.yesno.yes"), no: this.t("q.yesno.no") });
      if (!r.ok) {
        this.replies.push(this.questionMessage(flow, s, slot, { key: r.error, params: r.params ?? {} }));
        return;
      }
      yes = r.value;
    }
    if (yes === undefined) {
      this.replies.push(this.questionMessage(flow, s, slot, { key: "engine.expect_choice", params: {} }));
      return;
    }
    const g = slot.group;
    if (yes) {
      const cur = s.groups[g.id] ?? { count: 0, done: false };
      s.groups[g.id] = { count: Math.max(cur.count, slot.index + 2), done: false };
    } else {
      // No more items: drop the ones after this (the person went back and said no).
      for (const key of Object.keys(s.answers)) {
        const [gid, i] = key.split(".");
        if (gid === g.id && Number(i) > slot.index) {
          this.discardMedia(s.answers[key]);
          delete s.answers[key];
        }
      }
      s.groups[g.id] = { count: slot.index + 1, done: true };
    }
    this.advance(flow, s, slot.pos);
  }

  // -------------------------------------------------------------------------------------------
  // Summary and changing an answer

  private editable(flow: CompiledFlow, s: SessionState, plan: Slot[]): Extract<Slot, { kind: "question" }>[] {
    const end = plan.findIndex((x) => x.kind === "summary" && x.pos.node === s.position.node);
    return plan
      .slice(0, end < 0 ? plan.length : end)
      .filter((x): x is Extract<Slot, { kind: "question" }> => x.kind === "question" && x.node.summary !== false && s.answers[x.key] !== undefined);
  }

  private answerText(flow: CompiledFlow, s: SessionState, slot: Extract<Slot, { kind: "question" }>): string {
    const a = s.answers[slot.key] as Answer;
    return a.skipped ? this.t("engine.summary.skipped") : this.display(flow, s, slot, a.value);
  }

  private summaryMessage(flow: CompiledFlow, s: SessionState, plan: Slot[], node: SummaryNode): Outbound {
    const lines: string[] = [];
    let item = "";
    for (const slot of this.editable(flow, s, plan)) {
      const here = slot.group ? `${slot.group.id}.${slot.pos.index}` : "";
      if (here !== item && slot.group) lines.push(this.t(slot.group.label, { ...itemParams(slot.item), n: (slot.pos.index ?? 0) + 1 }));
      item = here;
      lines.push(this.t("engine.summary.item", { label: this.t(slot.node.label), answer: clip(this.answerText(flow, s, slot), 300) }));
    }
    return {
      type: "text",
      text: [this.t(node.title, this.varParams(s)), lines.join("\n"), this.t("engine.summary.hint")].filter((x) => x !== "").join("\n\n"),
      choices: this.summaryChoices(),
    };
  }

  private summaryChoices(): Choice[] {
    return [
      { id: C.submit, label: this.t("engine.button.submit") },
      { id: C.edit, label: this.t("engine.button.edit") },
      { id: C.cancel, label: this.t("engine.button.cancel") },
    ];
  }

  private onSummary(flow: CompiledFlow, s: SessionState, msg: AnswerInput): void {
    const choice = msg.type === "choice" ? msg.choiceId : undefined;
    const said = msg.type === "text" ? foldCommand(msg.text) : "";
    if (choice === C.submit || this.tr.words("cmd.submit").includes(said)) {
      const plan = this.plan(flow, s);
      s.history.push(s.position);
      return this.walkFrom(flow, s, plan, findSlot(plan, s.position));
    }
    // "ubah 3" changes line 3 at once.
    const direct = /^(\S+)\s+(\d{1,3})$/.exec(said);
    if (direct && this.tr.words("cmd.edit").includes(direct[1] as string)) {
      const plan = this.plan(flow, s);
      const target = this.editable(flow, s, plan)[Number(direct[2]) - 1];
      if (target) return this.editAnswer(flow, s, plan, target);
    }
    if (choice === C.edit || this.tr.words("cmd.edit").includes(said)) {
      s.mode = "editing";
      this.replies.push(this.editMessage(flow, s));
      return;
    }
    this.say(this.t("engine.summary.hint"), this.summaryChoices());
  }

  private editMessage(flow: CompiledFlow, s: SessionState): Outbound {
    const plan = this.plan(flow, s);
    const list = this.editable(flow, s, plan);
    const lines = list.map((slot, i) => `${i + 1}. ${this.editLabel(slot)}: ${clip(this.answerText(flow, s, slot), 60)}`);
    return {
      type: "text",
      text: `${this.t("engine.edit.prompt")}\n\n${lines.join("\n")}`,
      choices: list.map((slot, i) => ({ id: `edit:${slot.key}`.slice(0, 64), label: clip(`${i + 1}. ${this.editLabel(slot)}`, 60) })),
    };
  }

  private editLabel(slot: Extract<Slot, { kind: "question" }>): string {
    const label = this.t(slot.node.label);
    return slot.group ? `${label} (${this.t(slot.group.label, { ...itemParams(slot.item), n: (slot.pos.index ?? 0) + 1 })})` : label;
  }

  private onEditing(flow: CompiledFlow, s: SessionState, msg: AnswerInput): void {
    const plan = this.plan(flow, s);
    const list = this.editable(flow, s, plan);
    let target: Extract<Slot, { kind: "question" }> | undefined;
    if (msg.type === "choice") target = list.find((x) => `edit:${x.key}`.slice(0, 64) === msg.choiceId);
    else if (msg.type === "text") {
      const r = parseChoice(
        msg.text,
        list.map((x) => ({ id: x.key, label: this.editLabel(x) })),
      );
      if (r.ok) target = list.find((x) => x.key === r.value);
    }
    if (!target) {
      this.say(this.t("engine.edit.unknown"));
      this.replies.push(this.editMessage(flow, s));
      return;
    }
    this.editAnswer(flow, s, plan, target);
  }

  private editAnswer(flow: CompiledFlow, s: SessionState, plan: Slot[], target: Extract<Slot, { kind: "question" }>): void {
    s.returnToSummary = true;
    this.arrive(flow, s, plan, plan.indexOf(target));
  }

  // -------------------------------------------------------------------------------------------
  // Rendering prompts

  /** Sends again whatever the person is being asked now (after help, a command, a language change). */
  private repeatPrompt(): void {
    const s = this.session;
    if (!s) return;
    this.replies.push(this.currentPrompt());
  }

  private currentPrompt(): Outbound {
    const s = this.session as SessionState;
    const flow = this.flowOf(s);
    if (s.overlay) return this.overlayPrompt(flow, s);
    const plan = this.plan(flow, s);
    if (s.mode === "editing") return this.editMessage(flow, s);
    const idx = findSlot(plan, s.position);
    const slot = idx >= 0 ? plan[idx] : undefined;
    if (s.mode === "summary" && slot?.kind === "summary") return this.summaryMessage(flow, s, plan, slot.node);
    if (slot && (slot.kind === "question" || slot.kind === "more")) return this.questionMessage(flow, s, slot);
    // The place vanished (answers changed); move to what is open.
    const open = firstOpen(plan, s);
    const target = open >= 0 ? plan[open] : undefined;
    if (target && (target.kind === "question" || target.kind === "more")) {
      s.position = target.pos;
      s.mode = "asking";
      return this.questionMessage(flow, s, target);
    }
    if (target?.kind === "summary") {
      s.position = target.pos;
      s.mode = "summary";
      return this.summaryMessage(flow, s, plan, target.node);
    }
    return { type: "text", text: this.t("engine.summary.hint"), choices: this.summaryChoices() };
  }

  private overlayPrompt(flow: CompiledFlow, s: SessionState): Outbound {
    const title = this.t(flow.def.title);
    switch (s.overlay) {
      case "confirm_cancel":
        return {
          type: "text",
          text: this.t("engine.cancel.confirm", { flow: title }),
          choices: [
            { id: C.cancelYes, label: this.t("engine.button.yes_cancel") },
            { id: C.cancelNo, label: this.t("engine.button.no_continue") },
          ],
        };
      case "choose_language":
        return { type: "text", text: this.t("engine.language.ask"), choices: this.languageChoices() };
      case "resume_offer":
        return {
          type: "text",
          text: this.t("engine.resume.offer", { flow: title }),
          choices: [
            { id: C.resume, label: this.t("engine.button.resume") },
            { id: C.restart, label: this.t("engine.button.restart") },
          ],
        };
      default: {
        const items = menuInFlow(this.c, this.person);
        return {
          type: "text",
          text: this.t("engine.menu.in_flow", { flow: title }),
          choices: [
            { id: C.continue, label: this.t("engine.button.continue") },
            ...items.map((m) => ({ id: `menu:${m.id}`, label: this.t(m.label) })),
          ],
        };
      }
    }
  }

  private questionMessage(
    flow: CompiledFlow,
    s: SessionState,
    slot: Extract<Slot, { kind: "question" | "more" }>,
    error?: { key: string; params: Record<string, string | number> },
  ): Outbound {
    const plan = this.plan(flow, s);
    const answered = isAnswered(slot, s, plan);
    const keep = answered ? [{ id: C.keep, label: this.t("engine.button.keep") }] : [];
    if (slot.kind === "more") {
      const more = slot.group.repeat?.more as string;
      const head = error
        ? `${this.t(error.key, error.params)}\n${this.t("engine.retry", { label: this.t(more, { n: slot.index + 1 }) })}`
        : this.t(more, { ...this.varParams(s), n: slot.index + 1 });
      return {
        type: "text",
        text: head,
        choices: [{ id: C.yes, label: this.t("q.yesno.yes") }, { id: C.no, label: this.t("q.yesno.no") }, ...keep],
      };
    }
    const node = slot.node;
    const type = getType(node.type);
    const ctx = this.qctx(flow, s, slot);
    const parts = type?.prompt(node, ctx) ?? {};
    const lines: string[] = [];
    if (error) {
      lines.push(this.t(error.key, error.params));
      lines.push(node.retry ? this.t(node.retry, ctx.params) : this.t("engine.retry", { label: this.t(node.label, ctx.params) }));
    } else {
      lines.push(this.t(node.prompt, ctx.params));
      if (parts.extra?.length) lines.push(parts.extra.join("\n"));
      const hints: string[] = [];
      const a = s.answers[slot.key];
      if (a) hints.push(this.t("engine.hint.previous", { answer: clip(a.skipped ? this.t("engine.summary.skipped") : this.display(flow, s, slot, a.value), 120) }));
      else if (ctx.params.current !== undefined) hints.push(this.t("engine.hint.current", { answer: clip(String(ctx.params.current), 120) }));
      if (node.optional) hints.push(this.t("engine.hint.optional"));
      if (hints.length) lines.push(hints.join("\n"));
    }
    const skip = node.optional ? [{ id: C.skip, label: this.t("engine.button.skip") }] : [];
    const choices = [...(parts.choices ?? []), ...keep, ...skip];
    return {
      type: "text",
      text: lines.join("\n\n"),
      ...(choices.length ? { choices } : {}),
      ...(parts.requestContact ? { requestContact: true } : {}),
      ...(parts.contactButtonLabel ? { contactButtonLabel: parts.contactButtonLabel } : {}),
    };
  }

  private helpText(flow: CompiledFlow, s: SessionState): string {
    const controls = this.t("engine.help.controls");
    if (s.overlay || s.mode !== "asking") return `${this.t("engine.summary.hint")}\n\n${controls}`;
    const slot = this.currentSlot(flow, s);
    if (slot?.kind === "question") {
      const key = slot.node.help ?? typeHelpKey(slot.node.type);
      return `${this.t(key, this.qctx(flow, s, slot).params)}\n\n${controls}`;
    }
    return `${this.t("engine.help.generic")}\n\n${controls}`;
  }

  // -------------------------------------------------------------------------------------------
  // Requests rendered from the person context

  private renderStatus(): string {
    const cases = this.person.cases ?? [];
    if (!this.person.isClient || cases.length === 0) return this.t("engine.status.none");
    const lines = cases.map((k) => {
      const created = typeof k.createdAt === "string" ? new Date(k.createdAt) : k.createdAt;
      const line = this.t("engine.status.line", {
        regNumber: k.regNumber,
        status: this.t(k.statusKey),
        date: formatIsoDate(toIso(todayIn(created)), this.lang),
      });
      return k.areaKey ? `${line}\n${this.t("engine.status.area", { area: this.t(k.areaKey) })}` : line;
    });
    return `${this.t("engine.status.header")}\n\n${lines.join("\n\n")}`;
  }

  private renderMyData(): string {
    if (!this.person.hasConsent) return this.t("engine.my_data.no_consent");
    const file = this.person.client ?? {};
    const lines: string[] = [];
    for (const [path, value] of Object.entries(file)) {
      if (value === undefined || value === null) continue;
      const q = findStoreQuestion(this.c, path);
      if (!q) continue;
      const type = getType(q.type);
      const ctx: QuestionContext = {
        tr: this.tr,
        lang: this.lang,
        now: this.now,
        person: this.person,
        regions: this.c.regions,
        answerOf: () => undefined,
        params: {},
        scratch: undefined,
      };
      const shown = type ? type.display(q, value, ctx) : String(value);
      lines.push(this.t("engine.summary.item", { label: this.t(q.label), answer: clip(shown, 200) }));
    }
    if (lines.length === 0) return `${this.t("engine.my_data.empty")}\n\n${this.t("engine.my_data.footer")}`;
    return `${this.t("engine.my_data.header")}\n\n${lines.join("\n")}\n\n${this.t("engine.my_data.footer")}`;
  }
}

/** The question that stores a path, in menu flows first (registration), to label and show a value on file. */
function findStoreQuestion(c: LoadedConversations, path: string): QuestionNode | undefined {
  const flows = [...c.flows.values()].sort((a, b) => Number(!!b.def.menu) - Number(!!a.def.menu));
  for (const f of flows) {
    for (const e of f.index.values()) if (isQuestion(e.node) && !e.group && e.node.store === path) return e.node;
  }
  return undefined;
}

function itemParams(item: Record<string, unknown> | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(item ?? {})) if (typeof v === "string" || typeof v === "number") out[`item.${k}`] = v;
  return out;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
