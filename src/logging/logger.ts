/**
 * pino, with personal data kept out: known sensitive fields are redacted by path, and any string
 * that still looks like a NIK, a phone number or a bot token is masked by a formatter.
 */
import pino, { type Logger } from "pino";

export type { Logger };

const SENSITIVE_KEYS = [
  "nik", "phone", "token", "text", "password", "secret", "address", "email", "fullName", "name",
  "caption", "bytes", "authorization", "cookie", "appSecret", "verifyToken", "signature", "x-hub-signature-256",
];

const NIK = /\b\d{16}\b/g;
const PHONE = /(\+?62[\s-]?|\b0)8\d[\d\s-]{6,13}\d/g;
const BOT_TOKEN = /\b\d{6,}:[A-Za-z0-9_-]{30,}\b/g;
/** Meta access tokens (WhatsApp Cloud API) start with EAA and run to 100+ characters. */
const META_TOKEN = /\bEAA[A-Za-z0-9]{20,}\b/g;
/** Secrets that travel in query strings and headers: the webhook handshake's token, a request signature. */
const QUERY_SECRET = /\b(hub\.verify_token|access_token)=[^&\s"]+/g;
const SIGNATURE = /\bsha256=[0-9a-f]{64}\b/g;
const JID = /\b\d{6,}@(s\.whatsapp\.net|lid|c\.us)\b/g;

/** Mask what looks like personal data inside a free string (error messages, URLs). */
export function scrub(s: string): string {
  for (const secret of knownSecrets) if (s.includes(secret)) s = s.split(secret).join("<secret>");
  return s
    .replace(BOT_TOKEN, "<token>")
    .replace(META_TOKEN, "<token>")
    .replace(QUERY_SECRET, "$1=<secret>")
    .replace(SIGNATURE, "sha256=<signature>")
    .replace(NIK, (m) => `${m.slice(0, 4)}************`)
    .replace(JID, (_m, host: string) => `<jid>@${host}`)
    .replace(PHONE, "<phone>");
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[deep]";
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: scrub(value.message), stack: value.stack ? scrub(value.stack) : undefined };
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SENSITIVE_KEYS.includes(k) ? "[redacted]" : scrubDeep(v, depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * Human-readable lines for a person at a terminal (pino-pretty, in this process so nothing extra
 * runs); JSON lines stay the format for everything else (files, log collectors, tests). Loaded only
 * when needed, so a service writing JSON does not carry it.
 */
export async function terminalDestination(stream: NodeJS.WriteStream = process.stdout): Promise<pino.DestinationStream | undefined> {
  if (!stream.isTTY) return undefined;
  const { default: pretty } = await import("pino-pretty");
  return pretty({ destination: stream, colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "area", singleLine: true, sync: true });
}

/** Exact values masked wherever they appear (tokens and secrets from the configuration). */
const knownSecrets = new Set<string>();

/**
 * Values never to be written to a log, whatever their shape (an app secret is just hex). Short
 * values are ignored: masking "abc" everywhere would garble logs and hide nothing worth hiding.
 */
export function registerSecrets(...values: Array<string | undefined>): void {
  for (const v of values) if (v && v.length >= 8) knownSecrets.add(v);
}

export function createLogger(opts: { level: string; destination?: pino.DestinationStream; secrets?: Array<string | undefined> }): Logger {
  registerSecrets(...(opts.secrets ?? []));
  return pino(
    {
      level: opts.level,
      base: undefined,
      formatters: { log: (obj) => scrubDeep(obj) as Record<string, unknown> },
      hooks: {
        // The message string itself is scrubbed too.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === "string" ? scrub(a) : a)) as Parameters<typeof method>;
          return method.apply(this, scrubbed);
        },
      },
      serializers: { err: (e: unknown) => scrubDeep(e) },
    },
    opts.destination,
  );
}
