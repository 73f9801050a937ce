/**
 * Retention: the consent text promises that a client's personal data is deleted a number of years
 * (RETENTION_YEARS, default 5) after their last case closed. A client is due when they have cases,
 * every one of them closed, the last one at least that long ago, and they were not anonymised yet.
 *
 * Each client is anonymised in a transaction of their own (eraseClientData, their chat identities
 * removed with their sessions, messages and window, an audit row), so a run that stops half-way
 * leaves every client either untouched or fully anonymised. Files are removed only after the
 * commit and then stamped (Document.fileRemovedAt); a file a crash left behind is removed by the
 * next run, which starts with those.
 */
import type { Db } from "../../db/client.js";
import { writeJson, ZAuditDetail } from "../../db/json-columns.js";
import type { Logger } from "../../logging/logger.js";
import type { FileStore } from "../../storage/file-store.js";
import { appendAudit } from "../audit/chain.js";
import { eraseClientData } from "./erase.js";

export interface RetentionOptions {
  db: Db;
  files: FileStore;
  now: Date;
  years: number;
  logger?: Logger;
  /**
   * Chat history a channel keeps outside the database (the web chat's files under DATA_DIR), removed
   * for each chat identity of an anonymised client once its transaction committed.
   */
  forgetChat?: (channel: string, address: string) => Promise<void>;
}

export interface RetentionCandidate {
  clientId: string;
  regNumbers: string[];
  lastClosedAt: Date;
  documents: number;
}

export interface RetentionPlan {
  cutoff: Date;
  clients: RetentionCandidate[];
  /** Files of deleted documents still on disk (a run or a deletion stopped after its commit). */
  leftoverFiles: number;
}

export interface RetentionResult {
  cutoff: Date;
  anonymised: string[];
  /** Clients left untouched because their transaction failed (they are tried again next run). */
  failed: Array<{ clientId: string; error: string }>;
  filesRemoved: number;
}

/** Clients are read and anonymised a page at a time. */
const PAGE = 200;

/** The same day and time `years` ago (29 February falls back to 28 February). */
export function retentionCutoff(now: Date, years: number): Date {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  if (d.getUTCDate() !== now.getUTCDate()) d.setUTCDate(0);
  return d;
}

function dueWhere(cutoff: Date) {
  return {
    anonymisedAt: null,
    cases: { some: {}, none: { OR: [{ closedAt: null }, { closedAt: { gt: cutoff } }] } },
  };
}

/** What a run would do, without changing anything (`npm run retention -- --dry-run`). */
export async function planRetention(db: Db, now: Date, years: number): Promise<RetentionPlan> {
  const cutoff = retentionCutoff(now, years);
  const rows = await db.client.findMany({
    where: dueWhere(cutoff),
    orderBy: { id: "asc" },
    select: {
      id: true,
      cases: { select: { regNumber: true, closedAt: true }, orderBy: { closedAt: "asc" } },
      _count: { select: { documents: { where: { deletedAt: null } } } },
    },
  });
  const leftoverFiles = await db.document.count({ where: { deletedAt: { not: null }, fileRemovedAt: null } });
  return {
    cutoff,
    leftoverFiles,
    clients: rows.map((r) => ({
      clientId: r.id,
      regNumbers: r.cases.map((c) => c.regNumber),
      lastClosedAt: r.cases.at(-1)!.closedAt!,
      documents: r._count.documents,
    })),
  };
}

/** Remove the files of deleted documents that are still on disk, and stamp them. */
async function removeLeftoverFiles(db: Db, files: FileStore, now: Date, logger?: Logger): Promise<number> {
  let removed = 0;
  for (;;) {
    const docs = await db.document.findMany({ where: { deletedAt: { not: null }, fileRemovedAt: null }, orderBy: { id: "asc" }, select: { id: true, storageKey: true }, take: PAGE });
    if (docs.length === 0) return removed;
    let stuck = 0;
    for (const d of docs) {
      try {
        await files.remove(d.storageKey);
      } catch (e) {
        // Stays unstamped, so the next run tries again; this run goes on with the others.
        logger?.error({ documentId: d.id, err: { message: (e as Error).message } }, "retention: a deleted document's file could not be removed");
        stuck += 1;
        continue;
      }
      await db.document.update({ where: { id: d.id }, data: { fileRemovedAt: now } });
      removed += 1;
    }
    if (stuck === docs.length) return removed;
  }
}

/** One client, all or nothing; null when someone else got there first (another instance). */
/** The client's chat identities that went (null: the client was kept after all). */
async function anonymiseClient(db: Db, clientId: string, cutoff: Date, now: Date, years: number): Promise<Array<{ channel: string; address: string }> | null> {
  return db.$transaction(async (tx) => {
    // Checked again inside the transaction: a new case since the plan keeps the client.
    const still = await tx.client.findFirst({ where: { id: clientId, ...dueWhere(cutoff) }, select: { id: true } });
    if (!still) return null;
    const erased = await eraseClientData(tx, clientId, now);
    // Five years on the chat identities go too: their outbox holds the texts sent to the person
    // and a WhatsApp address is a phone number. Someone who writes again starts as a new person.
    // An identity that is also staff keeps being staff; only its link to the client goes.
    await tx.identity.updateMany({ where: { clientId, staffId: { not: null } }, data: { clientId: null } });
    const gone = await tx.identity.findMany({ where: { clientId, staffId: null }, select: { channel: true, address: true } });
    await tx.whatsAppWindow.deleteMany({ where: { address: { in: gone.map((g) => g.address) } } });
    await tx.identity.deleteMany({ where: { clientId, staffId: null } });
    await appendAudit(tx, [
      {
        at: now,
        actorType: "system",
        actorId: null,
        action: "client.anonymised",
        entity: "Client",
        entityId: clientId,
        detailJson: writeJson(ZAuditDetail, { reason: "retention", years, documents: erased.storageKeys.length }),
      },
    ]);
    return gone;
  }, { maxWait: 30_000, timeout: 60_000 });
}

export async function runRetention(o: RetentionOptions): Promise<RetentionResult> {
  const { db, files, now, years, logger } = o;
  const cutoff = retentionCutoff(now, years);
  let filesRemoved = await removeLeftoverFiles(db, files, now, logger);
  const anonymised: string[] = [];
  const failed: RetentionResult["failed"] = [];
  let after = "";
  for (;;) {
    const page = await db.client.findMany({ where: { ...dueWhere(cutoff), id: { gt: after } }, orderBy: { id: "asc" }, select: { id: true }, take: PAGE });
    if (page.length === 0) break;
    for (const { id } of page) {
      after = id;
      try {
        const gone = await anonymiseClient(db, id, cutoff, now, years);
        if (gone) {
          anonymised.push(id);
          for (const g of gone) {
            // After the commit: the client is anonymised whatever a channel's store says.
            await o.forgetChat?.(g.channel, g.address).catch((e: unknown) => logger?.warn({ clientId: id, channel: g.channel, err: { message: (e as Error).message } }, "retention: chat history not removed"));
          }
        }
      } catch (e) {
        // Logged by id only: the record is personal data until it is anonymised.
        logger?.error({ clientId: id, err: { message: (e as Error).message } }, "retention: client left untouched");
        failed.push({ clientId: id, error: (e as Error).message });
      }
    }
  }
  filesRemoved += await removeLeftoverFiles(db, files, now, logger);
  logger?.info({ anonymised: anonymised.length, failed: failed.length, filesRemoved }, "retention run");
  return { cutoff, anonymised, failed, filesRemoved };
}
