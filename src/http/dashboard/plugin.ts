/**
 * The staff dashboard under /staff: a Fastify plugin for buildApp's `plugins`.
 *
 * Security, in order of a request: sign-in pages are public but rate-limited per IP; every other
 * page needs a live WebSession whose token is in a signed, httpOnly, SameSite=Strict cookie
 * (GET without one: 302 to the page that explains how to get a link in chat); every POST carries
 * the session's CSRF token in a hidden field (403 otherwise) and, when the browser sends an
 * Origin, it must be this site. Admins and the head see everything; a consultant sees their own
 * cases only (others are 404). Every response is no-store; HTML pages allow no script at all.
 */
import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import QRCode from "qrcode";
import type { Db } from "../../db/client.js";
import type { FileStore } from "../../storage/file-store.js";
import type { Clock } from "../../shared/clock.js";
import { toLang, Translator, type Lang, type Texts } from "../../i18n/index.js";
import type { Regions } from "../../flows/questions/region.js";
import type { OfficeCalendar } from "../../domain/calendar/office-calendar.js";
import { DEFAULT_OFFICE, toCsv, toXlsx, type OfficeInfo } from "../../documents/index.js";
import { localIsoDate } from "../../documents/dates.js";
import { safeEqual } from "../../security/crypto.js";
import { CASE_STATUSES } from "../../domain/cases/steps.js";
import { stepTimes, type StepEvent } from "../../domain/cases/timing.js";
import { makeLabeler } from "../../domain/reports/labels.js";
import { computeOfficeStats } from "../../domain/reports/office-report.js";
import { parsePeriod, type Period } from "../../domain/reports/period.js";
import { consultantLoad, lateNow, listCases, runningStep, searchClients, stepIsWaiting, type CaseFilter } from "../../domain/reports/queries.js";
import { renderReportFiles, reportFileBase, PDF_MIME, XLSX_MIME } from "../../domain/reports/attachments.js";
import { createInvite } from "../../domain/staff/invites.js";
import { consumeLink, findUsableLink, loadSession, RateLimiter, revokeSession, SESSION_COOKIE, SESSION_HOURS, type SessionStaff } from "./auth.js";
import { caseForViewer, casesPerMonth, documentForViewer, knownAreas, seesEverything, staffWithInvites } from "./data.js";
import { casesTable, consultantsTable, fileName, lateTable, reportTable, teamTable, type Table } from "./exports.js";
import {
  casePage,
  casesPage,
  consultantsPage,
  errorPage,
  latePage,
  loginConfirmPage,
  loginHelpPage,
  overviewPage,
  REPORT_TABLES,
  searchPage,
  teamPage,
  tooManyPage,
  whatsappPage,
  type Ctx,
  type ReportTable,
} from "./pages.js";

export interface WhatsAppStatus {
  /** e.g. "connecting" | "qr" | "open" | "close" | "logged_out". */
  state: string;
  /** The QR string Baileys gives in connection.update (rendered here as SVG). */
  qr?: string;
  pairingCode?: string;
  updatedAt: Date;
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
  whatsapp?: { status(): WhatsAppStatus };
  tz: string;
  /** The encryption key (KeyRing.key): lets the search find a client by full NIK (lookupHash). */
  lookupKey?: Buffer;
  /** Working-time rules for "late now" (else plain elapsed minutes). */
  calendar?: OfficeCalendar;
  regions?: Regions;
  office?: OfficeInfo;
  sessionHours?: number;
  /** Sign-in attempts per IP; default 10 a minute. */
  loginRateLimit?: { max: number; windowMs: number };
}

interface Auth {
  session: SessionStaff;
  ctx: Ctx;
}

const HTML = "text/html; charset=utf-8";
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const INLINE_MIME = new Set(["image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"]);
const EXPORT_LIMIT = 10_000;

export function dashboardPlugin(deps: DashboardDeps): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(async (s) => routes(s, deps), { prefix: "/staff" });
  };
}

