/** Types of scripts/build.mjs (a plain module, so `npm start` needs no TypeScript to decide). */
export const ROOT: string;
/** True when dist/ is missing or older than any of its inputs. */
export function isStale(root?: string): boolean;
/** Compile to dist/; exits the process on a type error. */
export function build(): void;
/** Build when stale. */
export function ensureBuilt(): void;
