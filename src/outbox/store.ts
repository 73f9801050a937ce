/**
 * What the outbox does in the database, one method per statement, implemented once per provider:
 * src/outbox/sqlite-store.ts (prepared statements on the embedded database's connection) and
 * src/outbox/postgres-store.ts (SQL in a PostgreSQL transaction). The rules that combine them live
 * in src/outbox/outbox.ts (writing) and src/outbox/sender.ts (sending); tests/outbox/contract.test.ts
 * holds both stores to the same expectations. Every method runs inside an open transaction.
 */

/**
 * Which of the sender's two lanes a row goes in: `live` answers what a person just wrote and goes
 * first, at once; `bulk` (reminders, digests, announcements) takes what the live lane leaves of the
 * channel's limit and never delays a live reply.
 */
export type Lane = "live" | "bulk";
export const LANES: readonly Lane[] = ["live", "bulk"];

/** A person as the outbox addresses them. */
export interface Recipient {
  id: string;
  channel: string;
  address: string;
}

/** A row to write: the payload is validated JSON, `seq` the next in the person's order. */
export interface NewOutboxRow {
  id: string;
  identityId: string;
  channel: string;
  address: string;
  payloadJson: string;
  idempotencyKey: string;
  seq: number;
  lane: Lane;
  /** Sent at most once (see `markSending`): an announcement to many people. */
  onceOnly: boolean;
}

/** A row leased to a sender. `attempts` counts this attempt. */
export interface ClaimedRow {
  id: string;
  identityId: string;
  channel: string;
  address: string;
  payloadJson: string;
  seq: number;
  attempts: number;
  /** Sent at most once: `markSending` before the channel is asked. */
  onceOnly: boolean;
  /**
   * Where `address` is a blind index (WhatsApp: src/security/address-index.ts), the real address,
   * sealed: read with the claim from the person's identity (one copy of the number, which follows an
   * identity merge and goes with an erasure), so the sender needs no read of its own. Null otherwise.
   */
  addressSealed?: string | null;
}

export interface ClaimRequest {
  now: Date;
  leaseUntil: Date;
  channels: string[];
  limit: number;
  instanceId: string;
  /** Only rows of this lane. */
  lane: Lane;
}

/** A sent row as a delivery status finds it (by the channel's id of what it sent). */
export interface DeliveredRow {
  id: string;
  identityId: string;
  attempts: number;
  payloadJson: string;
}

