/**
 * The signed-in staff member on a dashboard request: a request decorator (declared on the
 * dashboard's scope, null until the signed-in scope's hook sets it, see signed-in.ts).
 */
import type { FastifyRequest } from "fastify";
import type { SessionStaff } from "./auth.js";
import type { Ctx } from "./pages.js";

export const SIGNED_IN = "signedIn";

export interface SignedIn {
  session: SessionStaff;
  /** What every page renders with: texts in the staff member's language, the viewer, the CSRF token. */
  ctx: Ctx;
}

/** The signed-in staff member of a request, or null before (or outside) the signed-in scope. */
export function signedInOrNull(req: FastifyRequest): SignedIn | null {
  return req.getDecorator<SignedIn | null>(SIGNED_IN);
}

/** The signed-in staff member of a request in the signed-in scope. */
export function signedIn(req: FastifyRequest): SignedIn {
  const s = signedInOrNull(req);
  if (!s) throw new Error("no session on a signed-in route");
  return s;
}
