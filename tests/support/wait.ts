/** Waiting in tests without sleeping: re-check a condition each time an emitter says something changed. */
import type { EventEmitter } from "node:events";

/** Resolves once `condition()` holds (checked on every `event`), or rejects after `timeoutMs` naming `what`. */
export function waitForChange(emitter: EventEmitter, event: string, condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (!condition()) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      emitter.off(event, check);
    };
    emitter.on(event, check);
  });
}

/**
 * Resolves once `condition()` holds, for state no emitter announces (rows the service writes by
 * itself): checked again every 10 ms, rejecting after `timeoutMs` naming `what`.
 */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface SettlingDb {
  processedInbound: { count(a?: { where: { channel: string; messageId: string } }): Promise<number> };
  outboxMessage: { count(a: { where: { status: { in: string[] } } }): Promise<number> };
}

/** A running service has handled `handled` inbound updates and sent every reply it wrote. */
export async function serviceSettled(db: SettlingDb, handled: number, timeoutMs = 15_000): Promise<void> {
  await until(`${handled} updates handled`, async () => (await db.processedInbound.count()) >= handled, timeoutMs);
  await until("outbox drained", async () => (await db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0, timeoutMs);
}

/** A running service has handled this Telegram update (by its update_id) and sent every reply it wrote. */
export async function telegramUpdateSettled(db: SettlingDb, updateId: number, timeoutMs = 15_000): Promise<void> {
  await until(`update ${updateId} handled`, async () => (await db.processedInbound.count({ where: { channel: "telegram", messageId: String(updateId) } })) === 1, timeoutMs);
  await until("outbox drained", async () => (await db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0, timeoutMs);
}
