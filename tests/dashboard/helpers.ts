/** The dashboard on a test database: the app, a fixed clock, and signing in as a staff member. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/http/app.js";
import { createLogger } from "../../src/logging/logger.js";
import { FixedClock } from "../../src/shared/clock.js";
import { FileStore } from "../../src/storage/file-store.js";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { dashboardPlugin, type DashboardDeps } from "../../src/http/dashboard/plugin.js";
import type { TestDatabase } from "../support/db.js";
import { KEY, NOW, TZ, dashboardTexts } from "../reports/fixture.js";

export const SECRET = "test-session-secret-0123456789abcdef0123456789";

export interface DashboardHarness {
  app: FastifyInstance;
  clock: FixedClock;
  files: FileStore;
  dir: string;
  close(): Promise<void>;
}

export async function dashboardApp(database: TestDatabase, extra: Partial<DashboardDeps> = {}): Promise<DashboardHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plut-dash-"));
  const clock = new FixedClock(NOW);
  const files = new FileStore(dir, KEY);
  const texts = dashboardTexts();
  const app = await buildApp({
    db: database.db,
    provider: database.provider,
    logger: createLogger({ level: "silent" }),
    plugins: [
      dashboardPlugin({
        db: database.db,
        files,
        texts: () => texts,
        clock,
        sessionSecret: SECRET,
        publicUrl: "http://127.0.0.1:3000",
        tz: TZ,
        lookupKey: KEY,
        // Tests sign in many times at one fixed instant; the limit itself is tested on its own app.
        loginRateLimit: { max: 10_000, windowMs: 60_000 },
        ...extra,
      }),
    ],
  });
  await app.ready();
  return {
    app,
    clock,
    files,
    dir,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tokenOf(link: string): string {
  const m = /\/staff\/login\/([A-Za-z0-9_-]+)$/.exec(link);
  if (!m) throw new Error(`not a login link: ${link}`);
  return m[1]!;
}

export function cookieFrom(setCookie: string | string[] | undefined): string {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!first) throw new Error("no Set-Cookie");
  return first.split(";")[0]!;
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error("no CSRF field on the page");
  return m[1]!;
}

/** Signs in through the link and returns the cookie header and the session's CSRF token. */
export async function signIn(h: DashboardHarness, database: TestDatabase, staffId: string): Promise<{ cookie: string; csrf: string }> {
  const link = await createLoginLink(database.db, staffId, h.clock.now(), "http://127.0.0.1:3000");
  const res = await h.app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link) }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:3000" } });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const cookie = cookieFrom(res.headers["set-cookie"]);
  const page = await h.app.inject({ method: "GET", url: "/staff/cases", headers: { cookie } });
  return { cookie, csrf: csrfFrom(page.body) };
}

export function form(values: Record<string, string | string[]>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) for (const x of Array.isArray(v) ? v : [v]) u.append(k, x);
  return u.toString();
}
