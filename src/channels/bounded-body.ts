/**
 * Reads a vendor's file download (Telegram's file URL, the Graph API's media URL) without ever
 * holding more than the limit: refused at once when the announced length is over it, and cut off as
 * soon as the bytes received pass it. Shared by the channels so the rule is written once.
 */

/** The body stopped arriving halfway (network, timeout); `what` names what the runtime said. */
export class BodyInterruptedError extends Error {
  constructor(readonly what: string) {
    super(`download interrupted: ${what}`);
    this.name = "BodyInterruptedError";
  }
}

/** The response's bytes, or "too_large" when they are (or would be) more than `maxBytes`. */
export async function readBoundedBody(res: Response, maxBytes: number): Promise<Buffer | "too_large"> {
  const announced = Number(res.headers.get("content-length") ?? "NaN");
  if (announced > maxBytes) {
    await res.body?.cancel();
    return "too_large";
  }
  if (res.body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return "too_large";
      }
      chunks.push(Buffer.from(value));
    }
  } catch (err) {
    throw new BodyInterruptedError(err instanceof Error ? err.name : "error");
  }
  return Buffer.concat(chunks, total);
}
