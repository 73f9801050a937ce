// Only `prisma dev` calls this, and this project does not use `prisma dev` (see package.json here).
export async function startLocalDurableStreamsServer() {
  throw new Error("`prisma dev` is not part of this project: @prisma/streams-local is replaced by a stand-in (see README).");
}
