/**
 * One row per person (ConversationSession): the engine's session for their current flow, and the
 * desk's small state (what a staff member, or a client replying to their consultant, is typing).
 * The two live side by side in stateJson so neither overwrites the other.
 */
import type { TurnStore } from "./turn-store.js";
import { parseSession, sessionTimers, type SessionState, type TimerPolicy } from "../flows/session.js";
import type { Choice } from "../messaging/model.js";
import { readJson, ZConversationState, ZOfferedChoices } from "../db/json-columns.js";
import { ZAwaiting, type Awaiting, type PersonSession, type SessionChange } from "../desks/desk.js";

const ZStoredAwaiting = ZAwaiting.nullable().optional();

interface StoredState {
  engine: SessionState | null;
  awaiting: Awaiting | null;
}

/**
 * Reads stateJson: a value that is no JSON object fails loudly (JsonColumnError); a part that is
 * missing or of an older shape is dropped (not guessed), since both parts change with the code.
 */
function parseStored(json: string | undefined): StoredState {
  if (!json) return { engine: null, awaiting: null };
  const stored = readJson(ZConversationState, json);
  const awaiting = ZStoredAwaiting.safeParse(stored.awaiting);
  return { engine: stored.engine ? parseSession(stored.engine) : null, awaiting: awaiting.success ? (awaiting.data ?? null) : null };
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
  if (json === undefined) return { engine: null, awaiting: null };
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
  return { engine: stored.engine, awaiting: stored.awaiting, offered, status: row?.status ?? "idle" };
}

/** Save what changed; the other half of the state is kept as it was. */
export async function writeSession(
  store: TurnStore,
  identityId: string,
  now: Date,
  change: SessionChange,
  policy?: TimerPolicy,
): Promise<void> {
  const row = await store.session(identityId);
  const before = storedState(identityId, row?.stateJson);
  const next: StoredState = {
    engine: change.engine !== undefined ? change.engine : before.engine,
    awaiting: change.awaiting !== undefined ? change.awaiting : before.awaiting,
  };
  const engine = next.engine;
  // Timers move only when the engine's session does; other changes keep what is due.
  const timers = change.engine !== undefined || !row ? sessionTimers(engine, policy) : { nudgeAt: row.nudgeDueAt, expireAt: row.expireDueAt };
  const stateJson = JSON.stringify({ ...(engine ? { engine } : {}), awaiting: next.awaiting });
  remember(identityId, stateJson, next);
  const data = {
    stateJson,
    flowId: engine?.flowId ?? null,
    flowVersion: engine?.flowVersion ?? null,
    status: !engine ? "idle" : engine.expiredAt ? "expired" : "active",
    lastActivityAt: engine ? new Date(engine.lastActivityAt) : now,
    nudgeDueAt: timers.nudgeAt,
    expireDueAt: timers.expireAt,
    ...(change.offered !== undefined ? { offeredJson: change.offered && change.offered.length > 0 ? JSON.stringify(change.offered) : null } : {}),
  };
  await store.saveSession(identityId, data, now);
}
