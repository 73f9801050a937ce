/** What the dashboard needs from the rest of the office, and the few helpers all its routes share. */
import type { AvailabilityWindow } from "../../domain/appointments/index.js";
import fastifyCookie from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Db } from "../../db/client.js";
import { toCsv, toXlsx, type OfficeInfo } from "../../documents/index.js";
import { localIsoDate } from "../../i18n/dates.js";
import { XLSX_MIME } from "../../domain/reports/attachments.js";
import type { Regions } from "../../flows/questions/region.js";
import { Translator, type Lang, type Texts } from "../../i18n/index.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import type { Clock } from "../../shared/clock.js";
import type { FileStore } from "../../storage/file-store.js";
import { SESSION_COOKIE } from "./auth.js";
import { fileName, type Table } from "./exports.js";

export interface WhatsAppStatus {
  /** e.g. "connecting" | "qr" | "open" | "close" | "logged_out". */
  state: string;
  /** The QR string Baileys gives in connection.update (rendered here as SVG). */
  qr?: string;
  pairingCode?: string;
  updatedAt: Date;
}

export type RoutingOutcome = { ok: true; assigned: boolean } | { ok: false; key: string; params: Record<string, string | number> };

export interface RoutingActions {
  /** `consultantId`: a consultant of the area the admin named; else the least loaded one. */
  decide(staffId: string, caseId: string, area: string, overridden: boolean, consultantId?: string): Promise<RoutingOutcome>;
}

export type ComplaintOutcome = { ok: true } | { ok: false; key: string; params: Record<string, string | number> };

export interface ComplaintActions {
  /** An admin opened a new complaint: it is now being handled. */
  open(staffId: string, complaintId: string): Promise<ComplaintOutcome>;
  answer(staffId: string, complaintId: string, text: string): Promise<ComplaintOutcome>;
  close(staffId: string, complaintId: string): Promise<ComplaintOutcome>;
}

export type StopOutcome = { ok: true; notSent: number } | { ok: false; key: string; params: Record<string, string | number> };

export interface AnnouncementActions {
  /** An admin stops an announcement being sent: nobody who has not got it gets it (as in chat). */
  stop(staffId: string, announcementId: string): Promise<StopOutcome>;
}

export type AppointmentOutcome = { ok: true } | { ok: false; key: string; params: Record<string, string | number>; next: Date[] };

export interface AppointmentActions {
  /** Staff (the case's consultant or an admin) move a booked appointment to a free hour they chose. */
  move(staffId: string, appointmentId: string, at: Date): Promise<AppointmentOutcome>;
  /** ... or cancel it, with a reason the client and the consultant read. */
  cancel(staffId: string, appointmentId: string, reason: string): Promise<AppointmentOutcome>;
  /**
   * A consultant saves their weekly availability as in chat (`jadwal`): clients who were told the
   * consultant would propose a time are offered slots at once. False when the consultant has no
   * chat identity (the caller then saves it without offers: nobody could be told in a turn).
   */
  saveAvailability(staffId: string, windows: AvailabilityWindow[]): Promise<boolean>;
}