async function routes(s: FastifyInstance, deps: DashboardDeps): Promise<void> {
  const { db } = deps;
  const secure = deps.publicUrl.startsWith("https:");
  const publicOrigin = (() => {
    try {
      return new URL(deps.publicUrl).origin;
    } catch {
      return "";
    }
  })();
  const limiter = new RateLimiter(deps.loginRateLimit?.max ?? 10, deps.loginRateLimit?.windowMs ?? 60_000);
  const auth = new WeakMap<FastifyRequest, Auth>();
  const now = () => deps.clock.now();

  if (!s.hasReplyDecorator("setCookie")) await s.register(fastifyCookie);
  if (!s.hasContentTypeParser("application/x-www-form-urlencoded")) await s.register(fastifyFormbody);

  const translator = (lang: Lang) => new Translator(deps.texts(), lang);
  const plainT = () => translator("id");

  const sendHtml = (reply: FastifyReply, body: string, code = 200) => reply.code(code).type(HTML).send(body);

  const readSessionToken = (req: FastifyRequest): string | null => {
    const raw = req.cookies?.[SESSION_COOKIE];
    if (!raw) return null;
    const r = fastifyCookie.unsign(raw, deps.sessionSecret);
    return r.valid && r.value ? r.value : null;
  };

  /** A POST's Origin, when the browser sends one, is this site (the public address or the Host asked for). */
  const sameOrigin = (req: FastifyRequest): boolean => {
    const origin = req.headers.origin;
    // "null": an opaque origin (a privacy setting, a sandbox); the CSRF token still decides.
    if (!origin || origin === "null") return true;
    if (origin === publicOrigin) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };

  s.addHook("onSend", async (_req, reply, payload) => {
    reply.header("Cache-Control", "no-store, private");
    reply.header("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on every POST.
    reply.header("Referrer-Policy", "same-origin");
    reply.header("X-Frame-Options", "DENY");
    const type = String(reply.getHeader("content-type") ?? "");
    if (type.startsWith("text/html")) reply.header("Content-Security-Policy", CSP);
    return payload;
  });

  s.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    req.log.error({ err }, "dashboard error");
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? 400 : 500;
    return sendHtml(reply, errorPage(plainT(), null, code), code);
  });

  s.setNotFoundHandler(async (_req, reply) => sendHtml(reply, errorPage(plainT(), null, 404), 404));

  // Everything but the sign-in pages needs a session; every POST a matching CSRF token.
  s.addHook("preHandler", async (req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (path === "/staff/login" || path.startsWith("/staff/login/")) return;
    const token = readSessionToken(req);
    const session = token ? await loadSession(db, token, now()) : null;
    if (!session) {
      if (req.method === "GET" || req.method === "HEAD") return reply.redirect("/staff/login", 302);
      return sendHtml(reply, errorPage(plainT(), null, 403, "dash.error.no_session"), 403);
    }
    const identity = await db.identity.findFirst({ where: { staffId: session.staff.id }, orderBy: { updatedAt: "desc" }, select: { language: true } });
    const t = translator(toLang(identity?.language));
    const ctx: Ctx = { t, L: makeLabeler(t, deps.regions), tz: deps.tz, viewer: session.staff, csrf: session.csrfToken, now: now() };
    auth.set(req, { session, ctx });
    if (req.method === "POST") {
      if (!sameOrigin(req)) return sendHtml(reply, errorPage(t, ctx, 403, "dash.error.csrf"), 403);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const sent = typeof body._csrf === "string" ? body._csrf : "";
      if (!sent || !safeEqual(sent, session.csrfToken)) return sendHtml(reply, errorPage(t, ctx, 403, "dash.error.csrf"), 403);
    }
  });

  const A = (req: FastifyRequest): Auth => {
    const a = auth.get(req);
    if (!a) throw new Error("no session on an authenticated route");
    return a;
  };
  const forbidUnlessAll = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const { ctx } = A(req);
    if (seesEverything(ctx.viewer)) return false;
    void sendHtml(reply, errorPage(ctx.t, ctx, 403), 403);
    return true;
  };
  const limited = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const r = limiter.hit(req.ip, now().getTime());
    if (r.allowed) return false;
    reply.header("Retry-After", String(r.retryAfterSeconds));
    void sendHtml(reply, tooManyPage(plainT(), r.retryAfterSeconds), 429);
    return true;
  };
  const download = async (reply: FastifyReply, table: Table, ext: "csv" | "xlsx") => {
    const name = fileName(table.name, localIsoDate(now(), deps.tz), ext);
    reply.header("Content-Disposition", `attachment; filename="${name}"`);
    if (ext === "csv") return reply.type("text/csv; charset=utf-8").send(toCsv(table.columns, table.rows, { timeZone: deps.tz }));
    const bytes = await toXlsx([{ name: table.name, columns: table.columns, rows: table.rows }], { timeZone: deps.tz, created: now() });
    return reply.type(XLSX_MIME).send(bytes);
  };

  // --- sign-in ---------------------------------------------------------------------------------

  s.get("/login", async (req, reply) => {
    const token = readSessionToken(req);
    if (token && (await loadSession(db, token, now()))) return reply.redirect("/staff", 302);
    const q = req.query as Record<string, string | undefined>;
    return sendHtml(reply, loginHelpPage(plainT(), q.out ? "logged_out" : "required"));
  });

  s.get<{ Params: { token: string } }>("/login/:token", async (req, reply) => {
    if (limited(req, reply)) return reply;
    const link = await findUsableLink(db, req.params.token, now());
    if (!link) return sendHtml(reply, loginHelpPage(plainT(), "invalid"), 400);
    return sendHtml(reply, loginConfirmPage(plainT(), req.params.token, link.staff.name));
  });

  s.post("/login", async (req, reply) => {
    if (limited(req, reply)) return reply;
    // No session yet, so no CSRF token: a form posted from another site is refused by its Origin.
    if (!sameOrigin(req)) return sendHtml(reply, errorPage(plainT(), null, 403, "dash.error.csrf"), 403);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === "string" ? body.token : "";
    const opened = token ? await consumeLink(db, token, now(), deps.sessionHours ?? SESSION_HOURS) : null;
    if (!opened) return sendHtml(reply, loginHelpPage(plainT(), "invalid"), 400);
    reply.setCookie(SESSION_COOKIE, fastifyCookie.sign(opened.sessionToken, deps.sessionSecret), {
      path: "/staff",
      httpOnly: true,
      sameSite: "strict",
      secure,
      maxAge: Math.floor((opened.expiresAt.getTime() - now().getTime()) / 1000),
    });
    return reply.redirect("/staff", 303);
  });

  s.post("/logout", async (req, reply) => {
    await revokeSession(db, A(req).session.sessionId, now());
    reply.clearCookie(SESSION_COOKIE, { path: "/staff", httpOnly: true, sameSite: "strict", secure });
    return reply.redirect("/staff/login?out=1", 303);
  });

  // --- overview and report --------------------------------------------------------------------

  const periodOf = (ctx: Ctx, input: string | undefined): { period: Period; input: string; error?: string } => {
    const text = input?.trim() || "bulan ini";
    const r = parsePeriod(text, now(), deps.tz, ctx.t.lang);
    if (r.ok) return { period: r.period, input: text };
    const fallback = parsePeriod("bulan ini", now(), deps.tz, ctx.t.lang);
    if (!fallback.ok) throw new Error("this month is not a period");
    return { period: fallback.period, input: text, error: r.error };
  };
  const statsFor = (ctx: Ctx, period: Period) =>
    computeOfficeStats(db, period, deps.tz, {
      t: ctx.t,
      ...(deps.regions ? { regions: deps.regions } : {}),
      office: deps.office ?? { ...DEFAULT_OFFICE },
      generatedAt: now(),
      place: "Gianyar",
      ...(ctx.viewer.role === "consultant" ? { consultantId: ctx.viewer.id } : {}),
    });

  s.get("/", async (req, reply) => {
    const { ctx } = A(req);
    const q = req.query as Record<string, string | undefined>;
    const p = periodOf(ctx, q.periode);
    const own = ctx.viewer.role === "consultant" ? ctx.viewer.id : undefined;
    const [stats, months, late] = await Promise.all([
      statsFor(ctx, p.period),
      casesPerMonth(db, now(), deps.tz, own ? { consultantId: own } : {}),
      lateNow(db, now(), { ...(deps.calendar ? { calendar: deps.calendar } : {}), ...(own ? { viewerConsultantId: own } : {}) }),
    ]);
    return sendHtml(
      reply,
      overviewPage(ctx, { stats, period: p.period, periodInput: p.input, ...(p.error ? { periodError: p.error } : {}), months, lateCount: late.length }),
    );
  });

  for (const ext of ["xlsx", "pdf"] as const) {
    s.get(`/report.${ext}`, async (req, reply) => {
      const { ctx } = A(req);
      const p = periodOf(ctx, (req.query as Record<string, string | undefined>).periode);
      const stats = await statsFor(ctx, p.period);
      const files = await renderReportFiles(stats.report, { lang: ctx.t.lang, tz: deps.tz });
      reply.header("Content-Disposition", `attachment; filename="${reportFileBase(stats.report, deps.tz)}.${ext}"`);
      return reply.type(ext === "pdf" ? PDF_MIME : XLSX_MIME).send(ext === "pdf" ? files.pdf : files.xlsx);
    });
  }

  s.get<{ Params: { table: string } }>("/report/:table", async (req, reply) => {
    const { ctx } = A(req);
    const m = /^([a-z]+)\.(csv|xlsx)$/.exec(req.params.table);
    if (!m || !(REPORT_TABLES as readonly string[]).includes(m[1]!)) return sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);
    const p = periodOf(ctx, (req.query as Record<string, string | undefined>).periode);
    const stats = await statsFor(ctx, p.period);
    return download(reply, reportTable(stats, m[1] as ReportTable, ctx.t), m[2] as "csv" | "xlsx");
  });

  // --- cases ----------------------------------------------------------------------------------

  const filterOf = (ctx: Ctx, query: unknown): CaseFilter => {
    const q = (query ?? {}) as Record<string, string | undefined>;
    const f: CaseFilter = {};
    if (q.status && q.status in CASE_STATUSES) f.status = q.status;
    if (q.area && /^[a-z][a-z0-9_]*$/.test(q.area)) f.area = q.area;
    if (q.consultant && seesEverything(ctx.viewer)) f.consultantId = q.consultant;
    if (q.unassigned === "1") f.unassigned = true;
    if (q.open === "1") f.open = true;
    if (q.open === "0") f.open = false;
    if (q.q?.trim()) f.q = q.q.trim().slice(0, 100);
    if (q.page) f.page = Math.max(1, parseInt(q.page, 10) || 1);
    if (ctx.viewer.role === "consultant") f.viewerConsultantId = ctx.viewer.id;
    return f;
  };
  const lookup = deps.lookupKey ? { lookupKey: deps.lookupKey } : {};

  s.get("/cases", async (req, reply) => {
    const { ctx } = A(req);
    const filter = filterOf(ctx, req.query);
    const [result, areas, consultants] = await Promise.all([
      listCases(db, filter, lookup),
      knownAreas(db, Object.keys(ctx.t.texts.id)),
      db.staff.findMany({ where: { role: "consultant" }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ]);
    return sendHtml(reply, casesPage(ctx, { result, filter, areas, consultants }));
  });

  for (const ext of ["csv", "xlsx"] as const) {
    s.get(`/cases.${ext}`, async (req, reply) => {
      const { ctx } = A(req);
      const filter = { ...filterOf(ctx, req.query), page: 1, pageSize: EXPORT_LIMIT };
      const result = await listCases(db, filter, lookup);
      return download(reply, casesTable(result.items, ctx.t, ctx.L), ext);
    });
  }

  s.get<{ Params: { id: string } }>("/cases/:id", async (req, reply) => {
    const { ctx } = A(req);
    const c = await caseForViewer(db, ctx.viewer, req.params.id);
    if (!c) return sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);
    const events: StepEvent[] = c.events.map((e) => ({ step: e.step, kind: e.kind as StepEvent["kind"], at: e.at }));
    const times = stepTimes(events);
    const run = runningStep(c.events, c.step, now(), (a, b) => (b.getTime() - a.getTime()) / 60_000);
    const ids = new Set<string>();
    for (const x of [c.consultantId, ...c.visits.map((v) => v.consultantId), ...c.referrals.flatMap((r) => [r.fromConsultantId, r.toConsultantId]), ...c.reports.map((r) => r.authorId)]) {
      if (x) ids.add(x);
    }
    const names = await db.staff.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
    return sendHtml(
      reply,
      casePage(ctx, {
        c,
        times,
        running: run ? { step: c.step, elapsed: Math.round(run.elapsed * 10) / 10 } : null,
        waitingStep: stepIsWaiting(c.events, c.step, now()) ? c.step : null,
        staffNames: new Map(names.map((n) => [n.id, n.name])),
      }),
    );
  });

  s.get<{ Params: { id: string } }>("/documents/:id", async (req, reply) => {
    const { ctx } = A(req);
    const doc = await documentForViewer(db, ctx.viewer, req.params.id);
    if (!doc) return sendHtml(reply, errorPage(ctx.t, ctx, 404), 404);
    let bytes: Buffer;
    try {
      bytes = await deps.files.get(doc.storageKey);
    } catch (e) {
      req.log.error({ err: e, documentId: doc.id }, "document could not be read");
      return sendHtml(reply, errorPage(ctx.t, ctx, 404, "dash.error.document_missing"), 404);
    }
    // Seeing an identity photo is processing specific personal data (UU PDP): who saw what, when.
    await db.auditLog.create({
      data: {
        at: now(),
        actorType: "staff",
        actorId: ctx.viewer.id,
        action: "document.view",
        entity: "Document",
        entityId: doc.id,
        detailJson: JSON.stringify({ type: doc.type, caseId: doc.caseId, via: "dashboard" }),
      },
    });
    const inline = INLINE_MIME.has(doc.mimeType);
    reply.header("Content-Disposition", `${inline ? "inline" : "attachment"}; filename="${doc.type}-${doc.id}"`);
    return reply.type(inline ? doc.mimeType : "application/octet-stream").send(bytes);
  });

  // --- late now, consultants, search ------------------------------------------------------------

  const lateFor = (ctx: Ctx) =>
    lateNow(db, now(), { ...(deps.calendar ? { calendar: deps.calendar } : {}), ...(ctx.viewer.role === "consultant" ? { viewerConsultantId: ctx.viewer.id } : {}) });
  s.get("/late", async (req, reply) => {
    const { ctx } = A(req);
    return sendHtml(reply, latePage(ctx, await lateFor(ctx)));
  });
  for (const ext of ["csv", "xlsx"] as const) {
    s.get(`/late.${ext}`, async (req, reply) => {
      const { ctx } = A(req);
      return download(reply, lateTable(await lateFor(ctx), ctx.t, ctx.L), ext);
    });
  }

  const loadFor = (ctx: Ctx) =>
    consultantLoad(db, now(), {
      tz: deps.tz,
      ...(deps.calendar ? { calendar: deps.calendar } : {}),
      ...(ctx.viewer.role === "consultant" ? { onlyStaffId: ctx.viewer.id } : {}),
    });
  s.get("/consultants", async (req, reply) => {
    const { ctx } = A(req);
    return sendHtml(reply, consultantsPage(ctx, await loadFor(ctx)));
  });
  for (const ext of ["csv", "xlsx"] as const) {
    s.get(`/consultants.${ext}`, async (req, reply) => {
      const { ctx } = A(req);
      return download(reply, consultantsTable(await loadFor(ctx), ctx.t, ctx.L), ext);
    });
  }

  s.get("/search", async (req, reply) => {
    const { ctx } = A(req);
    const q = ((req.query as Record<string, string | undefined>).q ?? "").trim().slice(0, 100);
    const result = q
      ? await searchClients(db, deps.lookupKey ?? Buffer.alloc(32), q, {
          limit: 20,
          ...(ctx.viewer.role === "consultant" ? { viewerConsultantId: ctx.viewer.id } : {}),
        })
      : null;
    return sendHtml(reply, searchPage(ctx, q, result, deps.lookupKey !== undefined));
  });

  // --- staff and invitations, WhatsApp -----------------------------------------------------------

  const teamData = async (ctx: Ctx) => {
    const [team, areas] = await Promise.all([staffWithInvites(db, now()), knownAreas(db, Object.keys(ctx.t.texts.id))]);
    return { ...team, areas };
  };

  s.get("/team", async (req, reply) => {
    if (forbidUnlessAll(req, reply)) return reply;
    const { ctx } = A(req);
    return sendHtml(reply, teamPage(ctx, await teamData(ctx)));
  });
  for (const ext of ["csv", "xlsx"] as const) {
    s.get(`/team.${ext}`, async (req, reply) => {
      if (forbidUnlessAll(req, reply)) return reply;
      const { ctx } = A(req);
      return download(reply, teamTable((await staffWithInvites(db, now())).staff, ctx.t, ctx.L), ext);
    });
  }

  s.post("/team/invites", async (req, reply) => {
    if (forbidUnlessAll(req, reply)) return reply;
    const { ctx } = A(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = typeof body.name === "string" ? body.name.trim().replace(/\s+/g, " ").slice(0, 100) : "";
    const role = typeof body.role === "string" ? body.role : "";
    const rawAreas = Array.isArray(body.areas) ? body.areas : body.areas === undefined ? [] : [body.areas];
    const areas = [...new Set(rawAreas.filter((a): a is string => typeof a === "string" && /^[a-z][a-z0-9_]*$/.test(a)))];
    let error: string | undefined;
    if (name.length < 2) error = "dash.team.error_name";
    else if (role !== "admin" && role !== "consultant" && role !== "head") error = "dash.team.error_role";
    else if (role === "consultant" && areas.length === 0) error = "dash.team.error_areas";
    if (error) return sendHtml(reply, teamPage(ctx, { ...(await teamData(ctx)), error }), 400);
    const at = now();
    const created = await db.$transaction(async (tx) => {
      const inv = await createInvite(tx, { role: role as "admin" | "consultant" | "head", name, areas: role === "consultant" ? areas : [], createdById: ctx.viewer.id, now: at });
      await tx.auditLog.create({
        data: { at, actorType: "staff", actorId: ctx.viewer.id, action: "invite.create", entity: "StaffInvite", entityId: null, detailJson: JSON.stringify({ role, via: "dashboard" }) },
      });
      return inv;
    });
    // The code is shown this once; only its hash is stored.
    return sendHtml(reply, teamPage(ctx, { ...(await teamData(ctx)), created: { code: created.code, name, expiresAt: created.expiresAt } }));
  });

  s.post<{ Params: { id: string } }>("/team/invites/:id/revoke", async (req, reply) => {
    if (forbidUnlessAll(req, reply)) return reply;
    const { ctx } = A(req);
    const at = now();
    const r = await db.staffInvite.updateMany({ where: { id: req.params.id, usedAt: null, expiresAt: { gt: at } }, data: { expiresAt: at } });
    if (r.count > 0) {
      await db.auditLog.create({ data: { at, actorType: "staff", actorId: ctx.viewer.id, action: "invite.revoke", entity: "StaffInvite", entityId: req.params.id } });
    }
    return reply.redirect("/staff/team", 303);
  });

  s.get("/whatsapp", async (req, reply) => {
    if (forbidUnlessAll(req, reply)) return reply;
    const { ctx } = A(req);
    if (!deps.whatsapp) return sendHtml(reply, whatsappPage(ctx, { enabled: false }));
    const st = deps.whatsapp.status();
    const qrSvg = st.qr && !st.pairingCode ? await QRCode.toString(st.qr, { type: "svg", margin: 1, errorCorrectionLevel: "M" }) : undefined;
    return sendHtml(
      reply,
      whatsappPage(ctx, { enabled: true, state: st.state, updatedAt: st.updatedAt, ...(qrSvg ? { qrSvg } : {}), ...(st.pairingCode ? { pairingCode: st.pairingCode } : {}) }),
    );
  });
}