export interface OutboxStore {
  /** The keys among `keys` that have a row already. */
  existingKeys(keys: readonly string[]): Promise<Set<string>>;
  /** Channel and address of these identities (unknown ids are left out). */
  recipients(identityIds: readonly string[]): Promise<Recipient[]>;
  /**
   * PostgreSQL: each recipient's per-person advisory lock (the inbox's, transaction-scoped), taken in
   * key order. SQLite: nothing to do (one process writes, one transaction at a time).
   */
  lockRecipients(recipients: readonly Recipient[]): Promise<void>;
  /** The highest `seq` written for each identity (0 when none). */
  lastSeqs(identityIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * existingKeys and lastSeqs in one statement: a turn asks both, and on PostgreSQL each statement
   * is a round trip (a writer that must lock its recipients first asks them apart, the lock between).
   */
  keysAndSeqs(keys: readonly string[], identityIds: readonly string[]): Promise<{ existing: Set<string>; lastSeq: Map<string, number> }>;
  /** Writes pending rows due at `now`; a key written meanwhile is skipped. Returns how many were written. */
  insert(rows: readonly NewOutboxRow[], now: Date): Promise<number>;
  /**
   * Leases due rows (those whose lease ran out first) to `instanceId` and counts the attempt; a
   * `onceOnly` row marked sending whose lease ran out is failed as UNCERTAIN first, never claimed. A row
   * whose person has an earlier message waiting for a retry or out with a sender is not claimed, so
   * a person's messages go out in order.
   */
  claim(request: ClaimRequest): Promise<ClaimedRow[]>;
  /**
   * A `onceOnly` row is about to go to its channel: `sendingAt` marked, in a statement that commits
   * before the send. False when the row is no longer leased to `instanceId` (the send must not go).
   * A claim later finding a marked row whose lease ran out (its sender died with it out) fails it
   * as UNCERTAIN instead of sending it again: the person may have it, and a second copy of a
   * broadcast is worse than one missing (WhatsApp counts repeated messages against the number's
   * quality rating; people report them as spam).
   */
  markSending(id: string, instanceId: string, at: Date): Promise<boolean>;
  /** Rows sent; only those still out with a sender (a delivery status may have moved one on meanwhile). */
  markSent(ids: readonly string[], at: Date): Promise<void>;
  /**
   * One row sent, marked right after its send returned (with the channel's id of it, when it gave
   * one), so that a crash repeats at most the message that was out at that moment.
   */
  markOneSent(id: string, at: Date, providerMessageId: string | null): Promise<void>;
  /** Extends the lease of every row still out with `instanceId` to `leaseUntil` (a live sender's heartbeat). */
  renewLeases(instanceId: string, leaseUntil: Date): Promise<number>;
  /**
   * Every row out with a sender other than `instanceId` is due again at once: a lone process's
   * predecessor died with them (SQLite: one process owns the file). Returns how many.
   */
  takeBackClaims(instanceId: string, now: Date): Promise<number>;
  /** The channel's id of what it sent for this row (WhatsApp Cloud API wamid), so later statuses find it. */
  recordProviderMessageId(id: string, providerMessageId: string): Promise<void>;
  /**
   * The channel could not send the row yet (WhatsApp's customer-service window is closed and a
   * template asked the person to write): it waits, unclaimed, until `releaseHeld`. Only a row still
   * out with a sender; `lastError` stays (it explains the wait).
   */
  hold(id: string, providerMessageId: string | null): Promise<void>;
  /** The person wrote: their held rows are due at `now`. Returns how many. */
  releaseHeld(channel: string, address: string, now: Date): Promise<number>;
  /** The row that sent `providerMessageId` on `channel`, if any. */
  byProviderMessageId(channel: string, providerMessageId: string): Promise<DeliveredRow | null>;
  /** A delivery receipt: `deliveredAt` (and `readAt` when given) set once, never moved. */
  noteReceipt(id: string, deliveredAt: Date, readAt: Date | null): Promise<void>;
  /**
   * A sent row the channel reported failed for now: pending again at `nextAttemptAt`, its provider
   * id cleared (the same status repeated by the webhook then matches nothing).
   */
  requeue(id: string, nextAttemptAt: Date, error: string): Promise<void>;
  /**
   * Hands rows back unsent (the attempt does not count), due again at `nextAttemptAt` or when they
   * were; only rows still leased to `instanceId`.
   */
  release(ids: readonly string[], instanceId: string, nextAttemptAt: Date | null): Promise<void>;
  /** A send that failed for now: due again at `nextAttemptAt` (the attempt counts). */
  retryLater(id: string, nextAttemptAt: Date, error: string): Promise<void>;
  /** Given up: not sent, not tried again. */
  fail(ids: readonly string[], error: string): Promise<void>;
  /**
   * The rows of these keys that have not gone yet (pending, or held for WhatsApp's window) are
   * failed with `reason`: what caused them was withdrawn (an announcement stopped). A row out with a
   * sender goes on. Returns how many were stopped.
   */
  cancelPending(keys: readonly string[], reason: string): Promise<number>;
  /** The person cannot be reached (blocked the bot, account gone): marked so, their pending and held rows failed. */
  markUnreachable(identityId: string, at: Date): Promise<void>;
}

/** `lastError` of rows failed because their person cannot be reached. */
export const UNREACHABLE = "recipient unreachable";
/** `lastError` of a `onceOnly` row that was out when its sender died: it may have arrived; not sent again. */
export const UNCERTAIN = "uncertain: out with a sender that stopped; not sent again";

/** A row of keysAndSeqs: an existing key, or an identity with its highest seq. */
export interface KeyOrSeq {
  key: string | null;
  identityId: string | null;
  seq: number | null;
}

export function splitKeysAndSeqs(rows: readonly KeyOrSeq[]): { existing: Set<string>; lastSeq: Map<string, number> } {
  const existing = new Set<string>();
  const lastSeq = new Map<string, number>();
  for (const r of rows) {
    if (r.identityId !== null) lastSeq.set(r.identityId, Number(r.seq ?? 0));
    else if (r.key !== null) existing.add(r.key);
  }
  return { existing, lastSeq };
}