export interface DashboardDeps {
  db: Db;
  files: FileStore;
  texts: () => Texts;
  clock: Clock;
  /** Signs the session cookie (config.SESSION_SECRET, at least 32 characters). */
  sessionSecret: string;
  /** config.publicUrl; https there makes the cookie Secure. */
  publicUrl: string;
  whatsapp?: {
    status(): WhatsAppStatus;
    /** Forgets the stored login and starts a fresh pairing (a new QR or pairing code). */
    relink?(): Promise<void>;
  };
  tz: string;
  /** The encryption key (KeyRing.key): lets the search find a client by full NIK (lookupHash). */
  lookupKey?: Buffer;
  /** Working-time rules for "late now" (else plain elapsed minutes). */
  calendar?: OfficeCalendar;
  regions?: Regions;
  office?: OfficeInfo;
  sessionHours?: number;
  /** The admins' routing decision taken on a case page, run as in chat (routing-actions.ts). */
  routing?: RoutingActions;
  /** Moving and cancelling appointments, run as in chat (appointment-actions.ts). */
  appointments?: AppointmentActions;
  /** Answering and closing complaints, run as in chat (complaint-actions.ts). */
  complaints?: ComplaintActions;
  /** Stopping an announcement being sent, run as in chat (announcement-actions.ts). */
  announcements?: AnnouncementActions;
  /** An announcement was confirmed (or its quota changed): sweep its reminders into the outbox now rather than at the next minute. */
  announcementsQueued?: () => Promise<void>;
  /** MAX_UPLOAD_MB in bytes: the largest announcement attachment (default 10 MB). */
  maxUploadBytes?: number;
  /** Sign-in attempts per IP; default 10 a minute. */
  loginRateLimit?: { max: number; windowMs: number };
}

export interface DashboardArea {
  deps: DashboardDeps;
  db: Db;
  now(): Date;
  translator(lang: Lang): Translator;
  /** Indonesian: the pages seen before anyone is signed in. */
  plainT(): Translator;
  /** Reached over https: the cookie is Secure. */
  secure: boolean;
  /** The origin of config.publicUrl ("" when it is none). */
  publicOrigin: string;
}

export function dashboardArea(deps: DashboardDeps): DashboardArea {
  return {
    deps,
    db: deps.db,
    now: () => deps.clock.now(),
    translator: (lang) => new Translator(deps.texts(), lang),
    plainT: () => new Translator(deps.texts(), "id"),
    secure: deps.publicUrl.startsWith("https:"),
    publicOrigin: originOf(deps.publicUrl),
  };
}

const HTML = "text/html; charset=utf-8";

/** MAX_UPLOAD_MB's default, in bytes. */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export function sendHtml(reply: FastifyReply, body: string, code = 200): FastifyReply {
  return reply.code(code).type(HTML).send(body);
}

/** A list as a CSV or XLSX download named after the list and today's local date. */
export async function download(area: DashboardArea, reply: FastifyReply, table: Table, ext: "csv" | "xlsx"): Promise<FastifyReply> {
  const { tz } = area.deps;
  const name = fileName(table.name, localIsoDate(area.now(), tz), ext);
  reply.header("Content-Disposition", `attachment; filename="${name}"`);
  if (ext === "csv") return reply.type("text/csv; charset=utf-8").send(toCsv(table.columns, table.rows, { timeZone: tz }));
  const bytes = await toXlsx([{ name: table.name, columns: table.columns, rows: table.rows }], { timeZone: tz, created: area.now() });
  return reply.type(XLSX_MIME).send(bytes);
}

/** A POST's Origin, when the browser sends one, is this site (the public address or the Host asked for). */
export function sameOrigin(area: DashboardArea, req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  // "null": an opaque origin (a privacy setting, a sandbox); the CSRF token still decides.
  if (!origin || origin === "null") return true;
  if (origin === area.publicOrigin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

// --- the session cookie: signed, httpOnly, SameSite=Strict, for /staff only -----------------------

export function readSessionToken(area: DashboardArea, req: FastifyRequest): string | null {
  const raw = req.cookies?.[SESSION_COOKIE];
  if (!raw) return null;
  const r = fastifyCookie.unsign(raw, area.deps.sessionSecret);
  return r.valid && r.value ? r.value : null;
}

export function setSessionCookie(area: DashboardArea, reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, fastifyCookie.sign(token, area.deps.sessionSecret), {
    path: "/staff",
    httpOnly: true,
    sameSite: "strict",
    secure: area.secure,
    maxAge: Math.floor((expiresAt.getTime() - area.now().getTime()) / 1000),
  });
}

export function clearSessionCookie(area: DashboardArea, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/staff", httpOnly: true, sameSite: "strict", secure: area.secure });
}
