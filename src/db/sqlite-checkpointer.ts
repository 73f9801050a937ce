/**
 * Moves the bulk of SQLite's WAL checkpointing off the turn path. By default the connection that
 * commits copies the WAL into the database file (with an fsync) every 1,000 pages: under load every
 * ~80th turn took 10–20 ms longer and the turns queued behind it waited too. Here a worker thread
 * with its own connection runs PASSIVE checkpoints (they never block the writer) every `intervalMs`,
 * on the second core.
 *
 * The WAL file starts over only when a write begins right after a checkpoint that copied
 * everything, and the worker's checkpoints race the writer, so under sustained load they never
 * finish first and the WAL grew without bound (1 GB in two minutes of the benchmark). The main
 * connection therefore keeps its own automatic checkpoint, at 10,000 pages (~40 MB): by then the
 * worker has copied nearly everything, so it copies the remainder and syncs, right after a commit
 * where no other write can come in between, and the next write starts the WAL over.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 1000 });
const run = () => {
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ type: "checkpoint", log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ type: "error", message: String(e && e.message) });
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m === "now") run();
  if (m === "stop") { clearInterval(timer); run(); db.close(); parentPort.close(); }
});
`;

export interface CheckpointResult {
  /** Frames in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly waiting: Array<(r: CheckpointResult) => void> = [];
  /** Frames in the WAL at the last checkpoint. */
  walFrames = 0;

  constructor(file: string, o: { intervalMs?: number; onError?: (message: string) => void } = {}) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs: o.intervalMs ?? 250 } });
    this.worker.unref();
    this.worker.on("message", (m: { type: "checkpoint"; log: number; checkpointed: number } | { type: "error"; message: string }) => {
      if (m.type === "error") o.onError?.(m.message);
      else {
        this.walFrames = m.log;
        for (const resolve of this.waiting.splice(0)) resolve({ log: m.log, checkpointed: m.checkpointed });
      }
    });
    this.worker.on("error", (e) => o.onError?.(e.message));
  }

  /** Checkpoint now; resolves with the result (tests, and before a backup). */
  checkpoint(): Promise<CheckpointResult> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.worker.postMessage("now");
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.ref();
    this.worker.postMessage("stop");
    await exited;
  }
}
