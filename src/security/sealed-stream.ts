/**
 * A sealed file of any size (backups): AES-256-GCM in chunks of 1 MiB, each authenticated with its
 * index and whether it is the last, so a file cut short, chunks swapped or bytes changed are all
 * told apart from a good file and refused with the reason. (The STREAM construction; written here
 * because Node's crypto has no streaming AEAD format and a backup must not need the whole file in
 * memory.)
 *
 *   "PLUTSEAL" | u32 header length | header JSON (clear: key id, salt, what the caller adds)
 *   chunks:    u32 ciphertext length | iv (12) | tag (16) | ciphertext
 *   AAD:       sha256(header) | u64 chunk index | u8 last (1) or not (0)
 *
 * Each file has its own key, derived from the office key and a random salt (HKDF).
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import { keyId } from "./at-rest.js";

const MAGIC = Buffer.from("PLUTSEAL", "latin1");
const CHUNK = 1 << 20;

export class SealedFileError extends Error {
  constructor(
    message: string,
    readonly reason: "not_sealed" | "other_key" | "truncated" | "damaged",
  ) {
    super(message);
    this.name = "SealedFileError";
  }
}

export interface SealedHeader {
  keyId: string;
  salt: string;
  [k: string]: unknown;
}

function fileKey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", key, salt, "plut sealed file", 32));
}

function aad(headerHash: Buffer, index: number, last: boolean): Buffer {
  const b = Buffer.alloc(headerHash.length + 9);
  headerHash.copy(b);
  b.writeBigUInt64BE(BigInt(index), headerHash.length);
  b[headerHash.length + 8] = last ? 1 : 0;
  return b;
}

/** Writes plain bytes into a sealed file, chunk by chunk. */
export class SealedWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private constructor(
    private readonly fh: fs.FileHandle,
    private readonly key: Buffer,
    private readonly headerHash: Buffer,
  ) {}

  static async create(file: string, officeKey: Buffer, extra: Record<string, unknown>): Promise<SealedWriter> {
    const salt = crypto.randomBytes(16);
    const header = Buffer.from(JSON.stringify({ ...extra, keyId: keyId(officeKey), salt: salt.toString("hex") }), "utf8");
    const fh = await fs.open(file, "wx", 0o600);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(header.length);
    await fh.write(Buffer.concat([MAGIC, len, header]));
    return new SealedWriter(fh, fileKey(officeKey, salt), crypto.createHash("sha256").update(header).digest());
  }

  async write(bytes: Buffer): Promise<void> {
    let rest = bytes;
    while (rest.length > 0) {
      const take = Math.min(rest.length, CHUNK - this.pendingBytes);
      this.pending.push(rest.subarray(0, take));
      this.pendingBytes += take;
      rest = rest.subarray(take);
      if (this.pendingBytes === CHUNK) await this.flush(false);
    }
  }

  private async flush(last: boolean): Promise<void> {
    const plain = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(aad(this.headerHash, this.index++, last));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    await this.fh.write(Buffer.concat([len, iv, cipher.getAuthTag(), body]));
  }

  /** Writes the last chunk and syncs the file: without it the file reads as truncated. */
  async close(): Promise<void> {
    await this.flush(true);
    await this.fh.sync();
    await this.fh.close();
  }

  /** Gives up (an error while writing): the caller removes the file. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

async function readExactly(fh: fs.FileHandle, at: number, n: number): Promise<Buffer> {
  const b = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const { bytesRead } = await fh.read(b, got, n - got, at + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === n ? b : b.subarray(0, got);
}

/** The clear header of a sealed file (which key, what it holds), or SealedFileError. */
export async function readSealedHeader(file: string): Promise<SealedHeader> {
  const fh = await fs.open(file, "r");
  try {
    return (await header(fh)).header;
  } finally {
    await fh.close();
  }
}

async function header(fh: fs.FileHandle): Promise<{ header: SealedHeader; bytes: Buffer; end: number }> {
  const head = await readExactly(fh, 0, 12);
  if (head.length < 12 || !head.subarray(0, 8).equals(MAGIC)) throw new SealedFileError("this is not a backup file of this service", "not_sealed");
  const n = head.readUInt32BE(8);
  const bytes = await readExactly(fh, 12, n);
  if (n > 64 * 1024 || bytes.length < n) throw new SealedFileError("the file is cut short (its header is incomplete)", "truncated");
  let parsed: SealedHeader;
  try {
    parsed = JSON.parse(bytes.toString("utf8")) as SealedHeader;
  } catch {
    throw new SealedFileError("the file's header is damaged", "damaged");
  }
  if (typeof parsed.keyId !== "string" || typeof parsed.salt !== "string") throw new SealedFileError("the file's header is damaged", "damaged");
  return { header: parsed, bytes, end: 12 + n };
}

/** The plain bytes of a sealed file, chunk by chunk; throws SealedFileError before yielding anything wrong. */
export async function* readSealed(file: string, officeKey: Buffer): AsyncGenerator<Buffer> {
  const fh = await fs.open(file, "r");
  try {
    const h = await header(fh);
    if (h.header.keyId !== keyId(officeKey)) {
      throw new SealedFileError(`it was encrypted with another key (key id ${h.header.keyId}; this installation's key is ${keyId(officeKey)}). Set ENCRYPTION_KEY to the key of the installation that made it`, "other_key");
    }
    const key = fileKey(officeKey, Buffer.from(h.header.salt, "hex"));
    const headerHash = crypto.createHash("sha256").update(h.bytes).digest();
    const size = (await fh.stat()).size;
    let at = h.end;
    for (let index = 0; ; index++) {
      if (at >= size) throw new SealedFileError("the file is cut short (it ends before its last part)", "truncated");
      const meta = await readExactly(fh, at, 32);
      if (meta.length < 32) throw new SealedFileError("the file is cut short (in the middle of a part)", "truncated");
      const len = meta.readUInt32BE(0);
      if (len > CHUNK + 16) throw new SealedFileError("the file is damaged (a part has an impossible length)", "damaged");
      const body = await readExactly(fh, at + 32, len);
      if (body.length < len) throw new SealedFileError("the file is cut short (in the middle of a part)", "truncated");
      at += 32 + len;
      const last = at >= size;
      const open = (asLast: boolean): Buffer | undefined => {
        try {
          const d = crypto.createDecipheriv("aes-256-gcm", key, meta.subarray(4, 16));
          d.setAAD(aad(headerHash, index, asLast));
          d.setAuthTag(meta.subarray(16, 32));
          return Buffer.concat([d.update(body), d.final()]);
        } catch {
          return undefined;
        }
      };
      const plain = open(last);
      if (plain) {
        yield plain;
        if (last) return;
        continue;
      }
      // A part that opens only as "not the last" at the end of the file: the rest was cut off.
      if (last && open(false)) throw new SealedFileError("the file is cut short (its last parts are missing)", "truncated");
      throw new SealedFileError(`the file is damaged (part ${index + 1} does not authenticate)`, "damaged");
    }
  } finally {
    await fh.close();
  }
}
