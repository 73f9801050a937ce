/**
 * The only reader of process.env. One zod schema describes every setting; a wrong value stops the
 * start with a message that names the variable and what is allowed.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM, e.g. 07:00");

/** Every setting, its default and what it means. README's table is checked against this list. */
export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .default("file:./data/plut.db")
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), {
      message: "a SQLite URL (file:./data/plut.db) or a PostgreSQL URL (postgresql://user@host:5432/db)",
    }),
  DATA_DIR: z.string().min(1).default("./data"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The address people use to reach the web pages (sign-in links, web chat); defaults to http://HOST:PORT. */
  PUBLIC_URL: z.url().optional(),
  TZ: z
    .string()
    .default("Asia/Makassar")
    .refine((tz) => isTimeZone(tz), { message: "an IANA time zone such as Asia/Makassar" }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Office code in registration numbers: PLUT-<OFFICE_CODE>-2026-000123. */
  OFFICE_CODE: z.string().regex(/^[A-Z]{2,6}$/, "2 to 6 capital letters, e.g. GIA").default("GIA"),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "a bot token from @BotFather, like 123456:ABC-...")
    .optional(),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  /**
   * Telegram's overall sending limit (about 30 messages a second; a bot with Paid Broadcasts may
   * send up to 1000). The outbox paces to it (src/outbox/rate-limit.ts).
   */
  TELEGRAM_MESSAGES_PER_SECOND: z.coerce.number().min(1).max(1000).default(30),
  /**
   * Messages one Telegram chat gets a second after a burst of three (Telegram allows about one).
   * Raise it only for a Bot API server without Telegram's limits: a local stand-in, as in the
   * crash test (tests/crash/kill-restart.test.ts), where thirty registrations at one message a
   * second per chat would not fit its time bound.
   */
  TELEGRAM_CHAT_MESSAGES_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(1),
  TELEGRAM_WEBHOOK_URL: z.url().optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "16 to 256 characters of A-Z, a-z, 0-9, _ and -")
    .optional(),
  WHATSAPP_ENABLED: bool.default(false),
  /** Pair WhatsApp by a code for this phone number instead of a QR code (digits, country code first). */
  WHATSAPP_PAIRING_PHONE: z.string().regex(/^\d{8,15}$/, "digits only, country code first, e.g. 6281234567890").optional(),
  /** WhatsApp Business Platform (Cloud API): on when the token and the phone-number id are set. */
  WHATSAPP_CLOUD_TOKEN: z.string().regex(/^[A-Za-z0-9_|.-]{20,}$/, "an access token from Meta (a system user token for production)").optional(),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z.string().regex(/^\d{5,30}$/, "the numeric phone-number id from WhatsApp Manager (not the phone number)").optional(),
  /** The Meta app's secret: every webhook POST is checked against its X-Hub-Signature-256. */
  WHATSAPP_CLOUD_APP_SECRET: z.string().min(16, "the app secret from the Meta app's Basic settings").optional(),
  /** Any string you choose; Meta sends it back in the webhook verification handshake. */
  WHATSAPP_CLOUD_VERIFY_TOKEN: z.string().regex(/^[\x21-\x7e]{8,200}$/, "8 to 200 printable characters without spaces").optional(),
  /** Graph API root with a pinned version; another root for a proxy or the tests' stand-in. */
  WHATSAPP_CLOUD_API_ROOT: z.url().default("https://graph.facebook.com/v23.0"),
  WEB_CHAT_ENABLED: bool.default(true),
  /** 32 bytes as 64 hex characters: encrypts identity photos and NIK. Generated into DATA_DIR in development. */
  ENCRYPTION_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, "64 hex characters (32 bytes); `openssl rand -hex 32`").optional(),
  /** Signs dashboard cookies; generated into DATA_DIR in development. */
  SESSION_SECRET: z.string().min(32, "at least 32 characters").optional(),
  CONVERSATIONS_DIR: z.string().min(1).default("./conversations"),
  NUDGE_AFTER_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  SESSION_EXPIRE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  QUIET_HOURS_START: hhmm.default("21:00"),
  QUIET_HOURS_END: hhmm.default("07:00"),
  /** Working days, 1 = Monday ... 7 = Sunday. */
  WORKING_DAYS: z
    .string()
    .regex(/^[1-7](,[1-7])*$/, "day numbers 1 (Monday) to 7 (Sunday), comma separated")
    .default("1,2,3,4,5,6"),
  WORKING_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "a range like 08:00-16:00")
    .default("08:00-16:00"),
  /** File with the office's holidays (YAML list of dates), relative to CONVERSATIONS_DIR. */
  HOLIDAYS_FILE: z.string().default("holidays.yaml"),
  SCHEDULER_ENABLED: bool.default(true),
  MAX_UPLOAD_MB: z.coerce.number().min(1).max(50).default(10),
  /** A client's personal data is erased this many years after their last case closed (the consent text says five). */
  RETENTION_YEARS: z.coerce.number().int().min(1).max(30).default(5),
  /** Working days the office takes to answer a complaint; past it the head of UPT is told (src/scheduler/kinds/complaint-overdue.ts). */
  COMPLAINT_DEADLINE_DAYS: z.coerce.number().int().min(1).max(30).default(3),
});

