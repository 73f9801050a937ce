/** How long a message that failed transiently waits: 5 s, 10 s, 20 s ... capped at 15 minutes. */
export function backoffMs(attempt: number): number {
  return Math.min(15 * 60_000, 5000 * 2 ** Math.max(0, attempt - 1));
}
