/**
 * WhatsApp's customer-service window: a business may send free-form messages to a person only
 * within 24 hours of that person's last message; outside it only approved templates. The channel
 * records when each person last wrote (a port: src/db/whatsapp-window-store.ts keeps it in the
 * database, so a restart forgets nothing) and decides per send.
 */

export const WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Free text is sent only while this much of the window is left: a message that waits in the outbox,
 * is paced or retried must still arrive inside it, and clocks differ a little.
 */
export const WINDOW_SAFETY_MS = 15 * 60 * 1000;

export interface WindowState {
  /** When the person last wrote; null when unknown or WhatsApp reported the window closed. */
  lastInboundAt: Date | null;
  /** A template asking the person to reply went out then and is still unanswered (if after lastInboundAt). */
  noticeSentAt: Date | null;
  /** The person's language as the office knows it ("id", "en"), for the template's language. */
  language: string | null;
}

export interface WindowStore {
  get(address: string): Promise<WindowState>;
  /** The person wrote at `at` (kept if later than what is known). */
  personWrote(address: string, at: Date): Promise<void>;
  /** A template asking for a reply went out at `at`. */
  noticeSent(address: string, at: Date): Promise<void>;
  /**
   * WhatsApp said the window is closed (error 131047): forget the last inbound time, and any
   * earlier notice (free text went out after it, so it was answered; a new one may go).
   */
  closed(address: string): Promise<void>;
}

export function windowOpen(state: WindowState, now: Date): boolean {
  return state.lastInboundAt !== null && now.getTime() - state.lastInboundAt.getTime() < WINDOW_MS - WINDOW_SAFETY_MS;
}

/** A notice went out after the person last wrote and still waits for their answer. */
export function noticePending(state: WindowState): boolean {
  return state.noticeSentAt !== null && (state.lastInboundAt === null || state.noticeSentAt > state.lastInboundAt);
}

/** In memory, for tests and the contract suite. */
export class MemoryWindowStore implements WindowStore {
  private readonly rows = new Map<string, WindowState>();

  constructor(private readonly languages: Record<string, string> = {}) {}

  async get(address: string): Promise<WindowState> {
    return this.rows.get(address) ?? { lastInboundAt: null, noticeSentAt: null, language: this.languages[address] ?? null };
  }

  async personWrote(address: string, at: Date): Promise<void> {
    const s = await this.get(address);
    if (s.lastInboundAt === null || at > s.lastInboundAt) this.rows.set(address, { ...s, lastInboundAt: at });
  }

  async noticeSent(address: string, at: Date): Promise<void> {
    this.rows.set(address, { ...(await this.get(address)), noticeSentAt: at });
  }

  async closed(address: string): Promise<void> {
    this.rows.set(address, { ...(await this.get(address)), lastInboundAt: null, noticeSentAt: null });
  }
}
