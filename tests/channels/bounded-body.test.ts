/** The one rule for downloading a person's file: never hold more than the limit. */
import { describe, expect, it } from "vitest";
import { BodyInterruptedError, readBoundedBody } from "../../src/channels/bounded-body.js";

function streamed(chunks: Uint8Array[], fail?: Error): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]!);
      else if (fail) c.error(fail);
      else c.close();
    },
  });
  return new Response(body);
}

describe("readBoundedBody", () => {
  it("returns the bytes when they fit, exactly at the limit too", async () => {
    const got = await readBoundedBody(streamed([new Uint8Array(600), new Uint8Array(400)]), 1000);
    expect(got).toBeInstanceOf(Buffer);
    expect((got as Buffer).length).toBe(1000);
  });

  it("refuses at once when the announced length is over the limit", async () => {
    const res = new Response(new Uint8Array(10), { headers: { "content-length": "5000" } });
    expect(await readBoundedBody(res, 1000)).toBe("too_large");
  });

  it("stops as soon as the bytes received pass the limit, whatever was announced", async () => {
    expect(await readBoundedBody(streamed([new Uint8Array(800), new Uint8Array(800), new Uint8Array(800)]), 1000)).toBe("too_large");
  });

  it("says so when the body stops arriving halfway", async () => {
    const err = new Error("socket hang up");
    err.name = "TimeoutError";
    await expect(readBoundedBody(streamed([new Uint8Array(10)], err), 1000)).rejects.toEqual(new BodyInterruptedError("TimeoutError"));
  });
});
