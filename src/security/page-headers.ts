/**
 * The security headers of the HTML pages people open in a browser (the staff dashboard, the web
 * chat), as @fastify/helmet options. Both pages carry their CSS (and the chat its script) inline
 * and load nothing from elsewhere, so the Content-Security-Policy starts from nothing
 * (default-src 'none') and allows each inline block by its hash or a per-response nonce: no
 * 'unsafe-inline' anywhere.
 */
import crypto from "node:crypto";
import type { FastifyHelmetOptions } from "@fastify/helmet";

export interface PageHeaderOptions {
  /** The site is reached over https (PUBLIC_URL): browsers are told to keep to it (HSTS). */
  secure: boolean;
  /**
   * "same-origin" where forms are posted (with "no-referrer" browsers send `Origin: null` on
   * every POST, which the dashboard's same-origin check must then let through); else "no-referrer".
   */
  referrer: "same-origin" | "no-referrer";
  /** The page's own directives beside default-src 'none', base-uri 'none' and frame-ancestors 'none'. */
  directives: Record<string, string[]>;
}

export function pageHeaders(o: PageHeaderOptions): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { "default-src": ["'none'"], "base-uri": ["'none'"], "frame-ancestors": ["'none'"], ...o.directives },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: o.referrer },
    // Over plain http (a test, a LAN address) the header means nothing, and it must not pin a name.
    ...(o.secure ? {} : { strictTransportSecurity: false }),
  };
}

/** The CSP source that allows exactly this inline <style> or <script> text. */
export function inlineHash(text: string): string {
  return `'sha256-${crypto.createHash("sha256").update(text, "utf8").digest("base64")}'`;
}
