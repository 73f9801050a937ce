/**
 * Files (identity photos, documents, generated PDFs), encrypted and named by a random key; the
 * database holds the key, size and checksum. Where the sealed bytes live is a `SealedBlobs`:
 * under DATA_DIR/files on one machine (SQLite), or in the database's StoredBlob table when several
 * instances share one PostgreSQL database (src/db/shared-storage.ts), so every instance reads the
 * same files. The bytes are sealed here, before they reach either.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { decrypt, encrypt, sha256 } from "../security/crypto.js";

export interface StoredFile {
  storageKey: string;
  sha256: string;
  size: number;
}

/** Where sealed bytes are kept, by storage key. */
export interface SealedBlobs {
  /** Where they are, for logs and the README ("disk", "database"). */
  readonly where: "disk" | "database";
  write(storageKey: string, sealed: Buffer): Promise<void>;
  /** Throws when there is nothing under the key. */
  read(storageKey: string): Promise<Buffer>;
  /** Missing keys are fine. */
  remove(storageKey: string): Promise<void>;
}

const STORAGE_KEY = /^[a-z0-9/-]+$/;

export function checkStorageKey(storageKey: string): string {
  if (!STORAGE_KEY.test(storageKey) || storageKey.includes("..")) throw new Error("invalid storage key");
  return storageKey;
}

/**
 * One file per key under `root`. Writing is atomic (temp + rename), so a crash never leaves half a
 * file under a key the database points to.
 */
export function diskBlobs(root: string): SealedBlobs {
  const pathFor = (storageKey: string): string => path.join(root, checkStorageKey(storageKey));
  return {
    where: "disk",
    async write(storageKey, sealed) {
      const file = pathFor(storageKey);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp-${process.pid}`;
      await fs.writeFile(tmp, sealed, { mode: 0o600 });
      await fs.rename(tmp, file);
    },
    async read(storageKey) {
      return fs.readFile(pathFor(storageKey));
    },
    async remove(storageKey) {
      await fs.rm(pathFor(storageKey), { force: true });
    },
  };
}

export class FileStore {
  private readonly blobs: SealedBlobs;

  /** `place`: a folder (DATA_DIR/files) or another home for the sealed bytes. */
  constructor(
    place: string | SealedBlobs,
    private readonly key: Buffer,
  ) {
    this.blobs = typeof place === "string" ? diskBlobs(place) : place;
  }

  get where(): SealedBlobs["where"] {
    return this.blobs.where;
  }

  /** Encrypt and store; returns the key and the checksum of the plain bytes. */
  async put(bytes: Buffer, prefix: "identity" | "documents" | "reports" | "staging"): Promise<StoredFile> {
    const now = new Date();
    const storageKey = `${prefix}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${crypto.randomUUID()}`;
    await this.blobs.write(storageKey, encrypt(this.key, bytes));
    return { storageKey, sha256: sha256(bytes), size: bytes.length };
  }

  async get(storageKey: string): Promise<Buffer> {
    return decrypt(this.key, await this.blobs.read(checkStorageKey(storageKey)));
  }

  /** The bytes as kept at rest (sealed); for checks that nothing is stored in the clear. */
  async sealed(storageKey: string): Promise<Buffer> {
    return this.blobs.read(checkStorageKey(storageKey));
  }

  /** Remove for good (deletion on the client's request). Missing files are fine. */
  async remove(storageKey: string): Promise<void> {
    await this.blobs.remove(checkStorageKey(storageKey));
  }
}
