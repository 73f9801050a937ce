/**
 * A desk is the part of the office that answers a turn: invitation codes, staff commands, reminder
 * answers, the client's conversation. The inbox (src/conversation/) asks them in order and gives each
 * the turn it runs; desks see the turn through `DeskTurn` and import nothing from the inbox.
 */
import type { Person, TurnPort } from "../domain/port.js";
import type { EngineMessage } from "../flows/model.js";
import type { SessionState, TimerPolicy } from "../flows/session.js";
import type { Lang, Texts, Translator } from "../i18n/index.js";
import type { Choice, Inbound, Outbound } from "../messaging/model.js";

/** The turn's identity as the desks keep it up to date (a registration links a client, a code a staff member). */
export interface TurnIdentity extends Person {
  address: string;
  language: string;
  remindersOn: boolean;
  /** As the channel last reported it (absent where the caller did not load it). */
  displayName?: string | null;
}

/** A person's conversation state: the engine's session (staff inputs are flows too) and the buttons last offered. */
export interface PersonSession {
  engine: SessionState | null;
  offered: Choice[];
  /** idle | active | expired */
  status: string;
  /** When the scheduler's nudge and expiry fall due (null: not planned). */
  nudgeDueAt: Date | null;
  expireDueAt: Date | null;
}

export type SessionChange = { engine?: SessionState | null; offered?: Choice[] | null };

/** An identity as stored now (re-read: this turn may have changed it). */
export interface StoredIdentity {
  clientId: string | null;
  language: string;
  remindersOn: boolean;
  consentedAt: Date | null;
}

export interface DeskTurn extends TurnPort {
  readonly identity: TurnIdentity;
  readonly texts: Texts;
  /** Texts in a language (the sender's by default). */
  translator(lang?: Lang): Translator;
  /** A message already in the recipient's language (the engine's replies). */
  send(identityId: string, message: Outbound): void;
  readSession(identityId: string): Promise<PersonSession>;
  /** Saves what changed; the rest of the session stays as it was. */
  writeSession(identityId: string, change: SessionChange, policy?: TimerPolicy): Promise<void>;
  loadIdentity(identityId: string): Promise<StoredIdentity | null>;
  /** Someone's language changed in this turn: later messages to them use it. */
  languageChanged(identityId: string, lang: Lang): void;
}

/** Something that may handle a turn: staff commands, invitation codes, the client conversation. */
export interface Desk {
  /** Returns true when it handled the message (the next desks are not asked). */
  handle(turn: DeskTurn, message: EngineMessage, inbound: Inbound | null): Promise<boolean>;
}

/** Runs a client flow inside a turn (the client desk, wired by the composition root). */
export type ClientFlowStarter = (turn: DeskTurn, identityId: string, flowId: string, vars: Record<string, unknown>) => Promise<void>;
