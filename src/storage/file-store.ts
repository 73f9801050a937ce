/**
 * Files (identity photos, documents, generated PDFs) live under DATA_DIR/files, encrypted, named by
 * a random key; the database holds the key, size and checksum. Writing is atomic (temp + rename),
 * so a crash never leaves half a file under a key the database points to.
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

export class FileStore {
  constructor(
    private readonly root: string,
    private readonly key: Buffer,
  ) {}

  private pathFor(storageKey: string): string {
    if (!/^[a-z0-9/-]+$/.test(storageKey) || storageKey.includes("..")) throw new Error("invalid storage key");
    return path.join(this.root, storageKey);
  }

  /** Encrypt and store; returns the key and the checksum of the plain bytes. */
  async put(bytes: Buffer, prefix: "identity" | "documents" | "reports" | "staging"): Promise<StoredFile> {
    const now = new Date();
    const storageKey = `${prefix}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${crypto.randomUUID()}`;
    const file = this.pathFor(storageKey);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}`;
    await fs.writeFile(tmp, encrypt(this.key, bytes), { mode: 0o600 });
    await fs.rename(tmp, file);
    return { storageKey, sha256: sha256(bytes), size: bytes.length };
  }

  async get(storageKey: string): Promise<Buffer> {
    return decrypt(this.key, await fs.readFile(this.pathFor(storageKey)));
  }

  /** Remove for good (deletion on the client's request). Missing files are fine. */
  async remove(storageKey: string): Promise<void> {
    await fs.rm(this.pathFor(storageKey), { force: true });
  }
}
