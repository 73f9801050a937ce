/**
 * The few Graph API calls the Cloud API channel makes, over plain fetch: send a message, upload a
 * document, look up and download an inbound file. Errors are GraphApiError with Meta's code, and
 * never carry the token (it travels only in the Authorization header, never in a URL).
 */
import { BodyInterruptedError, readBoundedBody } from "../bounded-body.js";
import { z } from "zod";

/** Meta's error object (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
export const ZGraphError = z.looseObject({
  code: z.number().int(),
  message: z.string().optional(),
  type: z.string().optional(),
  error_subcode: z.number().int().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  title: z.string().optional(),
});
export type GraphErrorBody = z.infer<typeof ZGraphError>;

export class GraphApiError extends Error {
  constructor(
    /** What was asked ("send", "upload", "media", "download"): no URL, no token. */
    readonly operation: string,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly httpStatus: number,
    /** Meta's error code (131026, 130429 ...), when it sent one. */
    readonly code: number | undefined,
    readonly detail: string,
  ) {
    super(`WhatsApp Cloud API ${operation} failed: ${httpStatus === 0 ? "no answer" : `HTTP ${httpStatus}`}${code !== undefined ? ` code ${code}` : ""}${detail ? ` (${detail})` : ""}`);
    this.name = "GraphApiError";
  }
}

const ZSendResponse = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1),
});
const ZUploadResponse = z.looseObject({ id: z.string().min(1) });
export const ZMediaInfo = z.looseObject({
  url: z.url(),
  mime_type: z.string().optional(),
  file_size: z.coerce.number().int().nonnegative().optional(),
  id: z.string().optional(),
});
export type MediaInfo = z.infer<typeof ZMediaInfo>;

export interface GraphApiOptions {
  /** e.g. https://graph.facebook.com/v23.0 */
  apiRoot: string;
  token: string;
  phoneNumberId: string;
  /** Per request; a download gets twice this. */
  timeoutMs?: number;
}

/** Meta's error texts may quote what was sent; keep digits runs (phone numbers) and the token out. */
function clean(text: string, token: string): string {
  return text.split(token).join("<token>").replace(/\d{8,}/g, "…").slice(0, 300);
}

export class GraphApi {
  private readonly root: string;
  private readonly timeoutMs: number;

  constructor(private readonly o: GraphApiOptions) {
    this.root = o.apiRoot.replace(/\/+$/, "");
    this.timeoutMs = o.timeoutMs ?? 20_000;
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.o.token}` };
  }

  private async call(operation: string, url: string, init: RequestInit, timeoutMs = this.timeoutMs): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new GraphApiError(operation, 0, undefined, err instanceof Error ? err.name : "network error");
    }
  }

  private async fail(operation: string, res: Response): Promise<never> {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const parsed = ZGraphError.safeParse((body as { error?: unknown } | undefined)?.error);
    if (!parsed.success) throw new GraphApiError(operation, res.status, undefined, "");
    const e = parsed.data;
    const detail = [e.message, e.error_data?.details].filter(Boolean).join(": ");
    throw new GraphApiError(operation, res.status, e.code, clean(detail, this.o.token));
  }

  /** POST /{phone-number-id}/messages; returns the message id (wamid). */
  async sendMessage(payload: Record<string, unknown>): Promise<string> {
    const res = await this.call("send", `${this.root}/${this.o.phoneNumberId}/messages`, {
      method: "POST",
      headers: { ...this.auth(), "content-type": "application/json" },
      body: JSON.stringify({ messaging_product: "whatsapp", ...payload }),
    });
    if (!res.ok) return this.fail("send", res);
    const parsed = ZSendResponse.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new GraphApiError("send", res.status, undefined, "answer without a message id");
    return parsed.data.messages[0]!.id;
  }

  /** POST /{phone-number-id}/media (multipart); returns the media id to send by. */
  async uploadMedia(bytes: Buffer, mimeType: string, fileName: string): Promise<string> {
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", mimeType);
    form.set("file", new Blob([new Uint8Array(bytes)], { type: mimeType }), fileName);
    const res = await this.call("upload", `${this.root}/${this.o.phoneNumberId}/media`, { method: "POST", headers: this.auth(), body: form }, this.timeoutMs * 2);
    if (!res.ok) return this.fail("upload", res);
    const parsed = ZUploadResponse.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new GraphApiError("upload", res.status, undefined, "answer without a media id");
    return parsed.data.id;
  }

  /** GET /{media-id}: the short-lived URL, type and size of an inbound file. */
  async mediaInfo(mediaId: string): Promise<MediaInfo> {
    const url = `${this.root}/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(this.o.phoneNumberId)}`;
    const res = await this.call("media", url, { headers: this.auth() });
    if (!res.ok) return this.fail("media", res);
    const parsed = ZMediaInfo.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new GraphApiError("media", res.status, undefined, "answer without a media URL");
    return parsed.data;
  }

  /**
   * Downloads a media URL with the token, stopping as soon as it exceeds `maxBytes`.
   * Returns "too_large" then.
   */
  async download(url: string, maxBytes: number): Promise<Buffer | "too_large"> {
    const res = await this.call("download", url, { headers: this.auth() }, this.timeoutMs * 3);
    if (!res.ok) {
      await res.body?.cancel();
      throw new GraphApiError("download", res.status, undefined, "");
    }
    try {
      return await readBoundedBody(res, maxBytes);
    } catch (err) {
      if (err instanceof BodyInterruptedError) throw new GraphApiError("download", 0, undefined, `interrupted: ${err.what}`);
      throw err;
    }
  }
}
