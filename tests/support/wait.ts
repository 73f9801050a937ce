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
