/**
 * The WAL checkpoint worker (see src/db/sqlite-checkpointer.ts): a connection of its own that runs
 * PASSIVE checkpoints every `intervalMs` and on request. Plain JavaScript in a module file of its own,
 * so it starts the same under tsx, under vitest and from compiled JavaScript, whatever flags the main
 * thread was started with (an eval'd CommonJS string failed under `--input-type=module`).
 */
import { clearInterval, setInterval } from "node:timers";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const db = new Database(workerData.file, { timeout: 1000 });
// A checkpoint copies WAL frames to the file; it needs no page cache of its own (16 MB by default).
db.pragma("cache_size = -256");
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
  if (m === "stop") {
    clearInterval(timer);
    run();
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ type: "ready" });
