/**
 * One row per person (ConversationSession): the engine's session for their current flow (a client's
 * form, or what a staff member is typing), and the office's buttons last offered to them.
 */
import type { TurnStore } from "./turn-store.js";
import { parseSession, sessionTimers, type SessionState, type TimerPolicy } from "../flows/session.js";
import type { Choice } from "../messaging/model.js";
import { readJson, ZConversationState, ZOfferedChoices, writeJson } from "../db/json-columns.js";
import type { PersonSession, SessionChange } from "../desks/desk.js";
import { sealIfKeyed, unseal } from "../security/at-rest.js";


interface StoredState {
  engine: SessionState | null;
}

/**
 * Reads stateJson: a value that is no JSON object fails loudly (JsonColumnError); a part that is
 * missing or of an older shape is dropped (not guessed), since both parts change with the code.
 */
function parseStored(json: string | undefined): StoredState {
  if (!json) return { engine: null };
  // A stored `awaiting` (the staff desk's own state before its inputs became flows) is ignored.
  // Sealed (src/security/at-rest.ts): the answers of a form being filled hold NIK, phone and address.
  const stored = readJson(ZConversationState, unseal(json));
  return { engine: stored.engine ? parseSession(stored.engine) : null };
}

/**
 * The last state read or written per person, with its JSON: each turn reads what the turn before
 * wrote, and parsing and validating it again was a tenth of a turn. A hit needs the stored text to
 * be exactly the one cached, so a change made elsewhere (another instance) is always read afresh.
 * The cached objects are shared: readers must not change them (the engine works on a copy).
 */
const lastState = new Map<string, { json: string; state: StoredState }>();
const LAST_STATE_LIMIT = 5_000;

function remember(identityId: string, json: string, state: StoredState): void {
  if (lastState.size >= LAST_STATE_LIMIT && !lastState.has(identityId)) lastState.clear();
  lastState.set(identityId, { json, state });
}

function storedState(identityId: string, json: string | undefined): StoredState {
  if (json === undefined) return { engine: null };
  const cached = lastState.get(identityId);
  if (cached && cached.json === json) return cached.state;
  const state = parseStored(json);
  remember(identityId, json, state);
  return state;
}

export async function readSession(store: TurnStore, identityId: string): Promise<PersonSession> {
  const row = await store.session(identityId);
  const stored = storedState(identityId, row?.stateJson);
  const offered: Choice[] = row?.offeredJson ? readJson(ZOfferedChoices, row.offeredJson) : [];
  return { engine: stored.engine, offered, status: row?.status ?? "idle", nudgeDueAt: row?.nudgeDueAt ?? null, expireDueAt: row?.expireDueAt ?? null };
}

/** Save what changed; what the change does not name is kept as it was. */
export async function writeSession(
  store: TurnStore,
  identityId: string,
  now: Date,
  change: SessionChange,
  policy?: TimerPolicy,
): Promise<void> {
  // The row as it is matters only when the engine's session is kept (a change of the offered
  // buttons alone): a new engine session replaces it whole, timers included, and is not read first
  // (on PostgreSQL every read is a round trip, and an engine turn writes its session every time).
  const row = change.engine !== undefined ? null : await store.session(identityId);
  const engine = change.engine !== undefined ? change.engine : storedState(identityId, row?.stateJson).engine;
  const next: StoredState = { engine };
  // Timers move only when the engine's session does (or there was no row); other changes keep what is due.
  const timers = row ? { nudgeAt: row.nudgeDueAt, expireAt: row.expireDueAt } : sessionTimers(engine, policy);
  const stateJson = sealIfKeyed(writeJson(ZConversationState, engine ? { engine } : {}));
  remember(identityId, stateJson, next);
  const data = {
    stateJson,
    flowId: engine?.flowId ?? null,
    flowVersion: engine?.flowVersion ?? null,
    status: !engine ? "idle" : engine.expiredAt ? "expired" : "active",
    lastActivityAt: engine ? new Date(engine.lastActivityAt) : now,
    nudgeDueAt: timers.nudgeAt,
    expireDueAt: timers.expireAt,
    ...(change.offered !== undefined ? { offeredJson: change.offered && change.offered.length > 0 ? writeJson(ZOfferedChoices, change.offered) : null } : {}),
  };
  await store.saveSession(identityId, data, now);
}