export type Env = z.infer<typeof ZEnv>;

export interface Config extends Env {
  database: { provider: "sqlite" | "postgresql"; url: string; sqlitePath?: string };
  publicUrl: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Read an optional .env (values already in the environment win), then validate. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = ".env"): Config {
  const merged: Record<string, string | undefined> = { ...readEnvFile(envFile), ...env };
  // Unset and empty mean the same: take the default.
  for (const k of Object.keys(merged)) if (merged[k] === "") delete merged[k];
  const parsed = ZEnv.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = i.path.join(".");
        const got = merged[name];
        const shown = got === undefined ? "" : ` (got ${JSON.stringify(redactSetting(name, got))})`;
        return `${name}: ${i.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError(["TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set"]);
  }
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError(["TELEGRAM_BOT_TOKEN: required when TELEGRAM_WEBHOOK_URL is set"]);
  }
  const cloud = whatsappCloudProblems(e);
  if (cloud.length > 0) throw new ConfigError(cloud);
  if (e.NODE_ENV === "production" && !e.ENCRYPTION_KEY) {
    throw new ConfigError(["ENCRYPTION_KEY: required in production (64 hex characters; `openssl rand -hex 32`)"]);
  }
  const isSqlite = e.DATABASE_URL.startsWith("file:");
  return {
    ...e,
    database: isSqlite
      ? { provider: "sqlite", url: e.DATABASE_URL, sqlitePath: path.resolve(e.DATABASE_URL.slice("file:".length)) }
      : { provider: "postgresql", url: e.DATABASE_URL },
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === "0.0.0.0" ? "localhost" : e.HOST}:${e.PORT}`).replace(/\/$/, ""),
  };
}

/** The Cloud API channel is on when the token and the phone-number id are set. */
export function whatsappCloudEnabled(e: Pick<Env, "WHATSAPP_CLOUD_TOKEN" | "WHATSAPP_CLOUD_PHONE_NUMBER_ID">): boolean {
  return Boolean(e.WHATSAPP_CLOUD_TOKEN && e.WHATSAPP_CLOUD_PHONE_NUMBER_ID);
}

/**
 * Half a Cloud API setup is refused (a token without its number cannot send, a channel without the
 * app secret cannot trust its webhook), and so is the Cloud API beside Baileys: one office number
 * cannot be driven by both, and people would become two identities on one "whatsapp" channel.
 */
function whatsappCloudProblems(e: Env): string[] {
  const any = [e.WHATSAPP_CLOUD_TOKEN, e.WHATSAPP_CLOUD_PHONE_NUMBER_ID, e.WHATSAPP_CLOUD_APP_SECRET, e.WHATSAPP_CLOUD_VERIFY_TOKEN].some(Boolean);
  if (!any) return [];
  const problems: string[] = [];
  const need = (name: string, value: string | undefined, why: string) => {
    if (!value) problems.push(`${name}: required for the WhatsApp Cloud API channel (${why})`);
  };
  need("WHATSAPP_CLOUD_TOKEN", e.WHATSAPP_CLOUD_TOKEN, "the access token it sends with");
  need("WHATSAPP_CLOUD_PHONE_NUMBER_ID", e.WHATSAPP_CLOUD_PHONE_NUMBER_ID, "the office number it sends from");
  need("WHATSAPP_CLOUD_APP_SECRET", e.WHATSAPP_CLOUD_APP_SECRET, "webhook POSTs are checked against it");
  need("WHATSAPP_CLOUD_VERIFY_TOKEN", e.WHATSAPP_CLOUD_VERIFY_TOKEN, "Meta's webhook handshake sends it");
  if (e.WHATSAPP_ENABLED) {
    problems.push(
      "WHATSAPP_ENABLED: the WhatsApp Cloud API channel (WHATSAPP_CLOUD_*) and the Baileys channel (WHATSAPP_ENABLED=true) cannot both be on; choose one (README: \"Choosing a WhatsApp channel\")",
    );
  }
  return problems;
}

/** Secrets are never echoed back, not even in an error about them. */
function redactSetting(name: string, value: string): string {
  return /TOKEN|SECRET|KEY|PASSWORD/.test(name) ? "<hidden>" : name === "DATABASE_URL" ? value.replace(/:[^:@/]+@/, ":***@") : value;
}

function readEnvFile(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const raw of fs.readFileSync(file, "utf8").split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2] ?? "";
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
}
