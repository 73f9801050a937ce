/**
 * `npm run keys:rotate`: re-encrypt everything under a new key (src/cli/key-rotation.ts).
 *
 *   openssl rand -hex 32                       # the new key; keep a copy somewhere safe
 *   (stop the service)
 *   NEW_ENCRYPTION_KEY=<new> npm run keys:rotate
 *   (start the service with ENCRYPTION_KEY=<new>)
 *
 * The old key is the one in use (ENCRYPTION_KEY, or DATA_DIR/encryption.key in development; that file
 * is replaced by the new key when the rotation is done). Interrupted, it is run again the same way
 * and goes on where it stopped. A wrong old key, or a key that does not open something, changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { EX_CONFIG, privateToolConfig } from "./private-config.js";
import { openDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { keyId } from "../security/at-rest.js";
import { loadKeyRing } from "../security/crypto.js";
import { rotateKeys, RotationRefused } from "./key-rotation.js";

async function main(): Promise<number> {
  const config = privateToolConfig();
  if (!config) return EX_CONFIG;
  const fresh = process.env.NEW_ENCRYPTION_KEY ?? "";
  if (!/^[0-9a-f]{64}$/i.test(fresh)) {
    console.error("Set NEW_ENCRYPTION_KEY to the new key: 64 hex characters (openssl rand -hex 32). Keep a copy: without it nothing can be read.");
    return 2;
  }
  const old = loadKeyRing({ ...(config.ENCRYPTION_KEY ? { envKey: config.ENCRYPTION_KEY } : {}), dataDir: config.DATA_DIR });
  const to = Buffer.from(fresh, "hex");
  await migrate(config.DATABASE_URL);
  const { db, close } = await openDatabase(config.DATABASE_URL);
  try {
    console.log(`Re-encrypting from key ${keyId(old.key)} to key ${keyId(to)} ...`);
    const r = await rotateKeys({
      db,
      dataDir: config.DATA_DIR,
      from: old.key,
      to,
      afterBatch: (p) => console.log(`  ${p.part}: done up to ${p.after}`),
    });
    if (r.resumedFrom) console.log(`(went on from ${r.resumedFrom.part} after ${r.resumedFrom.after})`);
    console.log(`Done: ${Object.entries(r.changed).map(([part, n]) => `${part} ${n}`).join(", ")} re-encrypted.`);
    if (old.source === "environment") {
      console.log("Now set ENCRYPTION_KEY to the new key and start the service. The old key opens nothing any more.");
    } else {
      const file = path.join(config.DATA_DIR, "encryption.key");
      fs.writeFileSync(`${file}.new`, `${fresh.toLowerCase()}\n`, { mode: 0o600 });
      fs.renameSync(`${file}.new`, file);
      console.log(`${file} now holds the new key.`);
    }
    return 0;
  } catch (e) {
    if (e instanceof RotationRefused) {
      console.error(`Refused: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await close();
  }
}

process.exitCode = await main();
