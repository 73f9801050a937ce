/**
 * Baileys auth state kept in a key-value table instead of files.
 *
 * Mirrors Baileys' own `useMultiFileAuthState` (same value encoding with `BufferJSON`, the same
 * conversion of `app-state-sync-key` values on read), but over a tiny store interface so the
 * lead can back it with a Prisma table (`model WhatsAppAuth { key String @id, value String }`).
 *
 * Layout: the credentials live under the key `creds`; each signal key under `${type}/${id}`
 * (types never contain "/", ids may contain ":" or "."), e.g. `session/62812345678.0`.
 *
 * Every `keys.set` call is written with ONE `setMany` call (Baileys batches the keys of one
 * transaction into one `set`), so a crash cannot leave half a transaction behind as long as the
 * store applies `setMany` atomically. All writes go through one queue, in call order, and reads
 * wait for the writes queued before them, so a read never sees a value older than a write that
 * was already requested.
 */
import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
} from "@whiskeysockets/baileys";

/** The storage the auth state needs. Values are JSON text (BufferJSON encoding). */
export interface AuthKeyValueStore {
  get(key: string): Promise<string | null>;
  /** Write all entries at once (one transaction); a `null` value deletes the key. */
  setMany(entries: Record<string, string | null>): Promise<void>;
  /**
   * Optional: delete every entry. Used when the WhatsApp session was logged out and the office
   * pairs the number again (stale signal sessions of the old login must not survive).
   * A Prisma store implements it as `deleteMany({})`.
   */
  clear?(): Promise<void>;
}

export const CREDS_KEY = "creds";

export function signalKey(type: keyof SignalDataTypeMap, id: string): string {
  return `${type}/${id}`;
}

export function encodeAuthValue(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

export function decodeAuthValue<T>(text: string): T {
  return JSON.parse(text, BufferJSON.reviver) as T;
}

export interface DatabaseAuthState {
  state: AuthenticationState;
  /** Persist `state.creds`; wire it to the socket's `creds.update` event. */
  saveCreds: () => Promise<void>;
  /**
   * Forget the login: fresh credentials in `state.creds` (saved), and every stored key deleted
   * when the store supports `clear`. The next socket made with `state` shows a new QR code.
   */
  reset: () => Promise<void>;
}

export async function useDatabaseAuthState(store: AuthKeyValueStore): Promise<DatabaseAuthState> {
  // One queue for every write; reads wait for the writes requested before them.
  let writes: Promise<void> = Promise.resolve();
  const enqueueWrite = (work: () => Promise<void>): Promise<void> => {
    const run = writes.then(work);
    // Keep the queue alive after a failed write; the caller still sees the failure.
    writes = run.catch(() => undefined);
    return run;
  };
  const read = async (key: string): Promise<string | null> => {
    await writes;
    return store.get(key);
  };

  const storedCreds = await read(CREDS_KEY);
  const creds: AuthenticationCreds = storedCreds
    ? decodeAuthValue<AuthenticationCreds>(storedCreds)
    : initAuthCreds();

  const state: AuthenticationState = {
    creds,
    keys: {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const data: { [id: string]: SignalDataTypeMap[T] } = {};
        await Promise.all(
          ids.map(async (id) => {
            const text = await read(signalKey(type, id));
            if (text === null) return;
            let value = decodeAuthValue<SignalDataTypeMap[T]>(text);
            if (type === "app-state-sync-key" && value) {
              value = proto.Message.AppStateSyncKeyData.fromObject(
                value as object,
              ) as unknown as SignalDataTypeMap[T];
            }
            data[id] = value;
          }),
        );
        return data;
      },
      set: async (data: SignalDataSet) => {
        const entries: Record<string, string | null> = {};
        for (const type of Object.keys(data) as (keyof SignalDataTypeMap)[]) {
          const byId = data[type];
          if (!byId) continue;
          for (const [id, value] of Object.entries(byId)) {
            entries[signalKey(type, id)] = value === null || value === undefined ? null : encodeAuthValue(value);
          }
        }
        if (Object.keys(entries).length === 0) return;
        await enqueueWrite(() => store.setMany(entries));
      },
      clear: async () => {
        if (store.clear) await enqueueWrite(() => store.clear!());
      },
    },
  };

  const saveCreds = (): Promise<void> =>
    enqueueWrite(() => store.setMany({ [CREDS_KEY]: encodeAuthValue(state.creds) }));

  const reset = async (): Promise<void> => {
    if (store.clear) await enqueueWrite(() => store.clear!());
    state.creds = initAuthCreds();
    await saveCreds();
  };

  return { state, saveCreds, reset };
}

/** An in-memory `AuthKeyValueStore` for tests and throwaway runs. */
export class MemoryAuthStore implements AuthKeyValueStore {
  readonly map = new Map<string, string>();
  /** Each `setMany` call, in order (tests check that one keys.set is one write). */
  readonly writes: Record<string, string | null>[] = [];

  async get(key: string): Promise<string | null> {
    return this.map.get(key) ?? null;
  }

  async setMany(entries: Record<string, string | null>): Promise<void> {
    this.writes.push({ ...entries });
    for (const [key, value] of Object.entries(entries)) {
      if (value === null) this.map.delete(key);
      else this.map.set(key, value);
    }
  }

  async clear(): Promise<void> {
    this.map.clear();
  }
}

export function createMemoryAuthStore(): MemoryAuthStore {
  return new MemoryAuthStore();
}
