/**
 * Login CSRF: before sign-in there is no session and so no CSRF token, so the sign-in POST is
 * accepted only when the browser says it comes from our own pages. Stricter than `sameOrigin` (which
 * lets a missing or opaque Origin through because the CSRF token decides there):
 *  - Origin present: it must be the public origin or the host the request was served on;
 *    `Origin: null` (sandboxed frames, data: URLs, some redirects) is refused.
 *  - Origin absent (older browsers on some same-origin POSTs): Sec-Fetch-Site must be `same-origin`,
 *    or, when the browser sends no fetch metadata either, the Referer must be one of our pages.
 *  - Nothing to go on: refused. Every browser that can run the dashboard sends one of the three.
 */
import type { FastifyRequest } from "fastify";

export type LoginOriginVerdict = { ok: true } | { ok: false; reason: "opaque_origin" | "foreign_origin" | "cross_site_fetch" | "foreign_referer" | "no_origin" };

function ours(url: string, publicOrigin: string, servedHost: string | undefined): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return false;
    return u.origin === publicOrigin || (servedHost !== undefined && u.host === servedHost);
  } catch {
    return false;
  }
}

export function loginPostOrigin(publicOrigin: string, req: Pick<FastifyRequest, "headers">): LoginOriginVerdict {
  const h = req.headers;
  const servedHost = typeof h.host === "string" && h.host !== "" ? h.host : undefined;
  const origin = h.origin;
  if (typeof origin === "string" && origin !== "") {
    if (origin === "null") return { ok: false, reason: "opaque_origin" };
    return ours(origin, publicOrigin, servedHost) ? { ok: true } : { ok: false, reason: "foreign_origin" };
  }
  const site = h["sec-fetch-site"];
  if (typeof site === "string" && site !== "") return site === "same-origin" ? { ok: true } : { ok: false, reason: "cross_site_fetch" };
  const referer = h.referer;
  if (typeof referer === "string" && referer !== "") return ours(referer, publicOrigin, servedHost) ? { ok: true } : { ok: false, reason: "foreign_referer" };
  return { ok: false, reason: "no_origin" };
}
