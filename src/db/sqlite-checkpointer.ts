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
import { Worker } from "node:worker_threads";

/** The worker's code: a plain module file beside this one (copied as it is into a compiled build). */
const WORKER_FILE = new URL("./sqlite-checkpoint-worker.mjs", import.meta.url);

type WorkerMessage = { type: "ready" } | { type: "checkpoint"; log: number; checkpointed: number } | { type: "error"; message: string };

export interface CheckpointResult {
  /** Frames in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly waiting: Array<(r: CheckpointResult) => void> = [];
  private exited = false;
  /** Frames in the WAL at the last checkpoint. */
  walFrames = 0;
  /**
   * Resolves once the worker runs and has its connection; rejects if it could not start. Nothing
   * waits for it at start-up (checkpoints are not urgent), but tests do: a worker that cannot start
   * would otherwise only show as a warning while the WAL grows.
   */
  readonly started: Promise<void>;

  constructor(file: string, o: { intervalMs?: number; onError?: (message: string) => void } = {}) {
    // No flags of the main thread: the worker is plain JavaScript and needs no loader, and some
    // flags break it (`--input-type=module` makes Node refuse to load any file in a worker).
    this.worker = new Worker(WORKER_FILE, { execArgv: [], workerData: { file, intervalMs: o.intervalMs ?? 250 } });
    this.worker.unref();
    let ready!: () => void;
    let failed!: (e: Error) => void;
    this.started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    // Observed here so an unstarted worker is not an unhandled rejection; `started` still rejects.
    this.started.catch(() => undefined);
    this.worker.on("message", (m: WorkerMessage) => {
      if (m.type === "ready") ready();
      else if (m.type === "error") o.onError?.(m.message);
      else {
        this.walFrames = m.log;
        for (const resolve of this.waiting.splice(0)) resolve({ log: m.log, checkpointed: m.checkpointed });
      }
    });
    this.worker.on("error", (e) => {
      failed(e);
      o.onError?.(e.message);
    });
    this.worker.once("exit", (code) => {
      this.exited = true;
      failed(new Error(`the checkpoint worker exited (code ${code}) before it started`));
    });
  }

  /** Checkpoint now; resolves with the result (tests, and before a backup). */
  checkpoint(): Promise<CheckpointResult> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.worker.postMessage("now");
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    // Kept alive until it has stopped: a process that ended first would exit with code 13.
    this.worker.ref();
    this.worker.postMessage("stop");
    await exited;
  }
}
