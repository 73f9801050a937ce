/**
 * The nightly retention run (src/domain/retention/retention.ts) at 02:30 office time, when nobody
 * works on cases. A run interrupted by a restart is finished by the next one: clients are done one
 * transaction each and files left behind are removed first.
 */
import type { Db } from "../db/client.js";
import { runRetention } from "../domain/retention/retention.js";
import type { Logger } from "../logging/logger.js";
import type { FileStore } from "../storage/file-store.js";
import type { Job } from "./jobs.js";

export const RETENTION_JOB_ID = "clients.retention";

export function retentionJob(o: { db: Db; files: FileStore; years: number; logger: Logger; forgetChat?: (channel: string, address: string) => Promise<void> }): Job {
  return {
    id: RETENTION_JOB_ID,
    schedule: "30 2 * * *",
    run: ({ now }) => runRetention({ db: o.db, files: o.files, now, years: o.years, logger: o.logger, ...(o.forgetChat ? { forgetChat: o.forgetChat } : {}) }),
  };
}
