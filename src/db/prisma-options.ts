/** What every PrismaClient of the service is made with, on either database. */
export const PRISMA_OPTIONS = {
  // Any other format makes Prisma capture a stack trace (`new Error()`) on every query, to point
  // at the calling line when the query fails: 6% of a plain findUnique's CPU, and most of a
  // registration's queries are such single-row reads and writes. Failures keep their code (P2002
  // ...) and message; our logs carry the stack of the code that handled them.
  errorFormat: "minimal",
} as const;
