/**
 * Login CSRF: the sign-in POST has no session and so no CSRF token; it is accepted only when the
 * browser's headers say it came from the dashboard's own page. A refused post signs nobody in and
 * leaves the one-time link usable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginLink } from "../../src/http/dashboard/index.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { NOW, seedKnownOffice, type KnownOffice } from "../reports/fixture.js";
import { dashboardApp, form, tokenOf, type DashboardHarness } from "./helpers.js";

let database: TestDatabase;
let office: KnownOffice;
let h: DashboardHarness;

const FORM = { "content-type": "application/x-www-form-urlencoded" };

beforeAll(async () => {
  database = await createTestDatabase();
  office = await seedKnownOffice(database.db);
  // Every post here comes from its own address: the sign-in rate limit is not what is tested.
  h = await dashboardApp(database, { loginRateLimit: { max: 1000, windowMs: 60_000 } });
});
afterAll(async () => {
  await h.close();
  await database.destroy();
});

async function post(headers: Record<string, string>): Promise<{ status: number; signedIn: boolean; linkStillUsable: boolean }> {
  const link = await createLoginLink(database.db, office.staff.admin, NOW, "http://127.0.0.1:3000");
  const res = await h.app.inject({ method: "POST", url: "/staff/login", payload: form({ token: tokenOf(link) }), headers: { ...FORM, ...headers } });
  const confirm = await h.app.inject({ method: "GET", url: `/staff/login/${tokenOf(link)}` });
  return { status: res.statusCode, signedIn: String(res.headers["set-cookie"] ?? "").includes("plut_staff="), linkStillUsable: confirm.statusCode === 200 };
}

describe("the sign-in post accepts only our own pages", () => {
  it.each([
    ["Origin: the public origin", { origin: "http://127.0.0.1:3000" }],
    ["Origin: the host it was served on (behind a proxy)", { origin: "http://dashboard.local:8080", host: "dashboard.local:8080" }],
    ["no Origin, Sec-Fetch-Site: same-origin", { "sec-fetch-site": "same-origin" }],
    ["no Origin and no fetch metadata, Referer: our confirmation page", { referer: "http://127.0.0.1:3000/staff/login/abc" }],
  ])("signs in with %s", async (_what, headers) => {
    expect(await post(headers)).toEqual({ status: 303, signedIn: true, linkStillUsable: false });
  });

  it.each([
    ["Origin: another site", { origin: "https://evil.example" }],
    ["Origin: null (a sandboxed frame or data: page)", { origin: "null" }],
    ["Origin: our host on another port", { origin: "http://127.0.0.1:3001" }],
    ["Origin: not a URL", { origin: "javascript:alert(1)" }],
    ["neither Origin nor Sec-Fetch-Site nor Referer", {}],
    ["no Origin, Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["no Origin, Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }],
    ["no Origin, Sec-Fetch-Site: cross-site even with our Referer", { "sec-fetch-site": "cross-site", referer: "http://127.0.0.1:3000/staff/login" }],
    ["no Origin, Referer: another site", { referer: "https://evil.example/staff/login" }],
    ["Origin: another site even with our Referer", { origin: "https://evil.example", referer: "http://127.0.0.1:3000/staff/login" }],
  ])("refuses with %s, and the link stays usable", async (_what, headers) => {
    expect(await post(headers)).toEqual({ status: 403, signedIn: false, linkStillUsable: true });
  });
});
