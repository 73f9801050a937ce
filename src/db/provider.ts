/**
 * Which database a Prisma client (or a transaction client made from it) talks to: the public value
 * the layers above ask instead of reading Prisma's private `_activeProvider`. openDatabase marks
 * every client it hands out; a transaction client reads through to its client's properties, so the
 * mark is seen from inside `$transaction` too.
 */
export type Provider = "sqlite" | "postgresql";

const PROVIDER = Symbol.for("plut.database-provider");

/** Called by the code that creates a client (src/db/client.ts, src/db/sqlite-connection.ts). */
export function markProvider(client: object, provider: Provider): void {
  Object.defineProperty(client, PROVIDER, { value: provider, enumerable: false });
}

/** The provider behind `client`; a client not made by src/db/ is refused (it would guess wrong). */
export function providerOf(client: object): Provider {
  const provider = (client as { [PROVIDER]?: Provider })[PROVIDER];
  if (!provider) throw new Error("providerOf: a database client not opened through src/db/ (openDatabase)");
  return provider;
}
