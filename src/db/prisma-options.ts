/** What every PrismaClient of the service is made with, on either database. */
export const PRISMA_OPTIONS = {
  // Any other format makes Prisma capture a stack trace (`new Error()`) on every query, to point
  // at the calling line when the query fails: 6% of a plain findUnique's CPU, and most of a
  // registration's queries are such single-row reads and writes. A failure keeps its code (P2002
  // ...), its message (without the code frame) and its JavaScript stack.
  errorFormat: "minimal",
} as const;
