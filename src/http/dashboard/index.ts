/** The staff dashboard (Fastify plugin under /staff) and the sign-in link the chat command /dashboard sends. */
export { dashboardPlugin, type DashboardDeps, type WhatsAppStatus } from "./plugin.js";
export { createLoginLink, LoginLinkError, LOGIN_LINK_MINUTES, SESSION_COOKIE, SESSION_HOURS } from "./auth.js";
